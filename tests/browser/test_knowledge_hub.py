"""The knowledge hub in Chromium, on the demo data: Mechelen's coordinator writes and
publishes a practice with a file, an anonymous visitor finds it by searching "buddy", Capaci
records its adoption within a pairing, and VVSG's officer posts news and a resource. Every
distinct page visited passes axe-core, and the public pages reflow at 320 px."""

import re
from dataclasses import dataclass

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from exchange import demo
from exchange.accounts.models import User
from exchange.db import db, utcnow
from exchange.demo_pairings import FICTIONAL_NAME
from exchange.news import services as news_services
from exchange.organisations.models import Organisation
from exchange.pairings.models import Pairing
from exchange.practices.models import Practice, PracticeStatus, Transfer
from exchange.programmes.models import Programme
from exchange.resources import services as resource_services
from tests.browser.conftest import (
    assert_accessible,
    end_transaction,
    expect_flash,
    log_in,
)

pytestmark = pytest.mark.browser

MECHELEN = "coordinator.mechelen@demo.example"
CAPACI = "coordinator.capaci@demo.example"
OFFICER = "officer.vvsg@demo.example"

SAMEN = "Samen Inburgeren: buddies with refugees"
TITLE = "Neighbourhood walks for newcomers"
SUMMARY = (
    "Every newcomer gets a buddy from the neighbourhood who walks with them to the library, "
    "the sports club and the market during the first three months."
)
HOW_IT_WORKS = (
    "The city matches each newcomer with a volunteer living nearby.\n"
    "They meet once a week for a walk and a coffee; a social worker coaches the volunteers."
)
PDF_NAME = "walks-handbook.pdf"
LOCAL_NAME = "Passeggiate Capaci"
ADAPTATION = "The walks start from the parish hall, with an interpreter for Arabic."
NEWS_TITLE = "Twelve cities meet in Mechelen on buddy schemes"
NEWS_SUMMARY = "Coordinators compared how they recruit and coach volunteer buddies."
NEWS_BODY = "## What they learned\n\nRecruit **through sports clubs**.\n\n- Coach\n- Celebrate"
RESOURCE_TITLE = "Guide to welcoming newcomers in small municipalities"
RESOURCE_URL = "https://www.vvsg.example/guide-welcoming"


@dataclass(frozen=True)
class Demo:
    """The demo database's ids and password; plain values only (see end_transaction)."""

    password: str
    samen: int  # Mechelen's "Samen Inburgeren" practice, published
    brussels_capaci: int  # City of Brussels mentors Capaci, active (fictional programme)


@pytest.fixture
def demo_data(app, live_server) -> Demo:
    demo.load()
    db.session.commit()

    def org_id(name: str) -> int:
        return db.session.scalar(sa.select(Organisation.id).where(Organisation.name == name))

    fictional = db.session.scalar(sa.select(Programme.id).where(Programme.name == FICTIONAL_NAME))
    loaded = Demo(
        password=app.config["DEMO_PASSWORD"],
        samen=db.session.scalar(sa.select(Practice.id).where(Practice.title == SAMEN)),
        brussels_capaci=db.session.scalar(
            sa.select(Pairing.id).where(
                Pairing.programme_id == fictional,
                Pairing.mentor_id == org_id("City of Brussels"),
                Pairing.mentee_id == org_id("Capaci"),
            )
        ),
    )
    end_transaction()
    assert loaded.samen and loaded.brussels_capaci
    return loaded


class Axe:
    """Run axe-core on a page and keep what it finds, so that the journey goes on and the
    test fails at the end with every violation of every page."""

    def __init__(self):
        self.problems: list[str] = []

    def check(self, page, what: str) -> None:
        try:
            assert_accessible(page)
        except AssertionError as error:
            self.problems.append(f"{what}: {error}")

    def assert_clean(self) -> None:
        assert not self.problems, "axe-core violations:\n\n" + "\n\n".join(self.problems)


def search(page, words: str) -> None:
    page.get_by_role("searchbox", name="Search").fill(words)
    page.get_by_role("button", name="Show practices").click()


def result_titles(page):
    return page.locator("main ul.card-list > li h3")


def expect_error_summary(page, *messages: str) -> None:
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_be_focused()
    for message in messages:
        expect(summary).to_contain_text(message)


