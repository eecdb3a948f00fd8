"""Users and the single-use tokens sent to them by e-mail."""

import datetime as dt
import enum
import secrets

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from exchange.db import UTCDateTime, db, utcnow
from exchange.organisations.models import OFFICER_KINDS, Organisation


class MemberRole(enum.StrEnum):
    COORDINATOR = "coordinator"
    PARTICIPANT = "participant"


class Membership(enum.StrEnum):
    NONE = "none"  # no organisation chosen yet, or removed from it
    PENDING = "pending"  # asked to join; waits for a coordinator
    APPROVED = "approved"


ROLE_LABELS = {
    MemberRole.COORDINATOR: _l("Coordinator"),
    MemberRole.PARTICIPANT: _l("Participant"),
}


def new_session_token() -> str:
    return secrets.token_urlsafe(24)


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="SET NULL"), index=True
    )
    role: Mapped[str] = mapped_column(sa.String(16), default=MemberRole.PARTICIPANT)
    membership: Mapped[str] = mapped_column(sa.String(16), default=Membership.NONE)
    is_admin: Mapped[bool] = mapped_column(default=False)
    is_active_account: Mapped[bool] = mapped_column("is_active", default=True)
    locale: Mapped[str | None] = mapped_column(sa.String(8))
    email_confirmed_dt: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    last_login_dt: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    created_dt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Part of the login cookie; replaced to end every session of this user at once.
    session_token: Mapped[str] = mapped_column(sa.String(64), default=new_session_token)

    organisation: Mapped[Organisation | None] = relationship(back_populates="members")

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email!r}>"

    # Flask-Login: the cookie names the user *and* the current session token.
    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    @property
    def is_active(self) -> bool:
        return self.is_active_account

    @property
    def is_email_confirmed(self) -> bool:
        return self.email_confirmed_dt is not None

    @property
    def is_approved_member(self) -> bool:
        return self.organisation_id is not None and self.membership == Membership.APPROVED

    @property
    def is_pending_member(self) -> bool:
        return self.organisation_id is not None and self.membership == Membership.PENDING

    @property
    def is_coordinator(self) -> bool:
        return self.is_approved_member and self.role == MemberRole.COORDINATOR

    @property
    def is_officer(self) -> bool:
        """Is this user an officer of an association (a member of an association)?"""
        return self.is_approved_member and self.organisation.kind in OFFICER_KINDS

    @property
    def role_label(self) -> str:
        return str(ROLE_LABELS.get(self.role, self.role))

    def end_all_sessions(self) -> None:
        """Invalidate every login cookie of this user, including copies of it."""
        self.session_token = new_session_token()


class TokenPurpose(enum.StrEnum):
    CONFIRM_EMAIL = "confirm_email"
    RESET_PASSWORD = "reset_password"
    CHANGE_EMAIL = "change_email"


class AccountToken(db.Model):
    """A single-use, expiring token sent by e-mail; only its hash is stored."""

    __tablename__ = "account_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(sa.String(32))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    new_email: Mapped[str | None] = mapped_column(sa.String(254))
    created_dt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_dt: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    used_dt: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()
