"""Pairings: a mentor city and its association coach a mentee city and its association.

`status` is changed only by `exchange.pairings.services.take_step` (the state machine);
`phase` only by `services.move_phase`. Every change is kept: lifecycle steps with their
messages (PairingStep), phase changes with their dates (PhaseChange), replaced partners
(PartnerChange), and an audit event for each.
"""

import datetime as dt
import enum

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from exchange.db import UTCDateTime, db, utcnow
from exchange.organisations.models import Organisation
from exchange.programmes.models import Programme


class Status(enum.StrEnum):
    PROPOSED = "proposed"  # one side asked; the other side's coordinator answers
    ACCEPTED = "accepted"  # the other side said yes; an officer or an admin confirms
    ACTIVE = "active"
    ON_HOLD = "on_hold"
    COMPLETED = "completed"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


STATUS_LABELS = {
    Status.PROPOSED: _l("Proposed"),
    Status.ACCEPTED: _l("Accepted, waiting for confirmation"),
    Status.ACTIVE: _l("Active"),
    Status.ON_HOLD: _l("On hold"),
    Status.COMPLETED: _l("Completed"),
    Status.DECLINED: _l("Declined"),
    Status.WITHDRAWN: _l("Withdrawn"),
}

# Open pairings block a second pairing of the same two cities in the same programme.
OPEN_STATUSES = (Status.PROPOSED, Status.ACCEPTED, Status.ACTIVE, Status.ON_HOLD)
# What anonymous visitors and other cities see a summary of.
PUBLIC_STATUSES = (Status.ACTIVE, Status.COMPLETED)
# Pairings that carry a phase and a health.
RUNNING_STATUSES = (Status.ACTIVE, Status.ON_HOLD)
# Pairings whose activities, plan, indicators and risks are kept: from the acceptance (a
# kick-off is planned before the confirmation) to well after the end (outcomes are often
# written up later).
RECORD_KEEPING_STATUSES = (Status.ACCEPTED, Status.ACTIVE, Status.ON_HOLD, Status.COMPLETED)


class Side(enum.StrEnum):
    MENTOR = "mentor"
    MENTEE = "mentee"

    @property
    def other(self) -> "Side":
        return Side.MENTEE if self is Side.MENTOR else Side.MENTOR


# What each lifecycle step is called once taken.
STEP_LABELS = {
    "propose": _l("Proposed"),
    "accept": _l("Accepted"),
    "decline": _l("Declined"),
    "confirm": _l("Confirmed"),
    "hold": _l("Put on hold"),
    "resume": _l("Resumed"),
    "complete": _l("Completed"),
    "withdraw": _l("Withdrawn"),
}

SIDE_LABELS = {Side.MENTOR: _l("Mentor"), Side.MENTEE: _l("Mentee")}

# The IncluCities method, in its usual order (1 to 8).
PHASES = {
    1: _l("Needs assessment and matching"),
    2: _l("Benchmarking"),
    3: _l("Mentoring training and local support network"),
    4: _l("Study visit 1: action planning"),
    5: _l("Study visit 2: consolidation"),
    6: _l("Transfer workshops and training academies"),
    7: _l("Study visit 3: review"),
    8: _l("Dissemination"),
}
FIRST_PHASE = 1
LAST_PHASE = max(PHASES)


def phase_label(phase: int | None) -> str:
    if phase is None:
        return ""
    return str(
        _l(
            "Phase %(num)d of %(total)d: %(name)s",
            num=phase,
            total=LAST_PHASE,
            name=PHASES.get(phase, "?"),
        )
    )


class PairingTheme(db.Model):
    __tablename__ = "pairing_themes"

    pairing_id: Mapped[int] = mapped_column(
        sa.ForeignKey("pairings.id", ondelete="CASCADE"), primary_key=True
    )
    theme: Mapped[str] = mapped_column(sa.String(32), primary_key=True, index=True)


