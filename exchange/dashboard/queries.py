"""Read-only queries of the dashboard: the pairings a user follows, each with its monitoring
figures, and the totals of the filtered set.

Only pairings whose details the user may see are listed (`details_visible_to`: a
coordinator's own city's, an officer's association's, all for admins), never the public
summaries of others: health and overdue actions are monitoring data. Every figure is a
correlated subquery of the one row query, so a page costs the same few queries (totals, one
page of rows, their programmes and cities, the filter choices) whatever the number of
pairings, and filtering and sorting happen in the database.
"""

import datetime as dt
import math
from collections.abc import Iterator
from dataclasses import dataclass

import sqlalchemy as sa
from flask import abort
from sqlalchemy.orm import aliased, selectinload

from exchange import timezones
from exchange.activities.models import Activity, ActivityStatus
from exchange.dashboard.forms import ANY_STATUS, OPEN, RUNNING
from exchange.db import db
from exchange.organisations.models import Organisation
from exchange.pairings.health import Health, Thresholds, Verdict, days_since, judge, sql_reference
from exchange.pairings.models import OPEN_STATUSES, RUNNING_STATUSES, Pairing, Status
from exchange.pairings.queries import (
    details_visible_to,
    health_sql,
    last_held_sql,
    last_resumed_sql,
)
from exchange.plans.models import Indicator, Measurement
from exchange.plans.queries import overdue_count_sql
from exchange.programmes.models import Programme

# Rows fetched at a time when a download walks the whole filtered set.
CHUNK = 200

_ROW_OPTIONS = (
    selectinload(Pairing.programme),
    selectinload(Pairing.mentor),
    selectinload(Pairing.mentee),
    selectinload(Pairing.mentor_association),
    selectinload(Pairing.mentee_association),
)


def may_use_dashboard(user) -> bool:
    """Coordinators (their own pairings), association officers and admins; participants
    read their pairings' reports instead."""
    return bool(
        getattr(user, "is_authenticated", False)
        and (user.is_admin or user.is_coordinator or user.is_officer)
    )


# The figures of a pairing, as SQL on the `Pairing` row of the enclosing query


def held_this_year_sql(today: dt.date):
    """How many activities the pairing held this calendar year (by their local date)."""
    return (
        sa.select(sa.func.count(Activity.id))
        .where(
            Activity.pairing_id == Pairing.id,
            Activity.status == ActivityStatus.HELD,
            Activity.start_date >= dt.date(today.year, 1, 1),
            Activity.start_date <= dt.date(today.year, 12, 31),
        )
        .correlate(Pairing)
        .scalar_subquery()
    )


def _clamped_share(value, baseline, target):
    """`exchange.plans.models.progress` in SQL: the share of the way from baseline to target,
    between 0 and 1 (floats, so that SQLite does not divide integers)."""
    value, baseline, target = (sa.cast(x, sa.Float) for x in (value, baseline, target))
    share = sa.case(
        (target == baseline, sa.case((value == target, 1.0), else_=0.0)),
        else_=(value - baseline) / (target - baseline),
    )
    return sa.case((share < 0.0, 0.0), (share > 1.0, 1.0), else_=share)


def indicator_progress_sql():
    """The mean progress of the pairing's measured indicators (0.0 to 1.0; NULL when none is
    measured): `exchange.plans.queries.indicator_progress` as a correlated subquery."""
    latest = (
        sa.select(Measurement.value)
        .where(Measurement.indicator_id == Indicator.id)
        .order_by(Measurement.measured_on.desc(), Measurement.id.desc())
        .limit(1)
        .correlate(Indicator)
        .scalar_subquery()
    )
    measured = sa.select(
        Indicator.pairing_id.label("pairing_id"),
        Indicator.baseline.label("baseline"),
        Indicator.target.label("target"),
        latest.label("value"),
    ).subquery()
    return (
        sa.select(
            sa.func.avg(_clamped_share(measured.c.value, measured.c.baseline, measured.c.target))
        )
        .where(measured.c.pairing_id == Pairing.id, measured.c.value.is_not(None))
        .correlate(Pairing)
        .scalar_subquery()
    )


