"""Read-only queries of the action plan: the plan page, the choices of its forms, and the
counts the pairing overview, its health and its reports read (overdue actions, a summary).

An action is overdue when its due date has passed (due today is not overdue) and it is
still planned or in progress: the rule of `Action.is_overdue`, here in SQL.
"""

import datetime as dt
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import abort
from sqlalchemy.orm import joinedload, selectinload

from exchange.db import db
from exchange.organisations.queries import check_id, get_or_404, is_possible_id
from exchange.pairings.models import Pairing
from exchange.plans.models import (
    PLAN_STATUS_LABELS,
    UNFINISHED_ACTION_STATUSES,
    Action,
    ActionPlan,
    ActionStatus,
    Indicator,
    Measurement,
    PlanStatusChange,
    Risk,
    RiskStatus,
    progress,
)
from exchange.practices.models import Practice, PracticeStatus, Transfer

__all__ = ["get_or_404"]


# Overdue actions


def is_overdue_sql(today: dt.date):
    """`Action.is_overdue(today)` as a SQL condition on Action rows."""
    return sa.and_(
        Action.due_date.is_not(None),
        Action.due_date < today,
        Action.status.in_([s.value for s in UNFINISHED_ACTION_STATUSES]),
    )


def overdue_count_sql(today: dt.date):
    """How many overdue actions the `Pairing` row of the enclosing query has: a correlated
    scalar subquery, for `select(Pairing)...where(overdue_count_sql(today) > 0)`."""
    return (
        sa.select(sa.func.count(Action.id))
        .where(Action.pairing_id == Pairing.id, is_overdue_sql(today))
        .correlate(Pairing)
        .scalar_subquery()
    )


def overdue_counts(pairing_ids, today: dt.date) -> dict[int, int]:
    """How many overdue actions each pairing has (pairings without any are left out)."""
    ids = [i for i in pairing_ids if is_possible_id(i)]
    if not ids:
        return {}
    rows = db.session.execute(
        sa.select(Action.pairing_id, sa.func.count(Action.id))
        .where(Action.pairing_id.in_(ids), is_overdue_sql(today))
        .group_by(Action.pairing_id)
    )
    return dict(rows.all())


# A pairing's plan in numbers (overview, reports)


@dataclass
class PlanSummary:
    """The plan of one pairing in a few numbers. `plan_status` is None without a plan."""

    plan_status: str | None
    plan_status_label: str | None
    actions_by_status: dict[str, int] = field(default_factory=dict)
    overdue: int = 0
    indicators: int = 0
    open_risks: int = 0

    @property
    def actions(self) -> int:
        return sum(self.actions_by_status.values())

    def count(self, status: str) -> int:
        return self.actions_by_status.get(status, 0)


def plan_summary(pairing_id: int, today: dt.date) -> PlanSummary:
    """The plan's status, its actions by status, overdue actions, indicators and open risks,
    in two queries."""

    def count(model, *conditions):
        return (
            sa.select(sa.func.count(model.id))
            .where(model.pairing_id == pairing_id, *conditions)
            .scalar_subquery()
        )

    status_of_plan = (
        sa.select(ActionPlan.status).where(ActionPlan.pairing_id == pairing_id).scalar_subquery()
    )
    status, overdue, indicators, open_risks = db.session.execute(
        sa.select(
            status_of_plan,
            count(Action, is_overdue_sql(today)),
            count(Indicator),
            count(Risk, Risk.status == RiskStatus.OPEN),
        )
    ).one()
    by_status = dict(
        db.session.execute(
            sa.select(Action.status, sa.func.count(Action.id))
            .where(Action.pairing_id == pairing_id)
            .group_by(Action.status)
        ).all()
    )
    label = str(PLAN_STATUS_LABELS.get(status, status)) if status is not None else None
    return PlanSummary(status, label, by_status, overdue, indicators, open_risks)


def indicator_progress(pairing_ids) -> dict[int, float]:
    """The mean progress of each pairing's measured indicators from baseline to target
    (0.0 to 1.0); pairings without a measured indicator are left out. One query."""
    ids = [i for i in pairing_ids if is_possible_id(i)]
    if not ids:
        return {}
    latest = (
        sa.select(Measurement.value)
        .where(Measurement.indicator_id == Indicator.id)
        .order_by(Measurement.measured_on.desc(), Measurement.id.desc())
        .limit(1)
        .correlate(Indicator)
        .scalar_subquery()
    )
    rows = db.session.execute(
        sa.select(Indicator.pairing_id, Indicator.baseline, Indicator.target, latest).where(
            Indicator.pairing_id.in_(ids)
        )
    )
    shares: dict[int, list[float]] = {}
    for pairing_id, baseline, target, value in rows:
        if value is not None:
            shares.setdefault(pairing_id, []).append(progress(baseline, target, value))
    return {pairing_id: sum(found) / len(found) for pairing_id, found in shares.items()}


# The plan page


