"""What the calendars hold, read back with the icalendar library."""

import datetime as dt
from zoneinfo import ZoneInfo

from exchange import editing
from exchange.activities.models import Activity
from exchange.db import db as _db
from exchange.db import utcnow
from tests.calendars.conftest import events, link_of, parse, text_of
from tests.factories import make_activity, make_org, make_pairing

ROME = ZoneInfo("Europe/Rome")


def study_visit(world, cast, **overrides):
    values = dict(
        status="planned",
        start_date=dt.date(2026, 5, 12),
        start_time=dt.time(9, 30),
        end_time=dt.time(17, 0),
        host=cast.capaci,
        venue="Municipio",
        title="Welcoming newcomers in Capaci",
        objectives="See the **one-stop shop** at work.\n\n- meet the buddies\n- visit the school",
        agenda="09:30 welcome\n11:00 visit",
    )
    values.update(overrides)
    activity = make_activity(world.pairing, **values)
    _db.session.commit()
    return activity


def pairing_calendar(client, world, **query):
    return parse(client.get(f"/pairings/{world.pairing.id}/calendar.ics", query_string=query))


def test_a_timed_activity_is_local_time_in_the_pairings_zone_with_its_vtimezone(
    client, cast, world, login_as
):
    activity = study_visit(world, cast)
    login_as(cast.coordinator)

    calendar = pairing_calendar(client, world)

    assert str(calendar["VERSION"]) == "2.0"
    assert "City Exchange" in str(calendar["PRODID"])
    assert text_of(calendar["X-WR-CALNAME"]) == "Mechelen mentors Capaci"
    assert str(calendar["X-WR-TIMEZONE"]) == "Europe/Rome"
    assert [tz.tz_name for tz in calendar.timezones] == ["Europe/Rome"]
    assert calendar.get_missing_tzids() == set()
    event = events(calendar)[activity.uid]
    assert event["DTSTART"].params["TZID"] == "Europe/Rome"
    assert event.start == dt.datetime(2026, 5, 12, 9, 30, tzinfo=ROME)
    assert event.end == dt.datetime(2026, 5, 12, 17, 0, tzinfo=ROME)
    assert event.start.astimezone(dt.UTC) == activity.starts_at
    assert event["SEQUENCE"] == activity.version
    assert str(event["SUMMARY"]) == "Study visit 1: Welcoming newcomers in Capaci"
    assert str(event["LOCATION"]) == "Municipio, Capaci"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["URL"]) == f"http://localhost/activities/{activity.id}"
    description = str(event["DESCRIPTION"])
    assert description.startswith("Mechelen mentors Capaci\nStudy visit 1 · In person · Planned")
    assert "Objectives:\nSee the **one-stop shop** at work.\n\n- meet the buddies" in description
    assert "Agenda:\n09:30 welcome\n11:00 visit" in description
    assert description.endswith(f"More on City Exchange: {event['URL']}")
    assert event["DTSTAMP"].dt == activity.updated_dt.replace(microsecond=0)
    assert event["LAST-MODIFIED"].dt == activity.updated_dt.replace(microsecond=0)


def test_a_date_only_activity_is_all_day_and_ends_the_day_after_its_last_day(
    client, cast, world, login_as
):
    activity = study_visit(
        world,
        cast,
        start_time=None,
        end_time=None,
        start_date=dt.date(2026, 3, 29),  # summer time begins: no hour is lost in a date
        end_date=dt.date(2026, 3, 31),
    )
    login_as(cast.participant)

    calendar = pairing_calendar(client, world)

    event = events(calendar)[activity.uid]
    assert event["DTSTART"].params["VALUE"] == "DATE"
    assert event.start == dt.date(2026, 3, 29)
    assert event["DTEND"].params["VALUE"] == "DATE"
    assert event.end == dt.date(2026, 4, 1)
    assert calendar.timezones == []  # nothing is timed: no VTIMEZONE needed


def test_a_start_time_without_an_end_time_runs_to_the_end_of_the_last_day(
    client, cast, world, login_as
):
    activity = study_visit(world, cast, end_time=None, end_date=dt.date(2026, 5, 14))
    login_as(cast.coordinator)

    event = events(pairing_calendar(client, world))[activity.uid]

    assert event.start == dt.datetime(2026, 5, 12, 9, 30, tzinfo=ROME)
    assert event.end == dt.datetime(2026, 5, 15, 0, 0, tzinfo=ROME)
    assert event.end.astimezone(dt.UTC) - activity.ends_at == dt.timedelta(seconds=1)


