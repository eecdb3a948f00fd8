"""The services of the action plan: the plan and its status history, actions, indicators,
measurements and risks; who may change them; optimistic locking; and the overdue rule."""

import datetime as dt
from decimal import Decimal

import pytest

from exchange.db import db, utcnow
from exchange.domain import DomainError
from exchange.editing import EditConflict
from exchange.plans import queries, services
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
from tests.factories import make_action, make_indicator, make_pairing, make_practice, make_risk
from tests.plans.helpers import events, rows

TODAY = utcnow().date()
DAY = dt.timedelta(days=1)


def plan_values(**overrides) -> dict:
    values = dict(
        status="draft",
        vision="A buddy for every newcomer.",
        target_groups="Newly arrived families",
        local_practice_name="Tutti Capaci",
        monitoring_method="Quarterly count.",
    )
    values.update(overrides)
    return values


def action_values(**overrides) -> dict:
    values = dict(
        title="Recruit ten buddies",
        description=None,
        responsible="Social services",
        partners=None,
        start_date=TODAY - 10 * DAY,
        due_date=TODAY + 10 * DAY,
        budget=Decimal("12500.50"),
        funding_source="AMIF",
        status="planned",
    )
    values.update(overrides)
    return values


def indicator_values(**overrides) -> dict:
    values = dict(
        name="Newcomers with a buddy",
        type="output",
        unit="people",
        baseline=Decimal(0),
        target=Decimal(40),
    )
    values.update(overrides)
    return values


def risk_values(**overrides) -> dict:
    values = dict(
        description="Too few volunteers.",
        likelihood="medium",
        impact="high",
        mitigation="Ask the sports clubs.",
        owner="Volunteer centre",
        status="open",
    )
    values.update(overrides)
    return values


def refused(call, field=None) -> DomainError:
    with pytest.raises(DomainError) as caught:
        call()
    db.session.rollback()
    assert caught.value.field == field
    return caught.value


# The plan


def test_the_first_save_creates_the_plan_with_its_first_status(cast, world):
    day = TODAY - 5 * DAY
    plan = services.save_plan(cast.coordinator, world.pairing, None, plan_values(), day)
    db.session.commit()

    assert plan.version == 1 and plan.status == "draft"
    [change] = rows(PlanStatusChange)
    assert (change.from_status, change.to_status, change.effective_date) == (None, "draft", day)
    assert change.actor_id == cast.coordinator.id
    assert change.actor_organisation_id == cast.mechelen.id
    [event] = events("actionplan", plan.id)
    assert event.action == "actionplan.create"
    assert event.summary["vision"] == [None, "A buddy for every newcomer."]
    assert event.summary["version"] == [0, 1]


def test_status_changes_are_recorded_with_their_dates_and_may_move_back(cast, world):
    plan = services.save_plan(
        cast.coordinator, world.pairing, None, plan_values(), TODAY - 30 * DAY
    )
    services.save_plan(
        world.capaci_coordinator,
        world.pairing,
        1,
        plan_values(status="adopted"),
        TODAY - 20 * DAY,
    )
    services.save_plan(
        cast.admin, world.pairing, 2, plan_values(status="reviewed"), TODAY - 10 * DAY
    )
    db.session.commit()

    changes = rows(PlanStatusChange)
    assert [(c.from_status, c.to_status, c.effective_date) for c in changes] == [
        (None, "draft", TODAY - 30 * DAY),
        ("draft", "adopted", TODAY - 20 * DAY),
        ("adopted", "reviewed", TODAY - 10 * DAY),  # back a step: kept like any other
    ]
    assert changes[1].actor_organisation_id == world.capaci_coordinator.organisation_id
    assert changes[2].actor_id == cast.admin.id
    assert plan.version == 3
    last = events("actionplan", plan.id)[-1]
    assert last.summary["status"] == ["adopted", "reviewed"]
    assert last.summary["status_date"] == [None, (TODAY - 10 * DAY).isoformat()]


