"""The health of active pairings: the rule, its SQL twin, and its thresholds from config."""

import datetime as dt

import pytest
import sqlalchemy as sa

from exchange.accounts.models import User
from exchange.db import db as _db
from exchange.pairings import queries
from exchange.pairings.health import Health, Thresholds, judge
from exchange.pairings.models import Pairing, Status
from tests.factories import make_org, make_pairing, make_user

NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)
LONG_AGO = NOW - dt.timedelta(days=400)


def ago(days: float) -> dt.datetime:
    return NOW - dt.timedelta(days=days)


@pytest.fixture
def words(app):
    """A request context, so that lazy strings can be turned into words."""
    with app.test_request_context():
        yield


def reasons(verdict) -> list[str]:
    return [str(reason) for reason in verdict.reasons]


# The rule


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        (0, Health.GREEN),
        (44, Health.GREEN),
        (44.4, Health.GREEN),  # 02:24 on the day 44 days ago: 44 days
        (44.6, Health.AMBER),  # 21:36 on the day 45 days ago: counted in days, 45
        (45, Health.AMBER),
        (89, Health.AMBER),
        (90, Health.RED),
        (365, Health.RED),
    ],
)
def test_days_since_confirmation_with_default_thresholds(days, expected):
    assert judge(None, ago(days), NOW, Thresholds()).health == expected


@pytest.mark.parametrize(
    ("days", "expected"),
    [(44, Health.GREEN), (45, Health.AMBER), (89, Health.AMBER), (90, Health.RED)],
)
def test_the_last_activity_counts_rather_than_the_confirmation(days, expected):
    assert judge(ago(days), LONG_AGO, NOW, Thresholds()).health == expected


@pytest.mark.parametrize(
    ("days", "expected"),
    [(9, Health.GREEN), (10, Health.AMBER), (19, Health.AMBER), (20, Health.RED)],
)
def test_custom_day_thresholds(days, expected):
    thresholds = Thresholds(amber_after_days=10, red_after_days=20)
    assert judge(None, ago(days), NOW, thresholds).health == expected
    assert judge(ago(days), LONG_AGO, NOW, thresholds).health == expected


def test_default_thresholds_are_the_documented_ones():
    assert Thresholds() == Thresholds(
        amber_after_days=45, red_after_days=90, amber_overdue=1, red_overdue=3
    )


@pytest.mark.parametrize(
    ("days", "overdue", "expected"),
    [
        (0, 0, Health.GREEN),
        (0, 1, Health.AMBER),
        (0, 2, Health.AMBER),
        (0, 3, Health.RED),
        (0, 10, Health.RED),
        (50, 1, Health.AMBER),  # amber either way
        (50, 3, Health.RED),  # overdue actions are worse than the days
        (100, 1, Health.RED),  # the days are worse than the overdue actions
        (100, 0, Health.RED),
    ],
)
def test_overdue_actions_and_the_worst_of_rule(days, overdue, expected):
    verdict = judge(ago(days), LONG_AGO, NOW, Thresholds(), overdue_actions=overdue)
    assert verdict.health == expected


@pytest.mark.parametrize(
    ("overdue", "expected"),
    [(1, Health.GREEN), (2, Health.AMBER), (4, Health.AMBER), (5, Health.RED)],
)
def test_custom_overdue_thresholds(overdue, expected):
    thresholds = Thresholds(amber_overdue=2, red_overdue=5)
    assert judge(ago(1), LONG_AGO, NOW, thresholds, overdue_actions=overdue).health == expected


