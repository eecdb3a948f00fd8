"""The demo programmes and pairings: IncluCities' real pairs, and a fictional programme that
shows every state."""

import datetime as dt

import pytest
import sqlalchemy as sa

from exchange import demo
from exchange.audit import AuditEvent
from exchange.db import utcnow
from exchange.demo_pairings import FICTIONAL_NAME, phase_dates
from exchange.pairings import history, queries
from exchange.pairings.health import Health
from exchange.pairings.models import Pairing, Side, Status
from exchange.programmes.models import Programme

REAL_PAIRS = {
    ("City of Brussels", "Saint-Jean-de-la-Ruelle"),
    ("Mechelen", "Capaci"),
    ("Fuenlabrada", "Livadia"),
    ("Schaerbeek", "Jelgava"),
}


@pytest.fixture
def loaded(db):
    demo.load()
    db.session.commit()
    return db


def programme_named(db, name) -> Programme:
    return db.session.scalar(sa.select(Programme).where(Programme.name == name))


def pairings_of(db, programme) -> list[Pairing]:
    return list(
        db.session.scalars(
            sa.select(Pairing).where(Pairing.programme_id == programme.id).order_by(Pairing.id)
        )
    )


def pair(pairing) -> tuple[str, str]:
    return pairing.mentor.name, pairing.mentee.name


# IncluCities


def test_inclucities_has_its_four_real_pairs_all_completed(loaded):
    programme = programme_named(loaded, "IncluCities")
    assert programme.start_date == dt.date(2020, 6, 17)
    assert programme.end_date == dt.date(2023, 3, 31)
    pairings = pairings_of(loaded, programme)
    assert len(pairings) == 4
    assert {pair(p) for p in pairings} == REAL_PAIRS
    assert {p.status for p in pairings} == {Status.COMPLETED}
    assert {p.end_date for p in pairings} == {programme.end_date}
    assert [p.steps[-1].step for p in pairings] == ["complete"] * 4


def test_capaci_replaced_partinico_as_mechelens_mentee(app, loaded):
    programme = programme_named(loaded, "IncluCities")
    (pairing,) = [p for p in pairings_of(loaded, programme) if pair(p) == ("Mechelen", "Capaci")]

    (change,) = pairing.partner_changes
    assert change.side == Side.MENTEE
    assert change.old_organisation.name == "Partinico"
    assert change.new_organisation.name == "Capaci"
    # recorded at the first study visit, in Capaci
    assert change.changed_dt.date() == dt.date(2021, 10, 4)
    assert "Partinico" in change.reason

    # Partinico proposed the pairing, and stays in its history
    assert pairing.steps[0].step == "propose"
    assert pairing.steps[0].actor_organisation.name == "Partinico"
    (event,) = loaded.session.scalars(
        sa.select(AuditEvent).where(
            AuditEvent.object_type == "pairing",
            AuditEvent.object_id == pairing.id,
            AuditEvent.action == "pairing.replace_partner",
        )
    )
    assert event.summary == {"mentee": ["Partinico", "Capaci"]}
    assert event.created_dt == change.changed_dt
    with app.test_request_context():
        assert history.describe(event) == [("Mentee city", "Partinico", "Capaci")]
    assert event in queries.history_page(pairing, 1, 100).items

    # the other pairs kept their partners
    others = [p for p in pairings_of(loaded, programme) if p is not pairing]
    assert [p.partner_changes for p in others] == [[], [], []]


def test_inclucities_steps_and_phases_are_dated_in_order_within_the_programme(loaded):
    programme = programme_named(loaded, "IncluCities")
    start = dt.datetime.combine(programme.start_date, dt.time(0), tzinfo=dt.UTC)
    end = dt.datetime.combine(programme.end_date, dt.time(23, 59, 59), tzinfo=dt.UTC)
    phases = {}
    for pairing in pairings_of(loaded, programme):
        changes = pairing.phase_changes
        dates = [change.changed_dt for change in changes]
        assert dates == sorted(dates), pair(pairing)
        assert all(start <= when <= end for when in dates), pair(pairing)
        steps = [step.created_dt for step in pairing.steps]
        assert steps == sorted(steps), pair(pairing)
        assert all(start <= when <= end for when in steps), pair(pairing)
        assert [c.from_phase for c in changes] == [None] + [c.phase for c in changes[:-1]]
        assert pairing.phase == changes[-1].phase
        phases[pair(pairing)] = [(c.phase, c.changed_dt.date().isoformat()) for c in changes]
    # from the public record of activities
    assert phases[("Mechelen", "Capaci")] == [
        (1, "2020-06-17"),
        (3, "2020-12-01"),
        (4, "2021-10-04"),
        (6, "2022-02-20"),
        (8, "2022-12-15"),
    ]
    assert phases[("City of Brussels", "Saint-Jean-de-la-Ruelle")] == [
        (1, "2020-06-17"),
        (3, "2020-12-01"),
        (4, "2021-05-03"),
        (5, "2021-11-25"),
        (6, "2022-12-07"),
        (8, "2023-03-28"),
    ]


