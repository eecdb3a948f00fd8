"""The event-level history of a pairing, for the CSV and the workbook's History sheet: one
row per activity, plan status change, action status change, indicator measurement, risk
change, phase change, lifecycle step and replaced partner, oldest first.

Each kind of event comes from its own query, ordered by date and read in batches
(`yield_per`), and the kinds are merged by date (heapq.merge): a history of ten years costs
the same eight queries and little memory. Dates and times are those of the pairing's time
zone, where its activities are dated. Rows name organisations, never people: the report goes
to funders.
"""

import datetime as dt
import heapq
from collections.abc import Iterator
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import aliased

from exchange import timezones
from exchange.accounts.models import User
from exchange.activities.models import (
    STATUS_LABELS as ACTIVITY_STATUS_LABELS,
)
from exchange.activities.models import (
    TYPE_LABELS,
    Activity,
    ActivityStatus,
    ActivityType,
)
from exchange.db import db
from exchange.organisations.models import Organisation
from exchange.pairings.models import (
    SIDE_LABELS,
    STATUS_LABELS,
    STEP_LABELS,
    PairingStep,
    PartnerChange,
    PhaseChange,
    phase_label,
)
from exchange.plans.models import (
    ACTION_STATUS_LABELS,
    INDICATOR_TYPE_LABELS,
    PLAN_STATUS_LABELS,
    RISK_STATUS_LABELS,
    Action,
    ActionStatusChange,
    Indicator,
    Measurement,
    PlanStatusChange,
    Risk,
    RiskChange,
)
from exchange.reports.period import Period

# Rows read from the database at a time, per kind of event.
BATCH = 500
# A day without a time (a plan adopted, a value measured) sorts at noon of that day.
NOON = dt.time(12)

COLUMNS = (
    _l("Date"),
    None,  # the time, with its zone
    _l("Event"),
    _l("Type"),
    _l("Subject"),
    _l("Before"),
    _l("After"),
    _l("Value"),
    _l("Unit"),
    _l("Organisation"),
    _l("Note"),
)


def header(time_zone: str | None = None) -> list[str]:
    """The column names in the reader's language; the time column says its zone."""
    zone = time_zone or timezones.DEFAULT_TIME_ZONE
    time_column = _("Time (%(zone)s)", zone=zone.replace("_", " "))
    return [time_column if name is None else str(name) for name in COLUMNS]


def rows(pairing_id: int, period: Period, time_zone: str) -> Iterator[tuple]:
    """The history of the pairing within `period` (by local day), oldest first."""
    zone = timezones.zone(time_zone)
    sources = [
        _ranked(rank, source(pairing_id, period, time_zone, zone))
        for rank, source in enumerate(SOURCES)
    ]
    for _key, row in heapq.merge(*sources, key=lambda entry: entry[0]):
        yield row


def _ranked(rank: int, entries):
    """Sort events of the same moment by kind (a step before the phase it opens), then id."""
    for moment, row_id, row in entries:
        yield (moment, rank, row_id), row


def _stream(query):
    return db.session.execute(query.execution_options(yield_per=BATCH))


def _within(query, column, period: Period, time_zone: str):
    """Limit a query to the period: a moment column by the UTC bounds of the local days,
    a date column by the days themselves."""
    if isinstance(column.type, sa.Date):
        lower, upper = period.start, period.end
        if lower is not None:
            query = query.where(column >= lower)
        if upper is not None:
            query = query.where(column <= upper)
        return query
    lower, upper = period.bounds(time_zone)
    if lower is not None:
        query = query.where(column >= lower)
    if upper is not None:
        query = query.where(column < upper)
    return query


def _moment(when: dt.datetime, zone) -> tuple[dt.datetime, dt.date, str]:
    """A UTC moment as its sort key, its local day and its local time."""
    local = when.astimezone(zone)
    return when, local.date(), local.strftime("%H:%M")


def _day_key(day: dt.date, time_zone: str) -> dt.datetime:
    return timezones.to_utc(day, NOON, time_zone)


def _label(labels: dict, key) -> str:
    if key is None:
        return ""
    return str(labels.get(key, key))


