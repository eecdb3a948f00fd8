"""Read-only queries of calendars: private links and the activities a calendar shows.

Each calendar costs the same few queries whatever the number of activities (the pairing,
its cities and the hosts are loaded with `selectinload`).
"""

import datetime as dt
import re

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from exchange.accounts.models import User
from exchange.activities.models import Activity
from exchange.calendars.models import CalendarFeed
from exchange.db import db
from exchange.pairings.models import RECORD_KEEPING_STATUSES, Pairing
from exchange.pairings.queries import details_visible_to

# A calendar holds at most this many events: the latest ones (upcoming first), so a calendar
# app is never sent an unbounded file.
MAX_EVENTS = 500
# A private feed looks this far back; older activities are history, read on the site.
FEED_HISTORY = dt.timedelta(days=365)

# What secrets.token_urlsafe makes; anything else is not a token and costs no query.
_TOKEN = re.compile(r"[A-Za-z0-9_-]{20,64}")

_EVENT_OPTIONS = (
    selectinload(Activity.pairing).selectinload(Pairing.mentor),
    selectinload(Activity.pairing).selectinload(Pairing.mentee),
    selectinload(Activity.host),
)


def feed_of(user) -> CalendarFeed | None:
    """The user's private calendar link, if they made one."""
    if not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(sa.select(CalendarFeed).where(CalendarFeed.user_id == user.id))


def feed_for_update(user: User) -> CalendarFeed | None:
    """The user's link, their row locked until the commit (PostgreSQL), so that two clicks on
    "create" make one link."""
    db.session.execute(sa.select(User.id).where(User.id == user.id).with_for_update(of=User))
    return feed_of(user)


def feed_by_token(token: str | None) -> CalendarFeed | None:
    """The link with this token, with its user and their organisation, or None."""
    if not token or not _TOKEN.fullmatch(token):
        return None
    return db.session.scalar(
        sa.select(CalendarFeed)
        .where(CalendarFeed.token == token)
        .options(selectinload(CalendarFeed.user).selectinload(User.organisation))
    )


def pairing_activities(pairing: Pairing) -> list[Activity]:
    """Every activity of the pairing (cancelled ones too), the latest MAX_EVENTS. Their
    pairing is the one loaded already (the session's identity map), so only hosts are loaded."""
    return _latest(
        sa.select(Activity).where(Activity.pairing_id == pairing.id),
        selectinload(Activity.host),
    )


def feed_activities(user: User, now: dt.datetime) -> list[Activity]:
    """The activities of the pairings whose details `user` sees (their city's, their
    association's; every pairing for an admin) that keep records, from a year ago on."""
    return _latest(
        sa.select(Activity)
        .join(Activity.pairing)
        .where(
            details_visible_to(user),
            Pairing.status.in_(RECORD_KEEPING_STATUSES),
            Activity.ends_at >= now - FEED_HISTORY,
        )
    )


def activity_for_calendar(activity_id: int) -> Activity | None:
    return db.session.scalar(
        sa.select(Activity).where(Activity.id == activity_id).options(*_EVENT_OPTIONS)
    )


def _latest(query, *options) -> list[Activity]:
    rows = db.session.scalars(
        query.options(*(options or _EVENT_OPTIONS))
        .order_by(Activity.starts_at.desc(), Activity.id.desc())
        .limit(MAX_EVENTS)
    ).all()
    return sorted(rows, key=lambda a: (a.starts_at, a.id))
