"""Helpers for the resource tests: resources built directly, files built in memory."""

import datetime as dt
import io
import itertools
import zipfile

import pytest
import sqlalchemy as sa
from werkzeug.datastructures import FileStorage

from exchange import storage
from exchange.audit import AuditEvent
from exchange.db import db
from exchange.resources.models import Resource
from exchange.storage import StoredFile
from tests import factories

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
_numbers = itertools.count(1)


def text(response) -> str:
    return response.get_data(as_text=True)


def docx_bytes() -> bytes:
    """A minimal Office Open XML word-processing package."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", '<?xml version="1.0"?><w:document/>')
    return buffer.getvalue()


def odt_bytes() -> bytes:
    """A minimal OpenDocument text: the mimetype entry first, stored uncompressed."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", '<?xml version="1.0"?><office:document-content/>')
    return buffer.getvalue()


def stored_file(data: bytes = PDF, name: str = "guide.pdf") -> StoredFile:
    return storage.store(FileStorage(io.BytesIO(data), filename=name), None, "upload")


def make_resource(author, **overrides) -> Resource:
    """A resource built directly (no audit event); a PDF unless a url or file is given."""
    n = next(_numbers)
    themes = overrides.pop("themes", ["reception"])
    values = dict(
        kind="guide",
        title=f"Resource {n}",
        summary="What a city needs to welcome newcomers.",
        language="en",
        published_date=dt.date(2026, 1, 1) + dt.timedelta(days=n),
        author_organisation=author,
    )
    values.update(overrides)
    if values.get("url") is None and "file" not in values:
        values["file"] = stored_file()
    resource = Resource(**values)
    resource.themes = themes
    db.session.add(resource)
    db.session.flush()
    return resource


def count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def audit_events(action: str) -> list[AuditEvent]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
        )
    )


def only_resource() -> Resource:
    db.session.expire_all()
    (resource,) = db.session.scalars(sa.select(Resource)).all()
    return resource


def field_error(page: str, field_id: str) -> str:
    """The error message shown next to a field (the test fails when there is none)."""
    marker = f'<p class="error-message" id="{field_id}-error">'
    assert marker in page, f"no error next to {field_id}"
    return page[page.index(marker) :].split("</p>")[0]


@pytest.fixture
def aiccre_officer(cast):
    """An officer of another association than the author's (VVSG)."""
    user = factories.make_coordinator(cast.aiccre, email="officer@aiccre.example")
    db.session.commit()
    return user


def form_data(**overrides) -> dict:
    """What a browser sends for the resource form: a link, no file (an empty file part)."""
    data = {
        "kind": "guide",
        "title": "Welcoming newcomers: a guide for cities",
        "summary": "How to set up a one-stop shop.\nAnd keep it running.",
        "language": "en",
        "themes": ["reception", "housing"],
        "published_date": "2026-03-01",
        "url": "https://www.example.org/guide",
        "upload": (io.BytesIO(b""), ""),
    }
    data.update(overrides)
    return data


def upload(data: bytes = PDF, name: str = "guide.pdf"):
    return (io.BytesIO(data), name)


def close_body(response) -> None:
    """Close the request body, which the test client spools to a temporary file when it is
    large (werkzeug closes it only when following redirects)."""
    response.request.input_stream.close()


@pytest.fixture
def post_form(client):
    """Post the resource form as multipart, as the browser does."""

    def post(path: str, the_client=None, **fields):
        response = (the_client or client).post(
            path, data=form_data(**fields), content_type="multipart/form-data"
        )
        close_body(response)
        return response

    return post
