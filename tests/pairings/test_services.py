"""Proposing, phases, terms and partner replacement: the rules and what they record."""

import datetime as dt

import pytest
import sqlalchemy as sa

from exchange.audit import AuditEvent
from exchange.db import db
from exchange.domain import DomainError
from exchange.pairings import services
from exchange.pairings.models import Pairing, PartnerChange, Side
from tests.factories import (
    make_association,
    make_coordinator,
    make_org,
    make_pairing,
    make_programme,
    make_user,
)


@pytest.fixture
def world(db):
    class W:
        vvsg = make_association(acronym="VVSG")
        aiccre = make_association(acronym="AICCRE", country="IT")
        mechelen = make_org(name="Mechelen", parent=vvsg)
        capaci = make_org(name="Capaci", parent=aiccre, country="IT")
        partinico = make_org(name="Partinico", parent=aiccre, country="IT")
        programme = make_programme(name="Demo exchange")
        mentor_coordinator = make_coordinator(mechelen, email="coordinator@mechelen.example")
        mentee_coordinator = make_coordinator(capaci, email="coordinator@capaci.example")
        admin = make_user(is_admin=True)

    db.session.commit()
    return W


def propose(world, user=None, **overrides):
    values = dict(
        programme=world.programme,
        mentor=world.mechelen,
        mentee=world.capaci,
        themes=["participation"],
        objective="Build a vision of a city for all.",
        message="Would you mentor us?",
    )
    values.update(overrides)
    return services.propose(user or world.mentee_coordinator, **values)


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_a_mentee_asks_and_the_mentor_coordinators_are_told(world, outbox):
    pairing = propose(world)
    assert pairing.status == "proposed" and pairing.proposing_side == Side.MENTEE
    assert pairing.mentor_association is world.vvsg  # filled in from the parents
    assert pairing.mentee_association is world.aiccre
    assert pairing.themes == ["participation"]
    assert [s.step for s in pairing.steps] == ["propose"]
    assert pairing.steps[0].message == "Would you mentor us?"
    mails = outbox()
    assert [m.recipient for m in mails] == ["coordinator@mechelen.example"]
    assert "Capaci proposes a pairing with Mechelen" in mails[0].subject
    assert "Would you mentor us?" in mails[0].text
    assert f"/pairings/{pairing.id}" in mails[0].text
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "pairing.propose"))
    assert event.summary["mentee"] == [None, "Capaci"]


def test_a_mentor_offers_and_the_mentee_answers(world, outbox):
    pairing = propose(world, user=world.mentor_coordinator)
    assert pairing.proposing_side == Side.MENTOR
    assert [m.recipient for m in outbox()] == ["coordinator@capaci.example"]
    assert services.refusal(world.mentor_coordinator, pairing, "accept") is not None
    assert services.refusal(world.mentee_coordinator, pairing, "accept") is None


def test_associations_can_be_changed_when_proposing(world):
    other = make_association(acronym="ANCI", country="IT")
    pairing = propose(world, mentee_association=other)
    assert pairing.mentee_association is other and pairing.mentor_association is world.vvsg


def refused(world, field, user=None, **overrides):
    before = (count(Pairing), count(AuditEvent))
    with pytest.raises(DomainError) as error:
        propose(world, user=user, **overrides)
    assert error.value.field == field, error.value.message
    assert (count(Pairing), count(AuditEvent)) == before  # nothing saved
    return str(error.value.message)


def test_a_city_cannot_be_paired_with_itself(world):
    message = refused(world, "mentee_id", mentor=world.capaci, mentee=world.capaci)
    assert message == "A city cannot be paired with itself."


def test_an_association_is_not_a_city(world):
    message = refused(world, "mentor_id", mentor=world.vvsg)
    assert "is not a municipality" in message


def test_an_unverified_city_cannot_be_asked(world):
    unverified = make_org(name="Newtown", is_verified=False, verified_dt=None)
    message = refused(world, "mentor_id", mentor=unverified)
    assert "Newtown is not verified yet" in message


def test_the_same_two_cities_hold_one_open_pairing_per_programme(world):
    propose(world)
    message = refused(world, "mentee_id")
    assert "already have an open pairing in Demo exchange" in message
    # the other way round is the same two cities
    refused(
        world,
        "mentee_id",
        user=world.mentor_coordinator,
        mentor=world.capaci,
        mentee=world.mechelen,
    )


