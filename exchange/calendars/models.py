"""Private calendar links: a calendar app subscribes to a user's pairings without a login."""

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from exchange.db import UTCDateTime, db, utcnow


class CalendarFeed(db.Model):
    """A user's private calendar link: a calendar app subscribes with the token, no login.
    Revoking deletes the row, and the old link answers 404."""

    __tablename__ = "calendar_feeds"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    token: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_dt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped["User"] = relationship()  # noqa: F821
