"""Activity forms: the list filters, logging and editing an activity, marking it held, files
and feedback."""

import re

import wtforms
from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from exchange.activities.models import (
    FORMAT_LABELS,
    MAX_PARTICIPANTS,
    PARTICIPANT_FIELDS,
    STATUS_LABELS,
    STUDY_VISIT_ROUNDS,
    TYPE_LABELS,
    ActivityFormat,
    ActivityStatus,
)
from exchange.forms import (
    BaseForm,
    DateField,
    FilterForm,
    chosen_id,
    long_text_field,
    version_field,
)
from exchange.organisations.forms import MultiCheckboxField, blank_to_none
from exchange.submissions import SubmissionField

MAX_TITLE = 200
MAX_VENUE = 300
MAX_LONG_TEXT = 20_000
MAX_COMMENT = 5000
LONG_TEXTS = ("objectives", "agenda", "outcomes", "follow_up")
_WHOLE_NUMBER = re.compile(r"^-?[0-9]+$")
COUNT_NAMES = tuple(name for name, _label in PARTICIPANT_FIELDS)

USEFULNESS_LABELS = {
    1: _l("1 – Not useful"),
    2: _l("2 – Of little use"),
    3: _l("3 – Fairly useful"),
    4: _l("4 – Useful"),
    5: _l("5 – Very useful"),
}


def type_choices() -> list[SelectChoice]:
    return [SelectChoice(kind.value, label) for kind, label in TYPE_LABELS.items()]


def status_choices() -> list[SelectChoice]:
    return [SelectChoice(status.value, label) for status, label in STATUS_LABELS.items()]


def format_choices() -> list[SelectChoice]:
    return [SelectChoice(kind.value, label) for kind, label in FORMAT_LABELS.items()]


def round_choices() -> list[SelectChoice]:
    return [SelectChoice("", _l("Not a study visit"))] + [
        SelectChoice(str(n), _l("Round %(num)d", num=n)) for n in STUDY_VISIT_ROUNDS
    ]


class CountField(wtforms.IntegerField):
    """A number of people: blank is 0, "1 200" is 1200, anything else a clear message. A
    text box, so that what was typed is shown back as typed."""

    widget = wtforms.widgets.TextInput()

    def __init__(self, label=None, **kwargs):
        super().__init__(label, default=0, render_kw={"inputmode": "numeric"}, **kwargs)

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        typed = "".join(str(valuelist[0]).split())
        if not typed:
            self.data = 0
            return
        if not _WHOLE_NUMBER.match(typed):
            self.data = None
            raise ValueError(_l("Enter a whole number of people, like 12."))
        sign = -1 if typed.startswith("-") else 1
        digits = typed.lstrip("-").lstrip("0") or "0"
        # a thousand digits are over the limit too, without making Python parse them
        self.data = sign * (int(digits) if len(digits) <= 9 else MAX_PARTICIPANTS + 1)

    def pre_validate(self, form):
        if self.data is not None and not 0 <= self.data <= MAX_PARTICIPANTS:
            raise ValidationError(
                _l("Enter a number from 0 to %(max)s.", max=format_decimal(MAX_PARTICIPANTS))
            )


class TimeField(wtforms.TimeField):
    """A time box (24 hours) whose error says what to type."""

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, format=["%H:%M", "%H:%M:%S", "%H.%M"], **kwargs)

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(_l("Enter a time like 14:30.")) from None


class ActivityFilterForm(FilterForm):
    """The filters above a pairing's activities: a GET form, so no CSRF token."""

    status = SelectField(_l("Status"), validators=[Optional()])
    type = SelectField(_l("Type of activity"), validators=[Optional()])

    FILTERS = ("status", "type")

    def set_choices(self) -> None:
        anything = [SelectChoice("", _l("Any"))]
        self.status.choices = anything + status_choices()
        self.type.choices = anything + type_choices()


class ParticipantsForm(BaseForm):
    """Who took part, counted by side."""

    participants_mentor = CountField(PARTICIPANT_FIELDS[0][1])
    participants_mentee = CountField(PARTICIPANT_FIELDS[1][1])
    participants_associations = CountField(PARTICIPANT_FIELDS[2][1])
    participants_others = CountField(PARTICIPANT_FIELDS[3][1])

    def counts(self) -> dict:
        return {name: self[name].data or 0 for name in COUNT_NAMES}


