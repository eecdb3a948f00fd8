"""Fixtures: an app on a fresh database (SQLite, or PostgreSQL with TEST_DATABASE_URL),
a client, the outbox, and log-in through the real form."""

import os
import re
import secrets
import uuid

import pytest
import sqlalchemy as sa
from flask import has_app_context
from flask.testing import FlaskClient
from flask_migrate import upgrade

from exchange import create_app
from exchange.db import db as _db
from exchange.mail import OutboxMessage
from tests import factories

BASE_CONFIG = {
    "TESTING": True,
    "SECRET_KEY": "test-secret-key-that-is-long-enough",
    "WTF_CSRF_ENABLED": False,
    "ENVIRONMENT": "development",
    "BASE_URL": "http://city-exchange.test",
    "RATELIMIT_STORAGE_URI": "memory://",
    "SESSION_COOKIE_SECURE": False,
    "REMEMBER_COOKIE_SECURE": False,
    "MAIL_SUPPRESS_SEND": True,
    "SERVER_NAME": None,
}


def _postgres_admin_url(url: str) -> sa.URL:
    parsed = sa.make_url(url)
    return parsed.set(drivername="postgresql+psycopg")


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    """A fresh database for this test run, dropped at the end."""
    server_url = os.environ.get("TEST_DATABASE_URL")
    if not server_url:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
        return
    base = _postgres_admin_url(server_url)
    name = f"cx_test_{uuid.uuid4().hex[:12]}"
    admin_engine = sa.create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin_engine.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    yield base.set(database=name).render_as_string(hide_password=False)
    with admin_engine.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin_engine.dispose()


@pytest.fixture(scope="session")
def base_config(database_url):
    return {**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": database_url}


class FreshContextClient(FlaskClient):
    """Serve each request in its own app context, as in production.

    Flask reuses an app context that is already pushed, and the `app` fixture pushes one
    for the test's own database work; without this, requests would share `g`, the
    logged-in user and the database session with the test and with each other.
    """

    def open(self, *args, **kwargs):
        # The test's own changes become visible to the request, and the test's read
        # transaction ends so that it sees what the request changed (SQLite snapshots).
        if has_app_context():
            _db.session.commit()
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture(scope="session")
def _migrated_app(base_config):
    app = create_app(base_config)
    app.test_client_class = FreshContextClient
    with app.app_context():
        upgrade()
    yield app
    with app.app_context():
        _db.engine.dispose()


def _empty_all_tables(app) -> None:
    with app.app_context():
        _db.session.remove()
        with _db.engine.begin() as conn:
            for table in reversed(_db.metadata.sorted_tables):
                conn.execute(table.delete())
            if conn.dialect.name == "sqlite":  # the search table is not a model's
                conn.execute(sa.text("DELETE FROM practice_search"))


@pytest.fixture
def app(_migrated_app):
    """The app, inside an app context, on empty tables; emptied again afterwards."""
    app = _migrated_app
    with app.app_context():
        app.extensions["throttle"].storage.reset()
        yield app
        _db.session.remove()
    _empty_all_tables(app)


@pytest.fixture
def make_app(base_config, app):
    """Build another app on the same database with extra settings (e.g. CSRF on)."""

    built_apps = []

    def build(**overrides):
        built = create_app({**base_config, **overrides})
        built.test_client_class = FreshContextClient
        built_apps.append(built)
        return built

    yield build
    for built in built_apps:  # close their connections, or PostgreSQL's linger
        with built.app_context():
            for engine in _db.engines.values():
                engine.dispose()


@pytest.fixture
def db(app):
    return _db


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def outbox(app):
    """Return the messages queued in the outbox, oldest first."""

    def messages(recipient: str | None = None) -> list[OutboxMessage]:
        _db.session.expire_all()
        query = sa.select(OutboxMessage).order_by(OutboxMessage.id)
        if recipient:
            query = query.where(OutboxMessage.recipient == recipient)
        return list(_db.session.scalars(query))

    return messages


def link_in(message: OutboxMessage) -> str:
    """Return the path of the first link to this site in an e-mail."""
    match = re.search(r"http://city-exchange\.test(/\S+)", message.text)
    assert match, f"no link in {message.text!r}"
    return match.group(1)


@pytest.fixture
def login_as(client):
    """Log in through the real form; return the response."""

    def login(user_or_email, password=factories.PASSWORD, the_client=None):
        email = getattr(user_or_email, "email", user_or_email)
        c = the_client or client
        c.get("/login")
        return c.post("/login", data={"email": email, "password": password})

    return login


@pytest.fixture
def cast(db):
    """The standard cast of the access matrix, around the municipality Mechelen."""
    return factories.make_cast()


def random_email() -> str:
    return f"user-{secrets.token_hex(4)}@example.org"