def test_a_status_change_needs_a_date_that_is_not_in_the_future_nor_before_the_last(cast, world):
    services.save_plan(cast.coordinator, world.pairing, None, plan_values(), TODAY - 3 * DAY)
    db.session.commit()
    move = plan_values(status="consolidated")
    pairing = world.pairing

    error = refused(
        lambda: services.save_plan(cast.coordinator, pairing, 1, move, None), "status_date"
    )
    assert str(error.message) == "Enter the date the plan reached this status."
    error = refused(
        lambda: services.save_plan(cast.coordinator, pairing, 1, move, TODAY + 5 * DAY),
        "status_date",
    )
    assert "cannot be in the future" in str(error.message)
    error = refused(
        lambda: services.save_plan(cast.coordinator, pairing, 1, move, TODAY - 4 * DAY),
        "status_date",
    )
    assert "enter that day or a later one" in str(error.message)
    assert [c.to_status for c in rows(PlanStatusChange)] == ["draft"]
    assert rows(ActionPlan)[0].status == "draft"


def test_editing_the_text_alone_needs_no_date_and_records_no_status_change(cast, world):
    services.save_plan(cast.coordinator, world.pairing, None, plan_values(), TODAY)
    services.save_plan(cast.coordinator, world.pairing, 1, plan_values(vision="New"), None)
    db.session.commit()
    assert rows(ActionPlan)[0].vision == "New"
    assert len(rows(PlanStatusChange)) == 1


def test_a_stale_plan_form_is_a_conflict_and_a_double_submission_is_not(cast, world):
    services.save_plan(cast.coordinator, world.pairing, None, plan_values(), TODAY)
    services.save_plan(
        world.capaci_coordinator, world.pairing, 1, plan_values(vision="Theirs"), None
    )
    db.session.commit()

    with pytest.raises(EditConflict) as caught:
        services.save_plan(cast.coordinator, world.pairing, 1, plan_values(vision="Mine"), None)
    db.session.rollback()
    assert caught.value.changed_fields == ["vision"]
    assert rows(ActionPlan)[0].vision == "Theirs"

    # the same values sent again from the old form: already saved, nothing happens
    services.save_plan(
        world.capaci_coordinator, world.pairing, 1, plan_values(vision="Theirs"), None
    )
    db.session.commit()
    assert rows(ActionPlan)[0].version == 2
    assert len(events("actionplan")) == 2


def test_a_second_first_save_finds_the_plan_and_does_not_make_another(cast, world):
    services.save_plan(cast.coordinator, world.pairing, None, plan_values(), TODAY)
    db.session.commit()

    # the colleague's form was opened before the plan existed: their different text is a
    # conflict, the same text a double submission
    with pytest.raises(EditConflict):
        services.save_plan(
            world.capaci_coordinator, world.pairing, None, plan_values(vision="Other"), TODAY
        )
    db.session.rollback()
    services.save_plan(world.capaci_coordinator, world.pairing, None, plan_values(), TODAY)
    db.session.commit()
    assert len(rows(ActionPlan)) == 1
    assert len(rows(PlanStatusChange)) == 1


def test_a_plan_made_in_between_is_caught_by_the_unique_pairing(cast, world, monkeypatch):
    services.save_plan(cast.coordinator, world.pairing, None, plan_values(), TODAY)
    db.session.commit()
    real_plan_of = queries.plan_of
    answers = iter([None])  # the first look finds nothing, as if the other save came later

    def plan_of(pairing_id, lock=False):
        return next(answers, real_plan_of(pairing_id, lock))

    monkeypatch.setattr(queries, "plan_of", plan_of)
    plan = services.save_plan(world.capaci_coordinator, world.pairing, None, plan_values(), TODAY)
    db.session.commit()
    assert len(rows(ActionPlan)) == 1
    assert plan.version == 1 and len(rows(PlanStatusChange)) == 1


@pytest.mark.parametrize("who", ["participant", "officer", "other"])
def test_only_coordinators_of_the_two_cities_and_admins_keep_the_plan(cast, world, who):
    user = {"participant": cast.participant, "officer": cast.officer, "other": world.outsider}[who]
    refused(lambda: services.save_plan(user, world.pairing, None, plan_values(), TODAY))
    refused(lambda: services.create_action(user, world.pairing, action_values(), None))
    refused(lambda: services.create_indicator(user, world.pairing, indicator_values()))
    refused(lambda: services.create_risk(user, world.pairing, risk_values()))
    assert rows(ActionPlan) == [] and rows(Action) == [] and rows(Risk) == []