@dataclass
class PlanPage:
    plan: ActionPlan | None
    actions: list[Action]
    indicators: list[Indicator]
    risks: list[Risk]
    today: dt.date

    def count(self, status: str) -> int:
        return sum(1 for action in self.actions if action.status == status)

    @property
    def overdue(self) -> int:
        return sum(1 for action in self.actions if action.is_overdue(self.today))

    @property
    def total_budget(self):
        """The budget of the actions that are not dropped, or None when none has one."""
        budgets = [
            a.budget
            for a in self.actions
            if a.budget is not None and a.status != ActionStatus.DROPPED
        ]
        return sum(budgets) if budgets else None

    @property
    def open_risks(self) -> int:
        return sum(1 for risk in self.risks if risk.status == RiskStatus.OPEN)


def plan_page(pairing: Pairing, today: dt.date) -> PlanPage:
    """Everything the plan page shows, in a fixed number of queries whatever the number of
    actions, indicators, measurements and risks."""
    plan = db.session.scalar(
        sa.select(ActionPlan)
        .where(ActionPlan.pairing_id == pairing.id)
        .options(
            selectinload(ActionPlan.status_changes).selectinload(PlanStatusChange.actor),
            selectinload(ActionPlan.status_changes).selectinload(
                PlanStatusChange.actor_organisation
            ),
        )
    )
    actions = db.session.scalars(
        sa.select(Action)
        .where(Action.pairing_id == pairing.id)
        .options(selectinload(Action.practice))
        .order_by(Action.due_date.is_(None), Action.due_date, Action.start_date, Action.id)
    ).all()
    indicators = db.session.scalars(
        sa.select(Indicator)
        .where(Indicator.pairing_id == pairing.id)
        .options(selectinload(Indicator.measurements).selectinload(Measurement.actor))
        .order_by(Indicator.id)
    ).all()
    risks = db.session.scalars(
        sa.select(Risk)
        .where(Risk.pairing_id == pairing.id)
        .order_by(
            sa.case(
                (Risk.status == RiskStatus.OPEN, 0),
                (Risk.status == RiskStatus.MITIGATED, 1),
                else_=2,
            ),
            Risk.id,
        )
    ).all()
    return PlanPage(plan, list(actions), list(indicators), list(risks), today)


def plan_of(pairing_id: int, lock: bool = False) -> ActionPlan | None:
    """The pairing's plan, if it has one; locked until the commit when `lock`."""
    query = sa.select(ActionPlan).where(ActionPlan.pairing_id == pairing_id)
    if lock:
        query = query.with_for_update(of=ActionPlan)
    return db.session.scalar(query.execution_options(populate_existing=True))


def get_for_update(model, object_id: int):
    """Load an action, indicator or risk to change it, its row locked until the commit
    (PostgreSQL; SQLite's write lock serves writers one at a time), or 404."""
    check_id(object_id)
    record = db.session.scalar(
        sa.select(model)
        .where(model.id == object_id)
        .with_for_update(of=model)
        .execution_options(populate_existing=True)
    )
    if record is None:
        abort(404)
    return record


def latest_status_date(plan: ActionPlan) -> dt.date | None:
    return db.session.scalar(
        sa.select(sa.func.max(PlanStatusChange.effective_date)).where(
            PlanStatusChange.plan_id == plan.id
        )
    )


# Choices of the action form


def practice_choices(pairing: Pairing, current_id: int | None = None):
    """The practices an action may link to, in one query: those this pairing transfers
    first, then the other published ones (and the one the action links to now, even if it
    is no longer published). Returns (transferred, others)."""
    transferred = (
        sa.select(Transfer.id)
        .where(Transfer.pairing_id == pairing.id, Transfer.practice_id == Practice.id)
        .exists()
    )
    condition = sa.or_(Practice.status == PracticeStatus.PUBLISHED, transferred)
    if current_id is not None:
        condition = sa.or_(condition, Practice.id == current_id)
    rows = db.session.execute(
        sa.select(Practice, transferred.label("is_transferred"))
        .where(condition)
        .options(joinedload(Practice.origin))
        .order_by(Practice.title, Practice.id)
    ).all()
    first = [practice for practice, is_transferred in rows if is_transferred]
    others = [practice for practice, is_transferred in rows if not is_transferred]
    return first, others


def linkable_practice(pairing: Pairing, practice_id, current_id: int | None = None):
    """The practice `practice_id` names if an action of `pairing` may link to it: a
    published one, one the pairing transfers, or the one it links to now; else None."""
    if not is_possible_id(practice_id):
        return None
    transferred = (
        sa.select(Transfer.id)
        .where(Transfer.pairing_id == pairing.id, Transfer.practice_id == Practice.id)
        .exists()
    )
    condition = sa.or_(Practice.status == PracticeStatus.PUBLISHED, transferred)
    if current_id is not None:
        condition = sa.or_(condition, Practice.id == current_id)
    return db.session.scalar(sa.select(Practice).where(Practice.id == practice_id, condition))
