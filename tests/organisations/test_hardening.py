"""Sequences found in review: an organisation never loses its last coordinator, officers see
members only of verified member cities, and only confirmed addresses ask to join."""

import datetime as dt

import sqlalchemy as sa

from exchange.accounts.models import MemberRole, Membership
from exchange.db import db, utcnow
from exchange.organisations.models import Invitation, Organisation
from exchange.security import token_hash
from tests import factories
from tests.organisations.conftest import text


def role_url(cast, user):
    return f"/organisations/{cast.mechelen.id}/members/{user.id}/role"


def test_a_deactivated_coordinator_does_not_count_as_the_last_one(client, cast, login_as):
    deputy = factories.make_coordinator(cast.mechelen, name="Deputy")
    deputy.is_active_account = False
    login_as(cast.coordinator)

    page = text(
        client.post(
            role_url(cast, cast.coordinator), data={"role": "participant"}, follow_redirects=True
        )
    )

    assert "is the last coordinator of Mechelen" in page
    db.session.refresh(cast.coordinator)
    assert cast.coordinator.role == MemberRole.COORDINATOR


def test_an_old_invitation_does_not_change_a_members_role(client, cast, login_as):
    invitation = Invitation(
        organisation=cast.mechelen,
        email=cast.coordinator.email,
        role=MemberRole.PARTICIPANT,
        token_hash=token_hash("tok"),
        invited_by=cast.coordinator,
        expires_dt=utcnow() + dt.timedelta(days=3),
    )
    db.session.add(invitation)
    login_as(cast.coordinator)

    page = text(client.get("/invitations/tok"))
    assert "You are already a member of Mechelen as coordinator." in page
    assert "Accept and join" not in page
    client.post("/invitations/tok")

    db.session.refresh(cast.coordinator)
    assert cast.coordinator.role == MemberRole.COORDINATOR


def test_officer_sees_members_of_a_verified_member_city_only(client, cast, login_as):
    newtown = factories.make_org(
        name="Newtown", parent=cast.vvsg, is_verified=False, verified_dt=None
    )
    factories.make_coordinator(newtown)
    login_as(cast.officer)

    assert client.get(f"/organisations/{newtown.id}").status_code == 404
    assert client.get(f"/organisations/{newtown.id}/members").status_code == 404
    assert client.get(f"/organisations/{cast.mechelen.id}/members").status_code == 200


def test_an_unconfirmed_address_must_be_confirmed_before_joining(client, cast, login_as, outbox):
    newcomer = factories.make_user(email="new@jelgava.example", email_confirmed_dt=None)
    login_as(newcomer)

    for path in ("/organisations/join", "/organisations/new"):
        page = text(client.get(path))
        assert "Confirm your e-mail address first" in page
    response = client.post("/organisations/join", data={"organisation_id": cast.mechelen.id})

    assert "Confirm your e-mail address first" in text(response)
    db.session.refresh(newcomer)
    assert newcomer.organisation_id is None
    assert outbox(cast.coordinator.email) == []


def test_danger_buttons_ask_for_confirmation(client, cast, login_as):
    factories.make_user(organisation=cast.mechelen, name="Jan Peeters")
    login_as(cast.coordinator)
    page = text(client.get(f"/organisations/{cast.mechelen.id}/members"))
    assert 'data-confirm="Are you sure? Remove Jan Peeters' in page


def test_the_verification_email_names_the_country(client, cast, login_as, outbox):
    newcomer = factories.make_user(email="ilze@jelgava.example")
    login_as(newcomer)
    client.post(
        "/organisations/new", data={"kind": "municipality", "name": "Jelgava", "country": "LV"}
    )
    assert db.session.scalar(sa.select(Organisation).where(Organisation.name == "Jelgava"))
    [message] = outbox(cast.admin.email)
    assert "Latvia" in message.text


def test_a_pending_member_withdraws_the_request_from_the_home_page(client, cast, login_as):
    newcomer = factories.make_user(organisation=cast.mechelen, membership=Membership.PENDING)
    login_as(newcomer)
    assert "Withdraw my request to join Mechelen" in text(client.get("/"))

    page = text(client.post(f"/organisations/{cast.mechelen.id}/leave", follow_redirects=True))

    assert "Your request to join Mechelen is withdrawn." in page
    db.session.refresh(newcomer)
    assert newcomer.organisation_id is None and newcomer.membership == Membership.NONE


