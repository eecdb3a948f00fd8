"""The mentee's action plan: the plan itself (one per pairing), its actions, indicators with
their measurements, and the risks to the pairing.

Actions, indicators and risks belong to the pairing directly, so a coordinator can add the
first action before anyone has written the plan's vision. Every status change is kept as a
row (PlanStatusChange, ActionStatusChange, RiskChange) with who made it and when: the
pairing's timeline and its reports are read from them.
"""

import datetime as dt
import enum
from decimal import Decimal
from typing import ClassVar

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from exchange.db import UTCDateTime, db, utcnow
from exchange.organisations.models import Organisation
from exchange.pairings.models import Pairing

MONEY = sa.Numeric(14, 2)
QUANTITY = sa.Numeric(16, 4)


class PlanStatus(enum.StrEnum):
    DRAFT = "draft"
    CONSOLIDATED = "consolidated"
    REVIEWED = "reviewed"
    ADOPTED = "adopted"


PLAN_STATUS_LABELS = {
    PlanStatus.DRAFT: _l("Draft"),
    PlanStatus.CONSOLIDATED: _l("Consolidated"),
    PlanStatus.REVIEWED: _l("Reviewed"),
    PlanStatus.ADOPTED: _l("Adopted"),
}
PLAN_STATUS_ORDER = list(PlanStatus)


class ActionStatus(enum.StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DROPPED = "dropped"


ACTION_STATUS_LABELS = {
    ActionStatus.PLANNED: _l("Planned"),
    ActionStatus.IN_PROGRESS: _l("In progress"),
    ActionStatus.DONE: _l("Done"),
    ActionStatus.DROPPED: _l("Dropped"),
}
# An action past its due date in one of these is overdue.
UNFINISHED_ACTION_STATUSES = (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS)


class IndicatorType(enum.StrEnum):
    OUTPUT = "output"
    OUTCOME = "outcome"
    IMPACT = "impact"


INDICATOR_TYPE_LABELS = {
    IndicatorType.OUTPUT: _l("Output"),
    IndicatorType.OUTCOME: _l("Outcome"),
    IndicatorType.IMPACT: _l("Impact"),
}


class Level(enum.StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


LEVEL_LABELS = {Level.LOW: _l("Low"), Level.MEDIUM: _l("Medium"), Level.HIGH: _l("High")}


class RiskStatus(enum.StrEnum):
    OPEN = "open"
    MITIGATED = "mitigated"
    CLOSED = "closed"


RISK_STATUS_LABELS = {
    RiskStatus.OPEN: _l("Open"),
    RiskStatus.MITIGATED: _l("Mitigated"),
    RiskStatus.CLOSED: _l("Closed"),
}


class StatusChange:
    """A record of the plan reached `to_status` (from `from_status`; None: it was added), by
    whom and for which city. The timeline and the reports read these rows."""

    LABELS: ClassVar[dict] = {}

    id: Mapped[int] = mapped_column(primary_key=True)
    pairing_id: Mapped[int] = mapped_column(
        sa.ForeignKey("pairings.id", ondelete="CASCADE"), index=True
    )
    from_status: Mapped[str | None] = mapped_column(sa.String(16))
    to_status: Mapped[str] = mapped_column(sa.String(16))
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    actor_organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="SET NULL")
    )

    @declared_attr
    def actor(cls) -> Mapped["User | None"]:  # noqa: F821
        return relationship()

    @declared_attr
    def actor_organisation(cls) -> Mapped[Organisation | None]:
        return relationship()

    @property
    def label(self) -> str:
        return str(self.LABELS.get(self.to_status, self.to_status))


class ActionPlan(db.Model):
    __tablename__ = "action_plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    pairing_id: Mapped[int] = mapped_column(
        sa.ForeignKey("pairings.id", ondelete="CASCADE"), unique=True
    )
    status: Mapped[str] = mapped_column(sa.String(16), default=PlanStatus.DRAFT)
    vision: Mapped[str | None] = mapped_column(sa.Text)  # Markdown
    target_groups: Mapped[str | None] = mapped_column(sa.Text)
    local_practice_name: Mapped[str | None] = mapped_column(sa.String(200))
    monitoring_method: Mapped[str | None] = mapped_column(sa.Text)  # Markdown
    created_dt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_dt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    pairing: Mapped[Pairing] = relationship()
    status_changes: Mapped[list["PlanStatusChange"]] = relationship(
        back_populates="plan", order_by="PlanStatusChange.id", cascade="all, delete-orphan"
    )

    @property
    def status_label(self) -> str:
        return str(PLAN_STATUS_LABELS.get(self.status, self.status))


class PlanStatusChange(StatusChange, db.Model):
    """The plan reached `to_status` on `effective_date` (a council adopts on a given day)."""

    __tablename__ = "plan_status_changes"
    LABELS = PLAN_STATUS_LABELS

    plan_id: Mapped[int] = mapped_column(
        sa.ForeignKey("action_plans.id", ondelete="CASCADE"), index=True
    )
    effective_date: Mapped[dt.date]
    changed_dt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    plan: Mapped[ActionPlan] = relationship(back_populates="status_changes")


