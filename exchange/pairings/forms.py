"""Pairing forms: the list filters, proposing, the lifecycle steps, phases and partners."""

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, RadioField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import HiddenInput

from exchange import timezones
from exchange.forms import BaseForm, DateField, FilterForm, version_field
from exchange.organisations.forms import (
    MultiCheckboxField,
    country_choices,
    optional_int,
    themes_as_choices,
)
from exchange.pairings.health import HEALTH_LABELS
from exchange.pairings.models import PHASES, SIDE_LABELS, STATUS_LABELS, Side

MESSAGE_HINT = _l("The other people in the pairing read it in the e-mail we send them.")


def phase_choices() -> list[SelectChoice]:
    return [
        SelectChoice(str(number), _l("%(num)d. %(name)s", num=number, name=name))
        for number, name in PHASES.items()
    ]


def org_choices(organisations, empty_label) -> list[SelectChoice]:
    return [SelectChoice("", empty_label)] + [
        SelectChoice(str(org.id), org.display_name) for org in organisations
    ]


class PairingFilterForm(FilterForm):
    """The filters of the pairings list: a GET form, so no CSRF token."""

    programme = SelectField(_l("Programme"), coerce=optional_int, validators=[Optional()])
    status = SelectField(_l("Status"), validators=[Optional()])
    phase = SelectField(_l("Phase"), coerce=optional_int, validators=[Optional()])
    theme = SelectField(_l("Theme"), validators=[Optional()])
    country = SelectField(_l("Country"), validators=[Optional()])
    health = SelectField(_l("Pairing health"), validators=[Optional()])
    # The pairings of one organisation (links from its profile and the home page).
    organisation = IntegerField(
        widget=HiddenInput(), validators=[Optional(), NumberRange(min=1, max=2**31 - 1)]
    )

    FILTERS = ("programme", "status", "phase", "theme", "country", "health", "organisation")

    def set_choices(self, programmes, country_codes) -> None:
        any_choice = [SelectChoice("", _l("Any"))]
        self.programme.choices = any_choice + [SelectChoice(str(p.id), p.name) for p in programmes]
        self.status.choices = any_choice + [
            SelectChoice(status.value, label) for status, label in STATUS_LABELS.items()
        ]
        self.phase.choices = any_choice + phase_choices()
        self.theme.choices = any_choice + themes_as_choices()
        self.country.choices = any_choice + country_choices(country_codes)
        if "health" in self:
            self.health.choices = any_choice + [
                SelectChoice(health.value, label) for health, label in HEALTH_LABELS.items()
            ]


class TermsForm(BaseForm):
    """What the two cities agree on; shared by the proposal and the edit form."""

    themes = MultiCheckboxField(_l("Themes"), choices=themes_as_choices)
    objective = TextAreaField(
        _l("Objective"),
        validators=[
            DataRequired(message=_l("Say what the mentee city wants to achieve.")),
            Length(max=5000),
        ],
    )
    proposed_start_date = DateField(_l("Proposed start date"), validators=[Optional()])
    mentor_association_id = SelectField(
        _l("Mentor's association"),
        coerce=optional_int,
        validators=[Optional()],
        validate_choice=False,
    )
    mentee_association_id = SelectField(
        _l("Mentee's association"),
        coerce=optional_int,
        validators=[Optional()],
        validate_choice=False,
    )

    def set_association_choices(self, associations) -> None:
        empty = _l("The city's own association")
        self.mentor_association_id.choices = org_choices(associations, empty)
        self.mentee_association_id.choices = org_choices(associations, empty)


class ProposalForm(TermsForm):
    programme_id = SelectField(
        _l("Programme"),
        coerce=optional_int,
        validators=[InputRequired(message=_l("Choose a programme."))],
        validate_choice=False,
    )
    mentor_id = SelectField(
        _l("Mentor city"),
        coerce=optional_int,
        validators=[InputRequired(message=_l("Choose the mentor city."))],
        validate_choice=False,
    )
    mentee_id = SelectField(
        _l("Mentee city"),
        coerce=optional_int,
        validators=[InputRequired(message=_l("Choose the mentee city."))],
        validate_choice=False,
    )
    admin_side = RadioField(
        _l("Who asks"),
        choices=[
            SelectChoice(Side.MENTEE.value, _l("The mentee city asks the mentor city")),
            SelectChoice(Side.MENTOR.value, _l("The mentor city offers to mentor the mentee city")),
        ],
        default=Side.MENTEE.value,
    )
    message = TextAreaField(
        _l("Message to the other city"), validators=[Optional(), Length(max=5000)]
    )

    # The order in which the template shows the fields.
    ORDER = (
        "programme_id", "mentee_id", "mentor_id", "admin_side", "themes", "objective",
        "proposed_start_date", "mentor_association_id", "mentee_association_id", "message",
    )  # fmt: skip

    def set_choices(self, programmes, cities, associations) -> None:
        self.programme_id.choices = [SelectChoice("", _l("Choose a programme"))] + [
            SelectChoice(str(p.id), p.name) for p in programmes
        ]
        self.mentor_id.choices = org_choices(cities, _l("Choose a city"))
        self.mentee_id.choices = org_choices(cities, _l("Choose a city"))
        self.set_association_choices(associations)


class StepForm(BaseForm):
    message = TextAreaField(_l("Message"), validators=[Optional(), Length(max=5000)])
    version = version_field()


class PhaseForm(BaseForm):
    phase = SelectField(
        _l("New phase"),
        coerce=optional_int,
        choices=phase_choices,
        validators=[InputRequired(message=_l("Choose one of the eight phases."))],
    )
    reason = TextAreaField(_l("Reason"), validators=[Optional(), Length(max=5000)])
    version = version_field()


class DetailsForm(TermsForm):
    time_zone = SelectField(
        _l("Time zone of the activities"),
        choices=timezones.choices,
        validators=[Optional()],
        validate_choice=False,  # the service says so next to the field
    )
    version = version_field()


class ReplaceForm(BaseForm):
    side = RadioField(
        _l("Partner to replace"),
        choices=[SelectChoice(side.value, label) for side, label in SIDE_LABELS.items()],
        validators=[InputRequired(message=_l("Choose the mentor or the mentee."))],
    )
    organisation_id = SelectField(
        _l("New city"),
        coerce=optional_int,
        validators=[InputRequired(message=_l("Choose the city that takes its place."))],
        validate_choice=False,
    )
    reason = TextAreaField(_l("Reason"), validators=[Optional(), Length(max=5000)])
    version = version_field()

    def set_choices(self, cities) -> None:
        self.organisation_id.choices = org_choices(cities, _l("Choose a city"))
