"""Time zones of pairings: activities are dated and timed where they happen."""

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from babel.core import get_global

DEFAULT_TIME_ZONE = "Europe/Brussels"


def for_country(country: str | None) -> str:
    """The time zone of a country (ISO 3166 code); for a country with several, the European
    one (Spain: Europe/Madrid, not the Canaries)."""
    zones = get_global("territory_zones").get((country or "").upper(), [])
    european = [zone for zone in zones if zone.startswith("Europe/")]
    return (european or zones or [DEFAULT_TIME_ZONE])[0]


def choices() -> list[tuple[str, str]]:
    """The time zones a pairing can choose: Europe's, and the Atlantic islands of Spain and
    Portugal (a select of every zone on Earth would be 600 options long)."""
    names = sorted(
        zone
        for zone in available_timezones()
        if zone.startswith("Europe/")
        or zone in ("Atlantic/Canary", "Atlantic/Madeira", "Atlantic/Azores")
    )
    return [(name, name.replace("_", " ")) for name in names]


def zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or DEFAULT_TIME_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_TIME_ZONE)


def to_utc(day: dt.date, time: dt.time | None, zone_name: str, end: bool = False) -> dt.datetime:
    """The UTC moment of a local date and optional time; a date alone is the start of that
    day, or its end (23:59:59) when `end`."""
    if time is None:
        time = dt.time(23, 59, 59) if end else dt.time(0, 0)
    local = dt.datetime.combine(day, time, tzinfo=zone(zone_name))
    return local.astimezone(dt.UTC)


def exists(day: dt.date, time: dt.time, zone_name: str) -> bool:
    """Does this local time happen on that day? When the clocks go forward (in Europe, the
    last Sunday of March) the hour from 02:00 to 03:00 is skipped."""
    local = dt.datetime.combine(day, time, tzinfo=zone(zone_name))
    back = local.astimezone(dt.UTC).astimezone(zone(zone_name))
    return back.replace(tzinfo=None) == local.replace(tzinfo=None)
