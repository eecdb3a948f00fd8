import pytest

from tests.activities.helpers import World
from tests.factories import make_coordinator, make_org, make_pairing, make_user


@pytest.fixture
def world(db, cast) -> World:
    jelgava = make_org(name="Jelgava", country="LV")
    built = World(
        pairing=make_pairing(cast.mechelen, cast.capaci, status="active", time_zone="Europe/Rome"),
        jelgava=jelgava,
        outsider=make_coordinator(jelgava, email="coordinator@jelgava.example"),
        capaci_participant=make_user(organisation=cast.capaci, email="participant@capaci.example"),
        aiccre_officer=make_coordinator(cast.aiccre, email="officer@aiccre.example"),
    )
    db.session.commit()
    return built
