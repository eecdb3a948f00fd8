"""Writing practices through the pages: drafts, publishing, editing and its audit trail, who
may do what, form errors, script in every text field, and attached files."""

import io
import re

import pytest
import sqlalchemy as sa

from exchange.audit import AuditEvent
from exchange.db import db as _db
from exchange.practices.models import Practice, PracticeAttachment
from exchange.storage import MAX_FILE_BYTES, StoredFile
from tests.factories import make_coordinator, make_org, make_practice, make_user
from tests.practices.helpers import field_error, html, results, set_codes, text

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
DRAFT_BADGE = "Draft: only its editors see it"
TEXT_FIELDS = (
    "title",
    "summary",
    "challenge",
    "how_it_works",
    "results",
    "evaluation",
    "resources",
    "transferability",
    "success_factors",
    "contact",
)


def practice_form(**overrides) -> dict:
    data = dict(
        title="Samen Inburgeren: buddies with refugees",
        kind="buddy",
        language="en",
        themes=["participation", "cohesion"],
        target_groups=["refugees"],
        summary="Volunteers and newcomers are matched on common interests.",
        challenge="Newcomers knew nobody in the city.",
        how_it_works="Buddies meet every week for six months.",
        results="",
        evaluation="",
        resources="",
        transferability="",
        success_factors="",
        contact="integratie@mechelen.example",
        start_year="2012",
        end_year="",
    )
    data.update(overrides)
    return data


def audit_trail(practice_id: int) -> list[AuditEvent]:
    _db.session.expire_all()
    return list(
        _db.session.scalars(
            sa.select(AuditEvent)
            .where(AuditEvent.object_type == "practice", AuditEvent.object_id == practice_id)
            .order_by(AuditEvent.id)
        )
    )


def practice_count() -> int:
    return _db.session.scalar(sa.select(sa.func.count()).select_from(Practice))


def reload(practice: Practice) -> Practice:
    _db.session.expire_all()
    return _db.session.get(Practice, practice.id)


@pytest.fixture
def anonymous(app):
    """A second browser that never logs in."""
    return app.test_client()


@pytest.fixture
def draft(db, cast):
    """A draft practice of Mechelen."""
    practice = make_practice(
        cast.mechelen,
        status="draft",
        title="Mechelen's buddy draft",
        created_by_id=cast.coordinator.id,
    )
    db.session.commit()
    return practice


@pytest.fixture
def published(db, cast):
    practice = make_practice(cast.mechelen, created_by_id=cast.coordinator.id)
    db.session.commit()
    return practice


# The life of a practice


