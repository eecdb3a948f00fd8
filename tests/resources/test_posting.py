"""Posting resources: who may, for which organisation, what is saved and audited, and what
the poster sees when the input is wrong."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest

from exchange.db import db
from exchange.resources.models import Resource
from exchange.storage import StoredFile
from tests import factories
from tests.resources.conftest import (
    PDF,
    audit_events,
    count,
    field_error,
    only_resource,
    text,
    upload,
)


def brussels_today() -> dt.date:
    """Today where the platform's users are (BABEL_DEFAULT_TIMEZONE)."""
    return dt.datetime.now(ZoneInfo("Europe/Brussels")).date()


# Who may post


@pytest.mark.parametrize(
    ("role", "status"),
    [("participant", 404), ("coordinator", 404), ("other_coordinator", 404)],
)
def test_members_of_cities_may_not_post(client, cast, login_as, post_form, role, status):
    login_as(cast.by_role(role))
    assert client.get("/resources/new").status_code == status
    assert post_form("/resources/new").status_code == status
    assert count(Resource) == 0


def test_anonymous_is_sent_to_log_in(client, cast, post_form):
    response = client.get("/resources/new")
    assert response.status_code == 302 and response.location.startswith("/login")
    assert post_form("/resources/new").status_code == 302
    assert count(Resource) == 0


def test_officer_of_an_unverified_association_may_not_post(client, login_as, post_form):
    association = factories.make_association(is_verified=False, verified_dt=None)
    officer = factories.make_coordinator(association)
    db.session.commit()
    login_as(officer)
    assert client.get("/resources/new").status_code == 404
    assert post_form("/resources/new").status_code == 404


def test_officer_posts_for_their_association(client, cast, login_as, post_form):
    login_as(cast.officer)
    page = text(client.get("/resources/new"))
    assert 'enctype="multipart/form-data"' in page
    assert 'name="author_organisation_id"' not in page  # officers post for their own

    response = post_form("/resources/new", author_organisation_id=str(cast.aiccre.id))

    resource = only_resource()
    assert response.status_code == 302 and response.location == f"/resources/{resource.id}"
    assert resource.author_organisation_id == cast.vvsg.id  # the typed id is ignored
    assert resource.created_by_id == cast.officer.id
    assert resource.title == "Welcoming newcomers: a guide for cities"
    assert resource.summary == "How to set up a one-stop shop.\nAnd keep it running."
    assert resource.themes == ["housing", "reception"]
    assert resource.published_date == dt.date(2026, 3, 1)
    assert resource.url == "https://www.example.org/guide"
    assert resource.file is None
    (event,) = audit_events("resource.create")
    assert event.actor_id == cast.officer.id and event.object_id == resource.id
    assert event.summary["title"] == [None, "Welcoming newcomers: a guide for cities"]
    assert event.summary["author"] == [None, cast.vvsg.name]
    assert event.summary["url"] == [None, "https://www.example.org/guide"]
    assert "is saved" in text(client.get(response.location))


def test_new_form_defaults_to_today_and_the_users_language(client, cast, login_as):
    cast.officer.locale = "fr"
    db.session.commit()
    login_as(cast.officer)
    before = brussels_today()
    page = text(client.get("/resources/new"))
    after = brussels_today()  # the day may turn during the request
    assert '<option selected value="fr">' in page
    assert any(
        f'name="published_date" required type="date" value="{day}"' in page
        for day in {before, after}
    )


def test_officer_of_another_association_posts_for_theirs(
    client, cast, login_as, post_form, aiccre_officer
):
    login_as(aiccre_officer)
    post_form("/resources/new")
    assert only_resource().author_organisation_id == cast.aiccre.id


def test_admin_chooses_any_verified_organisation(client, cast, login_as, post_form):
    hidden = factories.make_association(name="Unverified Union", is_verified=False)
    db.session.commit()
    login_as(cast.admin)
    page = text(client.get("/resources/new"))
    assert 'name="author_organisation_id"' in page
    assert "Unverified Union" not in page
    assert '<option selected value="">Choose an organisation</option>' in page

    response = post_form("/resources/new", author_organisation_id=str(hidden.id))
    assert response.status_code == 200
    assert "Not a valid choice" in text(response)
    assert count(Resource) == 0

    post_form("/resources/new", author_organisation_id=str(cast.aiccre.id))
    assert only_resource().author_organisation_id == cast.aiccre.id


