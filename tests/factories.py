"""Builders of valid objects; override any field by keyword."""

import datetime as dt
import itertools
from dataclasses import dataclass
from functools import cache

from exchange.accounts.models import MemberRole, Membership, User
from exchange.db import db, utcnow
from exchange.organisations.models import Organisation, OrgKind
from exchange.security import hash_password

PASSWORD = "correct horse battery staple 42"
_numbers = itertools.count(1)


@cache
def password_hash() -> str:
    """Hash the test password once: Argon2 is slow on purpose."""
    return hash_password(PASSWORD)


def make_org(**overrides) -> Organisation:
    n = next(_numbers)
    values = dict(
        kind=OrgKind.MUNICIPALITY,
        name=f"Town {n}",
        country="BE",
        languages=["nl"],
        population=50000,
        is_verified=True,
        verified_dt=utcnow(),
    )
    values.update(overrides)
    org = Organisation(**values)
    db.session.add(org)
    db.session.flush()
    return org


def make_association(**overrides) -> Organisation:
    n = next(_numbers)
    values = dict(
        kind=OrgKind.ASSOCIATION,
        name=f"Association {n}",
        acronym=f"AS{n}",
        languages=[],
        population=None,
    )
    values.update(overrides)
    return make_org(**values)


def make_user(**overrides) -> User:
    n = next(_numbers)
    values = dict(
        email=f"person{n}@example.org",
        name=f"Person {n}",
        password_hash=password_hash(),
        email_confirmed_dt=utcnow(),
        role=MemberRole.PARTICIPANT,
        membership=Membership.APPROVED if overrides.get("organisation") else Membership.NONE,
    )
    values.update(overrides)
    user = User(**values)
    db.session.add(user)
    db.session.flush()
    return user


def make_coordinator(organisation: Organisation, **overrides) -> User:
    return make_user(organisation=organisation, role=MemberRole.COORDINATOR, **overrides)


@dataclass
class Cast:
    mechelen: Organisation
    vvsg: Organisation
    capaci: Organisation
    aiccre: Organisation
    participant: User
    coordinator: User
    other_coordinator: User
    officer: User
    admin: User

    def by_role(self, role: str) -> User | None:
        return None if role == "anonymous" else getattr(self, role)


def make_cast() -> Cast:
    """Mechelen (VVSG) and Capaci (AICCRE) with one user for each role of the access matrix."""
    vvsg = make_association(name="Association of Flemish Cities and Municipalities", acronym="VVSG")
    aiccre = make_association(name="AICCRE", acronym="AICCRE", country="IT")
    mechelen = make_org(name="Mechelen", parent=vvsg, population=87000)
    capaci = make_org(name="Capaci", parent=aiccre, country="IT", languages=["it"])
    cast = Cast(
        mechelen=mechelen,
        vvsg=vvsg,
        capaci=capaci,
        aiccre=aiccre,
        participant=make_user(organisation=mechelen, email="participant@mechelen.example"),
        coordinator=make_coordinator(mechelen, email="coordinator@mechelen.example"),
        other_coordinator=make_coordinator(capaci, email="coordinator@capaci.example"),
        officer=make_coordinator(vvsg, email="officer@vvsg.example"),
        admin=make_user(is_admin=True, email="admin@platform.example"),
    )
    db.session.commit()
    return cast


def make_programme(**overrides):
    from exchange.programmes.models import Programme

    n = next(_numbers)
    values = dict(
        name=f"Programme {n}",
        start_date=dt.date(2026, 1, 1),
        end_date=dt.date(2030, 12, 31),
        themes=["participation"],
    )
    values.update(overrides)
    programme = Programme(**values)
    db.session.add(programme)
    db.session.flush()
    return programme


def make_pairing(mentor: Organisation, mentee: Organisation, status="proposed", **overrides):
    """A pairing in any status, built directly (no steps recorded): for pages and access
    tests. Tests of the lifecycle go through exchange.pairings.services."""
    from exchange.pairings.models import Pairing, PhaseChange, Status

    values = dict(
        programme=overrides.pop("programme", None) or make_programme(),
        mentor=mentor,
        mentee=mentee,
        mentor_association=mentor.parent,
        mentee_association=mentee.parent,
        objective="Build a buddy scheme for newcomers.",
        proposed_by_side="mentee",
        status=status,
        version=1,
    )
    if status in (Status.ACTIVE, Status.ON_HOLD, Status.COMPLETED):
        values.update(confirmed_dt=utcnow(), start_date=utcnow().date(), phase=1)
    values.update(overrides)
    themes = values.pop("themes", ["participation"])
    pairing = Pairing(**values)
    pairing.themes = themes
    if pairing.phase:
        pairing.phase_changes.append(PhaseChange(from_phase=None, phase=pairing.phase))
    db.session.add(pairing)
    db.session.flush()
    return pairing


