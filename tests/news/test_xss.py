"""Script and HTML typed into any field of a news item are harmless on every page and in
the feed: shown as text, or removed from the Markdown body."""

import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
import sqlalchemy as sa

from exchange.db import db
from exchange.news.models import NewsItem
from tests import factories
from tests.news.conftest import html, make_news

PAYLOADS = [
    '<script>alert("xss")</script>',
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    "[click me](javascript:alert(1))",
    "[click me](JaVaScRiPt:alert(1))",
    '<a href="javascript:alert(1)">click me</a>',
    '<a href="&#106;avascript:alert(1)">click me</a>',
    '<iframe src="javascript:alert(1)"></iframe>',
    "<p onclick=\"alert(1)\" style='x'>styled</p>",
]
FIELDS = ["title", "summary", "body"]
OWN_SCRIPT = "/static/js/site.js"
ATOM = "{http://www.w3.org/2005/Atom}"
ATOM_ELEMENTS = {
    "feed", "id", "title", "subtitle", "updated", "link", "author", "name", "generator",
    "entry", "published", "summary", "content",
}  # fmt: skip


class DangerFinder(HTMLParser):
    """Collect what could run script: foreign script tags, embedding tags, event
    handlers, style attributes, and javascript:/data: URLs (entities decoded)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.dangers = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "script" and values.get("src") != OWN_SCRIPT:
            self.dangers.append(f"<script {values}>")
        if tag in {"img", "svg", "iframe", "object", "embed", "style"}:
            self.dangers.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name == "style":
                self.dangers.append(f"{tag} {name}={value!r}")
            url = "".join((value or "").split()).lower()
            if name in {"href", "src", "action", "formaction"} and url.startswith(
                ("javascript:", "data:", "vbscript:")
            ):
                self.dangers.append(f"{tag} {name}={value!r}")


def dangers_in(markup: str) -> list[str]:
    finder = DangerFinder()
    finder.feed(markup)
    finder.close()
    return finder.dangers


def test_the_finder_finds_what_it_looks_for():
    """The check below can fail: unescaped payloads are caught."""
    for payload in PAYLOADS[:3] + PAYLOADS[5:]:
        assert dangers_in(payload), payload


@pytest.fixture
def posted(client, cast, login_as):
    """Post an item through the real form with a payload in one field."""

    def post(field: str, payload: str) -> NewsItem:
        login_as(cast.officer)
        data = {
            "title": "Title",
            "summary": "Summary",
            "body": "Body",
            "language": "en",
            field: payload,
        }
        response = client.post("/news/new", data=data)
        assert response.status_code == 302, html(response)
        return db.session.scalars(sa.select(NewsItem)).one()

    return post


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("field", FIELDS)
def test_payloads_are_neutralised_on_every_page(client, cast, posted, field, payload):
    item = posted(field, payload)
    assert getattr(item, field) == payload  # kept as typed: neutralised on output

    for path in ["/news/", f"/news/{item.id}", f"/news/{item.id}/edit", "/news/?language=en"]:
        page = client.get(path)
        assert page.status_code == 200
        assert dangers_in(html(page)) == [], path
    client.post("/logout")
    for path in ["/news/", f"/news/{item.id}"]:
        assert dangers_in(html(client.get(path))) == [], path


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("field", FIELDS)
def test_payloads_are_neutralised_in_the_feed(client, cast, posted, field, payload):
    item = posted(field, payload)

    root = ET.fromstring(client.get("/news/feed.atom").get_data())

    elements = {element.tag for element in root.iter()}
    assert {tag.removeprefix(ATOM) for tag in elements} <= ATOM_ELEMENTS
    [entry] = root.findall(f"{ATOM}entry")
    assert entry.find(f"{ATOM}title").text == item.title  # text, read as text
    assert entry.find(f"{ATOM}summary").text == item.summary
    content = entry.find(f"{ATOM}content")
    assert content.get("type") == "html"
    assert dangers_in(content.text or "") == []


@pytest.mark.parametrize("payload", PAYLOADS)
def test_an_organisation_name_is_text_too(client, cast, payload):
    author = factories.make_association(name=payload)
    item = make_news(author, language="en")
    db.session.commit()

    for path in ["/news/", f"/news/{item.id}"]:
        assert dangers_in(html(client.get(path))) == [], path
    root = ET.fromstring(client.get("/news/feed.atom").get_data())
    assert root.find(f"{ATOM}entry/{ATOM}author/{ATOM}name").text.startswith(payload)
