"""Template globals and filters shared by every page."""

from flask import current_app
from flask_babel import format_date, format_datetime, format_decimal, get_locale

from exchange.content import LANGUAGE_HINT
from exchange.forms import MARKDOWN_HINT
from exchange.i18n import country_name, language_name, percent
from exchange.main.forms import EmptyForm, LanguageForm
from exchange.storage import file_summary
from exchange.themes import theme_label


def current_language() -> str:
    return str(get_locale() or "en")


def register_template_helpers(app) -> None:
    app.jinja_env.globals.update(
        current_language=current_language,
        languages=lambda: current_app.config["LANGUAGES"],
        country_name=country_name,
        language_name=language_name,
        percent=percent,
        file_summary=file_summary,
        content_language_hint=LANGUAGE_HINT,
        markdown_hint=MARKDOWN_HINT,
        # Forms rendered by the layout never read the request body (it may be the
        # cause of an error page, e.g. 413).
        empty_form_factory=lambda: EmptyForm(formdata=None),
        language_form_factory=lambda: LanguageForm(formdata=None),
    )
    app.jinja_env.filters.update(
        date=format_date,
        datetime=format_datetime,
        number=format_decimal,
        theme=theme_label,
    )