def test_a_proposed_pairing_keeps_no_plan_yet(cast, world):
    proposed = make_pairing(cast.mechelen, world.jelgava)
    db.session.commit()
    refused(lambda: services.create_action(cast.coordinator, proposed, action_values(), None))


# Actions


def test_an_action_is_created_with_its_first_status_and_changes_are_recorded(cast, world):
    action = services.create_action(
        cast.coordinator, world.pairing, action_values(), world.samen.id
    )
    db.session.commit()
    assert action.practice_id == world.samen.id and action.budget == Decimal("12500.50")
    assert action.created_by_id == cast.coordinator.id

    services.update_action(
        world.capaci_coordinator, action, 1, action_values(status="in_progress"), world.samen.id
    )
    services.update_action(cast.coordinator, action, 2, action_values(status="done"), None)
    db.session.commit()

    changes = rows(ActionStatusChange)
    assert [(c.from_status, c.to_status) for c in changes] == [
        (None, "planned"),
        ("planned", "in_progress"),
        ("in_progress", "done"),
    ]
    assert changes[1].actor_organisation_id == cast.capaci.id
    assert all(c.pairing_id == world.pairing.id for c in changes)
    assert action.practice_id is None and action.version == 3
    created, *_ = events("action", action.id)
    assert created.summary["budget"] == [None, "12500.50"]
    assert created.summary["practice"] == [None, "Samen Inburgeren"]


def test_an_action_cannot_be_due_before_it_starts(cast, world):
    values = action_values(start_date=TODAY, due_date=TODAY - DAY)
    error = refused(
        lambda: services.create_action(cast.coordinator, world.pairing, values, None), "due_date"
    )
    assert "cannot be before the start date" in str(error.message)
    assert rows(Action) == []
    # the same day is fine
    services.create_action(
        cast.coordinator, world.pairing, action_values(start_date=TODAY, due_date=TODAY), None
    )


def test_an_action_links_to_published_or_transferred_practices_only(cast, world):
    create = services.create_action
    for practice_id in (world.draft.id, 2**31 + 5, 999_999, 0):
        refused(
            lambda p=practice_id: create(cast.coordinator, world.pairing, action_values(), p),
            "practice_id",
        )
    world.samen.status = "draft"  # unpublished since, but transferred in this pairing
    db.session.commit()
    action = create(cast.coordinator, world.pairing, action_values(), world.samen.id)
    assert action.practice_id == world.samen.id


def test_an_action_keeps_a_practice_unpublished_since_it_was_linked(cast, world):
    action = make_action(world.pairing, practice_id=world.desk.id)
    world.desk.status = "draft"
    db.session.commit()
    services.update_action(
        cast.coordinator, action, 1, action_values(title="Renamed"), world.desk.id
    )
    db.session.commit()
    assert action.practice_id == world.desk.id and action.title == "Renamed"


def test_a_change_of_budget_alone_is_saved_locked_and_audited(cast, world):
    action = services.create_action(cast.coordinator, world.pairing, action_values(), None)
    db.session.commit()
    services.update_action(cast.coordinator, action, 1, action_values(budget=Decimal("9000")), None)
    db.session.commit()
    assert action.budget == Decimal("9000") and action.version == 2
    assert events("action", action.id)[-1].summary["budget"] == ["12500.50", "9000"]

    with pytest.raises(EditConflict) as caught:
        services.update_action(
            world.capaci_coordinator, action, 1, action_values(budget=Decimal("1")), None
        )
    db.session.rollback()
    assert caught.value.changed_fields == ["budget"]
    assert rows(Action)[0].budget == Decimal("9000")
    # the value saved meanwhile, sent again from the old form, is no conflict
    services.update_action(
        cast.coordinator, action, 1, action_values(budget=Decimal("9000.00")), None
    )
    assert action.version == 2


# Indicators and measurements


def test_the_target_must_differ_from_the_baseline(cast, world):
    values = indicator_values(baseline=Decimal(5), target=Decimal("5.0"))
    error = refused(
        lambda: services.create_indicator(cast.coordinator, world.pairing, values), "target"
    )
    assert str(error.message) == "The target must differ from the baseline."
    indicator = make_indicator(world.pairing)
    db.session.commit()
    refused(lambda: services.update_indicator(cast.coordinator, indicator, 1, values), "target")
    assert rows(Indicator)[0].target == Decimal(40)


