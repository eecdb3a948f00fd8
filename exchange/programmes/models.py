"""Exchange programmes: the frame (fund, lead, dates) in which pairings run."""

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from exchange.db import UTCDateTime, db, utcnow
from exchange.organisations.models import Organisation


class Programme(db.Model):
    __tablename__ = "programmes"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    lead_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="SET NULL"), index=True
    )
    fund: Mapped[str | None] = mapped_column(sa.String(200))
    start_date: Mapped[dt.date]
    end_date: Mapped[dt.date | None]
    description: Mapped[str | None] = mapped_column(sa.Text)
    themes: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    created_dt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    lead: Mapped[Organisation | None] = relationship()

    __table_args__ = (
        sa.CheckConstraint(
            "end_date IS NULL OR end_date >= start_date", name="ends_after_it_starts"
        ),
    )

    def __repr__(self) -> str:
        return f"<Programme {self.id} {self.name!r}>"

    def is_open_on(self, day: dt.date) -> bool:
        """Can pairings still be proposed in this programme on `day`?"""
        return self.end_date is None or day <= self.end_date
