"""The exchange log in Chromium at a 320 px wide viewport (WCAG 1.4.10, reflow): a pairing
with a full log (activities planned and held, files, feedback, the action plan with an
overdue action, indicators with measurements, risks) read page by page, every form of the
plan sent empty or wrong, an edit conflict on an activity, and the private calendar link
made, renewed and turned off. Each page and each state of a form passes axe-core and needs
no horizontal scrolling."""

import datetime as dt
import io
import re
from dataclasses import dataclass
from decimal import Decimal

import pytest
from playwright.sync_api import expect
from werkzeug.datastructures import FileStorage

from exchange.activities import services as activity_services
from exchange.db import db, utcnow
from exchange.plans import services as plan_services
from tests import factories
from tests.activities.helpers import PDF
from tests.browser.conftest import assert_accessible, end_transaction, expect_flash, log_in

pytestmark = pytest.mark.browser

WIDTH = 320
HELD = "Study visit to the buddy scheme"
UPCOMING = "Transfer workshop in Capaci"
KICK_OFF = "Kick-off of the pairing"
DONE_ACTION = "Open the welcome desk"
OVERDUE_ACTION = "Train the first buddies"
INDICATOR = "Newcomers with a buddy"
RISK = "Too few volunteers sign up."
FIRST_COMMENT = "We will start our own buddy training."
SECOND_COMMENT = "Good questions from Capaci; we learnt as much as they did."
# A long word must wrap instead of widening the page.
LONG_WORD = "Intercultural_mediation_and_buddy_scheme_handbook_2026_final_version"
# An online meeting's address, as a venue: a long run of characters with nowhere to break.
MEETING_URL = (
    "https://teams.example.com/l/meetup-join/"
    "19%3ameeting_NjQ5ZGY1YzEtYjU0ZC00ZDMxLWI0NGItNjE3YjRiZWM0ZmFh%40thread.v2/0"
)


@dataclass(frozen=True)
class Log:
    """Plain ids and addresses of a pairing with a full log (see end_transaction)."""

    pairing: int
    held: int
    upcoming: int
    indicator: int
    coordinator: str  # Mechelen, the mentor city
    other_coordinator: str  # Capaci, the mentee city


@pytest.fixture
def log(live_server) -> Log:
    today = utcnow().date()
    cast = factories.make_cast()
    capaci_participant = factories.make_user(
        organisation=cast.capaci, email="participant@capaci.example", name="Chiara Rossi"
    )
    pairing = factories.make_pairing(
        cast.mechelen,
        cast.capaci,
        status="active",
        time_zone="Europe/Brussels",
        confirmed_dt=utcnow() - dt.timedelta(days=90),
        start_date=today - dt.timedelta(days=90),
    )
    coordinator = cast.coordinator

    # the plan, consolidated three days ago; an action done, one overdue
    plan_services.save_plan(
        coordinator,
        pairing,
        None,
        {
            "status": "consolidated",
            "vision": "A buddy for **every** newcomer in Capaci.",
            "target_groups": "Newly arrived families",
            "local_practice_name": "Amici di quartiere",
            "monitoring_method": "Counted every quarter by the social services.",
        },
        today - dt.timedelta(days=3),
    )
    plan_services.create_action(
        coordinator,
        pairing,
        {
            "title": DONE_ACTION,
            "description": "With the residents' committees.",
            "responsible": "Social services",
            "partners": "Red Cross",
            "start_date": today - dt.timedelta(days=60),
            "due_date": today - dt.timedelta(days=20),
            "budget": Decimal("12500.50"),
            "funding_source": "City budget",
            "status": "done",
        },
        None,
    )
    factories.make_action(
        pairing,
        title=OVERDUE_ACTION,
        partners=LONG_WORD,
        start_date=today - dt.timedelta(days=40),
        due_date=today - dt.timedelta(days=5),
    )
    indicator = factories.make_indicator(
        pairing,
        name=INDICATOR,
        measurements=[(today - dt.timedelta(days=60), 5), (today - dt.timedelta(days=7), 14)],
    )
    factories.make_risk(pairing, description=RISK)
    factories.make_risk(
        pairing, description="The council changes after the elections.", status="mitigated"
    )

    # activities: a kick-off and a study visit held, a workshop coming up
    factories.make_activity(
        pairing,
        type="kick_off",
        study_visit_round=None,
        title=KICK_OFF,
        format="online",
        host=None,
        venue=None,
        start_date=today - dt.timedelta(days=40),
        outcomes="The two teams met.",
    )
    held = factories.make_activity(
        pairing,
        title=HELD,
        start_date=today - dt.timedelta(days=10),
        start_time=dt.time(9, 30),
        end_time=dt.time(17),
        agenda=f"- Welcome\n- {LONG_WORD}\n- The buddies tell their story",
        outcomes="Capaci drafted the **first steps** of its plan.",
        follow_up="- Send the handbook to Capaci",
    )
    upcoming = factories.make_activity(
        pairing,
        status="planned",
        type="transfer_workshop",
        study_visit_round=None,
        title=UPCOMING,
        host=cast.capaci,
        venue="Capaci town hall",
        start_date=today + dt.timedelta(days=20),
        objectives="Adapt the buddy scheme to Capaci.",
    )
    activity_services.add_attachment(
        coordinator, held, FileStorage(io.BytesIO(PDF), filename="agenda.pdf")
    )
    activity_services.add_attachment(
        coordinator, held, FileStorage(io.BytesIO(PDF), filename=f"{LONG_WORD}.pdf")
    )
    activity_services.give_feedback(capaci_participant, held, 4, FIRST_COMMENT)
    activity_services.give_feedback(cast.participant, held, 5, SECOND_COMMENT)
    db.session.commit()
    found = Log(
        pairing=pairing.id,
        held=held.id,
        upcoming=upcoming.id,
        indicator=indicator.id,
        coordinator=coordinator.email,
        other_coordinator=cast.other_coordinator.email,
    )
    end_transaction()
    return found


