"""Passwords, tokens, safe redirects, security headers and login throttling."""

import hashlib
import re
import secrets
from urllib.parse import urlsplit

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import abort, current_app, request, url_for
from flask_babel import lazy_gettext as _l
from limits import parse
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter
from zxcvbn import zxcvbn

# OWASP Password Storage Cheat Sheet: Argon2id, 19 MiB of memory, 2 iterations, 1 lane.
_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 256
MIN_PASSWORD_SCORE = 3  # zxcvbn: 0 (guessable) to 4 (very unguessable)

# A hash to verify against when no user has the e-mail, so both answers take as long.
_DUMMY_HASH = _hasher.hash("no such user, constant time")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Check a password; without a hash, spend the same time and say no."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def password_problem(password: str, user_inputs: tuple[str, ...] = ()) -> str | None:
    """Return why a new password is not acceptable, or None when it is."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return _l("Use at least %(n)d characters.", n=MIN_PASSWORD_LENGTH)
    if len(password) > MAX_PASSWORD_LENGTH:
        return _l("Use at most %(n)d characters.", n=MAX_PASSWORD_LENGTH)
    words = _personal_words(user_inputs)
    if _is_built_from(password, words):
        return _l("Do not build your password from your name or e-mail address.")
    result = zxcvbn(password[:100], user_inputs=sorted(words))
    if result["score"] < MIN_PASSWORD_SCORE:
        return _l(
            "This password is too common or too easy to guess. "
            "Try a few unrelated words, such as a short sentence."
        )
    return None


def _personal_words(user_inputs: tuple[str, ...]) -> set[str]:
    """Split names and e-mail addresses into the words a password should not be made of."""
    words = set()
    for text in user_inputs:
        words.update(w for w in re.split(r"[^a-z]+", (text or "").lower()) if len(w) >= 3)
    return words


def _is_built_from(password: str, words: set[str]) -> bool:
    """Is the password (ignoring digits and punctuation) little more than these words?"""
    letters = re.sub(r"[^a-z]+", "", password.lower())
    for word in sorted(words, key=len, reverse=True):
        letters = letters.replace(word, "")
    return bool(words) and len(letters) < 4


def new_token() -> str:
    """Return a random token for an e-mail link."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """Hash a token for storage, so a leaked database holds no usable link."""
    return hashlib.sha256(token.encode()).hexdigest()


def safe_next(target: str | None, fallback_endpoint: str = "main.index") -> str:
    """Return `target` if it is a path on this site, else the fallback's URL."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return url_for(fallback_endpoint)
    parts = urlsplit(target)
    return url_for(fallback_endpoint) if parts.scheme or parts.netloc else target


def require(condition: bool, status: int = 404) -> None:
    """Stop the request unless `condition` holds: 404 by default, to reveal nothing."""
    if not condition:
        abort(status)


CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def add_security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if current_app.config.get("SESSION_COOKIE_SECURE"):
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    return response


class LoginThrottle:
    """Count login attempts per account and per address, in memory or in Redis.

    Built on `limits`, the engine of Flask-Limiter, used directly: the per-account key
    comes from the submitted form, and each app keeps its own storage (Flask-Limiter
    keeps it on the global extension object, shared by every app of the process).
    """

    def __init__(self, config):
        self.storage = storage_from_string(config["RATELIMIT_STORAGE_URI"])
        self.strategy = FixedWindowRateLimiter(self.storage)
        self.prefix = config["RATELIMIT_KEY_PREFIX"]
        self.per_account = parse(config["LOGIN_LIMIT_PER_ACCOUNT"])
        self.per_address = parse(config["LOGIN_LIMIT_PER_ADDRESS"])

    def hit(self, email: str, address: str) -> bool:
        """Count one attempt; False once the account or the address is over its limit."""
        account_ok = self.strategy.hit(self.per_account, self.prefix, "account", email)
        address_ok = self.strategy.hit(self.per_address, self.prefix, "address", address)
        return account_ok and address_ok

    def forget_account(self, email: str) -> None:
        self.strategy.clear(self.per_account, self.prefix, "account", email)


def init_login_throttle(app) -> None:
    app.extensions["login_throttle"] = LoginThrottle(app.config)


def login_attempt_allowed(email: str) -> bool:
    throttle = current_app.extensions["login_throttle"]
    return throttle.hit(email.strip().lower(), request.remote_addr or "unknown")


def reset_login_attempts(email: str) -> None:
    """Forget the failed attempts on an account after a successful login."""
    current_app.extensions["login_throttle"].forget_account(email.strip().lower())
