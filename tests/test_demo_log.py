"""The demo's exchange log: IncluCities' real activities on the pairs they concern, and the
fictional programme's activities, plans, indicators, risks and feedback behind its health."""

import datetime as dt
from collections import Counter

import pytest
import sqlalchemy as sa

from exchange import demo
from exchange.activities.models import Activity, ActivityStatus, ActivityType, Feedback
from exchange.audit import AuditEvent
from exchange.db import utcnow
from exchange.demo_log import concerns, markdown_list, pairings_of, real_title, record_notes
from exchange.demo_pairings import FICTIONAL_NAME
from exchange.pairings import queries
from exchange.pairings.health import Health, Thresholds, judge
from exchange.pairings.models import Status
from exchange.plans.models import (
    Action,
    ActionPlan,
    ActionStatus,
    Indicator,
    Measurement,
    PlanStatus,
    Risk,
)

BRUSSELS_SJR = ("City of Brussels", "Saint-Jean-de-la-Ruelle")
MECHELEN_CAPACI = ("Mechelen", "Capaci")
FUENLABRADA_LIVADIA = ("Fuenlabrada", "Livadia")
SCHAERBEEK_JELGAVA = ("Schaerbeek", "Jelgava")
REAL_PAIRS = [BRUSSELS_SJR, MECHELEN_CAPACI, FUENLABRADA_LIVADIA, SCHAERBEEK_JELGAVA]

GREEN = ("Fuenlabrada", "Saint-Jean-de-la-Ruelle")
AMBER = ("City of Brussels", "Capaci")
RED = ("Mechelen", "Partinico")
ACTIVE = [GREEN, AMBER, RED]
ON_HOLD = ("Schaerbeek", "Saint-Jean-de-la-Ruelle")
ACCEPTED = ("Schaerbeek", "Livadia")


@pytest.fixture
def loaded(db):
    demo.load()
    db.session.commit()
    return db


@pytest.fixture
def real(loaded):
    return pairings_of("IncluCities")


@pytest.fixture
def fictional(loaded):
    return pairings_of(FICTIONAL_NAME)


def activities_of(db, pairing) -> list[Activity]:
    return list(
        db.session.scalars(
            sa.select(Activity)
            .where(Activity.pairing_id == pairing.id)
            .order_by(Activity.starts_at, Activity.id)
        )
    )


def rows(db, model, pairing) -> list:
    return list(
        db.session.scalars(
            sa.select(model).where(model.pairing_id == pairing.id).order_by(model.id)
        )
    )


def on(db, pairing, day: str, type_: str) -> Activity:
    (activity,) = [
        a
        for a in activities_of(db, pairing)
        if a.start_date == dt.date.fromisoformat(day) and a.type == type_
    ]
    return activity


# IncluCities: the public record


def test_every_recorded_activity_is_on_the_pairs_it_concerns(loaded, real):
    # by hand from demo_data.json: 4 for the whole programme, then each pair's own
    assert {pair: len(activities_of(loaded, real[pair])) for pair in REAL_PAIRS} == {
        BRUSSELS_SJR: 7,
        MECHELEN_CAPACI: 7,
        FUENLABRADA_LIVADIA: 6,
        SCHAERBEEK_JELGAVA: 8,
    }
    for facts in demo.facts()["activities"]:
        expected = [pair for pair in REAL_PAIRS if concerns(facts, *pair)]
        found = [
            pair
            for pair in REAL_PAIRS
            for a in activities_of(loaded, real[pair])
            if a.start_date.isoformat() == facts["date"]
        ]
        assert found == expected, facts
        if facts.get("scope") == "all":
            assert found == REAL_PAIRS, facts


