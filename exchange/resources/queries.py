"""Read-only queries of resources: the filtered list, its languages, the authors to choose."""

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from exchange.db import db
from exchange.organisations.queries import get_or_404
from exchange.resources.models import Resource, resource_themes

__all__ = ["get_or_404"]


def list_query(filters: dict):
    """Resources matching `filters`, newest first, with what a card shows loaded up front."""
    query = (
        sa.select(Resource)
        .options(
            selectinload(Resource.file),
            selectinload(Resource.author_organisation),
            selectinload(Resource.theme_links),
        )
        .order_by(Resource.published_date.desc(), Resource.id.desc())
    )
    if filters.get("q"):
        query = query.where(Resource.title.icontains(filters["q"], autoescape=True))
    if filters.get("kind"):
        query = query.where(Resource.kind == filters["kind"])
    if filters.get("language"):
        query = query.where(Resource.language == filters["language"])
    if filters.get("theme"):
        query = query.where(
            sa.exists().where(
                resource_themes.c.resource_id == Resource.id,
                resource_themes.c.theme == filters["theme"],
            )
        )
    return query


def list_page(filters: dict, page: int, per_page: int):
    return db.paginate(
        list_query(filters), page=page, per_page=per_page, error_out=True, count=True
    )


def languages_in_use() -> list[str]:
    """The languages resources are written in, for the language filter."""
    return list(db.session.scalars(sa.select(Resource.language).distinct()))
