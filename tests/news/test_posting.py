"""Posting, editing and deleting news: who may, what is stored, what bad input gives."""

import datetime as dt
import re

import pytest
import sqlalchemy as sa

from exchange.audit import AuditEvent
from exchange.db import db, utcnow
from exchange.news import services
from exchange.news.models import NewsItem
from tests import factories
from tests.conftest import FreshContextClient
from tests.news.conftest import field_error, html, make_news, text

GOOD = {
    "title": "A buddy for every newcomer",
    "summary": "Mechelen and Capaci compare their buddy schemes.",
    "body": "Read **all** about it.",
    "language": "en",
    "published_date": "",
}


def all_news() -> list[NewsItem]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(NewsItem).order_by(NewsItem.id)))


def events(action: str | None = None) -> list[AuditEvent]:
    query = sa.select(AuditEvent).where(AuditEvent.object_type == "newsitem")
    if action:
        query = query.where(AuditEvent.action == action)
    return list(db.session.scalars(query.order_by(AuditEvent.id)))


@pytest.fixture
def vvsg_item(cast):
    item = make_news(cast.vvsg, title="VVSG news", language="nl")
    db.session.commit()
    return item


# Who may post, edit and delete


def test_an_officer_posts_for_their_association(client, cast, login_as):
    login_as(cast.officer)
    form = client.get("/news/new")
    assert form.status_code == 200
    assert 'name="author_organisation_id"' not in html(form)
    assert "Published by Association of Flemish Cities and Municipalities (VVSG)." in text(form)

    # A crafted author field is ignored: officers post for their own association.
    response = client.post("/news/new", data={**GOOD, "author_organisation_id": cast.aiccre.id})

    [item] = all_news()
    assert response.status_code == 302 and response.location == f"/news/{item.id}"
    assert item.author_organisation_id == cast.vvsg.id
    assert item.created_by_id == cast.officer.id
    assert (item.title, item.summary, item.body, item.language) == (
        GOOD["title"],
        GOOD["summary"],
        GOOD["body"],
        "en",
    )
    assert abs(item.published_dt - utcnow()) < dt.timedelta(minutes=1)
    assert "is saved" in text(client.get(response.location))


def test_an_admin_chooses_any_verified_organisation(client, cast, login_as):
    unverified = factories.make_association(name="Unverified network", is_verified=False)
    db.session.commit()
    login_as(cast.admin)
    form = html(client.get("/news/new"))
    assert f'<option value="{cast.mechelen.id}">Mechelen</option>' in form
    assert f'value="{unverified.id}"' not in form

    refused = client.post("/news/new", data={**GOOD, "author_organisation_id": unverified.id})
    missing = client.post("/news/new", data=GOOD)
    assert field_error(refused, "author_organisation_id") == "Not a valid choice."
    assert field_error(missing, "author_organisation_id") == (
        "Choose the organisation that publishes the news."
    )
    assert all_news() == []

    client.post("/news/new", data={**GOOD, "author_organisation_id": cast.mechelen.id})
    [item] = all_news()
    assert item.author_organisation_id == cast.mechelen.id


def test_the_admins_own_verified_organisation_is_chosen_first(client, cast, login_as):
    cast.admin.organisation = cast.aiccre
    cast.admin.membership = "approved"
    db.session.commit()
    login_as(cast.admin)
    form = html(client.get("/news/new"))
    assert f'<option selected value="{cast.aiccre.id}">AICCRE (AICCRE)</option>' in form


def test_the_language_is_the_users_language_at_first(client, cast, login_as):
    cast.officer.locale = "fr"
    db.session.commit()
    login_as(cast.officer)
    assert '<option selected value="fr">' in html(client.get("/news/new"))


@pytest.mark.parametrize("role", ["participant", "coordinator", "other_coordinator"])
def test_members_of_cities_may_not_post(client, cast, login_as, role):
    login_as(cast.by_role(role))
    assert client.get("/news/new").status_code == 404
    assert client.post("/news/new", data=GOOD).status_code == 404
    assert all_news() == []
    assert 'href="/news/new"' not in html(client.get("/news/"))


def test_an_officer_of_an_unverified_association_may_not_post(client, login_as):
    unverified = factories.make_association(name="Self-declared network", is_verified=False)
    officer = factories.make_coordinator(unverified)
    db.session.commit()
    login_as(officer)
    assert client.get("/news/new").status_code == 404
    assert client.post("/news/new", data=GOOD).status_code == 404
    assert all_news() == []


def test_anonymous_visitors_are_asked_to_log_in(client, cast, vvsg_item):
    for method, path in [
        ("GET", "/news/new"),
        ("POST", "/news/new"),
        ("GET", f"/news/{vvsg_item.id}/edit"),
        ("POST", f"/news/{vvsg_item.id}/edit"),
        ("POST", f"/news/{vvsg_item.id}/delete"),
    ]:
        response = client.open(path, method=method, data=GOOD)
        assert response.status_code == 302 and response.location.startswith("/login")
    assert [item.title for item in all_news()] == ["VVSG news"]


