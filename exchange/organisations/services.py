"""Everything that changes organisations and their members.

Services flush, write audit events and queue e-mail; the view commits once.
"""

import datetime as dt
import logging

from flask import current_app
from flask_babel import lazy_gettext as _l

from exchange import audit
from exchange.accounts import services as accounts
from exchange.accounts.models import MemberRole, Membership, User
from exchange.db import db, utcnow
from exchange.domain import DomainError
from exchange.mail import external_url, notify, queue_email
from exchange.organisations import queries
from exchange.organisations.models import Invitation, Organisation, ThemeRelation
from exchange.security import new_token, token_hash

log = logging.getLogger(__name__)

PROFILE_FIELDS = (
    "name",
    "acronym",
    "country",
    "region",
    "website",
    "languages",
    "population",
    "foreign_origin_pct",
    "profile_text",
    "parent_id",
)

INVITATION_MESSAGES = {
    "invalid": _l("This invitation link is not valid. Check that you copied the whole link."),
    "expired": _l("This invitation has expired. Ask the colleague who invited you for a new one."),
    "used": _l("This invitation has already been accepted. Log in to use your account."),
    "revoked": _l(
        "This invitation was withdrawn by the organisation. Ask them for a new one "
        "if you should still join."
    ),
}


class InvitationError(DomainError):
    def __init__(self, reason: str):
        super().__init__(INVITATION_MESSAGES[reason])
        self.reason = reason


def ensure_confirmed(user: User) -> None:
    """Coordinators and admins must be able to trust the address of who joins or registers."""
    if not user.is_email_confirmed:
        raise DomainError(_l("Confirm your e-mail address first"))


def ensure_without_organisation(user: User) -> None:
    if user.organisation_id is not None:
        raise DomainError(
            _l(
                "You already belong to an organisation, or asked to join one. A person can be a "
                "member of one organisation only."
            )
        )


# Registering and editing an organisation


def create_organisation(creator: User, kind: str, **profile) -> Organisation:
    """Register an unverified organisation with its creator as coordinator; tell the admins."""
    ensure_confirmed(creator)
    ensure_without_organisation(creator)
    org = Organisation(kind=kind, is_verified=False)
    _apply_profile(org, profile)
    db.session.add(org)
    accounts.join_as(creator, org, MemberRole.COORDINATOR, Membership.APPROVED)
    db.session.flush()
    audit.record(creator, "organisation.created", org, name=(None, org.name), kind=(None, kind))
    for admin in queries.active_admins():
        notify(
            admin,
            _l("%(org)s waits for verification", org=org.name),
            "organisation_waits_verification",
            organisation=org,
            creator=creator,
            link=external_url("admin.organisations"),
        )
    log.info("organisation %s registered by user %s", org.id, creator.id)
    return org


def update_organisation(actor: User, org: Organisation, kind: str | None = None, **profile) -> dict:
    """Change the profile; record what changed, before and after."""
    _check_parent(org, profile.get("parent_id"))
    before = _snapshot(org)
    if kind is not None:
        org.kind = kind
    _apply_profile(org, profile)
    db.session.flush()
    after = _snapshot(org)
    changes = {key: (before[key], after[key]) for key in after if before[key] != after[key]}
    if changes:
        audit.record(actor, "organisation.updated", org, **changes)
    return changes


def _apply_profile(org: Organisation, profile: dict) -> None:
    for name in PROFILE_FIELDS:
        if name in profile:
            setattr(org, name, profile[name])
    if "needs" in profile:
        org.set_themes(ThemeRelation.NEED, profile["needs"])
    if "strengths" in profile:
        org.set_themes(ThemeRelation.STRENGTH, profile["strengths"])


def _snapshot(org: Organisation) -> dict:
    values = {name: getattr(org, name) for name in (*PROFILE_FIELDS, "kind")}
    values["languages"] = list(values["languages"] or [])
    values["needs"] = sorted(org.needs)
    values["strengths"] = sorted(org.strengths)
    return values


def _check_parent(org: Organisation, parent_id: int | None) -> None:
    """Refuse a parent that is the organisation itself or one of its members (a loop)."""
    parent = db.session.get(Organisation, parent_id) if parent_id else None
    while parent is not None:
        if parent.id == org.id:
            raise DomainError(
                _l("An organisation cannot belong to itself or to one of its members."),
                field="parent_id",
            )
        parent = parent.parent


# Joining


