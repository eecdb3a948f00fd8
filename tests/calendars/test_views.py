"""Who gets which calendar, how private links are made, replaced and turned off, and what
the calendars cost."""

import re

import pytest
import sqlalchemy as sa

from exchange.accounts.models import Membership
from exchange.audit import AuditEvent
from exchange.calendars.models import CalendarFeed
from exchange.db import db as _db
from tests.calendars.conftest import events, link_of, parse
from tests.factories import make_activity, make_user
from tests.test_query_counts import count_queries


@pytest.fixture
def activity(world):
    activity = make_activity(world.pairing, title="Study visit in Capaci")
    _db.session.commit()
    return activity


def pairing_url(world, token=None) -> str:
    url = f"/pairings/{world.pairing.id}/calendar.ics"
    return f"{url}?token={token}" if token is not None else url


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def feeds() -> list[CalendarFeed]:
    _db.session.expire_all()
    return list(_db.session.scalars(sa.select(CalendarFeed)))


def audit_actions() -> list[str]:
    query = sa.select(AuditEvent.action).where(AuditEvent.action.like("calendar%"))
    return list(_db.session.scalars(query.order_by(AuditEvent.id)))


# Who reads the pairing's calendar and one activity's event


@pytest.mark.parametrize(
    "role", ["participant", "coordinator", "other_coordinator", "officer", "admin"]
)
def test_the_pairings_insiders_get_its_calendar_and_each_activity(
    client, cast, world, activity, login_as, role
):
    login_as(cast.by_role(role))  # other_coordinator is Capaci's: a party here

    assert activity.uid in events(parse(client.get(pairing_url(world))))
    assert activity.uid in events(parse(client.get(f"/activities/{activity.id}/calendar.ics")))


def test_an_outsider_gets_404_for_the_pairings_calendar_and_its_activities(
    client, world, activity, login_as
):
    login_as(world.outsider)

    assert client.get(pairing_url(world)).status_code == 404
    assert client.get(f"/activities/{activity.id}/calendar.ics").status_code == 404


def test_anonymous_readers_without_a_link_are_sent_to_sign_in(client, world, activity):
    response = client.get(pairing_url(world))
    assert response.status_code == 302
    assert response.headers["Location"] == (
        f"/login?next=/pairings/{world.pairing.id}/calendar.ics"
    )
    response = client.get(f"/activities/{activity.id}/calendar.ics")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


@pytest.mark.parametrize(
    "path",
    [
        "/pairings/999999/calendar.ics",
        "/pairings/99999999999/calendar.ics",
        "/activities/999999/calendar.ics",
        "/activities/99999999999/calendar.ics",
    ],
)
def test_calendars_of_nothing_are_404(client, cast, world, login_as, path):
    login_as(cast.admin)
    assert client.get(path).status_code == 404


def test_calendar_responses_are_private_downloads(client, cast, world, activity, login_as):
    login_as(cast.coordinator)

    response = client.get(pairing_url(world))

    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "Mechelen_mentors_Capaci.ics" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "private, no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    single = client.get(f"/activities/{activity.id}/calendar.ics")
    assert "Study_visit_in_Capaci.ics" in single.headers["Content-Disposition"]


# Private links


def test_a_private_link_opens_the_pairings_calendar_without_a_login(client, cast, world, activity):
    token = link_of(cast.participant)

    response = client.get(pairing_url(world, token))

    assert activity.uid in events(parse(response))
    assert response.headers["Cache-Control"] == "private, no-store"
    feed = client.get(f"/calendar/{token}.ics")
    assert activity.uid in events(parse(feed))
    assert feed.headers["Content-Disposition"].startswith("attachment;")
    assert feed.headers["X-Content-Type-Options"] == "nosniff"


def test_a_link_of_someone_who_cannot_see_the_pairing_is_404(client, world, activity):
    token = link_of(world.outsider)

    assert client.get(pairing_url(world, token)).status_code == 404
    assert client.get(f"/calendar/{token}.ics").status_code == 200  # their own feed works


