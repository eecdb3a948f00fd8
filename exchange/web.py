"""Helpers shared by the views of every blueprint."""

from flask import flash, redirect, request
from flask_babel import lazy_gettext as _l

from exchange.db import db
from exchange.domain import DomainError
from exchange.main.forms import EmptyForm
from exchange.security import require

TOO_MANY_EMAIL_REQUESTS = _l(
    "We have sent many e-mails for requests like this one in the last hour. "
    "Please wait an hour and try again."
)

# No list will ever have this many pages; larger numbers are refused before any query.
MAX_PAGE = 10_000


def page_number() -> int:
    """Read ?page=; garbage means page 1, numbers out of range answer 404."""
    page = request.args.get("page", 1, type=int)
    require(1 <= page <= MAX_PAGE)
    return page


def run_button_action(action, success_message: str, back_to):
    """Handle a POST button: check its CSRF form, run one service, commit, say what happened.

    `back_to` is the URL to return to, or a function that gives it once the action ran.
    """
    if EmptyForm().validate_on_submit():
        try:
            action()
        except DomainError as error:
            flash(str(error.message), "error")
        else:
            db.session.commit()
            flash(success_message, "success")
    return redirect(back_to() if callable(back_to) else back_to)
