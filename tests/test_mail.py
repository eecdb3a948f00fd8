"""The outbox: written with the change, sent by `flask mail send`, retried with backoff."""

import datetime as dt
import smtplib

import pytest
import sqlalchemy as sa

from exchange.db import db as _db
from exchange.db import utcnow
from exchange.extensions import mail
from exchange.mail import OutboxMessage, OutboxStatus, queue_email, retry_delay, send_pending
from tests import factories


@pytest.fixture
def queued(db):
    user = factories.make_user(locale="fr")
    message = queue_email(
        user.email,
        "Subject",
        "confirm_email",
        locale="fr",
        user=user,
        link="http://city-exchange.test/confirm/abc",
    )
    db.session.commit()
    return message


def test_queued_mail_is_rendered_in_the_recipients_language(queued):
    assert "http://city-exchange.test/confirm/abc" in queued.text
    assert '<a href="http://city-exchange.test/confirm/abc">' in queued.html
    assert queued.status == OutboxStatus.PENDING


def test_nothing_is_queued_when_the_transaction_rolls_back(db):
    user = factories.make_user()
    queue_email(user.email, "Subject", "confirm_email", user=user, link="x")
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 0


def test_send_pending_delivers_and_marks_sent(app, queued):
    with mail.record_messages() as sent:
        assert send_pending() == (1, 0)
    assert [m.recipients for m in sent] == [[queued.recipient]]
    _db.session.refresh(queued)
    assert queued.status == OutboxStatus.SENT and queued.sent_dt is not None
    assert send_pending() == (0, 0)


def test_a_failure_is_retried_later_with_backoff(app, queued, monkeypatch):
    def refuse(message):
        raise smtplib.SMTPServerDisconnected("connection closed")

    monkeypatch.setattr(mail, "send", refuse)
    now = utcnow()
    assert send_pending(now) == (0, 1)
    _db.session.refresh(queued)
    assert queued.status == OutboxStatus.PENDING
    assert queued.attempts == 1
    assert "SMTPServerDisconnected" in queued.last_error
    assert queued.next_attempt_dt == now + dt.timedelta(minutes=1)
    assert send_pending(now) == (0, 0)  # not due yet

    monkeypatch.undo()
    with mail.record_messages() as sent:
        assert send_pending(now + dt.timedelta(minutes=2)) == (1, 0)
    assert len(sent) == 1


def test_gives_up_after_the_maximum_attempts(app, queued, monkeypatch):
    monkeypatch.setattr(mail, "send", lambda m: (_ for _ in ()).throw(OSError("down")))
    app.config["MAIL_MAX_ATTEMPTS"] = 2
    try:
        send_pending(utcnow())
        send_pending(utcnow() + dt.timedelta(hours=1))
    finally:
        app.config["MAIL_MAX_ATTEMPTS"] = 8
    _db.session.refresh(queued)
    assert queued.status == OutboxStatus.FAILED and queued.attempts == 2


def test_backoff_doubles_up_to_six_hours():
    assert [retry_delay(n).total_seconds() / 60 for n in (1, 2, 3, 4)] == [1, 2, 4, 8]
    assert retry_delay(20) == dt.timedelta(hours=6)


def test_mail_send_command(app, queued):
    runner = app.test_cli_runner()
    with mail.record_messages() as sent:
        result = runner.invoke(args=["mail", "send"])
    assert result.exit_code == 0, result.output
    assert "sent 1, failed 0" in result.output
    assert len(sent) == 1


def test_mail_list_shows_pending_messages_with_their_links(app, queued):
    result = app.test_cli_runner().invoke(args=["mail", "list"])
    assert result.exit_code == 0, result.output
    assert f"pending to {queued.recipient}: Subject" in result.output
    assert "http://city-exchange.test/confirm/abc" in result.output
