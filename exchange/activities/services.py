"""Everything that changes activities, their files and their feedback. Services check the
rules, flush, write audit events and queue e-mail; views commit.

An activity is dated in its pairing's time zone; after its dates change, `schedule()` sets
the same moments in UTC. Edits are optimistic (exchange/editing.py): an edit of a version
someone else saved since is refused with what they changed, never written over it.
"""

import datetime as dt

from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from exchange import audit, editing, storage, timezones
from exchange.activities import queries, wording
from exchange.activities.forms import (
    COUNT_NAMES,
    LONG_TEXTS,
    MAX_COMMENT,
    MAX_LONG_TEXT,
    MAX_TITLE,
    MAX_VENUE,
)
from exchange.activities.models import (
    MAX_PARTICIPANTS,
    STUDY_VISIT_ROUNDS,
    Activity,
    ActivityAttachment,
    ActivityFormat,
    ActivityStatus,
    ActivityType,
    Feedback,
)
from exchange.db import db, utcnow
from exchange.domain import DomainError
from exchange.editing import EditConflict
from exchange.mail import external_url, notify
from exchange.pairings import queries as pairing_queries
from exchange.pairings.models import Pairing

# The fields of an activity a form sets (its linked actions are set apart).
FIELDS = (
    "type", "study_visit_round", "title", "start_date", "start_time", "end_date", "end_time",
    "format", "host_id", "venue", "status", *COUNT_NAMES, *LONG_TEXTS,
)  # fmt: skip
# The audit trail stores JSON, which has no time of day: times are written as "14:30".
TIME_FIELDS = ("start_time", "end_time")
MAX_ATTACHMENTS = 20


# Checks


def _ensure_can_edit(user, pairing: Pairing) -> None:
    if not pairing.can_keep_records(user):
        raise DomainError(
            _l(
                "Only the coordinators of %(mentor)s and %(mentee)s log and change the "
                "activities of this pairing.",
                mentor=pairing.mentor.name,
                mentee=pairing.mentee.name,
            )
        )


def _check_dates(values: dict) -> None:
    start, end = values["start_date"], values["end_date"] or values["start_date"]
    if values["end_date"] is not None and values["end_date"] < start:
        raise DomainError(_l("The activity cannot end before it starts."), "end_date")
    if end != start or values["end_time"] is None:
        return
    if values["start_time"] is None:  # "until 16:00" on its first day: from when?
        raise DomainError(
            _l("Give the time it starts too, or leave the end time empty."), "start_time"
        )
    if values["end_time"] < values["start_time"]:
        raise DomainError(
            _l("The activity cannot end before it starts: give a later end time."), "end_time"
        )


def _check_times_exist(values: dict, time_zone: str) -> None:
    """Refuse a local time the clocks skip (02:30 on the day they go forward an hour): it
    names no moment, and would be moved an hour on without a word."""
    end_day = values["end_date"] or values["start_date"]
    for name, day in (("start_time", values["start_date"]), ("end_time", end_day)):
        time = values[name]
        if time is not None and not timezones.exists(day, time, time_zone):
            raise DomainError(
                _l(
                    "This time does not exist on that day in %(zone)s: the clocks go forward "
                    "an hour. Choose another time.",
                    zone=time_zone,
                ),
                name,
            )


def _check_counts(values: dict) -> None:
    for name in COUNT_NAMES:
        count = values[name]
        if not isinstance(count, int) or not 0 <= count <= MAX_PARTICIPANTS:
            raise DomainError(
                _l("Enter a number from 0 to %(max)s.", max=format_decimal(MAX_PARTICIPANTS)),
                name,
            )


def _check_texts(values: dict) -> None:
    limits = {"title": MAX_TITLE, "venue": MAX_VENUE, **dict.fromkeys(LONG_TEXTS, MAX_LONG_TEXT)}
    for name, limit in limits.items():
        if name in values and values[name] is not None and len(values[name]) > limit:
            raise DomainError(
                _l("Use at most %(num)s characters.", num=format_decimal(limit)), name
            )


def _check_held(values: dict, starts_at: dt.datetime, now: dt.datetime) -> None:
    if values["status"] == ActivityStatus.HELD and starts_at > now:
        raise DomainError(_l("An activity that has not started yet cannot be held."), "status")


