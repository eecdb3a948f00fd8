"""Uploaded files, kept in the database so that app servers need no shared disk.

A file is accepted by what its bytes are, not by its name: PDF, PNG, JPEG, the Office Open
XML documents (docx, xlsx, pptx), the OpenDocument ones (odt, ods, odp) and plain UTF-8 text,
up to MAX_FILE_BYTES. It is served only as a download, with a safe name and `nosniff`.
"""

import datetime as dt
import hashlib
import io
import re
import unicodedata
import zipfile

import sqlalchemy as sa
from flask import current_app, request, send_file
from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, deferred, mapped_column

from exchange.db import UTCDateTime, db, utcnow
from exchange.domain import DomainError

MAX_FILE_BYTES = 10 * 1024 * 1024

# extension: media type
ACCEPTED = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
    "txt": "text/plain",
}
_OOXML_PARTS = {
    "word/document.xml": "docx",
    "xl/workbook.xml": "xlsx",
    "ppt/presentation.xml": "pptx",
}
_ODF_TYPES = {ACCEPTED[ext]: ext for ext in ("odt", "ods", "odp")}


# What each accepted kind of file is called for its reader.
KIND_NAMES = {
    "pdf": "PDF",
    "png": "PNG",
    "jpg": "JPEG",
    "docx": _l("Word document"),
    "xlsx": _l("Excel spreadsheet"),
    "pptx": _l("PowerPoint presentation"),
    "odt": _l("OpenDocument text"),
    "ods": _l("OpenDocument spreadsheet"),
    "odp": _l("OpenDocument presentation"),
    "txt": _l("Plain text"),
}


class StoredFile(db.Model):
    __tablename__ = "stored_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(255))
    media_type: Mapped[str] = mapped_column(sa.String(120))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(sa.String(64), index=True)
    data: Mapped[bytes] = deferred(mapped_column(sa.LargeBinary))
    uploaded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_dt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def extension(self) -> str:
        return next((ext for ext, t in ACCEPTED.items() if t == self.media_type), "")


def sniff(data: bytes) -> str | None:
    """Return the extension of an accepted kind of file these bytes are, or None."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data.startswith(b"PK\x03\x04"):
        return _sniff_zip(data)
    return "txt" if _is_text(data) else None


def _sniff_zip(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                return _ODF_TYPES.get(_small_entry(archive, "mimetype"))
            if "[Content_Types].xml" in names:
                return next((ext for part, ext in _OOXML_PARTS.items() if part in names), None)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        return None
    return None


def _small_entry(archive: zipfile.ZipFile, name: str, limit: int = 100) -> str | None:
    """Read a short entry without unpacking more than `limit` bytes (a zip bomb stays shut)."""
    info = archive.getinfo(name)
    if info.file_size > limit:
        return None
    with archive.open(info) as entry:
        return entry.read(limit).decode("ascii", "replace").strip()


def _is_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


_NOT_IN_A_NAME = re.compile(r"[^\w.\-]+")  # \w keeps letters of every script: "Έκθεση"


def safe_name(name: str, extension: str) -> str:
    """A file name safe in a header and on any disk, in the uploader's own script, ending in
    the extension of its content: no path, no quotes or brackets, no leading dots."""
    flat = unicodedata.normalize("NFC", (name or "").replace("/", " ").replace("\\", " "))
    stem = flat.rsplit(".", 1)[0] if "." in flat else flat
    stem = _NOT_IN_A_NAME.sub("_", stem).strip("._")[:100].strip("._")
    return f"{stem or 'file'}.{extension}"


def store(upload, user, field: str) -> StoredFile:
    """Keep an uploaded file (a werkzeug FileStorage), or raise DomainError next to `field`."""
    data = upload.read(MAX_FILE_BYTES + 1)
    if not data:
        raise DomainError(_l("The file is empty."), field)
    if len(data) > MAX_FILE_BYTES:
        raise DomainError(_l("The file is larger than 10 MB."), field)
    extension = sniff(data)
    if extension is None:
        raise DomainError(
            _l(
                "This kind of file is not accepted. Upload a PDF, an image (PNG or JPEG), "
                "an office document (Word, Excel, PowerPoint, OpenDocument) or plain text."
            ),
            field,
        )
    stored = StoredFile(
        name=safe_name(upload.filename, extension),
        media_type=ACCEPTED[extension],
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        data=data,
        uploaded_by_id=getattr(user, "id", None),
    )
    db.session.add(stored)
    return stored


def send(stored: StoredFile):
    """Answer with the file as a download: never shown inline, never sniffed by the browser."""
    response = send_file(
        io.BytesIO(stored.data),
        mimetype=stored.media_type,
        as_attachment=True,
        download_name=stored.name,
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


# The app refuses any request over MAX_CONTENT_LENGTH (10 MB), which would leave no room for
# the other fields of a form carrying a file of MAX_FILE_BYTES. Upload routes get that room,
# and 5 MB more, so that a file a little too large (11 MB) is refused next to its field, with
# the rest of the form kept, rather than by the "too large" page. It must be set before
# anything reads the body (CSRFProtect does, in the first before_request hook), so
# blueprints call this from a URL value preprocessor.
UPLOAD_REQUEST_BYTES = MAX_FILE_BYTES + 5 * 1024 * 1024


def make_room_for_a_full_file() -> None:
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    if limit is not None and limit < UPLOAD_REQUEST_BYTES:
        request.max_content_length = UPLOAD_REQUEST_BYTES


def size_in_words(size: int) -> str:
    """A size the reader knows, in their locale: "820 kB", "1.2 MB" (1 kB = 1024 bytes)."""
    if size < 1024:
        return ngettext("%(num)d byte", "%(num)d bytes", size)
    if size < 1024 * 1024:
        return _("%(size)s kB", size=format_decimal(size / 1024, "#,##0"))
    return _("%(size)s MB", size=format_decimal(size / (1024 * 1024), "#,##0.#"))


def file_summary(stored: StoredFile) -> str:
    """What a download is, in words: "PDF, 1.2 MB"."""
    kind = KIND_NAMES.get(stored.extension, stored.extension.upper())
    return _("%(kind)s, %(size)s", kind=kind, size=size_in_words(stored.size))
