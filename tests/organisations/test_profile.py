"""Profiles: the public facts, and who sees the people and the unverified organisations."""

import pytest

from exchange.db import db
from exchange.organisations.models import ThemeRelation
from tests import factories
from tests.organisations.conftest import text


@pytest.fixture
def mechelen(cast):
    org = cast.mechelen
    org.acronym = "MEC"
    org.region = "Antwerp"
    org.website = "https://www.mechelen.be"
    org.foreign_origin_pct = 24.5
    org.languages = ["nl", "fr"]
    org.profile_text = "A city of 138 nationalities."
    org.set_themes(ThemeRelation.STRENGTH, ["employment"])
    org.set_themes(ThemeRelation.NEED, ["housing"])
    db.session.commit()
    return org


def test_public_profile_shows_the_facts(client, cast, mechelen):
    page = text(client.get(f"/organisations/{mechelen.id}"))
    assert "Mechelen (MEC)" in page
    assert "Municipality" in page
    assert "Belgium" in page and "Antwerp" in page
    assert 'href="https://www.mechelen.be"' in page
    assert "87,000" in page
    assert "24.5%" in page
    assert "Dutch, French" in page
    assert "Employment and entrepreneurship" in page and "Housing" in page
    assert "A city of 138 nationalities." in page
    assert f'href="/organisations/{cast.vvsg.id}"' in page


def test_profile_in_french_formats_numbers_the_french_way(client, mechelen):
    page = text(client.get(f"/organisations/{mechelen.id}", headers={"Accept-Language": "fr"}))
    assert "87\u202f000" in page
    assert "Belgique" in page


def test_association_lists_its_member_municipalities(client, cast):
    factories.make_org(name="Secretville", parent=cast.vvsg, is_verified=False, verified_dt=None)
    db.session.commit()
    page = text(client.get(f"/organisations/{cast.vvsg.id}"))
    assert "Member organisations" in page
    assert "Mechelen" in page
    assert "Secretville" not in page


@pytest.mark.parametrize(
    ("role", "sees_people"),
    [
        ("anonymous", False),
        ("participant", True),
        ("coordinator", True),
        ("other_coordinator", False),
        ("officer", True),
        ("admin", True),
    ],
)
def test_people_are_shown_to_insiders_only(client, cast, login_as, role, sees_people):
    if role != "anonymous":
        login_as(cast.by_role(role))
    page = text(client.get(f"/organisations/{cast.mechelen.id}"))
    assert ("People" in page) is sees_people
    assert (cast.participant.name in page) is sees_people


@pytest.mark.parametrize(
    ("role", "may_edit"),
    [
        ("anonymous", False),
        ("participant", False),
        ("coordinator", True),
        ("other_coordinator", False),
        ("officer", False),
        ("admin", True),
    ],
)
def test_edit_and_members_links_for_those_allowed(client, cast, login_as, role, may_edit):
    if role != "anonymous":
        login_as(cast.by_role(role))
    page = text(client.get(f"/organisations/{cast.mechelen.id}"))
    assert (f"/organisations/{cast.mechelen.id}/edit" in page) is may_edit


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 404),
        ("other_coordinator", 404),
        ("officer", 404),
        ("admin", 200),
    ],
)
def test_unverified_organisation_is_hidden_from_outsiders(client, cast, login_as, role, status):
    cast.mechelen.is_verified = False
    db.session.commit()
    if role != "anonymous":
        login_as(cast.by_role(role))
    assert client.get(f"/organisations/{cast.mechelen.id}").status_code == status


def test_unverified_organisation_is_visible_to_its_members(client, cast, login_as):
    cast.mechelen.is_verified = False
    db.session.commit()
    login_as(cast.participant)
    page = text(client.get(f"/organisations/{cast.mechelen.id}"))
    assert "Not verified yet" in page


def test_unknown_organisation_is_404(client, cast):
    assert client.get("/organisations/999999").status_code == 404
    assert client.get("/organisations/abc").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/organisations/99999999999999999999",
        "/organisations/99999999999999999999/members",
        "/organisations/1/members/99999999999999999999/approve",
        "/organisations/1/invitations/99999999999999999999/revoke",
        "/admin/users/99999999999999999999/deactivate",
        "/admin/organisations/99999999999999999999/verify",
    ],
)
def test_ids_too_large_for_the_database_are_404(client, cast, login_as, path):
    login_as(cast.admin)
    method = client.get if path.count("/") <= 3 or path.endswith("members") else client.post
    assert method(path).status_code == 404
