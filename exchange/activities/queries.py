"""Read-only queries of activities: a pairing's list, one activity's page, feedback figures,
and what the pairing's overview shows (next and last activities, counts by status)."""

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from flask import abort
from sqlalchemy.orm import joinedload, selectinload

from exchange.activities.models import (
    Activity,
    ActivityAttachment,
    ActivityStatus,
    Feedback,
)
from exchange.db import db
from exchange.organisations.queries import check_id, is_possible_id
from exchange.pairings.models import Pairing
from exchange.plans.models import Action

_PAIRING_PARTIES = (
    selectinload(Activity.pairing).selectinload(Pairing.mentor),
    selectinload(Activity.pairing).selectinload(Pairing.mentee),
)
# The same in one query, joined (not for a locking query: PostgreSQL locks no outer join).
_JOINED_PAIRING_PARTIES = (
    joinedload(Activity.pairing, innerjoin=True).joinedload(Pairing.mentor, innerjoin=True),
    joinedload(Activity.pairing, innerjoin=True).joinedload(Pairing.mentee, innerjoin=True),
)


@dataclass(frozen=True)
class FeedbackSummary:
    """The average usefulness (1-5) of an activity and how many people rated it."""

    average: float | None
    count: int


NO_FEEDBACK = FeedbackSummary(None, 0)


def get_for_update(activity_id: int) -> Activity:
    """Load an activity to change it, locking its row until the commit (PostgreSQL; SQLite's
    write lock does the same), so two saves at once are checked one after the other."""
    check_id(activity_id)
    activity = db.session.scalar(
        sa.select(Activity)
        .where(Activity.id == activity_id)
        .options(*_PAIRING_PARTIES)
        .with_for_update(of=Activity)
        .execution_options(populate_existing=True)
    )
    if activity is None:
        abort(404)
    return activity


def get_activity(activity_id: int) -> Activity:
    """Load an activity with its pairing's two cities (what every permission check reads)."""
    check_id(activity_id)
    activity = db.session.scalar(
        sa.select(Activity).where(Activity.id == activity_id).options(*_JOINED_PAIRING_PARTIES)
    )
    if activity is None:
        abort(404)
    return activity


def ordered(query):
    """Planned activities first, the soonest on top (one past its date waits to be marked
    held); then held and cancelled ones, newest first."""
    is_planned = Activity.status == ActivityStatus.PLANNED
    return query.order_by(
        sa.case((is_planned, 0), else_=1),
        sa.case((is_planned, Activity.starts_at)),
        Activity.starts_at.desc(),
        Activity.id.desc(),
    )


def list_page(pairing_id: int, filters: dict, page: int, per_page: int):
    """One page of a pairing's activities, with their host cities."""
    query = sa.select(Activity).where(Activity.pairing_id == pairing_id)
    if filters.get("status"):
        query = query.where(Activity.status == filters["status"])
    if filters.get("type"):
        query = query.where(Activity.type == filters["type"])
    query = ordered(query).options(selectinload(Activity.host))
    return db.paginate(query, page=page, per_page=per_page, error_out=True, count=True)


def feedback_summaries(activity_ids) -> dict[int, FeedbackSummary]:
    """The feedback average and count of each activity, counted in SQL."""
    ids = list(activity_ids)
    found = dict.fromkeys(ids, NO_FEEDBACK)
    if not ids:
        return found
    rows = db.session.execute(
        sa.select(
            Feedback.activity_id,
            sa.func.avg(Feedback.usefulness),
            sa.func.count(Feedback.id),
        )
        .where(Feedback.activity_id.in_(ids))
        .group_by(Feedback.activity_id)
    )
    for activity_id, average, count in rows:
        found[activity_id] = FeedbackSummary(float(average), count)
    return found


def activity_details(activity_id: int) -> Activity:
    """One activity with everything its page shows, in a fixed number of queries."""
    check_id(activity_id)
    activity = db.session.scalar(
        sa.select(Activity)
        .where(Activity.id == activity_id)
        .options(
            *_JOINED_PAIRING_PARTIES,
            joinedload(Activity.host),
            joinedload(Activity.logged_by),
            selectinload(Activity.attachments).selectinload(ActivityAttachment.file),
            selectinload(Activity.actions),
            selectinload(Activity.feedback).selectinload(Feedback.user),
            selectinload(Activity.feedback).selectinload(Feedback.organisation),
        )
    )
    if activity is None:
        abort(404)
    return activity


def actions_of(pairing_id: int) -> list[Action]:
    """The actions of a pairing's plan, which an activity may serve."""
    return list(
        db.session.scalars(
            sa.select(Action).where(Action.pairing_id == pairing_id).order_by(Action.id)
        )
    )


def chosen_actions(pairing_id: int, action_ids) -> list[Action]:
    """The pairing's actions among `action_ids` (an id of another pairing's is left out)."""
    ids = sorted({i for i in action_ids if is_possible_id(i)})
    if not ids:
        return []
    return list(
        db.session.scalars(
            sa.select(Action)
            .where(Action.pairing_id == pairing_id, Action.id.in_(ids))
            .order_by(Action.id)
        )
    )


def feedback_of(activity_id: int, user_id: int) -> Feedback | None:
    return db.session.scalar(
        sa.select(Feedback).where(Feedback.activity_id == activity_id, Feedback.user_id == user_id)
    )


def attachment_of(activity_id: int, file_id: int) -> ActivityAttachment | None:
    if not is_possible_id(file_id):
        return None
    return db.session.scalar(
        sa.select(ActivityAttachment)
        .where(
            ActivityAttachment.activity_id == activity_id,
            ActivityAttachment.stored_file_id == file_id,
        )
        .options(selectinload(ActivityAttachment.file))
    )


# For the pairing's overview


def upcoming(pairing_id: int, now: dt.datetime, limit: int = 3) -> list[Activity]:
    """The next planned activities (not ended yet), soonest first."""
    return list(
        db.session.scalars(
            sa.select(Activity)
            .where(
                Activity.pairing_id == pairing_id,
                Activity.status == ActivityStatus.PLANNED,
                Activity.ends_at >= now,
            )
            .options(joinedload(Activity.host))
            .order_by(Activity.starts_at, Activity.id)
            .limit(limit)
        )
    )


def recent_held(pairing_id: int, limit: int = 3) -> list[Activity]:
    """The last held activities, newest first."""
    return list(
        db.session.scalars(
            sa.select(Activity)
            .where(Activity.pairing_id == pairing_id, Activity.status == ActivityStatus.HELD)
            .options(joinedload(Activity.host))
            .order_by(Activity.starts_at.desc(), Activity.id.desc())
            .limit(limit)
        )
    )


def counts(pairing_id: int) -> dict[str, int]:
    """How many activities the pairing has in each status (every status named, 0 or more)."""
    found = dict.fromkeys((status.value for status in ActivityStatus), 0)
    rows = db.session.execute(
        sa.select(Activity.status, sa.func.count(Activity.id))
        .where(Activity.pairing_id == pairing_id)
        .group_by(Activity.status)
    )
    for status, count in rows:
        found[status] = count
    return found
