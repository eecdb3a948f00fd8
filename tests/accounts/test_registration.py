"""Registering, confirming the address, and the bad input of the form."""

import datetime as dt

import sqlalchemy as sa
import time_machine

from exchange.accounts.models import User
from tests import factories
from tests.conftest import link_in

GOOD = {
    "name": "Ana Ruiz",
    "email": "Ana.Ruiz@Fuenlabrada.example",
    "password": "lemon tractor violin harbour",
    "password_confirm": "lemon tractor violin harbour",
}


def users(db):
    return list(db.session.scalars(sa.select(User)))


def test_register_creates_an_account_logs_in_and_sends_a_confirmation(client, db, outbox):
    response = client.post("/register", data=GOOD)

    assert response.status_code == 302
    assert response.headers["Location"] == "/organisations/join"
    [user] = users(db)
    assert user.email == "ana.ruiz@fuenlabrada.example"
    assert user.password_hash.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert user.email_confirmed_dt is None
    [message] = outbox()
    assert message.recipient == "ana.ruiz@fuenlabrada.example"
    assert "Confirm your e-mail address" in message.subject
    assert "Your account" in client.get("/").get_data(as_text=True)


def test_confirmation_link_confirms_once(client, db, outbox):
    client.post("/register", data=GOOD)
    link = link_in(outbox()[0])

    response = client.get(link, follow_redirects=True)
    assert "is confirmed" in response.get_data(as_text=True)
    assert users(db)[0].email_confirmed_dt is not None

    again = client.get(link).get_data(as_text=True)
    assert "already been used" in again


def test_confirmation_link_expires_after_48_hours(client, db, outbox):
    client.post("/register", data=GOOD)
    link = link_in(outbox()[0])
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(hours=49)):
        page = client.get(link).get_data(as_text=True)
    assert "This link has expired" in page
    db.session.expire_all()
    assert users(db)[0].email_confirmed_dt is None


def test_unknown_confirmation_link_says_so(client):
    page = client.get("/confirm/garbage").get_data(as_text=True)
    assert "This link is not valid" in page


def test_email_used_in_another_case_is_refused_and_input_kept(client, db, app):
    factories.make_user(email="ana.ruiz@fuenlabrada.example")
    db.session.commit()

    response = client.post("/register", data=GOOD)

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "An account with this e-mail address already exists" in page
    assert 'value="Ana Ruiz"' in page
    assert GOOD["password"] not in page
    assert len(users(db)) == 1


def test_short_common_and_mismatched_passwords_are_refused(client, db):
    cases = {
        "short": ("abc12345", "Use at least 12 characters."),
        "common": ("password1234", "too common or too easy to guess"),
        "own name": ("ana ruiz ana ruiz 2024", "Do not build your password from your name"),
    }
    for password, message in cases.values():
        data = {**GOOD, "password": password, "password_confirm": password}
        page = client.post("/register", data=data).get_data(as_text=True)
        assert message in page
        assert 'aria-invalid="true"' in page
    mismatch = {**GOOD, "password_confirm": "something else entirely"}
    assert "The two passwords are not the same." in client.post(
        "/register", data=mismatch
    ).get_data(as_text=True)
    assert users(db) == []


def test_error_summary_links_to_the_fields(client):
    page = client.post("/register", data={}).get_data(as_text=True)
    assert "There is a problem" in page
    assert 'href="#email"' in page and 'href="#password"' in page
    assert 'aria-describedby="email-hint email-error"' in page


def test_signed_in_user_is_sent_home_from_register(client, db, login_as):
    user = factories.make_user()
    db.session.commit()
    login_as(user)
    assert client.get("/register").headers["Location"] == "/"


def test_resend_confirmation_queues_a_new_link(client, db, outbox, login_as):
    user = factories.make_user(email_confirmed_dt=None)
    db.session.commit()
    login_as(user)
    client.post("/confirm/resend")
    [message] = outbox()
    assert client.get(link_in(message), follow_redirects=True).status_code == 200
    db.session.refresh(user)
    assert user.is_email_confirmed