def test_publish_find_and_adopt_a_practice(new_page, demo_data, live_server):
    axe = Axe()
    visitor = new_page()

    # Anyone: the home page and the library.
    visitor.goto("/")
    expect(visitor.get_by_role("heading", level=2, name="Practices that work")).to_be_visible()
    axe.check(visitor, "home page (anonymous)")
    visitor.get_by_role("navigation", name="Main").get_by_role("link", name="Practices").click()
    expect(visitor.get_by_role("heading", level=1, name="Practices that work")).to_be_visible()
    expect(visitor.get_by_role("heading", level=2, name="7 practices")).to_be_visible()
    axe.check(visitor, "practice library, no query")

    # Mechelen's coordinator writes a practice; sent empty, the form says what is missing.
    writer = new_page()
    log_in(writer, MECHELEN, demo_data.password)
    writer.goto("/practices/")
    writer.get_by_role("link", name="Write a practice").click()
    expect(writer.get_by_role("heading", level=1, name="Write a practice")).to_be_visible()
    axe.check(writer, "practice form")
    writer.get_by_role("button", name="Save the practice").click()
    expect_error_summary(writer, "Title", "Summary")
    axe.check(writer, "practice form with errors")

    writer.get_by_label("Title").fill(TITLE)
    writer.get_by_label("Kind of practice").select_option(label="Buddy or mentoring scheme")
    writer.get_by_label("Language of the text").select_option(label="English")
    themes = writer.get_by_role("group", name=re.compile("^Themes"))
    themes.get_by_label("Social cohesion and anti-discrimination").check()
    writer.get_by_label("Summary").fill(SUMMARY)
    writer.get_by_label("How it works").fill(HOW_IT_WORKS)
    writer.get_by_label("Started in (year)").fill("2023")
    writer.get_by_role("button", name="Save the practice").click()
    expect_flash(writer, "The practice is saved as a draft. Publish it when it is ready.")
    expect(writer.get_by_role("heading", level=1, name=TITLE)).to_be_visible()
    expect(writer.get_by_text("Draft: only its editors see it")).to_be_visible()
    axe.check(writer, "practice page, draft (its editor)")
    practice_path = writer.url.removeprefix(live_server)
    assert re.fullmatch(r"/practices/\d+", practice_path), practice_path
    practice_id = int(practice_path.rsplit("/", 1)[1])

    # The draft is nobody else's business: not found by searching, not readable.
    visitor.goto("/practices/")
    search(visitor, "buddy")
    expect(result_titles(visitor).first).to_have_text(SAMEN)
    expect(result_titles(visitor).filter(has_text=TITLE)).to_have_count(0)
    response = visitor.goto(practice_path)
    assert response.status == 404, f"a draft gives {response.status} to anonymous visitors"

    # The coordinator publishes it and adds a file.
    writer.get_by_role("button", name="Publish").click()
    expect_flash(writer, "The practice is published: everyone can read it now.")
    expect(writer.get_by_text("Draft: only its editors see it")).to_have_count(0)
    expect(writer.get_by_role("button", name="Unpublish")).to_be_visible()
    writer.get_by_label("File").set_input_files(
        files=[
            {
                "name": PDF_NAME,
                "mimeType": "application/pdf",
                "buffer": b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
            }
        ]
    )
    writer.get_by_role("button", name="Add the file").click()
    expect_flash(writer, "The file is added.")
    expect(writer.get_by_role("link", name=PDF_NAME)).to_be_visible()
    axe.check(writer, "practice page, published (its editor)")

    # An anonymous visitor searches "buddy": both practices, the demo's first, matches marked.
    visitor.goto("/practices/")
    search(visitor, "buddy")
    expect(visitor).to_have_url(re.compile(r"/practices/\?.*q=buddy"))
    matches = visitor.get_by_role("heading", level=2, name=re.compile(r"practices match “buddy”"))
    expect(matches).to_be_visible()
    titles = result_titles(visitor)
    expect(titles.first).to_have_text(SAMEN)
    expect(titles.filter(has_text=TITLE)).to_have_count(1)
    expect(visitor.locator("main ul.card-list mark").first).to_be_visible()
    expect(
        visitor.locator("main ul.card-list mark").filter(has_text=re.compile("^budd", re.I))
    ).not_to_have_count(0)
    axe.check(visitor, "practice library, search with results")
    titles.filter(has_text=TITLE).get_by_role("link").click()
    expect(visitor.get_by_role("heading", level=1, name=TITLE)).to_be_visible()
    expect(visitor.get_by_role("link", name=PDF_NAME)).to_be_visible()
    expect(visitor.get_by_text("PDF,", exact=False)).to_be_visible()
    expect(visitor.get_by_role("button", name="Publish")).to_have_count(0)
    expect(visitor.get_by_label("File")).to_have_count(0)
    expect(visitor.get_by_text("No city has recorded adopting it yet.")).to_be_visible()
    axe.check(visitor, "practice page, published (anonymous)")

    # A search that finds nothing says so.
    visitor.goto("/practices/")
    search(visitor, "zyxwvut quokka")
    expect(visitor.get_by_text("No practice matches.")).to_be_visible()
    axe.check(visitor, "practice library, search without results")

    # Capaci's coordinator records, in City of Brussels mentors Capaci, that Capaci adapts it.
    adopter = new_page()
    log_in(adopter, CAPACI, demo_data.password)
    overview_path = f"/pairings/{demo_data.brussels_capaci}"
    adopter.goto(overview_path)
    expect(
        adopter.get_by_role("heading", level=1, name="City of Brussels mentors Capaci")
    ).to_be_visible()
    expect(adopter.get_by_text("No practice transfer is recorded yet.")).to_be_visible()
    adopter.get_by_role("link", name="Record a transfer of a practice").click()
    expect(adopter.get_by_role("heading", level=1, name="Record a transfer")).to_be_visible()
    axe.check(adopter, "transfer form")
    practice_choice = adopter.get_by_label("Practice", exact=True)
    expect(practice_choice.locator("option", has_text=f"{TITLE} (Mechelen)")).to_have_count(1)
    adopter.get_by_role("button", name="Save the transfer").click()
    expect_error_summary(adopter, "Choose a practice.")
    axe.check(adopter, "transfer form with errors")
    practice_choice.select_option(label=f"{TITLE} (Mechelen)")
    adopter.get_by_label("Local name").fill(LOCAL_NAME)
    adopter.get_by_role("group", name=re.compile("^Stage reached")).get_by_label(
        "Adapt", exact=True
    ).check()
    adopter.get_by_label("How the practice is adapted").fill(ADAPTATION)
    adopter.get_by_role("button", name="Save the transfer").click()
    expect_flash(adopter, "The transfer is recorded.")
    transfers = adopter.get_by_role("table", name="Practices Capaci is adopting")
    row = transfers.get_by_role("row").filter(has_text=TITLE)
    expect(row).to_contain_text(LOCAL_NAME)
    expect(row).to_contain_text("Adapt")
    expect(row).to_contain_text("adapted")
    expect(row).to_contain_text(ADAPTATION)
    axe.check(adopter, "pairing overview with transfers")

    # The practice page says who adopts it; the lineage lists it, as a table and a diagram.
    visitor.goto(practice_path)
    adopted = visitor.locator("main article ul").filter(has_text=LOCAL_NAME)
    expect(adopted).to_have_text(re.compile(rf"Capaci\s+\(“{LOCAL_NAME}”\): stage: Adapt"))
    expect(adopted.get_by_role("link", name="Capaci")).to_have_attribute("href", overview_path)
    visitor.goto("/practices/")
    visitor.get_by_role("link", name="Which practices travelled from which city to which").click()
    expect(visitor.get_by_role("heading", level=1, name="Lineage of practices")).to_be_visible()
    expect(visitor.get_by_role("img", name="Diagram of the transfers of practices")).to_be_visible()
    lineage_row = (
        visitor.get_by_role("table", name="Transfers of practices")
        .get_by_role("row")
        .filter(has_text=TITLE)
    )
    expect(lineage_row.get_by_role("cell")).to_have_text(
        [TITLE, "Mechelen", "Capaci", LOCAL_NAME, "Adapt"]
    )
    expect(visitor.locator("svg.lineage text", has_text="Capaci")).to_have_count(1)
    axe.check(visitor, "lineage page")

    # VVSG's officer posts news; sent empty, the form says what is missing.
    officer = new_page()
    log_in(officer, OFFICER, demo_data.password)
    officer.goto("/news/")
    officer.get_by_role("link", name="Post news").click()
    expect(officer.get_by_role("heading", level=1, name="Post news")).to_be_visible()
    axe.check(officer, "news form")
    officer.get_by_role("button", name="Save the news item").click()
    expect_error_summary(
        officer,
        "Enter a title.",
        "Say in a few sentences what the news is about.",
        "Write the text of the news.",
    )
    axe.check(officer, "news form with errors")
    officer.get_by_label("Title").fill(NEWS_TITLE)
    officer.get_by_label("Summary").fill(NEWS_SUMMARY)
    officer.get_by_label("Text", exact=True).fill(NEWS_BODY)
    officer.get_by_label("Language of the text").select_option(label="English")
    officer.get_by_role("button", name="Save the news item").click()
    expect_flash(officer, f"The news item “{NEWS_TITLE}” is saved.")
    news_path = officer.url.removeprefix(live_server)
    assert re.fullmatch(r"/news/\d+", news_path), news_path

    # ... and a resource, a link; sent empty, the form says what is missing.
    officer.goto("/resources/")
    officer.get_by_role("link", name="Post a resource").click()
    expect(officer.get_by_role("heading", level=1, name="Post a resource")).to_be_visible()
    axe.check(officer, "resource form")
    officer.get_by_role("button", name="Save the resource").click()
    expect_error_summary(officer, "Enter the title.")
    axe.check(officer, "resource form with errors")
    officer.get_by_label("Kind", exact=True).select_option(label="Guide")
    officer.get_by_label("Title").fill(RESOURCE_TITLE)
    officer.get_by_label("Summary").fill("Ten steps, from the first letter to the buddy.")
    officer.get_by_label("Language of the text").select_option(label="English")
    officer.get_by_role("group", name=re.compile("^Themes")).get_by_label(
        "Reception and orientation"
    ).check()
    officer.get_by_label("Link").fill(RESOURCE_URL)
    officer.get_by_role("button", name="Save the resource").click()
    expect_flash(officer, f"The resource “{RESOURCE_TITLE}” is saved.")
    resource_path = officer.url.removeprefix(live_server)
    assert re.fullmatch(r"/resources/\d+", resource_path), resource_path

    # Anyone reads them: the news list, the item, the resources list, the resource.
    visitor.goto("/news/")
    expect(visitor.get_by_role("heading", level=1, name="News")).to_be_visible()
    expect(visitor.get_by_role("link", name=NEWS_TITLE)).to_be_visible()
    axe.check(visitor, "news list")
    visitor.get_by_role("link", name=NEWS_TITLE).click()
    expect(visitor.get_by_role("heading", level=1, name=NEWS_TITLE)).to_be_visible()
    expect(visitor.get_by_role("heading", name="What they learned")).to_be_visible()
    expect(visitor.locator("main strong", has_text="through sports clubs")).to_be_visible()
    expect(visitor.get_by_role("link", name=re.compile(r"\(VVSG\)$"))).to_be_visible()
    axe.check(visitor, "news item")

    visitor.goto("/resources/")
    expect(visitor.get_by_role("heading", level=1, name="Resources")).to_be_visible()
    axe.check(visitor, "resources list")
    visitor.get_by_role("link", name=RESOURCE_TITLE, exact=True).click()
    expect(visitor.get_by_role("heading", level=1, name=RESOURCE_TITLE)).to_be_visible()
    expect(visitor.get_by_role("link", name=re.compile("^Open the link"))).to_have_attribute(
        "href", RESOURCE_URL
    )
    axe.check(visitor, "resource page")

    # The home page shows the latest news and the new practice.
    visitor.goto("/")
    expect(
        visitor.get_by_role("region", name="Latest news").get_by_role("link", name=NEWS_TITLE)
    ).to_be_visible()
    expect(
        visitor.get_by_role("region", name="Practices that work").get_by_role("link", name=TITLE)
    ).to_be_visible()
    axe.check(visitor, "home page with news and practices")

    # What was recorded.
    practice = db.session.get(Practice, practice_id)
    assert practice.status == PracticeStatus.PUBLISHED and practice.kind == "buddy"
    assert [a.file.name for a in practice.attachments] == [PDF_NAME]
    transfer = db.session.scalar(sa.select(Transfer).where(Transfer.practice_id == practice_id))
    assert transfer.pairing_id == demo_data.brussels_capaci
    assert (transfer.stage, transfer.local_name) == ("adapt", LOCAL_NAME)
    assert transfer.adapt_date is not None
    end_transaction()

    axe.assert_clean()