def test_a_coordinator_writes_publishes_edits_and_unpublishes_a_practice(
    client, anonymous, cast, login_as
):
    login_as(cast.coordinator)
    form = client.get("/practices/new")
    assert form.status_code == 200
    assert 'name="origin_id"' not in html(form)  # a coordinator writes for their own city

    response = client.post("/practices/new", data=practice_form())
    assert response.status_code == 302
    practice_id = int(re.fullmatch(r"/practices/(\d+)", response.location).group(1))
    practice = _db.session.get(Practice, practice_id)
    assert (practice.status, practice.origin_id, practice.created_by_id) == (
        "draft",
        cast.mechelen.id,
        cast.coordinator.id,
    )
    assert (practice.start_year, practice.end_year, practice.results) == (2012, None, None)
    page = client.get(response.location)
    assert DRAFT_BADGE in text(page)
    assert "The practice is saved as a draft" in text(page)

    # Nobody else finds or reads it yet.
    assert results(anonymous.get("/practices/?q=buddy")) == []
    assert anonymous.get(f"/practices/{practice_id}").status_code == 404

    assert client.post(f"/practices/{practice_id}/publish").status_code == 302
    assert reload(practice).status == "published"
    assert results(anonymous.get("/practices/?q=buddy")) == [
        "Samen Inburgeren: buddies with refugees"
    ]
    public = anonymous.get(f"/practices/{practice_id}")
    assert public.status_code == 200 and DRAFT_BADGE not in text(public)
    assert "Buddies meet every week for six months." in text(public)
    assert "since 2012, still running" in text(public)

    edited = client.post(
        f"/practices/{practice_id}/edit",
        data=practice_form(
            title="Mechelen mentors for refugees",
            themes=["participation"],
            end_year="2022",
        ),
    )
    assert edited.status_code == 302
    assert results(anonymous.get("/practices/?q=mentors")) == ["Mechelen mentors for refugees"]
    assert results(anonymous.get("/practices/?q=inburgeren")) == []  # the old title is gone
    assert "2012 to 2022" in text(anonymous.get(f"/practices/{practice_id}"))

    assert client.post(f"/practices/{practice_id}/unpublish").status_code == 302
    assert reload(practice).status == "draft"
    assert anonymous.get(f"/practices/{practice_id}").status_code == 404
    assert results(anonymous.get("/practices/?q=mentors")) == []

    trail = audit_trail(practice_id)
    assert [e.action for e in trail] == [
        "practice.create",
        "practice.publish",
        "practice.edit",
        "practice.unpublish",
    ]
    assert {e.actor_id for e in trail} == {cast.coordinator.id}
    create, publish, edit, unpublish = (e.summary for e in trail)
    assert create["title"] == [None, "Samen Inburgeren: buddies with refugees"]
    assert create["origin"] == [None, "Mechelen"]
    assert create["themes"] == [None, ["cohesion", "participation"]]
    assert publish == {"status": ["draft", "published"]}
    assert edit == {
        "title": [
            "Samen Inburgeren: buddies with refugees",
            "Mechelen mentors for refugees",
        ],
        "end_year": [None, 2022],
        "themes": [["cohesion", "participation"], ["participation"]],
    }
    assert unpublish == {"status": ["published", "draft"]}


def test_saving_without_a_change_records_no_edit(client, cast, login_as, published):
    login_as(cast.coordinator)
    form = practice_form(
        title=published.title,
        summary=published.summary,
        challenge="",
        how_it_works="",
        contact="",
        start_year="",
        themes=[],
        target_groups=[],
    )
    assert client.post(f"/practices/{published.id}/edit", data=form).status_code == 302
    assert audit_trail(published.id) == []


def test_publishing_twice_says_so_and_changes_nothing(client, cast, login_as, published):
    login_as(cast.coordinator)
    first_published = published.published_dt
    response = client.post(f"/practices/{published.id}/publish", follow_redirects=True)
    assert "already published" in text(response)
    assert reload(published).published_dt == first_published
    assert audit_trail(published.id) == []


def test_the_edit_form_shows_the_practice_as_it_is(client, cast, login_as, published):
    set_codes(published, themes=["housing"], target_groups=["women"])
    _db.session.commit()
    login_as(cast.coordinator)
    body = html(client.get(f"/practices/{published.id}/edit"))
    assert f'value="{published.title}"' in body
    assert re.search(r'<input[^>]*checked[^>]*value="housing"|value="housing"[^>]*checked', body)
    assert re.search(r'<input[^>]*checked[^>]*value="women"|value="women"[^>]*checked', body)
    assert not re.search(r'value="youth"[^>]*checked', body)


# Who may write and edit


def test_a_participant_cannot_write_or_edit(client, cast, login_as, draft, published):
    login_as(cast.participant)
    assert client.get("/practices/new").status_code == 404
    assert client.post("/practices/new", data=practice_form()).status_code == 404
    for practice in (draft, published):
        assert client.get(f"/practices/{practice.id}/edit").status_code == 404
        response = client.post(f"/practices/{practice.id}/edit", data=practice_form())
        assert response.status_code == 404
    assert client.post(f"/practices/{draft.id}/publish").status_code == 404
    assert client.post(f"/practices/{published.id}/unpublish").status_code == 404
    assert practice_count() == 2
    assert reload(draft).status == "draft" and reload(published).status == "published"
    assert audit_trail(draft.id) == audit_trail(published.id) == []


