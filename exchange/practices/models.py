"""Practices that work (a buddy scheme, a one-stop shop) and their transfer to other cities."""

import datetime as dt
import enum

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from exchange.db import UTCDateTime, db, utcnow
from exchange.organisations.models import Organisation, _belongs_to, _is_admin
from exchange.storage import StoredFile


class PracticeKind(enum.StrEnum):
    BUDDY = "buddy"
    ONE_STOP_SHOP = "one_stop_shop"
    LANGUAGE = "language_learning"
    JOB_LAB = "job_lab"
    ANTI_RUMOURS = "anti_rumours"
    CONSULTATIVE_BODY = "consultative_body"
    HOUSING = "housing"
    OTHER = "other"


KIND_LABELS = {
    PracticeKind.BUDDY: _l("Buddy or mentoring scheme"),
    PracticeKind.ONE_STOP_SHOP: _l("One-stop shop or reception office"),
    PracticeKind.LANGUAGE: _l("Language learning"),
    PracticeKind.JOB_LAB: _l("Job lab"),
    PracticeKind.ANTI_RUMOURS: _l("Anti-rumours"),
    PracticeKind.CONSULTATIVE_BODY: _l("Consultative body"),
    PracticeKind.HOUSING: _l("Housing"),
    PracticeKind.OTHER: _l("Other"),
}

TARGET_GROUPS = {
    "newcomers": _l("Newcomers in general"),
    "refugees": _l("Refugees and beneficiaries of protection"),
    "asylum_seekers": _l("Asylum seekers"),
    "women": _l("Migrant women"),
    "youth": _l("Children and young people"),
    "unaccompanied_minors": _l("Unaccompanied minors"),
    "job_seekers": _l("Job seekers"),
    "families": _l("Families"),
    "residents": _l("Long-term residents and volunteers"),
    "staff": _l("Municipal staff"),
}


def target_group_label(code: str) -> str:
    return str(TARGET_GROUPS.get(code, code))


# The sections of a practice's text after its summary, in the order they are read.
SECTIONS = (
    ("challenge", _l("Challenge and goals")),
    ("how_it_works", _l("How it works")),
    ("results", _l("Results")),
    ("evaluation", _l("Evaluation: indicators, what worked, what did not")),
    ("resources", _l("Resources and funding")),
    ("transferability", _l("Transferability: what a city needs to re-use it")),
    ("success_factors", _l("Key success factors")),
)


class PracticeStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"


class TransferStage(enum.StrEnum):
    UNDERSTAND = "understand"
    ADAPT = "adapt"
    REUSE = "reuse"


STAGE_LABELS = {
    TransferStage.UNDERSTAND: _l("Understand"),
    TransferStage.ADAPT: _l("Adapt"),
    TransferStage.REUSE: _l("Re-use"),
}

practice_themes = sa.Table(
    "practice_themes",
    db.metadata,
    sa.Column("practice_id", sa.ForeignKey("practices.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("theme", sa.String(32), primary_key=True, index=True),
)

practice_target_groups = sa.Table(
    "practice_target_groups",
    db.metadata,
    sa.Column("practice_id", sa.ForeignKey("practices.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("target_group", sa.String(32), primary_key=True, index=True),
)


class PracticeAttachment(db.Model):
    __tablename__ = "practice_attachments"

    practice_id: Mapped[int] = mapped_column(
        sa.ForeignKey("practices.id", ondelete="CASCADE"), primary_key=True
    )
    stored_file_id: Mapped[int] = mapped_column(
        sa.ForeignKey("stored_files.id", ondelete="CASCADE"), primary_key=True
    )
    file: Mapped[StoredFile] = relationship()


class Practice(db.Model):
    __tablename__ = "practices"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    origin_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    kind: Mapped[str] = mapped_column(sa.String(32), index=True)
    language: Mapped[str] = mapped_column(sa.String(8), index=True)
    summary: Mapped[str] = mapped_column(sa.Text)
    challenge: Mapped[str | None] = mapped_column(sa.Text)  # challenge and goals
    how_it_works: Mapped[str | None] = mapped_column(sa.Text)
    results: Mapped[str | None] = mapped_column(sa.Text)
    evaluation: Mapped[str | None] = mapped_column(sa.Text)  # indicators, what worked, what not
    resources: Mapped[str | None] = mapped_column(sa.Text)  # resources and funding
    transferability: Mapped[str | None] = mapped_column(sa.Text)  # what a city needs
    success_factors: Mapped[str | None] = mapped_column(sa.Text)
    contact: Mapped[str | None] = mapped_column(sa.String(300))
    start_year: Mapped[int | None]
    end_year: Mapped[int | None]  # None: still running
    status: Mapped[str] = mapped_column(sa.String(16), default=PracticeStatus.DRAFT, index=True)
    published_dt: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, index=True)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_dt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_dt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    origin: Mapped[Organisation] = relationship()
    attachments: Mapped[list[PracticeAttachment]] = relationship(
        cascade="all, delete-orphan", order_by=PracticeAttachment.stored_file_id
    )

    __table_args__ = (
        sa.CheckConstraint(
            "end_year IS NULL OR start_year IS NULL OR end_year >= start_year",
            name="ends_after_it_starts",
        ),
    )

    def __repr__(self) -> str:
        return f"<Practice {self.id} {self.title!r}>"

    @property
    def is_published(self) -> bool:
        return self.status == PracticeStatus.PUBLISHED

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS.get(self.kind, self.kind))

    # Permission questions. `user` may be anonymous.

    def can_edit(self, user) -> bool:
        """The origin's coordinators, the officers of its association (or of the association
        itself, for an association's practice) and admins."""
        if _is_admin(user):
            return True
        if _belongs_to(user, self.origin):
            return user.is_coordinator or self.origin.is_association
        return (
            self.origin.parent is not None
            and _belongs_to(user, self.origin.parent)
            and user.is_officer
        )

    def can_view(self, user) -> bool:
        return self.is_published or self.can_edit(user)


class Transfer(db.Model):
    """A pairing's mentee adopting a practice, from understanding it to re-using it."""

    __tablename__ = "transfers"

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(
        sa.ForeignKey("practices.id", ondelete="CASCADE"), index=True
    )
    pairing_id: Mapped[int] = mapped_column(
        sa.ForeignKey("pairings.id", ondelete="CASCADE"), index=True
    )
    local_name: Mapped[str | None] = mapped_column(sa.String(200))
    stage: Mapped[str] = mapped_column(sa.String(16), default=TransferStage.UNDERSTAND)
    understand_date: Mapped[dt.date | None]
    adapt_date: Mapped[dt.date | None]
    reuse_date: Mapped[dt.date | None]
    adaptation_notes: Mapped[str | None] = mapped_column(sa.Text)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_dt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_dt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    practice: Mapped[Practice] = relationship()
    pairing: Mapped["Pairing"] = relationship()  # noqa: F821

    __table_args__ = (sa.UniqueConstraint("practice_id", "pairing_id"),)

    @property
    def stage_label(self) -> str:
        return str(STAGE_LABELS.get(self.stage, self.stage))
