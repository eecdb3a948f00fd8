"""Home page, language choice, accessibility statement and privacy notice."""

import re

import sqlalchemy as sa

from exchange.accounts.models import Membership, User
from tests import factories


def html_lang(page: str) -> str:
    return re.search(r'<html lang="([a-z]+)">', page).group(1)


def test_browser_language_is_used_when_nothing_was_chosen(client):
    page = client.get("/", headers={"Accept-Language": "fr-BE,fr;q=0.9,en;q=0.5"})
    assert html_lang(page.get_data(as_text=True)) == "fr"
    page = client.get("/", headers={"Accept-Language": "de-DE"})
    assert html_lang(page.get_data(as_text=True)) == "en"


def test_anonymous_visitor_switches_language_and_stays_on_the_page(client):
    response = client.post("/language", data={"language": "nl", "next": "/privacy"})
    assert response.headers["Location"] == "/privacy"
    page = client.get("/privacy", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert html_lang(page) == "nl"


def test_language_switch_ignores_unknown_languages_and_foreign_next(client):
    response = client.post("/language", data={"language": "xx", "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"
    assert html_lang(client.get("/").get_data(as_text=True)) == "en"


def test_signed_in_users_keep_their_language_choice(client, db, login_as):
    user = factories.make_user()
    login_as(user)
    client.post("/language", data={"language": "fr"})
    db.session.refresh(user)
    assert user.locale == "fr"


def test_every_page_offers_the_language_switch(client):
    page = client.get("/login").get_data(as_text=True)
    for code, name in (("nl", "Nederlands"), ("fr", "Français")):
        assert f'value="{code}" lang="{code}">{name}</button>' in page


def test_home_explains_the_platform_to_visitors(client, db):
    factories.make_org(name="Mechelen")
    page = client.get("/").get_data(as_text=True)
    assert "City-to-city mentoring" in page
    assert "Today 1 municipalities and 0 associations" in page or "1 municipalit" in page
    assert 'href="/register"' in page


def test_home_tells_a_new_user_to_join_an_organisation(client, db, login_as):
    user = factories.make_user(email_confirmed_dt=None)
    login_as(user)
    page = client.get("/").get_data(as_text=True)
    assert "Confirm your e-mail address" in page
    assert "Join your organisation, or register it" in page


def test_home_tells_a_coordinator_about_join_requests(client, db, login_as, cast):
    factories.make_user(organisation=cast.mechelen, membership=Membership.PENDING)
    login_as(cast.coordinator)
    page = client.get("/").get_data(as_text=True)
    assert "1 person asks to join Mechelen." in page
    assert "Mechelen" in page


def test_home_tells_a_pending_member_to_wait(client, db, login_as, cast):
    user = factories.make_user(organisation=cast.capaci, membership=Membership.PENDING)
    login_as(user)
    assert "waits for its coordinator" in client.get("/").get_data(as_text=True)


def test_home_tells_an_admin_about_organisations_to_verify(client, db, login_as, cast):
    factories.make_org(name="Newtown", is_verified=False, verified_dt=None)
    login_as(cast.admin)
    assert "1 organisation waits for verification." in client.get("/").get_data(as_text=True)


def test_navigation_shows_each_role_what_it_may_do(client, db, login_as, cast):
    assert "/admin/users" not in client.get("/").get_data(as_text=True)
    login_as(cast.participant)
    page = client.get("/").get_data(as_text=True)
    assert "/admin/users" not in page and f"/organisations/{cast.mechelen.id}/members" in page
    client.post("/logout")
    login_as(cast.admin)
    assert "/admin/users" in client.get("/").get_data(as_text=True)


def test_accessibility_statement_follows_the_eu_model(client):
    page = client.get("/accessibility").get_data(as_text=True)
    for heading in (
        "Compliance status",
        "Content that is not accessible",
        "Preparation of this statement",
        "Feedback and contact information",
        "Enforcement procedure",
    ):
        assert heading in page
    assert "Directive (EU) 2016/2102" in page


def test_a_barrier_can_be_reported_and_reaches_the_contact_address(client, outbox, app):
    response = client.post(
        "/accessibility",
        data={
            "page": "/organisations/",
            "description": "The filter button cannot be reached by keyboard.",
            "email": "reader@example.org",
        },
    )
    assert response.status_code == 302
    [message] = outbox()
    assert message.recipient == app.config["CONTACT_EMAIL"]
    assert "cannot be reached by keyboard" in message.text
    assert "reader@example.org" in message.text


def test_an_empty_barrier_report_is_refused(client, outbox):
    page = client.post("/accessibility", data={"email": "not-an-address"}).get_data(as_text=True)
    assert "There is a problem" in page
    assert 'value="not-an-address"' in page
    assert outbox() == []


def test_privacy_notice_says_what_why_how_long_and_rights(client):
    page = client.get("/privacy").get_data(as_text=True)
    for heading in ("What we keep", "Why", "How long", "Your rights", "Cookies"):
        assert heading in page


def test_dates_follow_the_locale(client, db, login_as):
    user = factories.make_user(locale="fr")
    login_as(user)
    page = client.get("/account").get_data(as_text=True)
    db.session.refresh(user)
    assert user.last_login_dt is not None
    months_fr = (
        "janv.",
        "févr.",
        "mars",
        "avr.",
        "mai",
        "juin",
        "juil.",
        "août",
        "sept.",
        "oct.",
        "nov.",
        "déc.",
    )
    assert any(month in page for month in months_fr)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 1
