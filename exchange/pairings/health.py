"""The health of an active pairing: green, amber or red, always with its reasons in words.

A pairing is judged on the days (from one UTC date to another) since its last held activity
(or, when none was held since it was confirmed or last resumed after a hold, since then) and
on its overdue actions (past their due date, not done and not dropped). The thresholds are
configuration:

  HEALTH_AMBER_AFTER_DAYS   amber when the last activity is this many days old (default 45)
  HEALTH_RED_AFTER_DAYS     red when it is this many days old (default 90)
  HEALTH_AMBER_OVERDUE      amber from this many overdue actions (default 1)
  HEALTH_RED_OVERDUE        red from this many overdue actions (default 3)

`judge()` is the rule; `sql_case()` is the same rule in SQL, so that lists can filter on
health and still paginate in the database.
"""

import datetime as dt
import enum
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext


class Health(enum.StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"


HEALTH_LABELS = {
    Health.GREEN: _l("On track"),
    Health.AMBER: _l("Needs attention"),
    Health.RED: _l("At risk"),
}
_RANK = {Health.GREEN: 0, Health.AMBER: 1, Health.RED: 2}


@dataclass(frozen=True)
class Thresholds:
    amber_after_days: int = 45
    red_after_days: int = 90
    amber_overdue: int = 1
    red_overdue: int = 3

    @classmethod
    def from_config(cls) -> "Thresholds":
        config = current_app.config
        return cls(
            amber_after_days=config["HEALTH_AMBER_AFTER_DAYS"],
            red_after_days=config["HEALTH_RED_AFTER_DAYS"],
            amber_overdue=config["HEALTH_AMBER_OVERDUE"],
            red_overdue=config["HEALTH_RED_OVERDUE"],
        )


@dataclass(frozen=True)
class Verdict:
    health: Health
    reasons: list

    @property
    def label(self) -> str:
        return str(HEALTH_LABELS[self.health])


def _worst(a: Health, b: Health) -> Health:
    return a if _RANK[a] >= _RANK[b] else b


def days_since(moment: dt.datetime, now: dt.datetime) -> int:
    """Whole days from the day of `moment` to the day of `now` (UTC): an activity held on a
    date 44 days ago was held 44 days ago, whatever the hour it ended."""
    return max(0, (now.astimezone(dt.UTC).date() - moment.astimezone(dt.UTC).date()).days)


def _first_moment_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=dt.UTC)


def judge(
    last_activity_dt: dt.datetime | None,
    confirmed_dt: dt.datetime,
    now: dt.datetime,
    thresholds: Thresholds,
    overdue_actions: int = 0,
    resumed_dt: dt.datetime | None = None,
) -> Verdict:
    """Judge an active pairing; the worst of the two measures wins. The clock starts at the
    confirmation, or when the pairing was last resumed after a hold: an activity held before
    then (a kick-off before the confirmation) does not count, and nor do the months on hold."""
    reasons = []
    resumed = resumed_dt is not None and resumed_dt > confirmed_dt
    start = resumed_dt if resumed else confirmed_dt
    counts = last_activity_dt is not None and last_activity_dt >= start
    reference = last_activity_dt if counts else start
    days = days_since(reference, now)
    if counts:
        reasons.append(
            _l("The last activity was held today.")
            if days == 0
            else lazy_ngettext(
                "The last activity was held %(num)d day ago.",
                "The last activity was held %(num)d days ago.",
                days,
            )
        )
    elif resumed:
        reasons.append(
            _l("No activity held since the pairing resumed today.")
            if days == 0
            else lazy_ngettext(
                "No activity held since the pairing resumed %(num)d day ago.",
                "No activity held since the pairing resumed %(num)d days ago.",
                days,
            )
        )
    elif last_activity_dt is None:
        reasons.append(
            _l("No activity held yet; confirmed today.")
            if days == 0
            else lazy_ngettext(
                "No activity held yet; confirmed %(num)d day ago.",
                "No activity held yet; confirmed %(num)d days ago.",
                days,
            )
        )
    else:
        reasons.append(
            _l("No activity held since the confirmation today.")
            if days == 0
            else lazy_ngettext(
                "No activity held since the confirmation %(num)d day ago.",
                "No activity held since the confirmation %(num)d days ago.",
                days,
            )
        )
    if days >= thresholds.red_after_days:
        health = Health.RED
    elif days >= thresholds.amber_after_days:
        health = Health.AMBER
    else:
        health = Health.GREEN
    if overdue_actions:
        reasons.append(
            lazy_ngettext(
                "%(num)d action of the plan is overdue.",
                "%(num)d actions of the plan are overdue.",
                overdue_actions,
            )
        )
    if overdue_actions >= thresholds.red_overdue:
        health = _worst(health, Health.RED)
    elif overdue_actions >= thresholds.amber_overdue:
        health = _worst(health, Health.AMBER)
    return Verdict(health, reasons)


def sql_reference(last_activity, confirmed, resumed):
    """The moment `judge` counts from, in SQL: the last held activity if it came after the
    start (the confirmation, or the last resumption after a hold), else the start."""
    start = sa.case((resumed > confirmed, resumed), else_=confirmed)
    return sa.case((last_activity >= start, last_activity), else_=start)


def sql_case(reference, overdue, now: dt.datetime, thresholds: Thresholds):
    """The rule of `judge` as a SQL expression giving 'green', 'amber' or 'red', from the
    reference moment (`sql_reference`) and the number of overdue actions."""
    # days_since(reference, now) >= N  <=>  reference is before the start of day (today - N + 1)
    today = now.astimezone(dt.UTC).date()

    def at_least(days: int):
        return reference < _first_moment_of(today - dt.timedelta(days=days - 1))

    return sa.case(
        (
            sa.or_(
                at_least(thresholds.red_after_days),
                overdue >= thresholds.red_overdue,
            ),
            Health.RED.value,
        ),
        (
            sa.or_(
                at_least(thresholds.amber_after_days),
                overdue >= thresholds.amber_overdue,
            ),
            Health.AMBER.value,
        ),
        else_=Health.GREEN.value,
    )