def test_reasons_in_words(words):
    assert reasons(judge(None, ago(1), NOW, Thresholds())) == [
        "No activity held yet; confirmed 1 day ago."
    ]
    assert reasons(judge(None, ago(46.5), NOW, Thresholds())) == [
        "No activity held yet; confirmed 46 days ago."
    ]
    verdict = judge(ago(91), LONG_AGO, NOW, Thresholds(), overdue_actions=1)
    assert reasons(verdict) == [
        "The last activity was held 91 days ago.",
        "1 action of the plan is overdue.",
    ]
    assert verdict.label == "At risk"
    verdict = judge(ago(1), LONG_AGO, NOW, Thresholds(), overdue_actions=3)
    assert reasons(verdict) == [
        "The last activity was held 1 day ago.",
        "3 actions of the plan are overdue.",
    ]
    assert judge(ago(0), LONG_AGO, NOW, Thresholds()).label == "On track"
    assert judge(ago(50), LONG_AGO, NOW, Thresholds()).label == "Needs attention"


def test_the_same_day_is_today_not_0_days_ago(words):
    assert reasons(judge(ago(0.1), LONG_AGO, NOW, Thresholds())) == [
        "The last activity was held today."
    ]
    assert reasons(judge(None, ago(0.1), NOW, Thresholds())) == [
        "No activity held yet; confirmed today."
    ]
    assert reasons(judge(None, ago(30), NOW, Thresholds(), resumed_dt=ago(0.2))) == [
        "No activity held since the pairing resumed today."
    ]
    assert reasons(judge(ago(40), ago(30), NOW, Thresholds())) == [
        "No activity held since the confirmation 30 days ago."
    ]


# The SQL twin, on the database


AGES = [0, 10, 44, 44.4, 44.6, 45, 60, 89, 90, 120, 400]


@pytest.fixture
def pairings_of_every_age(db):
    """Active pairings confirmed at the ages above, and older pairings not active."""
    mentor = make_org(name="Mentorburg")
    mentee = make_org(name="Menteedorp")
    active = [
        make_pairing(mentor, mentee, status=Status.ACTIVE, confirmed_dt=ago(days)) for days in AGES
    ]
    others = [
        make_pairing(mentor, mentee, status=status, confirmed_dt=ago(200))
        for status in (Status.ON_HOLD, Status.COMPLETED)
    ] + [
        make_pairing(mentor, mentee, status=status)
        for status in (Status.PROPOSED, Status.ACCEPTED, Status.DECLINED, Status.WITHDRAWN)
    ]
    admin = make_user(is_admin=True)
    db.session.commit()
    return admin, active, others


def health_filter(user, health, now=NOW) -> set[int]:
    query = queries.list_query(user, {"health": health}, now)
    return {p.id for p in _db.session.scalars(query)}


def test_sql_case_agrees_with_judge(pairings_of_every_age):
    admin, active, _ = pairings_of_every_age
    verdicts = {p.id: judge(None, p.confirmed_dt, NOW, Thresholds()).health for p in active}
    for health in Health:
        expected = {pid for pid, verdict in verdicts.items() if verdict == health}
        assert health_filter(admin, health.value) == expected, health
    # the ages above give each colour, so the comparison means something
    assert set(verdicts.values()) == set(Health)


def test_health_filter_returns_exactly_the_red_ones(pairings_of_every_age):
    admin, active, _ = pairings_of_every_age
    ages = dict(zip([p.id for p in active], AGES, strict=True))
    red = health_filter(admin, "red")
    assert sorted(ages[pid] for pid in red) == [90, 120, 400]
    amber = health_filter(admin, "amber")
    assert sorted(ages[pid] for pid in amber) == [44.6, 45, 60, 89]


def test_health_of_judges_only_active_pairings(pairings_of_every_age):
    _, active, others = pairings_of_every_age
    verdicts = queries.health_of(active + others, NOW)
    assert set(verdicts) == {p.id for p in active}
    ages = dict(zip([p.id for p in active], AGES, strict=True))
    assert {ages[pid] for pid, v in verdicts.items() if v.health == Health.GREEN} == {
        0,
        10,
        44,
        44.4,
    }
    assert {ages[pid] for pid, v in verdicts.items() if v.health == Health.RED} == {90, 120, 400}


