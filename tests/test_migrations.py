"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from exchange.db import db as _db
from exchange.db import is_schema_object_of_models


def test_models_match_the_migrated_database(app):
    # The session's database was built by `flask db upgrade` (tests/conftest.py), not create_all.
    with _db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={"compare_type": True, "include_object": is_schema_object_of_models},
        )
        differences = compare_metadata(context, _db.metadata)
    assert differences == [], "a model changed without a migration: flask db migrate -m ..."
