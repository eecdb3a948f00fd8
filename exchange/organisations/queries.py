"""Read-only queries of the directory, the profiles and the members pages."""

import datetime as dt

import sqlalchemy as sa
from flask import abort
from sqlalchemy.orm import selectinload

from exchange.accounts.models import MemberRole, Membership, User
from exchange.db import db
from exchange.organisations.models import (
    OFFICER_KINDS,
    Invitation,
    Organisation,
    OrganisationTheme,
)

# The largest id an integer column holds; a larger id in a URL would overflow the driver.
MAX_ID = 2**31 - 1


def check_id(object_id: int) -> None:
    """Answer 404 for an id no row can have, before the database driver chokes on it."""
    if not 0 < object_id <= MAX_ID:
        abort(404)


def is_possible_id(object_id) -> bool:
    return isinstance(object_id, int) and 0 < object_id <= MAX_ID


def get_chosen(model, object_id):
    """The row a form's select names, or None when it names none or no possible row."""
    return db.session.get(model, object_id) if is_possible_id(object_id) else None


def verified_organisations() -> list[Organisation]:
    """Every verified organisation by name: the ones an admin may act for."""
    return list(
        db.session.scalars(
            sa.select(Organisation)
            .where(Organisation.is_verified)
            .order_by(Organisation.name, Organisation.id)
        )
    )


def get_or_404(model, object_id: int):
    check_id(object_id)
    return db.get_or_404(model, object_id)


def _visible(include_unverified: bool):
    return sa.true() if include_unverified else Organisation.is_verified


def directory_countries(include_unverified: bool) -> list[str]:
    """Return the country codes of the organisations in the directory."""
    return list(
        db.session.scalars(
            sa.select(Organisation.country).where(_visible(include_unverified)).distinct()
        )
    )


def directory_page(filters: dict, page: int, per_page: int, include_unverified: bool):
    """Return one page of the directory, with what the cards show loaded up front."""
    query = (
        sa.select(Organisation)
        .where(_visible(include_unverified))
        .options(selectinload(Organisation.parent), selectinload(Organisation.theme_links))
        .order_by(Organisation.name, Organisation.id)
    )
    if filters.get("q"):
        text = filters["q"]
        query = query.where(
            sa.or_(
                Organisation.name.icontains(text, autoescape=True),
                Organisation.acronym.icontains(text, autoescape=True),
            )
        )
    if filters.get("kind"):
        query = query.where(Organisation.kind == filters["kind"])
    if filters.get("country"):
        query = query.where(Organisation.country == filters["country"])
    if filters.get("theme"):
        query = query.where(
            sa.exists().where(
                OrganisationTheme.organisation_id == Organisation.id,
                OrganisationTheme.theme == filters["theme"],
            )
        )
    return db.paginate(query, page=page, per_page=per_page, error_out=True, count=True)


def member_organisations(org: Organisation, include_unverified: bool) -> list[Organisation]:
    """Return the member municipalities of an association."""
    return list(
        db.session.scalars(
            sa.select(Organisation)
            .where(Organisation.parent_id == org.id, _visible(include_unverified))
            .order_by(Organisation.name)
        )
    )


def _members(org: Organisation, membership: Membership):
    return (
        sa.select(User)
        .where(User.organisation_id == org.id, User.membership == membership)
        .order_by(User.name, User.id)
    )


def approved_members(org: Organisation) -> list[User]:
    return list(db.session.scalars(_members(org, Membership.APPROVED)))


def pending_members(org: Organisation) -> list[User]:
    return list(db.session.scalars(_members(org, Membership.PENDING)))


def coordinators(org: Organisation) -> list[User]:
    """Return the coordinators who can act (not deactivated), to be told of requests."""
    return list(
        db.session.scalars(
            sa.select(User).where(_is_active_coordinator_of(org)).order_by(User.name, User.id)
        )
    )


def _is_active_coordinator_of(org: Organisation):
    return sa.and_(
        User.organisation_id == org.id,
        User.membership == Membership.APPROVED,
        User.role == MemberRole.COORDINATOR,
        User.is_active_account,
    )


def coordinator_count(org: Organisation) -> int:
    """Count the coordinators who can act: approved and not deactivated."""
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(User).where(_is_active_coordinator_of(org))
    )


def lock_active_coordinators(org: Organisation) -> list[int]:
    """Return the ids of the active coordinators, locking their rows until the commit."""
    query = sa.select(User.id).where(_is_active_coordinator_of(org)).with_for_update()
    return list(db.session.scalars(query))


def member_or_404(org: Organisation, user_id: int) -> User:
    """Return a member or pending member of `org`, or answer 404."""
    check_id(user_id)
    return db.one_or_404(
        sa.select(User).where(
            User.id == user_id,
            User.organisation_id == org.id,
            User.membership.in_([Membership.APPROVED, Membership.PENDING]),
        )
    )


def open_invitations(org: Organisation, now: dt.datetime) -> list[Invitation]:
    return list(
        db.session.scalars(
            sa.select(Invitation)
            .where(
                Invitation.organisation_id == org.id,
                Invitation.accepted_dt.is_(None),
                Invitation.revoked_dt.is_(None),
                Invitation.expires_dt > now,
            )
            .options(selectinload(Invitation.invited_by))
            .order_by(Invitation.created_dt.desc(), Invitation.id.desc())
        )
    )


def open_invitation_for(org: Organisation, email: str, now: dt.datetime) -> Invitation | None:
    return db.session.scalar(
        sa.select(Invitation)
        .where(
            Invitation.organisation_id == org.id,
            Invitation.email == email,
            Invitation.accepted_dt.is_(None),
            Invitation.revoked_dt.is_(None),
            Invitation.expires_dt > now,
        )
        .limit(1)
    )


def invitation_or_404(org: Organisation, invitation_id: int) -> Invitation:
    check_id(invitation_id)
    return db.one_or_404(
        sa.select(Invitation).where(
            Invitation.id == invitation_id, Invitation.organisation_id == org.id
        )
    )


def invitation_by_hash(hashed: str) -> Invitation | None:
    return db.session.scalar(sa.select(Invitation).where(Invitation.token_hash == hashed))


def joinable_organisations() -> list[Organisation]:
    """Return the verified organisations a user may ask to join, by country then name."""
    return list(
        db.session.scalars(
            sa.select(Organisation)
            .where(Organisation.is_verified)
            .order_by(Organisation.country, Organisation.name)
        )
    )


def parent_associations(exclude_id: int | None = None) -> list[Organisation]:
    """Return the verified associations (and network leads) an organisation may belong to."""
    query = (
        sa.select(Organisation)
        .where(Organisation.is_verified, Organisation.kind.in_([k.value for k in OFFICER_KINDS]))
        .order_by(Organisation.name)
    )
    if exclude_id is not None:
        query = query.where(Organisation.id != exclude_id)
    return list(db.session.scalars(query))


def active_admins() -> list[User]:
    return list(
        db.session.scalars(
            sa.select(User).where(User.is_admin, User.is_active_account).order_by(User.id)
        )
    )
