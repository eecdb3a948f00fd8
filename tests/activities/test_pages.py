"""Logging, reading and listing activities through the pages."""

import datetime as dt
import re

import sqlalchemy as sa

from exchange.activities.models import Activity
from exchange.audit import AuditEvent
from exchange.db import db
from tests.activities.helpers import activities, activity_form, audit_actions, in_days, today
from tests.factories import make_action, make_activity
from tests.practices.helpers import html, text


def test_a_coordinator_logs_a_planned_study_visit(client, cast, world, login_as, outbox):
    action = make_action(world.pairing, title="Recruit the first ten buddies")
    make_action(world.pairing, title="Train the buddies")
    db.session.commit()
    login_as(cast.coordinator)
    form = client.get(f"/pairings/{world.pairing.id}/activities/new")
    page = text(form)
    assert "Europe/Rome" in page  # the hint names the pairing's time zone
    assert "Recruit the first ten buddies" in page  # the plan's actions as checkboxes
    assert len(re.findall(r'type="radio" [^>]*name="type"|<option value="', html(form))) >= 16

    response = client.post(
        f"/pairings/{world.pairing.id}/activities/new",
        data=activity_form(world, linked_actions=[str(action.id)]),
    )
    [activity] = activities()
    assert response.status_code == 302
    assert response.location == f"/activities/{activity.id}"
    assert (activity.type, activity.study_visit_round, activity.status) == (
        "study_visit",
        1,
        "planned",
    )
    assert activity.start_time == dt.time(9, 30)
    assert activity.host_id == cast.mechelen.id
    assert activity.logged_by_id == cast.coordinator.id
    assert [a.title for a in activity.actions] == ["Recruit the first ten buddies"]
    assert activity.participants_total == 12
    # 09:30 in Rome is 07:30 or 08:30 UTC, depending on the season
    rome = dt.datetime.combine(activity.start_date, dt.time(9, 30))
    assert activity.starts_at.replace(tzinfo=None) - rome in (
        dt.timedelta(hours=-1),
        dt.timedelta(hours=-2),
    )
    assert audit_actions() == ["activity.create"]

    shown = client.get(response.location)
    page = text(shown)
    assert "Study visit 1" in page
    assert "Recruit the first ten buddies" in page
    assert f'href="/pairings/{world.pairing.id}/plan#action-{action.id}"' in html(shown)
    assert "Europe/Rome" in page
    assert "<strong>buddy scheme</strong>" in html(shown)  # Markdown rendered
    assert "Mark as held" not in page  # it has not started yet
    assert "Give my feedback" not in page
    assert f"/activities/{activity.id}/calendar.ics" in html(shown)


def test_the_other_citys_coordinators_are_told_in_their_language(
    client, cast, world, login_as, outbox
):
    cast.other_coordinator.locale = "fr"
    db.session.commit()
    login_as(cast.coordinator)
    client.post(f"/pairings/{world.pairing.id}/activities/new", data=activity_form(world))
    [activity] = activities()
    [message] = outbox()
    assert message.recipient == cast.other_coordinator.email
    assert f"/activities/{activity.id}" in message.text
    assert "Study visit to the buddy scheme" in message.subject
    assert "Bonjour" in message.text
    # the whole span, on the clock of the place where it happens, in French
    start, end = activity.start_date, activity.end_date
    assert f"{start.day} " in message.text and f"{end.day} " in message.text
    assert "09:30" in message.text and "13:00" in message.text
    assert "fuseau horaire" in message.text and "(Europe/Rome)" in message.text


def test_an_activity_logged_late_as_held_shows_its_outcomes(client, cast, world, login_as):
    login_as(cast.other_coordinator)  # Capaci's coordinator logs it
    response = client.post(
        f"/pairings/{world.pairing.id}/activities/new",
        data=activity_form(
            world,
            type="kick_off",
            study_visit_round="2",  # ignored: not a study visit
            title="Kick-off meeting",
            start_date=in_days(-40),
            end_date="",
            start_time="",
            end_time="",
            status="held",
            format="online",
            host_id="",
            outcomes="We agreed on a *work plan*.\n\n<script>alert('x')</script>",
        ),
    )
    assert response.status_code == 302
    [activity] = activities()
    assert (activity.type, activity.study_visit_round, activity.host_id) == ("kick_off", None, None)
    page = html(client.get(response.location))
    assert "<em>work plan</em>" in page
    assert "<script>alert" not in page
    assert "Kick-off meeting" in page


