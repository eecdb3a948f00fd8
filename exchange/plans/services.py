"""Everything that changes an action plan, its actions, indicators, measurements and risks.

Services check who may act, flush, and write an audit event (and a status-change row for
the pairing's timeline); they never commit. Edits go through optimistic locking
(exchange/editing.py): the caller has locked the row and passes the version its form was
opened with.

The plan's status may move back (a council sends an adopted plan back for review): that
is the truth to record, so it is allowed, and kept as a status change like any other.
"""

import datetime as dt
from decimal import Decimal

from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from exchange import audit, editing
from exchange.db import db, utcnow
from exchange.domain import DomainError
from exchange.pairings.models import Pairing
from exchange.plans import queries
from exchange.plans.models import (
    Action,
    ActionPlan,
    ActionStatusChange,
    Indicator,
    Measurement,
    PlanStatusChange,
    Risk,
    RiskChange,
)
from exchange.timezones import zone

EARLIEST_DATE = dt.date(1900, 1, 1)


def today() -> dt.date:
    """The day overdue actions are counted on (the same everywhere: the UTC date)."""
    return utcnow().date()


def local_today(pairing: Pairing) -> dt.date:
    """The day it is in the pairing's time zone: the latest date a record may carry."""
    return utcnow().astimezone(zone(pairing.time_zone)).date()


def _ensure_can_keep_records(user, pairing: Pairing) -> None:
    if not pairing.can_keep_records(user):
        raise DomainError(
            _l("Only the coordinators of the two cities keep the action plan of a pairing.")
        )


def _actor(user) -> dict:
    return {
        "actor_id": getattr(user, "id", None),
        "actor_organisation_id": getattr(user, "organisation_id", None),
    }


def _created(user, action: str, record, values: dict) -> None:
    """Audit the creation of a versioned record: every field it was given, version 0 → 1."""
    fields = {name: (None, value) for name, value in values.items() if value is not None}
    audit.record(user, action, record, **fields, version=(0, record.version))


# The plan


def save_plan(
    user, pairing: Pairing, seen_version: int | None, values: dict, status_date: dt.date | None
) -> ActionPlan:
    """Write the pairing's one plan: create it on the first save, else edit it.

    The caller has locked the pairing, so two first saves at once are served one after the
    other and the second finds the plan; should one slip through, the unique pairing id
    refuses it and it is handled the same way."""
    _ensure_can_keep_records(user, pairing)
    plan = queries.plan_of(pairing.id, lock=True)
    if plan is None:
        _check_status_date(pairing, status_date, None)
        plan = ActionPlan(pairing_id=pairing.id, version=1, **values)
        try:
            with db.session.begin_nested():
                db.session.add(plan)
        except IntegrityError:  # made by someone else in between: this save edits it
            plan = queries.plan_of(pairing.id, lock=True)
        else:
            _plan_status_change(user, plan, None, status_date)
            _created(user, "actionplan.create", plan, {**values, "status_date": status_date})
            return plan
    _update_plan(user, pairing, plan, seen_version, values, status_date)
    return plan


def _update_plan(user, pairing, plan, seen_version, values, status_date) -> None:
    # A form opened before the plan existed saw no version: anything saved since is news.
    seen = 0 if seen_version is None else seen_version
    before = plan.status
    moves = values["status"] != before and seen == plan.version
    if moves:
        _check_status_date(pairing, status_date, queries.latest_status_date(plan))
    extra = {"status_date": (None, status_date)} if moves else {}
    changes = editing.save(user, plan, values, seen, "actionplan.edit", **extra)
    if "status" in changes:
        _plan_status_change(user, plan, before, status_date)


def _check_status_date(pairing, status_date, latest: dt.date | None) -> None:
    if status_date is None:
        raise DomainError(_l("Enter the date the plan reached this status."), "status_date")
    if status_date > local_today(pairing):
        raise DomainError(
            _l("The date cannot be in the future: record the status once it is reached."),
            "status_date",
        )
    if latest is not None and status_date < latest:
        raise DomainError(
            _l(
                "The plan's last status change is dated %(date)s: enter that day or a later one.",
                date=format_date(latest),
            ),
            "status_date",
        )


def _plan_status_change(user, plan: ActionPlan, before: str | None, day: dt.date) -> None:
    change = PlanStatusChange(
        plan=plan,
        pairing_id=plan.pairing_id,
        from_status=before,
        to_status=plan.status,
        effective_date=day,
        **_actor(user),
    )
    db.session.add(change)
    db.session.flush()


# Actions


def _check_action(values: dict) -> None:
    start, due = values.get("start_date"), values.get("due_date")
    if start is not None and due is not None and due < start:
        raise DomainError(
            _l("The due date cannot be before the start date (%(date)s).", date=format_date(start)),
            "due_date",
        )


