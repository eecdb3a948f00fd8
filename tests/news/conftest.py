"""Helpers for the news tests: news items built directly, page text, field errors."""

import datetime as dt
import itertools
import re

import pytest

from exchange.db import db, utcnow
from exchange.news.models import NewsItem
from tests import factories

_numbers = itertools.count(1)


def make_news(author, **overrides) -> NewsItem:
    """A published news item (an hour old unless `published_dt` says otherwise)."""
    n = next(_numbers)
    values = dict(
        title=f"News {n}",
        summary=f"Summary of news {n}.",
        body=f"The **body** of news {n}.",
        language="en",
        published_dt=utcnow() - dt.timedelta(hours=1),
        author_organisation=author,
    )
    values.update(overrides)
    item = NewsItem(**values)
    db.session.add(item)
    db.session.flush()
    return item


@pytest.fixture
def aiccre_officer(cast):
    """An officer of another association (AICCRE, Capaci's)."""
    officer = factories.make_coordinator(cast.aiccre, email="officer@aiccre.example")
    db.session.commit()
    return officer


def html(response) -> str:
    return response.get_data(as_text=True)


def text(response) -> str:
    """The page's visible text, tags removed and spaces collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html(response)))


def field_error(response, field_id: str) -> str:
    match = re.search(rf'id="{field_id}-error">(.*?)</p>', html(response), re.S)
    if not match:
        return ""
    return re.sub(r"<[^>]+>|\s+", " ", match.group(1)).replace("Error:", "").strip()


def card_titles(response) -> list[str]:
    """The titles of the news cards of the list, in order."""
    return re.findall(r'<h3 lang="[a-z]+"><a href="/news/\d+">(.*?)</a></h3>', html(response))