def test_another_citys_coordinator_cannot_touch_mechelens_practices(
    client, cast, login_as, draft, published
):
    login_as(cast.other_coordinator)  # Capaci
    for practice in (draft, published):
        assert client.get(f"/practices/{practice.id}/edit").status_code == 404
        response = client.post(f"/practices/{practice.id}/edit", data=practice_form(title="Ours"))
        assert response.status_code == 404
        upload = {"file": (io.BytesIO(PDF), "ours.pdf")}
        assert client.post(f"/practices/{practice.id}/attachments", data=upload).status_code == 404
    assert client.post(f"/practices/{draft.id}/publish").status_code == 404
    assert client.post(f"/practices/{published.id}/unpublish").status_code == 404
    assert reload(draft).status == "draft" and reload(published).status == "published"
    assert reload(published).title != "Ours"
    assert reload(draft).attachments == []
    assert audit_trail(draft.id) == audit_trail(published.id) == []


def test_a_coordinator_cannot_write_for_another_organisation_by_sending_its_id(
    client, cast, login_as
):
    login_as(cast.coordinator)
    response = client.post("/practices/new", data=practice_form(origin_id=str(cast.capaci.id)))
    assert response.status_code == 302
    (practice,) = _db.session.scalars(sa.select(Practice)).all()
    assert practice.origin_id == cast.mechelen.id


def test_the_officer_of_mechelens_association_edits_and_publishes_its_practice(
    client, cast, login_as, draft
):
    login_as(cast.officer)  # VVSG
    page = client.get(f"/practices/{draft.id}")
    assert page.status_code == 200 and DRAFT_BADGE in text(page)
    assert client.get(f"/practices/{draft.id}/edit").status_code == 200
    response = client.post(
        f"/practices/{draft.id}/edit", data=practice_form(title="Edited by VVSG")
    )
    assert response.status_code == 302
    assert client.post(f"/practices/{draft.id}/publish").status_code == 302
    practice = reload(draft)
    assert (practice.title, practice.status, practice.origin_id) == (
        "Edited by VVSG",
        "published",
        cast.mechelen.id,
    )
    trail = audit_trail(draft.id)
    assert [e.action for e in trail] == ["practice.edit", "practice.publish"]
    assert {e.actor_id for e in trail} == {cast.officer.id}


def test_an_officer_of_another_association_cannot_edit(client, db, cast, login_as, draft):
    stranger = make_coordinator(cast.aiccre, email="officer@aiccre.example")
    db.session.commit()
    login_as(stranger)
    assert client.get(f"/practices/{draft.id}").status_code == 404
    assert client.get(f"/practices/{draft.id}/edit").status_code == 404
    assert client.post(f"/practices/{draft.id}/publish").status_code == 404


def test_an_officer_writes_a_practice_for_their_association(client, cast, login_as):
    login_as(cast.officer)
    assert client.get("/practices/new").status_code == 200
    response = client.post(
        "/practices/new", data=practice_form(title="VVSG's guide to welcome offices")
    )
    assert response.status_code == 302
    (practice,) = _db.session.scalars(sa.select(Practice)).all()
    assert (practice.origin_id, practice.status) == (cast.vvsg.id, "draft")
    # Mechelen's coordinator is not an editor of the association's practice.
    client.post("/logout")
    login_as(cast.coordinator)
    assert client.get(f"/practices/{practice.id}").status_code == 404
    assert client.get(f"/practices/{practice.id}/edit").status_code == 404


