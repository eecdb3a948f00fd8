"""The activity pages in Chromium: a coordinator logs a planned study visit through the real
form (CSRF on), attaches a PDF agenda, marks the visit held with its outcomes; a participant
of the other city rates it; an officer of the association that monitors the pairing reads
the outcomes and the feedback and can change nothing. Every page passes axe-core and
reflows at 320 px."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from exchange.db import db, utcnow
from tests import factories
from tests.activities.helpers import PDF
from tests.browser.conftest import assert_accessible, end_transaction, expect_flash, log_in

pytestmark = pytest.mark.browser

STUDY_VISIT = "Study visit to the buddy scheme"
COMMENT = "We will start our own buddy training."


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
        "officer": cast.officer.email,  # VVSG, Mechelen's association: it monitors the pairing
    }
    end_transaction()
    return found


def status_of(page):
    return page.locator("main .status").first


def expect_not_found(page, path: str) -> None:
    response = page.goto(path)
    assert response.status == 404, f"{path}: {response.status}"
    expect(page.get_by_role("heading", level=1, name="Page not found")).to_be_visible()


def test_log_a_study_visit_attach_its_agenda_mark_it_held_rate_it_and_read_it(
    new_page, people, tmp_path
):
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
    page.get_by_label("Title").fill(STUDY_VISIT)
    # planned, dated yesterday: it has started, so it can be marked held once it is logged
    page.get_by_label("Start date").fill(yesterday)
    page.get_by_label("Start time").fill("09:30")
    page.get_by_label("End time").fill("17:00")
    page.get_by_label("Host city").select_option(label="Mechelen (mentor)")
    status = page.get_by_role("group", name="Status", exact=True)
    expect(status.get_by_label("Planned")).to_be_checked()  # the default
    status.get_by_label("Planned").check()
    page.get_by_label("From the mentee city").fill("abc")
    page.get_by_label("Recruit the first ten buddies").check()
    page.get_by_role("button", name="Log the activity").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter a whole number of people, like 12.")
    expect(page.get_by_label("Title")).to_have_value(STUDY_VISIT)
    expect(status.get_by_label("Planned")).to_be_checked()
    page.get_by_label("From the mentee city").fill("6")
    page.get_by_role("button", name="Log the activity").click()
    expect_flash(page, "The activity is logged.")
    expect(page.get_by_role("heading", level=1)).to_have_text(STUDY_VISIT)
    expect(status_of(page)).to_have_text("Planned")
    expect(page.locator("#feedback + p")).to_have_text(
        "Those who took part rate the activity once it is held."
    )
    expect(page.get_by_role("link", name="Give my feedback")).to_have_count(0)
    assert_accessible(page)

    agenda = tmp_path / "agenda.pdf"
    agenda.write_bytes(PDF)
    page.get_by_label("File").set_input_files(agenda)
    page.get_by_role("button", name="Add the file").click()
    expect_flash(page, "The file is added.")
    expect(page.get_by_role("link", name="agenda.pdf")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Mark as held").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Mark as held: {STUDY_VISIT}")
    assert_accessible(page)
    page.get_by_role("button", name="Mark as held").click()
    expect(page.get_by_role("alert")).to_contain_text("Write down what came out of the activity.")
    assert_accessible(page)
    page.get_by_label("Outcomes").fill("Capaci drafted the **first steps** of its plan.")
    page.get_by_role("button", name="Mark as held").click()
    expect_flash(page, "The activity is marked as held.")
    expect(status_of(page)).to_have_text("Held")
    expect(page.locator("strong", has_text="first steps")).to_be_visible()
    expect(page.get_by_role("link", name="Mark as held")).to_have_count(0)
    activity_path = re.sub(r"^https?://[^/]+", "", page.url).split("#")[0]

    page.get_by_role("link", name="Edit the activity").click()
    expect(page.get_by_label("Title")).to_have_value(STUDY_VISIT)
    assert_accessible(page)

    # a participant of Capaci, the mentee city (the other side), rates the visit
    reader = new_page()
    log_in(reader, people["participant"])
    reader.goto(activity_path)
    reader.get_by_role("link", name="Give my feedback").click()
    assert_accessible(reader)
    reader.get_by_role("button", name="Save my feedback").click()
    expect(reader.get_by_role("alert")).to_contain_text("Choose how useful it was, from 1 to 5.")
    assert_accessible(reader)
    reader.get_by_label("5 – Very useful").check()
    reader.get_by_label("Comment").fill(COMMENT)
    reader.get_by_role("button", name="Save my feedback").click()
    expect_flash(reader, "Thank you: your feedback is saved.")
    expect(reader.get_by_text("5.0 out of 5 (1 rating)")).to_be_visible()
    expect(reader.get_by_text("Chiara Rossi (Capaci)")).to_be_visible()
    expect(reader.get_by_role("link", name="Edit the activity")).to_have_count(0)
    assert_accessible(reader)

    # VVSG's officer, who monitors the pairing, reads the outcomes and the feedback
    officer = new_page()
    log_in(officer, people["officer"])
    officer.goto(f"/pairings/{people['pairing']}/activities")
    expect(officer.get_by_role("heading", level=2, name="Activities")).to_be_visible()
    expect(officer.get_by_role("link", name="Log an activity")).to_have_count(0)
    row = officer.get_by_role("row", name=STUDY_VISIT)
    expect(row).to_contain_text("Held")
    expect(row).to_contain_text("5.0 out of 5 (1 rating)")
    assert_accessible(officer)
    row.get_by_role("link", name=STUDY_VISIT).click()
    expect(officer.get_by_role("heading", level=1)).to_have_text(STUDY_VISIT)
    expect(status_of(officer)).to_have_text("Held")
    outcomes = officer.get_by_role("region", name="Outcomes")
    expect(outcomes).to_contain_text("Capaci drafted the first steps of its plan.")
    expect(outcomes.locator("strong", has_text="first steps")).to_be_visible()
    expect(officer.get_by_text("Usefulness: 5.0 out of 5 (1 rating)")).to_be_visible()
    given = officer.locator(".feedback-list > li")
    expect(given).to_have_count(1)
    expect(given).to_contain_text("5 – Very useful")
    expect(given).to_contain_text("Chiara Rossi (Capaci)")
    expect(given).to_contain_text(COMMENT)
    expect(officer.get_by_role("link", name="agenda.pdf")).to_be_visible()
    for name in ("Edit the activity", "Mark as held", "Log an activity"):
        expect(officer.get_by_role("link", name=name)).to_have_count(0)
    expect(officer.get_by_role("button", name="Add the file")).to_have_count(0)
    expect(officer.get_by_role("button", name="Remove agenda.pdf")).to_have_count(0)
    assert_accessible(officer)
    agenda_download = officer.request.get(
        officer.get_by_role("link", name="agenda.pdf").get_attribute("href")
    )
    assert agenda_download.status == 200
    assert agenda_download.body().startswith(b"%PDF")
    for path in (f"{activity_path}/edit", f"{activity_path}/held"):
        expect_not_found(officer, path)
    assert_accessible(officer)


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