def test_programme_wide_activities_are_on_all_four_pairs(loaded, real):
    for day, type_ in [
        ("2020-06-17", ActivityType.KICK_OFF),
        ("2020-12-01", ActivityType.MENTORING_TRAINING),
        ("2021-10-20", ActivityType.STEERING_COMMITTEE),
        ("2023-03-28", ActivityType.FINAL_CONFERENCE),
    ]:
        for pair in REAL_PAIRS:
            activity = on(loaded, real[pair], day, type_)
            assert activity.host is None, (pair, type_)  # not hosted by a city of the pair
    kick_off = on(loaded, real[BRUSSELS_SJR], "2020-06-17", ActivityType.KICK_OFF)
    assert (kick_off.title, kick_off.format, kick_off.venue) == (
        "Programme kick-off",
        "online",
        None,
    )
    committee = on(loaded, real[MECHELEN_CAPACI], "2021-10-20", ActivityType.STEERING_COMMITTEE)
    assert (committee.title, committee.format, committee.venue) == (
        "Steering committee in Brussels",
        "hybrid",
        "Brussels",
    )


def test_study_visits_have_their_rounds_dates_venues_and_hosts(loaded, real):
    visit = on(loaded, real[MECHELEN_CAPACI], "2021-10-04", ActivityType.STUDY_VISIT)
    assert visit.study_visit_round == 1
    assert visit.title == "Tutti Capaci!"
    assert (visit.format, visit.venue, visit.host.name) == ("in_person", "Capaci", "Capaci")
    assert visit.end_date == dt.date(2021, 10, 5)
    assert "Local name for buddies: 'compa'." in visit.outcomes

    visit = on(loaded, real[BRUSSELS_SJR], "2021-11-25", ActivityType.STUDY_VISIT)
    assert visit.study_visit_round == 2
    assert visit.title == "Study visit 2 in Brussels"
    assert (visit.venue, visit.host.name) == ("BAPA BXL, Brussels", "City of Brussels")
    assert "Year inferred from the programme timeline." in visit.objectives

    visit = on(loaded, real[SCHAERBEEK_JELGAVA], "2021-10-19", ActivityType.STUDY_VISIT)
    assert (visit.study_visit_round, visit.format, visit.host.name) == (2, "hybrid", "Schaerbeek")
    assert visit.end_date is None

    visit = on(loaded, real[BRUSSELS_SJR], "2021-05-03", ActivityType.STUDY_VISIT)
    assert (visit.title, visit.venue, visit.host) == ("Study visit 1", None, None)
    assert "action planning" in visit.objectives

    visit = on(loaded, real[SCHAERBEEK_JELGAVA], "2021-05-12", ActivityType.STUDY_VISIT)
    assert visit.title == "Virtual study visit: needs analysis and ideas for change"
    assert "Held on 12 and 14 May." in visit.objectives

    visit = on(loaded, real[FUENLABRADA_LIVADIA], "2021-05-18", ActivityType.STUDY_VISIT)
    assert visit.agenda == (
        "- Needs analysis\n- Integration bodies\n- Local support network\n- Mentor showcase"
    )


def test_the_pairs_own_events_are_hosted_by_the_city_their_venue_names(loaded, real):
    day = on(loaded, real[MECHELEN_CAPACI], "2022-12-15", ActivityType.INSPIRATION_DAY)
    assert (day.venue, day.host.name) == ("Lamot, Mechelen", "Mechelen")
    assert day.title.startswith("Buddies for inclusive cities")
    academy = on(loaded, real[FUENLABRADA_LIVADIA], "2022-11-10", ActivityType.TRAINING_ACADEMY)
    assert (academy.title, academy.venue, academy.host) == (
        "Training academy in Madrid",
        "Madrid",
        None,
    )
    for pair in (BRUSSELS_SJR, SCHAERBEEK_JELGAVA):
        academy = on(loaded, real[pair], "2022-12-07", ActivityType.TRAINING_ACADEMY)
        assert academy.venue == "Hotel Manos, Brussels"
        assert academy.outcomes.startswith("Workshops on housing")
        assert academy.host is None


