"""Uploads are judged by their bytes, up to 10 MB; a refused upload keeps nothing."""

import io
import re
import zipfile

import pytest

from exchange.db import db
from exchange.resources.models import Resource
from exchange.storage import MAX_FILE_BYTES, StoredFile
from tests.conftest import FreshContextClient
from tests.factories import PASSWORD
from tests.resources.conftest import PDF, close_body, count, docx_bytes, odt_bytes, text, upload

NOT_ACCEPTED = "This kind of file is not accepted."


def new_with_file(post_form, data: bytes, name: str, **fields):
    return post_form("/resources/new", url="", upload=upload(data, name), **fields)


def only_file() -> StoredFile:
    db.session.expire_all()
    (resource,) = db.session.scalars(db.select(Resource)).all()
    return resource.file


@pytest.fixture
def officer(client, cast, login_as):
    login_as(cast.officer)
    return cast.officer


@pytest.mark.parametrize(
    ("data", "name", "media_type", "stored_name"),
    [
        (PDF, "guide.pdf", "application/pdf", "guide.pdf"),
        (PDF, "guide", "application/pdf", "guide.pdf"),
        (
            docx_bytes(),
            "Rapport final.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "Rapport_final.docx",
        ),
        (odt_bytes(), "verslag.odt", "application/vnd.oasis.opendocument.text", "verslag.odt"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 16, "chart.PNG", "image/png", "chart.png"),
        ("Plain words, été.".encode(), "notes.txt", "text/plain", "notes.txt"),
    ],
)
def test_accepted_files_are_kept_by_their_content(
    client, officer, post_form, data, name, media_type, stored_name
):
    response = new_with_file(post_form, data, name)
    assert response.status_code == 302
    stored = only_file()
    assert (stored.media_type, stored.name, stored.size) == (media_type, stored_name, len(data))
    download = client.get(f"{response.location}/file")
    assert download.data == data and download.mimetype == media_type


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"<!doctype html><script>alert(1)</script>\x00", "guide.pdf"),
        (b"\x00\x01\x02binary", "guide.pdf"),
        (b"MZ\x90\x00\x03\x00", "setup.exe"),
        (b"PK\x03\x04 not really a zip", "report.docx"),
    ],
)
def test_other_files_are_refused_and_nothing_is_kept(client, officer, post_form, data, name):
    response = new_with_file(post_form, data, name, title="Kept title")
    page = text(response)
    assert response.status_code == 200
    assert NOT_ACCEPTED in page[page.index('id="upload-error"') :]
    assert 'value="Kept title"' in page
    assert (count(Resource), count(StoredFile)) == (0, 0)


def test_a_zip_that_is_no_office_document_is_refused(client, officer, post_form):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")  # no [Content_Types].xml
    response = new_with_file(post_form, buffer.getvalue(), "report.docx")
    assert NOT_ACCEPTED in text(response)
    assert count(StoredFile) == 0


def test_an_html_file_is_never_served_as_html(client, officer, post_form):
    """Without NUL bytes HTML is plain UTF-8 text: kept as text/plain, sent as a download."""
    html = b"<html><script>alert(document.cookie)</script></html>"
    response = new_with_file(post_form, html, "page.pdf")
    stored = only_file()
    assert (stored.media_type, stored.name) == ("text/plain", "page.txt")
    download = client.get(f"{response.location}/file")
    assert download.mimetype == "text/plain"
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert download.headers["X-Content-Type-Options"] == "nosniff"


def test_an_empty_file_is_refused(client, officer, post_form):
    page = text(new_with_file(post_form, b"", "empty.pdf"))
    assert "The file is empty." in page[page.index('id="upload-error"') :]
    assert count(StoredFile) == 0


def test_a_file_of_exactly_10_mb_is_accepted(client, officer, post_form):
    data = PDF + b"0" * (MAX_FILE_BYTES - len(PDF))
    response = new_with_file(post_form, data, "big.pdf", summary="s" * 5000)
    assert response.status_code == 302
    assert only_file().size == MAX_FILE_BYTES
    page = text(client.get("/resources/"))
    assert "(PDF, 10 MB)" in page


def test_a_file_over_10_mb_is_refused_next_to_the_field(client, officer, post_form):
    data = PDF + b"0" * (MAX_FILE_BYTES + 1 - len(PDF))
    response = new_with_file(post_form, data, "big.pdf", title="Kept title")
    page = text(response)
    assert response.status_code == 200
    assert "The file is larger than 10 MB." in page[page.index('id="upload-error"') :]
    assert 'value="Kept title"' in page
    assert (count(Resource), count(StoredFile)) == (0, 0)


def test_a_request_far_over_10_mb_gets_the_too_large_page(client, officer, post_form):
    data = PDF + b"0" * (MAX_FILE_BYTES * 2)
    response = new_with_file(post_form, data, "huge.pdf")
    assert response.status_code == 413
    assert "larger than the 10 MB we accept" in text(response)
    assert (count(Resource), count(StoredFile)) == (0, 0)


def test_other_pages_keep_the_10_mb_request_limit(client, cast, login_as):
    """The room made for the file is for the resource forms alone."""
    login_as(cast.coordinator)
    response = client.post(
        f"/organisations/{cast.mechelen.id}/edit", data={"profile_text": "x" * MAX_FILE_BYTES}
    )
    assert response.status_code == 413


def csrf_token(page: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def test_a_10_mb_file_passes_with_csrf_protection_on(make_app, cast):
    """CSRFProtect reads the body before any view: the room for the file is made before."""
    app = make_app(WTF_CSRF_ENABLED=True)
    browser = FreshContextClient(app, app.response_class, use_cookies=True)
    login_page = text(browser.get("/login"))
    browser.post(
        "/login",
        data={
            "email": cast.officer.email,
            "password": PASSWORD,
            "csrf_token": csrf_token(login_page),
        },
    )
    form_page = text(browser.get("/resources/new"))
    data = PDF + b"0" * (MAX_FILE_BYTES - len(PDF))
    response = browser.post(
        "/resources/new",
        data={
            "csrf_token": csrf_token(form_page),
            "kind": "guide",
            "title": "A big guide",
            "summary": "s" * 5000,
            "language": "en",
            "published_date": "2026-03-01",
            "url": "",
            "upload": (io.BytesIO(data), "big.pdf"),
        },
        content_type="multipart/form-data",
    )
    close_body(response)
    assert response.status_code == 302, response.status_code
    assert only_file().size == MAX_FILE_BYTES

    forged = browser.post(
        "/resources/new",
        data={"kind": "guide", "title": "Forged", "url": "https://example.org/"},
        content_type="multipart/form-data",
    )
    assert forged.status_code == 400
    assert count(Resource) == 1