def test_pairings_on_hold_or_completed_have_no_health(pairings_of_every_age):
    admin, _, others = pairings_of_every_age
    other_ids = {p.id for p in others}
    for health in Health:
        assert not health_filter(admin, health.value) & other_ids
    assert queries.health_of(others, NOW) == {}


# The thresholds come from the configuration


def test_the_app_uses_the_default_thresholds(app):
    assert Thresholds.from_config() == Thresholds()


def test_thresholds_come_from_the_configuration(pairings_of_every_age, make_app):
    _, active, _ = pairings_of_every_age
    ages = {p.id: days for p, days in zip(active, AGES, strict=True)}
    strict_app = make_app(
        HEALTH_AMBER_AFTER_DAYS=10,
        HEALTH_RED_AFTER_DAYS=44,
        HEALTH_AMBER_OVERDUE=2,
        HEALTH_RED_OVERDUE=4,
    )
    with strict_app.app_context():
        assert Thresholds.from_config() == Thresholds(
            amber_after_days=10, red_after_days=44, amber_overdue=2, red_overdue=4
        )
        admin = _db.session.scalar(sa.select(User).where(User.is_admin))
        pairings = list(_db.session.scalars(sa.select(Pairing).where(Pairing.id.in_(ages))))
        verdicts = queries.health_of(pairings, NOW)
        by_health = {
            health: {ages[pid] for pid, v in verdicts.items() if v.health == health}
            for health in Health
        }
        assert by_health[Health.GREEN] == {0}
        assert by_health[Health.AMBER] == {10}
        assert by_health[Health.RED] == {44, 44.4, 44.6, 45, 60, 89, 90, 120, 400}
        for health in Health:
            assert {ages[pid] for pid in health_filter(admin, health.value)} == by_health[health]


# Activities and the action plan feed the health


def test_an_activity_held_before_the_confirmation_does_not_count(words):
    verdict = judge(ago(100), ago(10), NOW, Thresholds())
    assert verdict.health == Health.GREEN
    assert reasons(verdict) == ["No activity held since the confirmation 10 days ago."]


GRID = [
    # (days since the last held activity or None, overdue actions, expected health)
    (None, 0, Health.GREEN),
    (None, 1, Health.AMBER),
    (5, 0, Health.GREEN),
    (5, 2, Health.AMBER),
    (5, 3, Health.RED),
    (50, 0, Health.AMBER),
    (50, 3, Health.RED),
    (95, 0, Health.RED),
]


@pytest.fixture
def pairings_with_a_log(db):
    """Active pairings of the grid: each with its last held activity (and an older one),
    a recent planned and a cancelled activity that must not count, its overdue actions, and
    actions that are not overdue (due today, done late, dropped)."""
    from tests.factories import make_action, make_activity

    mentor = make_org(name="Mentorburg")
    mentee = make_org(name="Menteedorp")
    admin = make_user(is_admin=True)
    today = NOW.date()
    built = []
    for days, overdue, expected in GRID:
        confirmed = ago(120) if days is not None else ago(20)
        pairing = make_pairing(mentor, mentee, status=Status.ACTIVE, confirmed_dt=confirmed)
        if days is not None:
            make_activity(pairing, start_date=today - dt.timedelta(days=days + 1))
            make_activity(pairing, status="held", start_date=today - dt.timedelta(days=days + 30))
        # neither a planned activity nor a cancelled one counts as held
        make_activity(pairing, status="planned", start_date=today - dt.timedelta(days=1))
        make_activity(pairing, status="cancelled", start_date=today - dt.timedelta(days=2))
        for _ in range(overdue):
            make_action(pairing, start_date=None, due_date=today - dt.timedelta(days=1))
        # due today, done late or dropped: not overdue
        make_action(pairing, start_date=None, due_date=today)
        make_action(pairing, start_date=None, status="done", due_date=today - dt.timedelta(days=9))
        make_action(
            pairing, start_date=None, status="dropped", due_date=today - dt.timedelta(days=9)
        )
        built.append((pairing, expected))
    db.session.commit()
    return admin, built