def _is_judged():
    """Health is judged for active pairings (confirmed); the others have none."""
    return sa.and_(Pairing.status == Status.ACTIVE, Pairing.confirmed_dt.is_not(None))


class Figures:
    """The SQL expressions of one request's figures (they depend on the clock)."""

    def __init__(self, now: dt.datetime):
        self.now = now
        today = now.astimezone(dt.UTC).date()
        self.thresholds = Thresholds.from_config()
        self.last_held = last_held_sql()
        self.resumed = last_resumed_sql()
        self.overdue = overdue_count_sql(today)
        self.held_this_year = held_this_year_sql(today)
        self.progress = indicator_progress_sql()
        self.health = sa.case((_is_judged(), health_sql(now)), else_=sa.null())
        silent_since = dt.datetime.combine(
            today - dt.timedelta(days=self.thresholds.red_after_days - 1), dt.time(0), dt.UTC
        )
        reference = sql_reference(last_held_sql(), Pairing.confirmed_dt, last_resumed_sql())
        # active pairings without a held activity for the red threshold (counted from their
        # start, as health counts)
        self.is_silent = sa.and_(_is_judged(), reference < silent_since)

    def health_rank(self):
        return sa.case(
            (self.health == Health.RED.value, 0),
            (self.health == Health.AMBER.value, 1),
            (self.health == Health.GREEN.value, 2),
            else_=3,
        )


# Filters and orders


def _conditions(user, filters: dict, figures: Figures) -> list:
    conditions = [details_visible_to(user)]
    status = filters.get("status", RUNNING)
    if status == RUNNING:
        conditions.append(Pairing.status.in_(RUNNING_STATUSES))
    elif status == OPEN:
        conditions.append(Pairing.status.in_(OPEN_STATUSES))
    elif status != ANY_STATUS:
        conditions.append(Pairing.status == status)
    if filters.get("programme"):
        conditions.append(Pairing.programme_id == filters["programme"])
    if filters.get("association"):
        association = filters["association"]
        conditions.append(
            sa.or_(
                Pairing.mentor_association_id == association,
                Pairing.mentee_association_id == association,
            )
        )
    if filters.get("country"):
        country = filters["country"]
        conditions.append(
            sa.or_(
                Pairing.mentor.has(Organisation.country == country),
                Pairing.mentee.has(Organisation.country == country),
            )
        )
    if filters.get("phase"):
        conditions.append(Pairing.phase == filters["phase"])
    if filters.get("health"):
        conditions.append(figures.health == filters["health"])
    return conditions


def _name_of(column):
    return (
        sa.select(sa.func.lower(Organisation.name))
        .where(Organisation.id == column)
        .correlate(Pairing)
        .scalar_subquery()
    )


def _order(sort: str, figures: Figures) -> list:
    """The ORDER BY of a sort choice; every one ends with the id, so pages are stable."""
    never_held_first = sa.case((figures.last_held.is_(None), 0), else_=1)
    mentor, mentee = _name_of(Pairing.mentor_id), _name_of(Pairing.mentee_id)
    if sort == "inactive":
        keys = [never_held_first, figures.last_held]
    elif sort == "overdue":
        keys = [figures.overdue.desc(), figures.health_rank()]
    elif sort == "name":
        keys = [mentor, mentee]
    elif sort == "programme":
        programme = (
            sa.select(sa.func.lower(Programme.name))
            .where(Programme.id == Pairing.programme_id)
            .correlate(Pairing)
            .scalar_subquery()
        )
        keys = [programme, mentor, mentee]
    else:  # health, worst first; the longest silent first within a colour
        keys = [figures.health_rank(), figures.overdue.desc(), never_held_first, figures.last_held]
    return [*keys, Pairing.id]


# Rows


@dataclass(frozen=True)
class Row:
    """One pairing with its figures. `progress` is 0.0 to 1.0, None when no indicator is
    measured; `verdict` is None for pairings that are not active."""

    pairing: Pairing
    last_held_dt: dt.datetime | None
    days_since_held: int | None
    held_this_year: int
    overdue: int
    progress: float | None
    verdict: Verdict | None

    @property
    def last_held_date(self) -> dt.date | None:
        """The day the last held activity ended, where the pairing meets."""
        if self.last_held_dt is None:
            return None
        return self.last_held_dt.astimezone(timezones.zone(self.pairing.time_zone)).date()

    @property
    def progress_percent(self) -> float | None:
        return None if self.progress is None else round(self.progress * 100, 1)


