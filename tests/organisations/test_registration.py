"""Registering a new organisation and asking to join an existing one."""

import pytest
import sqlalchemy as sa
from flask_babel import force_locale, gettext

from exchange.accounts.models import MemberRole, Membership
from exchange.audit import AuditEvent
from exchange.db import db
from exchange.organisations.models import Organisation
from tests import factories
from tests.conftest import link_in
from tests.organisations.conftest import text

NEW_ORG = {
    "kind": "municipality",
    "name": "Jelgava",
    "acronym": "",
    "country": "LV",
    "region": "Zemgale",
    "website": "www.jelgava.lv",
    "languages": ["lv", "ru"],
    "population": "55000",
    "foreign_origin_pct": "3,5",
    "profile_text": "A city in Latvia.",
    "needs": ["language", "employment"],
    "strengths": ["youth"],
    "parent_id": "",
}


@pytest.fixture
def newcomer(cast):
    user = factories.make_user(email="ilze@jelgava.example", name="Ilze Berzina")
    db.session.commit()
    return user


def org_named(name: str) -> Organisation | None:
    return db.session.scalar(sa.select(Organisation).where(Organisation.name == name))


def test_register_a_new_organisation(client, cast, newcomer, login_as, outbox, new_client):
    login_as(newcomer)
    form = text(client.get("/organisations/new"))
    assert "Register your organisation" in form
    assert "VVSG" in form  # verified associations are offered as parent

    response = client.post("/organisations/new", data={**NEW_ORG, "parent_id": cast.vvsg.id})
    org = org_named("Jelgava")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/organisations/{org.id}"
    assert org.is_verified is False
    assert org.website == "https://www.jelgava.lv"
    assert org.languages == ["lv", "ru"]
    assert org.population == 55000 and org.foreign_origin_pct == 3.5
    assert sorted(org.needs) == ["employment", "language"] and org.strengths == ["youth"]
    assert org.parent_id == cast.vvsg.id
    db.session.refresh(newcomer)
    assert newcomer.organisation_id == org.id
    assert newcomer.role == MemberRole.COORDINATOR
    assert newcomer.membership == Membership.APPROVED
    [mail] = outbox(cast.admin.email)
    assert "Jelgava" in mail.subject
    assert link_in(mail) == "/admin/organisations"
    assert db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.action == "organisation.created")
    )

    page = text(client.get(response.headers["Location"]))
    assert "registered" in page and "Not verified yet" in page
    assert "Jelgava" not in text(new_client().get("/organisations/"))  # not public yet
    assert new_client().get(f"/organisations/{org.id}").status_code == 404


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("population", "-5", "Enter a whole number of inhabitants, 0 or more."),
        ("population", "many", "Not a valid integer value."),
        ("foreign_origin_pct", "150", "Enter a percentage from 0 to 100."),
        ("foreign_origin_pct", "NaN", "Not a valid decimal value."),
        (
            "website",
            "ftp://jelgava.lv",
            "Enter a web address that starts with http:// or https://.",
        ),
        ("website", "javascript:alert(1)", "Enter a web address like https://www.city.eu."),
        ("name", "", "This field is required."),
        ("country", "XX", "Not a valid choice."),
        ("kind", "castle", "Not a valid choice."),
        ("parent_id", "abc", "Invalid Choice: could not coerce."),
    ],
)
def test_bad_input_is_explained_and_nothing_is_saved(
    client, cast, newcomer, login_as, outbox, field, value, message
):
    login_as(newcomer)
    response = client.post("/organisations/new", data={**NEW_ORG, field: value})
    page = text(response)
    assert response.status_code == 200
    assert "There is a problem" in page
    assert message in page
    assert 'value="Zemgale"' in page  # what was typed is kept
    assert org_named("Jelgava") is None
    assert outbox() == []
    db.session.refresh(newcomer)
    assert newcomer.organisation_id is None


@pytest.mark.parametrize("path", ["/organisations/new", "/organisations/join"])
def test_a_member_cannot_register_or_join_another(client, cast, login_as, path):
    login_as(cast.participant)
    response = client.get(path, follow_redirects=True)
    assert response.request.path == "/"
    assert "You are already a member of Mechelen" in text(response)
    client.post(path, data={**NEW_ORG, "organisation_id": cast.capaci.id})
    assert org_named("Jelgava") is None
    db.session.refresh(cast.participant)
    assert cast.participant.organisation_id == cast.mechelen.id


def test_join_lists_verified_organisations_grouped_by_country(client, cast, newcomer, login_as):
    factories.make_org(name="Hiddenville", is_verified=False, verified_dt=None)
    db.session.commit()
    login_as(newcomer)
    page = text(client.get("/organisations/join"))
    assert '<optgroup label="Belgium">' in page and '<optgroup label="Italy">' in page
    assert page.index("Mechelen") < page.index("Capaci")
    assert "Hiddenville" not in page
    assert 'href="/organisations/new"' in page and "My organisation is not listed" in page


def test_join_request_is_approved_by_a_coordinator(
    client, cast, newcomer, login_as, outbox, new_client
):
    cast.coordinator.locale = "nl"
    db.session.commit()
    login_as(newcomer)
    response = client.post(
        "/organisations/join", data={"organisation_id": cast.mechelen.id}, follow_redirects=True
    )
    assert "Your request to join Mechelen was sent" in text(response)
    db.session.refresh(newcomer)
    assert newcomer.membership == Membership.PENDING
    assert newcomer.organisation_id == cast.mechelen.id
    [mail] = outbox(cast.coordinator.email)
    assert "Ilze Berzina" in mail.subject
    assert outbox(cast.participant.email) == []  # participants do not decide
    members_path = link_in(mail)
    assert members_path == f"/organisations/{cast.mechelen.id}/members"
    with force_locale("nl"):  # the coordinator reads e-mail in Dutch
        dutch = gettext("Approve or decline the request here:")
    assert dutch != "Approve or decline the request here:" and dutch in mail.text
    cast.coordinator.locale = None  # ...and, below, the site in English
    # While pending, the newcomer is not an insider.
    assert client.get(members_path).status_code == 404
    assert "already asked to join Mechelen" in text(
        client.get("/organisations/join", follow_redirects=True)
    )

    coordinator = new_client()
    login_as(cast.coordinator, the_client=coordinator)
    page = text(coordinator.get(members_path))
    assert "Requests to join" in page and "ilze@jelgava.example" in page
    response = coordinator.post(
        f"{members_path[: -len('/members')]}/members/{newcomer.id}/approve", follow_redirects=True
    )
    assert "Ilze Berzina is now a member of Mechelen." in text(response)
    db.session.refresh(newcomer)
    assert newcomer.membership == Membership.APPROVED
    assert newcomer.role == MemberRole.PARTICIPANT
    [approved] = outbox(newcomer.email)
    assert "Mechelen" in approved.subject
    assert client.get(members_path).status_code == 200


def test_join_needs_a_choice(client, cast, newcomer, login_as):
    login_as(newcomer)
    for value in ("", "abc", str(cast.mechelen.id + 1000)):
        response = client.post("/organisations/join", data={"organisation_id": value})
        assert response.status_code == 200
        assert "There is a problem" in text(response)
    db.session.refresh(newcomer)
    assert newcomer.organisation_id is None
