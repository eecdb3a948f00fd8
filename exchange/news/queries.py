"""Read-only queries of news: the published list, the feed, scheduled items, authors."""

import datetime as dt

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import selectinload

from exchange.db import db
from exchange.news.models import NewsItem
from exchange.organisations.queries import get_or_404

__all__ = ["get_or_404"]

# Scheduled items are listed for their authors; nobody plans this many ahead.
MAX_SCHEDULED = 50


def page_size() -> int:
    return current_app.config["PAGE_SIZE"]


def _newest_first(query):
    return query.options(selectinload(NewsItem.author_organisation)).order_by(
        NewsItem.published_dt.desc(), NewsItem.id.desc()
    )


def published(now: dt.datetime, language: str | None = None):
    """The query of items published by `now`, newest first, in `language` if given."""
    query = sa.select(NewsItem).where(NewsItem.published_dt <= now)
    if language:
        query = query.where(NewsItem.language == language)
    return _newest_first(query)


def list_page(now: dt.datetime, language: str | None, page: int, per_page: int):
    """One page of published news with their authors; a page past the last answers 404."""
    return db.paginate(
        published(now, language), page=page, per_page=per_page, error_out=True, count=True
    )


def latest(now: dt.datetime, limit: int, language: str | None = None) -> list[NewsItem]:
    """The `limit` newest published items (the feed, the home page)."""
    return list(db.session.scalars(published(now, language).limit(limit)))


def languages_in_use(now: dt.datetime) -> list[str]:
    """The languages published news is written in, for the list's filter."""
    query = sa.select(NewsItem.language).where(NewsItem.published_dt <= now).distinct()
    return list(db.session.scalars(query))


def scheduled(user, now: dt.datetime) -> list[NewsItem]:
    """Items dated after `now` that `user` may edit: all for admins, their association's
    for officers, none for anyone else. Soonest first."""
    query = sa.select(NewsItem).where(NewsItem.published_dt > now)
    if not getattr(user, "is_admin", False):
        if not getattr(user, "is_officer", False):
            return []
        query = query.where(NewsItem.author_organisation_id == user.organisation_id)
    query = query.order_by(NewsItem.published_dt, NewsItem.id).limit(MAX_SCHEDULED)
    return list(db.session.scalars(query))
