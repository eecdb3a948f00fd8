"""Read-only queries of programmes."""

import sqlalchemy as sa

from exchange.db import db
from exchange.organisations.models import OFFICER_KINDS, Organisation
from exchange.organisations.queries import get_or_404
from exchange.pairings.models import Pairing
from exchange.pairings.queries import visible_to
from exchange.programmes.models import Programme

__all__ = ["get_or_404"]


def all_programmes() -> list[Programme]:
    """Every programme, newest first, with its lead."""
    return list(
        db.session.scalars(
            sa.select(Programme)
            .options(sa.orm.selectinload(Programme.lead))
            .order_by(Programme.start_date.desc(), Programme.name)
        )
    )


def pairing_counts(user) -> dict[int, int]:
    """How many pairings of each programme `user` may see."""
    rows = db.session.execute(
        sa.select(Pairing.programme_id, sa.func.count())
        .where(visible_to(user))
        .group_by(Pairing.programme_id)
    ).all()
    return dict(rows)


def lead_candidates() -> list[Organisation]:
    """Associations and network leads, which run programmes."""
    return list(
        db.session.scalars(
            sa.select(Organisation)
            .where(Organisation.kind.in_(OFFICER_KINDS), Organisation.is_verified)
            .order_by(Organisation.name)
        )
    )
