"""The resources list: newest first, each card, every filter, pagination, query count."""

import datetime as dt
import re

import pytest

from exchange.db import db
from exchange.db import db as _db
from tests import factories
from tests.resources.conftest import PDF, make_resource, stored_file, text
from tests.test_query_counts import count_queries


def titles(page: str) -> list[str]:
    return re.findall(r'<h3><a href="/resources/\d+" lang="\w+">([^<]+)</a></h3>', page)


@pytest.fixture
def library(cast):
    """Four resources of VVSG and AICCRE, in three languages, files and links."""
    make_resource(
        cast.vvsg,
        title="Buddy schemes: a toolkit",
        kind="toolkit",
        language="nl",
        themes=["cohesion", "reception"],
        published_date=dt.date(2025, 5, 1),
    )
    make_resource(
        cast.vvsg,
        title="Housing first for refugees",
        kind="publication",
        language="en",
        themes=["housing"],
        published_date=dt.date(2026, 2, 1),
        file=stored_file(PDF + b"x" * 1_250_000, "housing.pdf"),
    )
    make_resource(
        cast.aiccre,
        title="Video: the Capaci job lab",
        kind="video",
        language="it",
        themes=["employment"],
        published_date=dt.date(2025, 11, 3),
        url="https://video.example.org/capaci",
    )
    make_resource(
        cast.aiccre,
        title="100% welcome_guide",
        kind="guide",
        language="en",
        themes=[],
        published_date=dt.date(2024, 1, 1),
    )
    db.session.commit()
    return cast


def test_newest_published_first(client, library):
    page = text(client.get("/resources/"))
    assert titles(page) == [
        "Housing first for refugees",
        "Video: the Capaci job lab",
        "Buddy schemes: a toolkit",
        "100% welcome_guide",
    ]
    assert "4 resources" in page


def test_a_card_says_what_the_resource_is_and_how_to_get_it(client, library):
    page = text(client.get("/resources/"))
    card = page[page.index("Housing first for refugees") :].split("</li>")[0]
    assert "Publication" in card and "Feb 1, 2026" in card
    assert "Association of Flemish Cities and Municipalities (VVSG)" in card
    assert "English" in card and "Housing" in card
    assert re.search(r'href="/resources/\d+/file"', card)
    assert "(PDF, 1.2 MB)" in card

    video = page[page.index("Video: the Capaci job lab") :].split("</li>")[0]
    assert (
        '<a class="resource-link" href="https://video.example.org/capaci" '
        'rel="noopener nofollow">' in video
    )
    assert "opens another site: video.example.org" in video
    assert "Italian" in video and "Employment and entrepreneurship" in video
    assert "/file" not in video


def test_cards_in_the_readers_language(client, library):
    client.post("/language", data={"language": "fr", "next": "/resources/"})
    page = text(client.get("/resources/"))
    card = page[page.index("Buddy schemes: a toolkit") :].split("</li>")[0]
    assert "néerlandais" in card


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"kind": "video"}, ["Video: the Capaci job lab"]),
        ({"theme": "reception"}, ["Buddy schemes: a toolkit"]),
        ({"language": "en"}, ["Housing first for refugees", "100% welcome_guide"]),
        ({"q": "HOUSING"}, ["Housing first for refugees"]),
        ({"q": "100%"}, ["100% welcome_guide"]),
        ({"q": "e_g"}, ["100% welcome_guide"]),  # _ is a character, not a wildcard
        ({"q": "e%g"}, []),
        ({"kind": "publication", "language": "en"}, ["Housing first for refugees"]),
    ],
)
def test_filters(client, library, query, expected):
    page = text(client.get("/resources/", query_string=query))
    assert titles(page) == expected
    if not expected:
        assert "No resource matches these filters." in page


def test_language_filter_offers_the_languages_in_use(client, library):
    page = text(client.get("/resources/"))
    select = page[page.index('<select id="language"') :].split("</select>")[0]
    assert '<option value="it">Italian</option>' in select
    assert '<option value="nl">Dutch</option>' in select
    assert 'value="de"' not in select


@pytest.mark.parametrize(
    "query",
    [
        {"kind": "spaceship"},
        {"theme": "<script>"},
        {"language": "xx"},
        {"q": "x" * 5000},
        {"q": "\x00'; drop table resources; --"},
        {"q": "Ω≈ç√∫˜µ≤≥÷ 😀 \\ %% __"},
    ],
)
def test_odd_query_strings_still_give_a_page(client, library, query):
    response = client.get("/resources/", query_string=query)
    assert response.status_code == 200


def test_a_filter_value_that_is_not_a_choice_is_ignored(client, library):
    page = text(client.get("/resources/", query_string={"kind": "spaceship"}))
    assert len(titles(page)) == 4


def test_pagination_keeps_the_filters(client, cast, app, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 2)
    for n in range(5):
        make_resource(cast.vvsg, title=f"Guide {n}", published_date=dt.date(2026, 1, 1 + n))
    make_resource(cast.vvsg, title="A toolkit", kind="toolkit")
    db.session.commit()
    first = text(client.get("/resources/", query_string={"kind": "guide"}))
    assert "5 resources" in first and "Page 1 of 3" in first
    assert titles(first) == ["Guide 4", "Guide 3"]
    assert "kind=guide" in first and "page=2" in first
    third = text(client.get("/resources/", query_string={"kind": "guide", "page": 3}))
    assert titles(third) == ["Guide 0"]
    assert client.get("/resources/", query_string={"page": 4}).status_code == 404
    assert client.get("/resources/", query_string={"page": 10**9}).status_code == 404


def test_empty_list(client, cast):
    page = text(client.get("/resources/"))
    assert "No resource yet." in page


def test_post_button_only_for_posters(client, cast, login_as):
    assert "Post a resource" not in text(client.get("/resources/"))
    login_as(cast.coordinator)
    assert "Post a resource" not in text(client.get("/resources/"))
    login_as(cast.officer)
    assert "Post a resource" in text(client.get("/resources/"))


def add_resources(cast, n: int) -> None:
    for i in range(n):
        author = factories.make_association(name=f"Association {i}")
        make_resource(author, themes=["housing", "youth"], language=["en", "nl", "fr"][i % 3])
        make_resource(cast.vvsg, url=f"https://example.org/{i}", themes=["health"])
    _db.session.commit()


@pytest.mark.parametrize("query", ["", "?theme=housing&language=en&q=resource"])
def test_query_count_does_not_grow_with_the_data(app, cast, login_as, query):
    client = app.test_client()
    login_as(cast.officer, the_client=client)

    def queries_for_page() -> int:
        with count_queries(_db.engine) as statements:
            assert client.get(f"/resources/{query}").status_code == 200
        return len(statements)

    add_resources(cast, 2)
    small = queries_for_page()
    add_resources(cast, 15)
    large = queries_for_page()

    assert large == small, f"{small} queries with little data, {large} with more"
    assert small <= 8, small  # user, organisation, languages, count, page, 3 selectin loads
