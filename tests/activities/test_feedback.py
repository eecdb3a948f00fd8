"""Feedback on held activities: one per person, editable, shown with its average and count."""

import datetime as dt

import pytest

from exchange.db import db
from tests.activities.helpers import audit_actions, edit_form, feedback_rows, reload, today
from tests.factories import make_activity
from tests.practices.helpers import field_error, html, text


@pytest.fixture
def held(world):
    activity = make_activity(world.pairing)
    db.session.commit()
    return activity


def rate(client, activity, usefulness, comment=""):
    return client.post(
        f"/activities/{activity.id}/feedback", data={"usefulness": usefulness, "comment": comment}
    )


def test_a_participant_of_the_other_side_rates_and_changes_their_feedback(
    client, cast, world, held, login_as
):
    login_as(world.capaci_participant)
    page = client.get(f"/activities/{held.id}")
    assert "Give my feedback" in text(page)
    form = client.get(f"/activities/{held.id}/feedback")
    assert "5 – Very useful" in text(form) and "1 – Not useful" in text(form)

    response = rate(client, held, "4", "We will copy the <b>buddy</b> training.")
    assert response.status_code == 302
    assert response.location == f"/activities/{held.id}#feedback"
    [feedback] = feedback_rows()
    assert (feedback.usefulness, feedback.user_id, feedback.organisation_id) == (
        4,
        world.capaci_participant.id,
        cast.capaci.id,
    )
    shown = client.get(f"/activities/{held.id}")
    assert "4.0 out of 5 (1 rating)" in text(shown)
    assert "Change my feedback" in text(shown)
    assert "participant@capaci.example" not in text(shown)
    assert f"{world.capaci_participant.name} (Capaci)" in text(shown)
    assert "&lt;b&gt;buddy&lt;/b&gt;" in html(shown)  # a comment is text, never HTML

    again = client.get(f"/activities/{held.id}/feedback")
    assert 'checked id="usefulness-3"' in html(again) or 'id="usefulness-3" checked' in html(again)
    assert "We will copy the &lt;b&gt;buddy&lt;/b&gt; training." in html(again)
    assert rate(client, held, "2", "On second thought, less useful.").status_code == 302
    [feedback] = feedback_rows()
    assert (feedback.usefulness, feedback.comment) == (2, "On second thought, less useful.")
    assert audit_actions("feedback") == ["feedback.give", "feedback.change"]


def test_the_average_and_count_of_several_people(client, cast, world, held, login_as, app):
    for user, usefulness in (
        (cast.participant, "4"),
        (cast.officer, "5"),
        (world.aiccre_officer, "4"),
    ):
        browser = app.test_client()
        login_as(user, the_client=browser)
        assert rate(browser, held, usefulness).status_code == 302
    login_as(cast.coordinator)
    assert "4.3 out of 5 (3 ratings)" in text(client.get(f"/activities/{held.id}"))
    assert "4.3 out of 5 (3 ratings)" in text(
        client.get(f"/pairings/{world.pairing.id}/activities")
    )


def test_sending_the_same_feedback_twice_keeps_one(client, cast, world, held, login_as):
    login_as(cast.participant)
    rate(client, held, "5", "Great")
    rate(client, held, "5", "Great")
    assert len(feedback_rows()) == 1
    assert audit_actions("feedback") == ["feedback.give"]


@pytest.mark.parametrize("usefulness", ["0", "6", "abc", "", "4.5", "99999999999999999999"])
def test_a_rating_outside_1_to_5_is_refused_at_the_field(
    client, cast, world, held, login_as, usefulness
):
    login_as(cast.participant)
    response = rate(client, held, usefulness, "My comment is kept")
    assert response.status_code == 200
    assert field_error(response, "usefulness") == "Choose how useful it was, from 1 to 5."
    assert "My comment is kept" in html(response)
    assert feedback_rows() == []


def test_no_rating_at_all_is_refused(client, cast, world, held, login_as):
    login_as(cast.participant)
    response = client.post(f"/activities/{held.id}/feedback", data={"comment": "Hi"})
    assert field_error(response, "usefulness") == "Choose how useful it was, from 1 to 5."
    assert feedback_rows() == []