def _checked(
    pairing: Pairing, values: dict, now: dt.datetime, kept_host_id: int | None = None
) -> dict:
    """Return the values as they are saved, or raise DomainError next to the wrong field.
    The host is one of the pairing's two cities, or `kept_host_id`: the host an edited
    activity has already (a former partner, after an admin replaced it, stays its host)."""
    values = {name: values.get(name) for name in FIELDS}
    if not values["title"]:
        raise DomainError(_l("Give the activity a title."), "title")
    if values["type"] not in set(ActivityType):
        raise DomainError(_l("Choose the type of activity."), "type")
    if values["type"] == ActivityType.STUDY_VISIT:
        if values["study_visit_round"] not in STUDY_VISIT_ROUNDS:
            raise DomainError(_l("Choose the round of the study visit."), "study_visit_round")
    else:
        values["study_visit_round"] = None
    if values["format"] not in set(ActivityFormat):
        raise DomainError(_l("Choose in person, online or hybrid."), "format")
    if values["status"] not in set(ActivityStatus):
        raise DomainError(_l("Choose planned, held or cancelled."), "status")
    if values["host_id"] not in (None, pairing.mentor_id, pairing.mentee_id, kept_host_id):
        raise DomainError(_l("Choose one of the two cities of the pairing."), "host_id")
    if values["start_date"] is None:
        raise DomainError(_l("Enter the day it starts, like 2026-03-31."), "start_date")
    _check_texts(values)
    _check_dates(values)
    _check_times_exist(values, pairing.time_zone)
    _check_counts(values)
    starts_at, ends_at = moments(values, pairing.time_zone)
    if ends_at < starts_at:  # a local end time that the clock change puts before the start
        raise DomainError(_l("The activity cannot end before it starts."), "end_time")
    _check_held(values, starts_at, now)
    return values


DATE_FIELDS = ("start_date", "start_time", "end_date", "end_time")


def moments(values: dict, time_zone: str) -> tuple[dt.datetime, dt.datetime]:
    """The UTC start and end of an activity with these local dates and times."""
    probe = Activity(**{name: values[name] for name in DATE_FIELDS})
    probe.schedule(time_zone)
    return probe.starts_at, probe.ends_at


def _chosen_actions(pairing: Pairing, action_ids) -> list:
    actions = queries.chosen_actions(pairing.id, action_ids)
    if len(actions) != len(set(action_ids)):
        raise DomainError(_l("Choose actions of this pairing's plan."), "linked_actions")
    return actions


# Logging and editing


def create_activity(
    user, pairing: Pairing, values: dict, action_ids=(), now: dt.datetime | None = None
) -> Activity:
    """Log an activity of a pairing (planned, or held already: it may be logged late)."""
    _ensure_can_edit(user, pairing)
    values = _checked(pairing, values, now or utcnow())
    actions = _chosen_actions(pairing, action_ids)
    activity = Activity(pairing=pairing, logged_by_id=user.id, **values)
    activity.schedule(pairing.time_zone)
    activity.actions = actions
    db.session.add(activity)
    db.session.flush()
    created = {
        name: (None, _hh_mm(value) if name in TIME_FIELDS else value)
        for name, value in values.items()
        if value not in (None, 0)
    }
    if actions:
        created["linked_actions"] = (None, [action.title for action in actions])
    audit.record(user, "activity.create", activity, **created, version=(None, activity.version))
    _tell_the_other_city(user, activity)
    return activity


def update_activity(
    user,
    activity: Activity,
    values: dict,
    action_ids=(),
    seen_version: int | None = None,
    now: dt.datetime | None = None,
) -> dict:
    """Save an edited activity (locked by the caller) unless someone saved it since
    `seen_version` (EditConflict). Returns the changes."""
    pairing = activity.pairing
    _ensure_can_edit(user, pairing)
    values = _checked(pairing, values, now or utcnow(), kept_host_id=activity.host_id)
    actions = _chosen_actions(pairing, action_ids)
    links_changed = [a.id for a in activity.actions] != [a.id for a in actions]
    _refuse_a_stale_edit(activity, values, links_changed, seen_version)
    extra = {}
    if links_changed:
        extra["linked_actions"] = ([a.title for a in activity.actions], [a.title for a in actions])
    times = {name: values.pop(name) for name in TIME_FIELDS}
    for name, value in times.items():
        if getattr(activity, name) != value:
            extra[name] = (_hh_mm(getattr(activity, name)), _hh_mm(value))
    activity.starts_at, activity.ends_at = moments({**values, **times}, pairing.time_zone)
    changes = editing.save(user, activity, values, seen_version, "activity.edit", **extra)
    for name, value in times.items():
        setattr(activity, name, value)
    activity.actions = actions
    activity.schedule(pairing.time_zone)
    db.session.flush()
    return {**changes, **extra}


def _hh_mm(value: dt.time | None) -> str | None:
    return value.strftime("%H:%M") if value is not None else None


def _refuse_a_stale_edit(activity, values, links_changed: bool, seen_version) -> None:
    """Raise EditConflict when the activity moved on since the form was opened and the form
    changes it (editing.save checks the fields; its linked actions are checked here too)."""
    if seen_version is None or seen_version == activity.version:
        return
    if links_changed or editing.changes_of(activity, values):
        raise EditConflict(activity, editing.changes_since(activity, seen_version))


def held_refusal(activity: Activity, now: dt.datetime | None = None):
    """Why the activity cannot be marked held now, or None."""
    if not activity.is_planned:
        return _l(
            "Only a planned activity can be marked as held; this one is “%(status)s”.",
            status=activity.status_label,
        )
    if activity.starts_at > (now or utcnow()):
        return _l("An activity that has not started yet cannot be held.")
    return None


HELD_FIELDS = ("outcomes", "follow_up", *COUNT_NAMES)


