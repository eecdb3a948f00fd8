"""The app core: configuration, database settings, health check, errors, security headers."""

import pytest
import sqlalchemy as sa

from exchange import create_app
from exchange.config import normalise_database_url
from exchange.db import db as _db
from exchange.security import safe_next
from tests import factories
from tests.conftest import BASE_CONFIG


def test_refuses_to_start_in_production_without_a_real_secret_key():
    for key in ("", "dev", "short"):
        with pytest.raises(RuntimeError, match="SECRET_KEY"):
            create_app(
                {
                    **BASE_CONFIG,
                    "TESTING": False,
                    "DEBUG": False,
                    "SECRET_KEY": key,
                    "SQLALCHEMY_DATABASE_URI": "sqlite://",
                }
            )


def test_starts_in_production_with_a_real_secret_key():
    app = create_app(
        {
            **BASE_CONFIG,
            "TESTING": False,
            "SECRET_KEY": "x" * 40,
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
        }
    )
    assert app.config["SECRET_KEY"] == "x" * 40


def test_postgres_urls_use_psycopg_3():
    assert normalise_database_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_database_url("sqlite:///x") == "sqlite:///x"


def test_sqlite_runs_with_wal_foreign_keys_and_a_busy_timeout(app):
    if _db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite settings only apply to SQLite")
    with _db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000


def test_datetimes_come_back_in_utc(db):
    user = factories.make_user()
    db.session.commit()
    db.session.expire_all()
    assert user.created_dt.utcoffset().total_seconds() == 0


def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_healthz_answers_503_when_the_database_is_unreachable(make_app):
    app = make_app(SQLALCHEMY_DATABASE_URI="sqlite:////nonexistent-dir/city.sqlite3")
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["status"] == "error"


def test_not_found_page_is_friendly(client):
    response = client.get("/no-such-page")
    page = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "Page not found" in page and "Go to the home page" in page


def test_server_error_shows_no_stack_trace_and_rolls_back(make_app, db):
    app = make_app(PROPAGATE_EXCEPTIONS=False)

    def explode():
        factories.make_org(name="Half-saved town")
        raise ValueError("secret internals")

    app.add_url_rule("/explode", "explode", explode)
    from exchange.access import ACCESS_MATRIX, PUBLIC

    ACCESS_MATRIX["explode"] = PUBLIC
    try:
        response = app.test_client().get("/explode")
    finally:
        del ACCESS_MATRIX["explode"]
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Something went wrong" in page
    assert "secret internals" not in page and "Traceback" not in page
    with app.app_context():
        names = _db.session.scalars(sa.text("SELECT name FROM organisations")).all()
    assert "Half-saved town" not in names


def test_a_body_over_10_mb_is_refused_with_413(client):
    response = client.post(
        "/login", data={"email": "a@b.example", "password": "x" * (11 * 1024 * 1024)}
    )
    assert response.status_code == 413
    assert "larger than the 10 MB" in response.get_data(as_text=True)


def test_security_headers(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_pages_have_no_inline_scripts_or_styles(client):
    page = client.get("/register").get_data(as_text=True)
    assert "<script>" not in page and "style=" not in page and "<style" not in page


@pytest.mark.parametrize("target", ["/account", "/organisations/?kind=municipality"])
def test_safe_next_keeps_local_paths(app, target):
    with app.test_request_context():
        assert safe_next(target) == target


@pytest.mark.parametrize(
    "target",
    [
        "http://evil.example",
        "//evil.example",
        "/\\\\evil",
        "javascript:alert(1)",
        "/\r\nSet-Cookie: a=b",
        "/a\x00b",
        "",
    ],
)
def test_safe_next_refuses_other_sites(app, target):
    with app.test_request_context():
        assert safe_next(target) == "/"


class TestWithCsrf:
    """CSRF is off in most tests for brevity; here it is on, as in production."""

    @pytest.fixture
    def csrf_client(self, make_app):
        return make_app(WTF_CSRF_ENABLED=True).test_client()

    def test_a_post_without_token_gets_a_clear_400(self, csrf_client, db):
        user = factories.make_user()
        db.session.commit()
        response = csrf_client.post(
            "/login", data={"email": user.email, "password": factories.PASSWORD}
        )
        assert response.status_code == 400
        assert "nothing was saved" in response.get_data(as_text=True)

    def test_a_foreign_token_is_refused(self, csrf_client, make_app, db):
        other = make_app(WTF_CSRF_ENABLED=True, SECRET_KEY="another-secret-key-of-another-site")
        token = _csrf_token(other.test_client(), "/register")
        response = csrf_client.post("/register", data={"csrf_token": token, "name": "X"})
        assert response.status_code == 400

    def test_the_real_form_with_its_token_works(self, csrf_client, db):
        user = factories.make_user()
        db.session.commit()
        token = _csrf_token(csrf_client, "/login")
        response = csrf_client.post(
            "/login",
            data={"csrf_token": token, "email": user.email, "password": factories.PASSWORD},
        )
        assert response.status_code == 302
        logout_token = _csrf_token(csrf_client, "/")
        assert csrf_client.post("/logout", data={"csrf_token": logout_token}).status_code == 302
        assert "Log in" in csrf_client.get("/").get_data(as_text=True)

    def test_logout_without_token_does_not_log_out(self, csrf_client, db):
        user = factories.make_user()
        db.session.commit()
        token = _csrf_token(csrf_client, "/login")
        csrf_client.post(
            "/login",
            data={"csrf_token": token, "email": user.email, "password": factories.PASSWORD},
        )
        assert csrf_client.post("/logout").status_code == 400
        assert "Log out" in csrf_client.get("/").get_data(as_text=True)


def _csrf_token(client, path: str) -> str:
    import re

    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def test_an_id_too_large_for_the_database_is_not_found(client):
    assert client.get("/organisations/99999999999999999999").status_code == 404
    assert client.get("/organisations/2147483648").status_code == 404