def test_the_record_is_not_overstated(loaded, real):
    for pair in REAL_PAIRS:
        for activity in activities_of(loaded, real[pair]):
            assert activity.status == ActivityStatus.HELD
            assert activity.participants_total == 0
            assert activity.feedback == []
            assert activity.start_time is None and activity.end_time is None
            assert "From the programme's public record." in activity.objectives
    training = on(loaded, real[FUENLABRADA_LIVADIA], "2020-12-01", ActivityType.MENTORING_TRAINING)
    assert "Date known to the month." in training.objectives
    kick_off = on(loaded, real[FUENLABRADA_LIVADIA], "2020-06-17", ActivityType.KICK_OFF)
    assert "known to the month" not in kick_off.objectives
    assert "inferred" not in kick_off.objectives
    conference = on(loaded, real[SCHAERBEEK_JELGAVA], "2023-03-28", ActivityType.FINAL_CONFERENCE)
    assert "Year inferred from the programme timeline." in conference.objectives
    # the record gives no format for the transfer workshops: the log says so
    workshop = on(loaded, real[MECHELEN_CAPACI], "2022-02-20", ActivityType.TRANSFER_WORKSHOP)
    assert "does not give the format" in workshop.objectives
    assert workshop.venue is None and workshop.host is None


def test_recorded_activities_are_dated_in_the_pairings_time_zone(loaded, real):
    visit = on(loaded, real[MECHELEN_CAPACI], "2021-10-04", ActivityType.STUDY_VISIT)
    assert visit.starts_at < visit.ends_at
    expected = dt.datetime(2021, 10, 5, 23, 59, 59, tzinfo=dt.UTC)
    offset = visit.ends_at - expected  # the zone's offset from UTC, a few hours at most
    assert abs(offset) <= dt.timedelta(hours=3)


def test_the_real_pairs_have_no_invented_plans_indicators_or_risks(loaded, real):
    for pair in REAL_PAIRS:
        assert rows(loaded, Indicator, real[pair]) == [], pair
        assert rows(loaded, Action, real[pair]) == [], pair
        assert rows(loaded, Risk, real[pair]) == [], pair
    (plan,) = rows(loaded, ActionPlan, real[MECHELEN_CAPACI])
    assert plan.status == PlanStatus.ADOPTED
    assert plan.local_practice_name == "Tutti Capaci (buddies are called 'compa')"
    assert plan.vision == "How to build a vision of a 'city for all'."
    assert plan.target_groups is None and plan.monitoring_method is None
    assert plan.status_changes == []  # the day of adoption is not in the record
    for pair in (BRUSSELS_SJR, FUENLABRADA_LIVADIA, SCHAERBEEK_JELGAVA):
        assert rows(loaded, ActionPlan, real[pair]) == [], pair


# The fictional programme


def test_active_pairings_keep_a_full_log(loaded, fictional):
    for pair in ACTIVE:
        pairing = fictional[pair]
        assert pairing.status == Status.ACTIVE
        (plan,) = rows(loaded, ActionPlan, pairing)
        assert plan.vision and plan.local_practice_name and plan.monitoring_method
        changes = plan.status_changes
        assert changes[0].from_status is None
        assert [c.from_status for c in changes[1:]] == [c.to_status for c in changes[:-1]]
        assert changes[-1].to_status == plan.status
        days = [c.effective_date for c in changes]
        assert days == sorted(days) and days[0] >= pairing.start_date
        assert {c.pairing_id for c in changes} == {pairing.id}

        actions = rows(loaded, Action, pairing)
        assert 3 <= len(actions) <= 6, pair
        for action in actions:
            assert action.status_changes[0].from_status is None
            assert action.status_changes[-1].to_status == action.status
            assert {c.pairing_id for c in action.status_changes} == {pairing.id}
            assert all(c.actor_organisation_id is not None for c in action.status_changes)
            assert action.version == len(action.status_changes)
            assert action.responsible and action.due_date >= action.start_date
        assert any(a.budget and a.funding_source for a in actions)
        assert any(a.practice is not None for a in actions)

        indicators = rows(loaded, Indicator, pairing)
        assert 2 <= len(indicators) <= 3, pair
        for indicator in indicators:
            assert 2 <= len(indicator.measurements) <= 4
            assert indicator.progress is not None
            assert {m.pairing_id for m in indicator.measurements} == {pairing.id}

        risks = rows(loaded, Risk, pairing)
        assert 2 <= len(risks) <= 3, pair
        for risk in risks:
            assert risk.mitigation and risk.owner
            assert risk.changes[-1].to_status == risk.status
            assert {c.pairing_id for c in risk.changes} == {pairing.id}


