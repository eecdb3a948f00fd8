"""The dashboard's downloads (CSV, XLSX, PDF) of the filtered set: their contents, their
language, their audit events, and what bad options get."""

import csv
import datetime as dt
import io
import subprocess

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook
from pypdf import PdfReader

from exchange.audit import AuditEvent
from exchange.db import db as _db
from exchange.db import utcnow
from tests.dashboard.conftest import ids, listed

FORMATS = ("csv", "xlsx", "pdf")


def csv_rows(response) -> list[list[str]]:
    body = response.get_data()
    assert body.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def workbook(response):
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.get_data()))


def pdf_text(data: bytes) -> str:
    """The text of a PDF in reading order, its runs of white space as one space (a table
    cell wraps its text over several lines)."""
    done = subprocess.run(
        ["pdftotext", "-raw", "-", "-"], input=data, capture_output=True, check=True
    )
    return " ".join(done.stdout.decode().split())


def download_events() -> list[AuditEvent]:
    _db.session.expire_all()
    return list(
        _db.session.scalars(
            sa.select(AuditEvent)
            .where(AuditEvent.action == "dashboard.report")
            .order_by(AuditEvent.id)
        )
    )


# CSV


def test_the_csv_lists_the_filtered_pairings(client, cast, world, login_as):
    login_as(cast.admin)
    response = client.get("/dashboard/report.csv?health=red&sort=name")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in response.headers["Content-Disposition"]
    header, *rows = csv_rows(response)
    assert header[:2] == ["ID", "Pairing"]
    assert [int(row[0]) for row in rows] == ids(world.brugge_lyon, world.roma_bari)
    brugge = dict(zip(header, rows[0], strict=True))
    assert brugge["Pairing"] == "Brugge mentors Lyon"
    assert brugge["Mentee country"] == "FR"
    assert brugge["Pairing health"] == "At risk"
    assert brugge["Reasons"] == "No activity held yet; confirmed 120 days ago."
    assert brugge["Last activity held"] == ""
    assert brugge["Indicator progress (%)"] == "100.0"
    assert brugge["Phase"] == "3"
    assert brugge["Link"].endswith(f"/pairings/{world.brugge_lyon.id}")
    roma = dict(zip(header, rows[1], strict=True))
    assert roma["Overdue actions"] == "3"
    assert roma["Last activity held"] == utcnow().date().isoformat()
    assert roma["Days since the last activity"] == "0"


def test_the_csv_covers_the_whole_set_not_a_page(app, client, cast, world, login_as):
    app.config["PAGE_SIZE"] = 1
    try:
        login_as(cast.officer)
        _, *rows = csv_rows(client.get("/dashboard/report.csv?status=all"))
        expected = ids(world.mechelen_capaci, world.brugge_lyon, world.gent_bari)
        expected += ids(world.proposed, world.completed)
        assert sorted(int(row[0]) for row in rows) == sorted(expected)
    finally:
        app.config["PAGE_SIZE"] = 20


def test_csv_cells_that_look_like_formulas_are_neutralised(client, cast, world, login_as):
    world.welcoming.name = '=HYPERLINK("http://evil.example")'
    _db.session.commit()
    login_as(cast.admin)
    header, *rows = csv_rows(client.get(f"/dashboard/report.csv?programme={world.welcoming.id}"))
    programmes = {dict(zip(header, row, strict=True))["Programme"] for row in rows}
    assert programmes == {'\'=HYPERLINK("http://evil.example")'}


# XLSX


def test_the_xlsx_has_typed_cells_and_a_frozen_header(client, cast, world, login_as):
    world.welcoming.name = "=1+1"
    _db.session.commit()
    login_as(cast.admin)
    book = workbook(client.get("/dashboard/report.xlsx?sort=name"))
    assert book.sheetnames == ["Pairings", "Totals"]
    sheet = book["Pairings"]
    assert sheet.freeze_panes == "A2"
    header = [cell.value for cell in sheet[1]]
    assert header[:3] == ["ID", "Pairing", "Programme"]
    rows = [
        dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2, values_only=True)
    ]
    assert [row["ID"] for row in rows] == ids(
        world.brugge_lyon, world.gent_bari, world.mechelen_capaci, world.roma_bari
    )
    mechelen = rows[2]
    assert isinstance(mechelen["ID"], int)
    assert isinstance(mechelen["Last activity held"], dt.datetime)  # a date cell
    assert mechelen["Last activity held"].date() == utcnow().date()
    assert mechelen["Activities held this year"] == 1
    assert mechelen["Indicator progress (%)"] == pytest.approx(37.5)
    assert rows[1]["Indicator progress (%)"] is None  # nothing measured
    assert rows[0]["Programme"] == "=1+1"
    programme_cell = sheet.cell(row=2, column=3)
    assert programme_cell.data_type == "s"  # text, never a formula
    totals = {row[0]: row[1] for row in book["Totals"].iter_rows(min_row=2, values_only=True)}
    assert totals["Pairings"] == 4
    assert totals["At risk"] == 2
    assert totals["Overdue actions"] == 3
    assert totals["Sort by"] == "Mentor city, A to Z"
    assert isinstance(totals["Date of the report"], dt.datetime)
    assert book["Totals"].freeze_panes == "A2"


