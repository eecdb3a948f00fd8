"""No lost work: optimistic locking of activity edits, one activity per sent form, and
marking a planned activity as held."""

import datetime as dt
import re

import pytest
import sqlalchemy as sa

from exchange.audit import AuditEvent
from exchange.db import db
from exchange.pairings import services as pairing_services
from exchange.pairings.models import Side
from exchange.submissions import new_token
from tests.activities.helpers import (
    activities,
    activity_form,
    audit_actions,
    edit_form,
    reload,
    today,
)
from tests.factories import make_action, make_activity, make_org
from tests.practices.helpers import field_error, html, text


@pytest.fixture
def planned(world):
    """A planned transfer workshop that started yesterday (not marked held yet)."""
    activity = make_activity(
        world.pairing,
        type="transfer_workshop",
        study_visit_round=None,
        title="Transfer workshop",
        status="planned",
        start_date=today() - dt.timedelta(days=1),
        start_time=dt.time(10, 0),
        end_time=dt.time(16, 0),
    )
    db.session.commit()
    return activity


def second_browser(app, login_as, user):
    browser = app.test_client()
    login_as(user, the_client=browser)
    return browser


def version_in(response) -> str:
    return re.search(r'name="version" type="hidden" value="(\d+)"', html(response)).group(1)


def test_a_coordinator_edits_and_the_change_is_audited(client, cast, world, planned, login_as):
    action = make_action(world.pairing, title="Open a one-stop shop")
    db.session.commit()
    login_as(cast.other_coordinator)  # Capaci's side edits too
    form = client.get(f"/activities/{planned.id}/edit")
    assert 'value="Transfer workshop"' in html(form)
    assert version_in(form) == "1"
    response = client.post(
        f"/activities/{planned.id}/edit",
        data=edit_form(
            planned, venue="Capaci town hall", start_time="11:00", linked_actions=[str(action.id)]
        ),
    )
    assert response.status_code == 302
    saved = reload(planned)
    assert (saved.venue, saved.start_time, saved.version) == (
        "Capaci town hall",
        dt.time(11, 0),
        2,
    )
    assert saved.starts_at.astimezone(dt.UTC).hour in (9, 10)  # 11:00 in Rome
    assert [a.title for a in saved.actions] == ["Open a one-stop shop"]
    event = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "activity.edit")
    ).one()
    assert event.summary["venue"] == ["City hall", "Capaci town hall"]
    assert event.summary["start_time"] == ["10:00", "11:00"]
    assert event.summary["linked_actions"] == [[], ["Open a one-stop shop"]]
    assert event.summary["version"] == [1, 2]


def test_two_edits_of_one_version_the_second_is_told_and_can_reapply(
    app, client, cast, world, planned, login_as
):
    login_as(cast.coordinator)
    other = second_browser(app, login_as, cast.other_coordinator)
    mine = edit_form(planned, title="Transfer workshop on the buddy scheme")
    theirs = edit_form(planned, venue="Online, on the city's platform")

    assert client.post(f"/activities/{planned.id}/edit", data=mine).status_code == 302
    response = other.post(f"/activities/{planned.id}/edit", data=theirs)

    assert response.status_code == 200
    page = text(response)
    assert "Someone else changed this while you were editing" in page
    assert "Title" in page and "Transfer workshop on the buddy scheme" in page
    assert 'value="Online, on the city&#39;s platform"' in html(response)  # kept
    saved = reload(planned)
    assert saved.venue == "City hall"  # nothing of theirs saved
    assert saved.title == "Transfer workshop on the buddy scheme"
    assert version_in(response) == "2"

    again = other.post(
        f"/activities/{planned.id}/edit",
        data={**theirs, "title": saved.title, "version": version_in(response)},
    )
    assert again.status_code == 302
    saved = reload(planned)
    assert (saved.title, saved.venue, saved.version) == (
        "Transfer workshop on the buddy scheme",
        "Online, on the city's platform",
        3,
    )


def test_a_double_submission_of_the_same_edit_is_no_conflict(
    client, cast, world, planned, login_as
):
    login_as(cast.coordinator)
    data = edit_form(planned, title="Renamed workshop")
    assert client.post(f"/activities/{planned.id}/edit", data=data).status_code == 302
    second = client.post(f"/activities/{planned.id}/edit", data=data)
    assert second.status_code == 302
    assert reload(planned).version == 2
    assert audit_actions().count("activity.edit") == 1


