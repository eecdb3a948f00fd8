"""The world of the action plan tests: Mechelen mentors Capaci (active)."""

import pytest

from tests.factories import (
    make_coordinator,
    make_org,
    make_pairing,
    make_practice,
    make_transfer,
    make_user,
)


class World:
    pass


@pytest.fixture
def world(db, cast):
    """Mechelen (VVSG) mentors Capaci (AICCRE), active; Capaci has a coordinator and a
    participant; Mechelen has a published practice the pairing transfers, another published
    one and a draft; Jelgava's coordinator is an outsider."""
    w = World()
    w.pairing = make_pairing(cast.mechelen, cast.capaci, status="active")
    w.capaci_coordinator = make_coordinator(cast.capaci, email="second@capaci.example")
    w.capaci_participant = make_user(organisation=cast.capaci, email="p@capaci.example")
    w.samen = make_practice(cast.mechelen, title="Samen Inburgeren")
    w.desk = make_practice(cast.mechelen, title="A one-stop shop", kind="one_stop_shop")
    w.draft = make_practice(cast.mechelen, status="draft", title="Unfinished draft")
    make_transfer(w.samen, w.pairing)
    w.jelgava = make_org(name="Jelgava", country="LV")
    w.outsider = make_coordinator(w.jelgava, email="coordinator@jelgava.example")
    db.session.commit()
    return w
