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


def password_needs_rehash(password_hash: str) -> bool:
    """Was this hash made with weaker parameters than today's?"""
    return _hasher.check_needs_rehash(password_hash)


def password_problem(password: str, user_inputs: tuple[str, ...] = ()) -> str | None:
    """Return why a new password is not acceptable, or None when it is."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return _l("Use at least %(n)d characters.", n=MIN_PASSWORD_LENGTH)
    if len(password) > MAX_PASSWORD_LENGTH:
        return _l("Use at most %(n)d characters.", n=MAX_PASSWORD_LENGTH)
    words = _personal_words(user_inputs)
    if _is_built_from(password, words):
        return _l("Do not build your password from your name or e-mail address.")
    # zxcvbn refuses passwords over 72 characters; a long passphrase is judged by its start.
    result = zxcvbn(password[:72], user_inputs=sorted(words))
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
    if (
        not target
        or not target.startswith("/")
        or target.startswith("//")
        or "\\" in target
        or any(ord(c) < 32 or ord(c) == 127 for c in target)
        or urlsplit(target).netloc
    ):
        return url_for(fallback_endpoint)
    return target


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


# Which setting holds the limit of each kind of attempt.
THROTTLED = {
    "login-account": "LOGIN_LIMIT_PER_ACCOUNT",
    "login-address": "LOGIN_LIMIT_PER_ADDRESS",
    "mail-address": "MAIL_LIMIT_PER_ADDRESS",
    "mail-recipient": "MAIL_LIMIT_PER_RECIPIENT",
}


class Throttle:
    """Count attempts (logins, requests that send e-mail) per key, in memory or in Redis.

    Built on `limits`, the engine of Flask-Limiter, used directly: keys come from the
    submitted form (the account, the recipient), and each app keeps its own storage
    (Flask-Limiter keeps it on the global extension object, shared by every app).
    """

    def __init__(self, config):
        self.storage = storage_from_string(config["RATELIMIT_STORAGE_URI"])
        self.strategy = FixedWindowRateLimiter(self.storage)
        self.prefix = config["RATELIMIT_KEY_PREFIX"]
        self.limits = {kind: parse(config[setting]) for kind, setting in THROTTLED.items()}

    def hit(self, kind: str, key: str) -> bool:
        """Count one attempt; False once this key is over its limit."""
        return self.strategy.hit(self.limits[kind], self.prefix, kind, key)

    def clear(self, kind: str, key: str) -> None:
        self.strategy.clear(self.limits[kind], self.prefix, kind, key)


def init_throttle(app) -> None:
    app.extensions["throttle"] = Throttle(app.config)


def _throttle() -> Throttle:
    return current_app.extensions["throttle"]


def _address() -> str:
    return request.remote_addr or "unknown"


def login_attempt_allowed(email: str) -> bool:
    """Count a login attempt on this account and from this address."""
    account_ok = _throttle().hit("login-account", email.strip().lower())
    address_ok = _throttle().hit("login-address", _address())
    return account_ok and address_ok


def reset_login_attempts(email: str) -> None:
    """Forget the failed attempts on an account after a successful login."""
    _throttle().clear("login-account", email.strip().lower())


def email_request_allowed(recipient: str | None = None) -> bool:
    """Count a request that makes us send e-mail, from this address and to this recipient,
    so that nobody can use the platform to flood an inbox."""
    address_ok = _throttle().hit("mail-address", _address())
    recipient_ok = recipient is None or _throttle().hit("mail-recipient", recipient.lower())
    return address_ok and recipient_ok
