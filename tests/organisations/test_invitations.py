"""Inviting colleagues by e-mail and accepting the link, as a new or an existing user."""

import datetime as dt

import pytest
import sqlalchemy as sa

from exchange.accounts.models import MemberRole, Membership, User
from exchange.db import db, utcnow
from exchange.organisations.models import Invitation
from tests import factories
from tests.conftest import link_in
from tests.organisations.conftest import text

NEW_PASSWORD = "violet tram crosses the grote markt 9"


def invite(client, cast, email="sofie@mechelen.example", role="participant"):
    return client.post(
        f"/organisations/{cast.mechelen.id}/invitations",
        data={"email": email, "role": role},
        follow_redirects=True,
    )


def invitation_for(email: str) -> Invitation | None:
    return db.session.scalar(sa.select(Invitation).where(Invitation.email == email))


@pytest.fixture
def invited(client, cast, login_as, outbox, new_client):
    """Invite sofie@mechelen.example as coordinator; return the path of the e-mailed link."""
    coordinator = new_client()
    login_as(cast.coordinator, the_client=coordinator)
    response = invite(coordinator, cast, role="coordinator")
    assert "An invitation was sent to sofie@mechelen.example." in text(response)
    [mail] = outbox("sofie@mechelen.example")
    assert "Mechelen" in mail.subject
    return link_in(mail)


def test_invitation_stores_only_a_hash_and_expires(cast, invited, app):
    invitation = invitation_for("sofie@mechelen.example")
    token = invited.rsplit("/", 1)[1]
    assert invited.startswith("/invitations/")
    assert token not in invitation.token_hash and len(invitation.token_hash) == 64
    lifetime = invitation.expires_dt - invitation.created_dt
    assert lifetime == dt.timedelta(days=app.config["INVITATION_LIFETIME_DAYS"])
    assert invitation.role == MemberRole.COORDINATOR


