"""The pairing state machine, as a table: every (status, step, role) is allowed or refused,
and a refused step changes nothing at all.

The expectations below are written out independently of exchange.pairings.services.STEPS,
from DESIGN.md ("Pairing lifecycle", "Who may do what"): the other side's coordinator
accepts or declines; an officer of either side's association confirms, holds, resumes and
completes; a coordinator of either city withdraws; admins may take every step.
"""

import itertools
from dataclasses import dataclass

import pytest
import sqlalchemy as sa

from exchange.audit import AuditEvent
from exchange.db import db
from exchange.domain import DomainError
from exchange.mail import OutboxMessage
from exchange.pairings import services
from exchange.pairings.models import PairingStep, PhaseChange, Status
from tests.factories import make_association, make_coordinator, make_org, make_pairing, make_user

STATUSES = [s.value for s in Status]
ROLES = (
    "mentee_coordinator",  # the side that proposed (the mentee asked)
    "mentor_coordinator",  # the side that answers
    "mentee_participant",
    "mentor_participant",
    "mentor_officer",  # officer of the mentor side's association
    "mentee_officer",
    "parent_only_officer",  # officer of the mentee city's parent, not a side of the pairing
    "outsider_coordinator",  # coordinator of an unrelated city
    "admin",
)
COORDINATORS = {"mentee_coordinator", "mentor_coordinator"}
CONFIRMING_OFFICERS = {"mentor_officer", "mentee_officer"}

# step: (statuses it starts from, status it leads to, roles that may take it, admin aside)
EXPECTED = {
    "accept": ({"proposed"}, "accepted", {"mentor_coordinator"}),
    "decline": ({"proposed"}, "declined", {"mentor_coordinator"}),
    "confirm": ({"accepted"}, "active", CONFIRMING_OFFICERS),
    "hold": ({"active"}, "on_hold", CONFIRMING_OFFICERS),
    "resume": ({"on_hold"}, "active", CONFIRMING_OFFICERS),
    "complete": ({"active"}, "completed", CONFIRMING_OFFICERS),
    "withdraw": ({"proposed", "accepted", "active", "on_hold"}, "withdrawn", COORDINATORS),
}

CASES = list(itertools.product(STATUSES, EXPECTED, ROLES))


def allowed(status: str, step: str, role: str) -> bool:
    from_statuses, _to, roles = EXPECTED[step]
    return status in from_statuses and (role == "admin" or role in roles)


def test_the_table_covers_every_step_of_the_services():
    assert set(EXPECTED) == set(services.STEPS)


@dataclass
class World:
    pairing: object
    users: dict


def build_world(status: str) -> World:
    mentor_assoc = make_association(acronym="VVSG")
    mentee_assoc = make_association(acronym="AICCRE")
    parent = make_association(acronym="ANCI")
    mentor = make_org(name="Mechelen", parent=mentor_assoc)
    mentee = make_org(name="Capaci", parent=parent, country="IT")
    other = make_org(name="Jelgava", country="LV")
    pairing = make_pairing(mentor, mentee, status=status, mentee_association=mentee_assoc)
    users = {
        "mentee_coordinator": make_coordinator(mentee),
        "mentor_coordinator": make_coordinator(mentor),
        "mentee_participant": make_user(organisation=mentee),
        "mentor_participant": make_user(organisation=mentor),
        "mentor_officer": make_coordinator(mentor_assoc),
        "mentee_officer": make_user(organisation=mentee_assoc),  # officers need not coordinate
        "parent_only_officer": make_coordinator(parent),
        "outsider_coordinator": make_coordinator(other),
        "admin": make_user(is_admin=True),
    }
    db.session.commit()
    return World(pairing, users)


def snapshot(pairing) -> tuple:
    count = lambda model: db.session.scalar(sa.select(sa.func.count()).select_from(model))  # noqa: E731
    return (
        pairing.status,
        pairing.version,
        pairing.phase,
        pairing.confirmed_dt,
        pairing.end_date,
        count(PairingStep),
        count(PhaseChange),
        count(AuditEvent),
        count(OutboxMessage),
    )


@pytest.mark.parametrize(
    ("status", "step", "role"), CASES, ids=[f"{s}-{st}-{r}" for s, st, r in CASES]
)
def test_step(db, status, step, role):
    world = build_world(status)
    pairing, user = world.pairing, world.users[role]
    before = snapshot(pairing)
    offered = [s.name for s in services.available_steps(user, pairing)]
    assert (step in offered) == allowed(status, step, role)  # the overview offers exactly these

    if allowed(status, step, role):
        services.take_step(user, pairing, step, "Because we agreed.", pairing.version)
        assert pairing.status == EXPECTED[step][1]
        assert pairing.version == before[1] + 1
        recorded = pairing.steps[-1]
        assert (recorded.step, recorded.from_status, recorded.to_status) == (
            step,
            status,
            pairing.status,
        )
        assert recorded.actor_id == user.id and recorded.message == "Because we agreed."
        (event,) = db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == f"pairing.{step}")
        ).all()
        assert event.actor_id == user.id and event.object_id == pairing.id
        assert event.summary["status"] == [status, pairing.status]
    else:
        assert services.refusal(user, pairing, step) is not None
        with pytest.raises(DomainError) as refused:
            services.take_step(user, pairing, step, "Because we agreed.", pairing.version)
        assert str(refused.value.message)  # the user is told why
        assert snapshot(pairing) == before


def test_confirming_starts_the_first_phase_and_dates_it(db):
    world = build_world("accepted")
    services.take_step(world.users["mentee_officer"], world.pairing, "confirm", None, 1)
    pairing = world.pairing
    assert pairing.status == "active" and pairing.phase == 1
    assert pairing.confirmed_dt is not None and pairing.start_date is not None
    assert [(c.from_phase, c.phase) for c in pairing.phase_changes] == [(None, 1)]


@pytest.mark.parametrize("step", ["decline", "hold", "withdraw"])
def test_steps_that_need_a_reason_refuse_an_empty_message(db, step):
    status = {"decline": "proposed", "hold": "active", "withdraw": "active"}[step]
    world = build_world(status)
    before = snapshot(world.pairing)
    with pytest.raises(DomainError) as refused:
        services.take_step(world.users["admin"], world.pairing, step, "   ", 1)
    assert refused.value.field == "message"
    assert snapshot(world.pairing) == before


def test_a_step_on_a_pairing_changed_since_the_page_was_opened_is_refused(db):
    world = build_world("proposed")
    mentor_coordinator = world.users["mentor_coordinator"]
    seen = world.pairing.version
    services.take_step(world.users["mentee_coordinator"], world.pairing, "withdraw", "Sorry", seen)
    before = snapshot(world.pairing)
    with pytest.raises(DomainError) as refused:
        services.take_step(mentor_coordinator, world.pairing, "accept", None, seen)
    assert "changed this pairing" in str(refused.value.message)
    assert snapshot(world.pairing) == before


def test_closing_steps_date_the_end(db):
    world = build_world("active")
    services.take_step(world.users["mentor_officer"], world.pairing, "complete", None, 1)
    assert world.pairing.end_date is not None
