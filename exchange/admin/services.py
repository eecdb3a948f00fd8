"""What administrators change: verification of organisations, accounts and admin rights.

Services flush, write audit events and queue e-mail; the view commits once.
"""

import datetime as dt
import logging

from flask_babel import lazy_gettext as _l

from exchange import audit
from exchange.accounts.models import User
from exchange.db import db, utcnow
from exchange.domain import DomainError
from exchange.mail import external_url, notify
from exchange.organisations import queries as org_queries
from exchange.organisations.models import Organisation

log = logging.getLogger(__name__)


def verify_organisation(actor: User, org: Organisation, now: dt.datetime | None = None) -> None:
    """Make an organisation public and tell its coordinators."""
    if org.is_verified:
        raise DomainError(_l("%(org)s is already verified.", org=org.name))
    org.is_verified = True
    org.verified_dt = now or utcnow()
    db.session.flush()
    audit.record(actor, "organisation.verified", org, is_verified=(False, True))
    for coordinator in org_queries.coordinators(org):
        notify(
            coordinator,
            _l("%(org)s is verified", org=org.name),
            "organisation_verified",
            organisation=org,
            coordinator=coordinator,
            link=external_url("organisations.profile", org_id=org.id),
        )
    log.info("organisation %s verified by user %s", org.id, actor.id)


def deactivate_user(actor: User, user: User) -> None:
    """Close an account and end all its sessions at once."""
    if user.id == actor.id:
        raise DomainError(_l("You cannot deactivate your own account."))
    if not user.is_active_account:
        raise DomainError(_l("The account of %(name)s is already deactivated.", name=user.name))
    user.is_active_account = False
    user.end_all_sessions()
    audit.record(actor, "user.deactivated", user, is_active=(True, False))


def reactivate_user(actor: User, user: User) -> None:
    if user.is_active_account:
        raise DomainError(_l("The account of %(name)s is already active.", name=user.name))
    user.is_active_account = True
    audit.record(actor, "user.reactivated", user, is_active=(False, True))


def grant_admin(actor: User, user: User) -> None:
    if user.is_admin:
        raise DomainError(_l("%(name)s is already an administrator.", name=user.name))
    user.is_admin = True
    audit.record(actor, "user.admin_granted", user, is_admin=(False, True))


def revoke_admin(actor: User, user: User) -> None:
    if user.id == actor.id:
        raise DomainError(
            _l("You cannot remove your own administrator rights. Ask another administrator.")
        )
    if not user.is_admin:
        raise DomainError(_l("%(name)s is not an administrator.", name=user.name))
    user.is_admin = False
    audit.record(actor, "user.admin_revoked", user, is_admin=(True, False))