def test_a_comment_over_5000_characters_is_refused(client, cast, world, held, login_as):
    login_as(cast.participant)
    response = rate(client, held, "3", "x" * 5001)
    assert field_error(response, "comment") == "Field cannot be longer than 5000 characters."
    assert feedback_rows() == []


@pytest.mark.parametrize("who", ["participant", "coordinator", "officer", "other_coordinator"])
def test_members_of_either_city_and_officers_may_rate(client, cast, world, held, login_as, who):
    login_as(cast.by_role(who))
    assert client.get(f"/activities/{held.id}/feedback").status_code == 200


def test_admins_and_outsiders_get_404(client, cast, world, held, login_as, app):
    login_as(cast.admin)
    assert client.get(f"/activities/{held.id}/feedback").status_code == 404
    assert rate(client, held, "5").status_code == 404
    assert "Give my feedback" not in text(client.get(f"/activities/{held.id}"))
    outsider = app.test_client()
    login_as(world.outsider, the_client=outsider)
    assert outsider.get(f"/activities/{held.id}/feedback").status_code == 404
    assert rate(outsider, held, "5").status_code == 404
    anonymous = app.test_client()
    assert rate(anonymous, held, "5").location.startswith("/login")
    assert feedback_rows() == []


def test_a_planned_activity_is_not_rated_yet(client, cast, world, login_as):
    planned = make_activity(
        world.pairing, status="planned", start_date=today() + dt.timedelta(days=10)
    )
    db.session.commit()
    login_as(cast.participant)
    response = rate(client, planned, "5")
    assert response.status_code == 302
    assert "Feedback opens once the activity is marked as held." in text(
        client.get(response.location)
    )
    assert feedback_rows() == []


def test_the_service_keeps_one_feedback_per_person(db, cast, world, held):
    from exchange.activities import services

    services.give_feedback(cast.participant, held, 3, None)
    services.give_feedback(cast.participant, held, 5, "Better than I thought")
    db.session.commit()
    [feedback] = feedback_rows()
    assert (feedback.usefulness, feedback.comment) == (5, "Better than I thought")


def test_feedback_stays_on_the_page_when_the_activity_is_set_back_to_planned(
    client, cast, world, held, login_as
):
    login_as(world.capaci_participant)
    assert rate(client, held, "4", "The buddy training helped us.").status_code == 302
    login_as(cast.coordinator)
    edited = client.post(f"/activities/{held.id}/edit", data=edit_form(held, status="planned"))
    assert edited.status_code == 302
    assert reload(held).status == "planned"

    for reader in (world.capaci_participant, cast.coordinator):
        login_as(reader)
        page = text(client.get(f"/activities/{held.id}"))
        assert "4.0 out of 5 (1 rating)" in page
        assert "The buddy training helped us." in page
        assert "This feedback was given when the activity was marked as held." in page
        assert "Give my feedback" not in page and "Change my feedback" not in page
    refused = rate(client, held, "1", "Changed afterwards")
    assert refused.status_code == 302
    assert [(f.usefulness, f.comment) for f in feedback_rows()] == [
        (4, "The buddy training helped us.")
    ]


def test_a_planned_activity_without_feedback_says_when_it_opens(client, cast, world, login_as):
    planned = make_activity(
        world.pairing, status="planned", start_date=today() + dt.timedelta(days=10)
    )
    db.session.commit()
    login_as(cast.participant)
    page = text(client.get(f"/activities/{planned.id}"))
    assert "Those who took part rate the activity once it is held." in page
    assert "This feedback was given" not in page


@pytest.mark.parametrize("status", ["withdrawn", "declined", "proposed"])
def test_nobody_rates_an_activity_of_a_pairing_that_is_not_kept(
    client, cast, world, held, login_as, status
):
    """Logging stops when a pairing is withdrawn or declined (or not accepted yet): so does
    feedback. What was written stays readable."""
    world.pairing.status = status
    db.session.commit()
    login_as(cast.participant)
    assert client.get(f"/activities/{held.id}/feedback").status_code == 404
    assert rate(client, held, 4).status_code == 404
    assert feedback_rows() == []
    page = client.get(f"/activities/{held.id}")
    assert page.status_code == 200 and "Give my feedback" not in text(page)
