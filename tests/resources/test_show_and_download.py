"""One resource's page, and its file as a safe download."""

import re

from exchange.db import db
from tests.resources.conftest import PDF, docx_bytes, make_resource, stored_file, text


def test_page_shows_the_resource_in_its_language(client, cast):
    resource = make_resource(
        cast.vvsg,
        title="Samen inburgeren",
        language="nl",
        summary="Eerste alinea.\n\nTweede alinea.",
        themes=["language", "cohesion"],
        kind="toolkit",
    )
    db.session.commit()
    page = text(client.get(f"/resources/{resource.id}"))
    assert '<h1 lang="nl">Samen inburgeren</h1>' in page
    assert re.search(
        r'<div class="resource-summary" lang="nl">\s*<p>Eerste alinea.</p><p>Tweede alinea.</p>',
        page,
    )
    assert "Toolkit" in page and "Dutch" in page
    assert "Language learning" in page and "Social cohesion and anti-discrimination" in page
    assert f'href="/organisations/{cast.vvsg.id}"' in page
    assert f'href="/resources/{resource.id}/file"' in page
    assert "(PDF, " in page
    assert "Edit the resource" not in page


def test_page_of_a_link(client, cast):
    resource = make_resource(cast.vvsg, url="http://www.example.org/toolkit?x=1&y=2", summary=None)
    db.session.commit()
    page = text(client.get(f"/resources/{resource.id}"))
    assert 'href="http://www.example.org/toolkit?x=1&amp;y=2" rel="noopener nofollow"' in page
    assert "opens another site: www.example.org" in page
    assert "/file" not in page
    assert "resource-summary" not in page


def test_editors_see_edit_and_delete(client, cast, login_as):
    resource = make_resource(cast.vvsg)
    db.session.commit()
    login_as(cast.officer)
    page = text(client.get(f"/resources/{resource.id}"))
    assert "Edit the resource" in page and "Delete the resource" in page
    login_as(cast.coordinator)
    assert "Edit the resource" not in text(client.get(f"/resources/{resource.id}"))


def test_unknown_resource_is_not_found(client, cast):
    assert client.get("/resources/999").status_code == 404
    assert client.get("/resources/999/file").status_code == 404
    assert client.get(f"/resources/{2**40}").status_code == 404


def test_download_is_an_attachment_with_a_safe_name_never_sniffed(client, cast):
    resource = make_resource(cast.vvsg, file=stored_file(PDF, '../../etc/"passwd" <x>.pdf'))
    db.session.commit()
    response = client.get(f"/resources/{resource.id}/file")
    assert response.status_code == 200
    assert response.data == PDF
    assert response.mimetype == "application/pdf"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    disposition = response.headers["Content-Disposition"]
    assert disposition == "attachment; filename=etc_passwd_x.pdf"
    assert "no-store" in response.headers["Cache-Control"]


def test_download_type_comes_from_the_content_not_the_name(client, cast):
    resource = make_resource(cast.vvsg, file=stored_file(docx_bytes(), "report.pdf"))
    db.session.commit()
    response = client.get(f"/resources/{resource.id}/file")
    assert response.mimetype == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert response.headers["Content-Disposition"] == "attachment; filename=report.docx"


def test_a_link_has_no_file_to_download(client, cast):
    resource = make_resource(cast.vvsg, url="https://www.example.org/")
    db.session.commit()
    assert client.get(f"/resources/{resource.id}/file").status_code == 404
