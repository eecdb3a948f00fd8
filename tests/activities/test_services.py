"""The activity services and the queries the pairing's overview uses."""

import datetime as dt

import pytest

from exchange.activities import queries, services
from exchange.domain import DomainError
from exchange.editing import EditConflict
from tests.activities.helpers import audit_actions, today
from tests.factories import make_activity, make_pairing

NOW = dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC)


def values(**overrides) -> dict:
    data = dict(
        type="steering_committee",
        study_visit_round=None,
        title="Steering committee",
        start_date=dt.date(2026, 3, 20),
        start_time=None,
        end_date=None,
        end_time=None,
        format="hybrid",
        host_id=None,
        venue=None,
        status="planned",
        participants_mentor=0,
        participants_mentee=0,
        participants_associations=0,
        participants_others=0,
        objectives=None,
        agenda=None,
        outcomes=None,
        follow_up=None,
    )
    data.update(overrides)
    return data


def test_a_date_without_times_runs_the_whole_day_in_the_pairings_zone(db, cast, world):
    activity = services.create_activity(
        cast.coordinator, world.pairing, values(end_date=dt.date(2026, 3, 21)), now=NOW
    )
    # Rome is UTC+1 in March before the clock change
    assert activity.starts_at == dt.datetime(2026, 3, 19, 23, 0, tzinfo=dt.UTC)
    assert activity.ends_at == dt.datetime(2026, 3, 21, 22, 59, 59, tzinfo=dt.UTC)
    assert activity.logged_by_id == cast.coordinator.id
    assert audit_actions() == ["activity.create"]


@pytest.mark.parametrize("who", ["participant", "officer", "outsider"])
def test_only_coordinators_and_admins_log_activities(db, cast, world, who):
    user = world.outsider if who == "outsider" else cast.by_role(who)
    with pytest.raises(DomainError):
        services.create_activity(user, world.pairing, values(), now=NOW)


def test_a_pairing_that_was_declined_keeps_no_records(db, cast, world):
    declined = make_pairing(cast.mechelen, world.jelgava, status="declined")
    with pytest.raises(DomainError):
        services.create_activity(cast.admin, declined, values(), now=NOW)


def test_held_needs_a_start_in_the_past_and_planned_may_be_late(db, cast, world):
    with pytest.raises(DomainError) as refused:
        services.create_activity(cast.admin, world.pairing, values(status="held"), now=NOW)
    assert refused.value.field == "status"
    late = services.create_activity(
        cast.admin, world.pairing, values(start_date=dt.date(2026, 1, 5)), now=NOW
    )
    assert late.is_planned
    today_ = services.create_activity(
        cast.admin, world.pairing, values(start_date=dt.date(2026, 3, 10), status="held"), now=NOW
    )
    assert today_.is_held  # a day's activity may be marked held on that day


def test_the_round_is_kept_for_study_visits_only(db, cast, world):
    visit = services.create_activity(
        cast.admin, world.pairing, values(type="study_visit", study_visit_round=2), now=NOW
    )
    other = services.create_activity(
        cast.admin, world.pairing, values(type="peer_review", study_visit_round=2), now=NOW
    )
    assert (visit.study_visit_round, visit.type_label) == (2, "Study visit 2")
    assert other.study_visit_round is None
    with pytest.raises(DomainError) as refused:
        services.create_activity(
            cast.admin, world.pairing, values(type="study_visit", study_visit_round=4), now=NOW
        )
    assert refused.value.field == "study_visit_round"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        (dict(participants_mentor=-1), "participants_mentor"),
        (dict(participants_others=100_001), "participants_others"),
        (dict(title=""), "title"),
        (dict(title="t" * 201), "title"),
        (dict(agenda="a" * 20_001), "agenda"),
        (dict(end_date=dt.date(2026, 3, 19)), "end_date"),
        (dict(start_time=dt.time(10), end_time=dt.time(9)), "end_time"),
        (dict(host_id=999_999), "host_id"),
        (dict(type="party"), "type"),
        (dict(format="carrier pigeon"), "format"),
    ],
)
def test_the_service_refuses_bad_values_at_their_field(db, cast, world, overrides, field):
    with pytest.raises(DomainError) as refused:
        services.create_activity(cast.admin, world.pairing, values(**overrides), now=NOW)
    assert refused.value.field == field


def test_an_edit_of_an_old_version_raises_a_conflict_naming_the_fields(db, cast, world):
    activity = services.create_activity(cast.admin, world.pairing, values(), now=NOW)
    services.update_activity(
        cast.coordinator, activity, values(title="Renamed"), seen_version=1, now=NOW
    )
    with pytest.raises(EditConflict) as conflict:
        services.update_activity(
            cast.other_coordinator, activity, values(venue="Capaci"), seen_version=1, now=NOW
        )
    assert conflict.value.changed_fields == ["title"]
    assert (activity.title, activity.venue, activity.version) == ("Renamed", None, 2)


def test_mark_held_refuses_an_activity_that_has_not_started(db, cast, world):
    activity = services.create_activity(cast.admin, world.pairing, values(), now=NOW)
    with pytest.raises(DomainError):
        services.mark_held(cast.admin, activity, {"outcomes": "x"}, 1, now=NOW)
    later = NOW + dt.timedelta(days=30)
    counts = dict.fromkeys(
        ("participants_mentor", "participants_mentee", "participants_associations"), 2
    )
    services.mark_held(
        cast.admin,
        activity,
        {"outcomes": "Agreed.", "participants_others": 1, **counts},
        1,
        now=later,
    )
    assert (activity.status, activity.participants_total, activity.version) == ("held", 7, 2)


def test_the_overview_queries(db, cast, world):
    p = world.pairing
    now = dt.datetime.combine(today(), dt.time(12), tzinfo=dt.UTC)
    for days, title in ((20, "In twenty days"), (3, "In three days"), (40, "In forty days")):
        make_activity(p, status="planned", title=title, start_date=today() + dt.timedelta(days))
    make_activity(p, status="planned", title="Far", start_date=today() + dt.timedelta(90))
    make_activity(p, status="planned", title="Overdue", start_date=today() - dt.timedelta(9))
    for days in (30, 10, 60, 5):
        make_activity(p, title=f"Held {days} days ago", start_date=today() - dt.timedelta(days))
    make_activity(p, status="cancelled", title="Cancelled")
    other = make_pairing(cast.capaci, world.jelgava, status="active")
    make_activity(other, status="planned", start_date=today() + dt.timedelta(1))

    assert [a.title for a in queries.upcoming(p.id, now)] == [
        "In three days",
        "In twenty days",
        "In forty days",
    ]
    assert [a.title for a in queries.recent_held(p.id, limit=2)] == [
        "Held 5 days ago",
        "Held 10 days ago",
    ]
    assert queries.counts(p.id) == {"planned": 5, "held": 4, "cancelled": 1}
    assert queries.counts(world.jelgava.id + 1000) == {"planned": 0, "held": 0, "cancelled": 0}
