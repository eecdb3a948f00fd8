"""Changes made from the general pages."""

from flask import current_app
from flask_babel import lazy_gettext as _l

from exchange.mail import queue_email


def report_barrier(page: str, description: str, reply_to: str | None, user) -> None:
    """Send an accessibility barrier report to the contact address, through the outbox."""
    queue_email(
        current_app.config["CONTACT_EMAIL"],
        _l("Accessibility barrier reported"),
        "barrier_report",
        page=page,
        description=description,
        reply_to=reply_to,
        user_name=getattr(user, "name", None),
        user_email=getattr(user, "email", None),
    )