class Pairing(db.Model):
    __tablename__ = "pairings"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        sa.ForeignKey("programmes.id", ondelete="RESTRICT"), index=True
    )
    mentor_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    mentee_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    mentor_association_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="SET NULL"), index=True
    )
    mentee_association_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="SET NULL"), index=True
    )
    objective: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[str] = mapped_column(sa.String(16), default=Status.PROPOSED, index=True)
    phase: Mapped[int | None] = mapped_column(index=True)
    proposed_by_side: Mapped[str] = mapped_column(sa.String(8))
    proposed_start_date: Mapped[dt.date | None]
    # Activities are dated and timed in this zone (the mentee city's, set at the proposal).
    time_zone: Mapped[str] = mapped_column(sa.String(64), default="Europe/Brussels")
    start_date: Mapped[dt.date | None]  # the day it was confirmed (became active)
    end_date: Mapped[dt.date | None]  # the day it was completed, declined or withdrawn
    confirmed_dt: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    created_dt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_dt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # Forms carry the version they were opened with: a change in between is not overwritten.
    version: Mapped[int] = mapped_column(default=1)

    programme: Mapped[Programme] = relationship()
    mentor: Mapped[Organisation] = relationship(foreign_keys=[mentor_id])
    mentee: Mapped[Organisation] = relationship(foreign_keys=[mentee_id])
    mentor_association: Mapped[Organisation | None] = relationship(
        foreign_keys=[mentor_association_id]
    )
    mentee_association: Mapped[Organisation | None] = relationship(
        foreign_keys=[mentee_association_id]
    )
    theme_links: Mapped[list[PairingTheme]] = relationship(
        cascade="all, delete-orphan", order_by=PairingTheme.theme
    )
    steps: Mapped[list["PairingStep"]] = relationship(
        back_populates="pairing", order_by="PairingStep.id", cascade="all, delete-orphan"
    )
    phase_changes: Mapped[list["PhaseChange"]] = relationship(
        back_populates="pairing", order_by="PhaseChange.id", cascade="all, delete-orphan"
    )
    partner_changes: Mapped[list["PartnerChange"]] = relationship(
        back_populates="pairing", order_by="PartnerChange.id", cascade="all, delete-orphan"
    )

    __table_args__ = (
        sa.CheckConstraint("mentor_id <> mentee_id", name="two_different_cities"),
        sa.CheckConstraint("phase IS NULL OR (phase >= 1 AND phase <= 8)", name="phase_in_range"),
    )

    def __repr__(self) -> str:
        return f"<Pairing {self.id} {self.mentor_id}->{self.mentee_id} {self.status}>"

    @property
    def title(self) -> str:
        return str(
            _l("%(mentor)s mentors %(mentee)s", mentor=self.mentor.name, mentee=self.mentee.name)
        )

    @property
    def themes(self) -> list[str]:
        return [link.theme for link in self.theme_links]

    @themes.setter
    def themes(self, codes: list[str]) -> None:
        self.theme_links = [PairingTheme(theme=code) for code in dict.fromkeys(codes)]

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS.get(self.status, self.status))

    @property
    def phase_label(self) -> str:
        return phase_label(self.phase)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES

    def city(self, side: Side) -> Organisation:
        return self.mentor if side == Side.MENTOR else self.mentee

    def association(self, side: Side) -> Organisation | None:
        return self.mentor_association if side == Side.MENTOR else self.mentee_association

    @property
    def proposing_side(self) -> Side:
        return Side(self.proposed_by_side)

    @property
    def answering_side(self) -> Side:
        return self.proposing_side.other

    # Permission questions. `user` may be anonymous.

    def side_of(self, user) -> Side | None:
        """The side whose city `user` is an approved member of, if any."""
        if not getattr(user, "is_authenticated", False) or not user.is_approved_member:
            return None
        if user.organisation_id == self.mentor_id:
            return Side.MENTOR
        if user.organisation_id == self.mentee_id:
            return Side.MENTEE
        return None

    def is_coordinator_of(self, user, side: Side) -> bool:
        return self.side_of(user) == side and user.is_coordinator

    def is_party_coordinator(self, user) -> bool:
        return self.side_of(user) is not None and user.is_coordinator

    def monitoring_association_ids(self) -> set[int]:
        """Either side's association, and the parent association of either city."""
        ids = {
            self.mentor_association_id,
            self.mentee_association_id,
            self.mentor.parent_id,
            self.mentee.parent_id,
        }
        return {i for i in ids if i is not None}

    def is_monitoring_officer(self, user) -> bool:
        return bool(
            getattr(user, "is_authenticated", False)
            and user.is_officer
            and user.organisation_id in self.monitoring_association_ids()
        )

    def is_confirming_officer(self, user) -> bool:
        """Officers of either side's association confirm a pairing and put it on hold."""
        return bool(
            getattr(user, "is_authenticated", False)
            and user.is_officer
            and user.organisation_id in {self.mentor_association_id, self.mentee_association_id}
        )

    def can_see_details(self, user) -> bool:
        """Members of both cities, monitoring officers and admins see the private pages."""
        if not getattr(user, "is_authenticated", False):
            return False
        return user.is_admin or self.side_of(user) is not None or self.is_monitoring_officer(user)

    def can_view(self, user) -> bool:
        """Everyone sees the summary of an active or completed pairing."""
        return self.is_public or self.can_see_details(user)

    def can_keep_records(self, user) -> bool:
        """The coordinators of either city and admins log activities and keep the action
        plan, indicators and risks; participants and officers read them."""
        if self.status not in RECORD_KEEPING_STATUSES:
            return False
        return bool(getattr(user, "is_admin", False)) or self.is_party_coordinator(user)

    def can_move_phase(self, user) -> bool:
        return self.status == Status.ACTIVE and (
            getattr(user, "is_admin", False) or self.is_party_coordinator(user)
        )


