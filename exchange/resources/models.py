"""Publications, toolkits, guides, infographics, videos and links."""

import datetime as dt
import enum

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from exchange.db import UTCDateTime, db, utcnow
from exchange.organisations.models import Organisation
from exchange.storage import StoredFile


class ResourceKind(enum.StrEnum):
    PUBLICATION = "publication"
    TOOLKIT = "toolkit"
    GUIDE = "guide"
    INFOGRAPHIC = "infographic"
    VIDEO = "video"
    LINK = "link"


KIND_LABELS = {
    ResourceKind.PUBLICATION: _l("Publication"),
    ResourceKind.TOOLKIT: _l("Toolkit"),
    ResourceKind.GUIDE: _l("Guide"),
    ResourceKind.INFOGRAPHIC: _l("Infographic"),
    ResourceKind.VIDEO: _l("Video"),
    ResourceKind.LINK: _l("Link"),
}

resource_themes = sa.Table(
    "resource_themes",
    db.metadata,
    sa.Column("resource_id", sa.ForeignKey("resources.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("theme", sa.String(32), primary_key=True, index=True),
)


class ResourceTheme(db.Model):
    """A theme of a resource: the rows of `resource_themes`, mapped so that the resource
    can own them (replaced with the resource's themes, deleted with the resource)."""

    __table__ = resource_themes


class Resource(db.Model):
    __tablename__ = "resources"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(16), index=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    summary: Mapped[str | None] = mapped_column(sa.Text)
    language: Mapped[str] = mapped_column(sa.String(8), index=True)
    url: Mapped[str | None] = mapped_column(sa.String(500))
    stored_file_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("stored_files.id", ondelete="SET NULL")
    )
    published_date: Mapped[dt.date] = mapped_column(index=True)
    author_organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="SET NULL"), index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_dt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_dt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    file: Mapped[StoredFile | None] = relationship()
    author_organisation: Mapped[Organisation | None] = relationship()
    theme_links: Mapped[list[ResourceTheme]] = relationship(
        cascade="all, delete-orphan", order_by=resource_themes.c.theme
    )

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS.get(self.kind, self.kind))

    @property
    def themes(self) -> list[str]:
        return [link.theme for link in self.theme_links]

    @themes.setter
    def themes(self, codes: list[str]) -> None:
        self.theme_links = [ResourceTheme(theme=code) for code in dict.fromkeys(codes)]