def test_a_change_of_linked_actions_alone_is_a_conflict_too(
    app, client, cast, world, planned, login_as
):
    first = make_action(world.pairing, title="First action")
    second = make_action(world.pairing, title="Second action")
    db.session.commit()
    login_as(cast.coordinator)
    other = second_browser(app, login_as, cast.admin)
    mine = edit_form(planned, linked_actions=[str(first.id)])
    theirs = edit_form(planned, linked_actions=[str(second.id)])
    client.post(f"/activities/{planned.id}/edit", data=mine)
    response = other.post(f"/activities/{planned.id}/edit", data=theirs)
    assert response.status_code == 200
    assert "Actions of the plan it serves" in text(response)
    assert "First action" in text(response)
    assert [a.title for a in reload(planned).actions] == ["First action"]


def test_the_same_new_activity_form_sent_twice_makes_one_activity(
    app, client, cast, world, login_as
):
    login_as(cast.coordinator)
    data = activity_form(world, submission=new_token())
    first = client.post(f"/pairings/{world.pairing.id}/activities/new", data=data)
    second = client.post(f"/pairings/{world.pairing.id}/activities/new", data=data)
    [activity] = activities()
    assert first.location == second.location == f"/activities/{activity.id}"
    assert "This activity was saved already." in text(client.get(second.location))
    assert audit_actions() == ["activity.create"]


def test_a_refused_form_can_be_corrected_and_sent_with_the_same_token(
    client, cast, world, login_as
):
    login_as(cast.coordinator)
    data = activity_form(world, participants_mentor="-4")
    assert client.post(f"/pairings/{world.pairing.id}/activities/new", data=data).status_code == 200
    data["participants_mentor"] = "4"
    assert client.post(f"/pairings/{world.pairing.id}/activities/new", data=data).status_code == 302
    assert len(activities()) == 1


def test_a_service_refusal_after_the_claim_lets_the_same_token_be_sent_again(
    client, cast, world, login_as
):
    login_as(cast.coordinator)
    data = activity_form(world, status="held")  # refused by the service: in the future
    refused = client.post(f"/pairings/{world.pairing.id}/activities/new", data=data)
    assert field_error(refused, "status")
    data["status"] = "planned"
    assert client.post(f"/pairings/{world.pairing.id}/activities/new", data=data).status_code == 302
    assert len(activities()) == 1


# Marking as held


def test_a_planned_activity_is_marked_held_with_its_outcomes(
    client, cast, world, planned, login_as
):
    login_as(cast.coordinator)
    assert "Mark as held" in text(client.get(f"/activities/{planned.id}"))
    form = client.get(f"/activities/{planned.id}/held")
    assert form.status_code == 200
    response = client.post(
        f"/activities/{planned.id}/held",
        data=dict(
            outcomes="The **mentee** drafted its plan.",
            follow_up="- Send the minutes",
            participants_mentor="5",
            participants_mentee="8",
            participants_associations="1",
            participants_others="2",
            version=version_in(form),
        ),
    )
    assert response.status_code == 302
    saved = reload(planned)
    assert (saved.status, saved.participants_total, saved.version) == ("held", 16, 2)
    assert saved.outcomes == "The **mentee** drafted its plan."
    assert audit_actions() == ["activity.held"]
    page = client.get(f"/activities/{planned.id}")
    assert "<strong>mentee</strong>" in html(page)
    assert "Give my feedback" in text(page)


def test_outcomes_are_required_to_mark_it_held(client, cast, world, planned, login_as):
    login_as(cast.coordinator)
    response = client.post(
        f"/activities/{planned.id}/held",
        data=dict(outcomes="", participants_mentor="-2", version="1"),
    )
    assert field_error(response, "outcomes") == "Write down what came out of the activity."
    assert field_error(response, "participants_mentor") == "Enter a number from 0 to 100,000."
    assert 'value="-2"' in html(response)
    assert reload(planned).status == "planned"