def test_feedback_comes_from_both_cities_and_an_officer_who_may_give_it(loaded, fictional):
    for pair in ACTIVE:
        pairing = fictional[pair]
        feedback = list(
            loaded.session.scalars(
                sa.select(Feedback).join(Feedback.activity).where(Activity.pairing_id == pairing.id)
            )
        )
        assert feedback, pair
        organisations = {f.organisation_id for f in feedback}
        assert {pairing.mentor_id, pairing.mentee_id} <= organisations, pair
        assert any(pairing.is_monitoring_officer(f.user) for f in feedback), pair
        for f in feedback:
            assert 3 <= f.usefulness <= 5 and f.comment
            assert f.activity.can_give_feedback(f.user)
            assert f.created_dt >= f.activity.ends_at


def test_activities_fit_each_pairings_story(loaded, fictional):
    now = utcnow()

    def held(pair):
        return [a for a in activities_of(loaded, fictional[pair]) if a.is_held]

    def planned(pair):
        return [a for a in activities_of(loaded, fictional[pair]) if a.is_planned]

    for pair in [*ACTIVE, ON_HOLD, ACCEPTED]:
        for activity in activities_of(loaded, fictional[pair]):
            if activity.is_held:
                assert activity.ends_at < now, activity.title
            elif activity.is_planned:
                assert activity.starts_at > now, activity.title
            assert activity.created_dt < now
    assert now - held(GREEN)[-1].ends_at < dt.timedelta(days=21)
    assert any(
        dt.timedelta(days=20) < a.starts_at - now < dt.timedelta(days=45) for a in planned(GREEN)
    )
    (kick_off,) = activities_of(loaded, fictional[ACCEPTED])
    assert kick_off.type == ActivityType.KICK_OFF and kick_off.is_planned
    assert fictional[ACCEPTED].status == Status.ACCEPTED
    statuses = Counter(
        a.status for pair in [*ACTIVE, ON_HOLD] for a in activities_of(loaded, fictional[pair])
    )
    assert set(statuses) == {"held", "planned", "cancelled"}
    # planned activities link the actions they serve
    assert any(a.actions for pair in ACTIVE for a in planned(pair))


def test_every_change_of_the_fictional_log_is_dated_in_the_past(loaded, fictional):
    now = utcnow()
    for pair in ACTIVE:
        pairing = fictional[pair]
        for action in rows(loaded, Action, pairing):
            assert all(c.changed_dt < now for c in action.status_changes)
        for risk in rows(loaded, Risk, pairing):
            assert all(c.changed_dt < now for c in risk.changes)
        for measurement in rows(loaded, Measurement, pairing):
            assert measurement.measured_on < now.date()
        (plan,) = rows(loaded, ActionPlan, pairing)
        assert all(c.effective_date < now.date() for c in plan.status_changes)
        # each record was last changed at its last status change, not when the demo loaded
        for record, changes in (
            [(plan, plan.status_changes)]
            + [(a, a.status_changes) for a in rows(loaded, Action, pairing)]
            + [(r, r.changes) for r in rows(loaded, Risk, pairing)]
        ):
            assert record.updated_dt == changes[-1].changed_dt


def health_from_the_data(db, pairing, now) -> tuple[dt.datetime, int]:
    """(When the last held activity ended, how many actions are overdue), from the rows."""
    last = db.session.scalar(
        sa.select(sa.func.max(Activity.ends_at)).where(
            Activity.pairing_id == pairing.id, Activity.status == ActivityStatus.HELD
        )
    )
    overdue = db.session.scalar(
        sa.select(sa.func.count()).where(
            Action.pairing_id == pairing.id,
            Action.due_date < now.date(),
            Action.status.in_([ActionStatus.PLANNED, ActionStatus.IN_PROGRESS]),
        )
    )
    return last, overdue


