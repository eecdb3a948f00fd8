"""Journeys through the running app, as each kind of user makes them, in Chromium."""

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from exchange.accounts.models import MemberRole, Membership, User
from exchange.db import db
from exchange.organisations.models import Organisation
from tests import factories
from tests.browser.conftest import (
    add_user,
    email_link,
    end_transaction,
    expect_flash,
    log_in,
    log_out,
)

pytestmark = pytest.mark.browser

NEW_PASSWORD = "lantern orchard velvet compass 7"


def register(page, name: str, email: str, password: str = NEW_PASSWORD) -> None:
    page.goto("/register")
    page.get_by_label("Full name").fill(name)
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_label("Repeat the password").fill(password)
    page.get_by_role("button", name="Create account").click()


def fill_organisation_form(page, name: str) -> None:
    page.get_by_label("Kind of organisation").select_option(label="Municipality")
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("Country").select_option(label="Belgium")
    page.get_by_label("Region or province").fill("Flemish Brabant")
    languages = page.get_by_role("group", name=re.compile("Working languages"))
    languages.get_by_label("Dutch").check()
    languages.get_by_label("French").check()
    page.get_by_label("Population").fill("34000")
    needs = page.get_by_role("group", name=re.compile("Themes you would like to learn about"))
    needs.get_by_label("Housing").check()


def test_register_confirm_create_organisation_and_admin_verifies(new_page, live_server):
    admin_email = add_user(is_admin=True, name="Ada Admin")
    email = "an.dewitte@leuven.example"
    page = new_page()

    register(page, "An De Witte", email)
    expect_flash(page, f"We sent a link to {email}")
    page.goto(email_link(email, live_server))
    expect_flash(page, f"{email} is confirmed")

    log_out(page)
    log_in(page, email, NEW_PASSWORD)
    expect(page.get_by_role("heading", name="Welcome, An De Witte")).to_be_visible()

    page.goto("/organisations/new")
    fill_organisation_form(page, "Tienen")
    page.get_by_role("button", name="Register the organisation").click()
    expect_flash(page, "Tienen is registered")
    expect(page.get_by_role("heading", level=1, name="Tienen")).to_be_visible()
    expect(page.get_by_text("Not verified yet", exact=True)).to_be_visible()
    profile_path = page.url.removeprefix(live_server)

    admin = new_page()
    log_in(admin, admin_email)
    assert email_link(admin_email, live_server) == "/admin/organisations"  # "Tienen waits"
    admin.goto("/admin/organisations")
    admin.get_by_role("button", name=re.compile(r"^Verify\b.*Tienen")).click()
    expect_flash(admin, "Tienen is verified")

    assert email_link(email, live_server) == profile_path  # the e-mail telling the creator
    page.goto(profile_path)
    expect(page.get_by_text("Verified", exact=True)).to_be_visible()
    expect(page.get_by_text("Not verified yet")).to_have_count(0)
    tienen = db.session.scalar(sa.select(Organisation).where(Organisation.name == "Tienen"))
    creator = db.session.scalar(sa.select(User).where(User.email == email))
    assert tienen.is_verified and tienen.country == "BE" and tienen.languages == ["nl", "fr"]
    assert creator.organisation_id == tienen.id and creator.is_coordinator
    end_transaction()


def test_coordinator_invites_a_colleague_who_accepts_with_a_new_account(new_page, live_server):
    cast = factories.make_cast()
    mechelen_id, coordinator_email = cast.mechelen.id, cast.coordinator.email
    end_transaction()
    colleague_email = "jo.peeters@mechelen.example"

    coordinator = new_page()
    log_in(coordinator, coordinator_email)
    coordinator.goto(f"/organisations/{mechelen_id}/members")
    coordinator.get_by_label("E-mail address of your colleague").fill(colleague_email)
    coordinator.get_by_label("Role").select_option(label="Participant")
    coordinator.get_by_role("button", name="Send the invitation").click()
    expect_flash(coordinator, f"An invitation was sent to {colleague_email}")

    colleague = new_page()
    colleague.goto(email_link(colleague_email, live_server))
    expect(colleague.get_by_role("heading", level=1, name="Join Mechelen")).to_be_visible()
    expect(colleague.get_by_label("E-mail address")).to_have_value(colleague_email)
    colleague.get_by_label("Full name").fill("Jo Peeters")
    colleague.get_by_label("Password", exact=True).fill(NEW_PASSWORD)
    colleague.get_by_label("Repeat the password").fill(NEW_PASSWORD)
    colleague.get_by_role("button", name="Create my account and join").click()
    expect_flash(colleague, "You are now a member of Mechelen")
    expect(colleague.get_by_role("heading", level=1, name="Mechelen")).to_be_visible()

    coordinator.reload()
    members = coordinator.get_by_role("table").filter(has_text="Jo Peeters")
    expect(members.get_by_role("row", name=re.compile("Jo Peeters"))).to_contain_text("Participant")
    jo = db.session.scalar(sa.select(User).where(User.email == colleague_email))
    assert jo.organisation_id == mechelen_id
    assert jo.membership == Membership.APPROVED and jo.role == MemberRole.PARTICIPANT
    assert jo.is_email_confirmed
    end_transaction()