@pytest.mark.parametrize(
    ("status", "days", "message"),
    [
        ("held", -3, "Only a planned activity can be marked as held; this one is “Held”."),
        ("cancelled", -3, "Only a planned activity can be marked as held"),
        ("planned", 3, "An activity that has not started yet cannot be held."),
    ],
)
def test_only_a_planned_activity_that_started_can_be_marked_held(
    client, cast, world, login_as, status, days, message
):
    activity = make_activity(
        world.pairing, status=status, start_date=today() + dt.timedelta(days=days)
    )
    db.session.commit()
    login_as(cast.coordinator)
    for method in ("get", "post"):
        response = getattr(client, method)(
            f"/activities/{activity.id}/held", data={"outcomes": "x", "version": "1"}
        )
        assert response.status_code == 302
        assert response.location == f"/activities/{activity.id}"
    assert message in text(client.get(f"/activities/{activity.id}"))
    assert reload(activity).status == status
    assert reload(activity).version == 1


def test_marking_held_a_version_someone_changed_shows_the_conflict(
    app, client, cast, world, planned, login_as
):
    login_as(cast.coordinator)
    other = second_browser(app, login_as, cast.other_coordinator)
    form = other.get(f"/activities/{planned.id}/held")
    edited = edit_form(planned, participants_others="9")
    client.post(f"/activities/{planned.id}/edit", data=edited)
    response = other.post(
        f"/activities/{planned.id}/held",
        data=dict(outcomes="Done.", participants_others="3", version=version_in(form)),
    )
    assert response.status_code == 200
    assert "Someone else changed this while you were editing" in text(response)
    assert "Others (experts, local partners, guests)" in text(response)
    assert reload(planned).status == "planned"


def test_marking_held_twice_with_the_same_values_is_one_success(
    client, cast, world, planned, login_as
):
    """A double click on "Mark as held": the second form finds it held with what it says."""
    login_as(cast.coordinator)
    data = dict(
        outcomes="The mentee drafted its plan.",
        follow_up="",
        participants_mentor="5",
        participants_mentee="8",
        participants_associations="",
        participants_others="0",
        version="1",
    )
    assert client.post(f"/activities/{planned.id}/held", data=data).status_code == 302
    client.get(f"/activities/{planned.id}")  # shows (and clears) the first message
    again = client.post(f"/activities/{planned.id}/held", data=data)
    assert again.status_code == 302
    assert again.location == f"/activities/{planned.id}"
    page = text(client.get(again.location))
    assert "The activity is marked as held." in page
    assert "Only a planned activity can be marked as held" not in page
    assert audit_actions() == ["activity.held"]
    assert reload(planned).version == 2

    other = client.post(f"/activities/{planned.id}/held", data={**data, "outcomes": "Other."})
    assert other.location == f"/activities/{planned.id}"
    page = text(client.get(other.location))
    assert "Only a planned activity can be marked as held; this one is “Held”." in page
    assert reload(planned).outcomes == "The mentee drafted its plan."


# A host that left the pairing


def test_an_activity_keeps_its_host_after_an_admin_replaced_that_partner(
    client, cast, world, login_as
):
    activity = make_activity(world.pairing, host=cast.capaci, title="Visit to Capaci")
    palermo = make_org(name="Palermo", country="IT")
    db.session.commit()
    pairing_services.replace_partner(
        cast.admin, world.pairing, Side.MENTEE, palermo, "Capaci left.", world.pairing.version
    )
    db.session.commit()
    assert world.pairing.mentee_id == palermo.id

    login_as(cast.coordinator)
    form = html(client.get(f"/activities/{activity.id}/edit"))
    [option] = re.findall(rf'<option[^>]*value="{cast.capaci.id}"[^>]*>[^<]*</option>', form)
    assert "selected" in option and ">Capaci (former partner)</option>" in option
    assert ">Palermo (mentee)</option>" in form

    response = client.post(
        f"/activities/{activity.id}/edit", data=edit_form(activity, title="Visit to Capaci, 2025")
    )
    assert response.status_code == 302
    saved = reload(activity)
    assert (saved.title, saved.host_id) == ("Visit to Capaci, 2025", cast.capaci.id)

    # only the host it had may stay: another city outside the pairing is still refused
    refused = client.post(
        f"/activities/{activity.id}/edit",
        data=edit_form(saved, host_id=str(world.jelgava.id)),
    )
    assert field_error(refused, "host_id") == "Choose one of the two cities of the pairing."
    assert reload(activity).host_id == cast.capaci.id