def test_an_indicator_is_edited_with_optimistic_locking(cast, world):
    indicator = services.create_indicator(cast.coordinator, world.pairing, indicator_values())
    db.session.commit()
    services.update_indicator(
        world.capaci_coordinator, indicator, 1, indicator_values(target=Decimal(60))
    )
    db.session.commit()
    with pytest.raises(EditConflict) as caught:
        services.update_indicator(cast.coordinator, indicator, 1, indicator_values(name="New"))
    db.session.rollback()
    assert caught.value.changed_fields == ["target"]
    # saving again applies what the user sends, here with the other's target taken over
    values = indicator_values(name="New", target=Decimal(60))
    services.update_indicator(cast.coordinator, indicator, 2, values)
    db.session.commit()
    saved = rows(Indicator)[0]
    assert (saved.name, saved.target, saved.version) == ("New", Decimal(60), 3)


def test_a_measurement_is_dated_today_or_earlier_and_remembers_who_took_it(cast, world):
    indicator = make_indicator(world.pairing)
    db.session.commit()
    add = services.add_measurement
    refused(
        lambda: add(cast.coordinator, indicator, Decimal(3), TODAY + 2 * DAY, None), "measured_on"
    )
    measurement = add(cast.coordinator, indicator, Decimal("12.5"), TODAY, "From the register")
    db.session.commit()
    assert measurement.pairing_id == world.pairing.id
    assert measurement.actor_id == cast.coordinator.id
    assert measurement.actor_organisation_id == cast.mechelen.id
    assert events("measurement", measurement.id)[0].summary["value"] == [None, "12.5"]
    assert indicator.progress == pytest.approx(12.5 / 40)


def test_a_wrong_measurement_is_removed_and_the_audit_trail_keeps_it(cast, world):
    indicator = make_indicator(world.pairing, measurements=[(TODAY - DAY, 10), (TODAY, 99)])
    db.session.commit()
    wrong = indicator.measurements[-1]
    wrong_id = wrong.id
    services.remove_measurement(world.capaci_coordinator, wrong)
    db.session.commit()
    assert [m.value for m in rows(Measurement)] == [Decimal(10)]
    [event] = events("measurement", wrong_id)
    assert event.action == "measurement.remove"
    assert Decimal(event.summary["value"][0]) == 99 and event.summary["value"][1] is None
    refused(lambda: services.remove_measurement(cast.participant, rows(Measurement)[0]))


# Risks


def test_a_risk_records_its_creation_and_each_status_change(cast, world):
    risk = services.create_risk(cast.coordinator, world.pairing, risk_values())
    db.session.commit()
    services.update_risk(cast.coordinator, risk, 1, risk_values(mitigation="Other"))
    services.update_risk(cast.coordinator, risk, 2, risk_values(status="mitigated"))
    services.update_risk(world.capaci_coordinator, risk, 3, risk_values(status="closed"))
    db.session.commit()
    changes = rows(RiskChange)
    assert [(c.from_status, c.to_status) for c in changes] == [
        (None, "open"),
        ("open", "mitigated"),
        ("mitigated", "closed"),
    ]
    assert changes[2].actor_id == world.capaci_coordinator.id
    assert risk.mitigation == "Ask the sports clubs."  # the last saves sent the first text


def test_a_stale_risk_form_is_a_conflict(cast, world):
    risk = make_risk(world.pairing, **risk_values())
    db.session.commit()
    services.update_risk(cast.coordinator, risk, 1, risk_values(owner="City"))
    db.session.commit()
    with pytest.raises(EditConflict) as caught:
        services.update_risk(world.capaci_coordinator, risk, 1, risk_values(status="closed"))
    db.session.rollback()
    assert caught.value.changed_fields == ["owner"]
    assert rows(Risk)[0].status == "open" and rows(RiskChange) == []


# Overdue actions


@pytest.mark.parametrize(
    ("due", "status", "overdue"),
    [
        (TODAY, "planned", False),  # due today: not yet
        (TODAY - DAY, "planned", True),
        (TODAY - DAY, "in_progress", True),
        (TODAY - 400 * DAY, "done", False),  # done is never overdue
        (TODAY - DAY, "dropped", False),
        (TODAY + DAY, "in_progress", False),
        (None, "planned", False),
    ],
)
def test_overdue_at_the_boundaries_in_python_and_in_sql(world, due, status, overdue):
    action = make_action(world.pairing, status=status, due_date=due, start_date=None)
    db.session.commit()
    assert action.is_overdue(TODAY) is overdue
    assert queries.overdue_counts([world.pairing.id], TODAY) == (
        {world.pairing.id: 1} if overdue else {}
    )


