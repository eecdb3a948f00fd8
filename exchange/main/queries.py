"""Read-only queries for the home page."""

from dataclasses import dataclass

import sqlalchemy as sa
from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from exchange.accounts.models import Membership, User
from exchange.db import db
from exchange.organisations.models import Organisation, OrgKind
from exchange.pairings import queries as pairing_queries


@dataclass(frozen=True)
class NextStep:
    text: str
    url: str
    label: str


def platform_counts() -> dict[str, int]:
    """Count the verified municipalities and associations, in one query."""
    rows = db.session.execute(
        sa.select(Organisation.kind, sa.func.count())
        .where(Organisation.is_verified)
        .group_by(Organisation.kind)
    ).all()
    by_kind = dict(rows)
    return {
        "municipalities": by_kind.get(OrgKind.MUNICIPALITY, 0),
        "associations": by_kind.get(OrgKind.ASSOCIATION, 0),
    }


def pending_member_count(organisation_id: int) -> int:
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(User)
        .where(User.organisation_id == organisation_id, User.membership == Membership.PENDING)
    )


def unverified_organisation_count() -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(Organisation).where(~Organisation.is_verified)
    )


def next_steps(user) -> list[NextStep]:
    """Say what this user should do next, most urgent first."""
    steps = []
    if not user.is_email_confirmed:
        steps.append(
            NextStep(
                _("Confirm your e-mail address with the link we sent you."),
                url_for("accounts.profile"),
                _("Your account"),
            )
        )
    if user.organisation is None:
        steps.append(
            NextStep(
                _("Join your organisation, or register it if it is new here."),
                url_for("organisations.join"),
                _("Join an organisation"),
            )
        )
    elif user.is_pending_member:
        steps.append(
            NextStep(
                _(
                    "Your request to join %(org)s waits for its coordinator.",
                    org=user.organisation.name,
                ),
                url_for("organisations.profile", org_id=user.organisation_id),
                user.organisation.name,
            )
        )
    else:
        steps.extend(_member_steps(user))
    steps.extend(_pairing_steps(user))
    if user.is_admin:
        count = unverified_organisation_count()
        if count:
            steps.append(
                NextStep(
                    ngettext(
                        "%(num)d organisation waits for verification.",
                        "%(num)d organisations wait for verification.",
                        count,
                    ),
                    url_for("admin.organisations"),
                    _("Verify organisations"),
                )
            )
    return steps


def _member_steps(user) -> list[NextStep]:
    org = user.organisation
    steps = []
    if not org.is_verified:
        steps.append(
            NextStep(
                _("%(org)s waits for verification by an administrator.", org=org.name),
                url_for("organisations.profile", org_id=org.id),
                org.name,
            )
        )
    if user.is_coordinator:
        count = pending_member_count(org.id)
        if count:
            steps.append(
                NextStep(
                    ngettext(
                        "%(num)d person asks to join %(org)s.",
                        "%(num)d people ask to join %(org)s.",
                        count,
                        org=org.name,
                    ),
                    url_for("organisations.members", org_id=org.id),
                    _("Review requests"),
                )
            )
        steps.append(
            NextStep(
                _("Keep the profile of %(org)s up to date.", org=org.name),
                url_for("organisations.edit", org_id=org.id),
                _("Edit profile"),
            )
        )
    if user.is_officer:
        steps.append(
            NextStep(
                _("See the member municipalities of %(org)s.", org=org.name),
                url_for("organisations.profile", org_id=org.id),
                org.name,
            )
        )
    return steps


def _pairing_steps(user) -> list[NextStep]:
    steps = []
    for pairing in pairing_queries.awaiting_answer(user):
        proposer = pairing.city(pairing.proposing_side)
        steps.append(
            NextStep(
                _("%(city)s proposes a pairing: accept or decline it.", city=proposer.name),
                url_for("pairings.overview", pairing_id=pairing.id),
                pairing.title,
            )
        )
    for pairing in pairing_queries.awaiting_confirmation(user):
        steps.append(
            NextStep(
                _("Both cities accepted this pairing: confirm it to start it."),
                url_for("pairings.overview", pairing_id=pairing.id),
                pairing.title,
            )
        )
    return steps
