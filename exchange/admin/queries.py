"""Read-only queries of the administration pages."""

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from exchange.accounts.models import User
from exchange.db import db
from exchange.organisations.models import Organisation


def unverified_organisations() -> list[Organisation]:
    """Return the organisations waiting for verification, oldest first, with their people."""
    return list(
        db.session.scalars(
            sa.select(Organisation)
            .where(~Organisation.is_verified)
            .options(selectinload(Organisation.members), selectinload(Organisation.parent))
            .order_by(Organisation.created_dt, Organisation.id)
        )
    )


def organisations_page(page: int, per_page: int):
    query = (
        sa.select(Organisation)
        .options(selectinload(Organisation.parent))
        .order_by(Organisation.name, Organisation.id)
    )
    return db.paginate(query, page=page, per_page=per_page, error_out=True)


def users_page(filters: dict, page: int, per_page: int):
    """Return one page of users, searched by name or e-mail and filtered by status."""
    query = sa.select(User).options(selectinload(User.organisation)).order_by(User.name, User.id)
    if filters.get("q"):
        text = filters["q"]
        query = query.where(
            sa.or_(
                User.name.icontains(text, autoescape=True),
                User.email.icontains(text, autoescape=True),
            )
        )
    status = filters.get("status")
    if status == "active":
        query = query.where(User.is_active_account)
    elif status == "inactive":
        query = query.where(~User.is_active_account)
    elif status == "admins":
        query = query.where(User.is_admin)
    return db.paginate(query, page=page, per_page=per_page, error_out=True)
