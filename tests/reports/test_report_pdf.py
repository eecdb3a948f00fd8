"""The PDF of a pairing's progress report: the facts, tagged with title and language, A4,
page numbers in the reader's language, bookmarks of the sections, the chart drawn, the
download audited; bad periods, outsiders and participants."""

import io
import re
import subprocess

import pypdf
import pytest
import sqlalchemy as sa

from exchange.audit import AuditEvent
from exchange.db import db as _db
from tests.factories import make_org, make_pairing

A4 = (595, 842)


def pdf_url(crafted_or_pairing, **args) -> str:
    pairing = getattr(crafted_or_pairing, "pairing", crafted_or_pairing)
    query = "&".join(f"{key}={value}" for key, value in args.items())
    return f"/pairings/{pairing.id}/report.pdf" + (f"?{query}" if query else "")


def pdf_text(data: bytes, tmp_path) -> str:
    """The text of a PDF as pdftotext lays it out, spaces collapsed."""
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    result = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    )
    return " ".join(result.stdout.split())


def outline_titles(reader: pypdf.PdfReader) -> list[str]:
    titles = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(item.title)

    walk(reader.outline)
    return titles


@pytest.fixture
def downloaded(client, login_as, crafted):
    """The PDF of the crafted pairing as its Mechelen coordinator downloads it."""
    login_as(crafted.cast.coordinator)
    response = client.get(pdf_url(crafted))
    assert response.status_code == 200
    return response


def test_the_pdf_is_an_attachment(downloaded):
    assert downloaded.mimetype == "application/pdf"
    disposition = downloaded.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and ".pdf" in disposition
    assert downloaded.data.startswith(b"%PDF-")


def test_the_pdf_holds_the_facts(downloaded, crafted, tmp_path):
    text = pdf_text(downloaded.data, tmp_path)
    for fact in (
        "Progress report",
        "Mechelen mentors Capaci",
        "IncluCities",
        "VVSG",
        "AICCRE",
        "Build a buddy scheme for newcomers in Capaci.",
        "Phase 4 of 8: Study visit 1: action planning",
        "Benchmarking done",  # a reason, in a table cell that may wrap
        "Needs attention",
        "1 action of the plan is overdue.",
        "Kick-off meeting online",
        "Transfer workshop in Capaci",
        "Agreed the roadmap of the exchange.",
        "Open the buddy office",
        "Newcomers with a buddy",
        "Too few volunteers",  # a risk, in a table cell that may wrap
        "Insieme a Capaci",
        "4.0 out of 5 (3 ratings)",
        "Second study visit in Capaci",
    ):
        assert fact in text, fact
    assert re.search(r"Total 31", text)  # participants of the held activities


def test_the_pdf_is_tagged_with_its_title_and_language(downloaded):
    reader = pypdf.PdfReader(io.BytesIO(downloaded.data))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en"
    assert root["/MarkInfo"]["/Marked"] == pypdf.generic.BooleanObject(True)
    assert "/StructTreeRoot" in root
    assert reader.metadata.title == "Progress report: Mechelen mentors Capaci"


def test_the_pdf_is_a4_with_numbered_pages(downloaded, tmp_path):
    reader = pypdf.PdfReader(io.BytesIO(downloaded.data))
    pages = len(reader.pages)
    assert pages > 1
    for page in reader.pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == A4
    text = pdf_text(downloaded.data, tmp_path)
    assert f"Page 1 of {pages}" in text
    assert f"Page {pages} of {pages}" in text


def test_the_sections_are_bookmarks(downloaded):
    titles = outline_titles(pypdf.PdfReader(io.BytesIO(downloaded.data)))
    assert titles[0] == "Mechelen mentors Capaci"
    for heading in (
        "Parties and programme",
        "Phase",
        "Pairing health",
        "Activities",
        "Action plan",
        "Indicators",
        "Risks",
        "Transfers of practices",
        "Feedback",
        "Next planned activities",
    ):
        assert heading in titles
    assert "Kick-off meeting online" not in titles  # h4: not a bookmark


def test_the_chart_is_drawn(downloaded, crafted, tmp_path):
    from flask_babel import format_date

    text = pdf_text(downloaded.data, tmp_path)
    # The axis labels of the SVG and the legend are text of the PDF
    assert format_date(crafted.day(-60).replace(day=1), "MMM y") in text
    assert "Held Planned" in text
    assert "Activities per month: the numbers" in text
    assert "Overdue actions" in text


