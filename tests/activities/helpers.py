"""Helpers shared by the activity tests: a pairing with people on every side, the form as a
browser sends it, and reading the database back."""

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa

from exchange.accounts.models import User
from exchange.activities.models import Activity, Feedback
from exchange.audit import AuditEvent
from exchange.db import db, utcnow
from exchange.organisations.models import Organisation
from exchange.pairings.models import Pairing
from exchange.storage import StoredFile
from exchange.submissions import new_token

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@dataclass
class World:
    """Mechelen (VVSG) mentors Capaci (AICCRE); Jelgava is an outsider."""

    pairing: Pairing
    jelgava: Organisation
    outsider: User  # Jelgava's coordinator
    capaci_participant: User
    aiccre_officer: User


def today() -> dt.date:
    return utcnow().date()


def in_days(days: int) -> str:
    return (today() + dt.timedelta(days=days)).isoformat()


def activity_form(world: World, **overrides) -> dict:
    """A planned study visit in a month, as the new-activity form sends it."""
    data = dict(
        type="study_visit",
        study_visit_round="1",
        title="Study visit to the buddy scheme",
        start_date=in_days(30),
        start_time="09:30",
        end_date=in_days(31),
        end_time="13:00",
        format="in_person",
        host_id=str(world.pairing.mentor_id),
        venue="Mechelen city hall",
        status="planned",
        participants_mentor="4",
        participants_mentee="6",
        participants_associations="2",
        participants_others="0",
        objectives="See the **buddy scheme** at work.",
        agenda="- Welcome\n- Visit",
        outcomes="",
        follow_up="",
        submission=new_token(),
    )
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def edit_form(activity: Activity, **overrides) -> dict:
    """The edit form as a browser sends it for `activity`, unchanged unless overridden."""
    data = dict(
        type=activity.type,
        study_visit_round=str(activity.study_visit_round or ""),
        title=activity.title,
        start_date=activity.start_date.isoformat(),
        start_time=activity.start_time.strftime("%H:%M") if activity.start_time else "",
        end_date=activity.end_date.isoformat() if activity.end_date else "",
        end_time=activity.end_time.strftime("%H:%M") if activity.end_time else "",
        format=activity.format,
        host_id=str(activity.host_id or ""),
        venue=activity.venue or "",
        status=activity.status,
        participants_mentor=str(activity.participants_mentor),
        participants_mentee=str(activity.participants_mentee),
        participants_associations=str(activity.participants_associations),
        participants_others=str(activity.participants_others),
        objectives=activity.objectives or "",
        agenda=activity.agenda or "",
        outcomes=activity.outcomes or "",
        follow_up=activity.follow_up or "",
        linked_actions=[str(action.id) for action in activity.actions],
        version=str(activity.version),
    )
    data.update(overrides)
    return data


def activities() -> list[Activity]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Activity).order_by(Activity.id)))


def reload(activity: Activity) -> Activity:
    db.session.expire_all()
    return db.session.get(Activity, activity.id)


def feedback_rows() -> list[Feedback]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Feedback).order_by(Feedback.id)))


def stored_files() -> list[StoredFile]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(StoredFile).order_by(StoredFile.id)))


def audit_actions(object_type: str = "activity") -> list[str]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            sa.select(AuditEvent.action)
            .where(AuditEvent.object_type == object_type)
            .order_by(AuditEvent.id)
        )
    )