def _practice(pairing: Pairing, practice_id, current_id=None):
    if practice_id is None:
        return None
    practice = queries.linkable_practice(pairing, practice_id, current_id)
    if practice is None:
        raise DomainError(_l("Choose a practice from the list."), "practice_id")
    return practice


def create_action(user, pairing: Pairing, values: dict, practice_id: int | None) -> Action:
    _ensure_can_keep_records(user, pairing)
    _check_action(values)
    practice = _practice(pairing, practice_id)
    action = Action(
        pairing_id=pairing.id,
        practice_id=practice.id if practice else None,
        created_by_id=getattr(user, "id", None),
        version=1,
        **values,
    )
    db.session.add(action)
    db.session.flush()
    _action_status_change(user, action, None)
    _created(
        user, "action.create", action, {**values, "practice": practice.title if practice else None}
    )
    return action


def update_action(
    user, action: Action, seen_version: int | None, values: dict, practice_id: int | None
) -> dict:
    _ensure_can_keep_records(user, action.pairing)
    _check_action(values)
    practice = _practice(action.pairing, practice_id, action.practice_id)
    before = action.status
    changes = editing.save(
        user,
        action,
        {**values, "practice_id": practice.id if practice else None},
        seen_version,
        "action.edit",
    )
    if "status" in changes:
        _action_status_change(user, action, before)
    return changes


def _action_status_change(user, action: Action, before: str | None) -> None:
    db.session.add(
        ActionStatusChange(
            action=action,
            pairing_id=action.pairing_id,
            from_status=before,
            to_status=action.status,
            **_actor(user),
        )
    )
    db.session.flush()


# Indicators and measurements


def _check_indicator(values: dict) -> None:
    if values["target"] == values["baseline"]:
        raise DomainError(_l("The target must differ from the baseline."), "target")


def create_indicator(user, pairing: Pairing, values: dict) -> Indicator:
    _ensure_can_keep_records(user, pairing)
    _check_indicator(values)
    indicator = Indicator(
        pairing_id=pairing.id, created_by_id=getattr(user, "id", None), version=1, **values
    )
    db.session.add(indicator)
    db.session.flush()
    _created(user, "indicator.create", indicator, values)
    return indicator


def update_indicator(user, indicator: Indicator, seen_version: int | None, values: dict) -> dict:
    _ensure_can_keep_records(user, indicator.pairing)
    _check_indicator(values)
    return editing.save(user, indicator, values, seen_version, "indicator.edit")


def add_measurement(
    user, indicator: Indicator, value: Decimal, measured_on: dt.date, note: str | None
) -> Measurement:
    pairing = indicator.pairing
    _ensure_can_keep_records(user, pairing)
    if measured_on > local_today(pairing):
        raise DomainError(
            _l("The date cannot be in the future: record a value once it is measured."),
            "measured_on",
        )
    if measured_on < EARLIEST_DATE:
        raise DomainError(_l("Enter a date from the year 1900 on."), "measured_on")
    measurement = Measurement(
        indicator=indicator,
        pairing_id=indicator.pairing_id,
        value=value,
        measured_on=measured_on,
        note=note,
        **_actor(user),
    )
    db.session.add(measurement)
    db.session.flush()
    audit.record(
        user,
        "measurement.create",
        measurement,
        indicator=(None, indicator.name),
        value=(None, value),
        measured_on=(None, measured_on),
        note=(None, note),
    )
    return measurement


def remove_measurement(user, measurement: Measurement) -> None:
    """Remove a measurement entered by mistake; the audit trail keeps what it was."""
    indicator = measurement.indicator
    _ensure_can_keep_records(user, indicator.pairing)
    audit.record(
        user,
        "measurement.remove",
        measurement,
        indicator=(indicator.name, None),
        value=(measurement.value, None),
        measured_on=(measurement.measured_on, None),
        note=(measurement.note, None),
    )
    indicator.measurements.remove(measurement)
    db.session.delete(measurement)
    db.session.flush()


# Risks


def create_risk(user, pairing: Pairing, values: dict) -> Risk:
    _ensure_can_keep_records(user, pairing)
    risk = Risk(pairing_id=pairing.id, created_by_id=getattr(user, "id", None), version=1, **values)
    db.session.add(risk)
    db.session.flush()
    _risk_change(user, risk, None)
    _created(user, "risk.create", risk, values)
    return risk


def update_risk(user, risk: Risk, seen_version: int | None, values: dict) -> dict:
    _ensure_can_keep_records(user, risk.pairing)
    before = risk.status
    changes = editing.save(user, risk, values, seen_version, "risk.edit")
    if "status" in changes:
        _risk_change(user, risk, before)
    return changes


def _risk_change(user, risk: Risk, before: str | None) -> None:
    db.session.add(
        RiskChange(
            risk=risk,
            pairing_id=risk.pairing_id,
            from_status=before,
            to_status=risk.status,
            **_actor(user),
        )
    )
    db.session.flush()