def test_a_closed_pairing_does_not_block_a_new_one(world):
    first = propose(world)
    services.take_step(world.mentor_coordinator, first, "decline", "Not this year", 1)
    second = propose(world)
    assert second.id != first.id and second.status == "proposed"


def test_another_programme_may_pair_the_same_cities(world):
    propose(world)
    assert propose(world, programme=make_programme(name="Second round")).status == "proposed"


def test_a_programme_that_has_ended_takes_no_proposals(world):
    ended = make_programme(
        name="IncluCities", start_date=dt.date(2020, 6, 17), end_date=dt.date(2023, 3, 31)
    )
    assert "has ended" in refused(world, "programme_id", programme=ended)


def test_one_of_the_cities_must_be_the_coordinators_own(world):
    jelgava = make_org(name="Jelgava", country="LV")
    message = refused(world, "mentee_id", mentee=jelgava)
    assert message == "Your city, Capaci, must be the mentor or the mentee."


def test_participants_and_officers_do_not_propose(world):
    participant = make_user(organisation=world.capaci)
    officer = make_coordinator(world.aiccre)
    for user in (participant, officer):
        with pytest.raises(DomainError):
            propose(world, user=user)
    assert count(Pairing) == 0


def test_an_admin_proposes_for_either_side(world, outbox):
    pairing = services.propose(
        world.admin,
        programme=world.programme,
        mentor=world.mechelen,
        mentee=world.capaci,
        themes=["housing"],
        objective="Housing",
        admin_side=Side.MENTOR,
    )
    assert pairing.proposing_side == Side.MENTOR
    proposer_side, answering_side = outbox()
    assert proposer_side.recipient == "coordinator@mechelen.example"
    assert "on behalf of Mechelen" in proposer_side.text
    assert answering_side.recipient == "coordinator@capaci.example"
    assert (
        f"An administrator, {world.admin.name}, proposes on behalf of Mechelen that Mechelen "
        "mentors Capaci" in answering_side.text
    )


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"themes": []}, "themes"),
        ({"objective": "  "}, "objective"),
        ({"proposed_start_date": dt.date(2025, 12, 31)}, "proposed_start_date"),
        ({"mentor_association": "city"}, "mentor_association_id"),
        ({"message": "x" * 5001}, "message"),
    ],
)
def test_bad_terms_are_refused_next_to_their_field(world, overrides, field):
    if overrides.get("mentor_association") == "city":
        overrides["mentor_association"] = world.partinico  # a city is not an association
    refused(world, field, **overrides)


# Phases


@pytest.fixture
def active(world):
    pairing = make_pairing(world.mechelen, world.capaci, status="active", programme=world.programme)
    db.session.commit()
    return pairing


def test_coordinators_move_the_phase_forward_and_back_with_a_reason(world, active):
    services.move_phase(world.mentee_coordinator, active, 3, None, 1)
    assert active.phase == 3 and active.version == 2
    with pytest.raises(DomainError) as error:
        services.move_phase(world.mentor_coordinator, active, 2, "", 2)
    assert error.value.field == "reason"
    services.move_phase(world.mentor_coordinator, active, 2, "We skipped benchmarking.", 2)
    changes = [(c.from_phase, c.phase, c.reason) for c in active.phase_changes]
    assert changes[-2:] == [(1, 3, None), (3, 2, "We skipped benchmarking.")]
    assert all(c.changed_dt is not None for c in active.phase_changes)
    events = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "pairing.phase").order_by(AuditEvent.id)
    ).all()
    assert [e.summary["phase"] for e in events] == [[1, 3], [3, 2]]


@pytest.mark.parametrize("phase", [0, 9, 1])
def test_a_phase_outside_the_method_or_the_current_one_is_refused(world, active, phase):
    with pytest.raises(DomainError) as error:
        services.move_phase(world.mentee_coordinator, active, phase, None, 1)
    assert error.value.field == "phase"
    assert active.phase == 1 and active.version == 1


def test_participants_officers_and_closed_pairings_do_not_move_phases(world, active):
    officer = make_coordinator(world.vvsg)
    participant = make_user(organisation=world.capaci)
    for user in (officer, participant):
        with pytest.raises(DomainError):
            services.move_phase(user, active, 2, None, 1)
    services.take_step(officer, active, "hold", "Elections", 1)
    with pytest.raises(DomainError) as error:
        services.move_phase(world.mentee_coordinator, active, 2, None, 2)
    assert "only change while the pairing is active" in str(error.value.message)
    assert active.phase == 1


