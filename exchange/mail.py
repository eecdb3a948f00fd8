"""E-mail through an outbox table: queued with the change that causes it, sent by a worker.

A message is written in the same transaction as the change, so nothing is sent for a
change that rolled back, and nothing is lost while the SMTP server is down:
`flask mail send` delivers what is pending and retries failures with backoff.
"""

import datetime as dt
import enum
import logging

import sqlalchemy as sa
from flask import current_app, render_template
from flask_babel import force_locale
from flask_mail import Message
from sqlalchemy.orm import Mapped, mapped_column

from exchange.db import UTCDateTime, db, utcnow
from exchange.extensions import mail

log = logging.getLogger(__name__)


class OutboxStatus(enum.StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"  # gave up after MAIL_MAX_ATTEMPTS


class OutboxMessage(db.Model):
    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(sa.String(254))
    subject: Mapped[str] = mapped_column(sa.String(300))
    text: Mapped[str] = mapped_column(sa.Text)
    html: Mapped[str | None] = mapped_column(sa.Text)
    status: Mapped[str] = mapped_column(sa.String(16), default=OutboxStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_dt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    created_dt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_dt: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (sa.Index("ix_outbox_messages_due", "status", "next_attempt_dt"),)


def external_url(endpoint: str, **values) -> str:
    """Return an absolute URL under BASE_URL, inside or outside a request."""
    adapter = current_app.url_map.bind("localhost")
    path = adapter.build(endpoint, values)
    return current_app.config["BASE_URL"].rstrip("/") + path


def queue_email(recipient: str, subject, template: str, locale: str | None = None, **context):
    """Render `template` (.txt and .html) in the recipient's language and add it to the outbox.

    `subject` may be a lazy string: it is translated in the recipient's language too.
    """
    with force_locale(locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        message = OutboxMessage(
            recipient=recipient,
            subject=" ".join(str(subject).split()),  # one line, whatever names it holds
            text=render_template(f"email/{template}.txt", **context),
            html=render_template(f"email/{template}.html", **context),
        )
    db.session.add(message)
    return message


def recent_messages(limit: int) -> list[OutboxMessage]:
    """Return the newest messages of the outbox, newest first."""
    query = sa.select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(limit)
    return list(db.session.scalars(query))


def notify(recipient, subject, template: str, /, **context):
    """Queue an e-mail to a user, in the language they chose."""
    return queue_email(recipient.email, subject, template, locale=recipient.locale, **context)


def retry_delay(attempts: int) -> dt.timedelta:
    """Back off exponentially: 1, 2, 4, ... minutes, at most six hours."""
    return dt.timedelta(minutes=min(2 ** (attempts - 1), 360))


def claim_due_messages(now: dt.datetime, limit: int = 50) -> list[OutboxMessage]:
    """Select due messages, locking them on PostgreSQL so several workers never send one twice."""
    query = (
        sa.select(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.next_attempt_dt <= now)
        .order_by(OutboxMessage.id)
        .limit(limit)
    )
    if db.engine.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return list(db.session.scalars(query))


def deliver(message: OutboxMessage, now: dt.datetime) -> bool:
    """Try to send one message and record the outcome; never raises for SMTP errors."""
    message.attempts += 1
    try:
        mail.send(
            Message(
                subject=message.subject,
                recipients=[message.recipient],
                body=message.text,
                html=message.html,
            )
        )
    except Exception as exc:  # SMTP and socket errors alike: retry later
        message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        if message.attempts >= current_app.config["MAIL_MAX_ATTEMPTS"]:
            message.status = OutboxStatus.FAILED
            _forget_body(message)
        else:
            message.next_attempt_dt = now + retry_delay(message.attempts)
        log.warning(
            "mail %s to %s failed (attempt %s): %s",
            message.id,
            message.recipient,
            message.attempts,
            message.last_error,
        )
        return False
    message.status = OutboxStatus.SENT
    message.sent_dt = now
    message.last_error = None
    _forget_body(message)
    return True


def _forget_body(message: OutboxMessage) -> None:
    """Keep who got what subject when, not the text: it may hold a working link."""
    message.text = ""
    message.html = None


def send_pending(now: dt.datetime | None = None) -> tuple[int, int]:
    """Send every due message, committing after each one; return (sent, failed)."""
    sent = failed = 0
    while True:
        batch = claim_due_messages(now or utcnow(), limit=1)
        if not batch:
            db.session.commit()
            return sent, failed
        if deliver(batch[0], now or utcnow()):
            sent += 1
        else:
            failed += 1
        db.session.commit()
