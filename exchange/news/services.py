"""Posting, editing and deleting news (officers of associations, admins).

Services flush and audit; views commit.

The publication date is a day, typed in the platform's time zone (BABEL_DEFAULT_TIMEZONE,
Europe/Brussels): empty or today means now; another day means the start (00:00) of that
day there, so a future day schedules the item until that midnight and a past day dates it
back; the day an item already has keeps its exact time, so editing moves nothing.
"""

import datetime as dt
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import lazy_gettext as _l

from exchange import audit
from exchange.content import LANGUAGE_CODES
from exchange.db import db
from exchange.domain import DomainError
from exchange.news.models import NewsItem
from exchange.organisations.models import Organisation

FIELDS = ("title", "summary", "body", "language", "published_dt", "author_organisation")


# Who may do what (the model's permission questions; kept here with the rules they guard)


def can_post(user) -> bool:
    """Admins, and officers of a verified association, post news."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_admin or (user.is_officer and user.organisation.is_verified)


def can_edit(user, item: NewsItem) -> bool:
    """Admins, and the officers of the author organisation, edit and delete an item."""
    if not can_post(user):
        return False
    return user.is_admin or user.organisation_id == item.author_organisation_id


def is_published(item: NewsItem, now: dt.datetime) -> bool:
    return item.published_dt <= now


# The publication date


def platform_zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def local_date(moment: dt.datetime) -> dt.date:
    """The day `moment` falls on in the platform's time zone (what the date box shows)."""
    return moment.astimezone(platform_zone()).date()


def publication_dt(
    day: dt.date | None, now: dt.datetime, current: dt.datetime | None = None
) -> dt.datetime:
    """When an item dated `day` is published (see the module's docstring)."""
    if current is not None and day == local_date(current):
        return current
    if day is None or day == local_date(now):
        return now
    start = dt.datetime.combine(day, dt.time(0), tzinfo=platform_zone())
    return start.astimezone(dt.UTC)


# Changes


def _check(user, values: dict) -> None:
    if not can_post(user):
        raise DomainError(_l("Only officers of associations and administrators post news."))
    author = values["author_organisation"]
    if author is None or not author.is_verified:
        raise DomainError(
            _l("Choose a verified organisation from the list."), "author_organisation_id"
        )
    if not user.is_admin and author.id != user.organisation_id:
        raise DomainError(
            _l("You post news for your own association only."), "author_organisation_id"
        )
    if values["language"] not in LANGUAGE_CODES:
        raise DomainError(_l("Choose a language from the list."), "language")


def _plain(value):
    return value.name if isinstance(value, Organisation) else value


def _values(user, item: NewsItem | None, now: dt.datetime, fields: dict) -> dict:
    """The columns to store: the typed fields, with the day turned into a moment."""
    values = dict(fields)
    day = values.pop("published_date")
    values["published_dt"] = publication_dt(day, now, item.published_dt if item else None)
    _check(user, values)
    return values


def post_news(user, now: dt.datetime, **fields) -> NewsItem:
    """Create a news item; `fields` are title, summary, body, language, published_date
    (a day or None) and author_organisation."""
    values = _values(user, None, now, fields)
    item = NewsItem(created_by_id=user.id, **{name: values[name] for name in FIELDS})
    db.session.add(item)
    db.session.flush()
    audit.record(user, "news.create", item, **{n: (None, _plain(values[n])) for n in FIELDS})
    return item


def update_news(user, item: NewsItem, now: dt.datetime, **fields) -> None:
    """Change a news item; record what changed, and nothing when nothing did."""
    if not can_edit(user, item):
        raise DomainError(_l("You may not edit this news item."))
    values = _values(user, item, now, fields)
    changes = {}
    for name in FIELDS:
        before = getattr(item, name)
        if before != values[name]:
            changes[name] = (_plain(before), _plain(values[name]))
            setattr(item, name, values[name])
    if changes:
        audit.record(user, "news.edit", item, **changes)
    db.session.flush()


def delete_news(user, item: NewsItem) -> None:
    """Delete a news item; the audit event keeps what it said."""
    if not can_edit(user, item):
        raise DomainError(_l("You may not delete this news item."))
    audit.record(
        user,
        "news.delete",
        item,
        **{n: (_plain(getattr(item, n)), None) for n in FIELDS},
    )
    db.session.delete(item)
    db.session.flush()
