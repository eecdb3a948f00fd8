"""The news form (officers and admins) and the language filter of the list."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from exchange.content import LANGUAGE_CODES, language_choices
from exchange.forms import BaseForm, DateField, FilterForm
from exchange.i18n import language_name
from exchange.organisations.forms import optional_int, sort_key

MAX_BODY = 50_000


class NewsForm(BaseForm):
    title = StringField(
        _l("Title"),
        validators=[DataRequired(message=_l("Enter a title.")), Length(max=300)],
    )
    summary = TextAreaField(
        _l("Summary"),
        validators=[
            DataRequired(message=_l("Say in a few sentences what the news is about.")),
            Length(max=1000),
        ],
    )
    body = TextAreaField(
        _l("Text"),
        validators=[DataRequired(message=_l("Write the text of the news.")), Length(max=MAX_BODY)],
    )
    language = SelectField(
        _l("Language of the text"),
        choices=language_choices,
        validators=[InputRequired(message=_l("Choose the language the text is written in."))],
    )
    author_organisation_id = SelectField(
        _l("Published by"),
        coerce=optional_int,
        validators=[InputRequired(message=_l("Choose the organisation that publishes the news."))],
    )
    published_date = DateField(_l("Publication date"), validators=[Optional()])

    def set_author_choices(self, organisations) -> None:
        self.author_organisation_id.choices = [SelectChoice("", _l("Choose an organisation"))] + [
            SelectChoice(str(org.id), org.display_name) for org in organisations
        ]

    def values(self, author_organisation) -> dict:
        return dict(
            title=self.title.data,
            summary=self.summary.data,
            body=self.body.data,
            language=self.language.data,
            published_date=self.published_date.data,
            author_organisation=author_organisation,
        )


class NewsFilterForm(FilterForm):
    """The language filter of the list: a GET form, so no CSRF token."""

    language = SelectField(_l("Language"), validators=[Optional()])

    def set_choices(self, codes) -> None:
        """Offer the languages news is written in, and the one asked for."""
        wanted = self.language.data if self.language.data in LANGUAGE_CODES else None
        names = {code: language_name(code) for code in {*codes, wanted} - {None}}
        self.language.choices = [SelectChoice("", _l("Any language"))] + [
            SelectChoice(code, names[code])
            for code in sorted(names, key=lambda c: sort_key(names[c]))
        ]

    def chosen_language(self) -> str | None:
        """The language asked for, or None for a value that is not a language."""
        value = self.language.data
        return value if value in LANGUAGE_CODES else None
