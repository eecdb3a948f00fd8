"""Resource forms: the list filters, and posting or editing a resource."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, SearchField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import URL, DataRequired, InputRequired, Length, Optional

from exchange.content import language_choices
from exchange.forms import BaseForm, DateField, FilterForm
from exchange.organisations.forms import (
    MultiCheckboxField,
    add_https,
    blank_to_none,
    optional_int,
    themes_as_choices,
    web_address,
)
from exchange.resources.models import KIND_LABELS
from exchange.storage import ACCEPTED


def kind_choices() -> list[SelectChoice]:
    return [SelectChoice(kind.value, label) for kind, label in KIND_LABELS.items()]


class ResourceFilterForm(FilterForm):
    """The filters of the resources list: a GET form, so no CSRF token."""

    q = SearchField(_l("Title contains"), validators=[Optional(), Length(max=200)])
    kind = SelectField(_l("Kind"), validators=[Optional()])
    theme = SelectField(_l("Theme"), validators=[Optional()])
    language = SelectField(_l("Language of the text"), validators=[Optional()])

    FILTERS = ("q", "kind", "theme", "language")

    def set_choices(self, language_codes) -> None:
        any_choice = [SelectChoice("", _l("Any"))]
        self.kind.choices = any_choice + kind_choices()
        self.theme.choices = any_choice + themes_as_choices()
        self.language.choices = any_choice + [
            choice for choice in language_choices() if choice.value in set(language_codes)
        ]


class ResourceForm(BaseForm):
    """A resource: what it is, and either a file or a link. Administrators also choose the
    organisation it is posted for (officers post for their own)."""

    author_organisation_id = SelectField(
        _l("Posted for"),
        coerce=optional_int,
        validators=[InputRequired(message=_l("Choose the organisation that publishes it."))],
    )
    kind = SelectField(_l("Kind"), choices=kind_choices, validators=[DataRequired()])
    title = StringField(
        _l("Title"),
        validators=[DataRequired(message=_l("Enter the title.")), Length(max=300)],
    )
    summary = TextAreaField(
        _l("Summary"), filters=[blank_to_none], validators=[Optional(), Length(max=5000)]
    )
    language = SelectField(
        _l("Language of the text"), choices=language_choices, validators=[DataRequired()]
    )
    themes = MultiCheckboxField(_l("Themes"), choices=themes_as_choices)
    published_date = DateField(
        _l("Published on"),
        validators=[InputRequired(message=_l("Enter the date it was published."))],
    )
    upload = FileField(
        _l("File"), render_kw={"accept": ",".join(f".{ext}" for ext in ACCEPTED) + ",.jpeg"}
    )
    remove_file = BooleanField(_l("Remove the current file"))
    url = StringField(
        _l("Link"),
        filters=[add_https, blank_to_none],
        validators=[
            Optional(),
            Length(max=500),
            web_address,
            URL(message=_l("Enter a web address like https://www.city.eu/guide.")),
        ],
        render_kw={"inputmode": "url", "spellcheck": "false"},
    )

    def set_author_choices(self, organisations) -> None:
        self.author_organisation_id.choices = [SelectChoice("", _l("Choose an organisation"))] + [
            SelectChoice(str(org.id), org.display_name) for org in organisations
        ]

    def values(self) -> dict:
        """Return the submitted resource as plain values for the services."""
        return dict(
            kind=self.kind.data,
            title=self.title.data,
            summary=self.summary.data,
            language=self.language.data,
            themes=list(self.themes.data or []),
            published_date=self.published_date.data,
            url=self.url.data,
            upload=self.upload.data,
        )

    def removes_file(self) -> bool:
        return "remove_file" in self and bool(self.remove_file.data)