def test_a_member_leaves_but_the_last_coordinator_stays(client, cast, login_as):
    login_as(cast.participant)
    page = text(client.get(f"/organisations/{cast.mechelen.id}"))
    assert 'data-confirm="Are you sure? Leave Mechelen"' in page
    client.post(f"/organisations/{cast.mechelen.id}/leave")
    db.session.refresh(cast.participant)
    assert cast.participant.organisation_id is None
    client.post("/logout")

    login_as(cast.coordinator)
    page = text(client.post(f"/organisations/{cast.mechelen.id}/leave", follow_redirects=True))
    assert "You are the last coordinator of Mechelen." in page
    db.session.refresh(cast.coordinator)
    assert cast.coordinator.organisation_id == cast.mechelen.id


def test_nobody_leaves_an_organisation_for_someone_else(client, cast, login_as):
    login_as(cast.other_coordinator)
    assert client.post(f"/organisations/{cast.mechelen.id}/leave").status_code == 404
    db.session.refresh(cast.other_coordinator)
    assert cast.other_coordinator.organisation_id == cast.capaci.id


def test_the_share_of_foreign_origin_is_a_text_box_that_keeps_a_decimal_comma(
    client, cast, login_as
):
    login_as(cast.coordinator)
    page = text(client.get(f"/organisations/{cast.mechelen.id}/edit"))
    assert (
        'id="foreign_origin_pct" inputmode="decimal" name="foreign_origin_pct" type="text"' in page
    )


def test_join_requests_are_limited_so_coordinators_are_not_flooded(client, cast, login_as, outbox):
    newcomer = factories.make_user(email="loop@jelgava.example")
    login_as(newcomer)
    for _ in range(5):
        client.post("/organisations/join", data={"organisation_id": cast.mechelen.id})
        client.post(f"/organisations/{cast.mechelen.id}/leave")
    response = client.post("/organisations/join", data={"organisation_id": cast.mechelen.id})
    assert response.status_code == 429
    assert len(outbox(cast.coordinator.email)) == 5


def test_a_deactivated_coordinator_can_be_removed_while_another_one_acts(
    client, cast, login_as, outbox
):
    gone = factories.make_coordinator(cast.mechelen, name="Gone Coordinator")
    gone.is_active_account = False
    login_as(cast.coordinator)
    page = text(client.get(f"/organisations/{cast.mechelen.id}/members"))
    assert 'data-confirm="Are you sure? Remove Gone Coordinator' in page

    client.post(f"/organisations/{cast.mechelen.id}/members/{gone.id}/remove")

    db.session.refresh(gone)
    assert gone.organisation_id is None


def test_requests_are_not_emailed_to_deactivated_coordinators(client, cast, login_as, outbox):
    cast.coordinator.is_active_account = False
    active = factories.make_coordinator(cast.mechelen, email="active@mechelen.example")
    login_as(factories.make_user(email="asker@jelgava.example"))
    client.post("/organisations/join", data={"organisation_id": cast.mechelen.id})
    assert outbox(cast.coordinator.email) == []
    assert len(outbox(active.email)) == 1


def test_the_last_coordinator_is_not_offered_to_leave(client, cast, login_as):
    login_as(cast.coordinator)
    page = text(client.get(f"/organisations/{cast.mechelen.id}"))
    assert "You are the last coordinator of Mechelen." in page
    assert "Leave Mechelen" not in page


def test_services_refuse_an_unconfirmed_address_too(app, db, cast):
    from exchange.domain import DomainError
    from exchange.organisations import services

    newcomer = factories.make_user(email_confirmed_dt=None)
    for action in (
        lambda: services.request_membership(newcomer, cast.mechelen),
        lambda: services.create_organisation(newcomer, "municipality", name="X", country="BE"),
    ):
        try:
            action()
        except DomainError as error:
            with app.test_request_context():
                assert "Confirm your e-mail address first" in str(error.message)
        else:
            raise AssertionError("an unconfirmed user joined or registered an organisation")
    assert newcomer.organisation_id is None


def test_forms_whose_errors_need_focus_post_to_no_anchor(client, cast, login_as):
    assert 'action="/accessibility"' in text(client.get("/accessibility"))
    login_as(cast.coordinator)
    page = text(client.get(f"/organisations/{cast.mechelen.id}/members"))
    assert f'action="/organisations/{cast.mechelen.id}/invitations"' in page