@pytest.mark.parametrize("role", ["participant", "coordinator", "other_coordinator"])
def test_others_may_not_edit_or_delete(client, cast, login_as, vvsg_item, role):
    login_as(cast.by_role(role))
    assert client.get(f"/news/{vvsg_item.id}/edit").status_code == 404
    assert client.post(f"/news/{vvsg_item.id}/edit", data=GOOD).status_code == 404
    assert client.post(f"/news/{vvsg_item.id}/delete").status_code == 404
    assert "Edit the news item" not in text(client.get(f"/news/{vvsg_item.id}"))
    assert [item.title for item in all_news()] == ["VVSG news"]
    assert events() == []


def test_an_officer_of_another_association_may_not_edit_or_delete(
    client, login_as, vvsg_item, aiccre_officer
):
    login_as(aiccre_officer)
    assert client.get("/news/new").status_code == 200  # may post for AICCRE
    assert client.get(f"/news/{vvsg_item.id}/edit").status_code == 404
    assert client.post(f"/news/{vvsg_item.id}/edit", data=GOOD).status_code == 404
    assert client.post(f"/news/{vvsg_item.id}/delete").status_code == 404
    assert "Edit the news item" not in text(client.get(f"/news/{vvsg_item.id}"))
    assert [item.title for item in all_news()] == ["VVSG news"]


@pytest.mark.parametrize("role", ["officer", "admin"])
def test_the_author_associations_officers_and_admins_edit(client, cast, login_as, vvsg_item, role):
    login_as(cast.by_role(role))
    assert "Edit the news item" in text(client.get(f"/news/{vvsg_item.id}"))
    form = client.get(f"/news/{vvsg_item.id}/edit")
    assert 'value="VVSG news"' in html(form)
    assert '<option selected value="nl">' in html(form)

    data = {**GOOD, "title": "VVSG news, corrected", "language": "nl"}
    data["published_date"] = re.search(
        r'name="published_date" type="date" value="([\d-]+)"', html(form)
    ).group(1)
    if role == "admin":
        data["author_organisation_id"] = cast.vvsg.id
    response = client.post(f"/news/{vvsg_item.id}/edit", data=data)

    assert response.status_code == 302 and response.location == f"/news/{vvsg_item.id}"
    [item] = all_news()
    assert item.title == "VVSG news, corrected" and item.body == GOOD["body"]
    assert item.author_organisation_id == cast.vvsg.id
    assert item.published_dt == vvsg_item.published_dt  # same day: the time is kept


@pytest.mark.parametrize("role", ["officer", "admin"])
def test_the_author_associations_officers_and_admins_delete(
    client, cast, login_as, vvsg_item, role
):
    item_id = vvsg_item.id
    login_as(cast.by_role(role))
    response = client.post(f"/news/{item_id}/delete")
    assert response.status_code == 302 and response.location == "/news/"
    assert all_news() == []
    assert "“VVSG news” is deleted" in text(client.get("/news/"))
    assert client.get(f"/news/{item_id}").status_code == 404


def test_an_admin_moves_an_item_to_another_author(client, cast, login_as, vvsg_item):
    login_as(cast.admin)
    client.post(
        f"/news/{vvsg_item.id}/edit", data={**GOOD, "author_organisation_id": cast.aiccre.id}
    )
    [item] = all_news()
    assert item.author_organisation_id == cast.aiccre.id
    assert events("news.edit")[0].summary["author_organisation"] == [
        "Association of Flemish Cities and Municipalities",
        "AICCRE",
    ]


# Bad input


def test_bad_input_is_shown_next_to_the_fields_and_the_typed_values_kept(client, cast, login_as):
    login_as(cast.officer)
    data = {
        "title": "   ",
        "summary": "x" * 1001,
        "body": "Kept *body* <b>text</b>",
        "language": "xx",
        "published_date": "31/02/2026",
    }

    page = client.post("/news/new", data=data)

    assert page.status_code == 200
    assert field_error(page, "title") == "Enter a title."
    assert field_error(page, "summary") == "Field cannot be longer than 1000 characters."
    assert field_error(page, "language") == "Not a valid choice."
    assert field_error(page, "published_date") == "Enter a date like 2026-03-31."
    assert field_error(page, "body") == ""
    assert "There is a problem" in text(page)
    assert "x" * 1001 in html(page)
    assert "Kept *body* &lt;b&gt;text&lt;/b&gt;</textarea>" in html(page)
    assert 'value="31/02/2026"' in html(page)
    assert all_news() == [] and events() == []


def test_every_text_field_is_required(client, cast, login_as):
    login_as(cast.officer)
    page = client.post("/news/new", data={"language": "en"})
    assert field_error(page, "title") == "Enter a title."
    assert field_error(page, "summary") == "Say in a few sentences what the news is about."
    assert field_error(page, "body") == "Write the text of the news."
    assert all_news() == []


def test_bad_input_on_edit_changes_nothing(client, cast, login_as, vvsg_item):
    login_as(cast.officer)
    page = client.post(f"/news/{vvsg_item.id}/edit", data={**GOOD, "title": "t" * 301})
    assert field_error(page, "title") == "Field cannot be longer than 300 characters."
    assert 'value="' + "t" * 301 + '"' in html(page)
    assert [item.title for item in all_news()] == ["VVSG news"] and events() == []