def plain_number(value: Decimal | None) -> Decimal | None:
    """A quantity without the database's trailing zeros (12.5000 is 12.5, 100.0000 is 100)."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def activity_type_label(kind: str, study_visit_round: int | None) -> str:
    """The type of an activity in words, as Activity.type_label says it."""
    label = str(TYPE_LABELS.get(kind, kind))
    if kind == ActivityType.STUDY_VISIT and study_visit_round:
        return _("%(type)s %(round)d", type=label, round=study_visit_round)
    return label


def _row(day, time, event, subject, organisation, **cells) -> tuple:
    """A row in the order of the columns; `cells` gives kind, before, after, value, unit
    and note where the event has them."""
    return (
        day,
        time,
        str(event),
        cells.get("kind", ""),
        subject or "",
        cells.get("before", ""),
        cells.get("after", ""),
        cells.get("value"),
        cells.get("unit", ""),
        organisation or "",
        cells.get("note") or "",
    )


# One generator per kind of event: each yields (moment, id, row) in date order.


def _activities(pairing_id, period, time_zone, zone):
    """Activities by their local start day (those that began before the period and end in
    it included, as in the report); the host is their organisation and a held
    activity's value is the people counted at it."""
    people = (
        Activity.participants_mentor
        + Activity.participants_mentee
        + Activity.participants_associations
        + Activity.participants_others
    )
    query = (
        sa.select(
            Activity.id,
            Activity.starts_at,
            Activity.start_date,
            Activity.start_time,
            Activity.type,
            Activity.study_visit_round,
            Activity.title,
            Activity.status,
            people.label("participants"),
            Organisation.name.label("host"),
        )
        .outerjoin(Organisation, Organisation.id == Activity.host_id)
        .where(Activity.pairing_id == pairing_id)
        .order_by(Activity.starts_at, Activity.id)
    )
    # the activities the report counts: those whose days touch the period (queries.activities_in)
    if period.end is not None:
        query = query.where(Activity.start_date <= period.end)
    if period.start is not None:
        query = query.where(
            sa.func.coalesce(Activity.end_date, Activity.start_date) >= period.start
        )
    for row in _stream(query):
        counted = row.status == ActivityStatus.HELD and row.participants > 0
        time = row.start_time.strftime("%H:%M") if row.start_time else ""
        yield (
            row.starts_at,
            row.id,
            _row(
                row.start_date,
                time,
                _("Activity"),
                row.title,
                row.host,
                kind=activity_type_label(row.type, row.study_visit_round),
                after=_label(ACTIVITY_STATUS_LABELS, row.status),
                value=row.participants if counted else None,
                unit=_("participants") if counted else "",
            ),
        )


def _plan_changes(pairing_id, period, time_zone, zone):
    """The plan's status on the day it took effect (a council adopts on a given day)."""
    query = (
        sa.select(
            PlanStatusChange.id,
            PlanStatusChange.effective_date,
            PlanStatusChange.from_status,
            PlanStatusChange.to_status,
            Organisation.name.label("organisation"),
        )
        .outerjoin(Organisation, Organisation.id == PlanStatusChange.actor_organisation_id)
        .where(PlanStatusChange.pairing_id == pairing_id)
        .order_by(PlanStatusChange.effective_date, PlanStatusChange.id)
    )
    for row in _stream(_within(query, PlanStatusChange.effective_date, period, time_zone)):
        yield (
            _day_key(row.effective_date, time_zone),
            row.id,
            _row(
                row.effective_date,
                "",
                _("Action plan status changed"),
                _("Action plan"),
                row.organisation,
                before=_label(PLAN_STATUS_LABELS, row.from_status),
                after=_label(PLAN_STATUS_LABELS, row.to_status),
            ),
        )


def _status_changes(model, parent, subject, event_added, event_changed, labels):
    """A source of status changes of actions or risks (a row without `from_status` is the
    action added or the risk noted)."""

    def source(pairing_id, period, time_zone, zone):
        query = (
            sa.select(
                model.id,
                model.changed_dt,
                model.from_status,
                model.to_status,
                subject.label("subject"),
                Organisation.name.label("organisation"),
            )
            .join(parent)
            .outerjoin(Organisation, Organisation.id == model.actor_organisation_id)
            .where(model.pairing_id == pairing_id)
            .order_by(model.changed_dt, model.id)
        )
        for row in _stream(_within(query, model.changed_dt, period, time_zone)):
            key, day, time = _moment(row.changed_dt, zone)
            event = event_added if row.from_status is None else event_changed
            yield (
                key,
                row.id,
                _row(
                    day,
                    time,
                    event,
                    row.subject,
                    row.organisation,
                    before=_label(labels, row.from_status),
                    after=_label(labels, row.to_status),
                ),
            )

    return source


_action_changes = _status_changes(
    ActionStatusChange,
    Action,
    Action.title,
    _l("Action added"),
    _l("Action status changed"),
    ACTION_STATUS_LABELS,
)
_risk_changes = _status_changes(
    RiskChange,
    Risk,
    Risk.description,
    _l("Risk noted"),
    _l("Risk status changed"),
    RISK_STATUS_LABELS,
)


