"""Forms of the action plan: the plan, its actions, indicators and their measurements, risks.

Field names are the models' attribute names, so that a conflict notice (exchange/editing.py)
can name each field someone else changed.
"""

import decimal
import re
from decimal import Decimal

from babel.numbers import get_decimal_symbol, get_group_symbol
from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l
from wtforms import Field, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional
from wtforms.widgets import TextInput

from exchange.forms import BaseForm, DateField, chosen_id, long_text_field, version_field
from exchange.i18n import reader_locale
from exchange.organisations.forms import blank_to_none
from exchange.plans.models import (
    ACTION_STATUS_LABELS,
    INDICATOR_TYPE_LABELS,
    LEVEL_LABELS,
    PLAN_STATUS_LABELS,
    RISK_STATUS_LABELS,
)
from exchange.submissions import SubmissionField

# The largest amount or quantity anyone types on purpose (a hundred billion); the columns
# hold a little more, so a number within the limit always fits.
MAX_NUMBER = Decimal(10) ** 11

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009'’€]")


def _choices(labels) -> list[SelectChoice]:
    return [SelectChoice(key.value, label) for key, label in labels.items()]


def parse_number(text: str, locale) -> Decimal:
    """Read a number as people type it in their language: "12500,50" and "12.500,50" in
    Dutch, "12,500.50" in English, "12 500,50" in French. A lone separator followed by
    exactly three digits is the reader's thousands separator ("12.500" is twelve thousand
    five hundred in Dutch, twelve and a half in English); otherwise it is the decimal
    separator, whichever of "." and "," it is. Raises ValueError for anything else."""
    value = _SPACES.sub("", text).replace("−", "-")
    if not re.fullmatch(r"[+-]?[0-9][0-9.,]*", value) or value[-1] in ".,":
        raise ValueError(text)
    sign, digits = ("-" if value[0] == "-" else ""), value.lstrip("+-")
    group = get_group_symbol(locale)
    dots, commas = digits.count("."), digits.count(",")
    if dots and commas:
        decimal_mark = "." if digits.rfind(".") > digits.rfind(",") else ","
        whole, fraction = _split(digits, decimal_mark)
        whole = _ungroup(whole, "," if decimal_mark == "." else ".")
    elif dots + commas == 0:
        whole, fraction = digits, ""
    else:
        mark = "." if dots else ","
        head, _, tail = digits.partition(mark)
        if dots + commas > 1:
            whole, fraction = _ungroup(digits, mark), ""
        elif mark == group and len(tail) == 3 and len(head) <= 3:
            whole, fraction = head + tail, ""
        else:
            whole, fraction = head, tail
    try:
        return Decimal(f"{sign}{whole}.{fraction or 0}")
    except decimal.InvalidOperation:
        raise ValueError(text) from None


def _split(digits: str, mark: str) -> tuple[str, str]:
    if digits.count(mark) != 1:
        raise ValueError(digits)
    whole, fraction = digits.split(mark)
    return whole, fraction


def _ungroup(whole: str, group: str) -> str:
    """Digits grouped by three ("12.500.000"), without the separators; else ValueError."""
    if not re.fullmatch(rf"[0-9]{{1,3}}(\{group}[0-9]{{3}})*", whole):
        raise ValueError(whole)
    return whole.replace(group, "")


def plain_number(value: Decimal | None, locale) -> str:
    """A number as the form shows it for editing: no thousands separator, the reader's
    decimal mark, no trailing zeros (40.0000 is "40")."""
    if value is None:
        return ""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", get_decimal_symbol(locale))


class NumberField(Field):
    """A decimal number typed in the reader's language, within ±MAX_NUMBER, with at most
    `places` decimals; `minimum` refuses smaller numbers (0 for an amount of money)."""

    widget = TextInput()

    def __init__(
        self, label=None, validators=None, places=4, minimum=None, below_minimum=None, **kwargs
    ):
        kwargs.setdefault("render_kw", {"inputmode": "decimal", "autocomplete": "off"})
        super().__init__(label, validators, **kwargs)
        self.places = places
        self.minimum = minimum
        self.below_minimum = below_minimum

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return plain_number(self.data, reader_locale())

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            self.raw_data = []  # only spaces: as empty, for InputRequired too
            return
        locale = reader_locale()
        try:
            number = parse_number(valuelist[0], locale)
        except ValueError:
            self.data = None
            example = format_decimal(Decimal("12500.5"), format="#,##0.00")
            raise ValueError(_l("Enter a number, like %(example)s.", example=example)) from None
        self.data = number
        limit = format_decimal(MAX_NUMBER, format="#,##0")
        if number > MAX_NUMBER:
            raise ValueError(_l("Enter a number no larger than %(limit)s.", limit=limit))
        if number < -MAX_NUMBER:
            raise ValueError(_l("Enter a number no smaller than -%(limit)s.", limit=limit))
        if self.minimum is not None and number < self.minimum:
            raise ValueError(self.below_minimum or _l("Enter a larger number."))
        if -number.as_tuple().exponent > self.places and number != round(number, self.places):
            raise ValueError(_l("Use at most %(places)d decimals.", places=self.places))


def text_field(label, limit: int):
    return StringField(label, filters=[blank_to_none], validators=[Optional(), Length(max=limit)])


