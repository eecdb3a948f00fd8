"""Activities of a pairing (study visits, workshops, trainings ...), their files and the
feedback of those who took part.

An activity is dated in the pairing's time zone: a start date with an optional time and an
optional end. `starts_at`/`ends_at` are the same moments in UTC, kept by the services for
sorting, for health (the last held activity) and for calendars.
"""

import datetime as dt
import enum
import uuid

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from exchange import timezones
from exchange.db import UTCDateTime, db, utcnow
from exchange.organisations.models import Organisation
from exchange.pairings.models import RECORD_KEEPING_STATUSES, Pairing
from exchange.plans.models import Action
from exchange.storage import StoredFile


class ActivityType(enum.StrEnum):
    KICK_OFF = "kick_off"
    NEEDS_ASSESSMENT = "needs_assessment"
    BENCHMARKING = "benchmarking"
    MENTORING_TRAINING = "mentoring_training"
    STUDY_VISIT = "study_visit"
    MENTORING_VISIT = "mentoring_visit"
    WORK_SHADOWING = "work_shadowing"
    PEER_REVIEW = "peer_review"
    TRANSFER_WORKSHOP = "transfer_workshop"
    STEERING_COMMITTEE = "steering_committee"
    TRAINING_ACADEMY = "training_academy"
    INSPIRATION_DAY = "inspiration_day"
    ONLINE_MEETING = "online_meeting"
    CAMPAIGN_EVENT = "campaign_event"
    FINAL_CONFERENCE = "final_conference"
    OTHER = "other"


TYPE_LABELS = {
    ActivityType.KICK_OFF: _l("Kick-off"),
    ActivityType.NEEDS_ASSESSMENT: _l("Needs assessment"),
    ActivityType.BENCHMARKING: _l("Benchmarking session"),
    ActivityType.MENTORING_TRAINING: _l("Mentoring training"),
    ActivityType.STUDY_VISIT: _l("Study visit"),
    ActivityType.MENTORING_VISIT: _l("Mentoring visit"),
    ActivityType.WORK_SHADOWING: _l("Work shadowing"),
    ActivityType.PEER_REVIEW: _l("Peer review"),
    ActivityType.TRANSFER_WORKSHOP: _l("Transfer workshop"),
    ActivityType.STEERING_COMMITTEE: _l("Steering committee"),
    ActivityType.TRAINING_ACADEMY: _l("Training academy"),
    ActivityType.INSPIRATION_DAY: _l("Inspiration or study day"),
    ActivityType.ONLINE_MEETING: _l("Online meeting"),
    ActivityType.CAMPAIGN_EVENT: _l("Campaign event"),
    ActivityType.FINAL_CONFERENCE: _l("Final conference"),
    ActivityType.OTHER: _l("Other"),
}

STUDY_VISIT_ROUNDS = (1, 2, 3)


class ActivityFormat(enum.StrEnum):
    IN_PERSON = "in_person"
    ONLINE = "online"
    HYBRID = "hybrid"


FORMAT_LABELS = {
    ActivityFormat.IN_PERSON: _l("In person"),
    ActivityFormat.ONLINE: _l("Online"),
    ActivityFormat.HYBRID: _l("Hybrid"),
}


class ActivityStatus(enum.StrEnum):
    PLANNED = "planned"
    HELD = "held"
    CANCELLED = "cancelled"


STATUS_LABELS = {
    ActivityStatus.PLANNED: _l("Planned"),
    ActivityStatus.HELD: _l("Held"),
    ActivityStatus.CANCELLED: _l("Cancelled"),
}

# Participants are counted by side; a count above this is a typing error.
MAX_PARTICIPANTS = 100_000
PARTICIPANT_FIELDS = (
    ("participants_mentor", _l("From the mentor city")),
    ("participants_mentee", _l("From the mentee city")),
    ("participants_associations", _l("From the associations")),
    ("participants_others", _l("Others (experts, local partners, guests)")),
)


def _new_uid() -> str:
    return f"{uuid.uuid4()}@city-exchange"