def test_an_edit_changes_the_event_and_raises_its_sequence(client, cast, world, login_as):
    activity = study_visit(world, cast)
    login_as(cast.coordinator)
    before = events(pairing_calendar(client, world))[activity.uid]

    editing.save(
        cast.coordinator,
        activity,
        {"title": "Study visit moved", "start_date": dt.date(2026, 5, 13)},
        activity.version,
        "activity_edited",
    )
    activity.schedule(world.pairing.time_zone)
    _db.session.commit()
    after_all = events(pairing_calendar(client, world))

    assert list(after_all) == [activity.uid]  # the same event, never a second one
    after = after_all[activity.uid]
    assert after["SEQUENCE"] > before["SEQUENCE"]
    assert str(after["SUMMARY"]) == "Study visit 1: Study visit moved"
    assert after.start == dt.datetime(2026, 5, 13, 9, 30, tzinfo=ROME)
    assert after["DTSTAMP"].dt >= before["DTSTAMP"].dt


def test_cancelled_activities_stay_as_cancelled_events(client, cast, world, login_as):
    cancelled = study_visit(world, cast, status="cancelled", title="Peer review")
    held = study_visit(world, cast, status="held", outcomes="Ten buddies signed up.")
    login_as(cast.coordinator)

    found = events(pairing_calendar(client, world))

    assert str(found[cancelled.uid]["STATUS"]) == "CANCELLED"
    assert str(found[cancelled.uid]["TRANSP"]) == "TRANSPARENT"
    assert str(found[cancelled.uid]["SUMMARY"]) == "Cancelled: Study visit 1: Peer review"
    assert "This activity is cancelled." in str(found[cancelled.uid]["DESCRIPTION"])
    assert str(found[held.uid]["STATUS"]) == "CONFIRMED"
    assert "Outcomes:\nTen buddies signed up." in str(found[held.uid]["DESCRIPTION"])


def test_a_title_that_repeats_the_type_is_not_repeated(client, cast, world, login_as):
    activity = study_visit(world, cast, type="kick_off", study_visit_round=None, title="Kick-off")
    login_as(cast.coordinator)

    assert str(events(pairing_calendar(client, world))[activity.uid]["SUMMARY"]) == "Kick-off"


def test_online_and_hybrid_activities_say_so_where_a_place_is_expected(
    client, cast, world, login_as
):
    online = study_visit(world, cast, format="online", venue=None, type="online_meeting")
    hybrid = study_visit(world, cast, format="hybrid", venue="Sala consiliare")
    login_as(cast.coordinator)

    found = events(pairing_calendar(client, world))

    assert str(found[online.uid]["LOCATION"]) == "Online"
    assert str(found[hybrid.uid]["LOCATION"]) == "Sala consiliare, Capaci and online"


def test_special_characters_survive_the_round_trip(client, cast, db, login_as):
    athens = make_org(name="Δήμος Αθηναίων, Greece; «test»", country="GR")
    pairing = make_pairing(cast.mechelen, athens, status="active", time_zone="Europe/Athens")
    title = 'Café, "ça va"; Ελληνικά\\ tab\there'
    venue = "Rue de l'Étuve 1; 2nd floor, room «A»"
    agenda = "Line one, with a comma;\nline two: ώρα 10:00\r\nline three \\n not a newline"
    activity = make_activity(
        pairing,
        title=title,
        venue=venue,
        agenda=agenda,
        host=athens,
        start_time=dt.time(10, 0),
    )
    db.session.commit()
    login_as(cast.coordinator)

    response = client.get(f"/pairings/{pairing.id}/calendar.ics")
    calendar = parse(response)

    assert text_of(calendar["X-WR-CALNAME"]) == ("Mechelen mentors Δήμος Αθηναίων, Greece; «test»")
    event = events(calendar)[activity.uid]
    assert str(event["SUMMARY"]) == "Study visit 1: " + title.replace("\t", " ")  # one line
    assert str(event["LOCATION"]) == f"{venue}, Δήμος Αθηναίων, Greece; «test»"
    assert f"Agenda:\n{agenda.replace(chr(13), '')}" in str(event["DESCRIPTION"])
    assert event["DTSTART"].params["TZID"] == "Europe/Athens"
    # the file itself is UTF-8 and its lines are folded at 75 octets
    raw = response.get_data()
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    assert "Ελληνικά".encode() in raw.replace(b"\r\n ", b"")
    assert "attachment" in response.headers["Content-Disposition"]
    assert "filename*=UTF-8''Mechelen_mentors_" in response.headers["Content-Disposition"]