def request_membership(user: User, org: Organisation) -> None:
    """Ask to join a verified organisation; its coordinators decide."""
    ensure_confirmed(user)
    ensure_without_organisation(user)
    if not org.is_verified:
        raise DomainError(_l("Choose your organisation."), field="organisation_id")
    accounts.join_as(user, org, MemberRole.PARTICIPANT, Membership.PENDING)
    db.session.flush()
    audit.record(user, "membership.requested", org, user_id=(None, user.id))
    for coordinator in queries.coordinators(org):
        notify(
            coordinator,
            _l("%(name)s asks to join %(org)s", name=user.name, org=org.name),
            "membership_requested",
            organisation=org,
            coordinator=coordinator,
            user=user,
            link=external_url("organisations.members", org_id=org.id),
        )


# Managing members


def approve_member(actor: User, org: Organisation, user: User) -> None:
    if user.membership != Membership.PENDING:
        raise DomainError(_l("%(name)s is already a member.", name=user.name))
    user.membership = Membership.APPROVED
    audit.record(
        actor,
        "membership.approved",
        user,
        organisation_id=org.id,
        membership=(Membership.PENDING.value, Membership.APPROVED.value),
    )
    notify(
        user,
        _l("You are now a member of %(org)s", org=org.name),
        "membership_approved",
        organisation=org,
        user=user,
        link=external_url("organisations.profile", org_id=org.id),
    )


def remove_member(actor: User, org: Organisation, user: User) -> None:
    """Decline a request or remove a member; the last coordinator stays."""
    was_pending = user.membership == Membership.PENDING
    last_coordinator = _l(
        "%(name)s is the last coordinator of %(org)s. Make someone else coordinator first.",
        name=user.name,
        org=org.name,
    )
    _end_membership(
        actor,
        org,
        user,
        last_coordinator,
        "membership.declined" if was_pending else "membership.removed",
    )
    notify(
        user,
        _l("Your request to join %(org)s", org=org.name)
        if was_pending
        else _l("You are no longer a member of %(org)s", org=org.name),
        "membership_ended",
        organisation=org,
        user=user,
        was_pending=was_pending,
        link=external_url("organisations.join"),
    )


def leave_organisation(user: User) -> Organisation:
    """Withdraw one's own request to join, or leave the organisation; the last coordinator stays."""
    org = user.organisation
    last_coordinator = _l(
        "You are the last coordinator of %(org)s. Make someone else coordinator first.",
        org=org.name,
    )
    action = "membership.withdrawn" if user.is_pending_member else "membership.left"
    _end_membership(user, org, user, last_coordinator, action)
    return org


def _end_membership(actor: User, org: Organisation, user: User, last_coordinator, action) -> None:
    """Take `user` out of `org` (a member or a pending request) and record who did it."""
    if user.membership != Membership.PENDING:
        _keep_a_coordinator(org, user, last_coordinator)
    before = user.membership
    accounts.join_as(user, None, MemberRole.PARTICIPANT, Membership.NONE)
    audit.record(
        actor,
        action,
        user,
        organisation_id=(org.id, None),
        membership=(before, Membership.NONE.value),
    )


def set_role(actor: User, org: Organisation, user: User, role: str) -> None:
    if user.membership != Membership.APPROVED:
        raise DomainError(_l("Approve the request of %(name)s first.", name=user.name))
    if user.role == role:
        return
    if role != MemberRole.COORDINATOR:
        _keep_a_coordinator(
            org,
            user,
            _l(
                "%(name)s is the last coordinator of %(org)s. Make someone else coordinator first.",
                name=user.name,
                org=org.name,
            ),
        )
    audit.record(
        actor, "membership.role_changed", user, organisation_id=org.id, role=(user.role, role)
    )
    user.role = MemberRole(role)


def _keep_a_coordinator(org: Organisation, user: User, message) -> None:
    """Refuse to take away the last active coordinator of an organisation.

    The coordinators' rows are locked first (on PostgreSQL), so that two coordinators
    stepping down at the same moment cannot both pass the count.
    """
    active_coordinator_ids = queries.lock_active_coordinators(org)
    if user.id in active_coordinator_ids and len(active_coordinator_ids) <= 1:
        raise DomainError(message)


# Invitations