def test_health_reads_green_amber_and_red_as_the_readme_says(app, loaded, fictional):
    now = utcnow()
    thresholds = Thresholds.from_config()
    expected = {GREEN: Health.GREEN, AMBER: Health.AMBER, RED: Health.RED}
    days_and_overdue = {}
    for pair, health in expected.items():
        pairing = fictional[pair]
        last, overdue = health_from_the_data(loaded, pairing, now)
        assert last > pairing.confirmed_dt, pair  # held since the confirmation: it counts
        days_and_overdue[pair] = ((now - last).days, overdue)
        verdict = judge(last, pairing.confirmed_dt, now, thresholds, overdue)
        assert verdict.health == health, pair
    days, overdue = days_and_overdue[GREEN]
    assert days < thresholds.amber_after_days and overdue == 0
    days, overdue = days_and_overdue[AMBER]
    assert thresholds.amber_after_days <= days < thresholds.red_after_days and overdue == 1
    days, overdue = days_and_overdue[RED]
    assert days >= thresholds.red_after_days and overdue >= thresholds.red_overdue
    # and through the pairings' own health query
    verdicts = queries.health_of([fictional[pair] for pair in ACTIVE], now)
    assert {pair: verdicts[fictional[pair].id].health for pair in ACTIVE} == expected


def test_each_record_is_audited_as_the_services_do(loaded, fictional):
    pairing = fictional[RED]
    events = Counter(
        loaded.session.scalars(
            sa.select(AuditEvent.action).where(AuditEvent.object_type == "activity")
        )
    )
    assert events["activity.create"] == loaded.session.scalar(
        sa.select(sa.func.count()).select_from(Activity)
    )
    cancelled = loaded.session.scalars(
        sa.select(Activity).where(Activity.status == ActivityStatus.CANCELLED)
    ).all()
    assert cancelled
    for activity in cancelled:  # logged as planned, then cancelled
        trail = loaded.session.scalars(
            sa.select(AuditEvent)
            .where(AuditEvent.object_type == "activity", AuditEvent.object_id == activity.id)
            .order_by(AuditEvent.id)
        ).all()
        assert [(e.action, e.summary["status"]) for e in trail] == [
            ("activity.create", [None, "planned"]),
            ("activity.edit", ["planned", "cancelled"]),
        ]
        assert activity.version == 2
    for action in rows(loaded, Action, pairing):
        trail = list(
            loaded.session.scalars(
                sa.select(AuditEvent)
                .where(AuditEvent.object_type == "action", AuditEvent.object_id == action.id)
                .order_by(AuditEvent.id)
            )
        )
        assert trail[0].action == "action.create"
        assert [e.summary["version"][1] for e in trail] == list(range(1, action.version + 1))
        assert [e.created_dt for e in trail] == [c.changed_dt for c in action.status_changes]


def test_loading_the_demo_twice_is_refused(app, loaded):
    count = loaded.session.scalar(sa.select(sa.func.count()).select_from(Activity))
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code != 0
    assert "not empty" in result.output
    assert loaded.session.scalar(sa.select(sa.func.count()).select_from(Activity)) == count


# Helpers


def test_concerns_follows_the_scope_of_an_activity():
    assert concerns({"scope": "all"}, "A", "B")
    assert concerns({"pairing": ["A", "B"]}, "A", "B")
    assert not concerns({"pairing": ["A", "C"]}, "A", "B")
    assert concerns({"scope": ["B", "X"]}, "A", "B")
    assert not concerns({"scope": ["X"]}, "A", "B")
    assert not concerns({}, "A", "B")


def test_titles_and_notes_come_from_the_facts():
    assert (
        real_title({"type": "study visit", "round": 2}, "Brussels") == "Study visit 2 in Brussels"
    )
    assert real_title({"type": "transfer workshop"}, None) == "Transfer workshop"
    assert markdown_list("needs analysis; mentor showcase") == "- Needs analysis\n- Mentor showcase"
    assert markdown_list(None) is None
    notes = record_notes(
        {"type": "study visit", "round": 3, "format": "online", "date_precision": "month"},
        ["study visit 3: review"],
    )
    assert notes == (
        "Study visit 3 of the IncluCities method: review.\n\n"
        "From the programme's public record. Date known to the month."
    )
