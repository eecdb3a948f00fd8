"""Logging in and out, throttling, and ending every session of a user."""

import uuid

import pytest

from tests import factories

REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture
def user(db):
    user = factories.make_user(email="coordinator@jelgava.example", name="Ilze Berzina")
    db.session.commit()
    return user


def is_logged_in(client) -> bool:
    return "Log out" in client.get("/").get_data(as_text=True)


def test_login_with_the_right_password(client, user, login_as, db):
    response = login_as(user)
    assert response.status_code == 302
    assert is_logged_in(client)
    db.session.refresh(user)
    assert user.last_login_dt is not None


def test_email_is_case_insensitive_at_login(client, user, login_as):
    login_as("  Coordinator@Jelgava.EXAMPLE ")
    assert is_logged_in(client)


def test_wrong_password_and_unknown_email_get_the_same_answer(client, user):
    wrong = client.post("/login", data={"email": user.email, "password": "wrong password 123"})
    unknown = client.post("/login", data={"email": "nobody@nowhere.example", "password": "x" * 12})
    message = "The e-mail address or the password is not right."
    assert message in wrong.get_data(as_text=True)
    assert message in unknown.get_data(as_text=True)
    assert wrong.status_code == unknown.status_code == 200
    assert 'value="coordinator@jelgava.example"' in wrong.get_data(as_text=True)
    assert not is_logged_in(client)


def test_deactivated_user_cannot_log_in(client, user, login_as, db):
    user.is_active_account = False
    db.session.commit()
    login_as(user)
    assert not is_logged_in(client)


def test_login_is_throttled_per_account(client, user, make_app):
    for _ in range(10):
        client.post("/login", data={"email": user.email, "password": "wrong password 123"})
    response = client.post("/login", data={"email": user.email, "password": factories.PASSWORD})
    assert response.status_code == 429
    assert "Too many attempts" in response.get_data(as_text=True)
    assert not is_logged_in(client)


def test_login_is_throttled_per_address(make_app, user):
    client = make_app(LOGIN_LIMIT_PER_ADDRESS="3 per 15 minutes").test_client()
    for n in range(3):
        client.post("/login", data={"email": f"guess{n}@x.example", "password": "p" * 12})
    response = client.post("/login", data={"email": user.email, "password": factories.PASSWORD})
    assert response.status_code == 429


def test_a_successful_login_forgets_earlier_failures(client, user):
    for _ in range(9):
        client.post("/login", data={"email": user.email, "password": "wrong password 123"})
    client.post("/login", data={"email": user.email, "password": factories.PASSWORD})
    client.post("/logout")
    for _ in range(9):
        client.post("/login", data={"email": user.email, "password": "wrong password 123"})
    response = client.post("/login", data={"email": user.email, "password": factories.PASSWORD})
    assert response.status_code == 302


@pytest.fixture
def redis_prefix():
    """A key prefix of our own on the machine's Redis, deleted afterwards."""
    redis = pytest.importorskip("redis")
    connection = redis.Redis.from_url(REDIS_URL)
    try:
        connection.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"no Redis answers at {REDIS_URL}")
    prefix = f"cx-test-{uuid.uuid4().hex}"
    yield prefix
    for key in connection.scan_iter(f"*{prefix}*"):
        connection.delete(key)
    connection.close()


def test_throttling_in_redis_is_shared_by_every_app_server(make_app, user, redis_prefix):
    settings = {"RATELIMIT_STORAGE_URI": REDIS_URL, "RATELIMIT_KEY_PREFIX": redis_prefix}
    server_a, server_b = make_app(**settings).test_client(), make_app(**settings).test_client()
    for server in (server_a, server_b) * 5:
        server.post("/login", data={"email": user.email, "password": "wrong password 123"})
    response = server_a.post("/login", data={"email": user.email, "password": factories.PASSWORD})
    assert response.status_code == 429


def test_safe_next_redirects_only_within_the_site(client, user):
    data = {"email": user.email, "password": factories.PASSWORD}
    assert (
        client.post("/login", data={**data, "next": "/account"}).headers["Location"] == "/account"
    )
    for evil in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        client.post("/logout")
        assert client.post("/login", data={**data, "next": evil}).headers["Location"] == "/"


def test_login_page_keeps_next_from_the_gate(client, user):
    response = client.get("/account")
    assert response.headers["Location"] == "/login?next=/account"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'value="/account"' in page


def test_logout_ends_every_session_including_a_copied_cookie(app, user, login_as):
    laptop, phone = app.test_client(), app.test_client()
    login_as(user, the_client=laptop)
    login_as(user, the_client=phone)
    stolen = laptop.get_cookie("session").value

    laptop.post("/logout")

    assert not is_logged_in(laptop)
    assert not is_logged_in(phone)
    thief = app.test_client()
    thief.set_cookie("session", stolen)
    assert not is_logged_in(thief)


def test_remember_me_cookie_is_revoked_by_logout(app, user):
    laptop = app.test_client()
    laptop.post(
        "/login", data={"email": user.email, "password": factories.PASSWORD, "remember": "y"}
    )
    remember = laptop.get_cookie("remember_token")
    assert remember is not None and remember.http_only
    other = app.test_client()
    other.set_cookie("remember_token", remember.value)
    assert is_logged_in(other)

    laptop.post("/logout")

    replay = app.test_client()
    replay.set_cookie("remember_token", remember.value)
    assert not is_logged_in(replay)


def test_session_cookie_flags(app, user):
    client = app.test_client()
    response = client.post("/login", data={"email": user.email, "password": factories.PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_production_cookies_are_secure(make_app, monkeypatch):
    monkeypatch.delenv("SESSION_COOKIE_SECURE", raising=False)
    from exchange.config import from_environment

    assert from_environment("/tmp")["SESSION_COOKIE_SECURE"] is True


def test_a_hash_made_with_weaker_parameters_is_upgraded_at_login(client, db):
    from argon2 import PasswordHasher

    weak = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1)
    user = factories.make_user(password_hash=weak.hash(factories.PASSWORD))
    client.post("/login", data={"email": user.email, "password": factories.PASSWORD})
    db.session.refresh(user)
    assert user.password_hash.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
