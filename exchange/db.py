"""The database object, the model base class and SQLite tuning."""

import datetime as dt

import sqlalchemy as sa
from flask import has_request_context, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)

SQLITE_BUSY_TIMEOUT_MS = 5000


def utcnow() -> dt.datetime:
    """Return the current time in UTC, timezone-aware."""
    return dt.datetime.now(dt.UTC)


class UTCDateTime(sa.TypeDecorator):
    """Store datetimes in UTC and always hand back aware datetimes, on SQLite too."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None:
            if value.tzinfo is None:
                raise ValueError("naive datetime given; use exchange.db.utcnow()")
            value = value.astimezone(dt.UTC)
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return value


def configure_sqlite(engine: sa.Engine) -> None:
    """Turn on WAL, foreign keys and a busy timeout; take the write lock up front for writes.

    pysqlite's own transaction handling is switched off so that we can issue
    BEGIN IMMEDIATE ourselves on requests that change data: two writers then
    wait for each other (busy timeout) instead of failing with "database is locked"
    when a read transaction tries to upgrade.
    """

    @sa.event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def on_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE" if _is_write_request() else "BEGIN")


def _is_write_request() -> bool:
    """Requests other than GET write; work outside a request (CLI, tests) begins deferred."""
    return has_request_context() and request.method not in {"GET", "HEAD", "OPTIONS"}


def init_app(app) -> None:
    db.init_app(app)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            configure_sqlite(db.engine)


# Full-text search lives outside the models (exchange/practices/search.py): an FTS5 table on
# SQLite, a generated tsvector column with a GIN index on PostgreSQL. The migration creates
# them; comparisons of models and database leave them out.
SEARCH_TABLE_PREFIX = "practice_search"
SEARCH_COLUMN = "search_vector"


def is_schema_object_of_models(obj, name, type_, reflected, compare_to) -> bool:
    """Alembic include_object: False for the search objects the models do not describe."""
    if type_ == "table" and name and name.startswith(SEARCH_TABLE_PREFIX):
        return False
    if type_ == "column" and name == SEARCH_COLUMN:
        return False
    return not (type_ == "index" and name and SEARCH_COLUMN in name)
