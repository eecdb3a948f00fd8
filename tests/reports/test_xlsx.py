"""The XLSX of a pairing: one sheet per section, typed cells, header rows frozen."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from exchange.db import db
from tests import factories
from tests.reports.helpers import csv_rows, make_story

SHEETS = ["Summary", "Activities", "Actions", "Indicators", "Risks", "History"]


def workbook(response):
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response.headers["Content-Disposition"].startswith("attachment;")
    return load_workbook(io.BytesIO(response.get_data()))


def rows_of(sheet) -> list[tuple]:
    return list(sheet.iter_rows(values_only=True))


def column(sheet, name: str) -> int:
    """The index of a column by its header."""
    return [cell.value for cell in sheet[1]].index(name)


@pytest.fixture
def story(cast):
    return make_story(cast)


@pytest.fixture
def book(client, login_as, cast, story):
    login_as(cast.coordinator)
    return workbook(client.get(f"{story.url}.xlsx"))


def test_one_sheet_per_section_with_its_header_frozen(book):
    assert book.sheetnames == SHEETS
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2"
        assert all(cell.font.b for cell in sheet[1] if cell.value)


def test_activities_have_dates_as_dates_and_people_as_numbers(book):
    sheet = book["Activities"]
    held = next(row for row in sheet.iter_rows(min_row=2) if row[3].value == "Kick-off in Mechelen")
    assert held[0].is_date and held[0].value.date() == dt.date(2025, 2, 10)
    assert "yy" in held[0].number_format
    assert [c.value for c in held[7:11]] == [5, 4, 1, 0]
    assert all(isinstance(c.value, int) for c in held[7:11])
    assert held[5].value == "Held"
    assert held[6].value == "Mechelen"
    assert held[11].value == "A shared vision of the buddy scheme."
    assert len(rows_of(sheet)) == 1 + 3


def test_actions_have_a_numeric_budget_and_dates(book):
    sheet = book["Actions"]
    header, action = rows_of(sheet)
    assert action[0] == "Recruit the first ten buddies"
    assert action[1] == "Done"
    assert action[2] == "No"
    budget = sheet.cell(row=2, column=column(sheet, "Budget (EUR)") + 1)
    assert budget.data_type == "n" and Decimal(str(budget.value)) == Decimal("1500.50")
    due = sheet.cell(row=2, column=column(sheet, "Due") + 1)
    assert due.is_date and due.value.date() == dt.date(2025, 6, 30)


def test_indicator_progress_is_a_percentage(book):
    sheet = book["Indicators"]
    progress = sheet.cell(row=2, column=column(sheet, "Progress") + 1)
    assert progress.data_type == "n"
    assert progress.value == pytest.approx(12.5 / 40)
    assert "%" in progress.number_format
    latest = sheet.cell(row=2, column=column(sheet, "Latest value") + 1)
    assert latest.value == pytest.approx(12.5)
    measured = sheet.cell(row=2, column=column(sheet, "Measured on") + 1)
    assert measured.is_date


def test_summary_gives_the_counts(book, cast):
    summary = dict(rows_of(book["Summary"])[1:])
    assert summary["Mentor city"] == "Mechelen"
    assert summary["Mentee city"] == "Capaci"
    assert summary["Held activities"] == 1
    assert summary["Participants: From the mentor city"] == 5
    assert summary["Actions done"] == 1
    assert summary["Open risks"] == 0
    assert summary["Feedback: ratings"] == 0
    assert isinstance(summary["Generated on (UTC)"], dt.datetime)


def test_risks_sheet(book):
    header, risk = rows_of(book["Risks"])
    assert risk[:4] == ("Too few volunteers sign up.", "Medium", "High", "Mitigated")


def test_history_has_the_rows_of_the_csv(client, login_as, cast, story, book):
    history = rows_of(book["History"])
    csv = csv_rows(client.get(f"{story.url}.csv"))
    assert len(history) == len(csv)
    assert list(history[0]) == csv[0]
    first = book["History"].cell(row=2, column=1)
    assert first.is_date and first.value.date() == dt.date(2025, 1, 10)


def test_text_that_looks_like_a_formula_stays_text(client, login_as, cast, story):
    factories.make_activity(story.pairing, title="=1+1", start_date=dt.date(2025, 7, 1))
    db.session.commit()
    login_as(cast.coordinator)
    book = workbook(client.get(f"{story.url}.xlsx"))
    for name in ("Activities", "History"):
        cells = [c for row in book[name].iter_rows() for c in row if c.value == "=1+1"]
        assert cells, name
        assert all(c.data_type == "s" for c in cells)


def test_sheet_names_in_dutch(client, login_as, cast, story):
    login_as(cast.coordinator)
    book = workbook(client.get(f"{story.url}.xlsx?lang=nl"))
    assert book.sheetnames == [
        "Samenvatting",
        "Activiteiten",
        "Acties",
        "Indicatoren",
        "Risico's",
        "Geschiedenis",
    ]


def test_a_draft_practice_keeps_its_title_to_its_editors(client, login_as, cast, story):
    draft = factories.make_practice(cast.mechelen, status="draft", title="Unfinished buddy plan")
    factories.make_action(story.pairing, title="Try the buddy plan", practice=draft)
    db.session.commit()
    login_as(cast.coordinator)
    sheet = workbook(client.get(f"{story.url}.xlsx"))["Actions"]
    texts = [str(value) for row in rows_of(sheet) for value in row if value is not None]
    assert "Unfinished buddy plan" not in " ".join(texts)
    assert "A practice that is not published now" in texts
