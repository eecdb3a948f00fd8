"""Administrators verify organisations."""

import pytest
import sqlalchemy as sa

from exchange.audit import AuditEvent
from exchange.db import db
from tests import factories
from tests.admin.conftest import text
from tests.conftest import link_in


@pytest.fixture
def jelgava(cast):
    org = factories.make_org(name="Jelgava", country="LV", is_verified=False, verified_dt=None)
    factories.make_coordinator(org, email="ilze@jelgava.example", name="Ilze Berzina", locale="fr")
    db.session.commit()
    return org


def test_waiting_organisations_come_first_with_their_coordinators(client, cast, jelgava, login_as):
    login_as(cast.admin)
    page = text(client.get("/admin/organisations"))
    assert "1 organisation waits for verification." in page
    assert "Ilze Berzina" in page and "ilze@jelgava.example" in page and "Latvia" in page
    assert page.index("Jelgava") < page.index("All organisations") < page.index("Mechelen")
    assert 'Verify<span class="visually-hidden"> Jelgava</span>' in page


def test_verify_makes_it_public_and_tells_its_coordinator(
    client, cast, jelgava, login_as, outbox, new_client
):
    login_as(cast.admin)
    response = client.post(f"/admin/organisations/{jelgava.id}/verify", follow_redirects=True)
    assert "Jelgava is verified" in text(response)
    assert "No organisation waits for verification." in text(response)
    db.session.refresh(jelgava)
    assert jelgava.is_verified and jelgava.verified_dt is not None
    [mail] = outbox("ilze@jelgava.example")
    assert "Jelgava" in mail.subject
    assert link_in(mail) == f"/organisations/{jelgava.id}"
    event = db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.action == "organisation.verified")
    )
    assert event.actor_id == cast.admin.id and event.summary == {"is_verified": [False, True]}
    assert "Jelgava" in text(new_client().get("/organisations/"))


def test_verifying_twice_says_so(client, cast, login_as, outbox):
    login_as(cast.admin)
    response = client.post(f"/admin/organisations/{cast.mechelen.id}/verify", follow_redirects=True)
    assert "Mechelen is already verified." in text(response)
    assert outbox() == []


@pytest.mark.parametrize("role", ["participant", "coordinator", "officer"])
def test_others_cannot_verify(client, cast, jelgava, login_as, role):
    login_as(cast.by_role(role))
    assert client.get("/admin/organisations").status_code == 404
    assert client.post(f"/admin/organisations/{jelgava.id}/verify").status_code == 404
    db.session.refresh(jelgava)
    assert not jelgava.is_verified


@pytest.mark.parametrize("query", ["page=abc", "page=0", "page=50", "page=10000000000000000000"])
def test_garbage_pages_never_fail(client, cast, login_as, query):
    login_as(cast.admin)
    assert client.get(f"/admin/organisations?{query}").status_code in (200, 404)
    assert client.get(f"/admin/users?{query}").status_code in (200, 404)