def test_the_admin_chooses_the_origin(client, db, cast, login_as):
    unverified = make_org(name="Unverified town", is_verified=False, verified_dt=None)
    db.session.commit()
    login_as(cast.admin)
    form = html(client.get("/practices/new"))
    assert 'name="origin_id"' in form
    assert f'value="{cast.capaci.id}"' in form
    assert f'value="{unverified.id}"' not in form

    missing = client.post("/practices/new", data=practice_form(origin_id=""))
    assert missing.status_code == 200
    assert "cannot write practices for this organisation" in field_error(missing, "origin_id")
    for origin_id in (str(unverified.id), "999999", str(2**40)):
        refused = client.post("/practices/new", data=practice_form(origin_id=origin_id))
        assert refused.status_code == 200, origin_id
        assert field_error(refused, "origin_id"), origin_id
    assert practice_count() == 0

    response = client.post(
        "/practices/new", data=practice_form(origin_id=str(cast.capaci.id), title="Tutti Capaci")
    )
    assert response.status_code == 302
    (practice,) = _db.session.scalars(sa.select(Practice)).all()
    assert (practice.origin_id, practice.title) == (cast.capaci.id, "Tutti Capaci")
    assert client.post(f"/practices/{practice.id}/publish").status_code == 302
    assert reload(practice).status == "published"


def test_an_unapproved_member_cannot_write(client, db, cast, login_as):
    pending = make_coordinator(cast.mechelen, email="pending@mechelen.example")
    pending.membership = "pending"
    db.session.commit()
    login_as(pending)
    assert client.get("/practices/new").status_code == 404


# Drafts are seen by their editors only


@pytest.mark.parametrize(
    ("role", "sees_it"),
    [
        ("anonymous", False),
        ("participant", False),
        ("other_coordinator", False),
        ("coordinator", True),
        ("officer", True),
        ("admin", True),
    ],
)
def test_a_draft_is_seen_by_its_editors_only(client, cast, login_as, draft, role, sees_it):
    user = cast.by_role(role)
    if user:
        login_as(user)
    page = client.get(f"/practices/{draft.id}")
    library = client.get("/practices/")
    if sees_it:
        assert page.status_code == 200
        assert DRAFT_BADGE in text(page)
        assert "Drafts you can edit" in text(library) and draft.title in text(library)
    else:
        assert page.status_code == 404
        assert draft.title not in text(page)
        assert draft.title not in text(library)
    assert draft.title not in results(library)  # never among the published results


def test_unknown_ids_are_not_found(client):
    for path in ("/practices/999999", f"/practices/{2**40}", "/practices/0"):
        assert client.get(path).status_code == 404
    assert client.get("/practices/abc").status_code == 404


# Form errors


def test_an_end_before_the_start_is_refused_next_to_the_end_year(client, cast, login_as):
    login_as(cast.coordinator)
    response = client.post(
        "/practices/new",
        data=practice_form(title="Typed title stays", start_year="2015", end_year="2012"),
    )
    assert response.status_code == 200
    assert field_error(response, "end_year") == "The practice cannot end before it started."
    body = html(response)
    assert 'value="Typed title stays"' in body
    assert re.search(r'id="start_year"[^>]*value="2015"|value="2015"[^>]*id="start_year"', body)
    assert re.search(r'id="end_year"[^>]*value="2012"|value="2012"[^>]*id="end_year"', body)
    assert "Buddies meet every week for six months." in body  # the text areas too
    assert "There is a problem" in text(response)
    assert practice_count() == 0


def test_an_end_before_the_start_is_refused_on_edit_too(client, cast, login_as, published):
    login_as(cast.coordinator)
    response = client.post(
        f"/practices/{published.id}/edit",
        data=practice_form(title="Changed", start_year="2015", end_year="2012"),
    )
    assert response.status_code == 200
    assert field_error(response, "end_year") == "The practice cannot end before it started."
    practice = reload(published)
    assert practice.title != "Changed" and practice.start_year is None
    assert audit_trail(published.id) == []