# Terms


def test_coordinators_edit_the_terms_and_the_change_is_audited(world, active, outbox):
    services.update_details(
        world.mentor_coordinator,
        active,
        1,
        themes=["participation", "housing"],
        objective="A new objective",
        proposed_start_date=None,
        mentor_association=world.vvsg,
        mentee_association=world.aiccre,
    )
    assert active.objective == "A new objective" and active.version == 2
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "pairing.edit"))
    assert event.summary == {
        "objective": ["Build a buddy scheme for newcomers.", "A new objective"],
        "themes": [["participation"], ["housing", "participation"]],
    }
    (mail,) = outbox()  # the other city is told what changed; the editor is not
    assert mail.recipient == "coordinator@capaci.example"
    assert "Objective: Build a buddy scheme for newcomers. → A new objective" in mail.text


def test_saving_unchanged_terms_changes_nothing(world, active):
    active.themes = ["participation", "housing"]
    db.session.commit()
    services.update_details(
        world.mentor_coordinator,
        active,
        1,
        themes=["housing", "participation"],
        objective=active.objective,
        proposed_start_date=None,
        mentor_association=world.vvsg,
        mentee_association=world.aiccre,
    )
    assert active.version == 1
    assert count(AuditEvent) == 0


def test_only_admins_change_the_associations(world, active):
    other = make_association(acronym="KEDE", country="GR")
    with pytest.raises(DomainError) as error:
        services.update_details(
            world.mentee_coordinator,
            active,
            1,
            themes=["participation"],
            objective=active.objective,
            proposed_start_date=None,
            mentor_association=other,
            mentee_association=world.aiccre,
        )
    assert error.value.field == "mentor_association_id"
    assert active.mentor_association is world.vvsg
    services.update_details(
        world.admin,
        active,
        1,
        themes=["participation"],
        objective=active.objective,
        proposed_start_date=None,
        mentor_association=other,
        mentee_association=world.aiccre,
    )
    assert active.mentor_association is other


def test_participants_cannot_edit_the_terms(world, active):
    with pytest.raises(DomainError):
        services.update_details(
            make_user(organisation=world.capaci),
            active,
            1,
            themes=["housing"],
            objective="Changed",
            proposed_start_date=None,
            mentor_association=world.vvsg,
            mentee_association=world.aiccre,
        )
    assert active.objective == "Build a buddy scheme for newcomers."


# Replacing a partner


def test_an_admin_replaces_the_mentee_and_the_old_one_stays_in_the_history(world, outbox):
    pairing = make_pairing(
        world.mechelen, world.partinico, status="active", programme=world.programme
    )
    db.session.commit()
    services.replace_partner(
        world.admin, pairing, Side.MENTEE, world.capaci, "Partinico left the programme.", 1
    )
    assert pairing.mentee is world.capaci and pairing.version == 2
    change = db.session.scalar(sa.select(PartnerChange))
    assert (change.old_organisation, change.new_organisation, change.side) == (
        world.partinico,
        world.capaci,
        "mentee",
    )
    event = db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.action == "pairing.replace_partner")
    )
    assert event.summary["mentee"] == ["Partinico", "Capaci"]
    assert event.summary["reason"] == "Partinico left the programme."
    assert {m.recipient for m in outbox()} == {
        "coordinator@capaci.example",
        "coordinator@mechelen.example",
    }


def test_a_partner_replacement_is_checked(world, active):
    jelgava = make_org(name="Jelgava", country="LV")
    cases = [
        (world.mentor_coordinator, Side.MENTEE, jelgava, "Reason"),  # not an admin
        (world.admin, Side.MENTEE, world.capaci, "Reason"),  # already in it
        (world.admin, Side.MENTEE, world.mechelen, "Reason"),  # the other side
        (world.admin, Side.MENTEE, world.vvsg, "Reason"),  # not a city
        (world.admin, Side.MENTEE, jelgava, ""),  # no reason
    ]
    for user, side, city, reason in cases:
        with pytest.raises(DomainError):
            services.replace_partner(user, active, side, city, reason, 1)
    assert active.mentee is world.capaci and active.version == 1
    assert count(PartnerChange) == 0