activity_actions = sa.Table(
    "activity_actions",
    db.metadata,
    sa.Column("activity_id", sa.ForeignKey("activities.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("action_id", sa.ForeignKey("actions.id", ondelete="CASCADE"), primary_key=True),
)


class ActivityAttachment(db.Model):
    __tablename__ = "activity_attachments"

    activity_id: Mapped[int] = mapped_column(
        sa.ForeignKey("activities.id", ondelete="CASCADE"), primary_key=True
    )
    stored_file_id: Mapped[int] = mapped_column(
        sa.ForeignKey("stored_files.id", ondelete="CASCADE"), primary_key=True
    )
    file: Mapped[StoredFile] = relationship()


class Activity(db.Model):
    __tablename__ = "activities"

    id: Mapped[int] = mapped_column(primary_key=True)
    pairing_id: Mapped[int] = mapped_column(
        sa.ForeignKey("pairings.id", ondelete="CASCADE"), index=True
    )
    type: Mapped[str] = mapped_column(sa.String(32), index=True)
    study_visit_round: Mapped[int | None]
    title: Mapped[str] = mapped_column(sa.String(200))
    start_date: Mapped[dt.date]
    start_time: Mapped[dt.time | None]
    end_date: Mapped[dt.date | None]
    end_time: Mapped[dt.time | None]
    # The same moments in UTC (a date alone runs from 00:00 to 23:59:59 local time).
    starts_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    format: Mapped[str] = mapped_column(sa.String(16))
    host_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="SET NULL")
    )
    venue: Mapped[str | None] = mapped_column(sa.String(300))
    status: Mapped[str] = mapped_column(sa.String(16), default=ActivityStatus.PLANNED, index=True)
    participants_mentor: Mapped[int] = mapped_column(default=0)
    participants_mentee: Mapped[int] = mapped_column(default=0)
    participants_associations: Mapped[int] = mapped_column(default=0)
    participants_others: Mapped[int] = mapped_column(default=0)
    objectives: Mapped[str | None] = mapped_column(sa.Text)  # Markdown
    agenda: Mapped[str | None] = mapped_column(sa.Text)  # Markdown
    outcomes: Mapped[str | None] = mapped_column(sa.Text)  # Markdown
    follow_up: Mapped[str | None] = mapped_column(sa.Text)  # Markdown: follow-up actions
    # Stable iCalendar UID: an update changes the event in calendars, never duplicates it.
    uid: Mapped[str] = mapped_column(sa.String(80), unique=True, default=_new_uid)
    logged_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_dt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_dt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    pairing: Mapped[Pairing] = relationship()
    host: Mapped[Organisation | None] = relationship()
    logged_by: Mapped["User | None"] = relationship()  # noqa: F821
    attachments: Mapped[list[ActivityAttachment]] = relationship(
        cascade="all, delete-orphan", order_by=ActivityAttachment.stored_file_id
    )
    actions: Mapped[list[Action]] = relationship(secondary=activity_actions, order_by=Action.id)
    feedback: Mapped[list["Feedback"]] = relationship(
        back_populates="activity", cascade="all, delete-orphan", order_by="Feedback.id"
    )

    __table_args__ = (
        sa.CheckConstraint("ends_at >= starts_at", name="ends_after_it_starts"),
        sa.CheckConstraint(
            "participants_mentor >= 0 AND participants_mentee >= 0 "
            "AND participants_associations >= 0 AND participants_others >= 0",
            name="participants_not_negative",
        ),
    )

    def __repr__(self) -> str:
        return f"<Activity {self.id} {self.type} {self.start_date} {self.status}>"

    def schedule(self, time_zone: str) -> None:
        """Set `starts_at` and `ends_at` from the local dates and times (call after changing
        them). Without an end date it ends on its start day; without an end time, at the end
        of its last day."""
        self.starts_at = timezones.to_utc(self.start_date, self.start_time, time_zone)
        self.ends_at = timezones.to_utc(
            self.end_date or self.start_date, self.end_time, time_zone, end=True
        )

    @property
    def type_label(self) -> str:
        label = str(TYPE_LABELS.get(self.type, self.type))
        if self.type == ActivityType.STUDY_VISIT and self.study_visit_round:
            return str(_l("%(type)s %(round)d", type=label, round=self.study_visit_round))
        return label

    @property
    def format_label(self) -> str:
        return str(FORMAT_LABELS.get(self.format, self.format))

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS.get(self.status, self.status))

    @property
    def is_held(self) -> bool:
        return self.status == ActivityStatus.HELD

    @property
    def is_planned(self) -> bool:
        return self.status == ActivityStatus.PLANNED

    @property
    def participants_total(self) -> int:
        return sum(getattr(self, name) or 0 for name, _label in PARTICIPANT_FIELDS)

    # Permission questions. `user` may be anonymous.

    def can_view(self, user) -> bool:
        return self.pairing.can_see_details(user)

    def can_edit(self, user) -> bool:
        return self.pairing.can_keep_records(user)

    def can_give_feedback(self, user) -> bool:
        """Members of either city and the officers who follow the pairing rate a held
        activity they took part in."""
        return (
            self.is_held
            and self.pairing.status in RECORD_KEEPING_STATUSES
            and (self.pairing.side_of(user) is not None or self.pairing.is_monitoring_officer(user))
        )


class Feedback(db.Model):
    """One person's rating of a held activity; they may change it later."""

    __tablename__ = "feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(
        sa.ForeignKey("activities.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    # the user's organisation when they gave it: "a participant from Capaci"
    organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="SET NULL")
    )
    usefulness: Mapped[int]
    comment: Mapped[str | None] = mapped_column(sa.Text)
    created_dt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_dt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    activity: Mapped[Activity] = relationship(back_populates="feedback")
    user: Mapped["User | None"] = relationship()  # noqa: F821
    organisation: Mapped[Organisation | None] = relationship()

    __table_args__ = (
        sa.UniqueConstraint("activity_id", "user_id", name="one_feedback_per_person"),
        sa.CheckConstraint("usefulness BETWEEN 1 AND 5", name="usefulness_1_to_5"),
    )
