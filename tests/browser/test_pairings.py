"""Pairings in Chromium, on the demo data: a city proposes, the other accepts, an officer
confirms, the coordinators move the phase; outsiders see a summary at most. Every page
visited passes axe-core, and the main pages reflow at 320 px."""

import re
from dataclasses import dataclass

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from exchange import demo
from exchange.db import db
from exchange.demo_pairings import FICTIONAL_NAME
from exchange.organisations.models import Organisation
from exchange.pairings.models import Pairing
from exchange.programmes.models import Programme
from tests.browser.conftest import (
    assert_accessible,
    end_transaction,
    expect_flash,
    log_in,
    log_out,
    main_nav,
)

pytestmark = pytest.mark.browser

LIVADIA = "coordinator.livadia@demo.example"
MECHELEN = "coordinator.mechelen@demo.example"
OFFICER = "officer.vvsg@demo.example"
OUTSIDER = "participant.jelgava@demo.example"  # Jelgava: neither Livadia nor Mechelen

OBJECTIVE = "Open a welcome desk run with residents' committees in every district."
PROPOSAL_MESSAGE = "Your residents' councils inspire us. Would Mechelen mentor Livadia?"
ACCEPT_MESSAGE = "With pleasure: our team can come to Livadia in March."
PHASE_REASON = "The needs assessment is written up; we compare our practices next."


@dataclass(frozen=True)
class Demo:
    """The demo database's ids and password; plain values only (see end_transaction)."""

    password: str
    livadia: int
    mechelen: int
    fictional: int
    active_pairing: int  # Mechelen mentors Partinico, active in phase 4


@pytest.fixture
def demo_data(app, live_server) -> Demo:
    demo.load()
    db.session.commit()

    def org_id(name: str) -> int:
        return db.session.scalar(sa.select(Organisation.id).where(Organisation.name == name))

    fictional = db.session.scalar(sa.select(Programme.id).where(Programme.name == FICTIONAL_NAME))
    loaded = Demo(
        password=app.config["DEMO_PASSWORD"],
        livadia=org_id("Livadia"),
        mechelen=org_id("Mechelen"),
        fictional=fictional,
        active_pairing=db.session.scalar(
            sa.select(Pairing.id).where(
                Pairing.programme_id == fictional,
                Pairing.mentor_id == org_id("Mechelen"),
                Pairing.mentee_id == org_id("Partinico"),
            )
        ),
    )
    end_transaction()
    return loaded


def open_overview(page, path: str) -> None:
    page.goto(path)
    expect(page.get_by_role("heading", level=1, name="Mechelen mentors Livadia")).to_be_visible()


def expect_status(page, text: str) -> None:
    expect(page.locator("main .status").first).to_have_text(text)


def next_steps(page):
    return page.get_by_role("region", name="What happens next")


def expect_not_found(page, path: str) -> None:
    response = page.goto(path)
    assert response.status == 404, f"{path}: {response.status}"
    expect(page.get_by_role("heading", level=1, name="Page not found")).to_be_visible()