def test_the_list_shows_planned_first_then_newest_first(client, cast, world, login_as):
    p = world.pairing
    make_activity(p, title="Old visit", start_date=today() - dt.timedelta(days=100))
    make_activity(p, title="Recent visit", start_date=today() - dt.timedelta(days=5))
    make_activity(
        p, title="Next month", status="planned", start_date=today() + dt.timedelta(days=30)
    )
    make_activity(p, title="Next week", status="planned", start_date=today() + dt.timedelta(days=7))
    make_activity(
        p, title="Cancelled one", status="cancelled", start_date=today() - dt.timedelta(days=50)
    )
    db.session.commit()
    login_as(cast.participant)
    page = client.get(f"/pairings/{p.id}/activities")
    titles = re.findall(r'<a href="/activities/\d+">(.*?)</a>', html(page))
    assert titles == ["Next week", "Next month", "Recent visit", "Cancelled one", "Old visit"]
    assert "5 activities" in text(page)
    assert "Log an activity" not in text(page)

    held = client.get(f"/pairings/{p.id}/activities?status=held")
    assert re.findall(r'<a href="/activities/\d+">(.*?)</a>', html(held)) == [
        "Recent visit",
        "Old visit",
    ]
    typed = client.get(f"/pairings/{p.id}/activities?type=kick_off&status=nonsense")
    assert "No activity matches these filters." in text(typed)


def test_the_list_gives_participants_and_feedback_for_each_activity(client, cast, world, login_as):
    from exchange.activities.models import Feedback

    activity = make_activity(world.pairing, participants_mentor=1200, participants_mentee=3)
    db.session.add_all(
        [
            Feedback(activity=activity, user=cast.participant, usefulness=4),
            Feedback(activity=activity, user=cast.coordinator, usefulness=5),
        ]
    )
    db.session.commit()
    login_as(cast.coordinator)
    page = text(client.get(f"/pairings/{world.pairing.id}/activities"))
    assert "1,203" in page
    assert "4.5 out of 5 (2 ratings)" in page
    assert "Log an activity" in page
    client.post("/language", data={"language": "fr"})
    cast.coordinator.locale = "fr"
    db.session.commit()
    page = text(client.get(f"/pairings/{world.pairing.id}/activities"))
    assert "4,5" in page


def test_a_planned_activity_past_its_date_asks_to_be_marked_held(client, cast, world, login_as):
    make_activity(
        world.pairing, title="Forgotten", status="planned", start_date=today() - dt.timedelta(3)
    )
    db.session.commit()
    login_as(cast.coordinator)
    assert "Took place? Mark it as held" in text(
        client.get(f"/pairings/{world.pairing.id}/activities")
    )


def test_creating_writes_one_audit_event_with_the_values(client, cast, world, login_as):
    login_as(cast.coordinator)
    client.post(f"/pairings/{world.pairing.id}/activities/new", data=activity_form(world))
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.object_type == "activity"))
    assert event.summary["title"] == [None, "Study visit to the buddy scheme"]
    assert event.summary["start_time"] == [None, "09:30"]
    assert event.summary["version"] == [None, 1]


def test_page_numbers_out_of_range_are_not_found(client, cast, world, login_as):
    login_as(cast.coordinator)
    assert client.get(f"/pairings/{world.pairing.id}/activities?page=0").status_code == 404
    assert client.get(f"/pairings/{world.pairing.id}/activities?page=abc").status_code == 200
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Activity)) == 0


def test_only_those_who_keep_the_records_are_asked_to_mark_it_held(client, cast, world, login_as):
    forgotten = make_activity(
        world.pairing, title="Forgotten", status="planned", start_date=today() - dt.timedelta(3)
    )
    db.session.commit()
    held_link = f'href="/activities/{forgotten.id}/held"'
    for reader in (world.capaci_participant, world.aiccre_officer):
        login_as(reader)
        page = client.get(f"/pairings/{world.pairing.id}/activities")
        assert page.status_code == 200
        assert "Took place? Mark it as held" not in text(page)
        assert held_link not in html(page)
        assert "Not marked as held yet" in text(page)
    login_as(cast.other_coordinator)
    page = client.get(f"/pairings/{world.pairing.id}/activities")
    assert "Took place? Mark it as held" in text(page)
    assert held_link in html(page)


def test_participants_not_counted_are_said_so_not_shown_as_zero(client, cast, world, login_as):
    from tests.factories import make_activity

    uncounted = make_activity(
        world.pairing, title="A visit of the record", participants_mentor=0, participants_mentee=0
    )
    db.session.commit()
    login_as(cast.participant)
    page = text(client.get(f"/activities/{uncounted.id}"))
    assert "The participants were not counted." in page and "Total" not in page
    listed = text(client.get(f"/pairings/{world.pairing.id}/activities"))
    assert "A visit of the record" in listed and "not counted" in listed