def _measurements(pairing_id, period, time_zone, zone):
    query = (
        sa.select(
            Measurement.id,
            Measurement.measured_on,
            Measurement.value,
            Measurement.note,
            Indicator.name,
            Indicator.type,
            Indicator.unit,
            Organisation.name.label("organisation"),
        )
        .join(Indicator, Indicator.id == Measurement.indicator_id)
        .outerjoin(Organisation, Organisation.id == Measurement.actor_organisation_id)
        .where(Measurement.pairing_id == pairing_id)
        .order_by(Measurement.measured_on, Measurement.id)
    )
    for row in _stream(_within(query, Measurement.measured_on, period, time_zone)):
        yield (
            _day_key(row.measured_on, time_zone),
            row.id,
            _row(
                row.measured_on,
                "",
                _("Indicator measured"),
                row.name,
                row.organisation,
                kind=_label(INDICATOR_TYPE_LABELS, row.type),
                value=plain_number(row.value),
                unit=row.unit or "",
                note=row.note,
            ),
        )


def _phase_changes(pairing_id, period, time_zone, zone):
    """Phase changes; their organisation is the one of the person who moved the phase."""
    query = (
        sa.select(
            PhaseChange.id,
            PhaseChange.changed_dt,
            PhaseChange.from_phase,
            PhaseChange.phase,
            PhaseChange.reason,
            Organisation.name.label("organisation"),
        )
        .outerjoin(User, User.id == PhaseChange.actor_id)
        .outerjoin(Organisation, Organisation.id == User.organisation_id)
        .where(PhaseChange.pairing_id == pairing_id)
        .order_by(PhaseChange.changed_dt, PhaseChange.id)
    )
    for row in _stream(_within(query, PhaseChange.changed_dt, period, time_zone)):
        key, day, time = _moment(row.changed_dt, zone)
        is_back = row.from_phase is not None and row.phase < row.from_phase
        yield (
            key,
            row.id,
            _row(
                day,
                time,
                _("Phase moved back") if is_back else _("Phase changed"),
                phase_label(row.phase),
                row.organisation,
                before=phase_label(row.from_phase),
                after=phase_label(row.phase),
                value=row.phase,
                note=row.reason,
            ),
        )


def _steps(pairing_id, period, time_zone, zone):
    """Lifecycle steps (proposed, accepted, confirmed ...). Their messages stay out: they
    are letters between people, often signed with a name."""
    query = (
        sa.select(
            PairingStep.id,
            PairingStep.created_dt,
            PairingStep.step,
            PairingStep.from_status,
            PairingStep.to_status,
            Organisation.name.label("organisation"),
        )
        .outerjoin(Organisation, Organisation.id == PairingStep.actor_organisation_id)
        .where(PairingStep.pairing_id == pairing_id)
        .order_by(PairingStep.created_dt, PairingStep.id)
    )
    for row in _stream(_within(query, PairingStep.created_dt, period, time_zone)):
        key, day, time = _moment(row.created_dt, zone)
        yield (
            key,
            row.id,
            _row(
                day,
                time,
                _("Pairing step"),
                _label(STEP_LABELS, row.step),
                row.organisation,
                before=_label(STATUS_LABELS, row.from_status),
                after=_label(STATUS_LABELS, row.to_status),
            ),
        )


def _partner_changes(pairing_id, period, time_zone, zone):
    """A replaced mentor or mentee: the old and the new city, and why."""
    old, new, actor_org = aliased(Organisation), aliased(Organisation), aliased(Organisation)
    query = (
        sa.select(
            PartnerChange.id,
            PartnerChange.changed_dt,
            PartnerChange.side,
            PartnerChange.reason,
            old.name.label("old"),
            new.name.label("new"),
            actor_org.name.label("organisation"),
        )
        .outerjoin(old, old.id == PartnerChange.old_organisation_id)
        .outerjoin(new, new.id == PartnerChange.new_organisation_id)
        .outerjoin(User, User.id == PartnerChange.actor_id)
        .outerjoin(actor_org, actor_org.id == User.organisation_id)
        .where(PartnerChange.pairing_id == pairing_id)
        .order_by(PartnerChange.changed_dt, PartnerChange.id)
    )
    for row in _stream(_within(query, PartnerChange.changed_dt, period, time_zone)):
        key, day, time = _moment(row.changed_dt, zone)
        yield (
            key,
            row.id,
            _row(
                day,
                time,
                _("Partner replaced"),
                _label(SIDE_LABELS, row.side),
                row.organisation,
                before=row.old or "",
                after=row.new or "",
                note=row.reason,
            ),
        )


SOURCES = (
    _steps,
    _activities,
    _plan_changes,
    _action_changes,
    _measurements,
    _risk_changes,
    _phase_changes,
    _partner_changes,
)
