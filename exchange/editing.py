"""No lost work: optimistic locking of the records several people edit.

An editable record has a `version` column; its form carries the version it was opened with.
`save()` applies the typed values only if nobody saved the record in between. If somebody did,
it raises `EditConflict`, which names who changed what since: the view shows it next to the
form, keeps what the user typed, and puts the current version in the form, so saving again
re-applies the user's values on top of the other change. A second submission of values that
are already saved (a double click) is not a conflict.

Every save is an audit event whose summary maps each changed field to (before, after) and
carries `version`; that is how a conflict knows what the other person changed.
"""

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from exchange import audit
from exchange.audit import AuditEvent
from exchange.db import db
from exchange.domain import DomainError


@dataclass
class OtherChange:
    """Someone else's save of the record since the form was opened."""

    actor_id: int | None
    when: dt.datetime
    fields: list[str]


class EditConflict(DomainError):
    """The record changed since the form was opened; nothing of this user's was saved."""

    def __init__(self, obj, changes: list[OtherChange]):
        super().__init__(
            _l(
                "Someone else saved this while you were editing it. Your text is kept below; "
                "check their changes and save again to apply yours."
            )
        )
        self.obj = obj
        self.changes = changes

    @property
    def changed_fields(self) -> list[str]:
        return list(dict.fromkeys(name for change in self.changes for name in change.fields))


def changes_of(obj, values: dict) -> dict:
    """The fields of `values` that differ from `obj`'s, as {field: (before, after)}."""
    return {
        name: (getattr(obj, name), value)
        for name, value in values.items()
        if getattr(obj, name) != value
    }


def save(actor, obj, values: dict, seen_version, action: str, **extra_changes) -> dict:
    """Apply `values` to `obj` (already locked by the caller) if it is still at `seen_version`.

    Returns the changes made ({} when nothing changed: nothing is written). Raises
    EditConflict when the record moved on and the values differ from what it holds now.
    """
    changes = changes_of(obj, values)
    if seen_version is not None and seen_version != obj.version:
        if not changes:
            return {}  # the same values were saved already: a double submission
        raise EditConflict(obj, changes_since(obj, seen_version))
    if not changes and not extra_changes:
        return {}
    for name, (_before, after) in changes.items():
        setattr(obj, name, after)
    obj.version += 1
    audit.record(
        actor, action, obj, **changes, **extra_changes, version=(obj.version - 1, obj.version)
    )
    db.session.flush()
    return changes


def changes_since(obj, seen_version: int) -> list[OtherChange]:
    """The saves of `obj` after `seen_version`, oldest first, from its audit events."""
    events = db.session.scalars(
        sa.select(AuditEvent)
        .where(
            AuditEvent.object_type == type(obj).__name__.lower(),
            AuditEvent.object_id == obj.id,
        )
        .order_by(AuditEvent.id.desc())
        .limit(50)
    )
    found = []
    for event in events:
        version = event.summary.get("version")
        if not version or version[1] <= seen_version:
            continue
        fields = [name for name in event.summary if name != "version"]
        found.append(OtherChange(event.actor_id, event.created_dt, fields))
    return list(reversed(found))


@dataclass
class ConflictNotice:
    """What the form page shows of a conflict: who saved when, and each field they changed
    with the value it holds now."""

    saves: list[tuple[str, dt.datetime]]
    fields: list[tuple[str, str]]


def describe(conflict: EditConflict, form, shown=None) -> ConflictNotice:
    """Put the conflict into words for `form`, and move the form to the record's current
    version so that saving again applies the user's values. `shown(name, value)` may turn a
    stored value into words (a choice's label); by default a select shows its choice label."""
    from exchange.accounts.models import User

    ids = {change.actor_id for change in conflict.changes if change.actor_id}
    users = {u.id: u for u in db.session.scalars(sa.select(User).where(User.id.in_(ids)))}
    saves = []
    for change in conflict.changes:
        user = users.get(change.actor_id)
        who = (
            _l("%(name)s (%(organisation)s)", name=user.name, organisation=user.organisation.name)
            if user is not None and user.organisation is not None
            else (user.name if user is not None else _l("Someone"))
        )
        saves.append((str(who), change.when))
    fields = []
    for name in conflict.changed_fields:
        if name not in form or not hasattr(conflict.obj, name):
            continue  # e.g. a date recorded with a change but kept elsewhere
        value = getattr(conflict.obj, name, None)
        fields.append((str(form[name].label.text), _words(form[name], value, shown, name)))
    if "version" in form:  # the hidden input shows what was posted unless told otherwise
        form.version.data = conflict.obj.version
        form.version.raw_data = [str(conflict.obj.version)]
    return ConflictNotice(saves, fields)


def _words(field, value, shown, name) -> str:
    if shown is not None:
        words = shown(name, value)
        if words is not None:
            return str(words)
    if value is None or value == "" or value == []:
        return str(_l("(empty)"))
    choices = getattr(field, "choices", None) or ()
    for choice in choices() if callable(choices) else choices:
        key = getattr(choice, "value", None) if not isinstance(choice, tuple) else choice[0]
        label = getattr(choice, "label", None) if not isinstance(choice, tuple) else choice[1]
        if str(key) == str(value):
            return str(label)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)
