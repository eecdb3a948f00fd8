"""Bad input on the activity forms: a clear message next to the field, what was typed kept,
nothing saved, never a 500."""

import datetime as dt

import pytest

from exchange.db import db
from tests.activities.helpers import activities, activity_form, edit_form, in_days, reload
from tests.factories import make_action, make_activity, make_pairing
from tests.practices.helpers import field_error, html

END_BEFORE_START = "The activity cannot end before it starts."


def post_new(client, world, **overrides):
    return client.post(
        f"/pairings/{world.pairing.id}/activities/new", data=activity_form(world, **overrides)
    )


@pytest.fixture
def coordinator(client, cast, world, login_as):
    login_as(cast.coordinator)
    return cast.coordinator


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (dict(end_date=in_days(29)), "end_date", END_BEFORE_START),
        (
            dict(end_date="", start_time="14:00", end_time="13:59"),
            "end_time",
            "The activity cannot end before it starts: give a later end time.",
        ),
        (
            dict(end_date="", start_time="", end_time="13:00"),
            "start_time",
            "Give the time it starts too, or leave the end time empty.",
        ),
        (
            dict(participants_mentee="-1"),
            "participants_mentee",
            "Enter a number from 0 to 100,000.",
        ),
        (
            dict(participants_others="100001"),
            "participants_others",
            "Enter a number from 0 to 100,000.",
        ),
        (
            dict(participants_mentor="9" * 5000),
            "participants_mentor",
            "Enter a number from 0 to 100,000.",
        ),
        (
            dict(participants_associations="abc"),
            "participants_associations",
            "Enter a whole number of people, like 12.",
        ),
        (
            dict(participants_mentor="12.5"),
            "participants_mentor",
            "Enter a whole number of people, like 12.",
        ),
        (dict(title=""), "title", "Give the activity a title."),
        (dict(title="x" * 201), "title", "Field cannot be longer than 200 characters."),
        (
            dict(objectives="x" * 20_001),
            "objectives",
            "Field cannot be longer than 20000 characters.",
        ),
        (dict(venue="v" * 301), "venue", "Field cannot be longer than 300 characters."),
        (
            dict(status="held"),
            "status",
            "An activity that has not started yet cannot be held.",
        ),
        (
            dict(study_visit_round=""),
            "study_visit_round",
            "Choose the round of the study visit.",
        ),
        (
            dict(study_visit_round="abc"),
            "study_visit_round",
            "Choose the round of the study visit.",
        ),
        (dict(start_date=""), "start_date", "Enter the day it starts, like 2026-03-31."),
        (dict(start_date="31/02/2026"), "start_date", "Enter a date like 2026-03-31."),
        (
            dict(start_date="0001-01-01"),
            "start_date",
            "Enter a date between the years 1900 and 2999.",
        ),
        (dict(start_time="25:99"), "start_time", "Enter a time like 14:30."),
        (dict(type=""), "type", "Choose the type of activity."),
        (dict(type="party"), "type", "Not a valid choice."),
        (dict(format="by pigeon"), "format", "Not a valid choice."),
    ],
)
def test_bad_input_is_refused_at_its_field_and_nothing_is_saved(
    client, world, coordinator, overrides, field, message
):
    response = post_new(client, world, **overrides)
    assert response.status_code == 200
    assert field_error(response, field) == message
    assert activities() == []
    page = html(response)
    assert "There is a problem" in page
    # what was typed is kept: the title, the counts, the Markdown
    kept_title = overrides.get("title", "Study visit to the buddy scheme")
    if len(kept_title) <= 201 and kept_title:
        assert f'value="{kept_title}"' in page
    assert "See the **buddy scheme** at work." in page or "objectives" in overrides
    if "participants_associations" in overrides:
        assert 'value="abc"' in page


def test_a_host_that_is_not_one_of_the_two_cities_is_refused(client, world, coordinator):
    response = post_new(client, world, host_id=str(world.jelgava.id))
    assert field_error(response, "host_id") == "Choose one of the two cities of the pairing."
    assert activities() == []


def test_an_action_of_another_pairing_cannot_be_linked(client, cast, world, coordinator):
    own = make_action(world.pairing, title="Our action")
    other = make_action(make_pairing(cast.capaci, world.jelgava, status="active"))
    db.session.commit()
    response = post_new(client, world, linked_actions=[str(own.id), str(other.id)])
    assert response.status_code == 200
    assert field_error(response, "linked_actions")
    assert activities() == []
    garbage = post_new(client, world, linked_actions=["abc"])
    assert garbage.status_code == 200
    assert activities() == []


