"""Around the cast: Mechelen mentors Capaci (dated in Capaci's time zone, Europe/Rome), and an
unrelated pairing of two cities nobody in the cast belongs to."""

import pytest
from icalendar import Calendar

from exchange.calendars import services
from exchange.db import db as _db
from tests.factories import make_coordinator, make_org, make_pairing


@pytest.fixture
def world(db, cast):
    class W:
        pairing = make_pairing(cast.mechelen, cast.capaci, status="active", time_zone="Europe/Rome")
        jelgava = make_org(name="Jelgava", country="LV")
        tartu = make_org(name="Tartu", country="EE")
        outsider = make_coordinator(jelgava, email="coordinator@jelgava.example")
        other_pairing = make_pairing(jelgava, tartu, status="active", time_zone="Europe/Riga")

    _db.session.commit()
    return W


def link_of(user) -> str:
    """Give `user` a calendar link; return its token."""
    feed, _renewed = services.create_link(user)
    _db.session.commit()
    return feed.token


def parse(response) -> Calendar:
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "text/calendar"
    return Calendar.from_ical(response.get_data())


def text_of(value) -> str:
    """Unescape a TEXT value the library leaves escaped (an X- property such as X-WR-CALNAME)."""
    out, chars = [], iter(str(value))
    for char in chars:
        if char == "\\":
            char = next(chars, "")
            char = "\n" if char in "nN" else char
        out.append(char)
    return "".join(out)


def events(calendar: Calendar) -> dict[str, object]:
    """The calendar's events by UID; a UID found twice fails."""
    found = {}
    for event in calendar.events:
        uid = str(event["UID"])
        assert uid not in found, f"{uid} twice"
        found[uid] = event
    return found
