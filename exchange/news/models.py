"""News items and articles, with their Atom feed."""

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from exchange.db import UTCDateTime, db, utcnow
from exchange.organisations.models import Organisation


class NewsItem(db.Model):
    __tablename__ = "news_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    summary: Mapped[str] = mapped_column(sa.Text)
    body: Mapped[str] = mapped_column(sa.Text)  # Markdown, rendered by exchange.markdown_text
    language: Mapped[str] = mapped_column(sa.String(8), index=True)
    published_dt: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    author_organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="SET NULL"), index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_dt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_dt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    author_organisation: Mapped[Organisation | None] = relationship()