def _rows_query(user, filters: dict, figures: Figures):
    return (
        sa.select(
            Pairing,
            figures.last_held.label("last_held"),
            figures.resumed.label("resumed"),
            figures.held_this_year.label("held_this_year"),
            figures.overdue.label("overdue"),
            figures.progress.label("progress"),
        )
        .where(*_conditions(user, filters, figures))
        .options(*_ROW_OPTIONS)
        .order_by(*_order(filters.get("sort", ""), figures))
    )


def _row(result, figures: Figures) -> Row:
    pairing, last_held, resumed, held_this_year, overdue, progress = result
    verdict = None
    if pairing.status == Status.ACTIVE and pairing.confirmed_dt is not None:
        verdict = judge(
            last_held, pairing.confirmed_dt, figures.now, figures.thresholds, overdue, resumed
        )
    return Row(
        pairing=pairing,
        last_held_dt=last_held,
        days_since_held=days_since(last_held, figures.now) if last_held else None,
        held_this_year=held_this_year or 0,
        overdue=overdue or 0,
        progress=None if progress is None else float(progress),
        verdict=verdict,
    )


@dataclass
class Page:
    """One page of rows, with what the pagination macro reads."""

    items: list[Row]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

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


def rows_page(user, filters: dict, now: dt.datetime, page: int, per_page: int, total: int):
    """One page of the filtered rows; 404 for a page after the last (as lists do)."""
    if page > 1 and (page - 1) * per_page >= total:
        abort(404)
    figures = Figures(now)
    query = _rows_query(user, filters, figures).limit(per_page).offset((page - 1) * per_page)
    items = [_row(result, figures) for result in db.session.execute(query)]
    return Page(items, page, per_page, total)


def all_rows(user, filters: dict, now: dt.datetime) -> Iterator[Row]:
    """Every filtered row, in order, fetched `CHUNK` at a time (for the downloads)."""
    figures = Figures(now)
    query = _rows_query(user, filters, figures).execution_options(yield_per=CHUNK)
    for result in db.session.execute(query):
        yield _row(result, figures)


# Totals


@dataclass(frozen=True)
class Totals:
    pairings: int
    green: int
    amber: int
    red: int
    not_judged: int
    held_this_year: int
    overdue: int
    silent: int  # active pairings without a held activity for `silent_days`
    silent_days: int


def totals(user, filters: dict, now: dt.datetime) -> Totals:
    """The totals of the filtered set, in one query."""
    figures = Figures(now)
    filtered = (
        sa.select(
            Pairing.id.label("id"),
            figures.health.label("health"),
            figures.held_this_year.label("held"),
            figures.overdue.label("overdue"),
            sa.case((figures.is_silent, 1), else_=0).label("silent"),
        )
        .where(*_conditions(user, filters, figures))
        .subquery()
    )

    def count_of(condition):
        return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)

    result = db.session.execute(
        sa.select(
            sa.func.count(filtered.c.id),
            count_of(filtered.c.health == Health.GREEN.value),
            count_of(filtered.c.health == Health.AMBER.value),
            count_of(filtered.c.health == Health.RED.value),
            count_of(filtered.c.health.is_(None)),
            sa.func.coalesce(sa.func.sum(filtered.c.held), 0),
            sa.func.coalesce(sa.func.sum(filtered.c.overdue), 0),
            sa.func.coalesce(sa.func.sum(filtered.c.silent), 0),
        )
    ).one()
    return Totals(*(int(value) for value in result), figures.thresholds.red_after_days)


# Choices of the filters


def filter_countries(user) -> list[str]:
    """Countries of the cities in the pairings whose details `user` sees."""
    mentor = aliased(Organisation)
    mentee = aliased(Organisation)
    rows = db.session.execute(
        sa.select(mentor.country, mentee.country)
        .select_from(Pairing)
        .join(mentor, mentor.id == Pairing.mentor_id)
        .join(mentee, mentee.id == Pairing.mentee_id)
        .where(details_visible_to(user))
        .distinct()
    ).all()
    return sorted({code for row in rows for code in row if code})
