"""Who sees and who changes a pairing's activities, page by page.

Mechelen mentors Capaci: the coordinators of both cities and admins edit; participants of
both cities and the officers of both associations read; Jelgava's coordinator (an outsider)
gets 404 on every page and file; anonymous visitors are sent to the login page."""

import pytest

from exchange.activities.models import ActivityAttachment
from exchange.db import db
from exchange.storage import StoredFile
from tests.activities.helpers import PDF, World, activities, activity_form
from tests.factories import make_activity

READERS = ("participant", "capaci_participant", "officer", "aiccre_officer")
EDITORS = ("coordinator", "other_coordinator", "admin")


def person(cast, world: World, who: str):
    return getattr(world, who, None) or cast.by_role(who)


@pytest.fixture
def held(world):
    """A held study visit with a PDF agenda."""
    activity = make_activity(world.pairing)
    stored = StoredFile(
        name="agenda.pdf", media_type="application/pdf", size=len(PDF), sha256="0" * 64, data=PDF
    )
    db.session.add(stored)
    db.session.flush()
    activity.attachments.append(ActivityAttachment(stored_file_id=stored.id, file=stored))
    db.session.commit()
    return activity


def pages(world: World, activity) -> list[str]:
    file_id = activity.attachments[0].stored_file_id
    return [
        f"/pairings/{world.pairing.id}/activities",
        f"/activities/{activity.id}",
        f"/activities/{activity.id}/attachments/{file_id}",
    ]


def forms(world: World, activity) -> list[str]:
    return [
        f"/pairings/{world.pairing.id}/activities/new",
        f"/activities/{activity.id}/edit",
    ]


@pytest.mark.parametrize("who", READERS + EDITORS)
def test_members_officers_and_admins_read_every_page_and_file(
    client, cast, world, held, login_as, who
):
    login_as(person(cast, world, who))
    for url in pages(world, held):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("who", EDITORS)
def test_coordinators_of_either_city_and_admins_edit(client, cast, world, held, login_as, who):
    login_as(person(cast, world, who))
    for url in forms(world, held):
        assert client.get(url).status_code == 200, url
    page = client.get(f"/activities/{held.id}").get_data(as_text=True)
    assert f"/activities/{held.id}/edit" in page
    assert f"/activities/{held.id}/attachments" in page  # the upload form
    assert "Remove agenda.pdf" in page


@pytest.mark.parametrize("who", READERS)
def test_participants_and_officers_read_but_get_404_on_the_forms(
    client, cast, world, held, login_as, who
):
    login_as(person(cast, world, who))
    for url in forms(world, held):
        assert client.get(url).status_code == 404, url
        assert client.post(url, data=activity_form(world)).status_code == 404, url
    file_id = held.attachments[0].stored_file_id
    for url in (
        f"/activities/{held.id}/attachments",
        f"/activities/{held.id}/attachments/{file_id}/remove",
    ):
        assert client.post(url, data={}).status_code == 404, url
    page = client.get(f"/activities/{held.id}").get_data(as_text=True)
    assert f"/activities/{held.id}/edit" not in page
    assert "Remove agenda.pdf" not in page
    assert 'type="file"' not in page
    assert (
        client.get(f"/pairings/{world.pairing.id}/activities")
        .get_data(as_text=True)
        .count("Log an activity")
        == 0
    )
    assert len(activities()) == 1


def test_an_outsider_gets_404_on_every_page_and_file(client, world, held, login_as):
    login_as(world.outsider)
    file_id = held.attachments[0].stored_file_id
    for url in [*pages(world, held), *forms(world, held), f"/activities/{held.id}/feedback"]:
        assert client.get(url).status_code == 404, url
    for url in (
        f"/pairings/{world.pairing.id}/activities/new",
        f"/activities/{held.id}/edit",
        f"/activities/{held.id}/held",
        f"/activities/{held.id}/feedback",
        f"/activities/{held.id}/attachments",
        f"/activities/{held.id}/attachments/{file_id}/remove",
    ):
        assert client.post(url, data=activity_form(world)).status_code == 404, url
    assert len(activities()) == 1


def test_anonymous_visitors_are_sent_to_the_login_page(client, world, held):
    for url in [*pages(world, held), *forms(world, held)]:
        response = client.get(url)
        assert response.status_code == 302 and response.location.startswith("/login"), url


def test_a_file_of_another_activity_is_not_found_through_this_one(
    client, cast, world, held, login_as
):
    other = make_activity(world.pairing, title="Another visit")
    db.session.commit()
    login_as(cast.coordinator)
    file_id = held.attachments[0].stored_file_id
    assert client.get(f"/activities/{other.id}/attachments/{file_id}").status_code == 404
    assert client.post(f"/activities/{other.id}/attachments/{file_id}/remove").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/activities/99999999999",
        "/activities/2147483648/edit",
        "/pairings/99999999999/activities",
        "/activities/1/attachments/99999999999",
    ],
)
def test_ids_too_large_for_the_database_are_not_found(client, cast, world, login_as, url):
    login_as(cast.admin)
    assert client.get(url).status_code == 404


def test_a_pairing_that_is_only_proposed_keeps_no_records(client, cast, world, login_as):
    from tests.factories import make_pairing

    proposed = make_pairing(cast.mechelen, world.jelgava)
    db.session.commit()
    login_as(cast.coordinator)
    assert client.get(f"/pairings/{proposed.id}/activities").status_code == 200
    assert client.get(f"/pairings/{proposed.id}/activities/new").status_code == 404


def test_the_download_is_an_attachment_with_nosniff(client, cast, world, held, login_as):
    login_as(cast.participant)
    response = client.get(pages(world, held)[2])
    assert response.data == PDF
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert "agenda.pdf" in response.headers["Content-Disposition"]