class Action(db.Model):
    """One line of the action plan."""

    __tablename__ = "actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    pairing_id: Mapped[int] = mapped_column(
        sa.ForeignKey("pairings.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str | None] = mapped_column(sa.Text)  # Markdown
    responsible: Mapped[str | None] = mapped_column(sa.String(200))  # responsible organisation
    partners: Mapped[str | None] = mapped_column(sa.String(500))
    start_date: Mapped[dt.date | None]
    due_date: Mapped[dt.date | None] = mapped_column(index=True)
    budget: Mapped[Decimal | None] = mapped_column(MONEY)  # in euro
    funding_source: Mapped[str | None] = mapped_column(sa.String(200))
    status: Mapped[str] = mapped_column(sa.String(16), default=ActionStatus.PLANNED, index=True)
    practice_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("practices.id", ondelete="SET NULL"), index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_dt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_dt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    pairing: Mapped[Pairing] = relationship()
    practice: Mapped["Practice | None"] = relationship()  # noqa: F821
    status_changes: Mapped[list["ActionStatusChange"]] = relationship(
        back_populates="action", order_by="ActionStatusChange.id", cascade="all, delete-orphan"
    )

    __table_args__ = (
        sa.CheckConstraint(
            "due_date IS NULL OR start_date IS NULL OR due_date >= start_date",
            name="due_after_start",
        ),
        sa.CheckConstraint("budget IS NULL OR budget >= 0", name="budget_not_negative"),
    )

    @property
    def status_label(self) -> str:
        return str(ACTION_STATUS_LABELS.get(self.status, self.status))

    def is_overdue(self, today: dt.date) -> bool:
        return (
            self.due_date is not None
            and self.due_date < today
            and self.status in UNFINISHED_ACTION_STATUSES
        )


class ActionStatusChange(StatusChange, db.Model):
    __tablename__ = "action_status_changes"
    LABELS = ACTION_STATUS_LABELS

    action_id: Mapped[int] = mapped_column(
        sa.ForeignKey("actions.id", ondelete="CASCADE"), index=True
    )
    changed_dt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    action: Mapped[Action] = relationship(back_populates="status_changes")


class Indicator(db.Model):
    """A measure of the plan: where it started (baseline), where it should get (target)."""

    __tablename__ = "indicators"

    id: Mapped[int] = mapped_column(primary_key=True)
    pairing_id: Mapped[int] = mapped_column(
        sa.ForeignKey("pairings.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(200))
    type: Mapped[str] = mapped_column(sa.String(16))
    unit: Mapped[str | None] = mapped_column(sa.String(50))
    baseline: Mapped[Decimal] = mapped_column(QUANTITY, default=0)
    target: Mapped[Decimal] = mapped_column(QUANTITY)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_dt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_dt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    pairing: Mapped[Pairing] = relationship()
    measurements: Mapped[list["Measurement"]] = relationship(
        back_populates="indicator",
        order_by="(Measurement.measured_on, Measurement.id)",
        cascade="all, delete-orphan",
    )

    @property
    def type_label(self) -> str:
        return str(INDICATOR_TYPE_LABELS.get(self.type, self.type))

    @property
    def latest(self) -> "Measurement | None":
        return self.measurements[-1] if self.measurements else None

    @property
    def progress(self) -> float | None:
        """How far the latest measurement got from baseline to target, 0.0 to 1.0 (beyond
        the target counts as reached); None before the first measurement."""
        latest = self.latest
        if latest is None:
            return None
        return progress(self.baseline, self.target, latest.value)


def progress(baseline: Decimal, target: Decimal, value: Decimal) -> float:
    """The share of the way from baseline to target (targets may lie below baselines)."""
    if target == baseline:
        return 1.0 if value == target else 0.0
    share = float((value - baseline) / (target - baseline))
    return max(0.0, min(1.0, share))


class Measurement(db.Model):
    __tablename__ = "measurements"

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(
        sa.ForeignKey("indicators.id", ondelete="CASCADE"), index=True
    )
    pairing_id: Mapped[int] = mapped_column(
        sa.ForeignKey("pairings.id", ondelete="CASCADE"), index=True
    )
    value: Mapped[Decimal] = mapped_column(QUANTITY)
    measured_on: Mapped[dt.date] = mapped_column(index=True)
    note: Mapped[str | None] = mapped_column(sa.String(500))
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    actor_organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="SET NULL")
    )
    created_dt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    indicator: Mapped[Indicator] = relationship(back_populates="measurements")
    actor: Mapped["User | None"] = relationship()  # noqa: F821
    actor_organisation: Mapped[Organisation | None] = relationship()


class Risk(db.Model):
    __tablename__ = "risks"

    id: Mapped[int] = mapped_column(primary_key=True)
    pairing_id: Mapped[int] = mapped_column(
        sa.ForeignKey("pairings.id", ondelete="CASCADE"), index=True
    )
    description: Mapped[str] = mapped_column(sa.Text)
    likelihood: Mapped[str] = mapped_column(sa.String(8))
    impact: Mapped[str] = mapped_column(sa.String(8))
    mitigation: Mapped[str | None] = mapped_column(sa.Text)
    owner: Mapped[str | None] = mapped_column(sa.String(200))
    status: Mapped[str] = mapped_column(sa.String(16), default=RiskStatus.OPEN, index=True)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_dt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_dt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    pairing: Mapped[Pairing] = relationship()
    changes: Mapped[list["RiskChange"]] = relationship(
        back_populates="risk", order_by="RiskChange.id", cascade="all, delete-orphan"
    )

    @property
    def status_label(self) -> str:
        return str(RISK_STATUS_LABELS.get(self.status, self.status))

    @property
    def likelihood_label(self) -> str:
        return str(LEVEL_LABELS.get(self.likelihood, self.likelihood))

    @property
    def impact_label(self) -> str:
        return str(LEVEL_LABELS.get(self.impact, self.impact))


class RiskChange(StatusChange, db.Model):
    """A risk was noted (from_status None) or changed status."""

    __tablename__ = "risk_changes"
    LABELS = RISK_STATUS_LABELS

    risk_id: Mapped[int] = mapped_column(sa.ForeignKey("risks.id", ondelete="CASCADE"), index=True)
    changed_dt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    risk: Mapped[Risk] = relationship(back_populates="changes")
