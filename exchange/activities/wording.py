"""An activity's dates, times and ratings in words, in the reader's language: for its pages,
its e-mails and calendars."""

from babel.dates import format_interval, get_timezone_location
from babel.dates import format_time as babel_format_time
from flask_babel import format_date, format_decimal, get_locale, ngettext
from flask_babel import gettext as _

from exchange.activities.models import Activity
from exchange.pairings.models import Pairing


def _locale() -> str:
    return str(get_locale() or "en")


def clock(time) -> str:
    return babel_format_time(time, "short", locale=_locale())


def when(activity: Activity) -> str:
    """The activity's dates and times in words, as they are where it happens:
    "14–16 March 2026", "14 March 2026, 10:00 – 16:00"."""
    start, end = activity.start_date, activity.end_date or activity.start_date
    if activity.start_time is None and activity.end_time is None:
        if start == end:
            return format_date(start, "long")
        return format_interval(start, end, "yMMMMd", locale=_locale())
    if start == end:
        day = format_date(start, "long")
        if activity.end_time is None:
            return _("%(day)s, %(time)s", day=day, time=clock(activity.start_time))
        return _(
            "%(day)s, %(start)s – %(end)s",
            day=day,
            start=clock(activity.start_time),
            end=clock(activity.end_time),
        )
    return _(
        "%(start)s – %(end)s",
        start=_moment(start, activity.start_time),
        end=_moment(end, activity.end_time),
    )


def _moment(day, time) -> str:
    if time is None:
        return format_date(day, "long")
    return _("%(day)s, %(time)s", day=format_date(day, "long"), time=clock(time))


def time_zone_note(pairing: Pairing) -> str:
    """Which clock the activity's times are on: "Italy Time (Europe/Rome)"."""
    try:
        place = get_timezone_location(pairing.time_zone, locale=_locale())
    except LookupError:
        place = pairing.time_zone
    return _(
        "Dates and times are local to the pairing's time zone: %(zone)s (%(name)s).",
        zone=place,
        name=pairing.time_zone,
    )


def average_text(summary) -> str:
    """ "4.5 out of 5 (2 ratings)", in the reader's locale."""
    if not summary.count:
        return _("No feedback yet")
    return ngettext(
        "%(average)s out of 5 (%(num)d rating)",
        "%(average)s out of 5 (%(num)d ratings)",
        summary.count,
        average=format_decimal(summary.average, "#,##0.0"),
    )