def test_an_end_the_same_day_without_end_time_and_a_later_day_are_fine(client, world, coordinator):
    assert post_new(client, world, end_date="", end_time="").status_code == 302
    assert post_new(client, world, start_time="", end_time="12:00").status_code == 302
    assert (
        post_new(
            client, world, end_date=in_days(30), start_time="10:00", end_time="10:00"
        ).status_code
        == 302
    )
    assert len(activities()) == 3


def test_counts_accept_blanks_and_spaces(client, world, coordinator):
    response = post_new(client, world, participants_mentor="1 200", participants_others="")
    assert response.status_code == 302
    [activity] = activities()
    assert (activity.participants_mentor, activity.participants_others) == (1200, 0)


def test_control_characters_are_cleaned_from_the_title(client, world, coordinator):
    post_new(client, world, title="Study\x07 visit\x00 one")
    [activity] = activities()
    assert activity.title == "Study visit one"


def test_bad_input_on_the_edit_form_keeps_the_typed_values_and_saves_nothing(
    client, world, coordinator
):
    activity = make_activity(world.pairing, title="Original title")
    db.session.commit()
    response = client.post(
        f"/activities/{activity.id}/edit",
        data=edit_form(
            activity,
            title="A new title",
            end_date=(
                activity.start_date.replace(day=1)
                if activity.start_date.day > 1
                else activity.start_date
            ).isoformat(),
            participants_mentee="100001",
        ),
    )
    assert response.status_code == 200
    assert field_error(response, "participants_mentee") == "Enter a number from 0 to 100,000."
    assert 'value="A new title"' in html(response)
    assert 'value="100001"' in html(response)
    saved = reload(activity)
    assert (saved.title, saved.participants_mentee, saved.version) == ("Original title", 3, 1)


def test_an_edit_that_ends_before_it_starts_is_refused(client, world, coordinator):
    activity = make_activity(world.pairing, title="Original title")
    db.session.commit()
    day_before = activity.start_date.toordinal() - 1
    from datetime import date

    response = client.post(
        f"/activities/{activity.id}/edit",
        data=edit_form(
            activity, title="Changed", end_date=date.fromordinal(day_before).isoformat()
        ),
    )
    assert field_error(response, "end_date") == END_BEFORE_START
    assert reload(activity).title == "Original title"


@pytest.mark.parametrize("typed", ["abc", "-1", "+3", "٣", "1" * 40])
def test_a_host_that_is_not_an_id_is_refused_not_taken_for_none(client, world, coordinator, typed):
    response = post_new(client, world, host_id=typed)
    assert response.status_code == 200
    assert field_error(response, "host_id") == "Choose one of the two cities of the pairing."
    assert activities() == []


# Clock changes: in Europe/Rome the clocks went forward at 02:00 on 29 March 2026, so that
# day has no 02:00-02:59.

NO_SUCH_TIME = (
    "This time does not exist on that day in Europe/Rome: the clocks go forward an hour. "
    "Choose another time."
)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        (dict(start_time="02:30", end_date="", end_time=""), "start_time"),
        # was "cannot end before it starts": 02:30 was read as 03:30, after 03:15
        (dict(start_time="02:30", end_date="", end_time="03:15"), "start_time"),
        (dict(start_time="01:00", end_date="", end_time="02:30"), "end_time"),
        (dict(start_date="2026-03-28", start_time="10:00", end_time="02:15"), "end_time"),
    ],
)
def test_a_time_the_clocks_skip_is_refused_at_its_field(
    client, world, coordinator, overrides, field
):
    data = dict(start_date="2026-03-29", end_date="2026-03-29", status="planned")
    response = post_new(client, world, **{**data, **overrides})
    assert response.status_code == 200
    assert field_error(response, field) == NO_SUCH_TIME
    assert activities() == []


def test_the_hour_after_the_clock_change_is_fine(client, world, coordinator):
    response = post_new(
        client, world, start_date="2026-03-29", start_time="03:00", end_date="", end_time="04:00"
    )
    assert response.status_code == 302
    [saved] = activities()
    assert saved.starts_at == dt.datetime(2026, 3, 29, 1, 0, tzinfo=dt.UTC)  # 03:00 in Rome