def test_the_download_is_audited(downloaded, crafted):
    events = list(
        _db.session.scalars(
            sa.select(AuditEvent).where(
                AuditEvent.action == "pairing.report", AuditEvent.object_id == crafted.pairing.id
            )
        )
    )
    assert len(events) == 1
    assert events[0].summary["format"] == "PDF"
    assert events[0].actor_id == crafted.cast.coordinator.id


def test_lang_writes_the_pdf_in_another_language(client, login_as, crafted, tmp_path):
    login_as(crafted.cast.coordinator)
    response = client.get(pdf_url(crafted, lang="nl"))
    assert response.status_code == 200
    reader = pypdf.PdfReader(io.BytesIO(response.data))
    assert reader.trailer["/Root"]["/Lang"] == "nl"
    text = pdf_text(response.data, tmp_path)
    assert f"Pagina 1 van {len(reader.pages)}" in text
    assert "Activiteiten" in outline_titles(reader)


def test_a_dutch_reader_gets_a_dutch_pdf(client, login_as, crafted):
    crafted.cast.coordinator.locale = "nl"
    _db.session.commit()
    login_as(crafted.cast.coordinator)
    response = client.get(pdf_url(crafted))
    assert pypdf.PdfReader(io.BytesIO(response.data)).trailer["/Root"]["/Lang"] == "nl"


def test_a_period_limits_the_pdf(client, login_as, crafted, tmp_path):
    login_as(crafted.cast.coordinator)
    start, end = crafted.day(-70).isoformat(), crafted.today.isoformat()
    response = client.get(pdf_url(crafted, **{"from": start, "to": end}))
    assert response.status_code == 200
    text = pdf_text(response.data, tmp_path)
    assert "Kick-off meeting online" not in text
    assert "Study visit in Mechelen" in text


@pytest.mark.parametrize(
    "args",
    [{"from": "2026-05-01", "to": "2026-04-01"}, {"from": "2026-02-30"}, {"to": "2999-12-31"}],
)
def test_a_bad_period_is_refused(client, login_as, crafted, args):
    login_as(crafted.cast.coordinator)
    response = client.get(pdf_url(crafted, **args))
    assert response.status_code == 400
    assert response.mimetype == "text/html"
    assert not _db.session.scalar(
        sa.select(sa.func.count(AuditEvent.id)).where(AuditEvent.action == "pairing.report")
    )


def test_outsiders_get_404(client, login_as, crafted, cast):
    login_as(crafted.outsider)
    assert client.get(pdf_url(crafted)).status_code == 404
    client.get("/logout")
    # The Capaci coordinator is an outsider to a pairing of Mechelen and Jelgava
    elsewhere = make_pairing(cast.mechelen, make_org(name="Riga", country="LV"), status="active")
    _db.session.commit()
    login_as(cast.other_coordinator)
    assert client.get(pdf_url(elsewhere)).status_code == 404
    assert client.get(pdf_url(elsewhere, **{"from": "nonsense"})).status_code == 404


def test_a_participant_of_a_party_downloads_it(client, login_as, crafted):
    login_as(crafted.cast.participant)
    response = client.get(pdf_url(crafted))
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"


def test_an_empty_pairing_gets_a_pdf_that_says_so(client, login_as, cast, tmp_path):
    pairing = make_pairing(cast.mechelen, cast.capaci, status="accepted")
    _db.session.commit()
    login_as(cast.coordinator)
    response = client.get(pdf_url(pairing))
    assert response.status_code == 200
    text = pdf_text(response.data, tmp_path)
    assert "Nothing is logged for this pairing yet." in text
    assert "No activity is planned." in text


def test_the_pdf_base_turns_a4_across_for_a_wide_table(app):
    """templates/reports/pdf/base.html, as the dashboard's PDF extends it."""
    from flask import render_template_string

    from exchange.reports.pdf import render_pdf

    child = (
        '{% extends "reports/pdf/base.html" %}{% set landscape = True %}'
        "{% block title %}Wide{% endblock %}{% block title_page %}<h1>Wide</h1>{% endblock %}"
        "{% block body %}<h2>Table</h2><table><tr><td>1</td></tr></table>{% endblock %}"
    )
    with app.test_request_context():
        data = render_pdf(render_template_string(child))
    reader = pypdf.PdfReader(io.BytesIO(data))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)
    assert reader.metadata.title == "Wide"
