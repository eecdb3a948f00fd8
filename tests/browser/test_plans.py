"""The action plan in Chromium: a coordinator writes the plan, adds an action, an indicator
with a measurement and a risk; a colleague's change meanwhile is shown, not overwritten; a
participant reads it all. Every page visited passes axe-core, the plan page reflows at
320 px."""

import datetime as dt
from dataclasses import dataclass

import pytest
from playwright.sync_api import expect

from exchange.db import db, utcnow
from tests import factories
from tests.browser.conftest import (
    assert_accessible,
    end_transaction,
    expect_flash,
    log_in,
)

pytestmark = pytest.mark.browser


@dataclass(frozen=True)
class World:
    pairing: int
    coordinator: str
    colleague: str
    participant: str


@pytest.fixture
def world(live_server) -> World:
    cast = factories.make_cast()
    pairing = factories.make_pairing(cast.mechelen, cast.capaci, status="active")
    practice = factories.make_practice(cast.mechelen, title="Samen Inburgeren")
    factories.make_transfer(practice, pairing)
    colleague = factories.make_coordinator(cast.capaci, email="second@capaci.example")
    db.session.commit()
    found = World(pairing.id, cast.coordinator.email, colleague.email, cast.participant.email)
    end_transaction()
    return found


def test_a_coordinator_keeps_the_plan_and_a_participant_reads_it(new_page, world):
    today = utcnow().date()
    page = new_page()
    log_in(page, world.coordinator)
    page.goto(f"/pairings/{world.pairing}/plan")
    expect(page.get_by_text("There is no action plan yet.")).to_be_visible()
    assert_accessible(page)

    # the plan, first with a date in the future
    page.get_by_role("link", name="Write the action plan").click()
    page.get_by_label("Date the plan reached this status").fill(
        (today + dt.timedelta(days=3)).isoformat()
    )
    page.get_by_label("Vision").fill("A buddy for **every** newcomer.")
    page.get_by_role("button", name="Save the plan").click()
    expect(page.get_by_role("alert").filter(has_text="There is a problem")).to_be_visible()
    assert_accessible(page)
    expect(page.get_by_label("Vision")).to_have_value("A buddy for **every** newcomer.")
    page.get_by_label("Date the plan reached this status").fill(today.isoformat())
    page.get_by_role("button", name="Save the plan").click()
    expect_flash(page, "The action plan is saved.")

    # an action linked to the practice the pairing transfers
    page.get_by_role("link", name="Add an action").click()
    assert_accessible(page)
    page.get_by_label("Title").fill("Recruit ten buddies")
    page.get_by_label("Start date").fill((today - dt.timedelta(days=20)).isoformat())
    page.get_by_label("Due date").fill((today - dt.timedelta(days=1)).isoformat())
    page.get_by_label("Budget in euro").fill("12,500.50")
    page.get_by_label("Linked practice").select_option(label="Samen Inburgeren (Mechelen)")
    page.get_by_role("button", name="Add the action").click()
    expect_flash(page, "The action is added to the plan.")
    row = page.get_by_role("row", name="Recruit ten buddies")
    expect(row).to_contain_text("Overdue")
    expect(row).to_contain_text("€12,500.50")

    # an indicator and its first measurement
    page.get_by_role("link", name="Add an indicator").click()
    page.get_by_label("Name").fill("Newcomers with a buddy")
    page.get_by_label("Target").fill("40")
    page.get_by_role("button", name="Add the indicator").click()
    page.get_by_role("link", name="Add a measurement").click()
    assert_accessible(page)
    page.get_by_label("Value").fill("10")
    page.get_by_role("button", name="Add the measurement").click()
    expect(page.get_by_text("25% of the way from the baseline to the target")).to_be_visible()

    # a risk
    page.get_by_role("link", name="Add a risk").click()
    page.get_by_label("Description").fill("Too few volunteers sign up.")
    page.get_by_role("group", name="Likelihood").get_by_label("Medium").check()
    page.get_by_role("group", name="Impact").get_by_label("High").check()
    assert_accessible(page)
    page.get_by_role("button", name="Add the risk").click()
    expect_flash(page, "The risk is added.")
    assert_accessible(page)

    # a colleague changes the action while the coordinator has it open
    page.get_by_role("link", name="Edit Recruit ten buddies").click()
    colleague = new_page()
    log_in(colleague, world.colleague)
    colleague.goto(page.url)
    colleague.get_by_role("group", name="Status").get_by_label("Done").check()
    colleague.get_by_role("button", name="Save the action").click()
    expect_flash(colleague, "The action is saved.")
    page.get_by_label("Partners").fill("Red Cross")
    page.get_by_role("button", name="Save the action").click()
    expect(page.get_by_text("Someone else changed this while you were editing")).to_be_visible()
    assert_accessible(page)
    expect(page.get_by_label("Partners")).to_have_value("Red Cross")
    page.get_by_role("group", name="Status").get_by_label("Done").check()
    page.get_by_role("button", name="Save the action").click()
    expect_flash(page, "The action is saved.")
    expect(page.get_by_role("row", name="Recruit ten buddies")).not_to_contain_text("Overdue")

    # a participant reads the plan and changes nothing
    reader = new_page(width=320)
    log_in(reader, world.participant)
    reader.goto(f"/pairings/{world.pairing}/plan")
    expect(reader.get_by_role("heading", name="Newcomers with a buddy")).to_be_visible()
    expect(reader.get_by_role("link", name="Add an action")).to_have_count(0)
    assert_accessible(reader)
    width = reader.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 320, f"the plan page is {width}px wide at 320px"