@pytest.mark.parametrize(
    ("field", "value"),
    [("start_year", "1800"), ("end_year", "2200"), ("start_year", "twenty"), ("end_year", "-1")],
)
def test_a_year_out_of_range_is_refused(client, cast, login_as, field, value):
    login_as(cast.coordinator)
    response = client.post("/practices/new", data=practice_form(**{field: value}))
    assert response.status_code == 200
    assert field_error(response, field)
    if value.lstrip("-").isdigit():
        assert field_error(response, field) == "Enter a year like 2012."
    assert practice_count() == 0


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": "   "}, "title"),
        ({"summary": ""}, "summary"),
        ({"title": "x" * 301}, "title"),
        ({"summary": "x" * 2001}, "summary"),
        ({"how_it_works": "x" * 20001}, "how_it_works"),
        ({"contact": "x" * 301}, "contact"),
        ({"kind": "rocket_science"}, "kind"),
        ({"language": "xx"}, "language"),
        ({"themes": ["participation", "nonsense"]}, "themes"),
        ({"target_groups": ["aliens"]}, "target_groups"),
    ],
)
def test_invalid_fields_are_refused_next_to_the_field(client, cast, login_as, overrides, field):
    login_as(cast.coordinator)
    response = client.post("/practices/new", data=practice_form(**overrides))
    assert response.status_code == 200
    assert field_error(response, field), field
    assert practice_count() == 0


def test_control_characters_are_cleaned(client, cast, login_as):
    login_as(cast.coordinator)
    response = client.post(
        "/practices/new",
        data=practice_form(title="Buddy\x00 scheme\x02", how_it_works="Line one\r\nLine\x00 two"),
    )
    assert response.status_code == 302
    (practice,) = _db.session.scalars(sa.select(Practice)).all()
    assert practice.title == "Buddy scheme"
    assert practice.how_it_works == "Line one\nLine two"


# Script in any text field is shown as text


PAYLOADS = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "javascript:alert(1)",
)
ESCAPED = ("&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;img src=x onerror=alert(1)&gt;")


