"""Who may download a pairing's CSV and XLSX, what a download leaves in the audit trail,
and what bad options get (400, never 500, and no audit event)."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from exchange.db import db, utcnow
from exchange.pairings.models import PairingStep
from tests import factories
from tests.reports.helpers import csv_rows, make_story, report_events

DOWNLOADS = (".csv", ".xlsx")
EVERY_FORMAT = ("", ".pdf", ".csv", ".xlsx")


@pytest.fixture
def story(cast):
    return make_story(cast)


@pytest.mark.parametrize("extension", DOWNLOADS)
def test_a_download_is_an_audit_event(client, login_as, cast, story, extension):
    login_as(cast.participant)
    response = client.get(f"{story.url}{extension}?from=2025-01-01&to=2025-06-30&lang=fr")
    assert response.status_code == 200
    response.get_data()  # the CSV is streamed: read it whole
    (event,) = report_events()
    assert event.actor_id == cast.participant.id
    assert (event.object_type, event.object_id) == ("pairing", story.pairing.id)
    assert event.summary["format"] == extension[1:].upper()
    assert event.summary["period_from"] == "2025-01-01"
    assert event.summary["period_to"] == "2025-06-30"
    assert event.summary["language"] == "fr"


@pytest.mark.parametrize("extension", DOWNLOADS)
def test_the_language_of_the_reader_is_recorded_without_lang(
    client, login_as, cast, story, extension
):
    login_as(cast.coordinator)
    assert client.get(f"{story.url}{extension}").status_code == 200
    (event,) = report_events()
    assert event.summary["language"] == "en"
    assert event.summary["period_from"] is None and event.summary["period_to"] is None


def _far_future() -> str:
    return f"{utcnow().year + 10}-01-01"


BAD_OPTIONS = [
    "?from=2025-06-30&to=2025-01-01",  # reversed
    "?from=2026-13-45",  # malformed
    "?to=2026-02-30",
    "?from=yesterday",
    "?to=%3D1%2B1",
    "?from=" + "9" * 400,
    "?to=99999999-01-01",
    "?from=1800-01-01",
    "?lang=xx",
    "?lang=" + "n" * 300,
]


@pytest.mark.parametrize("extension", DOWNLOADS)
@pytest.mark.parametrize("query", [*BAD_OPTIONS, "far-future"])
def test_bad_options_are_refused_with_400_and_not_recorded(
    client, login_as, cast, story, extension, query
):
    if query == "far-future":
        query = f"?from={_far_future()}"
    login_as(cast.coordinator)
    response = client.get(f"{story.url}{extension}{query}")
    assert response.status_code == 400
    assert response.mimetype == "text/html"
    assert report_events() == []


@pytest.mark.parametrize("extension", EVERY_FORMAT)
def test_outsiders_get_404_for_every_format(client, login_as, cast, extension):
    elsewhere = factories.make_org(name="Elsewhere")
    pairing = factories.make_pairing(cast.mechelen, elsewhere, status="active")
    db.session.commit()
    login_as(cast.other_coordinator)  # Capaci has no part in this pairing
    assert client.get(f"/pairings/{pairing.id}/report{extension}").status_code == 404
    assert client.get(f"/pairings/{pairing.id + 1000}/report{extension}").status_code == 404
    assert report_events() == []


@pytest.mark.parametrize("extension", EVERY_FORMAT)
def test_anonymous_visitors_are_sent_to_log_in(client, story, extension):
    response = client.get(f"{story.url}{extension}")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
    assert report_events() == []


@pytest.mark.parametrize("extension", DOWNLOADS)
def test_participants_download_their_own_pairings_only(client, login_as, cast, story, extension):
    login_as(cast.participant)
    assert client.get(f"{story.url}{extension}").status_code == 200
    third = factories.make_org(name="Third town")
    stranger = factories.make_user(organisation=third)
    db.session.commit()
    login_as(stranger)
    assert client.get(f"{story.url}{extension}").status_code == 404


def _empty_pairing(cast):
    """Accepted, nothing logged: two lifecycle steps only."""
    pairing = factories.make_pairing(cast.mechelen, cast.capaci, status="accepted")
    for step, before, after, user, day in (
        ("propose", None, "proposed", cast.other_coordinator, 2),
        ("accept", "proposed", "accepted", cast.coordinator, 3),
    ):
        pairing.steps.append(
            PairingStep(
                step=step,
                from_status=before,
                to_status=after,
                actor_id=user.id,
                actor_organisation_id=user.organisation_id,
                created_dt=dt.datetime(2025, 9, day, 8, tzinfo=dt.UTC),
            )
        )
    db.session.commit()
    return pairing


def test_an_empty_pairing_has_its_steps_in_the_csv(client, login_as, cast):
    pairing = _empty_pairing(cast)
    login_as(cast.coordinator)
    response = client.get(f"/pairings/{pairing.id}/report.csv")
    assert response.status_code == 200
    rows = csv_rows(response)[1:]
    assert [(r[0], r[2], r[4], r[9]) for r in rows] == [
        ("2025-09-02", "Pairing step", "Proposed", "Capaci"),
        ("2025-09-03", "Pairing step", "Accepted", "Mechelen"),
    ]


def test_an_empty_pairing_has_every_sheet_in_the_xlsx(client, login_as, cast):
    pairing = _empty_pairing(cast)
    login_as(cast.coordinator)
    response = client.get(f"/pairings/{pairing.id}/report.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.get_data()))
    assert book.sheetnames == ["Summary", "Activities", "Actions", "Indicators", "Risks", "History"]
    summary = dict(list(book["Summary"].iter_rows(values_only=True))[1:])
    assert summary["Note"] == "Nothing is logged for this pairing yet."
    assert summary["Held activities"] == 0
    for name in ("Activities", "Actions", "Indicators", "Risks"):
        assert book[name].max_row == 1  # the header alone
    assert book["History"].max_row == 3