def test_held_activities_and_overdue_actions_decide_the_health(pairings_with_a_log):
    _, built = pairings_with_a_log
    verdicts = queries.health_of([p for p, _ in built], NOW)
    assert {p.id: verdicts[p.id].health for p, _ in built} == {p.id: e for p, e in built}


def test_the_health_filter_agrees_with_the_rule_on_activities_and_actions(pairings_with_a_log):
    admin, built = pairings_with_a_log
    for health in Health:
        assert health_filter(admin, health.value) == {p.id for p, e in built if e == health}


def test_the_reasons_name_the_last_activity_and_the_overdue_actions(pairings_with_a_log, words):
    _, built = pairings_with_a_log
    pairing = next(p for p, _ in built if p == built[4][0])  # 5 days, 3 overdue
    verdict = queries.health_of([pairing], NOW)[pairing.id]
    # held on the day 6 days ago: its end at 23:59 local time does not make it 5
    assert reasons(verdict)[0] == "The last activity was held 6 days ago."
    assert reasons(verdict)[1] == "3 actions of the plan are overdue."


@pytest.mark.parametrize("start_time", [None, dt.time(10), dt.time(23, 30)])
def test_an_activity_counts_by_its_day_whatever_its_hours(db, words, start_time):
    """Held on the day 45 days ago: 45 days, amber, timed or not (Europe/Rome, where 23:30
    is still the same day though 22:30 UTC)."""
    from tests.factories import make_activity

    pairing = make_pairing(
        make_org(name="Mentorburg"),
        make_org(name="Menteedorp"),
        status=Status.ACTIVE,
        confirmed_dt=ago(200),
        time_zone="Europe/Rome",
    )
    make_activity(pairing, start_date=NOW.date() - dt.timedelta(days=45), start_time=start_time)
    admin = make_user(is_admin=True)
    db.session.commit()
    verdict = queries.health_of([pairing], NOW)[pairing.id]
    assert reasons(verdict) == ["The last activity was held 45 days ago."]
    assert verdict.health == Health.AMBER
    assert health_filter(admin, "amber") == {pairing.id}


@pytest.mark.parametrize(
    ("resumed_days_ago", "held_since_days_ago", "expected", "reason"),
    [
        (10, None, Health.GREEN, "No activity held since the pairing resumed 10 days ago."),
        (50, None, Health.AMBER, "No activity held since the pairing resumed 50 days ago."),
        (50, 3, Health.GREEN, "The last activity was held 3 days ago."),
    ],
)
def test_the_months_on_hold_do_not_count_against_a_resumed_pairing(
    db, words, resumed_days_ago, held_since_days_ago, expected, reason
):
    """Confirmed 300 days ago, last activity 200 days ago, then on hold: it is judged from
    the day it resumed (or from an activity since), not red at once."""
    from exchange.pairings.models import PairingStep
    from tests.factories import make_activity

    pairing = make_pairing(
        make_org(name="Mentorburg"),
        make_org(name="Menteedorp"),
        status=Status.ACTIVE,
        confirmed_dt=ago(300),
    )
    make_activity(pairing, start_date=NOW.date() - dt.timedelta(days=200))
    if held_since_days_ago is not None:
        make_activity(pairing, start_date=NOW.date() - dt.timedelta(days=held_since_days_ago))
    for step, days in (("hold", 150), ("resume", resumed_days_ago)):
        pairing.steps.append(
            PairingStep(step=step, from_status="x", to_status="y", created_dt=ago(days))
        )
    admin = make_user(is_admin=True)
    db.session.commit()
    verdict = queries.health_of([pairing], NOW)[pairing.id]
    assert (verdict.health, reasons(verdict)) == (expected, [reason])
    assert health_filter(admin, expected.value) == {pairing.id}