def assert_neutralised(body: str) -> None:
    assert "<script>alert" not in body
    assert "<img src=x" not in body
    assert not re.search(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", body, re.I)
    assert "onerror=alert(1)>" not in body.replace("onerror=alert(1)&gt;", "")


def test_script_in_every_text_field_is_escaped(client, anonymous, cast, login_as):
    payload = " ".join(PAYLOADS)
    login_as(cast.coordinator)
    form = practice_form(**{name: f"{name} buddy {payload}" for name in TEXT_FIELDS})
    response = client.post("/practices/new", data=form)
    assert response.status_code == 302, field_error(response, "title")
    practice_id = int(response.location.rsplit("/", 1)[1])
    assert client.post(f"/practices/{practice_id}/publish").status_code == 302

    page = anonymous.get(f"/practices/{practice_id}")
    body = html(page)
    assert_neutralised(body)
    for name in TEXT_FIELDS:
        assert f"{name} buddy {ESCAPED[0]} {ESCAPED[1]} javascript:alert(1)" in body, name
    assert f"<title>title buddy {ESCAPED[0]}" in body

    for path in ("/practices/", "/practices/?q=buddy", "/"):
        listing = html(anonymous.get(path))
        assert_neutralised(listing)
        assert ESCAPED[0] in listing, path
    # Matched words are marked inside the escaped text. (PostgreSQL's parser takes
    # "<script>" for a tag: it neither indexes nor marks the word, and drops it from excerpts.)
    marked = html(anonymous.get("/practices/?q=alert+buddy"))
    assert_neutralised(marked)
    assert "title <mark>buddy</mark> &lt;script&gt;" in marked
    assert "&lt;img src=x onerror=<mark>alert</mark>(1)&gt;" in marked

    edit = html(client.get(f"/practices/{practice_id}/edit"))
    assert_neutralised(edit)
    assert ESCAPED[0] in edit


def test_the_script_is_stored_as_typed(client, cast, login_as):
    """Escaping happens on output: the text keeps what was typed."""
    login_as(cast.coordinator)
    client.post("/practices/new", data=practice_form(title=PAYLOADS[0]))
    (practice,) = _db.session.scalars(sa.select(Practice)).all()
    assert practice.title == PAYLOADS[0]


# Files


def attach(client, practice_id: int, data: bytes, name: str):
    response = client.post(
        f"/practices/{practice_id}/attachments",
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )
    # The test client spools a large body to a temporary file and leaves it open.
    response.request.input_stream.close()
    return response


def stored_files() -> list[StoredFile]:
    _db.session.expire_all()
    return list(_db.session.scalars(sa.select(StoredFile)))


def test_a_pdf_is_attached_listed_and_downloaded(client, anonymous, cast, login_as, published):
    login_as(cast.coordinator)
    response = attach(client, published.id, PDF, "Leaflet <b>2024</b>.pdf")
    assert response.status_code == 302
    (stored,) = stored_files()
    assert (stored.name, stored.media_type, stored.size) == (
        "Leaflet_b_2024_b.pdf",
        "application/pdf",
        len(PDF),
    )
    page = anonymous.get(f"/practices/{published.id}")
    assert f"Leaflet_b_2024_b.pdf (PDF, {len(PDF)} bytes)" in text(page)
    link = f"/practices/{published.id}/attachments/{stored.id}"
    assert f'href="{link}"' in html(page)
    assert "Remove Leaflet" not in text(page)  # the public gets no remove button

    download = anonymous.get(link)
    assert download.status_code == 200
    assert download.data == PDF
    assert download.mimetype == "application/pdf"
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert "Leaflet_b_2024_b.pdf" in download.headers["Content-Disposition"]
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    trail = audit_trail(published.id)
    assert [(e.action, e.summary) for e in trail] == [
        ("practice.attach", {"file": [None, "Leaflet_b_2024_b.pdf"]})
    ]


def test_an_html_file_named_pdf_is_never_served_as_html_or_pdf(client, cast, login_as, published):
    """HTML without NUL bytes is plain UTF-8 text for exchange.storage: it is kept as
    text/plain under a .txt name and sent as a download."""
    login_as(cast.coordinator)
    page = b"<!doctype html><html><script>alert(document.cookie)</script></html>"
    assert attach(client, published.id, page, "leaflet.pdf").status_code == 302
    (stored,) = stored_files()
    assert (stored.name, stored.media_type) == ("leaflet.txt", "text/plain")
    download = client.get(f"/practices/{published.id}/attachments/{stored.id}")
    assert download.mimetype == "text/plain"
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert download.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"<!doctype html><script>alert(1)</script>\x00", "leaflet.pdf", "not accepted"),
        (b"MZ\x90\x00\x03\x00\x00\x00", "leaflet.pdf", "not accepted"),
        (b"\xff\xfe<\x00h\x00t\x00m\x00l\x00>\x00", "page.pdf", "not accepted"),
        (b"", "empty.pdf", "The file is empty."),
    ],
)
def test_a_refused_file_is_named_next_to_the_field_and_nothing_is_kept(
    client, cast, login_as, published, data, name, message
):
    login_as(cast.coordinator)
    response = attach(client, published.id, data, name)
    assert response.status_code == 400
    assert message in field_error(response, "file")
    assert stored_files() == []
    assert reload(published).attachments == []
    assert audit_trail(published.id) == []


def test_sending_no_file_is_refused_next_to_the_field(client, cast, login_as, published):
    login_as(cast.coordinator)
    response = client.post(f"/practices/{published.id}/attachments", data={})
    assert response.status_code == 400
    assert field_error(response, "file") == "Choose a file."


def test_a_file_over_10_mb_is_refused_next_to_the_field(client, cast, login_as, published):
    login_as(cast.coordinator)
    response = attach(client, published.id, PDF + b"0" * MAX_FILE_BYTES, "big.pdf")
    assert response.status_code == 400
    assert field_error(response, "file") == "The file is larger than 10 MB."
    assert stored_files() == []


def test_a_request_far_over_the_limit_gets_a_clear_page(client, cast, login_as, published):
    login_as(cast.coordinator)
    response = attach(client, published.id, PDF + b"0" * (2 * MAX_FILE_BYTES), "huge.pdf")
    assert response.status_code == 413
    assert "larger than the 10 MB we accept" in text(response)
    assert stored_files() == []


