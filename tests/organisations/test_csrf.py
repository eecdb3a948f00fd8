"""With CSRF protection on (as in production), the rendered buttons and forms work, and a
forged request changes nothing."""

import re

import pytest

from exchange.accounts.models import Membership
from exchange.db import db
from tests import factories
from tests.conftest import FreshContextClient
from tests.organisations.conftest import text


def csrf_token(page: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


@pytest.fixture
def browser(make_app, cast):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = FreshContextClient(app, app.response_class, use_cookies=True)
    login_page = text(client.get("/login"))
    client.post(
        "/login",
        data={
            "email": cast.coordinator.email,
            "password": factories.PASSWORD,
            "csrf_token": csrf_token(login_page),
        },
    )
    return client


@pytest.fixture
def pending(cast):
    user = factories.make_user(
        organisation=cast.mechelen, membership=Membership.PENDING, name="Jan Peeters"
    )
    db.session.commit()
    return user


def test_approve_button_carries_its_token(browser, cast, pending):
    page = text(browser.get(f"/organisations/{cast.mechelen.id}/members"))
    assert "Jan Peeters" in page
    response = browser.post(
        f"/organisations/{cast.mechelen.id}/members/{pending.id}/approve",
        data={"csrf_token": csrf_token(page)},
    )
    assert response.status_code == 302
    db.session.refresh(pending)
    assert pending.membership == Membership.APPROVED


def test_forged_request_is_refused(browser, cast, pending):
    response = browser.post(f"/organisations/{cast.mechelen.id}/members/{pending.id}/approve")
    assert response.status_code == 400
    assert "nothing was saved" in text(response)
    db.session.refresh(pending)
    assert pending.membership == Membership.PENDING


def test_role_button_carries_its_token(browser, cast):
    page = text(browser.get(f"/organisations/{cast.mechelen.id}/members"))
    form = re.search(
        rf'action="[^"]+/members/{cast.participant.id}/role">(.*?)</form>', page, re.S
    ).group(1)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
    response = browser.post(
        f"/organisations/{cast.mechelen.id}/members/{cast.participant.id}/role",
        data={"csrf_token": token, "role": "coordinator"},
    )
    assert response.status_code == 302
    db.session.refresh(cast.participant)
    assert cast.participant.is_coordinator