class PlanForm(BaseForm):
    version = version_field()
    status = RadioField(
        _l("Status of the plan"),
        choices=_choices(PLAN_STATUS_LABELS),
        validators=[InputRequired(message=_l("Choose the status of the plan."))],
        default="draft",
    )
    status_date = DateField(_l("Date the plan reached this status"), validators=[Optional()])
    vision = long_text_field(_l("Vision"))
    target_groups = long_text_field(_l("Target groups"), 5000)
    local_practice_name = text_field(_l("Local name of the transferred practice"), 200)
    monitoring_method = long_text_field(_l("Monitoring method"))

    FIELDS = ("status", "vision", "target_groups", "local_practice_name", "monitoring_method")

    def values(self) -> dict:
        return {name: self[name].data for name in self.FIELDS}


class ActionForm(BaseForm):
    version = version_field()
    submission = SubmissionField()
    title = StringField(
        _l("Title"),
        validators=[DataRequired(message=_l("Enter the title of the action.")), Length(max=200)],
    )
    description = long_text_field(_l("Description"))
    responsible = text_field(_l("Responsible organisation"), 200)
    partners = text_field(_l("Partners"), 500)
    start_date = DateField(_l("Start date"), validators=[Optional()])
    due_date = DateField(_l("Due date"), validators=[Optional()])
    budget = NumberField(
        _l("Budget in euro"),
        validators=[Optional()],
        places=2,
        minimum=0,
        below_minimum=_l("The budget cannot be negative."),
    )
    funding_source = text_field(_l("Funding source"), 200)
    status = RadioField(
        _l("Status"),
        choices=_choices(ACTION_STATUS_LABELS),
        validators=[InputRequired(message=_l("Choose the status of the action."))],
        default="planned",
    )
    practice_id = SelectField(
        _l("Linked practice"), coerce=chosen_id, validators=[Optional()], validate_choice=False
    )

    FIELDS = (
        "title", "description", "responsible", "partners", "start_date", "due_date",
        "budget", "funding_source", "status",
    )  # fmt: skip

    def set_practice_choices(self, transferred, published) -> None:
        """The practices this pairing transfers first, then the other published ones."""
        choices = [SelectChoice("", _l("No linked practice"))]
        group = str(_l("Transferred in this pairing"))
        choices += [SelectChoice(str(p.id), _practice_name(p), optgroup=group) for p in transferred]
        group = str(_l("Other published practices"))
        choices += [SelectChoice(str(p.id), _practice_name(p), optgroup=group) for p in published]
        self.practice_id.choices = choices

    def values(self) -> dict:
        return {name: self[name].data for name in self.FIELDS}


def _practice_name(practice) -> str:
    return f"{practice.title} ({practice.origin.name})"


class IndicatorForm(BaseForm):
    version = version_field()
    submission = SubmissionField()
    name = StringField(
        _l("Name"),
        validators=[DataRequired(message=_l("Enter the name of the indicator.")), Length(max=200)],
    )
    type = RadioField(
        _l("Type"),
        choices=_choices(INDICATOR_TYPE_LABELS),
        validators=[InputRequired(message=_l("Choose the type of indicator."))],
        default="output",
    )
    unit = text_field(_l("Unit"), 50)
    baseline = NumberField(
        _l("Baseline"),
        validators=[InputRequired(message=_l("Enter the value at the start, 0 if none."))],
        default=Decimal(0),
    )
    target = NumberField(
        _l("Target"), validators=[InputRequired(message=_l("Enter the value to reach."))]
    )

    FIELDS = ("name", "type", "unit", "baseline", "target")

    def values(self) -> dict:
        return {name: self[name].data for name in self.FIELDS}


class MeasurementForm(BaseForm):
    submission = SubmissionField()
    value = NumberField(_l("Value"), validators=[InputRequired(message=_l("Enter the value."))])
    measured_on = DateField(
        _l("Date measured"),
        validators=[InputRequired(message=_l("Enter the date of the measurement."))],
    )
    note = TextAreaField(
        _l("Note"), filters=[blank_to_none], validators=[Optional(), Length(max=500)]
    )


class RiskForm(BaseForm):
    version = version_field()
    submission = SubmissionField()
    description = TextAreaField(
        _l("Description"),
        validators=[DataRequired(message=_l("Describe the risk.")), Length(max=5000)],
    )
    likelihood = RadioField(
        _l("Likelihood"),
        choices=_choices(LEVEL_LABELS),
        validators=[InputRequired(message=_l("Choose how likely the risk is."))],
    )
    impact = RadioField(
        _l("Impact"),
        choices=_choices(LEVEL_LABELS),
        validators=[InputRequired(message=_l("Choose how much harm it would do."))],
    )
    mitigation = long_text_field(_l("Mitigation"), 5000)
    owner = text_field(_l("Owner"), 200)
    status = RadioField(
        _l("Status"),
        choices=_choices(RISK_STATUS_LABELS),
        validators=[InputRequired(message=_l("Choose the status of the risk."))],
        default="open",
    )

    FIELDS = ("description", "likelihood", "impact", "mitigation", "owner", "status")

    def values(self) -> dict:
        return {name: self[name].data for name in self.FIELDS}