def test_a_file_of_exactly_10_mb_is_accepted(client, cast, login_as, published):
    login_as(cast.coordinator)
    data = PDF + b"0" * (MAX_FILE_BYTES - len(PDF))
    assert len(data) == MAX_FILE_BYTES
    response = attach(client, published.id, data, "full.pdf")
    assert response.status_code == 302
    assert [f.size for f in stored_files()] == [MAX_FILE_BYTES]


def test_a_practice_holds_at_most_ten_files(client, db, cast, login_as, published):
    for i in range(10):
        stored = StoredFile(
            name=f"f{i}.pdf", media_type="application/pdf", size=len(PDF), sha256="0" * 64, data=PDF
        )
        db.session.add(stored)
        db.session.flush()
        published.attachments.append(PracticeAttachment(stored_file_id=stored.id, file=stored))
    db.session.commit()
    login_as(cast.coordinator)
    response = attach(client, published.id, PDF, "eleventh.pdf")
    assert response.status_code == 400
    assert "at most 10 files" in field_error(response, "file")
    assert len(stored_files()) == 10


def test_a_file_is_removed(client, anonymous, cast, login_as):
    practice = make_practice(cast.mechelen, with_file=True)
    _db.session.commit()
    file_id = practice.attachments[0].stored_file_id
    link = f"/practices/{practice.id}/attachments/{file_id}"
    assert anonymous.get(link).status_code == 200

    login_as(cast.other_coordinator)
    assert client.post(f"{link}/delete").status_code == 404
    client.post("/logout")
    assert anonymous.post(f"{link}/delete").location.startswith("/login")
    assert len(stored_files()) == 1

    login_as(cast.coordinator)
    page = client.get(f"/practices/{practice.id}")
    assert "Remove leaflet.pdf" in text(page)
    response = client.post(f"{link}/delete", follow_redirects=True)
    assert "The file is removed." in text(response)
    assert "No file yet." in text(response)
    assert stored_files() == []
    assert reload(practice).attachments == []
    assert anonymous.get(link).status_code == 404
    assert [e.action for e in audit_trail(practice.id)] == ["practice.detach"]


def test_a_drafts_file_is_not_found_for_the_public(client, anonymous, cast, login_as):
    practice = make_practice(cast.mechelen, status="draft", with_file=True)
    _db.session.commit()
    link = f"/practices/{practice.id}/attachments/{practice.attachments[0].stored_file_id}"
    assert anonymous.get(link).status_code == 404
    login_as(cast.other_coordinator)
    assert client.get(link).status_code == 404
    client.post("/logout")
    login_as(cast.coordinator)
    assert client.get(link).status_code == 200


def test_a_file_is_reached_through_its_own_practice_only(anonymous, cast):
    first = make_practice(cast.mechelen, with_file=True)
    second = make_practice(cast.capaci, status="draft", with_file=True)
    _db.session.commit()
    secret = second.attachments[0].stored_file_id
    assert anonymous.get(f"/practices/{first.id}/attachments/{secret}").status_code == 404
    assert anonymous.get(f"/practices/{first.id}/attachments/999999").status_code == 404


@pytest.mark.parametrize(
    "file_id",
    [
        2**31,
        2**63,
    ],
)
def test_a_file_id_beyond_any_row_is_not_found(client, cast, login_as, file_id):
    practice = make_practice(cast.mechelen, with_file=True)
    _db.session.commit()
    login_as(cast.coordinator)
    link = f"/practices/{practice.id}/attachments/{file_id}"
    assert client.get(link).status_code == 404
    assert client.post(f"{link}/delete").status_code == 404


def test_a_lone_user_without_organisation_cannot_write(client, db, login_as):
    loner = make_user(email="loner@example.org")
    db.session.commit()
    login_as(loner)
    assert client.get("/practices/new").status_code == 404