def test_the_service_refuses_what_the_form_cannot_send(cast):
    values = dict(GOOD, published_date=None, author_organisation=cast.aiccre)
    with pytest.raises(services.DomainError) as refused:
        services.post_news(cast.officer, utcnow(), **values)
    assert refused.value.field == "author_organisation_id"
    with pytest.raises(services.DomainError):
        services.post_news(cast.coordinator, utcnow(), **dict(values, author_organisation=None))
    with pytest.raises(services.DomainError) as bad_language:
        services.post_news(cast.admin, utcnow(), **dict(values, language="xx"))
    assert bad_language.value.field == "language"
    assert all_news() == []


# The audit trail


def test_posting_editing_and_deleting_are_audited(client, cast, login_as):
    login_as(cast.officer)
    client.post("/news/new", data=GOOD)
    [item] = all_news()
    item_id = item.id
    edited = {**GOOD, "title": "New title", "published_date": services.local_date(utcnow())}
    client.post(f"/news/{item_id}/edit", data=edited)
    client.post(f"/news/{item_id}/edit", data=edited)  # no change: no event
    client.post(f"/news/{item_id}/delete")

    create, edit, delete = events()
    assert [e.action for e in (create, edit, delete)] == ["news.create", "news.edit", "news.delete"]
    assert {e.actor_id for e in (create, edit, delete)} == {cast.officer.id}
    assert {e.object_id for e in (create, edit, delete)} == {item_id}
    assert create.summary["title"] == [None, GOOD["title"]]
    assert create.summary["author_organisation"] == [
        None,
        "Association of Flemish Cities and Municipalities",
    ]
    assert edit.summary == {"title": [GOOD["title"], "New title"]}
    assert delete.summary["title"] == ["New title", None]
    assert delete.summary["body"] == [GOOD["body"], None]


# The publication date


def at(year, month, day, hour=0, minute=0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=dt.UTC)


NOW = at(2026, 6, 15, 10, 37)  # 12:37 in Brussels (summer time)


@pytest.mark.parametrize(
    ("day", "current", "expected"),
    [
        (None, None, NOW),  # empty: now
        (dt.date(2026, 6, 15), None, NOW),  # today: now
        (dt.date(2026, 7, 1), None, at(2026, 6, 30, 22)),  # midnight in Brussels (CEST)
        (dt.date(2026, 12, 24), None, at(2026, 12, 23, 23)),  # midnight in Brussels (CET)
        (dt.date(2026, 3, 2), None, at(2026, 3, 1, 23)),  # dated back
        (dt.date(2026, 3, 2), at(2026, 3, 2, 15, 5), at(2026, 3, 2, 15, 5)),  # same day: kept
        (None, at(2026, 3, 2, 15, 5), NOW),  # emptied: now
        (dt.date(2026, 6, 15), at(2026, 3, 2, 15, 5), NOW),  # moved to today: now
    ],
)
def test_publication_moment(app, day, current, expected):
    assert services.publication_dt(day, NOW, current) == expected


def test_a_future_date_schedules_the_item(client, cast, login_as):
    login_as(cast.officer)
    tomorrow = (utcnow() + dt.timedelta(days=2)).date().isoformat()
    response = client.post("/news/new", data={**GOOD, "published_date": tomorrow})
    [item] = all_news()
    assert item.published_dt > utcnow()
    assert "Scheduled for" in text(client.get(response.location))
    client.post("/logout")
    assert client.get(response.location).status_code == 404


# With CSRF protection on, as in production


def _token(page: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


@pytest.fixture
def browser(make_app, cast):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = FreshContextClient(app, app.response_class, use_cookies=True)
    login_page = html(client.get("/login"))
    client.post(
        "/login",
        data={
            "email": cast.officer.email,
            "password": factories.PASSWORD,
            "csrf_token": _token(login_page),
        },
    )
    return client


def test_the_rendered_forms_carry_their_tokens(browser):
    form = html(browser.get("/news/new"))
    created = browser.post("/news/new", data={**GOOD, "csrf_token": _token(form)})
    assert created.status_code == 302
    [item] = all_news()

    page = html(browser.get(created.location))
    delete_form = re.search(r'<form[^>]*action="/news/\d+/delete".*?</form>', page, re.S).group(0)
    assert 'class="button button-danger"' in delete_form and "data-confirm" in delete_form
    deleted = browser.post(f"/news/{item.id}/delete", data={"csrf_token": _token(delete_form)})
    assert deleted.status_code == 302 and all_news() == []


def test_a_forged_request_changes_nothing(browser, vvsg_item):
    assert browser.post("/news/new", data=GOOD).status_code == 400
    assert browser.post(f"/news/{vvsg_item.id}/edit", data=GOOD).status_code == 400
    assert browser.post(f"/news/{vvsg_item.id}/delete").status_code == 400
    assert [item.title for item in all_news()] == ["VVSG news"]
