"""Private calendar links: make one, replace it, turn it off. The token itself is never
written to the audit trail."""

import secrets

from flask_babel import lazy_gettext as _l

from exchange import audit
from exchange.accounts.models import User
from exchange.calendars import queries
from exchange.calendars.models import CalendarFeed
from exchange.db import db, utcnow
from exchange.domain import DomainError


def may_have_a_link(user: User) -> bool:
    """Admins and approved members of an organisation: the people who follow pairings."""
    return user.is_active and (user.is_admin or user.is_approved_member)


def create_link(user: User) -> tuple[CalendarFeed, bool]:
    """Give `user` a new private link; an existing one is replaced and stops working.
    Return the link and whether it replaced one."""
    if not may_have_a_link(user):
        raise DomainError(
            _l("Your calendar link becomes available once your organisation approves you.")
        )
    feed = queries.feed_for_update(user)
    renewed = feed is not None
    if feed is None:
        feed = CalendarFeed(user_id=user.id)
        db.session.add(feed)
    feed.token = secrets.token_urlsafe(32)
    feed.created_dt = utcnow()
    db.session.flush()
    audit.record(user, "calendar_link_renewed" if renewed else "calendar_link_created", feed)
    return feed, renewed


def revoke_link(user: User) -> bool:
    """Delete the user's link, so that it answers 404; False when there was none."""
    feed = queries.feed_for_update(user)
    if feed is None:
        return False
    audit.record(user, "calendar_link_revoked", feed)
    db.session.delete(feed)
    db.session.flush()
    return True