class PairingStep(db.Model):
    """One step of the lifecycle (proposed, accepted, ...) with who took it and their message."""

    __tablename__ = "pairing_steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    pairing_id: Mapped[int] = mapped_column(
        sa.ForeignKey("pairings.id", ondelete="CASCADE"), index=True
    )
    step: Mapped[str] = mapped_column(sa.String(16))
    from_status: Mapped[str | None] = mapped_column(sa.String(16))
    to_status: Mapped[str] = mapped_column(sa.String(16))
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    actor_organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="SET NULL")
    )
    message: Mapped[str | None] = mapped_column(sa.Text)
    created_dt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    pairing: Mapped[Pairing] = relationship(back_populates="steps")
    actor: Mapped["User | None"] = relationship()  # noqa: F821
    actor_organisation: Mapped[Organisation | None] = relationship()

    @property
    def label(self) -> str:
        return str(STEP_LABELS.get(self.step, self.step))


class PhaseChange(db.Model):
    """The pairing entered `phase` on `changed_dt` (from `from_phase`; back moves give a reason)."""

    __tablename__ = "phase_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    pairing_id: Mapped[int] = mapped_column(
        sa.ForeignKey("pairings.id", ondelete="CASCADE"), index=True
    )
    from_phase: Mapped[int | None]
    phase: Mapped[int]
    reason: Mapped[str | None] = mapped_column(sa.Text)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    changed_dt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    pairing: Mapped[Pairing] = relationship(back_populates="phase_changes")
    actor: Mapped["User | None"] = relationship()  # noqa: F821

    @property
    def label(self) -> str:
        return phase_label(self.phase)

    @property
    def is_back(self) -> bool:
        return self.from_phase is not None and self.phase < self.from_phase


class PartnerChange(db.Model):
    """An admin replaced the mentor or the mentee (as Capaci replaced Partinico)."""

    __tablename__ = "partner_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    pairing_id: Mapped[int] = mapped_column(
        sa.ForeignKey("pairings.id", ondelete="CASCADE"), index=True
    )
    side: Mapped[str] = mapped_column(sa.String(8))
    old_organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="SET NULL")
    )
    new_organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="SET NULL")
    )
    reason: Mapped[str | None] = mapped_column(sa.Text)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    changed_dt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    pairing: Mapped[Pairing] = relationship(back_populates="partner_changes")
    old_organisation: Mapped[Organisation | None] = relationship(foreign_keys=[old_organisation_id])
    new_organisation: Mapped[Organisation | None] = relationship(foreign_keys=[new_organisation_id])
    actor: Mapped["User | None"] = relationship()  # noqa: F821

    @property
    def side_label(self) -> str:
        return str(SIDE_LABELS.get(self.side, self.side))
