"""Editing and deleting resources: only the officers of the author organisation and admins;
a file kept, replaced or swapped for a link; every change audited."""

import datetime as dt

import pytest

from exchange.db import db
from exchange.resources.models import Resource, resource_themes
from exchange.storage import StoredFile
from tests.resources.conftest import (
    PDF,
    audit_events,
    count,
    field_error,
    make_resource,
    only_resource,
    stored_file,
    text,
    upload,
)

# Editing


@pytest.fixture
def guide(cast):
    resource = make_resource(
        cast.vvsg,
        title="Old title",
        summary="How to set up a one-stop shop.\nAnd keep it running.",
        published_date=dt.date(2026, 3, 1),
        file=stored_file(PDF, "old.pdf"),
        themes=["reception"],
    )
    db.session.commit()
    return resource


def edit_fields(**overrides) -> dict:
    values = dict(title="Old title", url="", themes=["reception"], published_date="2026-03-01")
    values.update(overrides)
    return values


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("participant", 404),
        ("coordinator", 404),
        ("other_coordinator", 404),
        ("aiccre_officer", 404),
        ("officer", 200),
        ("admin", 200),
    ],
)
def test_who_may_edit_and_delete(
    client, cast, login_as, post_form, guide, aiccre_officer, who, status
):
    user = aiccre_officer if who == "aiccre_officer" else cast.by_role(who)
    login_as(user)
    assert client.get(f"/resources/{guide.id}/edit").status_code == status
    response = post_form(
        f"/resources/{guide.id}/edit",
        **edit_fields(title="Changed", author_organisation_id=str(cast.vvsg.id)),
    )
    assert response.status_code == (404 if status == 404 else 302)
    db.session.expire_all()
    assert guide.title == ("Old title" if status == 404 else "Changed")
    response = client.post(f"/resources/{guide.id}/delete")
    assert response.status_code == (404 if status == 404 else 302)
    assert count(Resource) == (1 if status == 404 else 0)


def test_anonymous_may_not_edit_or_delete(client, guide, post_form):
    assert client.get(f"/resources/{guide.id}/edit").status_code == 302
    assert post_form(f"/resources/{guide.id}/edit", **edit_fields()).status_code == 302
    assert client.post(f"/resources/{guide.id}/delete").status_code == 302
    assert count(Resource) == 1


def test_edit_keeps_the_file(client, cast, login_as, post_form, guide):
    login_as(cast.officer)
    page = text(client.get(f"/resources/{guide.id}/edit"))
    assert 'value="Old title"' in page and "old.pdf" in page
    assert "Remove the current file" in page
    post_form(f"/resources/{guide.id}/edit", **edit_fields(title="New title"))
    resource = only_resource()
    assert resource.title == "New title"
    assert resource.file.name == "old.pdf"
    (event,) = audit_events("resource.edit")
    assert event.summary == {"title": ["Old title", "New title"]}


def test_edit_replaces_the_file(client, cast, login_as, post_form, guide):
    login_as(cast.officer)
    post_form(f"/resources/{guide.id}/edit", **edit_fields(upload=upload(PDF, "new.pdf")))
    resource = only_resource()
    assert resource.file.name == "new.pdf"
    assert count(StoredFile) == 1  # the old file is gone with its bytes
    (event,) = audit_events("resource.edit")
    assert event.summary == {"file": ["old.pdf", "new.pdf"]}


def test_edit_swaps_the_file_for_a_link(client, cast, login_as, post_form, guide):
    login_as(cast.officer)
    post_form(
        f"/resources/{guide.id}/edit",
        **edit_fields(remove_file="y", url="https://www.example.org/instead"),
    )
    resource = only_resource()
    assert resource.file is None and resource.url == "https://www.example.org/instead"
    assert count(StoredFile) == 0
    (event,) = audit_events("resource.edit")
    assert event.summary["file"] == ["old.pdf", None]
    assert event.summary["url"] == [None, "https://www.example.org/instead"]


def test_edit_a_link_becomes_a_file(client, cast, login_as, post_form):
    resource = make_resource(cast.vvsg, url="https://www.example.org/old")
    db.session.commit()
    login_as(cast.officer)
    page = text(client.get(f"/resources/{resource.id}/edit"))
    assert "Remove the current file" not in page
    post_form(f"/resources/{resource.id}/edit", **edit_fields(upload=upload()))
    resource = only_resource()
    assert resource.url is None and resource.file.media_type == "application/pdf"


def test_edit_refuses_a_link_beside_the_kept_file(client, cast, login_as, post_form, guide):
    login_as(cast.officer)
    page = text(
        post_form(
            f"/resources/{guide.id}/edit",
            **edit_fields(title="Changed", url="https://www.example.org/"),
        )
    )
    assert "Remove the current file" in field_error(page, "url")
    resource = only_resource()
    assert (resource.title, resource.url, resource.file.name) == ("Old title", None, "old.pdf")
    assert audit_events("resource.edit") == []


def test_edit_refuses_removing_the_file_without_a_link(client, cast, login_as, post_form, guide):
    login_as(cast.officer)
    page = text(post_form(f"/resources/{guide.id}/edit", **edit_fields(remove_file="y")))
    assert "Give a file or a link." in field_error(page, "upload")
    assert only_resource().file.name == "old.pdf"
    assert count(StoredFile) == 1


def test_edit_refuses_a_bad_replacement_and_keeps_the_old_file(
    client, cast, login_as, post_form, guide
):
    login_as(cast.officer)
    page = text(
        post_form(
            f"/resources/{guide.id}/edit",
            **edit_fields(title="Changed", upload=upload(b"<html>hi</html>\x00", "new.pdf")),
        )
    )
    assert "This kind of file is not accepted" in field_error(page, "upload")
    resource = only_resource()
    assert (resource.title, resource.file.name) == ("Old title", "old.pdf")
    assert count(StoredFile) == 1


def test_admin_moves_a_resource_to_another_organisation(client, cast, login_as, post_form, guide):
    login_as(cast.admin)
    page = text(client.get(f"/resources/{guide.id}/edit"))
    assert f'<option selected value="{cast.vvsg.id}">' in page
    post_form(
        f"/resources/{guide.id}/edit", **edit_fields(author_organisation_id=str(cast.aiccre.id))
    )
    assert only_resource().author_organisation_id == cast.aiccre.id
    (event,) = audit_events("resource.edit")
    assert event.summary == {"author": [cast.vvsg.name, cast.aiccre.name]}


def test_an_unchanged_resource_writes_no_audit_event(client, cast, login_as, post_form, guide):
    login_as(cast.officer)
    response = post_form(f"/resources/{guide.id}/edit", **edit_fields())
    assert response.status_code == 302
    assert audit_events("resource.edit") == []


# Deleting


def test_delete_removes_the_resource_its_themes_and_its_file(client, cast, login_as, guide):
    guide_id = guide.id
    login_as(cast.officer)
    response = client.post(f"/resources/{guide_id}/delete")
    assert response.status_code == 302 and response.location == "/resources/"
    assert (count(Resource), count(StoredFile)) == (0, 0)
    assert count(resource_themes) == 0
    (event,) = audit_events("resource.delete")
    assert event.object_id == guide_id and event.actor_id == cast.officer.id
    assert event.summary["title"] == ["Old title", None]
    assert event.summary["file"] == ["old.pdf", None]
    assert "is deleted" in text(client.get("/resources/"))


def test_delete_by_get_is_not_allowed(client, cast, login_as, guide):
    login_as(cast.officer)
    assert client.get(f"/resources/{guide.id}/delete").status_code == 405
    assert count(Resource) == 1
