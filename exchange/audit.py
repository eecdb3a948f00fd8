"""Append-only audit trail of every change."""

import datetime as dt
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from exchange.db import UTCDateTime, db, utcnow


class AuditEvent(db.Model):
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    action: Mapped[str] = mapped_column(sa.String(64))
    object_type: Mapped[str] = mapped_column(sa.String(32))
    object_id: Mapped[int | None]
    summary: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    created_dt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    __table_args__ = (sa.Index("ix_audit_events_object", "object_type", "object_id"),)


@sa.event.listens_for(AuditEvent, "before_update")
@sa.event.listens_for(AuditEvent, "before_delete")
def _refuse_change(_mapper, _connection, target):
    raise RuntimeError(f"audit event {target.id} is append-only")


def record(actor, action: str, obj, **changes) -> AuditEvent:
    """Add an audit event for `action` on `obj`; `changes` maps a field to (before, after)."""
    return record_on(actor, action, type(obj).__name__.lower(), obj.id, **changes)


def record_on(actor, action: str, object_type: str, object_id: int | None, **summary):
    """Add an audit event about something that is not one row (e.g. the dashboard)."""
    event = AuditEvent(
        actor_id=getattr(actor, "id", None),
        action=action,
        object_type=object_type,
        object_id=object_id,
        summary={key: _jsonable(value) for key, value in summary.items()},
    )
    db.session.add(event)
    return event


def _jsonable(value):
    if isinstance(value, tuple | list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)  # exact, unlike a float
    if isinstance(value, db.Model):
        return str(getattr(value, "name", None) or getattr(value, "title", None) or value.id)
    return value