# The innermost elements that stick out on the right of the viewport, those with the longest
# unbreakable run of text first (the likely cause), to name in a report.
TOO_WIDE = """width => [...document.body.querySelectorAll("*")]
    .filter(e => e.getBoundingClientRect().right > width + 1)
    .filter(e => ![...e.children].some(c => c.getBoundingClientRect().right > width + 1))
    .map(e => [Math.max(0, ...e.textContent.split(/\\s+/).map(w => w.length)), e])
    .sort((a, b) => b[0] - a[0])
    .slice(0, 3)
    .map(([_, e]) => `<${e.tagName.toLowerCase()}${e.className ? ` class="${e.className}"` : ""}>`
        + ` in <${e.parentElement.tagName.toLowerCase()}>, right edge at `
        + `${Math.round(e.getBoundingClientRect().right)} px: `
        + JSON.stringify(e.textContent.trim().slice(0, 70)))"""


class Checks:
    """Run axe-core and the reflow check on each page visited; gather what they find, so a
    journey goes on to its end and reports every page with a problem at once."""

    def __init__(self):
        self.problems: list[str] = []

    def __call__(self, page) -> None:
        try:
            assert_accessible(page)
        except AssertionError as found:
            self.problems.append(str(found))
        width = page.evaluate("() => document.documentElement.scrollWidth")
        if width > WIDTH:
            self.problems.append(
                f"{page.url} is {width} px wide at a {WIDTH} px viewport; too wide:\n"
                + "\n".join(f"    {wide}" for wide in page.evaluate(TOO_WIDE, WIDTH))
            )

    def assert_none(self) -> None:
        assert not self.problems, "\n\n".join(self.problems)


@pytest.fixture
def check():
    return Checks()


def narrow_page(new_page, email: str):
    page = new_page(width=WIDTH, height=640)
    log_in(page, email)
    return page


def error_summary(page):
    return page.get_by_role("alert").filter(has_text="There is a problem")


def ics_text(data: bytes) -> str:
    """An iCalendar file's text with its folded lines unfolded (RFC 5545, 3.1)."""
    return data.decode("utf-8").replace("\r\n ", "").replace("\r\n\t", "")


