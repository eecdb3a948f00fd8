"""The activity pages in Chromium: a coordinator logs a planned study visit through the real
form (CSRF on), attaches an agenda, marks the visit held; a participant of the other city
rates it. Every page passes axe-core and reflows at 320 px."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from exchange.db import db, utcnow
from tests import factories
from tests.activities.helpers import PDF
from tests.browser.conftest import assert_accessible, end_transaction, expect_flash, log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def people(live_server):
    cast = factories.make_cast()
    capaci_participant = factories.make_user(
        organisation=cast.capaci, email="participant@capaci.example", name="Chiara Rossi"
    )
    pairing = factories.make_pairing(
        cast.mechelen, cast.capaci, status="active", time_zone="Europe/Rome"
    )
    factories.make_action(pairing, title="Recruit the first ten buddies")
    held = factories.make_activity(
        pairing, title="Kick-off", agenda="- A rather_long_word_that_must_wrap_somewhere_" * 3
    )
    db.session.commit()
    found = {
        "pairing": pairing.id,
        "held": held.id,
        "coordinator": cast.coordinator.email,
        "participant": capaci_participant.email,
    }
    end_transaction()
    return found


def test_log_a_study_visit_attach_its_agenda_mark_it_held_and_rate_it(new_page, people, tmp_path):
    page = new_page()
    log_in(page, people["coordinator"])
    page.goto(f"/pairings/{people['pairing']}/activities")
    expect(page.get_by_role("heading", level=2, name="Activities")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Log an activity").click()
    expect(page.get_by_role("heading", level=1, name="Log an activity")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Log the activity").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Choose the type of activity.")
    expect(summary).to_contain_text("Give the activity a title.")
    assert_accessible(page)

    yesterday = (utcnow().date() - dt.timedelta(days=1)).isoformat()
    page.get_by_label("Type of activity").select_option(label="Study visit")
    page.get_by_label("Round of the study visit").select_option(label="Round 1")
    page.get_by_label("Title").fill("Study visit to the buddy scheme")
    page.get_by_label("Start date").fill(yesterday)
    page.get_by_label("Start time").fill("09:30")
    page.get_by_label("End time").fill("17:00")
    page.get_by_label("Host city").select_option(label="Mechelen (mentor)")
    page.get_by_label("From the mentee city").fill("abc")
    page.get_by_label("Recruit the first ten buddies").check()
    page.get_by_role("button", name="Log the activity").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter a whole number of people, like 12.")
    expect(page.get_by_label("Title")).to_have_value("Study visit to the buddy scheme")
    page.get_by_label("From the mentee city").fill("6")
    page.get_by_role("button", name="Log the activity").click()
    expect_flash(page, "The activity is logged.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Study visit to the buddy scheme")
    assert_accessible(page)

    agenda = tmp_path / "agenda.pdf"
    agenda.write_bytes(PDF)
    page.get_by_label("File").set_input_files(agenda)
    page.get_by_role("button", name="Add the file").click()
    expect_flash(page, "The file is added.")
    expect(page.get_by_role("link", name="agenda.pdf")).to_be_visible()

    page.get_by_role("link", name="Mark as held").click()
    assert_accessible(page)
    page.get_by_label("Outcomes").fill("Capaci drafted the **first steps** of its plan.")
    page.get_by_role("button", name="Mark as held").click()
    expect_flash(page, "The activity is marked as held.")
    expect(page.locator("strong", has_text="first steps")).to_be_visible()
    activity_path = re.sub(r"^https?://[^/]+", "", page.url).split("#")[0]

    page.get_by_role("link", name="Edit the activity").click()
    expect(page.get_by_label("Title")).to_have_value("Study visit to the buddy scheme")
    assert_accessible(page)

    reader = new_page()
    log_in(reader, people["participant"])
    reader.goto(activity_path)
    reader.get_by_role("link", name="Give my feedback").click()
    assert_accessible(reader)
    reader.get_by_role("button", name="Save my feedback").click()
    expect(reader.get_by_role("alert")).to_contain_text("Choose how useful it was, from 1 to 5.")
    assert_accessible(reader)
    reader.get_by_label("5 – Very useful").check()
    reader.get_by_label("Comment").fill("We will start our own buddy training.")
    reader.get_by_role("button", name="Save my feedback").click()
    expect_flash(reader, "Thank you: your feedback is saved.")
    expect(reader.get_by_text("5.0 out of 5 (1 rating)")).to_be_visible()
    expect(reader.get_by_text("Chiara Rossi (Capaci)")).to_be_visible()
    assert_accessible(reader)


def test_activity_pages_reflow_at_320_px(new_page, people):
    page = new_page(width=320, height=640)
    log_in(page, people["coordinator"])
    for path in (
        f"/pairings/{people['pairing']}/activities",
        f"/pairings/{people['pairing']}/activities/new",
        f"/activities/{people['held']}",
        f"/activities/{people['held']}/edit",
    ):
        response = page.goto(path)
        assert response.status == 200, path
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 320, f"{path} is {width} px wide at a 320 px viewport"