def test_propose_accept_confirm_and_move_to_benchmarking(new_page, demo_data, live_server):
    page = new_page()
    outsider = new_page()
    log_in(page, LIVADIA, demo_data.password)
    log_in(outsider, OUTSIDER, demo_data.password)

    # Livadia's coordinator finds the pairings and the proposal form.
    main_nav(page).get_by_role("link", name="Pairings").click()
    expect(page.get_by_role("heading", level=1, name="Pairings")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Propose a pairing").click()
    expect(page.get_by_role("heading", level=1, name="Propose a pairing")).to_be_visible()
    expect(page.get_by_label("Mentee city")).to_have_value(str(demo_data.livadia))
    assert_accessible(page)

    # Sent empty, the form says what is missing; the summary takes focus and links to fields.
    page.get_by_role("button", name="Send the proposal").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Choose a programme.")
    expect(summary).to_contain_text("Choose the mentor city.")
    expect(summary).to_contain_text("Say what the mentee city wants to achieve.")
    summary.get_by_role("link", name=re.compile("^Mentor city")).click()
    expect(page.get_by_label("Mentor city")).to_be_focused()
    assert_accessible(page)

    # The suggestions of mentor cities for Livadia.
    page.get_by_role("link", name="See which mentor cities suit Livadia best").click()
    expect(page.get_by_role("heading", level=1, name="Mentor cities for Livadia")).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text="Match:").first).to_be_visible()
    assert_accessible(page)

    # The proposal.
    page.goto("/pairings/new")
    page.get_by_label("Programme").select_option(label=FICTIONAL_NAME)
    page.get_by_label("Mentor city").select_option(label="Mechelen")
    themes = page.get_by_role("group", name=re.compile("^Themes"))
    themes.get_by_label("Civic participation").check()
    page.get_by_label("Objective").fill(OBJECTIVE)
    page.get_by_label("Message to the other city").fill(PROPOSAL_MESSAGE)
    page.get_by_role("button", name="Send the proposal").click()
    expect_flash(
        page, "Your proposal is sent. The coordinators of Mechelen will accept or decline it."
    )
    expect(page.get_by_role("heading", level=1, name="Mechelen mentors Livadia")).to_be_visible()
    expect_status(page, "Proposed")
    expect(next_steps(page)).to_contain_text(
        "Livadia proposed this pairing. A coordinator of Mechelen accepts or declines it."
    )
    expect(page.get_by_text(PROPOSAL_MESSAGE)).to_be_visible()
    expect(page.get_by_text(OBJECTIVE)).to_be_visible()
    assert_accessible(page)
    overview_path = page.url.removeprefix(live_server)
    assert re.fullmatch(r"/pairings/\d+", overview_path), overview_path
    history_path = f"{overview_path}/history"

    # A proposed pairing is none of another city's business.
    expect_not_found(outsider, overview_path)
    expect_not_found(outsider, history_path)

    # Mechelen's coordinator accepts, with a message.
    log_out(page)
    log_in(page, MECHELEN, demo_data.password)
    open_overview(page, overview_path)
    next_steps(page).get_by_role("link", name="Accept the proposal").click()
    expect(page.get_by_role("heading", level=1, name="Accept the proposal")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Message", exact=True).fill(ACCEPT_MESSAGE)
    page.get_by_role("button", name="Accept the proposal").click()
    expect_flash(page, "You accepted the proposal.")
    expect_status(page, "Accepted, waiting for confirmation")
    expect(page.get_by_text(ACCEPT_MESSAGE)).to_be_visible()

    # VVSG's officer (Mechelen's association) confirms: active, in phase 1.
    log_out(page)
    log_in(page, OFFICER, demo_data.password)
    open_overview(page, overview_path)
    next_steps(page).get_by_role("link", name="Confirm the pairing").click()
    expect(page.get_by_role("heading", level=1, name="Confirm the pairing")).to_be_visible()
    page.get_by_role("button", name="Confirm the pairing").click()
    expect_flash(page, "The pairing is confirmed and active in its first phase.")
    expect_status(page, "Active")
    expect(page.get_by_text("Phase 1 of 8: Needs assessment and matching").first).to_be_visible()

    # Livadia's coordinator moves it to phase 2.
    log_out(page)
    log_in(page, LIVADIA, demo_data.password)
    open_overview(page, overview_path)
    next_steps(page).get_by_role("link", name="Change the phase").click()
    expect(page.get_by_role("heading", level=1, name="Change the phase")).to_be_visible()
    new_phase = page.get_by_label("New phase")
    expect(new_phase.locator("option:checked")).to_have_text("2. Benchmarking")
    assert_accessible(page)
    new_phase.select_option(label="2. Benchmarking")
    page.get_by_label("Reason", exact=True).fill(PHASE_REASON)
    page.get_by_role("button", name="Change the phase").click()
    expect_flash(page, "The pairing is now in Phase 2 of 8: Benchmarking.")
    expect(page.locator("main > p").filter(has_text="Phase 2 of 8")).to_have_text(
        "Phase 2 of 8: Benchmarking"
    )
    expect(page.get_by_role("listitem").filter(has_text="(current phase)")).to_have_text(
        re.compile(r"^Benchmarking")
    )
    phase_history = page.get_by_role("table", name="Phase history")
    expect(phase_history.get_by_role("row")).to_have_count(3)  # the header and two phases
    expect(phase_history.get_by_role("row").nth(1)).to_contain_text("Phase 2 of 8: Benchmarking")
    expect(phase_history.get_by_role("row").nth(1)).to_contain_text(PHASE_REASON)
    expect(phase_history.get_by_role("row").nth(2)).to_contain_text(
        "Phase 1 of 8: Needs assessment and matching"
    )
    assert_accessible(page)

    # The history tab.
    page.get_by_role("navigation", name="Pairing").get_by_role("link", name="History").click()
    expect(page.get_by_role("heading", level=2, name="History")).to_be_visible()
    entries = page.locator("ul.timeline > li h3")
    expect(entries).to_have_text(
        ["Phase changed", "Phase changed", "Confirmed", "Accepted", "Proposed"]
    )
    assert_accessible(page)

    # Another city sees the public summary of an active pairing, and nothing more.
    response = outsider.goto(overview_path)
    assert response.status == 200
    expect(
        outsider.get_by_role("heading", level=1, name="Mechelen mentors Livadia")
    ).to_be_visible()
    expect_status(outsider, "Active")
    expect(outsider.get_by_text("Phase 2 of 8: Benchmarking")).to_be_visible()
    expect(outsider.get_by_text(OBJECTIVE)).to_be_visible()
    expect(outsider.get_by_role("link", name="History")).to_have_count(0)
    expect(outsider.get_by_role("heading", name="People")).to_have_count(0)
    expect(outsider.get_by_text(PROPOSAL_MESSAGE)).to_have_count(0)
    expect(outsider.get_by_text(ACCEPT_MESSAGE)).to_have_count(0)
    expect(outsider.get_by_role("link", name="Change the phase")).to_have_count(0)
    assert_accessible(outsider)
    expect_not_found(outsider, history_path)

    # The list, filtered as a user would, and the programmes.
    outsider.goto("/pairings/")
    outsider.get_by_label("Programme").select_option(label=FICTIONAL_NAME)
    outsider.get_by_label("Status").select_option(label="Active")
    outsider.get_by_label("Theme").select_option(label="Civic participation")
    outsider.get_by_role("button", name="Show pairings").click()
    results = outsider.locator("main ul.card-list > li")
    card = results.filter(has=outsider.get_by_role("link", name="Mechelen mentors Livadia"))
    expect(card).to_contain_text("Phase 2 of 8: Benchmarking")
    expect(results.locator(".status").filter(has_not_text="Active")).to_have_count(0)
    assert_accessible(outsider)

    main_nav(outsider).get_by_role("link", name="Programmes").click()
    expect(outsider.get_by_role("heading", level=1, name="Programmes")).to_be_visible()
    expect(outsider.get_by_role("link", name="IncluCities", exact=True)).to_be_visible()
    assert_accessible(outsider)
    outsider.get_by_role("link", name=FICTIONAL_NAME).click()
    expect(outsider.get_by_role("heading", level=1, name=FICTIONAL_NAME)).to_be_visible()
    expect(outsider.get_by_role("link", name="Mechelen mentors Livadia")).to_be_visible()
    assert_accessible(outsider)

    # What was recorded.
    pairing = db.session.get(Pairing, int(overview_path.rsplit("/", 1)[1]))
    assert (pairing.mentor_id, pairing.mentee_id) == (demo_data.mechelen, demo_data.livadia)
    assert pairing.programme_id == demo_data.fictional
    assert pairing.status == "active" and pairing.phase == 2
    assert pairing.themes == ["participation"]
    assert [step.step for step in pairing.steps] == ["propose", "accept", "confirm"]
    assert [step.message for step in pairing.steps] == [PROPOSAL_MESSAGE, ACCEPT_MESSAGE, None]
    assert [(c.from_phase, c.phase, c.reason) for c in pairing.phase_changes] == [
        (None, 1, None),
        (1, 2, PHASE_REASON),
    ]
    end_transaction()


def test_pairing_pages_reflow_at_320_px_without_horizontal_scrolling(new_page, demo_data):
    page = new_page(width=320, height=640)
    log_in(page, MECHELEN, demo_data.password)
    for path in ("/pairings/", f"/pairings/{demo_data.active_pairing}", "/pairings/new"):
        response = page.goto(path)
        assert response.status == 200, f"{path}: {response.status}"
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 320, f"{path} is {width} px wide at a 320 px viewport"
