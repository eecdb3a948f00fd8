"""The options of a report: its period and, for a download, its language."""

import datetime as dt

from flask import current_app
from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from wtforms import SelectField
from wtforms.validators import Optional

from exchange.forms import DateField, FilterForm
from exchange.reports.period import Period

# A report of a period before the platform existed or years ahead is a typing error.
EARLIEST = dt.date(2000, 1, 1)
YEARS_AHEAD = 5


def latest_day(today: dt.date) -> dt.date:
    return dt.date(today.year + YEARS_AHEAD, 12, 31)


class ReportForm(FilterForm):
    """`?from=YYYY-MM-DD&to=YYYY-MM-DD&lang=nl`: a GET form, every field optional."""

    start = DateField(_l("First day"), name="from", validators=[Optional()])
    end = DateField(_l("Last day"), name="to", validators=[Optional()])
    lang = SelectField(_l("Language of the report"), validators=[Optional()])

    def __init__(self, *args, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        languages = current_app.config["LANGUAGES"]
        self.lang.choices = [("", _l("My language"))] + list(languages.items())

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        latest = latest_day(self.today)
        for field in (self.start, self.end):
            if field.data is None or field.errors:
                continue
            if field.data < EARLIEST:
                field.errors.append(
                    _l("Choose a date on or after %(date)s.", date=format_date(EARLIEST))
                )
                valid = False
            elif field.data > latest:
                field.errors.append(
                    _l("Choose a date on or before %(date)s.", date=format_date(latest))
                )
                valid = False
        if (
            valid
            and self.start.data is not None
            and self.end.data is not None
            and self.end.data < self.start.data
        ):
            self.end.errors.append(_l("The last day cannot be before the first day."))
            valid = False
        return valid

    @property
    def period(self) -> Period:
        return Period(self.start.data, self.end.data)

    @property
    def language(self) -> str | None:
        return self.lang.data or None

    def messages(self) -> list[str]:
        """Every error in words, for a download refused with 400."""
        return [
            str(_l("%(field)s: %(error)s", field=field.label.text, error=error))
            for field in (self.start, self.end, self.lang)
            for error in field.errors
        ]