def make_practice(origin: Organisation, status="published", with_file=False, **overrides):
    """A practice written directly (its search entry too); services are tested on their own."""
    from exchange.practices import search
    from exchange.practices.models import Practice, PracticeAttachment
    from exchange.storage import StoredFile

    values = dict(
        title="Samen Inburgeren: buddies with refugees",
        origin=origin,
        kind="buddy",
        language="en",
        summary="Volunteers and newcomers meet regularly for six months.",
        status=status,
        published_dt=utcnow() if status == "published" else None,
    )
    values.update(overrides)
    practice = Practice(**values)
    db.session.add(practice)
    db.session.flush()
    if with_file:
        data = b"%PDF-1.4\n% a practice\n"
        stored = StoredFile(
            name="leaflet.pdf",
            media_type="application/pdf",
            size=len(data),
            sha256="0" * 64,
            data=data,
        )
        db.session.add(stored)
        db.session.flush()
        practice.attachments.append(PracticeAttachment(stored_file_id=stored.id, file=stored))
        db.session.flush()
    search.index(practice)
    return practice


def make_transfer(practice, pairing, stage="adapt", **overrides):
    from exchange.practices.models import Transfer

    transfer = Transfer(practice=practice, pairing=pairing, stage=stage, **overrides)
    db.session.add(transfer)
    db.session.flush()
    return transfer


def make_activity(pairing, status="held", **overrides):
    """An activity written directly (dated in the pairing's time zone); default: a study
    visit held ten days ago."""
    from exchange.activities.models import Activity

    start = overrides.pop("start_date", None) or (utcnow().date() - dt.timedelta(days=10))
    values = dict(
        pairing=pairing,
        type="study_visit",
        study_visit_round=1,
        title="Study visit in Mechelen",
        start_date=start,
        format="in_person",
        host=pairing.mentor,
        venue="City hall",
        status=status,
        participants_mentor=4,
        participants_mentee=3,
        objectives="See the buddy scheme at work.",
    )
    values.update(overrides)
    activity = Activity(**values)
    activity.schedule(pairing.time_zone or "Europe/Brussels")
    db.session.add(activity)
    db.session.flush()
    return activity


def make_action(pairing, status="planned", **overrides):
    from exchange.plans.models import Action

    values = dict(
        pairing=pairing,
        title="Recruit the first ten buddies",
        responsible="Social services",
        start_date=utcnow().date() - dt.timedelta(days=30),
        due_date=utcnow().date() + dt.timedelta(days=30),
        status=status,
    )
    values.update(overrides)
    action = Action(**values)
    db.session.add(action)
    db.session.flush()
    return action


def make_indicator(pairing, measurements=(), **overrides):
    """An indicator with `measurements` as (date, value) pairs."""
    from decimal import Decimal

    from exchange.plans.models import Indicator, Measurement

    values = dict(
        pairing=pairing,
        name="Newcomers with a buddy",
        type="output",
        unit="people",
        baseline=Decimal(0),
        target=Decimal(40),
    )
    values.update(overrides)
    indicator = Indicator(**values)
    db.session.add(indicator)
    db.session.flush()
    for day, value in measurements:
        indicator.measurements.append(
            Measurement(pairing_id=pairing.id, measured_on=day, value=Decimal(value))
        )
    db.session.flush()
    return indicator


def make_risk(pairing, **overrides):
    from exchange.plans.models import Risk

    values = dict(
        pairing=pairing,
        description="Too few volunteers sign up.",
        likelihood="medium",
        impact="high",
        mitigation="Ask the local sports clubs.",
        owner="Volunteer centre",
        status="open",
    )
    values.update(overrides)
    risk = Risk(**values)
    db.session.add(risk)
    db.session.flush()
    return risk
