"""One record per form, however often it is sent (a double click, a retry after a timeout).

A form that creates something carries a random token (`SubmissionField`). The view claims the
token in the transaction that creates the record and stores where the record is; a second
request with the same token finds the claim and is sent to the record instead of creating
another. Two requests at once: the unique key lets one claim win; the other waits for it
(PostgreSQL's unique index, SQLite's write lock) and is then sent to the same record.
"""

import datetime as dt
import re
import secrets

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column
from wtforms import HiddenField

from exchange.db import UTCDateTime, db, utcnow

_TOKEN = re.compile(r"^[0-9a-f]{32}$")


class Submission(db.Model):
    __tablename__ = "submissions"

    token: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    location: Mapped[str | None] = mapped_column(sa.String(500))
    created_dt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


def new_token() -> str:
    return secrets.token_hex(16)


class SubmissionField(HiddenField):
    """A hidden field with a fresh token each time the form is shown."""

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, default=new_token, **kwargs)


class AlreadySubmitted(Exception):
    """The form was sent before; `location` is where its record is."""

    def __init__(self, location: str | None):
        super().__init__(location)
        self.location = location


def claim(token: str | None, user) -> Submission | None:
    """Claim a form's token before creating its record. Raises AlreadySubmitted when it was
    claimed before; a missing or malformed token claims nothing (the form still works)."""
    if not token or not _TOKEN.match(token):
        return None
    _forget_old_tokens()
    if db.session.get(Submission, token, populate_existing=True) is not None:
        raise AlreadySubmitted(_location(token, user))
    submission = Submission(token=token, user_id=getattr(user, "id", None))
    try:
        with db.session.begin_nested():
            db.session.add(submission)
    except IntegrityError:  # the same form, sent at the same moment, won
        raise AlreadySubmitted(_location(token, user)) from None
    return submission


# A form is sent again within minutes, or after a night at most.
KEEP_TOKENS = dt.timedelta(days=2)


def _forget_old_tokens() -> None:
    db.session.execute(sa.delete(Submission).where(Submission.created_dt < utcnow() - KEEP_TOKENS))


def _location(token: str, user) -> str | None:
    """Where the record of a claimed token is; never somebody else's."""
    submission = db.session.get(Submission, token, populate_existing=True)
    if submission is None or submission.user_id != getattr(user, "id", None):
        return None
    return submission.location


def done(submission: Submission | None, location: str) -> None:
    """Store where the record made by a claimed submission is."""
    if submission is not None:
        submission.location = location
