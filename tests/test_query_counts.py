"""A page costs the same few queries whatever the amount of data."""

import contextlib

import pytest
import sqlalchemy as sa

from exchange.accounts.models import Membership
from exchange.db import db as _db
from exchange.organisations.models import ThemeRelation
from tests import factories


@contextlib.contextmanager
def count_queries(engine):
    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        if not statement.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK", "PRAGMA")):
            statements.append(statement)

    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)


def add_data(cast, n: int) -> None:
    """Grow the data around Mechelen and VVSG by n of everything the pages show."""
    for i in range(n):
        town = factories.make_org(name=f"Town {i}", parent=cast.vvsg)
        town.set_themes(ThemeRelation.NEED, ["housing", "language"])
        town.set_themes(ThemeRelation.STRENGTH, ["youth"])
        factories.make_coordinator(town)
        factories.make_user(organisation=cast.mechelen)
        factories.make_user(organisation=cast.mechelen, membership=Membership.PENDING)
        factories.make_org(name=f"Unverified {i}", is_verified=False, verified_dt=None)
    _db.session.commit()


PAGES = [
    ("anonymous", "/organisations/"),
    ("anonymous", "/organisations/?theme=housing&kind=municipality"),
    ("anonymous", "/organisations/{vvsg}"),
    ("coordinator", "/organisations/{mechelen}/members"),
    ("coordinator", "/"),
    ("admin", "/admin/organisations"),
    ("admin", "/admin/users"),
]


@pytest.mark.parametrize(("role", "path"), PAGES)
def test_page_query_count_does_not_grow_with_the_data(app, cast, login_as, role, path):
    user = cast.by_role(role)
    client = app.test_client()
    if user:
        login_as(user, the_client=client)
    url = path.format(vvsg=cast.vvsg.id, mechelen=cast.mechelen.id)

    def queries_for_page() -> int:
        with count_queries(_db.engine) as statements:
            assert client.get(url).status_code == 200
        return len(statements)

    add_data(cast, 2)
    small = queries_for_page()
    add_data(cast, 25)
    large = queries_for_page()

    assert large == small, f"{url}: {small} queries with little data, {large} with more"
    assert small <= 12
