"""Practice forms: the library's filters, writing a practice, files, transfers."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import IntegerField, RadioField, SearchField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from exchange.content import language_choices
from exchange.forms import BaseForm, DateField, FilterForm, long_text_field
from exchange.organisations.forms import (
    MultiCheckboxField,
    blank_to_none,
    country_choices,
    optional_int,
    themes_as_choices,
)
from exchange.practices.models import KIND_LABELS, STAGE_LABELS, TARGET_GROUPS

YEAR = NumberRange(min=1900, max=2100, message=_l("Enter a year like 2012."))


def kind_choices() -> list[SelectChoice]:
    return [SelectChoice(kind.value, label) for kind, label in KIND_LABELS.items()]


def target_group_choices() -> list[SelectChoice]:
    return [SelectChoice(code, label) for code, label in TARGET_GROUPS.items()]


class LibraryFilterForm(FilterForm):
    """The library's search and filters: a GET form, so no CSRF token."""

    q = SearchField(_l("Search"), validators=[Optional()])
    theme = SelectField(_l("Theme"), validators=[Optional()])
    kind = SelectField(_l("Kind of practice"), validators=[Optional()])
    country = SelectField(_l("Country"), validators=[Optional()])
    target_group = SelectField(_l("Target group"), validators=[Optional()])
    language = SelectField(_l("Language of the text"), validators=[Optional()])

    FILTERS = ("q", "theme", "kind", "country", "target_group", "language")

    def set_choices(self, country_codes) -> None:
        anything = [SelectChoice("", _l("Any"))]
        self.theme.choices = anything + themes_as_choices()
        self.kind.choices = anything + kind_choices()
        self.country.choices = anything + country_choices(country_codes)
        self.target_group.choices = anything + target_group_choices()
        self.language.choices = anything + language_choices()


class PracticeForm(BaseForm):
    origin_id = SelectField(
        _l("Organisation the practice comes from"),
        coerce=optional_int,
        validators=[Optional()],
        validate_choice=False,
    )
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)])
    kind = SelectField(_l("Kind of practice"), choices=kind_choices, validators=[DataRequired()])
    language = SelectField(
        _l("Language of the text"), choices=language_choices, validators=[DataRequired()]
    )
    themes = MultiCheckboxField(_l("Themes"), choices=themes_as_choices)
    target_groups = MultiCheckboxField(_l("Target groups"), choices=target_group_choices)
    summary = TextAreaField(_l("Summary"), validators=[DataRequired(), Length(max=2000)])
    challenge = long_text_field(_l("Challenge and goals"))
    how_it_works = long_text_field(_l("How it works"))
    results = long_text_field(_l("Results"))
    evaluation = long_text_field(_l("Evaluation: indicators, what worked, what did not"))
    resources = long_text_field(_l("Resources and funding"))
    transferability = long_text_field(_l("Transferability: what a city needs to re-use it"))
    success_factors = long_text_field(_l("Key success factors"))
    contact = StringField(
        _l("Contact"), filters=[blank_to_none], validators=[Optional(), Length(max=300)]
    )
    start_year = IntegerField(
        _l("Started in (year)"), validators=[Optional(), YEAR], render_kw={"inputmode": "numeric"}
    )
    end_year = IntegerField(
        _l("Ended in (year)"), validators=[Optional(), YEAR], render_kw={"inputmode": "numeric"}
    )

    def set_origin_choices(self, organisations) -> None:
        self.origin_id.choices = [SelectChoice("", _l("Choose an organisation"))] + [
            SelectChoice(str(org.id), org.display_name) for org in organisations
        ]

    def values(self) -> dict:
        fields = (
            "title",
            "kind",
            "language",
            "summary",
            "challenge",
            "how_it_works",
            "results",
            "evaluation",
            "resources",
            "transferability",
            "success_factors",
            "contact",
            "start_year",
            "end_year",
        )
        values = {name: self[name].data for name in fields}
        values["themes"] = list(self.themes.data or [])
        values["target_groups"] = list(self.target_groups.data or [])
        return values


class AttachmentForm(BaseForm):
    file = FileField(_l("File"), validators=[FileRequired(message=_l("Choose a file."))])


class TransferForm(BaseForm):
    practice_id = SelectField(
        _l("Practice"),
        coerce=optional_int,
        validators=[DataRequired(message=_l("Choose a practice."))],
        validate_choice=False,
    )
    local_name = StringField(
        _l("Local name"), filters=[blank_to_none], validators=[Optional(), Length(max=200)]
    )
    stage = RadioField(
        _l("Stage reached"),
        choices=[SelectChoice(stage.value, label) for stage, label in STAGE_LABELS.items()],
        validators=[DataRequired(message=_l("Choose the stage reached."))],
        default="understand",
    )
    understand_date = DateField(_l("Understood on"), validators=[Optional()])
    adapt_date = DateField(_l("Adapted on"), validators=[Optional()])
    reuse_date = DateField(_l("Re-used on"), validators=[Optional()])
    adaptation_notes = long_text_field(_l("How the practice is adapted"))

    def set_practice_choices(self, practices) -> None:
        self.practice_id.choices = [SelectChoice("", _l("Choose a practice"))] + [
            SelectChoice(str(p.id), f"{p.title} ({p.origin.name})") for p in practices
        ]

    def dates(self) -> dict:
        return {f"{s}_date": self[f"{s}_date"].data for s in ("understand", "adapt", "reuse")}