def invite(
    actor: User,
    org: Organisation,
    email: str,
    role: str,
    locale: str | None,
    now: dt.datetime | None = None,
) -> Invitation:
    """Invite a colleague by e-mail; the link in the e-mail is the only copy of the token."""
    now = now or utcnow()
    email = accounts.normalise_email(email)
    existing = accounts.find_user_by_email(email)
    if existing is not None and existing.organisation_id == org.id:
        message = (
            _l("This person already asked to join. Approve their request below.")
            if existing.is_pending_member
            else _l("This person is already a member.")
        )
        raise DomainError(message, field="email")
    if queries.open_invitation_for(org, email, now) is not None:
        raise DomainError(
            _l(
                "An invitation to this address is already open. Withdraw it "
                "first if you want to send a new one."
            ),
            field="email",
        )
    raw = new_token()
    days = current_app.config["INVITATION_LIFETIME_DAYS"]
    invitation = Invitation(
        organisation=org,
        email=email,
        role=MemberRole(role),
        token_hash=token_hash(raw),
        invited_by=actor,
        created_dt=now,
        expires_dt=now + dt.timedelta(days=days),
    )
    db.session.add(invitation)
    db.session.flush()
    audit.record(
        actor,
        "invitation.created",
        invitation,
        email=(None, email),
        role=(None, role),
        organisation_id=org.id,
    )
    queue_email(
        email,
        _l("%(name)s invites you to join %(org)s on City Exchange", name=actor.name, org=org.name),
        "invitation",
        locale=existing.locale if existing else locale,
        organisation=org,
        inviter=actor,
        invitation=invitation,
        days=days,
        link=external_url("organisations.accept_invitation", token=raw),
    )
    return invitation


def revoke_invitation(actor: User, invitation: Invitation, now: dt.datetime | None = None) -> None:
    now = now or utcnow()
    if not invitation.is_open(now):
        raise DomainError(_l("This invitation was already accepted, withdrawn or has expired."))
    invitation.revoked_dt = now
    audit.record(actor, "invitation.revoked", invitation, revoked_dt=(None, now))


def find_invitation(raw: str, now: dt.datetime | None = None) -> Invitation:
    """Return the open invitation of this token, or raise InvitationError saying why not."""
    now = now or utcnow()
    invitation = queries.invitation_by_hash(token_hash(raw))
    if invitation is None:
        raise InvitationError("invalid")
    if invitation.accepted_dt is not None:
        raise InvitationError("used")
    if invitation.revoked_dt is not None:
        raise InvitationError("revoked")
    if now >= invitation.expires_dt:
        raise InvitationError("expired")
    return invitation


def acceptance_problem(user: User, invitation: Invitation):
    """Say why `user` cannot accept this invitation, or None when they can."""
    if accounts.normalise_email(user.email) != invitation.email:
        return _l(
            "This invitation was sent to another e-mail address. Log in with the account "
            "of %(email)s, or ask for an invitation to your own address.",
            email=invitation.email,
        )
    if user.is_approved_member and user.organisation_id != invitation.organisation_id:
        return _l(
            "You are a member of %(org)s. Leave it first (on its page), then accept "
            "this invitation.",
            org=user.organisation.name,
        )
    if user.is_approved_member:
        return _l(
            "You are already a member of %(org)s as %(role)s. To change your role, ask one "
            "of its coordinators.",
            org=user.organisation.name,
            role=user.role_label.lower(),
        )
    return None


def accept_invitation(user: User, invitation: Invitation, now: dt.datetime | None = None) -> None:
    """Join the inviting organisation with the invited role; the link works once."""
    now = now or utcnow()
    ensure_open(invitation, now)
    problem = acceptance_problem(user, invitation)
    if problem:
        raise DomainError(problem)
    before = user.organisation_id
    invitation.accepted_dt = now
    accounts.join_as(
        user, invitation.organisation, MemberRole(invitation.role), Membership.APPROVED
    )
    # The link reached this address, which proves it is theirs.
    user.email_confirmed_dt = user.email_confirmed_dt or now
    audit.record(user, "invitation.accepted", invitation, accepted_dt=(None, now))
    audit.record(
        user,
        "membership.joined",
        user,
        organisation_id=(before, invitation.organisation_id),
        role=(None, invitation.role),
    )


def accept_invitation_as_new_user(
    invitation: Invitation,
    name: str,
    password: str,
    locale: str | None,
    now: dt.datetime | None = None,
) -> User:
    """Create the invited person's account (their address is proven) and join them."""
    ensure_open(invitation, now or utcnow())
    user = accounts.register_invited_user(name, invitation.email, password, locale)
    accept_invitation(user, invitation, now)
    accounts.record_login(user)
    return user


def ensure_open(invitation: Invitation, now: dt.datetime) -> None:
    """Refuse an invitation that was used, withdrawn or expired since its page was shown."""
    if not invitation.is_open(now):
        raise InvitationError(
            "used" if invitation.accepted_dt else "revoked" if invitation.revoked_dt else "expired"
        )
