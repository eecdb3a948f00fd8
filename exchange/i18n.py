"""Which language and time zone a request is served in."""

from flask import current_app, request, session
from flask_login import current_user


def select_locale() -> str:
    """The user's choice, else the language chosen this session, else the browser's."""
    languages = current_app.config["LANGUAGES"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    chosen = session.get("locale")
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(list(languages)) or "en"


def select_timezone() -> str:
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]