@pytest.mark.parametrize(
    "token",
    ["", "nonsense", "x" * 43, "a" * 500, "../../etc/passwd", "%00", "' OR 1=1 --"],
)
def test_a_bad_token_is_404_even_when_signed_in(client, cast, world, activity, login_as, token):
    login_as(cast.coordinator)
    assert client.get(pairing_url(world), query_string={"token": token}).status_code == 404
    assert client.get(f"/calendar/{token}.ics").status_code == 404


def test_a_turned_off_link_is_404(client, cast, world, activity, login_as):
    token = link_of(cast.participant)
    login_as(cast.participant)

    response = client.post("/profile/calendar-link/revoke")

    assert response.status_code == 302
    assert response.headers["Location"] == "/account#calendar"
    assert feeds() == []
    client.post("/logout")
    assert client.get(pairing_url(world, token)).status_code == 404
    assert client.get(f"/calendar/{token}.ics").status_code == 404
    assert audit_actions()[-1] == "calendar_link_revoked"


def test_a_new_link_stops_the_old_one(client, cast, world, activity, login_as):
    login_as(cast.participant)
    client.post("/profile/calendar-link")
    old = feeds()[0].token

    response = client.post("/profile/calendar-link", follow_redirects=True)

    assert "The old link no longer works" in text(response)
    [feed] = feeds()
    assert feed.token != old
    assert client.get(f"/calendar/{old}.ics").status_code == 404
    assert client.get(pairing_url(world, old)).status_code == 404
    assert client.get(f"/calendar/{feed.token}.ics").status_code == 200
    assert audit_actions()[-2:] == ["calendar_link_created", "calendar_link_renewed"]
    # the audit trail never holds the token
    summaries = _db.session.scalars(sa.select(AuditEvent.summary)).all()
    assert feed.token not in str(summaries) and old not in str(summaries)


@pytest.mark.parametrize("change", ["deactivated", "left", "removed"])
def test_a_link_stops_when_its_owner_may_no_longer_use_it(client, cast, world, activity, change):
    token = link_of(cast.participant)
    if change == "deactivated":
        cast.participant.is_active_account = False
    elif change == "left":
        cast.participant.membership = Membership.NONE
        cast.participant.organisation_id = None
    else:
        cast.participant.membership = Membership.PENDING
    _db.session.commit()

    assert client.get(pairing_url(world, token)).status_code == 404
    assert client.get(f"/calendar/{token}.ics").status_code == 404


def test_a_member_waiting_for_approval_gets_no_link(client, cast, world, login_as):
    waiting = make_user(organisation=cast.mechelen, membership=Membership.PENDING)
    _db.session.commit()
    login_as(waiting)

    page = text(client.get("/account"))
    assert "becomes available once your organisation approves you" in page
    assert "Create my calendar link" not in page

    response = client.post("/profile/calendar-link", follow_redirects=True)
    assert "becomes available once your organisation approves you" in text(response)
    assert feeds() == []


def test_turning_off_a_link_one_does_not_have_says_so(client, cast, login_as):
    login_as(cast.participant)
    response = client.post("/profile/calendar-link/revoke", follow_redirects=True)
    assert "You have no calendar link to turn off." in text(response)
    assert audit_actions() == []


def test_anonymous_visitors_cannot_make_links(client, cast):
    response = client.post("/profile/calendar-link")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    assert feeds() == []


