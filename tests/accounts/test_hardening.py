"""Inputs and sequences found in review: none may give a 500 or reopen an account."""

import pytest
import sqlalchemy as sa

from exchange.accounts.models import User
from exchange.db import db as _db
from exchange.extensions import mail
from exchange.mail import OutboxStatus, send_pending
from exchange.security import verify_password
from tests import factories
from tests.conftest import link_in

NEW_PASSWORD = "orange bicycle mountain letter"


@pytest.fixture
def user(db):
    user = factories.make_user(email="staff@livadia.example", name="Eleni Papadopoulou")
    db.session.commit()
    return user


def test_a_long_passphrase_is_accepted(client, db):
    passphrase = "the quiet harbour of livadia welcomes every newcomer with bread and olives"
    assert len(passphrase) > 72
    response = client.post(
        "/register",
        data={
            "name": "Nikos",
            "email": "nikos@livadia.example",
            "password": passphrase,
            "password_confirm": passphrase,
        },
    )
    assert response.status_code == 302
    user = db.session.scalar(sa.select(User).where(User.email == "nikos@livadia.example"))
    assert verify_password(user.password_hash, passphrase)


def test_an_older_reset_link_dies_when_the_password_changes(client, user, outbox, login_as):
    client.post("/reset-password", data={"email": user.email})
    client.post("/reset-password", data={"email": user.email})
    first, second = (link_in(m) for m in outbox(user.email))
    client.post(first, data={"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD})

    page = client.get(second).get_data(as_text=True)

    assert "already been used" in page


def test_a_reset_link_dies_when_the_user_changes_the_password(client, user, outbox, login_as):
    client.post("/reset-password", data={"email": user.email})
    link = link_in(outbox(user.email)[0])
    login_as(user)
    client.post(
        "/account/password",
        data={
            "current_password": factories.PASSWORD,
            "password": NEW_PASSWORD,
            "password_confirm": NEW_PASSWORD,
        },
    )
    assert "already been used" in client.get(link).get_data(as_text=True)


def test_an_email_change_to_an_address_taken_meanwhile_is_explained(
    client, user, login_as, outbox, db
):
    login_as(user)
    client.post(
        "/account/email",
        data={"new_email": "new@livadia.example", "current_password": factories.PASSWORD},
    )
    link = link_in(outbox("new@livadia.example")[0])
    factories.make_user(email="new@livadia.example")

    response = client.get(link)

    assert response.status_code == 200
    assert "already exists" in response.get_data(as_text=True)
    db.session.refresh(user)
    assert user.email == "staff@livadia.example"


@pytest.mark.parametrize("target", ["/\r\nSet-Cookie: a=b", "/acc\x00ount", "/\tx"])
def test_control_characters_in_next_keep_the_user_on_the_site(client, user, target):
    response = client.post(
        "/login", data={"email": user.email, "password": factories.PASSWORD, "next": target}
    )
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith("/") and not location.startswith("//")
    assert "\r" not in location and "\n" not in location


def test_nul_and_newlines_are_cleaned_from_names(client, user, login_as, db):
    login_as(user)
    client.post("/account", data={"name": "Eleni\x00\nPapa\r\ndopoulou ", "locale": "en"})
    db.session.refresh(user)
    assert user.name == "Eleni Papa dopoulou"


def test_a_barrier_report_with_a_nul_byte_is_accepted_cleaned(client, outbox):
    client.post("/accessibility", data={"description": "Menu\x00 unreadable\r\nat 200%"})
    [message] = outbox()
    assert "Menu unreadable\nat 200%" in message.text


def test_sent_mail_keeps_no_working_link(app, client, user, outbox):
    client.post("/reset-password", data={"email": user.email})
    with mail.record_messages() as sent:
        send_pending()
    assert "/reset-password/" in sent[0].body
    [message] = outbox()
    assert message.status == OutboxStatus.SENT
    assert message.text == "" and message.html is None
    assert message.subject == sent[0].subject


def test_reset_requests_for_one_address_are_limited(client, user, outbox):
    for _ in range(5):
        assert client.post("/reset-password", data={"email": user.email}).status_code == 200
    response = client.post("/reset-password", data={"email": user.email})
    assert response.status_code == 429
    assert "Please wait an hour" in response.get_data(as_text=True)
    assert len(outbox(user.email)) == 5


def test_registrations_from_one_address_are_limited(make_app, db):
    client = make_app(MAIL_LIMIT_PER_ADDRESS="2 per hour").test_client()
    for n in range(3):
        response = client.post(
            "/register",
            data={
                "name": f"Person {n}",
                "email": f"p{n}@livadia.example",
                "password": NEW_PASSWORD,
                "password_confirm": NEW_PASSWORD,
            },
        )
        client.post("/logout")
    assert response.status_code == 429
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 2


def test_changing_the_password_keeps_this_device_remembered(app, user):
    client = app.test_client()
    client.post(
        "/login", data={"email": user.email, "password": factories.PASSWORD, "remember": "y"}
    )
    client.post(
        "/account/password",
        data={
            "current_password": factories.PASSWORD,
            "password": NEW_PASSWORD,
            "password_confirm": NEW_PASSWORD,
        },
    )
    remember = client.get_cookie("remember_token")
    restarted = app.test_client()  # the browser was closed: only the remember cookie is left
    restarted.set_cookie("remember_token", remember.value)
    assert "Log out" in restarted.get("/").get_data(as_text=True)
    _db.session.expire_all()


def test_guessing_the_current_password_is_limited(client, user, login_as):
    login_as(user)
    for _ in range(10):
        client.post(
            "/account/password",
            data={
                "current_password": "guess number one",
                "password": NEW_PASSWORD,
                "password_confirm": NEW_PASSWORD,
            },
        )
    response = client.post(
        "/account/password",
        data={
            "current_password": factories.PASSWORD,
            "password": NEW_PASSWORD,
            "password_confirm": NEW_PASSWORD,
        },
    )
    assert response.status_code == 429
    assert verify_password(_db.session.get(User, user.id).password_hash, factories.PASSWORD)


def test_the_profile_stores_the_language_being_read(client, user, login_as, db, outbox):
    login_as(user)
    page = client.get("/account", headers={"Accept-Language": "nl"}).get_data(as_text=True)
    assert '<option selected value="nl">' in page
    client.post("/account", data={"name": user.name, "locale": "nl"})
    db.session.refresh(user)
    assert user.locale == "nl"


def test_a_new_confirmation_link_returns_a_newcomer_to_joining(client, db, login_as):
    newcomer = factories.make_user(email_confirmed_dt=None)
    login_as(newcomer)
    assert client.post("/confirm/resend").headers["Location"] == "/organisations/join"
