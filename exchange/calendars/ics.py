"""Activities as iCalendar (RFC 5545), written with the `icalendar` library.

One activity is always the same VEVENT, in a pairing's calendar, in a user's private feed
and in an "add to calendar" download:
- UID is `Activity.uid` and SEQUENCE its version: an edit updates the event in the
  subscriber's calendar instead of adding a second one.
- DTSTAMP and LAST-MODIFIED are the activity's last change (there is no METHOD, so DTSTAMP
  is "when the information was last revised", RFC 5545 3.8.7.2): the same data gives the
  same file, whenever it is fetched.
- An activity with a start time is timed in the pairing's time zone (TZID, with its
  VTIMEZONE); without an end time it runs to the end of its last day, as the activity
  pages say. An activity without a time is an all-day event (VALUE=DATE) whose DTEND is the
  day after its last day (DTEND is exclusive).
- STATUS is CONFIRMED for planned and held activities (an activity in the log has been
  agreed by the cities; TENTATIVE would make Outlook show it as provisional) and CANCELLED
  for cancelled ones, which stay in the calendar so subscribers see the cancellation (their
  summary says so too, and they no longer block time).
"""

import datetime as dt
import re
from collections.abc import Callable, Iterable

from flask_babel import gettext as _
from icalendar import Calendar, Event, vText

from exchange import timezones
from exchange.activities.models import Activity, ActivityFormat, ActivityStatus

PRODID = "-//City Exchange//Exchange calendar//EN"
# How often a subscribed calendar app should fetch the feed again (RFC 7986, and Outlook's
# X-PUBLISHED-TTL).
REFRESH_INTERVAL = dt.timedelta(hours=1)
MEDIA_TYPE = "text/calendar"  # served as UTF-8 (the response adds the charset)

ONE_DAY = dt.timedelta(days=1)
# VTIMEZONE transitions are written for the years the events need, within these bounds.
FIRST_ZONE_DATE = dt.date(1970, 1, 1)
LAST_ZONE_DATE = dt.date(2100, 12, 31)

# Control characters other than tab and newline have no place in an iCalendar text.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_SPACES = re.compile(r"\s+")

LinkOf = Callable[[Activity], str]


def calendar(
    name: str | None, uid: str, time_zone: str, activities: Iterable[Activity], link_of: LinkOf
) -> bytes:
    """Return a VCALENDAR holding one VEVENT per activity; a calendar to subscribe to has a
    `name`, a single event to add to one has none."""
    cal = Calendar.new(prodid=PRODID, uid=uid)
    cal.calscale = "GREGORIAN"
    if name:
        # NAME and X-WR-CALNAME are text, escaped here (the library's setter leaves them raw).
        cal.add("NAME", vText(_one_line(name)))
        cal.add("X-WR-CALNAME", vText(_one_line(name)))
        cal.refresh_interval = REFRESH_INTERVAL
        cal.add("X-PUBLISHED-TTL", REFRESH_INTERVAL)
    cal.add("X-WR-TIMEZONE", timezones.zone(time_zone).key)
    days = []
    for activity in activities:
        cal.add_component(event(activity, link_of(activity)))
        days += [activity.start_date, activity.end_date or activity.start_date]
    if days:
        cal.add_missing_timezones(
            first_date=max(dt.date(min(days).year, 1, 1), FIRST_ZONE_DATE),
            last_date=min(dt.date(max(days).year + 1, 12, 31), LAST_ZONE_DATE),
        )
    return cal.to_ical()


def event(activity: Activity, link: str) -> Event:
    """Return the VEVENT of one activity; `link` is the absolute URL of its page."""
    start, end = event_times(activity)
    is_cancelled = activity.status == ActivityStatus.CANCELLED
    return Event.new(
        uid=activity.uid,
        sequence=activity.version,
        stamp=activity.updated_dt,
        created=activity.created_dt,
        last_modified=activity.updated_dt,
        start=start,
        end=end,
        summary=summary(activity),
        location=location(activity) or None,
        description=description(activity, link),
        url=link,
        categories=[activity.type_label],
        status="CANCELLED" if is_cancelled else "CONFIRMED",
        transparency="TRANSPARENT" if is_cancelled else "OPAQUE",
    )


def event_times(activity: Activity) -> tuple[dt.date | dt.datetime, dt.date | dt.datetime]:
    """DTSTART and DTEND: local times in the pairing's zone, or whole days."""
    last_day = activity.end_date or activity.start_date
    if activity.start_time is None:
        return activity.start_date, last_day + ONE_DAY
    zone = timezones.zone(activity.pairing.time_zone)
    start = dt.datetime.combine(activity.start_date, activity.start_time, tzinfo=zone)
    if activity.end_time is None:
        end = dt.datetime.combine(last_day + ONE_DAY, dt.time(0), tzinfo=zone)
    else:
        end = dt.datetime.combine(last_day, activity.end_time, tzinfo=zone)
    return start, max(start, end)


def summary(activity: Activity) -> str:
    """Return the type and the title ("Study visit 1: Welcoming newcomers in Capaci"), the
    title alone when it starts with the type, and "Cancelled: ..." when it is cancelled."""
    label, title = activity.type_label, _one_line(activity.title)
    text = title if title.casefold().startswith(label.casefold()) else f"{label}: {title}"
    if activity.status == ActivityStatus.CANCELLED:
        return _("Cancelled: %(activity)s", activity=text)
    return text


def location(activity: Activity) -> str:
    """Where it happens: the venue and the host city; "Online" for an online meeting
    without a venue."""
    venue = _one_line(activity.venue or "")
    host = activity.host.name if activity.host is not None else ""
    if activity.format == ActivityFormat.ONLINE:
        return venue or _("Online")
    parts = [venue] if venue else []
    if host and host.casefold() not in venue.casefold():
        parts.append(host)
    place = ", ".join(parts)
    if activity.format == ActivityFormat.HYBRID:
        return (
            _("%(place)s and online", place=place) if place else _("Hybrid: in person and online")
        )
    return place


def description(activity: Activity, link: str) -> str:
    """The activity in plain text (its Markdown is readable as it is) and a link to its page."""
    facts = " · ".join([activity.type_label, activity.format_label, activity.status_label])
    blocks = [f"{activity.pairing.title}\n{facts}"]
    if activity.status == ActivityStatus.CANCELLED:
        blocks.append(_("This activity is cancelled."))
    sections = [(_("Objectives"), activity.objectives), (_("Agenda"), activity.agenda)]
    if activity.status == ActivityStatus.HELD:
        sections += [(_("Outcomes"), activity.outcomes), (_("Follow-up"), activity.follow_up)]
    for heading, text in sections:
        if text and text.strip():
            blocks.append(f"{heading}:\n{_plain(text)}")
    blocks.append(_("More on City Exchange: %(url)s", url=link))
    return "\n\n".join(blocks)


def _plain(text: str) -> str:
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).strip()


def _one_line(text: str) -> str:
    return _SPACES.sub(" ", _CONTROL.sub(" ", text)).strip()