def test_admin_of_an_organisation_posts_for_it_by_default(client, cast, login_as):
    admin = factories.make_user(is_admin=True, organisation=cast.vvsg)
    db.session.commit()
    login_as(admin)
    page = text(client.get("/resources/new"))
    assert f'<option selected value="{cast.vvsg.id}">' in page


def test_admin_must_choose_an_organisation(client, cast, login_as, post_form):
    login_as(cast.admin)
    page = text(post_form("/resources/new", author_organisation_id=""))
    assert "Choose the organisation that publishes it." in page
    assert count(Resource) == 0


# Bad input: a message next to the field, the typed values kept, nothing saved


def test_neither_file_nor_link(client, cast, login_as, post_form):
    login_as(cast.officer)
    response = post_form("/resources/new", url="", title="Kept <title>", summary="Kept summary")
    page = text(response)
    assert response.status_code == 200
    assert "Give a file or a link." in field_error(page, "upload")
    assert 'value="Kept &lt;title&gt;"' in page
    assert "\nKept summary</textarea>" in page
    assert 'checked id="themes-1" name="themes" type="checkbox" value="housing"' in page
    assert 'value="2026-03-01"' in page
    assert count(Resource) == 0


def test_file_and_link_together(client, cast, login_as, post_form):
    login_as(cast.officer)
    page = text(post_form("/resources/new", upload=upload()))
    assert "Give a file or a link, not both." in field_error(page, "url")
    assert 'value="https://www.example.org/guide"' in page
    assert "Choose the file again" in page
    assert (count(Resource), count(StoredFile)) == (0, 0)


@pytest.mark.parametrize(
    ("fields", "field_id", "message"),
    [
        ({"title": ""}, "title", "Enter the title."),
        ({"title": "   "}, "title", "Enter the title."),
        ({"title": "t" * 301}, "title", "300 characters"),
        ({"summary": "s" * 5001}, "summary", "5000 characters"),
        ({"published_date": "31/03/2026"}, "published_date", "Enter a date like 2026-03-31."),
        ({"published_date": ""}, "published_date", "Enter the date it was published."),
        ({"kind": "spaceship"}, "kind", "Not a valid choice"),
        ({"language": "klingon"}, "language", "Not a valid choice"),
        ({"themes": ["reception", "astrology"]}, "themes", "not a valid choice"),
        ({"url": "ftp://example.org/file"}, "url", "starts with http:// or https://"),
        ({"url": "https://"}, "url", "Enter a web address like"),
        ({"url": "https://example.org/" + "x" * 500}, "url", "500 characters"),
    ],
)
def test_bad_input_is_shown_next_to_its_field(
    client, cast, login_as, post_form, fields, field_id, message
):
    login_as(cast.officer)
    response = post_form("/resources/new", **fields)
    page = text(response)
    assert response.status_code == 200
    assert message in field_error(page, field_id)
    assert 'href="#' + field_id + '"' in page  # the error summary links to the field
    assert count(Resource) == 0


def test_a_typed_wrong_date_is_kept(client, cast, login_as, post_form):
    login_as(cast.officer)
    page = text(post_form("/resources/new", published_date="31/03/2026"))
    assert 'value="31/03/2026"' in page


def test_a_web_address_without_scheme_gets_https(client, cast, login_as, post_form):
    login_as(cast.officer)
    post_form("/resources/new", url="www.example.org/guide")
    assert only_resource().url == "https://www.example.org/guide"


def test_posting_a_multipart_form_without_the_file_part(client, cast, login_as):
    """A client that sends no file part at all is told to give a file or a link."""
    login_as(cast.officer)
    response = client.post(
        "/resources/new",
        data={"kind": "guide", "title": "T", "language": "en", "published_date": "2026-01-01"},
    )
    assert "Give a file or a link." in text(response)
    assert count(Resource) == 0


def test_file_part_is_read_from_the_request(client, cast, login_as):
    login_as(cast.officer)
    client.post(
        "/resources/new",
        data={
            "kind": "guide",
            "title": "T",
            "language": "en",
            "published_date": "2026-01-01",
            "upload": (io.BytesIO(PDF), "t.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert only_resource().file.name == "t.pdf"
