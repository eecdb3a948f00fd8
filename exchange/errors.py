"""Error pages: a clear message in the reader's language, never a stack trace."""

import logging

from flask import render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from exchange.db import db

log = logging.getLogger(__name__)

MESSAGES = {
    400: (_l("Bad request"), _l("The request could not be understood.")),
    403: (_l("Not allowed"), _l("You do not have permission to do this.")),
    404: (_l("Page not found"), _l("This page does not exist, or you do not have access to it.")),
    405: (_l("Not allowed"), _l("This address cannot be used that way.")),
    413: (_l("Too large"), _l("What you sent is larger than the 10 MB we accept.")),
    429: (_l("Too many attempts"), _l("Please wait a few minutes before you try again.")),
    500: (
        _l("Something went wrong"),
        _l("An unexpected error happened on our side. Nothing was saved. Please try again."),
    ),
    503: (_l("Unavailable"), _l("The service is temporarily unavailable. Please try again soon.")),
}

CSRF_MESSAGE = _l(
    "The form had expired or did not come from this site, so nothing was saved. "
    "Go back, reload the page and send the form again."
)


def render_error(status: int, message=None):
    title, default_message = MESSAGES.get(status, MESSAGES[500])
    if request.path.startswith("/healthz"):
        return {"status": "error"}, status
    return render_template(
        "errors/error.html", status=status, title=title, message=message or default_message
    ), status


def handle_http_error(error: HTTPException):
    return render_error(error.code or 500)


def handle_csrf_error(_error: CSRFError):
    return render_error(400, CSRF_MESSAGE)


def handle_server_error(error):
    db.session.rollback()
    log.exception("unhandled error on %s %s", request.method, request.path, exc_info=error)
    return render_error(500)


def register_errorhandlers(app) -> None:
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Exception, handle_server_error)
