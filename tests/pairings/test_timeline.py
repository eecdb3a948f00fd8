"""The pairing's story: the timeline page and the log sections of the overview."""

import datetime as dt
from decimal import Decimal

import pytest

from exchange.db import db as _db
from exchange.db import utcnow
from exchange.pairings import timeline
from exchange.pairings.models import PairingStep, PhaseChange
from exchange.plans.models import ActionPlan, ActionStatusChange, PlanStatusChange
from tests.factories import (
    make_action,
    make_activity,
    make_indicator,
    make_org,
    make_pairing,
)
from tests.pairings.test_views import text
from tests.test_query_counts import count_queries

TODAY = utcnow().date()


def days_ago(n: int) -> dt.date:
    return TODAY - dt.timedelta(days=n)


def at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC)


@pytest.fixture
def story(db, cast):
    """An active Mechelen pairing with one entry of every kind, each on its own day."""
    partinico = make_org(name="Partinico", parent=cast.aiccre, country="IT")
    pairing = make_pairing(cast.mechelen, partinico, status="active", time_zone="Europe/Rome")
    pairing.phase_changes[0].changed_dt = at(days_ago(60))
    pairing.steps.append(
        PairingStep(
            step="confirm",
            from_status="accepted",
            to_status="active",
            created_dt=at(days_ago(61)),
            actor_organisation=cast.vvsg,
        )
    )
    pairing.phase_changes.append(
        PhaseChange(from_phase=1, phase=2, changed_dt=at(days_ago(40)), actor=cast.coordinator)
    )
    make_activity(pairing, title="Benchmarking in Mechelen", start_date=days_ago(30))
    make_activity(
        pairing,
        status="planned",
        title="Study visit to Partinico",
        start_date=TODAY + dt.timedelta(days=20),
        host=partinico,
    )
    make_activity(pairing, status="cancelled", title="Called-off webinar", start_date=days_ago(25))
    plan = ActionPlan(pairing=pairing, status="consolidated")
    _db.session.add(plan)
    _db.session.flush()
    _db.session.add(
        PlanStatusChange(
            plan=plan,
            pairing_id=pairing.id,
            from_status="draft",
            to_status="consolidated",
            effective_date=days_ago(20),
            actor_organisation=partinico,
        )
    )
    action = make_action(pairing, title="Recruit ten buddies", status="done")
    _db.session.add(
        ActionStatusChange(
            action=action,
            pairing_id=pairing.id,
            from_status="in_progress",
            to_status="done",
            changed_dt=at(days_ago(10)),
            actor_organisation=partinico,
        )
    )
    make_indicator(
        pairing, name="Newcomers with a buddy", measurements=[(days_ago(5), 12)], target=Decimal(40)
    )
    _db.session.commit()
    return pairing


def test_the_timeline_tells_the_story_newest_first(client, cast, login_as, story):
    login_as(cast.participant)
    page = text(client.get(f"/pairings/{story.id}/timeline"))
    order = [
        "Measured: Newcomers with a buddy",
        "Action done: Recruit ten buddies",
        "Action plan: Consolidated",
        "Study visit 1: Benchmarking in Mechelen",
        "Entered Phase 2 of 8: Benchmarking",
        "Entered Phase 1 of 8",
        "Pairing: Confirmed",
    ]
    positions = [page.index(entry) for entry in order]
    assert positions == sorted(positions)
    # an activity still to come is not part of the story yet, a cancelled one never is
    assert "Study visit to Partinico" not in page
    assert "Called-off webinar" not in page
    assert "12 people (target 40)" in page


def test_the_timeline_is_paginated(app, client, cast, login_as, story, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 3)
    login_as(cast.participant)
    first = text(client.get(f"/pairings/{story.id}/timeline"))
    assert "Page 1 of 3" in first
    assert "Measured: Newcomers" in first and "Pairing: Confirmed" not in first
    last = text(client.get(f"/pairings/{story.id}/timeline?page=3"))
    assert "Pairing: Confirmed" in last and "Measured" not in last and "Entered" not in last
    assert client.get(f"/pairings/{story.id}/timeline?page=4").status_code == 404


