"""Editing a profile: who may, what is recorded, and bad input."""

import pytest
import sqlalchemy as sa

from exchange.audit import AuditEvent
from exchange.db import db
from exchange.organisations.models import OrgKind
from tests import factories
from tests.organisations.conftest import text


def edit_url(cast) -> str:
    return f"/organisations/{cast.mechelen.id}/edit"


def profile_form(cast, **changes) -> dict:
    data = {
        "name": "Mechelen",
        "acronym": "",
        "country": "BE",
        "region": "Antwerp",
        "website": "https://www.mechelen.be",
        "languages": ["nl"],
        "population": "87000",
        "foreign_origin_pct": "",
        "profile_text": "",
        "needs": [],
        "strengths": [],
        "parent_id": str(cast.vvsg.id),
    }
    data.update(changes)
    return data


def test_edit_form_shows_the_current_values(client, cast, login_as):
    login_as(cast.coordinator)
    page = text(client.get(edit_url(cast)))
    assert 'value="Mechelen"' in page and 'value="87000"' in page
    assert f'<option selected value="{cast.vvsg.id}">' in page
    assert 'name="kind"' not in page  # only admins change the kind
    assert f'value="{cast.mechelen.id}"' not in page  # it cannot be its own parent


def test_coordinator_saves_the_profile_and_the_change_is_audited(client, cast, login_as):
    login_as(cast.coordinator)
    response = client.post(
        edit_url(cast),
        data=profile_form(
            cast, population="87500", strengths=["employment", "youth"], kind="association"
        ),
    )
    assert response.status_code == 302
    page = text(client.get(response.headers["Location"]))
    assert "The profile of Mechelen is saved." in page and "87,500" in page
    db.session.refresh(cast.mechelen)
    assert cast.mechelen.population == 87500
    assert cast.mechelen.kind == OrgKind.MUNICIPALITY  # ignored for coordinators
    event = db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.action == "organisation.updated")
    )
    assert event.actor_id == cast.coordinator.id
    assert event.summary["population"] == [87000, 87500]
    assert event.summary["strengths"] == [[], ["employment", "youth"]]
    assert "name" not in event.summary


def test_admin_may_change_the_kind(client, cast, login_as):
    login_as(cast.admin)
    assert 'name="kind"' in text(client.get(edit_url(cast)))
    client.post(edit_url(cast), data=profile_form(cast, kind="stakeholder"))
    db.session.refresh(cast.mechelen)
    assert cast.mechelen.kind == OrgKind.STAKEHOLDER


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("population", "-1", "Enter a whole number of inhabitants, 0 or more."),
        ("population", "87 000,5", "Not a valid integer value."),
        ("foreign_origin_pct", "100.5", "Enter a percentage from 0 to 100."),
        ("foreign_origin_pct", "-Infinity", "Not a valid decimal value."),
        (
            "website",
            "ftp://mechelen.be",
            "Enter a web address that starts with http:// or https://.",
        ),
        ("website", "https://", "Enter a web address like https://www.city.eu."),
        ("name", "  ", "This field is required."),
        ("name", "M" * 201, "Field cannot be longer than 200 characters."),
        ("languages", "klingon", "klingon&#39; is not a valid choice"),
        ("needs", "astrology", "astrology&#39; is not a valid choice"),
    ],
)
def test_bad_input_shows_a_message_keeps_the_value_and_changes_nothing(
    client, cast, login_as, field, value, message
):
    login_as(cast.coordinator)
    response = client.post(
        edit_url(cast), data=profile_form(cast, region="Kept region", **{field: value})
    )
    page = text(response)
    assert response.status_code == 200
    assert message in page and f'id="{field}-error"' in page
    assert 'value="Kept region"' in page
    if field in ("population", "foreign_origin_pct", "website"):
        assert f'value="{value}"' in page
    db.session.refresh(cast.mechelen)
    assert cast.mechelen.region is None and cast.mechelen.population == 87000
    assert (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "organisation.updated")
        )
        == 0
    )


def test_an_association_cannot_belong_to_one_of_its_members(client, cast, login_as):
    network = factories.make_association(name="Eurocities", parent=cast.vvsg)
    db.session.commit()
    login_as(cast.admin)
    response = client.post(
        f"/organisations/{cast.vvsg.id}/edit",
        data={
            "kind": "association",
            "name": cast.vvsg.name,
            "country": "BE",
            "parent_id": str(network.id),
        },
    )
    assert "cannot belong to itself or to one of its members" in text(response)
    db.session.refresh(cast.vvsg)
    assert cast.vvsg.parent_id is None


@pytest.mark.parametrize("role", ["participant", "officer", "other_coordinator"])
def test_only_coordinators_and_admins_edit(client, cast, login_as, role):
    login_as(cast.by_role(role))
    assert client.get(edit_url(cast)).status_code == 404
    assert client.post(edit_url(cast), data=profile_form(cast, name="Hacked")).status_code == 404
    db.session.refresh(cast.mechelen)
    assert cast.mechelen.name == "Mechelen"
