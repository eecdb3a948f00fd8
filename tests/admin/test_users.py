"""Administrators search users, deactivate and reactivate accounts, grant and revoke rights."""

import pytest
import sqlalchemy as sa

from exchange.audit import AuditEvent
from exchange.db import db
from tests import factories
from tests.admin.conftest import text


def is_logged_in(client) -> bool:
    return "Log out" in text(client.get("/"))


def events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action)))


def test_user_list_shows_organisation_role_status_and_last_login(client, cast, login_as):
    login_as(cast.participant)  # sets a last login
    login_as(cast.admin)
    page = text(client.get("/admin/users"))
    assert "6 users" not in page  # there are five
    assert "5 users" in page
    assert "participant@mechelen.example" in page and "Mechelen" in page
    assert "Coordinator" in page and "Participant" in page
    assert "Active" in page and "Administrator" in page and "Never logged in" in page
    assert 'Deactivate<span class="visually-hidden"> ' in page


def test_search_by_name_or_email_and_filter_by_status(client, cast, login_as):
    factories.make_user(
        name="Nadia El Amrani", email="nadia@brussels.example", is_active_account=False
    )
    db.session.commit()
    login_as(cast.admin)
    page = text(client.get("/admin/users", query_string={"q": "NADIA"}))
    assert "nadia@brussels.example" in page and "participant@mechelen.example" not in page
    page = text(client.get("/admin/users", query_string={"q": "capaci.example"}))
    assert "coordinator@capaci.example" in page and "nadia" not in page
    page = text(client.get("/admin/users", query_string={"status": "inactive"}))
    assert "nadia@brussels.example" in page and "participant@mechelen.example" not in page
    assert "Deactivated" in page and "Reactivate" in page
    page = text(client.get("/admin/users", query_string={"status": "admins"}))
    assert "admin@platform.example" in page and "participant@mechelen.example" not in page
    page = text(client.get("/admin/users", query_string={"status": "bogus", "q": "%"}))
    assert "No user matches this search." in page


def test_deactivation_logs_the_user_out_everywhere(client, cast, login_as, new_client):
    victim = new_client()
    login_as(cast.participant, the_client=victim)
    assert is_logged_in(victim)
    login_as(cast.admin)
    response = client.post(
        f"/admin/users/{cast.participant.id}/deactivate?q=mechelen", follow_redirects=True
    )
    assert response.request.path == "/admin/users"
    assert response.request.args["q"] == "mechelen"
    assert "is deactivated and logged out everywhere" in text(response)
    db.session.refresh(cast.participant)
    assert not cast.participant.is_active_account
    assert not is_logged_in(victim)
    assert [e.summary for e in events("user.deactivated")] == [{"is_active": [True, False]}]
    # Reactivation lets them log in again, with a new login.
    client.post(f"/admin/users/{cast.participant.id}/reactivate")
    db.session.refresh(cast.participant)
    assert cast.participant.is_active_account
    assert not is_logged_in(victim)
    login_as(cast.participant, the_client=victim)
    assert is_logged_in(victim)
    assert len(events("user.reactivated")) == 1


def test_an_admin_cannot_deactivate_or_demote_themselves(client, cast, login_as):
    login_as(cast.admin)
    response = client.post(f"/admin/users/{cast.admin.id}/deactivate", follow_redirects=True)
    assert "You cannot deactivate your own account." in text(response)
    response = client.post(f"/admin/users/{cast.admin.id}/admin/revoke", follow_redirects=True)
    assert "You cannot remove your own administrator rights." in text(response)
    db.session.refresh(cast.admin)
    assert cast.admin.is_active_account and cast.admin.is_admin
    assert is_logged_in(client)
    assert events("user.deactivated") == [] and events("user.admin_revoked") == []


def test_grant_and_revoke_admin(client, cast, login_as, new_client):
    officer = new_client()
    login_as(cast.officer, the_client=officer)
    assert officer.get("/admin/users").status_code == 404
    login_as(cast.admin)
    response = client.post(f"/admin/users/{cast.officer.id}/admin/grant", follow_redirects=True)
    assert f"{cast.officer.name} is now an administrator." in text(response)
    assert officer.get("/admin/users").status_code == 200
    response = client.post(f"/admin/users/{cast.officer.id}/admin/revoke", follow_redirects=True)
    assert f"{cast.officer.name} is no longer an administrator." in text(response)
    assert officer.get("/admin/users").status_code == 404
    assert [e.summary for e in events("user.admin_granted")] == [{"is_admin": [False, True]}]
    assert [e.summary for e in events("user.admin_revoked")] == [{"is_admin": [True, False]}]


def test_unknown_user_is_404(client, cast, login_as):
    login_as(cast.admin)
    assert client.post("/admin/users/99999/deactivate").status_code == 404


@pytest.mark.parametrize("role", ["participant", "coordinator", "officer", "other_coordinator"])
def test_non_admins_cannot_deactivate(client, cast, login_as, role):
    login_as(cast.by_role(role))
    assert client.post(f"/admin/users/{cast.participant.id}/deactivate").status_code == 404
    db.session.refresh(cast.participant)
    assert cast.participant.is_active_account
