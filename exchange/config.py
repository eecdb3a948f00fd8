"""Configuration, read from the environment in one place."""

import os
from pathlib import Path

INSECURE_SECRET_KEYS = {"", "dev", "change-me", "secret"}


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def from_environment(instance_path: str) -> dict:
    """Return the settings the environment gives, with defaults for local use."""
    sqlite_path = Path(instance_path) / "city-exchange.sqlite3"
    debug = _env_bool("FLASK_DEBUG")
    return {
        # "production" unless this machine says otherwise: demo data is refused there.
        "ENVIRONMENT": os.environ.get("CITY_EXCHANGE_ENV", "production"),
        "SECRET_KEY": os.environ.get("SECRET_KEY", ""),
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(
            os.environ.get("DATABASE_URL") or f"sqlite:///{sqlite_path}"
        ),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "BASE_URL": os.environ.get("BASE_URL", "http://127.0.0.1:5000"),
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", "localhost"),
        "MAIL_PORT": _env_int("MAIL_PORT", 25),
        "MAIL_USE_TLS": _env_bool("MAIL_USE_TLS"),
        "MAIL_USE_SSL": _env_bool("MAIL_USE_SSL"),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME"),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD"),
        "MAIL_DEFAULT_SENDER": os.environ.get(
            "MAIL_DEFAULT_SENDER", "City Exchange <no-reply@city-exchange.example>"
        ),
        "CONTACT_EMAIL": os.environ.get("CONTACT_EMAIL", "contact@city-exchange.example"),
        "MAIL_MAX_ATTEMPTS": _env_int("MAIL_MAX_ATTEMPTS", 8),
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_KEY_PREFIX": os.environ.get("RATELIMIT_KEY_PREFIX", "city-exchange"),
        "LOGIN_LIMIT_PER_ACCOUNT": os.environ.get("LOGIN_LIMIT_PER_ACCOUNT", "10 per 15 minutes"),
        "LOGIN_LIMIT_PER_ADDRESS": os.environ.get("LOGIN_LIMIT_PER_ADDRESS", "50 per 15 minutes"),
        "SESSION_COOKIE_SECURE": _env_bool("SESSION_COOKIE_SECURE", default=not debug),
        "REMEMBER_COOKIE_SECURE": _env_bool("SESSION_COOKIE_SECURE", default=not debug),
        "MAIL_LIMIT_PER_ADDRESS": os.environ.get("MAIL_LIMIT_PER_ADDRESS", "30 per hour"),
        "MAIL_LIMIT_PER_RECIPIENT": os.environ.get("MAIL_LIMIT_PER_RECIPIENT", "5 per hour"),
        # How many proxies in front of the app set X-Forwarded-For/-Proto (0: none).
        "PROXY_FIX_HOPS": _env_int("PROXY_FIX_HOPS", 0),
        "LOG_LEVEL": os.environ.get("LOG_LEVEL", "INFO"),
    }


DEFAULTS = {
    "SQLALCHEMY_TRACK_MODIFICATIONS": False,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_NAME": "remember_token",
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "MAX_CONTENT_LENGTH": 10 * 1024 * 1024,
    "WTF_CSRF_TIME_LIMIT": None,
    "BABEL_DEFAULT_LOCALE": "en",
    "BABEL_DEFAULT_TIMEZONE": "Europe/Brussels",
    "LANGUAGES": {"en": "English", "nl": "Nederlands", "fr": "Français"},
    "TOKEN_LIFETIME_HOURS": {"confirm_email": 48, "reset_password": 2, "change_email": 48},
    "INVITATION_LIFETIME_DAYS": 14,
    "PAGE_SIZE": 20,
    # Health of active pairings (exchange/pairings/health.py): days since the last held
    # activity, or since confirmation before the first one, and overdue actions.
    "HEALTH_AMBER_AFTER_DAYS": 45,
    "HEALTH_RED_AFTER_DAYS": 90,
    "HEALTH_AMBER_OVERDUE": 1,
    "HEALTH_RED_OVERDUE": 3,
    "DEMO_PASSWORD": "city-exchange-demo",
}


def normalise_database_url(url: str) -> str:
    """Point PostgreSQL URLs at the psycopg 3 driver, as Heroku-style URLs do not."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def check_secret_key(app) -> None:
    """Refuse to run in production with a missing or well-known secret key."""
    if app.debug or app.testing:
        if not app.config["SECRET_KEY"]:
            app.config["SECRET_KEY"] = "insecure-key-for-development-only"
        return
    key = app.config.get("SECRET_KEY") or ""
    if key in INSECURE_SECRET_KEYS or len(key) < 24:
        raise RuntimeError(
            "SECRET_KEY is missing or too weak. Set SECRET_KEY to a random value of at "
            "least 24 characters (python -c 'import secrets; print(secrets.token_hex(32))')."
        )
