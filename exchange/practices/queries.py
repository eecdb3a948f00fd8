"""Read-only queries of the practice library, one practice, transfers and their lineage."""

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from exchange.db import db
from exchange.organisations.models import OFFICER_KINDS, Organisation
from exchange.organisations.queries import get_or_404
from exchange.pairings.models import PUBLIC_STATUSES, Pairing
from exchange.pairings.queries import details_visible_to
from exchange.practices import search
from exchange.practices.models import (
    Practice,
    PracticeAttachment,
    PracticeStatus,
    Transfer,
    practice_target_groups,
    practice_themes,
)

__all__ = ["get_or_404"]


def library_page(filters: dict, page: int, per_page: int):
    """One page of published practices, best match first when there is a query."""
    query = (
        sa.select(Practice)
        .where(Practice.status == PracticeStatus.PUBLISHED)
        .options(selectinload(Practice.origin))
    )
    words = search.terms(filters.get("q"))
    if words:
        query = query.where(search.matching(words)).order_by(*search.rank(words), Practice.id)
    else:
        query = query.order_by(Practice.published_dt.desc(), Practice.id.desc())
    if filters.get("theme"):
        query = query.where(
            sa.exists().where(
                practice_themes.c.practice_id == Practice.id,
                practice_themes.c.theme == filters["theme"],
            )
        )
    if filters.get("target_group"):
        query = query.where(
            sa.exists().where(
                practice_target_groups.c.practice_id == Practice.id,
                practice_target_groups.c.target_group == filters["target_group"],
            )
        )
    if filters.get("kind"):
        query = query.where(Practice.kind == filters["kind"])
    if filters.get("language"):
        query = query.where(Practice.language == filters["language"])
    if filters.get("country"):
        query = query.where(Practice.origin.has(Organisation.country == filters["country"]))
    result = db.paginate(query, page=page, per_page=per_page, error_out=True, count=True)
    return result, search.highlights(words, [p.id for p in result.items]), words


def themes_by_practice(practice_ids) -> dict[int, list[str]]:
    return _codes(practice_themes, practice_themes.c.theme, practice_ids)


def target_groups_by_practice(practice_ids) -> dict[int, list[str]]:
    return _codes(practice_target_groups, practice_target_groups.c.target_group, practice_ids)


def _codes(table, column, practice_ids) -> dict[int, list[str]]:
    ids = list(practice_ids)
    found: dict[int, list[str]] = {i: [] for i in ids}
    if ids:
        rows = db.session.execute(
            sa.select(table.c.practice_id, column)
            .where(table.c.practice_id.in_(ids))
            .order_by(column)
        )
        for practice_id, code in rows:
            found[practice_id].append(code)
    return found


def library_countries() -> list[str]:
    return list(
        db.session.scalars(
            sa.select(Organisation.country)
            .join(Practice, Practice.origin_id == Organisation.id)
            .where(Practice.status == PracticeStatus.PUBLISHED)
            .distinct()
        )
    )


def drafts_of(user, limit: int = 20) -> list[Practice]:
    """Drafts the user may edit: their organisation's (and, for officers, their member
    cities'); all for admins."""
    if not getattr(user, "is_authenticated", False):
        return []
    query = sa.select(Practice).where(Practice.status == PracticeStatus.DRAFT)
    if not user.is_admin:
        if not user.is_approved_member:
            return []
        org_id = user.organisation_id
        condition = Practice.origin_id == org_id
        if user.organisation.kind in OFFICER_KINDS:
            condition = sa.or_(condition, Practice.origin.has(Organisation.parent_id == org_id))
        elif not user.is_coordinator:
            return []
        query = query.where(condition)
    return list(
        db.session.scalars(
            query.options(selectinload(Practice.origin))
            .order_by(Practice.updated_dt.desc())
            .limit(limit)
        )
    )


def practice_details(practice: Practice) -> None:
    """Load what the practice page shows in a fixed number of queries."""
    db.session.scalars(
        sa.select(Practice)
        .where(Practice.id == practice.id)
        .options(
            selectinload(Practice.origin).selectinload(Organisation.parent),
            selectinload(Practice.attachments).selectinload(PracticeAttachment.file),
        )
    ).all()


def visible_transfers(user, practice_id: int | None = None, pairing_id: int | None = None):
    """Transfers of published practices in pairings the user may see the summary of (a
    practice made a draft again drops out, so its title stays with its editors)."""
    query = (
        sa.select(Transfer)
        .join(Pairing, Pairing.id == Transfer.pairing_id)
        .join(Practice, Practice.id == Transfer.practice_id)
        .where(
            Practice.status == PracticeStatus.PUBLISHED,
            sa.or_(Pairing.status.in_(PUBLIC_STATUSES), details_visible_to(user)),
        )
        .options(
            selectinload(Transfer.practice).selectinload(Practice.origin),
            selectinload(Transfer.pairing).selectinload(Pairing.mentee),
            selectinload(Transfer.pairing).selectinload(Pairing.mentor),
        )
        .order_by(Transfer.created_dt, Transfer.id)
    )
    if practice_id is not None:
        query = query.where(Transfer.practice_id == practice_id)
    if pairing_id is not None:
        query = query.where(Transfer.pairing_id == pairing_id)
    return list(db.session.scalars(query))


def adoptable_practices(pairing) -> list[Practice]:
    """The published practices a pairing's mentee may adopt: all but its own."""
    return list(
        db.session.scalars(
            sa.select(Practice)
            .where(
                Practice.status == PracticeStatus.PUBLISHED,
                Practice.origin_id != pairing.mentee_id,
            )
            .options(selectinload(Practice.origin))
            .order_by(Practice.title)
        )
    )


def featured(limit: int = 3) -> list[Practice]:
    """The newest published practices, for the home page."""
    return list(
        db.session.scalars(
            sa.select(Practice)
            .where(Practice.status == PracticeStatus.PUBLISHED)
            .options(selectinload(Practice.origin))
            .order_by(Practice.published_dt.desc(), Practice.id.desc())
            .limit(limit)
        )
    )


def practice_themes_by_origin() -> dict[int, set[str]]:
    """The themes of each organisation's published practices (for mentor suggestions)."""
    rows = db.session.execute(
        sa.select(Practice.origin_id, practice_themes.c.theme)
        .join(practice_themes, practice_themes.c.practice_id == Practice.id)
        .where(Practice.status == PracticeStatus.PUBLISHED)
    )
    found: dict[int, set[str]] = {}
    for origin_id, theme in rows:
        found.setdefault(origin_id, set()).add(theme)
    return found
