from flask import current_app
from flask_babel import lazy_gettext as _l
from wtforms import EmailField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional

from exchange.forms import BaseForm


class EmptyForm(BaseForm):
    """A form with only the CSRF token, for POST buttons."""


def language_choices() -> list[tuple[str, str]]:
    return list(current_app.config["LANGUAGES"].items())


class LanguageForm(BaseForm):
    language = SelectField(choices=language_choices)
    next = HiddenField()


class BarrierReportForm(BaseForm):
    """Report an accessibility barrier (EU Web Accessibility Directive, feedback mechanism)."""

    page = StringField(_l("Page or feature"), validators=[Optional(), Length(max=300)])
    description = TextAreaField(
        _l("What did not work for you?"), validators=[DataRequired(), Length(max=5000)]
    )
    email = EmailField(
        _l("Your e-mail address, if you want an answer"),
        validators=[
            Optional(),
            Email(message=_l("Enter an e-mail address like name@city.eu.")),
            Length(max=254),
        ],
        render_kw={"autocomplete": "email"},
    )