class ActivityForm(ParticipantsForm):
    type = SelectField(
        _l("Type of activity"),
        choices=lambda: [SelectChoice("", _l("Choose the type")), *type_choices()],
        validators=[InputRequired(message=_l("Choose the type of activity."))],
    )
    study_visit_round = SelectField(
        _l("Round of the study visit"),
        choices=round_choices,
        coerce=chosen_id,
        validators=[Optional()],
        validate_choice=False,
    )
    title = StringField(
        _l("Title"),
        validators=[
            DataRequired(message=_l("Give the activity a title.")),
            Length(max=MAX_TITLE),
        ],
    )
    start_date = DateField(
        _l("Start date"),
        validators=[InputRequired(message=_l("Enter the day it starts, like 2026-03-31."))],
    )
    start_time = TimeField(_l("Start time"), validators=[Optional()])
    end_date = DateField(_l("End date"), validators=[Optional()])
    end_time = TimeField(_l("End time"), validators=[Optional()])
    format = RadioField(
        _l("Format"),
        choices=format_choices,
        default=ActivityFormat.IN_PERSON.value,
        validators=[InputRequired(message=_l("Choose in person, online or hybrid."))],
    )
    host_id = SelectField(
        _l("Host city"),
        coerce=chosen_id,
        validators=[Optional()],
        validate_choice=False,
    )
    venue = StringField(
        _l("Venue"), filters=[blank_to_none], validators=[Optional(), Length(max=MAX_VENUE)]
    )
    status = RadioField(
        _l("Status"),
        choices=status_choices,
        default=ActivityStatus.PLANNED.value,
        validators=[InputRequired(message=_l("Choose planned, held or cancelled."))],
    )
    objectives = long_text_field(_l("Objectives"), MAX_LONG_TEXT)
    agenda = long_text_field(_l("Agenda"), MAX_LONG_TEXT)
    outcomes = long_text_field(_l("Outcomes"), MAX_LONG_TEXT)
    follow_up = long_text_field(_l("Follow-up actions"), MAX_LONG_TEXT)
    linked_actions = MultiCheckboxField(_l("Actions of the plan it serves"), coerce=int)
    version = version_field()
    submission = SubmissionField()

    def set_choices(self, pairing, actions, host=None) -> None:
        """The host is one of the pairing's two cities, or `host`: an edited activity's host
        that is no longer in the pairing (an admin replaced it), which may stay its host.
        The actions are the pairing's."""
        self.host_id.choices = [
            SelectChoice("", _l("Neither (online, or elsewhere)")),
            SelectChoice(str(pairing.mentor.id), _l("%(city)s (mentor)", city=pairing.mentor.name)),
            SelectChoice(str(pairing.mentee.id), _l("%(city)s (mentee)", city=pairing.mentee.name)),
        ]
        if host is not None and host.id not in (pairing.mentor.id, pairing.mentee.id):
            self.host_id.choices.append(
                SelectChoice(str(host.id), _l("%(city)s (former partner)", city=host.name))
            )
        if actions:
            self.linked_actions.choices = [
                SelectChoice(action.id, action.title) for action in actions
            ]
        else:
            del self.linked_actions

    def values(self) -> dict:
        """The typed activity as plain values for the services."""
        names = (
            "type", "study_visit_round", "title", "start_date", "start_time", "end_date",
            "end_time", "format", "host_id", "venue", "status", *LONG_TEXTS,
        )  # fmt: skip
        return {**{name: self[name].data for name in names}, **self.counts()}

    def action_ids(self) -> list[int]:
        return list(self.linked_actions.data or []) if "linked_actions" in self else []


class MarkHeldForm(ParticipantsForm):
    outcomes = TextAreaField(
        _l("Outcomes"),
        validators=[
            DataRequired(message=_l("Write down what came out of the activity.")),
            Length(max=MAX_LONG_TEXT),
        ],
    )
    follow_up = long_text_field(_l("Follow-up actions"), MAX_LONG_TEXT)
    version = version_field()

    def values(self) -> dict:
        return {"outcomes": self.outcomes.data, "follow_up": self.follow_up.data, **self.counts()}


class AttachmentForm(BaseForm):
    file = FileField(_l("File"), validators=[FileRequired(message=_l("Choose a file."))])


def usefulness_from_1_to_5(_form, field) -> None:
    if field.data not in USEFULNESS_LABELS:
        field.data = None
        raise ValidationError(_l("Choose how useful it was, from 1 to 5."))


usefulness_from_1_to_5.field_flags = {"required": True}


class FeedbackForm(BaseForm):
    usefulness = RadioField(
        _l("How useful was it for you?"),
        choices=[SelectChoice(n, label) for n, label in USEFULNESS_LABELS.items()],
        coerce=chosen_id,
        validate_choice=False,
        validators=[usefulness_from_1_to_5],
    )
    comment = TextAreaField(
        _l("Comment"),
        filters=[blank_to_none],
        validators=[Optional(), Length(max=MAX_COMMENT)],
    )
