"""A pairing's story, newest first: lifecycle steps, phase changes, activities held or
planned, the action plan's status changes, actions done and indicator measurements.

Each kind of entry comes from its own table; a page of the timeline takes the newest
`offset + limit` rows of each (one query per kind, whatever the amount of data) and merges
them by date.
"""

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from exchange.activities.models import Activity, ActivityStatus
from exchange.db import db
from exchange.pairings.models import PairingStep, PhaseChange
from exchange.plans.models import ActionStatus, ActionStatusChange, Measurement, PlanStatusChange

# The kinds of entry, as the template names them.
STEP = "step"
PHASE = "phase"
ACTIVITY = "activity"
PLAN = "plan"
ACTION_DONE = "action_done"
MEASUREMENT = "measurement"


@dataclass
class Entry:
    kind: str
    when: dt.datetime  # for ordering; the template shows `day`
    day: dt.date
    item: object


def _noon(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)


def _sources(pairing_id: int, now: dt.datetime):
    """(kind, query newest first, moment of a row) for every kind of entry. Activities that
    have not started yet are not part of the story (the overview lists them as coming up)."""
    return (
        (
            STEP,
            sa.select(PairingStep)
            .where(PairingStep.pairing_id == pairing_id)
            .options(joinedload(PairingStep.actor), joinedload(PairingStep.actor_organisation))
            .order_by(PairingStep.created_dt.desc(), PairingStep.id.desc()),
            lambda row: row.created_dt,
        ),
        (
            PHASE,
            sa.select(PhaseChange)
            .where(PhaseChange.pairing_id == pairing_id)
            .options(joinedload(PhaseChange.actor))
            .order_by(PhaseChange.changed_dt.desc(), PhaseChange.id.desc()),
            lambda row: row.changed_dt,
        ),
        (
            ACTIVITY,
            sa.select(Activity)
            .where(
                Activity.pairing_id == pairing_id,
                Activity.status != ActivityStatus.CANCELLED,
                Activity.starts_at <= now,
            )
            .order_by(Activity.starts_at.desc(), Activity.id.desc()),
            lambda row: row.starts_at,
        ),
        (
            PLAN,
            sa.select(PlanStatusChange)
            .where(PlanStatusChange.pairing_id == pairing_id)
            .options(joinedload(PlanStatusChange.actor_organisation))
            .order_by(PlanStatusChange.effective_date.desc(), PlanStatusChange.id.desc()),
            lambda row: _noon(row.effective_date),
        ),
        (
            ACTION_DONE,
            sa.select(ActionStatusChange)
            .where(
                ActionStatusChange.pairing_id == pairing_id,
                ActionStatusChange.to_status == ActionStatus.DONE,
            )
            .options(
                joinedload(ActionStatusChange.action),
                joinedload(ActionStatusChange.actor_organisation),
            )
            .order_by(ActionStatusChange.changed_dt.desc(), ActionStatusChange.id.desc()),
            lambda row: row.changed_dt,
        ),
        (
            MEASUREMENT,
            sa.select(Measurement)
            .where(Measurement.pairing_id == pairing_id)
            .options(joinedload(Measurement.indicator))
            .order_by(Measurement.measured_on.desc(), Measurement.id.desc()),
            lambda row: _noon(row.measured_on),
        ),
    )


def _day(kind: str, item, when: dt.datetime) -> dt.date:
    if kind == ACTIVITY:
        return item.start_date  # the local day, not the UTC one
    if kind == PLAN:
        return item.effective_date
    if kind == MEASUREMENT:
        return item.measured_on
    return when.date()


def entries(pairing_id: int, now: dt.datetime, limit: int, offset: int = 0) -> list[Entry]:
    """The entries `offset` to `offset + limit` of the pairing's timeline, newest first."""
    found = []
    for kind, query, moment in _sources(pairing_id, now):
        for item in db.session.scalars(query.limit(offset + limit)):
            when = moment(item)
            found.append(Entry(kind, when, _day(kind, item, when), item))
    found.sort(key=lambda entry: entry.when, reverse=True)
    return found[offset : offset + limit]


def count(pairing_id: int, now: dt.datetime) -> int:
    """How many entries the timeline has (one query)."""
    counts = [
        sa.select(sa.func.count()).select_from(query.order_by(None).subquery())
        for _kind, query, _moment in _sources(pairing_id, now)
    ]
    return db.session.scalar(
        sa.select(sum((c.scalar_subquery() for c in counts[1:]), counts[0].scalar_subquery()))
    )


@dataclass
class Page:
    """One page of the timeline, shaped like Flask-SQLAlchemy's pagination."""

    items: list[Entry]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


def page_of(pairing_id: int, now: dt.datetime, page: int, per_page: int) -> Page | None:
    """A page of the timeline, or None for a page past the last one."""
    total = count(pairing_id, now)
    if page > 1 and (page - 1) * per_page >= total:
        return None
    items = entries(pairing_id, now, per_page, (page - 1) * per_page)
    return Page(items, page, per_page, total)