def test_hub_pages_reflow_at_320_px_without_horizontal_scrolling(new_page, demo_data):
    officer = db.session.scalar(sa.select(User).where(User.email == OFFICER))
    news_id = news_services.post_news(
        officer,
        utcnow(),
        title=NEWS_TITLE,
        summary=NEWS_SUMMARY,
        body=NEWS_BODY + f"\n\nRead the guide at {RESOURCE_URL}/with/a/rather/long/path.",
        language="en",
        published_date=None,
        author_organisation=officer.organisation,
    ).id
    resource_id = resource_services.create_resource(
        officer,
        officer.organisation,
        kind="guide",
        title=RESOURCE_TITLE,
        summary="Ten steps, from the first letter to the buddy.",
        language="en",
        themes=["reception"],
        published_date=utcnow().date(),
        url=f"{RESOURCE_URL}/with/a/rather/long/path/to/the/guide",
    ).id
    db.session.commit()
    end_transaction()

    page = new_page(width=320, height=640)
    paths = (
        "/practices/",
        "/practices/?q=buddy",
        f"/practices/{demo_data.samen}",
        "/practices/lineage",
        "/news/",
        f"/news/{news_id}",
        "/resources/",
        f"/resources/{resource_id}",
    )
    for path in paths:
        response = page.goto(path)
        assert response.status == 200, f"{path}: {response.status}"
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 320, f"{path} is {width} px wide at a 320 px viewport"
