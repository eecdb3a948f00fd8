"""A small world of pairings around Mechelen (VVSG) and Capaci (AICCRE) for the dashboard."""

import datetime as dt
import re
from dataclasses import dataclass

import pytest

from exchange.db import utcnow
from exchange.pairings.models import Pairing
from tests.factories import (
    make_action,
    make_activity,
    make_indicator,
    make_org,
    make_pairing,
    make_programme,
)


def ago(days: int) -> dt.datetime:
    return utcnow() - dt.timedelta(days=days)


@dataclass
class World:
    inclucities: object
    welcoming: object
    mechelen_capaci: Pairing  # green, 1 activity this year, indicators at 37.5 %
    brugge_lyon: Pairing  # red: nothing held for 120 days; a VVSG city mentors
    gent_bari: Pairing  # amber: 50 days; VVSG is the mentor's association
    roma_bari: Pairing  # red: 3 overdue actions (an activity today); AICCRE only
    proposed: Pairing  # Mechelen asks Brugge: not running
    completed: Pairing  # Gent and Lyon, finished; VVSG the mentor's association

    @property
    def running(self) -> list[Pairing]:
        return [self.mechelen_capaci, self.brugge_lyon, self.gent_bari, self.roma_bari]


@pytest.fixture
def world(cast, db) -> World:
    today = utcnow().date()
    inclucities = make_programme(name="IncluCities")
    welcoming = make_programme(name="Welcoming Cities")
    brugge = make_org(name="Brugge", parent=cast.vvsg)
    lyon = make_org(name="Lyon", country="FR", languages=["fr"])
    gent = make_org(name="Gent")
    bari = make_org(name="Bari", country="IT", parent=cast.aiccre, languages=["it"])
    roma = make_org(name="Roma", country="IT", parent=cast.aiccre, languages=["it"])

    mechelen_capaci = make_pairing(
        cast.mechelen, cast.capaci, status="active", programme=inclucities, confirmed_dt=ago(300)
    )
    make_activity(mechelen_capaci, start_date=today)
    make_activity(mechelen_capaci, start_date=today - dt.timedelta(days=400))
    make_activity(mechelen_capaci, status="planned", start_date=today + dt.timedelta(days=5))
    make_indicator(mechelen_capaci, measurements=[(today, 10)])  # 0 -> 40: 25 %
    make_indicator(
        mechelen_capaci,
        baseline=100,
        target=50,
        measurements=[(today - dt.timedelta(days=30), 90), (today, 75)],  # 50 %
    )
    make_indicator(mechelen_capaci, name="Not measured yet")

    brugge_lyon = make_pairing(
        brugge, lyon, status="active", programme=welcoming, confirmed_dt=ago(120), phase=3
    )
    make_indicator(brugge_lyon, measurements=[(today, 80)])  # beyond the target: 100 %

    gent_bari = make_pairing(
        gent,
        bari,
        status="active",
        programme=inclucities,
        confirmed_dt=ago(50),
        mentor_association=cast.vvsg,
    )

    roma_bari = make_pairing(
        roma, bari, status="active", programme=welcoming, confirmed_dt=ago(20), phase=3
    )
    # held this morning: earlier than Mechelen-Capaci's all-day activity of today
    make_activity(roma_bari, start_date=today, start_time=dt.time(9), end_time=dt.time(10))
    for days in (5, 10, 15):
        make_action(roma_bari, due_date=today - dt.timedelta(days=days))
    make_action(roma_bari, status="done", due_date=today - dt.timedelta(days=20))

    proposed = make_pairing(cast.mechelen, brugge, status="proposed", programme=inclucities)
    completed = make_pairing(
        gent,
        lyon,
        status="completed",
        programme=welcoming,
        mentor_association=cast.vvsg,
        phase=8,
    )
    db.session.commit()
    return World(
        inclucities,
        welcoming,
        mechelen_capaci,
        brugge_lyon,
        gent_bari,
        roma_bari,
        proposed,
        completed,
    )


_ROW_LINK = re.compile(r'<th scope="row">\s*<a href="/pairings/(\d+)">')


def listed(response) -> list[int]:
    """The ids of the pairings in the dashboard's table, in order."""
    assert response.status_code == 200, response.status_code
    return [int(found) for found in _ROW_LINK.findall(response.get_data(as_text=True))]


def ids(*pairings) -> list[int]:
    return [p.id for p in pairings]
