"""Everything that changes accounts: registration, tokens, passwords, e-mail, profile.

Services flush, write audit events and queue e-mail; the view commits once.
"""

import datetime as dt
import logging

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from exchange import audit
from exchange.accounts.models import AccountToken, MemberRole, Membership, TokenPurpose, User
from exchange.db import db, utcnow
from exchange.domain import DomainError
from exchange.mail import external_url, notify, queue_email
from exchange.security import (
    hash_password,
    new_token,
    password_needs_rehash,
    token_hash,
    verify_password,
)

log = logging.getLogger(__name__)

TOKEN_MESSAGES = {
    "invalid": _l("This link is not valid. Check that you copied the whole link."),
    "expired": _l("This link has expired. Ask for a new one."),
    "used": _l("This link has already been used. Ask for a new one if you still need it."),
}


class TokenError(DomainError):
    def __init__(self, reason: str):
        super().__init__(TOKEN_MESSAGES[reason])
        self.reason = reason


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))


def ensure_email_free(email: str, field: str = "email") -> None:
    if find_user_by_email(email) is not None:
        raise DomainError(
            _l(
                "An account with this e-mail address already exists. Log in, or reset your "
                "password if you forgot it."
            ),
            field=field,
        )


def register_user(name: str, email: str, password: str, locale: str | None) -> User:
    """Create an account without an organisation and send the confirmation e-mail."""
    ensure_email_free(email)
    user = User(
        name=name.strip(),
        email=normalise_email(email),
        password_hash=hash_password(password),
        locale=locale,
    )
    db.session.add(user)
    db.session.flush()
    audit.record(user, "user.registered", user)
    send_email_confirmation(user)
    return user


def register_invited_user(name: str, email: str, password: str, locale: str | None) -> User:
    """Create an account for someone who followed an invitation link: the address is proven."""
    ensure_email_free(email)
    user = User(
        name=name.strip(),
        email=normalise_email(email),
        password_hash=hash_password(password),
        locale=locale,
        email_confirmed_dt=utcnow(),
    )
    db.session.add(user)
    db.session.flush()
    audit.record(user, "user.registered", user, invited=True)
    return user


def create_admin(email: str, name: str, password: str) -> User:
    """Create a confirmed administrator, or make an existing account one."""
    user = find_user_by_email(email)
    if user is None:
        user = User(
            email=normalise_email(email),
            name=name,
            password_hash=hash_password(password),
            email_confirmed_dt=utcnow(),
        )
        db.session.add(user)
    user.is_admin = True
    db.session.flush()
    audit.record(None, "user.admin_granted", user, is_admin=(False, True))
    return user


# Tokens sent by e-mail


def issue_token(user: User, purpose: TokenPurpose, new_email: str | None = None) -> str:
    """Store the hash of a new single-use token and return the token for the e-mail link."""
    hours = current_app.config["TOKEN_LIFETIME_HOURS"][purpose]
    raw = new_token()
    db.session.add(
        AccountToken(
            user=user,
            purpose=purpose,
            token_hash=token_hash(raw),
            new_email=new_email,
            expires_dt=utcnow() + dt.timedelta(hours=hours),
        )
    )
    return raw


def peek_token(raw: str, purpose: TokenPurpose, now: dt.datetime | None = None) -> AccountToken:
    """Return the token if it can still be used; raise TokenError saying why not."""
    token = db.session.scalar(
        sa.select(AccountToken).where(
            AccountToken.token_hash == token_hash(raw), AccountToken.purpose == purpose
        )
    )
    if token is None:
        raise TokenError("invalid")
    if token.used_dt is not None:
        raise TokenError("used")
    if (now or utcnow()) >= token.expires_dt:
        raise TokenError("expired")
    return token


def revoke_open_tokens(user: User, *purposes: TokenPurpose) -> None:
    """Make every unused link of these purposes that was sent to the user unusable."""
    db.session.execute(
        sa.update(AccountToken)
        .where(
            AccountToken.user_id == user.id,
            AccountToken.used_dt.is_(None),
            AccountToken.purpose.in_([p.value for p in purposes]),
        )
        .values(used_dt=utcnow())
        .execution_options(synchronize_session=False)
    )


def consume_token(raw: str, purpose: TokenPurpose, now: dt.datetime | None = None) -> AccountToken:
    token = peek_token(raw, purpose, now)
    token.used_dt = now or utcnow()
    return token


# E-mail confirmation


def send_email_confirmation(user: User) -> None:
    raw = issue_token(user, TokenPurpose.CONFIRM_EMAIL)
    notify(
        user,
        _l("Confirm your e-mail address"),
        "confirm_email",
        user=user,
        link=external_url("accounts.confirm_email", token=raw),
    )