def test_overdue_count_sql_agrees_with_is_overdue(cast, world):
    import sqlalchemy as sa

    from exchange.pairings.models import Pairing

    other = make_pairing(cast.mechelen, world.jelgava, status="active")
    empty = make_pairing(world.jelgava, cast.capaci, status="active")
    statuses = ["planned", "in_progress", "done", "dropped"]
    for pairing in (world.pairing, other):
        for offset in (-3, -1, 0, 1):
            for status in statuses:
                make_action(pairing, status=status, due_date=TODAY + offset * DAY, start_date=None)
    make_action(other, status="planned", due_date=None)
    db.session.commit()

    expected = {
        p.id: sum(a.is_overdue(TODAY) for a in rows(Action, Action.pairing_id == p.id))
        for p in (world.pairing, other, empty)
    }
    found = dict(
        db.session.execute(
            sa.select(Pairing.id, queries.overdue_count_sql(TODAY)).where(Pairing.id.in_(expected))
        ).all()
    )
    assert found == expected == {world.pairing.id: 4, other.id: 4, empty.id: 0}
    with_overdue = db.session.scalars(
        sa.select(Pairing.id).where(queries.overdue_count_sql(TODAY) > 0).order_by(Pairing.id)
    ).all()
    assert with_overdue == sorted([world.pairing.id, other.id])
    assert queries.overdue_counts([*expected, 2**40], TODAY) == {
        world.pairing.id: 4,
        other.id: 4,
    }
    # tomorrow, the actions due today are late too
    assert queries.overdue_counts([world.pairing.id], TODAY + DAY) == {world.pairing.id: 6}


def test_the_plan_summary_counts_in_two_queries(app, cast, world):
    from exchange.db import db as _db
    from tests.test_query_counts import count_queries

    assert queries.plan_summary(world.pairing.id, TODAY).plan_status is None
    services.save_plan(cast.coordinator, world.pairing, None, plan_values(), TODAY)
    for status, due in [("done", -5), ("planned", -1), ("in_progress", 3), ("planned", 0)]:
        make_action(world.pairing, status=status, due_date=TODAY + due * DAY, start_date=None)
    make_indicator(world.pairing)
    make_risk(world.pairing)
    make_risk(world.pairing, status="closed")
    db.session.commit()

    pairing_id = world.pairing.id
    with count_queries(_db.engine) as statements:
        summary = queries.plan_summary(pairing_id, TODAY)
    assert len(statements) == 2
    assert (summary.plan_status, summary.plan_status_label) == ("draft", "Draft")
    assert summary.actions_by_status == {"done": 1, "planned": 2, "in_progress": 1}
    assert (summary.actions, summary.overdue, summary.indicators, summary.open_risks) == (
        4,
        1,
        1,
        1,
    )
    assert summary.count("dropped") == 0


def test_indicator_progress_is_the_mean_over_measured_indicators(world, cast):
    make_indicator(world.pairing, measurements=[(TODAY - 9 * DAY, 30), (TODAY, 10)])  # 25 %
    make_indicator(  # a target below the baseline: from 100 down to 50, now 25: reached
        world.pairing, baseline=Decimal(100), target=Decimal(50), measurements=[(TODAY, 25)]
    )
    make_indicator(world.pairing)  # not measured: left out
    other = make_pairing(cast.mechelen, world.jelgava, status="active")
    make_indicator(other)
    db.session.commit()
    found = queries.indicator_progress([world.pairing.id, other.id])
    assert found == {world.pairing.id: pytest.approx((0.25 + 1.0) / 2)}


def test_practice_choices_put_the_transferred_practices_first(world):
    first, others = queries.practice_choices(world.pairing)
    assert [p.title for p in first] == ["Samen Inburgeren"]
    assert [p.title for p in others] == ["A one-stop shop"]
    make_practice(world.jelgava, title="Zz late")
    first, others = queries.practice_choices(world.pairing, current_id=world.draft.id)
    assert [p.title for p in others] == ["A one-stop shop", "Unfinished draft", "Zz late"]
