"""Every page of the foundation passes axe-core (WCAG 2.1 AA), reflows at 320 px and
works from the keyboard, seen by the user who would see it."""

import datetime as dt
from dataclasses import dataclass

import pytest
from playwright.sync_api import expect

from exchange.accounts.models import Membership
from exchange.db import db, utcnow
from exchange.organisations.models import Invitation, ThemeRelation
from exchange.security import token_hash
from tests import factories
from tests.browser.conftest import (
    add_user,
    assert_accessible,
    email_link,
    end_transaction,
    log_in,
)

pytestmark = pytest.mark.browser


@dataclass(frozen=True)
class World:
    """What the pages show: the cast around Mechelen, a request to join, an open invitation
    and an organisation waiting for verification; plain values only (see end_transaction)."""

    mechelen: int
    vvsg: int
    emails: dict[str, str]

    def path(self, template: str) -> str:
        return template.format(mechelen=self.mechelen, vvsg=self.vvsg)


@pytest.fixture
def world(live_server) -> World:
    cast = factories.make_cast()
    cast.mechelen.set_themes(ThemeRelation.NEED, ["housing", "employment"])
    cast.mechelen.set_themes(ThemeRelation.STRENGTH, ["youth"])
    pending = factories.make_user(
        organisation=cast.mechelen, membership=Membership.PENDING, name="Pat Pending"
    )
    db.session.add(
        Invitation(
            organisation=cast.mechelen,
            email="invited@mechelen.example",
            role="participant",
            token_hash=token_hash("an invitation token"),
            invited_by=cast.coordinator,
            expires_dt=utcnow() + dt.timedelta(days=14),
        )
    )
    factories.make_org(name="Tienen", is_verified=False, verified_dt=None, parent=cast.vvsg)
    world = World(
        mechelen=cast.mechelen.id,
        vvsg=cast.vvsg.id,
        emails={
            role: cast.by_role(role).email
            for role in ("participant", "coordinator", "officer", "admin")
        },
    )
    db.session.commit()
    world.emails["newcomer"] = add_user(name="Nico Newcomer")  # signed in, no organisation
    world.emails["pending"] = pending.email
    world.emails["unconfirmed"] = add_user(name="Una Unconfirmed", email_confirmed_dt=None)
    end_transaction()
    return world


def open_as(new_page, world: World, role: str, **page_options):
    page = new_page(**page_options)
    if role != "anonymous":
        log_in(page, world.emails[role])
    return page


PAGES = [
    ("anonymous", "/"),
    ("coordinator", "/"),
    ("admin", "/"),
    ("anonymous", "/login"),
    ("anonymous", "/register"),
    ("anonymous", "/reset-password"),
    ("anonymous", "/accessibility"),
    ("anonymous", "/privacy"),
    ("anonymous", "/organisations/"),
    ("anonymous", "/organisations/?q=mech&kind=municipality&country=BE&theme=housing"),
    ("anonymous", "/organisations/{vvsg}"),
    ("coordinator", "/organisations/{mechelen}"),
    ("officer", "/organisations/{mechelen}"),
    ("newcomer", "/organisations/new"),
    ("newcomer", "/organisations/join"),
    ("unconfirmed", "/organisations/join"),
    ("pending", "/"),
    ("participant", "/organisations/{mechelen}"),
    ("coordinator", "/organisations/{mechelen}/edit"),
    ("coordinator", "/organisations/{mechelen}/members"),
    ("participant", "/organisations/{mechelen}/members"),
    ("participant", "/account"),
    ("newcomer", "/account"),
    ("participant", "/account/password"),
    ("participant", "/account/email"),
    ("admin", "/admin/organisations"),
    ("admin", "/admin/users"),
    ("admin", "/admin/users?q=mechelen&status=active"),
    ("anonymous", "/confirm/not-a-real-token"),
    ("anonymous", "/invitations/not-a-real-token"),
]


@pytest.mark.parametrize(("role", "path"), PAGES, ids=[f"{r}:{p}" for r, p in PAGES])
def test_page_passes_axe(new_page, world, role, path):
    page = open_as(new_page, world, role)
    response = page.goto(world.path(path))
    assert response.status == 200, f"{path} as {role}: {response.status}"
    assert_accessible(page)


