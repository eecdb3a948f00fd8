"""The news list and one item's page, as the public and the posters see them."""

import datetime as dt
import re

import pytest

from exchange.db import db, utcnow
from tests import factories
from tests.news.conftest import card_titles, html, make_news, text
from tests.test_query_counts import count_queries


def test_the_list_shows_published_items_newest_first(client, cast):
    now = utcnow()
    make_news(cast.vvsg, title="Older", published_dt=now - dt.timedelta(days=3))
    make_news(cast.aiccre, title="Newest", published_dt=now - dt.timedelta(minutes=1))
    make_news(cast.vvsg, title="Middle", published_dt=now - dt.timedelta(days=1))
    make_news(cast.vvsg, title="Tomorrow", published_dt=now + dt.timedelta(days=1))
    db.session.commit()

    page = client.get("/news/")

    assert page.status_code == 200
    assert card_titles(page) == ["Newest", "Middle", "Older"]
    assert "3 news items" in text(page)


def test_a_card_shows_summary_date_author_and_language(client, cast):
    item = make_news(
        cast.vvsg,
        title="Buddies in Mechelen",
        summary="Forty new buddy pairs started.",
        language="nl",
        published_dt=dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC),
    )
    db.session.commit()

    page = client.get("/news/")

    assert f'<a href="/news/{item.id}">Buddies in Mechelen</a>' in html(page)
    assert '<p lang="nl">Forty new buddy pairs started.</p>' in html(page)
    assert "March 2, 2026" in text(page)
    assert f'href="/organisations/{cast.vvsg.id}"' in html(page)
    assert "Association of Flemish Cities and Municipalities (VVSG)" in text(page)
    assert "Dutch" in text(page)


def test_language_names_and_dates_follow_the_readers_language(client, cast):
    make_news(cast.vvsg, language="fr", published_dt=dt.datetime(2026, 3, 2, tzinfo=dt.UTC))
    db.session.commit()

    page = client.get("/news/", headers={"Accept-Language": "nl"})

    assert "Frans" in text(page) and "2 maart 2026" in text(page)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("language=nl", ["In Dutch"]),
        ("language=fr", ["En français"]),
        ("language=it", []),
        ("", ["In Dutch", "In English", "En français"]),
        ("language=zz", ["In Dutch", "In English", "En français"]),
        ("language=%3Cscript%3E", ["In Dutch", "In English", "En français"]),
    ],
)
def test_the_list_is_filtered_by_the_language_of_the_text(client, cast, query, expected):
    now = utcnow()
    make_news(cast.vvsg, title="In English", published_dt=now - dt.timedelta(hours=3))
    make_news(cast.vvsg, title="In Dutch", language="nl", published_dt=now - dt.timedelta(hours=2))
    make_news(cast.vvsg, title="En français", language="fr", published_dt=now - dt.timedelta(1))
    db.session.commit()

    page = client.get(f"/news/?{query}")

    assert page.status_code == 200
    assert card_titles(page) == expected


def test_the_filter_offers_the_languages_news_is_written_in(client, cast):
    make_news(cast.vvsg, language="nl")
    make_news(cast.vvsg, language="fr")
    make_news(cast.vvsg, language="it", published_dt=utcnow() + dt.timedelta(days=2))
    db.session.commit()

    page = html(client.get("/news/?language=de"))

    options = re.findall(r'<option(?: selected)? value="([a-z]*)"', page)
    assert sorted(options) == ["", "de", "fr", "nl"]  # German was asked for: kept selected
    assert '<option selected value="de">' in page


def test_the_list_is_paginated_and_pages_keep_the_filter(client, cast, app, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 4)
    now = utcnow()
    for n in range(6):
        make_news(cast.vvsg, title=f"Dutch {n}", language="nl", published_dt=now - dt.timedelta(n))
    make_news(cast.vvsg, title="English", published_dt=now - dt.timedelta(minutes=1))
    db.session.commit()

    first = client.get("/news/?language=nl")
    second = client.get("/news/?language=nl&page=2")

    assert card_titles(first) == ["Dutch 0", "Dutch 1", "Dutch 2", "Dutch 3"]
    assert "6 news items" in text(first) and "Page 1 of 2" in text(first)
    assert 'href="/news/?page=2&amp;language=nl"' in html(first)
    assert card_titles(second) == ["Dutch 4", "Dutch 5"]
    assert client.get("/news/?language=nl&page=3").status_code == 404
    assert client.get("/news/?page=0").status_code == 404
    assert len(card_titles(client.get("/news/?page=abc"))) == 4  # garbage: page 1


def test_an_empty_list_says_so(client, cast):
    assert "No news yet." in text(client.get("/news/"))
    assert "No news in this language yet." in text(client.get("/news/?language=nl"))


@pytest.mark.parametrize(
    ("role", "sees_button"),
    [
        ("anonymous", False),
        ("participant", False),
        ("coordinator", False),
        ("other_coordinator", False),
        ("officer", True),
        ("admin", True),
    ],
)
def test_officers_and_admins_see_the_post_button(client, cast, login_as, role, sees_button):
    if cast.by_role(role):
        login_as(cast.by_role(role))
    assert ('href="/news/new"' in html(client.get("/news/"))) is sees_button