def test_accept_as_a_new_account(client, cast, invited):
    page = text(client.get(invited))
    assert "Create your account" in page
    assert "invites you to join Mechelen" in page and "one of its coordinators" in page
    assert 'value="sofie@mechelen.example"' in page and "readonly" in page
    response = client.post(
        invited,
        data={
            "email": "attacker@evil.example",
            "name": "Sofie Janssens",
            "password": NEW_PASSWORD,
            "password_confirm": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/organisations/{cast.mechelen.id}"
    user = db.session.scalar(sa.select(User).where(User.name == "Sofie Janssens"))
    assert user.email == "sofie@mechelen.example"  # from the invitation, never from the form
    assert user.is_email_confirmed
    assert user.organisation_id == cast.mechelen.id
    assert user.membership == Membership.APPROVED and user.role == MemberRole.COORDINATOR
    assert invitation_for("sofie@mechelen.example").accepted_dt is not None
    page = text(client.get(response.headers["Location"]))
    assert "Welcome to City Exchange" in page and "Log out" in page
    assert client.get(f"/organisations/{cast.mechelen.id}/edit").status_code == 200

    # The link works once.
    again = text(client.get(invited))
    assert "This invitation has already been accepted." in again


def test_weak_password_is_refused_and_nothing_is_created(client, cast, invited):
    response = client.post(
        invited, data={"name": "Sofie Janssens", "password": "short", "password_confirm": "short"}
    )
    assert response.status_code == 200
    assert "Use at least 12 characters." in text(response)
    assert 'value="Sofie Janssens"' in text(response)
    assert db.session.scalar(sa.select(User).where(User.name == "Sofie Janssens")) is None
    assert invitation_for("sofie@mechelen.example").accepted_dt is None


def test_accept_as_an_existing_user_without_organisation(client, cast, invited, login_as):
    sofie = factories.make_user(
        email="sofie@mechelen.example", name="Sofie Janssens", email_confirmed_dt=None
    )
    db.session.commit()
    assert "Log in to accept" in text(client.get(invited))
    login_as(sofie)
    page = text(client.get(invited))
    assert "Accept and join Mechelen" in page
    response = client.post(invited, follow_redirects=True)
    assert "You are now a member of Mechelen." in text(response)
    db.session.refresh(sofie)
    assert sofie.organisation_id == cast.mechelen.id and sofie.is_coordinator
    assert sofie.is_email_confirmed  # the link reached the address
    assert "already been accepted" in text(client.get(invited))


def test_a_pending_request_elsewhere_is_replaced(client, cast, invited, login_as):
    sofie = factories.make_user(
        email="sofie@mechelen.example", organisation=cast.capaci, membership=Membership.PENDING
    )
    db.session.commit()
    login_as(sofie)
    assert "Accepting withdraws your request to join Capaci." in text(client.get(invited))
    client.post(invited)
    db.session.refresh(sofie)
    assert sofie.organisation_id == cast.mechelen.id and sofie.is_approved_member


def test_a_member_of_another_organisation_must_leave_it_first(client, cast, invited, login_as):
    sofie = factories.make_user(email="sofie@mechelen.example", organisation=cast.capaci)
    db.session.commit()
    login_as(sofie)
    page = text(client.get(invited))
    assert "You are a member of Capaci." in page and "Accept and join" not in page
    client.post(invited)
    db.session.refresh(sofie)
    assert sofie.organisation_id == cast.capaci.id
    assert invitation_for("sofie@mechelen.example").accepted_dt is None


def test_a_user_with_another_address_is_told(client, cast, invited, login_as):
    login_as(cast.other_coordinator)
    page = text(client.get(invited))
    assert "This invitation was sent to another e-mail address." in page
    client.post(invited)
    db.session.refresh(cast.other_coordinator)
    assert cast.other_coordinator.organisation_id == cast.capaci.id
    assert invitation_for("sofie@mechelen.example").accepted_dt is None


def test_expired_link(client, cast, invited):
    invitation = invitation_for("sofie@mechelen.example")
    invitation.expires_dt = utcnow() - dt.timedelta(minutes=1)
    db.session.commit()
    response = client.get(invited)
    assert response.status_code == 200
    assert "This invitation has expired." in text(response)
    client.post(
        invited, data={"name": "Sofie", "password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD}
    )
    assert db.session.scalar(sa.select(User).where(User.email == "sofie@mechelen.example")) is None


def test_revoked_link(client, cast, invited, login_as):
    invitation = invitation_for("sofie@mechelen.example")
    login_as(cast.coordinator)
    page = text(client.get(f"/organisations/{cast.mechelen.id}/members"))
    assert "Open invitations" in page and "sofie@mechelen.example" in page
    response = client.post(
        f"/organisations/{cast.mechelen.id}/invitations/{invitation.id}/revoke",
        follow_redirects=True,
    )
    assert "The invitation to sofie@mechelen.example was withdrawn." in text(response)
    assert "No invitation is open." in text(response)
    client.post("/logout")
    response = client.get(invited)
    assert "This invitation was withdrawn" in text(response)


def test_unknown_link(client, cast):
    response = client.get("/invitations/not-a-real-token")
    assert response.status_code == 200
    assert "This invitation link is not valid." in text(response)


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("not an address", "Enter an e-mail address like name@city.eu."),
        ("participant@mechelen.example", "This person is already a member."),
        ("PARTICIPANT@mechelen.example", "This person is already a member."),
        ("", "This field is required."),
    ],
)
def test_bad_invitations_are_explained_and_not_saved(
    client, cast, login_as, outbox, email, message
):
    login_as(cast.coordinator)
    response = invite(client, cast, email=email)
    assert response.status_code == 200
    assert message in text(response)
    assert "There is a problem" in text(response)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Invitation)) == 0
    assert outbox() == []


def test_an_open_invitation_is_not_sent_twice(client, cast, invited, login_as, outbox):
    login_as(cast.coordinator)
    response = invite(client, cast, email="Sofie@Mechelen.example")
    assert "An invitation to this address is already open." in text(response)
    assert 'value="Sofie@Mechelen.example"' in text(response)
    assert len(outbox("sofie@mechelen.example")) == 1


def test_a_pending_requester_is_approved_rather_than_invited(client, cast, login_as):
    factories.make_user(
        email="jan@mechelen.example", organisation=cast.mechelen, membership=Membership.PENDING
    )
    db.session.commit()
    login_as(cast.coordinator)
    response = invite(client, cast, email="jan@mechelen.example")
    assert "Approve their request below." in text(response)


@pytest.mark.parametrize("role", ["participant", "officer", "other_coordinator"])
def test_only_coordinators_invite(client, cast, login_as, role, outbox):
    login_as(cast.by_role(role))
    assert (
        client.post(
            f"/organisations/{cast.mechelen.id}/invitations",
            data={"email": "x@mechelen.example", "role": "participant"},
        ).status_code
        == 404
    )
    assert outbox() == []