def held_already_as(activity: Activity, values: dict) -> bool:
    """Is the activity held with exactly these outcomes and participants? Then the form
    that marks it held was sent twice (a double click), and the first one saved it."""
    return activity.is_held and not editing.changes_of(
        activity, {name: values.get(name) for name in HELD_FIELDS}
    )


def mark_held(user, activity: Activity, values: dict, seen_version: int | None, now=None) -> dict:
    """Record that a planned activity took place, with its outcomes and who came. The same
    form sent again changes nothing (returns {})."""
    _ensure_can_edit(user, activity.pairing)
    if held_already_as(activity, values):
        return {}
    refusal = held_refusal(activity, now)
    if refusal is not None:
        raise DomainError(refusal)
    values = {name: values.get(name) for name in HELD_FIELDS}
    if not values["outcomes"]:
        raise DomainError(_l("Write down what came out of the activity."), "outcomes")
    _check_texts(values)
    _check_counts(values)
    values["status"] = ActivityStatus.HELD.value
    return editing.save(user, activity, values, seen_version, "activity.held")


def _tell_the_other_city(user, activity: Activity) -> None:
    """E-mail the coordinators of the city that did not log it (both, when an admin did)."""
    pairing = activity.pairing
    own = getattr(user, "organisation_id", None)
    cities = [city for city in (pairing.mentor, pairing.mentee) if city.id != own]
    link = external_url("activities.show", activity_id=activity.id)
    for coordinator in pairing_queries.coordinators_of(*cities):
        if coordinator.id == user.id:
            continue
        notify(
            coordinator,
            _l(
                "New activity in the pairing %(mentor)s – %(mentee)s: %(title)s",
                mentor=pairing.mentor.name,
                mentee=pairing.mentee.name,
                title=activity.title,
            ),
            "activity_logged",
            user=coordinator,
            actor=user,
            activity=activity,
            pairing=pairing,
            link=link,
            when=wording.when,
            time_zone_note=wording.time_zone_note,
        )


# Files


def add_attachment(user, activity: Activity, upload) -> ActivityAttachment:
    """Keep a file of the activity (agenda, minutes, photos ...), checked by its content."""
    _ensure_can_edit(user, activity.pairing)
    if len(activity.attachments) >= MAX_ATTACHMENTS:
        raise DomainError(
            _l("An activity holds at most %(num)d files. Remove one first.", num=MAX_ATTACHMENTS),
            "file",
        )
    stored = storage.store(upload, user, "file")
    db.session.flush()
    attachment = ActivityAttachment(activity_id=activity.id, stored_file_id=stored.id, file=stored)
    activity.attachments.append(attachment)
    audit.record(user, "activity.attach", activity, file=(None, stored.name))
    db.session.flush()
    return attachment


def remove_attachment(user, activity: Activity, attachment: ActivityAttachment) -> None:
    _ensure_can_edit(user, activity.pairing)
    name = attachment.file.name
    activity.attachments.remove(attachment)
    db.session.delete(attachment.file)
    audit.record(user, "activity.detach", activity, file=(name, None))
    db.session.flush()


# Feedback


def give_feedback(user, activity: Activity, usefulness, comment: str | None) -> Feedback:
    """Save the user's rating of a held activity; a second one changes the first."""
    if not activity.can_give_feedback(user):
        raise DomainError(
            _l("Members of the two cities and their associations' officers rate held activities.")
        )
    if not isinstance(usefulness, int) or not 1 <= usefulness <= 5:
        raise DomainError(_l("Choose how useful it was, from 1 to 5."), "usefulness")
    if comment is not None and len(comment) > MAX_COMMENT:
        raise DomainError(
            _l("Use at most %(num)s characters.", num=format_decimal(MAX_COMMENT)), "comment"
        )
    feedback = queries.feedback_of(activity.id, user.id)
    if feedback is None:
        feedback = _new_feedback(user, activity, usefulness, comment)
        if feedback is not None:
            audit.record(
                user,
                "feedback.give",
                feedback,
                activity_id=(None, activity.id),
                usefulness=(None, usefulness),
                comment=(None, comment),
            )
            return feedback
        feedback = queries.feedback_of(activity.id, user.id)
    changes = editing.changes_of(feedback, {"usefulness": usefulness, "comment": comment})
    if changes:
        for name, (_before, after) in changes.items():
            setattr(feedback, name, after)
        feedback.organisation_id = user.organisation_id
        audit.record(user, "feedback.change", feedback, **changes)
    db.session.flush()
    return feedback


def _new_feedback(user, activity: Activity, usefulness: int, comment) -> Feedback | None:
    """Add the user's first feedback; None if their other request added it a moment ago (the
    unique key refuses a second one)."""
    feedback = Feedback(
        activity_id=activity.id,
        user_id=user.id,
        organisation_id=user.organisation_id,
        usefulness=usefulness,
        comment=comment,
    )
    try:
        with db.session.begin_nested():
            db.session.add(feedback)
    except IntegrityError:
        return None
    return feedback