# The fictional programme


def test_the_fictional_programme_says_so_and_shows_every_state(loaded):
    programme = programme_named(loaded, FICTIONAL_NAME)
    assert "fictional" in programme.name.lower()
    assert "fictional" in programme.description.lower()
    pairings = pairings_of(loaded, programme)
    statuses = [p.status for p in pairings]
    for status in (
        Status.PROPOSED,
        Status.ACCEPTED,
        Status.ACTIVE,
        Status.ON_HOLD,
        Status.DECLINED,
    ):
        assert status in statuses, status

    verdicts = queries.health_of(pairings, utcnow())
    active = [p for p in pairings if p.status == Status.ACTIVE]
    assert set(verdicts) == {p.id for p in active}
    assert {v.health for v in verdicts.values()} >= {Health.GREEN, Health.AMBER, Health.RED}


def test_the_demo_has_only_the_two_programmes(loaded):
    names = set(loaded.session.scalars(sa.select(Programme.name)))
    assert names == {"IncluCities", FICTIONAL_NAME}


def test_every_demo_pairing_has_an_objective_and_was_proposed(loaded):
    pairings = list(loaded.session.scalars(sa.select(Pairing)))
    assert len(pairings) >= 4 + 5
    for pairing in pairings:
        assert pairing.objective.strip(), pair(pairing)
        assert pairing.steps[0].step == "propose", pair(pairing)
        assert pairing.steps[0].from_status is None
        assert [s.step for s in pairing.steps].count("propose") == 1, pair(pairing)
        assert pairing.themes, pair(pairing)


def status_at(pairing, when: dt.datetime) -> str | None:
    """The status the pairing had at `when`, from its dated lifecycle steps."""
    status = None
    for step in sorted(pairing.steps, key=lambda s: (s.created_dt, s.id)):
        if step.created_dt <= when:
            status = step.to_status
    return status


def test_demo_phases_change_only_while_the_pairing_is_active(loaded):
    moved_while_not_active = [
        (pair(pairing), change.phase, status_at(pairing, change.changed_dt))
        for pairing in loaded.session.scalars(sa.select(Pairing))
        for change in pairing.phase_changes
        if status_at(pairing, change.changed_dt) != Status.ACTIVE
    ]
    assert moved_while_not_active == []


# phase_dates


ACTIVITIES = [
    {"date": "2021-01-10", "scope": "all", "type": "kick-off"},
    {"date": "2021-03-01", "pairing": ["A", "B"], "type": "study visit", "round": 1},
    {"date": "2021-02-01", "pairing": ["A", "B"], "type": "study visit", "round": 1},
    {"date": "2021-04-01", "pairing": ["C", "D"], "type": "study visit", "round": 2},
    {"date": "2021-04-15", "type": "transfer workshop"},  # concerns no one
    {"date": "2021-05-01", "scope": ["B", "X"], "type": "training academy"},
    {"date": "2021-06-01", "scope": "all", "type": "steering committee"},  # no phase
    {"date": "2021-07-01", "pairing": ["A", "B"], "type": "study visit", "round": 9},
    {"date": "2021-09-01", "scope": "all", "type": "inspiration day"},
    {"date": "2021-08-01", "scope": "all", "type": "final conference"},
]


def test_phase_dates_keeps_the_first_date_of_each_phase_for_the_pair():
    assert phase_dates(ACTIVITIES, "A", "B") == {
        1: dt.date(2021, 1, 10),
        4: dt.date(2021, 2, 1),  # the earlier of two first study visits
        6: dt.date(2021, 5, 1),  # B is in the scope of the academy
        8: dt.date(2021, 8, 1),  # the final conference came before the later inspiration day
    }


def test_phase_dates_ignores_other_pairs_activities():
    assert phase_dates(ACTIVITIES, "C", "D") == {
        1: dt.date(2021, 1, 10),
        5: dt.date(2021, 4, 1),
        8: dt.date(2021, 8, 1),
    }
    assert phase_dates(ACTIVITIES[3:4], "A", "B") == {}
    assert phase_dates([], "A", "B") == {}