def test_the_item_page(client, cast):
    item = make_news(
        cast.vvsg,
        title="Een buddy voor elke nieuwkomer",
        summary="Mechelen zoekt buddies.\nMeld je aan.",
        body="## Hoe het werkt\n\nEen **buddy** ontmoet een nieuwkomer.",
        language="nl",
        published_dt=dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC),
    )
    db.session.commit()

    page = client.get(f"/news/{item.id}")

    body = html(page)
    assert page.status_code == 200
    assert '<h1 lang="nl">Een buddy voor elke nieuwkomer</h1>' in body
    assert "March 2, 2026" in text(page) and "Dutch" in text(page)
    vvsg_link = f'<a href="/organisations/{cast.vvsg.id}">'
    assert vvsg_link + "Association of Flemish Cities and Municipalities (VVSG)</a>" in body
    own_text = re.search(r'<div lang="nl">(.*?)</div>', body, re.S).group(1)
    assert '<p class="lead">Mechelen zoekt buddies.</p>' in own_text
    assert '<p class="lead">Meld je aan.</p>' in own_text
    assert "<h3>Hoe het werkt</h3>" in own_text  # under the page title: "#" is h2, "##" h3
    assert "Een <strong>buddy</strong> ontmoet een nieuwkomer." in own_text
    assert "Edit the news item" not in body


def test_an_author_that_is_no_longer_verified_is_not_named(client, cast, login_as):
    unverified = factories.make_association(name="New network", is_verified=False)
    item = make_news(unverified, title="Orphaned")
    db.session.commit()

    for path in ["/news/", f"/news/{item.id}", "/news/feed.atom"]:
        assert "New network" not in html(client.get(path)), path
    assert "Orphaned" in html(client.get("/news/"))
    login_as(cast.admin)  # who may see its profile sees its name
    assert f'<a href="/organisations/{unverified.id}">New network' in html(client.get("/news/"))


@pytest.mark.parametrize("path", ["/news/999999", "/news/0", f"/news/{2**31}", "/news/abc"])
def test_an_unknown_item_is_not_found(client, cast, path):
    assert client.get(path).status_code == 404


# Items dated in the future


@pytest.fixture
def scheduled(cast):
    item = make_news(
        cast.vvsg, title="Next week's academy", published_dt=utcnow() + dt.timedelta(days=7)
    )
    db.session.commit()
    return item


@pytest.mark.parametrize("role", ["anonymous", "participant", "coordinator", "other_coordinator"])
def test_a_scheduled_item_is_not_found_by_the_public(client, cast, login_as, scheduled, role):
    if cast.by_role(role):
        login_as(cast.by_role(role))
    assert client.get(f"/news/{scheduled.id}").status_code == 404
    assert "Next week" not in html(client.get("/news/"))


def test_a_scheduled_item_is_hidden_from_officers_of_other_associations(
    client, login_as, scheduled, aiccre_officer
):
    login_as(aiccre_officer)
    assert client.get(f"/news/{scheduled.id}").status_code == 404
    assert "Next week" not in html(client.get("/news/"))


@pytest.mark.parametrize("role", ["officer", "admin"])
def test_who_may_edit_a_scheduled_item_sees_it_with_a_note(client, cast, login_as, scheduled, role):
    login_as(cast.by_role(role))

    page = client.get(f"/news/{scheduled.id}")
    listing = client.get("/news/")

    assert page.status_code == 200
    assert "Scheduled for" in text(page) and "Edit the news item" in text(page)
    assert card_titles(listing) == []  # not published yet: not in the list itself
    scheduled_section = re.search(r'<section class="panel".*?</section>', html(listing), re.S)
    assert f'href="/news/{scheduled.id}"' in scheduled_section.group(0)


def test_the_scheduled_moment_is_told_in_the_platforms_time_zone(client, cast, login_as):
    item = make_news(cast.vvsg, published_dt=dt.datetime(2030, 6, 30, 22, 0, tzinfo=dt.UTC))
    db.session.commit()
    login_as(cast.officer)
    assert "Scheduled for July 1, 2030 at 00:00." in text(client.get(f"/news/{item.id}"))
    assert "Scheduled for July 1, 2030 at 00:00" in text(client.get("/news/"))


def test_a_published_item_has_no_scheduled_note(client, cast, login_as):
    item = make_news(cast.vvsg, published_dt=utcnow() - dt.timedelta(seconds=1))
    db.session.commit()
    login_as(cast.officer)
    assert "Scheduled for" not in text(client.get(f"/news/{item.id}"))


# What a page costs


def _add_news(cast, n: int) -> None:
    for i in range(n):
        author = factories.make_association(name=f"Association {i}")
        make_news(author, language=["en", "nl", "fr"][i % 3])
        make_news(cast.vvsg, published_dt=utcnow() + dt.timedelta(days=i + 1))
    db.session.commit()


@pytest.mark.parametrize(
    ("role", "path"),
    [
        ("anonymous", "/news/"),
        ("anonymous", "/news/?language=nl"),
        ("officer", "/news/"),
        ("admin", "/news/?page=1"),
        ("anonymous", "/news/feed.atom"),
    ],
)
def test_query_count_does_not_grow_with_the_news(app, cast, login_as, role, path):
    client = app.test_client()
    if cast.by_role(role):
        login_as(cast.by_role(role), the_client=client)

    def queries_for_page() -> int:
        with count_queries(db.engine) as statements:
            assert client.get(path).status_code == 200
        return len(statements)

    _add_news(cast, 3)
    small = queries_for_page()
    _add_news(cast, 30)
    large = queries_for_page()

    assert large == small, f"{path}: {small} queries with little news, {large} with more"
    assert small <= 7, small
