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
from zxcvbn import zxcvbn

from exchange.extensions import limiter

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
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and "\\" not in target:
            if not target.startswith("//"):
                return target
    return url_for(fallback_endpoint)


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


def login_attempt_allowed(email: str) -> bool:
    """Count one login attempt for this account and this address; False once either is over."""
    config = current_app.config
    checks = [
        (parse(config["LOGIN_LIMIT_PER_ACCOUNT"]), "login-account", email.strip().lower()),
        (parse(config["LOGIN_LIMIT_PER_ADDRESS"]), "login-address", request.remote_addr or "?"),
    ]
    strategy = limiter.limiter
    allowed = True
    for limit, scope, key in checks:
        allowed = strategy.hit(limit, scope, key) and allowed
    return allowed


def reset_login_attempts(email: str) -> None:
    """Forget the failed attempts on an account after a successful login."""
    limit = parse(current_app.config["LOGIN_LIMIT_PER_ACCOUNT"])
    limiter.limiter.clear(limit, "login-account", email.strip().lower())