def test_not_found_page_passes_axe(new_page, world):
    page = new_page()
    response = page.goto("/no-such-page")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1, name="Page not found")).to_be_visible()
    assert_accessible(page)


def test_validation_errors_pass_axe_and_the_summary_takes_focus(new_page, world):
    page = new_page()
    page.goto("/register")
    page.get_by_role("button", name="Create account").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_be_focused()
    summary.get_by_role("link", name="Full name").click()
    expect(page.get_by_label("Full name")).to_be_focused()
    assert_accessible(page)


def test_invite_form_errors_pass_axe(new_page, world):
    page = open_as(new_page, world, "coordinator")
    page.goto(world.path("/organisations/{mechelen}/members"))
    page.get_by_label("E-mail address of your colleague").fill("not an address")
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    assert_accessible(page)


def test_reset_pages_pass_axe(new_page, world, live_server):
    page = new_page()
    page.goto("/reset-password")
    page.get_by_label("E-mail address").fill(world.emails["participant"])
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", level=1, name="Check your e-mail")).to_be_visible()
    assert_accessible(page)

    page.goto(email_link(world.emails["participant"], live_server))
    expect(page.get_by_role("heading", level=1, name="Choose a new password")).to_be_visible()
    assert_accessible(page)


def test_invitation_page_passes_axe(new_page, world, live_server):
    coordinator = open_as(new_page, world, "coordinator")
    coordinator.goto(world.path("/organisations/{mechelen}/members"))
    coordinator.get_by_label("E-mail address of your colleague").fill("sam@mechelen.example")
    coordinator.get_by_role("button", name="Send the invitation").click()
    expect(coordinator.locator(".flashes")).to_contain_text("An invitation was sent")
    assert_accessible(coordinator)

    invited = new_page()
    invited.goto(email_link("sam@mechelen.example", live_server))
    expect(invited.get_by_role("heading", level=1, name="Join Mechelen")).to_be_visible()
    assert_accessible(invited)


@pytest.mark.parametrize("language", ["Nederlands", "Français"])
def test_pages_in_other_languages_pass_axe(new_page, world, language):
    page = new_page()
    page.goto("/register")
    page.get_by_role("button", name=language).click()
    expect(page.locator("html")).to_have_attribute(
        "lang", {"Nederlands": "nl", "Français": "fr"}[language]
    )
    assert_accessible(page)
    page.locator("main form.stacked button[type=submit]").click()  # errors in this language
    expect(page.get_by_role("alert")).to_be_visible()
    assert_accessible(page)


REFLOW = [
    ("anonymous", "/"),
    ("anonymous", "/register"),
    ("anonymous", "/organisations/"),
    ("newcomer", "/organisations/new"),
    ("coordinator", "/organisations/{mechelen}/members"),
    ("admin", "/admin/users"),
]


@pytest.mark.parametrize(("role", "path"), REFLOW, ids=[f"{r}:{p}" for r, p in REFLOW])
def test_page_reflows_at_320_px_without_horizontal_scrolling(new_page, world, role, path):
    page = open_as(new_page, world, role, width=320, height=640)
    page.goto(world.path(path))
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 320, f"{path} is {width} px wide at a 320 px viewport"


def test_skip_link_is_the_first_stop_of_the_keyboard(new_page, world):
    page = new_page()
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"


def test_forms_can_be_used_with_the_keyboard_only(new_page, world):
    page = new_page()
    page.goto("/login")
    page.get_by_label("E-mail address").focus()
    page.keyboard.type(world.emails["participant"])
    page.keyboard.press("Tab")
    page.keyboard.type(factories.PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def test_the_axe_check_itself_finds_problems(new_page, world):
    """Guard against a check that passes because axe-core never ran."""
    page = new_page()
    page.goto("/")
    page.evaluate("""() => {
        const image = document.createElement("img");
        image.src = "/static/favicon.svg";
        document.querySelector("main").append(image, document.createElement("input"));
    }""")
    with pytest.raises(AssertionError) as failure:
        assert_accessible(page)
    assert "image-alt" in str(failure.value)
    assert "label" in str(failure.value)