def test_add_to_calendar_gives_the_same_event_as_the_pairings_calendar(
    client, cast, world, login_as
):
    activity = study_visit(world, cast)
    other = study_visit(world, cast, title="Another day")
    login_as(cast.participant)

    single = parse(client.get(f"/activities/{activity.id}/calendar.ics"))
    in_feed = events(pairing_calendar(client, world))[activity.uid]

    assert list(events(single)) == [activity.uid]
    assert other.uid not in events(single)
    event = events(single)[activity.uid]
    for name in ("UID", "SEQUENCE", "SUMMARY", "LOCATION", "DESCRIPTION", "URL", "STATUS"):
        assert str(event[name]) == str(in_feed[name]), name
    assert event.start == in_feed.start and event.end == in_feed.end
    assert "X-WR-CALNAME" not in single  # one event to add, not a calendar to subscribe to
    assert [tz.tz_name for tz in single.timezones] == ["Europe/Rome"]


def test_the_private_feed_holds_the_pairings_the_user_follows_and_nothing_else(
    client, cast, world, db
):
    today = utcnow().date()
    ours = make_activity(world.pairing, status="planned", start_date=today + dt.timedelta(days=7))
    recent = make_activity(world.pairing, start_date=today - dt.timedelta(days=200))
    too_old = make_activity(world.pairing, start_date=today - dt.timedelta(days=400))
    theirs = make_activity(world.other_pairing, start_date=today)
    declined = make_pairing(cast.mechelen, world.tartu, status="declined")
    never = make_activity(declined, start_date=today)
    db.session.commit()

    def feed(user) -> set[str]:
        return set(events(parse(client.get(f"/calendar/{link_of(user)}.ics"))))

    assert feed(cast.participant) == {ours.uid, recent.uid}
    assert feed(cast.officer) == {ours.uid, recent.uid}  # VVSG follows Mechelen's pairings
    assert feed(world.outsider) == {theirs.uid}
    assert feed(cast.admin) == {ours.uid, recent.uid, theirs.uid}
    assert too_old.uid not in feed(cast.admin) and never.uid not in feed(cast.admin)


def test_the_feed_is_in_its_owners_language_and_zone(client, cast, world, db, monkeypatch):
    from flask_babel import get_locale

    from exchange.calendars import ics

    # Until the translations come, the language is seen through the summary it is written in.
    monkeypatch.setattr(ics, "summary", lambda activity: str(get_locale()))
    cast.other_coordinator.locale = "fr"  # a Capaci coordinator reading in French
    make_activity(world.pairing, start_date=utcnow().date())
    db.session.commit()
    token = link_of(cast.other_coordinator)

    calendar = parse(client.get(f"/calendar/{token}.ics", headers={"Accept-Language": "nl"}))

    assert str(calendar["X-WR-TIMEZONE"]) == "Europe/Rome"
    assert text_of(calendar["X-WR-CALNAME"]).startswith("City Exchange")
    assert [str(event["SUMMARY"]) for event in calendar.events] == ["fr"]
    calendar = parse(client.get(f"/pairings/{world.pairing.id}/calendar.ics?token={token}"))
    assert [str(event["SUMMARY"]) for event in calendar.events] == ["fr"]


def test_a_calendar_is_bounded(client, cast, world, db, login_as, monkeypatch):
    from exchange.calendars import queries

    monkeypatch.setattr(queries, "MAX_EVENTS", 3)
    start = dt.date(2026, 1, 1)
    made = [make_activity(world.pairing, start_date=start + dt.timedelta(days=i)) for i in range(5)]
    db.session.commit()
    login_as(cast.coordinator)

    found = events(pairing_calendar(client, world))

    assert set(found) == {a.uid for a in made[-3:]}  # the latest ones


def test_every_activity_uid_is_unique_and_stable(db, world, cast):
    first = make_activity(world.pairing)
    second = make_activity(world.pairing)
    db.session.commit()
    uid = first.uid
    first.title = "Renamed"
    db.session.commit()
    assert db.session.get(Activity, first.id).uid == uid != second.uid


def test_a_feed_across_time_zones_carries_each_zone(client, cast, world, db):
    today = utcnow().date()
    rome = make_activity(world.pairing, start_date=today, start_time=dt.time(9, 0))
    riga = make_activity(world.other_pairing, start_date=today, start_time=dt.time(9, 0))
    db.session.commit()

    calendar = parse(client.get(f"/calendar/{link_of(cast.admin)}.ics"))

    assert sorted(tz.tz_name for tz in calendar.timezones) == ["Europe/Riga", "Europe/Rome"]
    found = events(calendar)
    assert found[rome.uid]["DTSTART"].params["TZID"] == "Europe/Rome"
    assert found[riga.uid]["DTSTART"].params["TZID"] == "Europe/Riga"
    assert found[riga.uid].start - found[rome.uid].start == dt.timedelta(hours=-1)