def test_the_log_reads_well_at_320_px_and_its_calendars_download(new_page, log, check):
    page = narrow_page(new_page, log.coordinator)

    # the overview: activities coming up and held, the plan, the timeline, the calendar
    page.goto(f"/pairings/{log.pairing}")
    activities = page.get_by_role("region", name="Activities", exact=True)
    expect(activities).to_contain_text("2 activities held · 1 planned")
    expect(activities.get_by_role("link", name=f"Transfer workshop: {UPCOMING}")).to_be_visible()
    expect(activities.get_by_role("link", name=f"Study visit 1: {HELD}")).to_be_visible()
    expect(activities.get_by_role("link", name="create your calendar link")).to_be_visible()
    plan = page.get_by_role("region", name="Action plan", exact=True)
    expect(plan).to_contain_text("Status of the plan: Consolidated")
    expect(plan).to_contain_text("1 overdue")
    latest = page.get_by_role("region", name="Latest in the timeline")
    expect(latest.get_by_role("heading", name="Action plan: Consolidated")).to_be_visible()
    expect(latest.get_by_role("heading", name=f"Measured: {INDICATOR}")).to_be_visible()
    check(page)

    # the pairing's calendar, as a download
    with page.expect_download() as download:
        activities.get_by_role("link", name="Download the calendar (.ics)").click()
    calendar = ics_text(download.value.path().read_bytes())
    assert calendar.startswith("BEGIN:VCALENDAR"), calendar[:80]
    for summary in (UPCOMING, f"Study visit 1: {HELD}", KICK_OFF):
        assert f"SUMMARY:{summary}\r\n" in calendar, summary

    # the whole timeline, newest first
    latest.get_by_role("link", name="The whole timeline").click()
    expect(page.get_by_role("heading", level=2, name="Timeline", exact=True)).to_be_visible()
    titles = page.locator("ol.timeline .timeline-title")
    expect(titles.filter(has_text=UPCOMING)).to_have_count(0)  # it has not happened yet
    newest_first = (
        f"Action done: {DONE_ACTION}",  # today
        "Action plan: Consolidated",  # three days ago
        f"Measured: {INDICATOR}",  # a week ago (and two months ago)
        f"Study visit 1: {HELD}",  # ten days ago
        f"Kick-off: {KICK_OFF}",  # forty days ago
    )
    for title in newest_first:
        expect(titles.filter(has_text=title)).not_to_have_count(0)
    shown = [text.strip() for text in titles.all_inner_texts()]
    first_seen = [shown.index(title) for title in newest_first]
    assert first_seen == sorted(first_seen), shown
    check(page)

    # the activities, filtered
    page.get_by_role("navigation", name="Pairing").get_by_role("link", name="Activities").click()
    page.get_by_label("Status").select_option(label="Held")
    page.get_by_label("Type of activity").select_option(label="Study visit")
    page.get_by_role("button", name="Show activities").click()
    expect(page).to_have_url(re.compile(r"status=held.*type=study_visit"))
    table = page.get_by_role("table", name=re.compile("activity"))
    expect(table.locator("caption")).to_have_text("1 activity (filtered)")
    expect(table.get_by_role("row", name=HELD)).to_contain_text("4.5 out of 5 (2 ratings)")
    expect(table.get_by_role("link", name=UPCOMING)).to_have_count(0)
    expect(page.get_by_role("link", name="Clear the filters")).to_be_visible()
    check(page)

    # the held study visit, with its files and feedback
    table.get_by_role("link", name=HELD).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(HELD)
    expect(page.get_by_role("link", name="agenda.pdf")).to_be_visible()
    expect(page.get_by_role("link", name=f"{LONG_WORD}.pdf")).to_be_visible()
    expect(page.get_by_text("Usefulness: 4.5 out of 5 (2 ratings)")).to_be_visible()
    expect(page.locator(".feedback-list > li")).to_have_count(2)
    expect(page.get_by_text(FIRST_COMMENT)).to_be_visible()
    check(page)

    # its "Add to my calendar" file
    link = page.get_by_role("link", name="Add to my calendar")
    response = page.request.get(link.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/calendar")
    event = ics_text(response.body())
    assert event.startswith("BEGIN:VCALENDAR")
    assert f"SUMMARY:Study visit 1: {HELD}\r\n" in event

    # the feedback form, sent without a rating
    page.get_by_role("link", name="Give my feedback").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Your feedback on {HELD}")
    check(page)
    page.get_by_label("Comment").fill(LONG_WORD)
    page.get_by_role("button", name="Save my feedback").click()
    expect(error_summary(page)).to_contain_text("Choose how useful it was, from 1 to 5.")
    expect(page.get_by_label("Comment")).to_have_value(LONG_WORD)
    check(page)

    # the action plan: actions (one overdue), indicators with measurements, risks
    page.goto(f"/pairings/{log.pairing}/plan")
    expect(page.get_by_role("row", name=OVERDUE_ACTION)).to_contain_text("Overdue")
    expect(page.get_by_role("row", name=DONE_ACTION)).to_contain_text("€12,500.50")
    expect(page.get_by_role("heading", name=INDICATOR)).to_be_visible()
    expect(page.get_by_text("35% of the way from the baseline to the target")).to_be_visible()
    expect(page.get_by_role("table", name=f"Measurements of “{INDICATOR}”")).to_be_visible()
    expect(page.get_by_role("row", name=RISK)).to_contain_text("Open")
    check(page)
    check.assert_none()


def test_the_plan_forms_and_an_edit_conflict_at_320_px(new_page, log, check):
    page = narrow_page(new_page, log.coordinator)
    in_two_days = (utcnow().date() + dt.timedelta(days=2)).isoformat()

    # the plan: a status dated in the future is refused, what was typed is kept
    page.goto(f"/pairings/{log.pairing}/plan/edit")
    expect(page.get_by_role("heading", level=1, name="Edit the action plan")).to_be_visible()
    check(page)
    page.get_by_role("group", name="Status of the plan").get_by_label("Reviewed").check()
    page.get_by_label("Date the plan reached this status").fill(in_two_days)
    page.get_by_label("Vision").fill(f"A buddy for every newcomer. {LONG_WORD}")
    page.get_by_role("button", name="Save the plan").click()
    expect(error_summary(page)).to_contain_text("The date cannot be in the future")
    expect(page.get_by_label("Vision")).to_have_value(f"A buddy for every newcomer. {LONG_WORD}")
    check(page)

    # an action: no title, a negative budget
    page.goto(f"/pairings/{log.pairing}/actions/new")
    expect(page.get_by_role("heading", level=1, name="Add an action")).to_be_visible()
    check(page)
    page.get_by_label("Budget in euro").fill("-5")
    page.get_by_role("button", name="Add the action").click()
    expect(error_summary(page)).to_contain_text("Enter the title of the action.")
    expect(error_summary(page)).to_contain_text("The budget cannot be negative.")
    check(page)

    # an indicator: no name, no target
    page.goto(f"/pairings/{log.pairing}/indicators/new")
    expect(page.get_by_role("heading", level=1, name="Add an indicator")).to_be_visible()
    check(page)
    page.get_by_role("button", name="Add the indicator").click()
    expect(error_summary(page)).to_contain_text("Enter the name of the indicator.")
    expect(error_summary(page)).to_contain_text("Enter the value to reach.")
    check(page)

    # a measurement: no value, a date in the future
    page.goto(f"/indicators/{log.indicator}/measurements/new")
    expect(page.get_by_role("heading", level=1, name="Add a measurement")).to_be_visible()
    check(page)
    page.get_by_label("Date measured").fill(in_two_days)
    page.get_by_role("button", name="Add the measurement").click()
    expect(error_summary(page)).to_contain_text("Enter the value.")
    check(page)
    page.get_by_label("Value").fill("20")
    page.get_by_role("button", name="Add the measurement").click()
    expect(error_summary(page)).to_contain_text("The date cannot be in the future")
    check(page)

    # a risk: nothing chosen
    page.goto(f"/pairings/{log.pairing}/risks/new")
    expect(page.get_by_role("heading", level=1, name="Add a risk")).to_be_visible()
    check(page)
    page.get_by_role("button", name="Add the risk").click()
    expect(error_summary(page)).to_contain_text("Describe the risk.")
    expect(error_summary(page)).to_contain_text("Choose how likely the risk is.")
    expect(error_summary(page)).to_contain_text("Choose how much harm it would do.")
    check(page)

    # an edit conflict: Capaci's coordinator saves the workshop while Mechelen's edits it
    edit_path = f"/activities/{log.upcoming}/edit"
    page.goto(edit_path)
    expect(page.get_by_role("heading", level=1, name="Edit the activity")).to_be_visible()
    check(page)
    colleague = new_page()
    log_in(colleague, log.other_coordinator)
    colleague.goto(edit_path)
    colleague.get_by_label("Venue").fill(MEETING_URL)
    colleague.get_by_role("button", name="Save the activity").click()
    expect_flash(colleague, "The activity is saved.")

    page.get_by_label("Objectives").fill("Adapt the buddy scheme to Capaci's schools.")
    page.get_by_role("button", name="Save the activity").click()
    notice = page.get_by_role("alert").filter(
        has_text="Someone else changed this while you were editing"
    )
    expect(notice).to_be_visible()
    expect(notice.locator("dt")).to_have_text(["Venue"])
    expect(notice.locator("dd")).to_have_text([MEETING_URL])
    expect(page.get_by_label("Objectives")).to_have_value(
        "Adapt the buddy scheme to Capaci's schools."
    )
    expect(page.get_by_label("Venue")).to_have_value("Capaci town hall")  # as typed
    check(page)

    # re-applied on top of the colleague's change, it saves
    page.get_by_label("Venue").fill(MEETING_URL)
    page.get_by_role("button", name="Save the activity").click()
    expect_flash(page, "The activity is saved.")
    expect(page.get_by_text(MEETING_URL)).to_be_visible()
    expect(page.get_by_role("region", name="Objectives")).to_contain_text(
        "Adapt the buddy scheme to Capaci's schools."
    )
    check(page)
    check.assert_none()


def test_the_calendar_link_is_made_renewed_and_turned_off_at_320_px(new_page, log, check):
    page = narrow_page(new_page, log.coordinator)
    stranger = new_page()  # no login: as a calendar app reads the link
    dialogs = []

    def answer(accept: bool):
        def handle(dialog):
            dialogs.append(dialog.message)
            if accept:
                dialog.accept()
            else:
                dialog.dismiss()

        return handle

    # no link yet
    page.goto("/account")
    section = page.get_by_role("region", name="Calendar", exact=True)
    expect(section.get_by_role("textbox")).to_have_count(0)
    check(page)

    # create it: a readonly field, labelled, with the private address
    section.get_by_role("button", name="Create my calendar link").click()
    expect_flash(page, "Your calendar link is ready: add it to your calendar app.")
    link = page.get_by_label("Your calendar link")
    expect(link).to_have_attribute("readonly", "")
    expect(link).to_have_value(re.compile(r"^https?://[^/]+/calendar/[\w-]+\.ics$"))
    first_url = link.input_value()
    check(page)
    feed = stranger.request.get(first_url)
    assert feed.status == 200
    assert ics_text(feed.body()).startswith("BEGIN:VCALENDAR")

    # the pairing's overview now offers its own subscription link
    page.goto(f"/pairings/{log.pairing}")
    page.get_by_text("Subscribe to this pairing's calendar").click()
    subscription = page.get_by_label("Subscription link for this pairing")
    expect(subscription).to_be_visible()
    expect(subscription).to_have_attribute("readonly", "")
    expect(subscription).to_have_value(
        re.compile(rf"/pairings/{log.pairing}/calendar\.ics\?token=")
    )
    pairing_url = subscription.input_value()
    check(page)
    calendar = stranger.request.get(pairing_url)
    assert calendar.status == 200
    assert f"SUMMARY:{UPCOMING}" in ics_text(calendar.body())

    # renew it: asked first; "Cancel" keeps the link, "OK" replaces it
    page.goto("/account")
    renew = page.get_by_role("button", name="Make a new link (the old one stops working)")
    page.once("dialog", answer(accept=False))
    renew.click()
    expect(page.get_by_label("Your calendar link")).to_have_value(first_url)
    page.once("dialog", answer(accept=True))
    renew.click()
    expect_flash(page, "Your new calendar link is ready. The old link no longer works")
    expect(page.get_by_label("Your calendar link")).not_to_have_value(first_url)
    second_url = page.get_by_label("Your calendar link").input_value()
    check(page)
    assert stranger.request.get(first_url).status == 404
    assert stranger.request.get(pairing_url).status == 404
    assert stranger.request.get(second_url).status == 200

    # turn it off
    page.once("dialog", answer(accept=True))
    page.get_by_role("button", name="Turn off my calendar link").click()
    expect_flash(page, "Your calendar link is turned off")
    expect(page.get_by_role("button", name="Create my calendar link")).to_be_visible()
    expect(page.get_by_label("Your calendar link")).to_have_count(0)
    check(page)
    assert stranger.request.get(second_url).status == 404
    assert len(dialogs) == 3
    assert dialogs[0].startswith("Make a new link?")
    assert dialogs[2] == "Are you sure? Turn off my calendar link"

    # the overview goes back to the invitation to make one
    page.goto(f"/pairings/{log.pairing}")
    expect(page.get_by_role("link", name="create your calendar link")).to_be_visible()
    expect(page.get_by_label("Subscription link for this pairing")).to_have_count(0)
    check.assert_none()
