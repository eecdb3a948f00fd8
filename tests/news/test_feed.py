"""The Atom feed, read back by feedparser as a feed reader would."""

import datetime as dt
import time
import xml.etree.ElementTree as ET

import feedparser
import pytest

from exchange.db import db, utcnow
from tests.news.conftest import make_news

BASE = "http://city-exchange.test"  # BASE_URL of the tests
ATOM = "{http://www.w3.org/2005/Atom}"


def read_feed(client, query=""):
    response = client.get(f"/news/feed.atom{query}")
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    assert response.content_type == "application/atom+xml; charset=utf-8"
    parsed = feedparser.parse(response.get_data())
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return parsed


def test_the_feed_describes_itself(client, cast):
    make_news(cast.vvsg)
    db.session.commit()

    feed = read_feed(client).feed

    assert feed.title == "City Exchange: news"
    assert feed.id == f"{BASE}/news/feed.atom"
    links = {link.rel: link for link in feed.links}
    assert links["self"].href == f"{BASE}/news/feed.atom"
    assert links["self"].type == "application/atom+xml"
    assert links["alternate"].href == f"{BASE}/news/"
    assert feed.language == "en"


def test_entries_carry_what_a_reader_shows(client, cast):
    published = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
    item = make_news(
        cast.vvsg,
        title="Een buddy voor elke nieuwkomer",
        summary="Mechelen zoekt buddies.",
        body="Een **buddy** ontmoet een [nieuwkomer](https://example.org/).",
        language="nl",
        published_dt=published,
    )
    db.session.commit()

    [entry] = read_feed(client).entries

    assert entry.id == f"{BASE}/news/{item.id}"
    assert entry.link == f"{BASE}/news/{item.id}"
    assert entry.links[0].hreflang == "nl"
    assert entry.title == "Een buddy voor elke nieuwkomer"
    assert entry.title_detail.language == "nl"
    assert entry.summary == "Mechelen zoekt buddies."
    assert entry.author == "Association of Flemish Cities and Municipalities (VVSG)"
    assert entry.published_parsed == time.struct_time((2026, 3, 2, 9, 30, 0, 0, 61, 0))
    assert entry.updated_parsed >= entry.published_parsed
    [content] = entry.content
    assert content.type == "text/html" and content.language == "nl"
    assert content.value == (
        '<p>Een <strong>buddy</strong> ontmoet een <a href="https://example.org/" '
        'rel="nofollow noopener">nieuwkomer</a>.</p>'
    )


def test_the_feed_holds_the_twenty_newest_published_items(client, cast):
    now = utcnow()
    for n in range(25):
        make_news(cast.vvsg, title=f"Item {n}", published_dt=now - dt.timedelta(hours=n + 1))
    make_news(cast.vvsg, title="Scheduled", published_dt=now + dt.timedelta(hours=1))
    db.session.commit()

    parsed = read_feed(client)

    assert [e.title for e in parsed.entries] == [f"Item {n}" for n in range(20)]
    # the feed changed when its most recently changed entry did (the items were written a
    # few milliseconds apart, possibly across a second)
    assert parsed.feed.updated_parsed == max(e.updated_parsed for e in parsed.entries)


def test_the_feed_is_filtered_by_language(client, cast):
    make_news(cast.vvsg, title="English")
    make_news(cast.vvsg, title="Français", language="fr")
    db.session.commit()

    parsed = read_feed(client, "?language=fr")

    assert [e.title for e in parsed.entries] == ["Français"]
    assert parsed.feed.title == "City Exchange: news in French"
    links = {link.rel: link.href for link in parsed.feed.links}
    assert links == {
        "self": f"{BASE}/news/feed.atom?language=fr",
        "alternate": f"{BASE}/news/?language=fr",
    }
    assert [e.title for e in read_feed(client, "?language=zz").entries] == ["Français", "English"]


def test_the_feed_title_follows_the_readers_language(client, cast):
    parsed = feedparser.parse(
        client.get("/news/feed.atom", headers={"Accept-Language": "fr"}).get_data()
    )
    assert parsed.feed.language == "fr"


def test_an_empty_feed_is_still_valid(client, cast):
    parsed = read_feed(client)
    assert parsed.entries == [] and parsed.feed.updated_parsed


def test_an_entry_without_author_falls_back_to_the_feeds(client, cast):
    make_news(None, title="Orphan")
    db.session.commit()
    parsed = read_feed(client)
    [entry] = parsed.entries
    assert "author" not in entry and parsed.feed.author == "City Exchange"  # Atom: inherited


@pytest.mark.parametrize("character", ["\ufffe", "\uffff"])
def test_characters_xml_cannot_hold_are_left_out(client, cast, character):
    make_news(cast.vvsg, title=f"Odd{character}title", body=f"odd{character}body")
    db.session.commit()
    response = client.get("/news/feed.atom")
    root = ET.fromstring(response.get_data())  # raises on characters XML does not allow
    assert root.find(f"{ATOM}entry/{ATOM}title").text == "Oddtitle"
