"""Reports in Chromium: an association officer filters the dashboard to the pairings at risk
and downloads its PDF; a participant opens their pairing's report, narrows its period, gets
a clear message for a reversed one, and downloads the history as CSV. The dashboard and the
report, in each state, pass axe-core and read without horizontal scrolling at 320 px."""

import csv
import datetime as dt
import io
import re
import subprocess
from dataclasses import dataclass

import pytest
from playwright.sync_api import expect

from exchange.db import db, utcnow
from tests import factories
from tests.browser.conftest import assert_accessible, end_transaction, log_in, main_nav

pytestmark = pytest.mark.browser

WIDTH = 320
HELD_TITLE = "Study visit to the buddy scheme"
OLD_TITLE = "Kick-off in Mechelen"


@dataclass(frozen=True)
class Reports:
    at_risk: int  # Mechelen mentors Capaci: nothing held since its confirmation 120 days ago
    on_track: int  # Brugge mentors Lyon: a visit held a week ago
    officer: str  # VVSG, the association of Mechelen and Brugge
    participant: str  # a member of Mechelen's staff


@pytest.fixture
def reports(live_server) -> Reports:
    today = utcnow().date()
    cast = factories.make_cast()
    brugge = factories.make_org(name="Brugge", parent=cast.vvsg)
    lyon = factories.make_org(name="Lyon", country="FR", languages=["fr"])
    at_risk = factories.make_pairing(
        cast.mechelen,
        cast.capaci,
        status="active",
        confirmed_dt=utcnow() - dt.timedelta(days=120),
        start_date=today - dt.timedelta(days=120),
    )
    on_track = factories.make_pairing(
        brugge,
        lyon,
        status="active",
        confirmed_dt=utcnow() - dt.timedelta(days=200),
        start_date=today - dt.timedelta(days=200),
    )
    factories.make_activity(on_track, title="Visit to Lyon", start_date=today - dt.timedelta(7))
    # Mechelen and Capaci met before the confirmation: a kick-off long ago, a study visit
    # 130 days ago (both before the clock started), one planned next month
    factories.make_activity(at_risk, title=OLD_TITLE, start_date=today - dt.timedelta(days=300))
    factories.make_activity(
        at_risk,
        title=HELD_TITLE,
        start_date=today - dt.timedelta(days=130),
        outcomes="Capaci will start **its own** buddy scheme.",
    )
    factories.make_activity(
        at_risk, status="planned", title="Transfer workshop", start_date=today + dt.timedelta(30)
    )
    factories.make_action(
        at_risk, title="Train the first buddies", due_date=today - dt.timedelta(days=10)
    )
    built = Reports(
        at_risk=at_risk.id,
        on_track=on_track.id,
        officer=cast.officer.email,
        participant=cast.participant.email,
    )
    db.session.commit()
    end_transaction()
    return built


def no_horizontal_scrolling(page) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= WIDTH, f"{page.url} is {width} px wide at a {WIDTH} px viewport"


def pdf_text(data: bytes) -> str:
    """The PDF's words in reading order, one space between them (table cells wrap)."""
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode("utf-8")
    return " ".join(text.split())


def test_an_officer_filters_the_dashboard_to_pairings_at_risk_and_downloads_the_pdf(
    new_page, reports
):
    page = new_page()
    log_in(page, reports.officer)
    main_nav(page).get_by_role("link", name="Dashboard").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")
    table = page.get_by_role("table")
    expect(table).to_contain_text("Mechelen mentors Capaci")
    expect(table).to_contain_text("Brugge mentors Lyon")
    assert_accessible(page)

    page.get_by_label("Pairing health", exact=True).select_option(label="At risk")
    page.get_by_role("button", name="Show pairings").click()
    expect(page).to_have_url(re.compile(r"[?&]health=red"))
    expect(table).to_contain_text("Mechelen mentors Capaci")
    expect(table).not_to_contain_text("Brugge mentors Lyon")
    expect(table).to_contain_text("No activity held since the confirmation 120 days ago.")
    expect(table).to_contain_text("1 action of the plan is overdue.")
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("button", name="Download PDF").click()
    assert download.value.suggested_filename.endswith(".pdf")
    text = pdf_text(download.value.path().read_bytes())
    assert "Mechelen mentors Capaci" in text
    assert "Brugge mentors Lyon" not in text
    assert "At risk" in text

    # the same pairings as CSV, streamed by the real server after the download's commit
    with page.expect_download() as download:
        page.get_by_role("button", name="Download CSV").click()
    data = download.value.path().read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert len(rows) == 2, rows
    assert "Mechelen mentors Capaci" in rows[1]


def test_a_participant_reads_their_pairings_report_and_downloads_its_history(new_page, reports):
    page = new_page()
    log_in(page, reports.participant)
    page.goto(f"/pairings/{reports.at_risk}")
    page.get_by_role("navigation", name="Pairing").get_by_role("link", name="Report").click()
    expect(page.get_by_role("heading", name="Progress report")).to_be_visible()
    expect(page.locator("main")).to_contain_text(HELD_TITLE)
    expect(page.locator("main")).to_contain_text("its own")
    assert_accessible(page)

    # a period that ends before the study visit leaves only the kick-off
    page.get_by_label("First day", exact=True).fill(
        (utcnow().date() - dt.timedelta(days=400)).isoformat()
    )
    page.get_by_label("Last day", exact=True).fill(
        (utcnow().date() - dt.timedelta(days=200)).isoformat()
    )
    page.get_by_role("button", name="Show the report").click()
    expect(page.locator("main")).to_contain_text(OLD_TITLE)
    expect(page.locator("main")).not_to_contain_text(HELD_TITLE)

    with page.expect_download() as download:
        page.get_by_role("link", name="History of events (CSV)").click()
    data = download.value.path().read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    subjects = " ".join(" ".join(row) for row in rows[1:])
    assert OLD_TITLE in subjects
    assert HELD_TITLE not in subjects

    # a reversed period is named next to its field; what was typed stays
    page.get_by_label("First day", exact=True).fill("2026-06-30")
    page.get_by_label("Last day", exact=True).fill("2026-01-01")
    page.get_by_role("button", name="Show the report").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "The last day cannot be before the first day."
    )
    expect(page.get_by_label("Last day", exact=True)).to_have_value("2026-01-01")
    expect(page.get_by_role("link", name="History of events (CSV)")).to_have_count(0)
    assert_accessible(page)


def test_the_dashboard_and_the_report_read_at_320_px(new_page, reports):
    page = new_page(width=WIDTH, height=640)
    log_in(page, reports.officer)
    for path in (
        "/dashboard",
        "/dashboard?health=red",
        f"/pairings/{reports.at_risk}/report",
        f"/pairings/{reports.at_risk}/report?from=2026-06-30&to=2026-01-01",
        f"/pairings/{reports.on_track}/report",
    ):
        page.goto(path)
        assert_accessible(page)
        no_horizontal_scrolling(page)