def test_the_timeline_is_private(client, cast, login_as, story):
    login_as(cast.other_coordinator)
    assert client.get(f"/pairings/{story.id}/timeline").status_code == 404


def test_entries_merge_the_sources_by_date(app, story):
    now = utcnow()
    kinds = [entry.kind for entry in timeline.entries(story.id, now, limit=20)]
    assert kinds == [
        "measurement",
        "action_done",
        "plan",
        "activity",
        "phase",
        "phase",
        "step",
    ]
    assert timeline.count(story.id, now) == 7
    # an offset takes the right slice of the merged story
    assert [e.kind for e in timeline.entries(story.id, now, limit=2, offset=2)] == [
        "plan",
        "activity",
    ]


def test_the_overview_shows_the_log(client, cast, login_as, story):
    login_as(cast.coordinator)
    page = text(client.get(f"/pairings/{story.id}"))
    assert "1 activity held · 1 planned · 1 cancelled" in page
    assert "Coming up" in page and "Study visit to Partinico" in page
    assert "Recently held" in page and "Benchmarking in Mechelen" in page
    assert "Status of the plan: Consolidated" in page
    assert "1 action: 1 done, 0 in progress, 0 planned" in page
    assert "Log an activity" in page
    assert "Latest in the timeline" in page and "Measured: Newcomers with a buddy" in page
    assert "Download the calendar (.ics)" in page


def test_participants_read_the_log_but_are_not_offered_to_log(client, cast, login_as, story):
    login_as(cast.participant)
    page = text(client.get(f"/pairings/{story.id}"))
    assert "Benchmarking in Mechelen" in page
    assert "Log an activity" not in page


def test_the_overview_of_an_empty_log_says_so(client, cast, login_as, db):
    pairing = make_pairing(cast.mechelen, make_org(name="Lier", parent=cast.vvsg), "accepted")
    _db.session.commit()
    login_as(cast.coordinator)
    page = text(client.get(f"/pairings/{pairing.id}"))
    assert "No activity is logged yet. Log the kick-off" in page
    assert "The action plan is not written yet." in page


def test_the_timeline_costs_the_same_queries_whatever_the_story(app, cast, login_as, story):
    client = app.test_client()
    login_as(cast.participant, the_client=client)

    def queries(url) -> int:
        with count_queries(_db.engine) as statements:
            assert client.get(url).status_code == 200
        return len(statements)

    small = (queries(f"/pairings/{story.id}/timeline"), queries(f"/pairings/{story.id}"))
    for n in range(15):
        make_activity(story, title=f"Meeting {n}", start_date=days_ago(100 + n))
        make_indicator(story, name=f"Indicator {n}", measurements=[(days_ago(50 + n), n)])
    _db.session.commit()
    assert (queries(f"/pairings/{story.id}/timeline"), queries(f"/pairings/{story.id}")) == small


def test_a_transfer_lists_the_actions_that_carry_its_practice_over(client, cast, login_as, db):
    from tests.factories import make_practice, make_transfer

    pairing = make_pairing(cast.mechelen, make_org(name="Lier", parent=cast.vvsg), "active")
    buddies = make_practice(cast.mechelen, title="Buddies")
    make_transfer(buddies, pairing)
    action = make_action(pairing, title="Train the first buddies", practice_id=buddies.id)
    make_action(pairing, title="Unrelated action")
    _db.session.commit()
    login_as(cast.participant)
    html = client.get(f"/pairings/{pairing.id}").get_data(as_text=True)
    page = text(client.get(f"/pairings/{pairing.id}"))
    assert "Actions of the plan: Train the first buddies (Planned)" in page
    assert f'/pairings/{pairing.id}/plan#action-{action.id}"' in html
    assert "Unrelated action" not in page
