"""What practices, resources and news share: the language a text is written in."""

from flask_babel import lazy_gettext as _l

from exchange.organisations.forms import LANGUAGE_CODES, language_choices

__all__ = ["LANGUAGE_CODES", "language_choices", "LANGUAGE_HINT"]

LANGUAGE_HINT = _l(
    "The language the text is written in, so that readers find texts in a language they read."
)
