"""Files of an activity: checked by their content, 10 MB at most, stored under a safe name,
served only to those who see the pairing; a refused file is told next to the field and
leaves nothing behind."""

import io

import pytest

from exchange.activities.models import ActivityAttachment
from exchange.db import db
from exchange.storage import MAX_FILE_BYTES, StoredFile
from tests.activities.helpers import PDF, audit_actions, reload, stored_files
from tests.factories import make_activity
from tests.practices.helpers import field_error, text

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


@pytest.fixture
def activity(world):
    held = make_activity(world.pairing)
    db.session.commit()
    return held


@pytest.fixture
def coordinator(client, cast, world, login_as):
    login_as(cast.coordinator)
    return cast.coordinator


def attach(client, activity, data: bytes, name: str):
    response = client.post(
        f"/activities/{activity.id}/attachments",
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )
    # The test client spools a large body to a temporary file and leaves it open.
    response.request.input_stream.close()
    return response


def test_a_pdf_agenda_is_added_listed_and_downloaded(client, cast, activity, coordinator, login_as):
    response = attach(client, activity, PDF, "agenda.pdf")
    assert response.status_code == 302
    assert response.location == f"/activities/{activity.id}#files"
    [stored] = stored_files()
    assert (stored.name, stored.media_type, stored.uploaded_by_id) == (
        "agenda.pdf",
        "application/pdf",
        cast.coordinator.id,
    )
    page = text(client.get(f"/activities/{activity.id}"))
    assert "agenda.pdf (PDF, " in page
    assert audit_actions() == ["activity.attach"]
    client.post("/logout")
    login_as(cast.officer)
    download = client.get(f"/activities/{activity.id}/attachments/{stored.id}")
    assert download.data == PDF
    assert download.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "empty.pdf", "The file is empty."),
        (PDF + b"0" * (11_000_000 - len(PDF)), "big.pdf", "The file is larger than 10 MB."),
        (PDF + b"0" * (MAX_FILE_BYTES + 1 - len(PDF)), "big.pdf", "The file is larger than 10 MB."),
        (EXE, "report.pdf", "This kind of file is not accepted."),
    ],
)
def test_a_refused_file_is_told_next_to_the_field_and_nothing_is_saved(
    client, activity, coordinator, data, name, message
):
    response = attach(client, activity, data, name)
    assert response.status_code == 422
    assert field_error(response, "file").startswith(message)
    assert "There is a problem" in text(response)
    assert stored_files() == []
    assert reload(activity).attachments == []


def test_no_file_chosen(client, activity, coordinator):
    response = client.post(f"/activities/{activity.id}/attachments", data={})
    assert response.status_code == 422
    assert field_error(response, "file") == "Choose a file."


def test_an_11_mib_file_is_refused_next_to_the_field(client, activity, coordinator):
    response = attach(client, activity, PDF + b"0" * (11 * 1024 * 1024), "big.pdf")
    assert response.status_code == 422
    assert field_error(response, "file") == "The file is larger than 10 MB."
    assert stored_files() == []


def test_a_request_far_over_the_limit_gets_a_clear_page(client, activity, coordinator):
    response = attach(client, activity, PDF + b"0" * (2 * 10 * 1024 * 1024), "huge.pdf")
    assert response.status_code == 413
    assert "larger than the 10 MB we accept" in text(response)
    assert stored_files() == []


def test_a_file_of_exactly_10_mb_is_accepted(client, activity, coordinator):
    data = PDF + b"0" * (MAX_FILE_BYTES - len(PDF))
    assert attach(client, activity, data, "full.pdf").status_code == 302
    assert [f.size for f in stored_files()] == [MAX_FILE_BYTES]


@pytest.mark.parametrize(
    ("name", "stored_as"),
    [
        ("../../etc/passwd.pdf", "etc_passwd.pdf"),
        ("minutes\x07 of the visit.pdf", "minutes_of_the_visit.pdf"),
        ("..\\..\\photo.exe", "photo.pdf"),  # named after its content
    ],
)
def test_names_with_path_parts_or_control_characters_are_made_safe(
    client, activity, coordinator, name, stored_as
):
    assert attach(client, activity, PDF, name).status_code == 302
    [stored] = stored_files()
    assert stored.name == stored_as
    download = client.get(f"/activities/{activity.id}/attachments/{stored.id}")
    assert stored_as in download.headers["Content-Disposition"]


def test_a_file_is_removed(client, activity, coordinator):
    attach(client, activity, PDF, "agenda.pdf")
    [file_id] = [stored.id for stored in stored_files()]
    response = client.post(f"/activities/{activity.id}/attachments/{file_id}/remove")
    assert response.status_code == 302
    assert stored_files() == []
    assert audit_actions() == ["activity.attach", "activity.detach"]
    assert client.get(f"/activities/{activity.id}/attachments/{file_id}").status_code == 404


def test_an_activity_holds_at_most_twenty_files(client, activity, coordinator):
    for i in range(20):
        stored = StoredFile(
            name=f"f{i}.pdf", media_type="application/pdf", size=len(PDF), sha256="0" * 64, data=PDF
        )
        db.session.add(stored)
        db.session.flush()
        activity.attachments.append(ActivityAttachment(stored_file_id=stored.id, file=stored))
    db.session.commit()
    response = attach(client, activity, PDF, "one-more.pdf")
    assert response.status_code == 422
    assert "at most 20 files" in field_error(response, "file")
    assert len(stored_files()) == 20