def confirm_email(raw: str) -> User:
    token = consume_token(raw, TokenPurpose.CONFIRM_EMAIL)
    user = token.user
    if user.email_confirmed_dt is None:
        user.email_confirmed_dt = utcnow()
        audit.record(user, "user.email_confirmed", user)
    return user


# Log in and out


def authenticate(email: str, password: str) -> User | None:
    """Return the active user with these credentials, spending the same time otherwise."""
    user = find_user_by_email(email)
    is_valid = verify_password(user.password_hash if user else None, password)
    if not (user and is_valid and user.is_active):
        return None
    if password_needs_rehash(user.password_hash):  # stronger parameters since it was made
        user.password_hash = hash_password(password)
    return user


def record_login(user: User) -> None:
    user.last_login_dt = utcnow()
    audit.record(user, "user.logged_in", user)


def log_out_everywhere(user: User) -> None:
    user.end_all_sessions()
    audit.record(user, "user.logged_out", user)


# Passwords


def request_password_reset(email: str) -> None:
    """Send a reset link if an active account has this e-mail; otherwise do nothing, silently."""
    user = find_user_by_email(email)
    if user is None or not user.is_active:
        log.info("password reset asked for an unknown or inactive address")
        return
    raw = issue_token(user, TokenPurpose.RESET_PASSWORD)
    notify(
        user,
        _l("Reset your password"),
        "reset_password",
        user=user,
        link=external_url("accounts.reset_password", token=raw),
        hours=current_app.config["TOKEN_LIFETIME_HOURS"][TokenPurpose.RESET_PASSWORD],
    )
    audit.record(None, "user.password_reset_requested", user)


def reset_password(raw: str, new_password: str) -> User:
    token = consume_token(raw, TokenPurpose.RESET_PASSWORD)
    user = token.user
    _set_password(user, new_password)
    # The link proves the address is theirs.
    user.email_confirmed_dt = user.email_confirmed_dt or utcnow()
    audit.record(user, "user.password_reset", user)
    return user


def change_password(user: User, current_password: str, new_password: str) -> None:
    check_current_password(user, current_password)
    _set_password(user, new_password)
    audit.record(user, "user.password_changed", user)


def check_current_password(user: User, password: str, field: str = "current_password") -> None:
    if not verify_password(user.password_hash, password):
        raise DomainError(_l("This is not your current password."), field=field)


def _set_password(user: User, new_password: str) -> None:
    user.password_hash = hash_password(new_password)
    user.end_all_sessions()
    # A reset link e-mailed earlier must not take the account back.
    revoke_open_tokens(user, TokenPurpose.RESET_PASSWORD, TokenPurpose.CHANGE_EMAIL)
    notify(
        user,
        _l("Your password was changed"),
        "password_changed",
        user=user,
        link=external_url("accounts.reset_request"),
    )


# E-mail address and profile


def request_email_change(user: User, current_password: str, new_email: str) -> None:
    """Send a confirmation link to the new address; the change happens when it is followed."""
    check_current_password(user, current_password)
    if normalise_email(new_email) == user.email:
        raise DomainError(_l("This is already your e-mail address."), field="new_email")
    ensure_email_free(new_email, field="new_email")
    raw = issue_token(user, TokenPurpose.CHANGE_EMAIL, new_email=normalise_email(new_email))
    queue_email(
        normalise_email(new_email),
        _l("Confirm your new e-mail address"),
        "change_email",
        locale=user.locale,
        user=user,
        link=external_url("accounts.confirm_email", token=raw),
    )


def confirm_email_change(raw: str) -> User:
    token = consume_token(raw, TokenPurpose.CHANGE_EMAIL)
    user = token.user
    ensure_email_free(token.new_email)
    old_email = user.email
    user.email = token.new_email
    user.email_confirmed_dt = utcnow()
    revoke_open_tokens(user, *TokenPurpose)
    queue_email(
        old_email,
        _l("Your e-mail address was changed"),
        "email_changed",
        locale=user.locale,
        user=user,
        new_email=user.email,
    )
    audit.record(user, "user.email_changed", user, email=(old_email, user.email))
    return user


def set_locale(user: User, locale: str) -> None:
    """Keep the language chosen with the switch as the user's preferred language."""
    if user.locale != locale:
        audit.record(user, "user.profile_updated", user, locale=(user.locale, locale))
        user.locale = locale


def update_profile(user: User, name: str, locale: str | None) -> None:
    changes = {}
    if user.name != name.strip():
        changes["name"] = (user.name, name.strip())
        user.name = name.strip()
    if user.locale != locale:
        changes["locale"] = (user.locale, locale)
        user.locale = locale
    if changes:
        audit.record(user, "user.profile_updated", user, **changes)


# Membership (used by organisations and admin services)


def join_as(user: User, organisation, role: MemberRole, membership: Membership) -> None:
    user.organisation = organisation
    user.role = role
    user.membership = membership
