"""Flask-Login wiring: a login cookie holds the user id and their current session token."""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from exchange.accounts.models import User
from exchange.db import db


def load_user(cookie_id: str):
    """Return the user of a login cookie, or None when its session was ended."""
    user_id, _, session_token = cookie_id.partition(":")
    if not user_id.isdigit() or not session_token:
        return None
    user = db.session.scalar(
        sa.select(User).where(User.id == int(user_id), User.session_token == session_token)
    )
    if user is None or not user.is_active:
        return None
    return user


def init_login_manager(app, login_manager) -> None:
    login_manager.init_app(app)
    login_manager.user_loader(load_user)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.session_protection = "basic"
