"""Password reset and change, e-mail change, profile and preferred language."""

import datetime as dt

import pytest
import time_machine
from flask_babel import force_locale, gettext

from exchange.security import verify_password
from tests import factories
from tests.conftest import link_in

NEW_PASSWORD = "orange bicycle mountain letter"


@pytest.fixture
def user(db):
    user = factories.make_user(email="staff@capaci.example", name="Giulia Rossi")
    db.session.commit()
    return user


def is_logged_in(client) -> bool:
    return "Log out" in client.get("/").get_data(as_text=True)


def test_reset_request_answers_the_same_for_known_and_unknown_addresses(client, user, outbox):
    known = client.post("/reset-password", data={"email": user.email}).get_data(as_text=True)
    unknown = client.post("/reset-password", data={"email": "who@nowhere.example"}).get_data(
        as_text=True
    )
    assert "If an account exists for staff@capaci.example" in known
    assert "If an account exists for who@nowhere.example" in unknown
    assert [m.recipient for m in outbox()] == [user.email]


def test_reset_link_sets_a_new_password_once_and_ends_sessions(
    app, client, user, outbox, db, login_as
):
    phone = app.test_client()
    login_as(user, the_client=phone)
    client.post("/reset-password", data={"email": user.email})
    link = link_in(outbox()[0])

    response = client.post(link, data={"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD})

    assert response.headers["Location"] == "/login"
    db.session.refresh(user)
    assert verify_password(user.password_hash, NEW_PASSWORD)
    assert not is_logged_in(phone)
    assert "already been used" in client.get(link).get_data(as_text=True)
    assert "Your password was changed" in outbox()[-1].subject


def test_reset_link_expires_after_two_hours(client, user, outbox, db):
    client.post("/reset-password", data={"email": user.email})
    link = link_in(outbox()[0])
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(hours=2, minutes=1)):
        page = client.post(link, data={"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD})
    assert "This link has expired" in page.get_data(as_text=True)
    db.session.refresh(user)
    assert verify_password(user.password_hash, factories.PASSWORD)


def test_reset_with_a_weak_password_saves_nothing(client, user, outbox, db):
    client.post("/reset-password", data={"email": user.email})
    link = link_in(outbox()[0])
    page = client.post(link, data={"password": "short", "password_confirm": "short"})
    assert "Use at least 12 characters." in page.get_data(as_text=True)
    db.session.refresh(user)
    assert verify_password(user.password_hash, factories.PASSWORD)
    assert client.get(link).status_code == 200  # still usable


def test_change_password_keeps_this_session_and_ends_the_others(app, client, user, login_as, db):
    phone = app.test_client()
    login_as(user, the_client=phone)
    login_as(user)

    response = client.post(
        "/account/password",
        data={
            "current_password": factories.PASSWORD,
            "password": NEW_PASSWORD,
            "password_confirm": NEW_PASSWORD,
        },
    )

    assert response.status_code == 302
    assert is_logged_in(client)
    assert not is_logged_in(phone)


def test_change_password_asks_for_the_current_one(client, user, login_as, db):
    login_as(user)
    page = client.post(
        "/account/password",
        data={
            "current_password": "not my password",
            "password": NEW_PASSWORD,
            "password_confirm": NEW_PASSWORD,
        },
    ).get_data(as_text=True)
    assert "This is not your current password." in page
    assert NEW_PASSWORD not in page
    db.session.refresh(user)
    assert verify_password(user.password_hash, factories.PASSWORD)


def test_change_email_needs_the_new_address_confirmed(client, user, login_as, outbox, db):
    login_as(user)
    client.post(
        "/account/email",
        data={"new_email": "Giulia@Capaci.example", "current_password": factories.PASSWORD},
    )
    [message] = outbox()
    assert message.recipient == "giulia@capaci.example"
    db.session.refresh(user)
    assert user.email == "staff@capaci.example"

    client.get(link_in(message))

    db.session.refresh(user)
    assert user.email == "giulia@capaci.example"
    assert outbox()[-1].recipient == "staff@capaci.example"  # the old address is told


def test_change_email_refuses_a_taken_address_and_a_wrong_password(
    client, user, login_as, db, outbox
):
    factories.make_user(email="taken@capaci.example")
    db.session.commit()
    login_as(user)
    taken = client.post(
        "/account/email",
        data={"new_email": "TAKEN@capaci.example", "current_password": factories.PASSWORD},
    )
    assert "already exists" in taken.get_data(as_text=True)
    wrong = client.post(
        "/account/email",
        data={"new_email": "new@capaci.example", "current_password": "wrong password"},
    )
    assert "This is not your current password." in wrong.get_data(as_text=True)
    assert 'value="new@capaci.example"' in wrong.get_data(as_text=True)
    assert outbox() == []


def test_profile_language_changes_the_interface_and_emails(client, user, login_as, db, outbox):
    with force_locale("nl"):
        your_account, reset_subject = gettext("Your account"), gettext("Reset your password")
    assert your_account != "Your account" and reset_subject != "Reset your password"
    login_as(user)

    client.post("/account", data={"name": "Giulia Rossi", "locale": "nl"})

    page = client.get("/account").get_data(as_text=True)
    assert '<html lang="nl">' in page
    assert your_account in page
    client.post("/reset-password", data={"email": user.email})
    assert outbox()[-1].subject == reset_subject


def test_profile_requires_a_name(client, user, login_as, db):
    login_as(user)
    page = client.post("/account", data={"name": "  ", "locale": ""}).get_data(as_text=True)
    assert "This field is required." in page
    db.session.refresh(user)
    assert user.name == "Giulia Rossi"
