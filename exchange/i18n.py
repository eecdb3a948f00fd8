"""Which language and time zone a request is served in."""

from babel import Locale
from flask import current_app, has_request_context, request, session
from flask_babel import format_percent, get_locale
from flask_login import current_user


def select_locale() -> str:
    """The user's choice, else the language chosen this session, else the browser's.
    Outside a request (commands, the mail worker) the default language."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    chosen = session.get("locale")
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(list(languages)) or "en"


def select_timezone() -> str:
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]


def reader_locale() -> Locale:
    """The Babel locale of the current reader."""
    return Locale.parse(str(get_locale() or "en"))


def country_name(code: str | None) -> str:
    """The name of an ISO 3166 country code in the reader's language."""
    return reader_locale().territories.get(code, code) if code else ""


def language_name(code: str) -> str:
    """The name of an ISO 639 language code in the reader's language."""
    return reader_locale().languages.get(code, code)


def percent(value: float) -> str:
    """A share of 0-100 as a percentage in the reader's locale (35.5 -> "35,5 %" in French)."""
    return format_percent(value / 100, "#,##0.#%")