# PDF


def test_the_pdf_lists_the_filtered_pairings_and_is_tagged(client, cast, world, login_as):
    login_as(cast.admin)
    response = client.get("/dashboard/report.pdf?country=IT")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    data = response.get_data()
    text = pdf_text(data)
    for title in ("Mechelen mentors Capaci", "Gent mentors Bari", "Roma mentors Bari"):
        assert title in text
    assert "Brugge mentors Lyon" not in text
    assert "Monitoring of the pairings" in text
    assert "Italy" in text  # the filter, in words
    reader = PdfReader(io.BytesIO(data))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root  # tagged
    assert root["/MarkInfo"]["/Marked"]
    assert root["/Lang"] == "en"
    assert reader.metadata.title == "Monitoring of the pairings"


def test_the_pdf_in_another_language(client, cast, world, login_as):
    login_as(cast.officer)
    response = client.get("/dashboard/report.pdf?lang=nl")
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.get_data()))
    assert reader.trailer["/Root"]["/Lang"] == "nl"
    (event,) = download_events()
    assert event.summary["language"] == "nl"


def test_an_empty_selection_still_gives_a_report(client, cast, world, login_as):
    login_as(cast.coordinator)
    url = "/dashboard/report.{}?health=red"
    assert "No pairing matches these filters." in pdf_text(client.get(url.format("pdf")).data)
    assert len(csv_rows(client.get(url.format("csv")))) == 1  # the header alone
    book = workbook(client.get(url.format("xlsx")))
    assert book["Pairings"].max_row == 1


# Audit, access and bad options


@pytest.mark.parametrize("file_format", FORMATS)
def test_each_download_is_an_audit_event(client, cast, world, login_as, file_format):
    login_as(cast.officer)
    response = client.get(f"/dashboard/report.{file_format}?health=red&lang=fr")
    assert response.status_code == 200
    response.get_data()  # the CSV is streamed: read it whole
    (event,) = download_events()
    assert event.actor_id == cast.officer.id
    assert event.object_type == "dashboard"
    assert event.summary["format"] == file_format.upper()
    assert event.summary["language"] == "fr"
    assert event.summary["filters"]["health"] == "red"
    assert event.summary["filters"]["status"] == "running"


@pytest.mark.parametrize("file_format", FORMATS)
def test_a_language_we_do_not_write_is_refused(client, cast, world, login_as, file_format):
    login_as(cast.admin)
    response = client.get(f"/dashboard/report.{file_format}?lang=xx")
    assert response.status_code == 400
    assert "Language of the downloads" in response.get_data(as_text=True)
    assert download_events() == []


@pytest.mark.parametrize("file_format", FORMATS)
def test_participants_and_visitors_get_no_download(client, cast, world, login_as, file_format):
    url = f"/dashboard/report.{file_format}"
    assert client.get(url).status_code == 302
    login_as(cast.participant)
    assert client.get(url).status_code == 404
    assert download_events() == []


GARBAGE = (
    "programme=abc&association=%00&country=ZZ&phase=-3&health=purple&status=x&sort=%27"
    "&page=-1&from=2025-13-45"
)


@pytest.mark.parametrize("file_format", FORMATS)
def test_garbage_filters_never_fail_a_download(client, cast, world, login_as, file_format):
    login_as(cast.admin)
    response = client.get(f"/dashboard/report.{file_format}?{GARBAGE}")
    assert response.status_code == 200
    response.get_data()
    (event,) = download_events()
    assert event.summary["filters"] == {"status": "running", "sort": "health"}


def test_the_page_links_the_downloads_with_its_filters(client, cast, world, login_as):
    login_as(cast.admin)
    page = client.get("/dashboard?health=red&sort=name").get_data(as_text=True)
    for file_format in FORMATS:
        assert f'formaction="/dashboard/report.{file_format}"' in page
    assert '<input type="hidden" name="health" value="red">' in page
    assert '<input type="hidden" name="sort" value="name">' in page
    assert listed(client.get("/dashboard?health=red&sort=name")) == ids(
        world.brugge_lyon, world.roma_bari
    )