def test_making_a_link_needs_the_forms_csrf_token(make_app, cast, login_as):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    client.post(
        "/login",
        data={
            "email": cast.participant.email,
            "password": "correct horse battery staple 42",
            "csrf_token": csrf,
        },
    )

    assert client.get("/account").status_code == 200  # signed in
    refused = client.post("/profile/calendar-link")
    assert refused.status_code == 400
    assert "The form had expired or did not come from this site" in text(refused)
    assert feeds() == []
    profile = client.get("/account").get_data(as_text=True)
    forms = re.findall(
        r'action="/profile/calendar-link".*?name="csrf_token" type="hidden" value="([^"]+)"',
        profile,
        re.S,
    )
    assert client.post("/profile/calendar-link", data={"csrf_token": forms[0]}).status_code == 302
    assert len(feeds()) == 1


# The account page


def test_the_account_page_explains_and_shows_the_link(client, cast, login_as):
    login_as(cast.participant)

    page = text(client.get("/account"))
    assert "Calendar" in page and "Outlook" in page and "Google Calendar" in page
    assert "Create my calendar link" in page
    assert "Turn off my calendar link" not in page

    client.post("/profile/calendar-link")
    html = client.get("/account").get_data(as_text=True)
    token = feeds()[0].token
    url = f"http://localhost/calendar/{token}.ics"
    assert re.search(
        rf'<label for="calendar-link">Your calendar link</label>.*?<input type="url" '
        rf'id="calendar-link" name="calendar-link" value="{re.escape(url)}" readonly',
        html,
        re.S,
    )
    assert f'href="webcal://localhost/calendar/{token}.ics"' in html
    page = text(client.get("/account"))
    assert "Keep this link private, like a password." in page
    assert "Make a new link (the old one stops working)" in page
    assert "Turn off my calendar link" in page
    assert 'data-confirm="Are you sure? Turn off my calendar link"' in html


# What a calendar costs


def grow(world, n: int) -> None:
    for i in range(n):
        make_activity(world.pairing, title=f"Activity {i}", status=("planned", "held")[i % 2])
        make_activity(world.other_pairing, title=f"Theirs {i}")
    _db.session.commit()


def test_calendars_cost_the_same_queries_whatever_the_number_of_activities(
    app, cast, world, login_as
):
    token = link_of(cast.officer)
    signed_in = app.test_client()
    login_as(cast.coordinator, the_client=signed_in)
    anonymous = app.test_client()
    requests = [
        (signed_in, pairing_url(world)),
        (anonymous, pairing_url(world, token)),
        (anonymous, f"/calendar/{token}.ics"),
    ]

    def costs() -> list[int]:
        counts = []
        for client, url in requests:
            with count_queries(_db.engine) as statements:
                assert client.get(url).status_code == 200
            counts.append(len(statements))
        return counts

    grow(world, 3)
    small = costs()
    grow(world, 27)
    assert costs() == small
    assert max(small) <= 8, small


# The links the pairing and activity pages show


def render_links(app, world, feed, activity):
    from flask import render_template_string

    template = (
        '{% from "calendars/_pairing_links.html" import pairing_calendar_links, '
        "activity_calendar_link %}"
        "{{ pairing_calendar_links(pairing, feed) }}{{ activity_calendar_link(activity) }}"
    )
    with app.test_request_context():
        return render_template_string(template, pairing=world.pairing, feed=feed, activity=activity)


def test_the_pairing_links_offer_a_download_and_with_a_link_a_subscription(
    app, cast, world, activity
):
    from exchange.calendars import queries

    html = render_links(app, world, None, activity)
    assert f'href="/pairings/{world.pairing.id}/calendar.ics"' in html
    assert f'href="/activities/{activity.id}/calendar.ics"' in html
    assert "Subscribe to this pairing" not in html
    assert 'href="/account#calendar"' in html

    link_of(cast.participant)
    feed = queries.feed_of(cast.participant)
    html = render_links(app, world, feed, activity)
    assert "<summary>Subscribe to this pairing's calendar</summary>" in html
    url = f"http://localhost/pairings/{world.pairing.id}/calendar.ics?token={feed.token}"
    assert f'value="{url}" readonly' in html
    assert re.search(r'<label for="pairing-calendar-link-\d+">', html)
