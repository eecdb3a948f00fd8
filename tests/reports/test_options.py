"""The options of a report: its period (from, to) and the language of a download."""

import datetime as dt

import pytest
from werkzeug.datastructures import MultiDict

from exchange.pairings.history import describe_changes
from exchange.reports.forms import ReportForm, latest_day
from exchange.reports.period import Period

TODAY = dt.date(2026, 11, 29)


def form_of(app, **args):
    with app.test_request_context():
        form = ReportForm(formdata=MultiDict(args), today=TODAY)
        valid = form.validate()
        return form, valid, [str(m) for m in form.messages()]


def test_no_options_is_the_whole_pairing_in_the_readers_language(app):
    form, valid, _messages = form_of(app)
    assert valid
    assert form.period == Period() and form.period.is_whole
    assert form.language is None


def test_a_period_and_a_language(app):
    form, valid, _messages = form_of(
        app, **{"from": "2026-01-01", "to": "2026-06-30", "lang": "nl"}
    )
    assert valid
    assert form.period == Period(dt.date(2026, 1, 1), dt.date(2026, 6, 30))
    assert form.language == "nl"


def test_one_day_is_a_period(app):
    _form, valid, _messages = form_of(app, **{"from": "2026-03-03", "to": "2026-03-03"})
    assert valid


@pytest.mark.parametrize(
    ("args", "field", "expected"),
    [
        ({"from": "2026-06-30", "to": "2026-01-01"}, "to", "cannot be before the first day"),
        ({"from": "2026-13-45"}, "from", "Enter a date like 2026-03-31."),
        ({"to": "yesterday"}, "to", "Enter a date like 2026-03-31."),
        ({"from": "9" * 400}, "from", "Enter a date like 2026-03-31."),
        ({"to": "2036-01-01"}, "to", "on or before"),
        ({"from": "1999-12-31"}, "from", "on or after"),
        ({"from": "0001-01-01"}, "from", "between the years 1900 and 2999"),
        ({"lang": "xx"}, "lang", "Not a valid choice"),
    ],
)
def test_bad_options_are_named_next_to_their_field(app, args, field, expected):
    form, valid, messages = form_of(app, **args)
    assert not valid
    errors = {"from": form.start.errors, "to": form.end.errors, "lang": form.lang.errors}[field]
    assert any(expected in str(error) for error in errors), errors
    assert any(expected in message for message in messages)


def test_the_far_future_ends_five_years_ahead():
    assert latest_day(TODAY) == dt.date(2031, 12, 31)


def test_a_period_contains_and_overlaps_days():
    period = Period(dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    assert period.contains(dt.date(2026, 3, 1)) and period.contains(dt.date(2026, 3, 31))
    assert not period.contains(dt.date(2026, 4, 1)) and not period.contains(None)
    assert period.overlaps(dt.date(2026, 2, 27), dt.date(2026, 3, 2))  # a visit across the start
    assert not period.overlaps(dt.date(2026, 2, 27), None)
    assert Period(end=dt.date(2026, 1, 1)).contains(dt.date(1999, 1, 1))


def test_the_bounds_of_a_period_are_local_days_in_utc():
    lower, upper = Period(dt.date(2026, 7, 1), dt.date(2026, 7, 31)).bounds("Europe/Rome")
    assert lower == dt.datetime(2026, 6, 30, 22, 0, tzinfo=dt.UTC)
    assert upper == dt.datetime(2026, 7, 31, 22, 0, tzinfo=dt.UTC)  # the first moment after
    assert Period().bounds("Europe/Rome") == (None, None)
    assert Period(dt.date(2026, 7, 1)).query_args() == {"from": "2026-07-01"}


def test_a_download_reads_in_the_pairings_history(app):
    with app.test_request_context():
        rows = describe_changes(
            {"format": "PDF", "period_from": "2026-01-01", "period_to": None, "language": "nl"}
        )
    assert ("Format", None, "PDF") in rows
    assert ("First day of the period", None, "Jan 1, 2026") in rows
    assert ("Language", None, "Dutch") in rows
    assert all(label != "Last day of the period" for label, _before, _after in rows)
