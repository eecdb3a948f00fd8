"""The members page and what coordinators do with members: approve, remove, change roles."""

import pytest
import sqlalchemy as sa

from exchange.accounts.models import MemberRole, Membership
from exchange.audit import AuditEvent
from exchange.db import db
from tests import factories
from tests.organisations.conftest import text


def members_url(cast) -> str:
    return f"/organisations/{cast.mechelen.id}/members"


def member_url(cast, user, action: str) -> str:
    return f"/organisations/{cast.mechelen.id}/members/{user.id}/{action}"


@pytest.fixture
def pending(cast):
    user = factories.make_user(
        organisation=cast.mechelen,
        membership=Membership.PENDING,
        name="Jan Peeters",
        email="jan@mechelen.example",
    )
    db.session.commit()
    return user


def test_coordinator_sees_emails_requests_and_buttons(client, cast, pending, login_as):
    login_as(cast.coordinator)
    page = text(client.get(members_url(cast)))
    assert cast.participant.email in page
    assert "Requests to join" in page and "jan@mechelen.example" in page
    assert 'Approve<span class="visually-hidden"> Jan Peeters</span>' in page
    assert "Invite a colleague" in page
    assert "Make coordinator" in page


@pytest.mark.parametrize("role", ["participant", "officer"])
def test_insiders_see_names_and_roles_only(client, cast, pending, login_as, role):
    login_as(cast.by_role(role))
    page = text(client.get(members_url(cast)))
    assert cast.participant.name in page and "Coordinator" in page
    assert cast.participant.email not in page
    assert "Jan Peeters" not in page  # pending requests are the coordinators' business
    assert "Invite a colleague" not in page and "Approve" not in page


def test_decline_a_request(client, cast, pending, login_as, outbox):
    login_as(cast.coordinator)
    response = client.post(member_url(cast, pending, "remove"), follow_redirects=True)
    assert "The request of Jan Peeters was declined." in text(response)
    db.session.refresh(pending)
    assert pending.organisation_id is None and pending.membership == Membership.NONE
    [mail] = outbox(pending.email)
    assert "declined" in mail.text


def test_remove_a_member_keeps_their_account_and_sessions(
    client, cast, login_as, new_client, outbox
):
    participant = new_client()
    login_as(cast.participant, the_client=participant)
    login_as(cast.coordinator)
    response = client.post(member_url(cast, cast.participant, "remove"), follow_redirects=True)
    assert f"{cast.participant.name} is no longer a member of Mechelen." in text(response)
    db.session.refresh(cast.participant)
    assert cast.participant.organisation_id is None
    assert cast.participant.membership == Membership.NONE
    assert cast.participant.role == MemberRole.PARTICIPANT
    assert cast.participant.is_active_account
    assert db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "membership.removed"))
    assert "removed you" in outbox(cast.participant.email)[0].text
    # Still logged in, but no longer an insider.
    assert "Log out" in text(participant.get("/"))
    assert participant.get(members_url(cast)).status_code == 404


def test_the_last_coordinator_cannot_be_removed_or_demoted(client, cast, login_as, outbox):
    login_as(cast.coordinator)
    page = text(client.get(members_url(cast)))
    assert "Last coordinator" in page
    for action, data in (("remove", {}), ("role", {"role": "participant"})):
        response = client.post(
            member_url(cast, cast.coordinator, action), data=data, follow_redirects=True
        )
        assert "is the last coordinator of Mechelen" in text(response)
        db.session.refresh(cast.coordinator)
        assert cast.coordinator.is_coordinator
    assert outbox() == []


def test_make_a_participant_coordinator_then_step_down(client, cast, login_as):
    login_as(cast.coordinator)
    response = client.post(
        member_url(cast, cast.participant, "role"),
        data={"role": "coordinator"},
        follow_redirects=True,
    )
    assert f"{cast.participant.name} is now a coordinator." in text(response)
    db.session.refresh(cast.participant)
    assert cast.participant.role == MemberRole.COORDINATOR
    event = db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.action == "membership.role_changed")
    )
    assert event.summary["role"] == ["participant", "coordinator"]

    # Now there are two coordinators, so the first may step down.
    response = client.post(
        member_url(cast, cast.coordinator, "role"),
        data={"role": "participant"},
        follow_redirects=True,
    )
    assert response.status_code == 200
    db.session.refresh(cast.coordinator)
    assert cast.coordinator.role == MemberRole.PARTICIPANT
    # ... and loses the coordinator's pages.
    assert client.get(f"/organisations/{cast.mechelen.id}/edit").status_code == 404


def test_set_role_refuses_unknown_roles(client, cast, login_as):
    login_as(cast.coordinator)
    response = client.post(
        member_url(cast, cast.participant, "role"), data={"role": "king"}, follow_redirects=True
    )
    assert "Choose coordinator or participant." in text(response)
    db.session.refresh(cast.participant)
    assert cast.participant.role == MemberRole.PARTICIPANT


def test_a_pending_member_cannot_be_given_a_role_before_approval(client, cast, pending, login_as):
    login_as(cast.coordinator)
    response = client.post(
        member_url(cast, pending, "role"), data={"role": "coordinator"}, follow_redirects=True
    )
    assert "Approve the request of Jan Peeters first." in text(response)
    db.session.refresh(pending)
    assert pending.membership == Membership.PENDING


@pytest.mark.parametrize("action", ["approve", "remove", "role"])
def test_member_routes_answer_404_for_people_of_another_organisation(
    client, cast, login_as, action
):
    login_as(cast.coordinator)
    response = client.post(
        member_url(cast, cast.other_coordinator, action), data={"role": "participant"}
    )
    assert response.status_code == 404
    db.session.refresh(cast.other_coordinator)
    assert cast.other_coordinator.organisation_id == cast.capaci.id


@pytest.mark.parametrize("role", ["participant", "officer", "other_coordinator"])
def test_only_coordinators_manage_members(client, cast, pending, login_as, role):
    login_as(cast.by_role(role))
    assert client.post(member_url(cast, pending, "approve")).status_code == 404
    db.session.refresh(pending)
    assert pending.membership == Membership.PENDING


def test_admin_manages_members_of_any_organisation(client, cast, pending, login_as):
    login_as(cast.admin)
    client.post(member_url(cast, pending, "approve"))
    db.session.refresh(pending)
    assert pending.membership == Membership.APPROVED
