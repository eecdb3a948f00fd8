"""Creating and editing programmes (admins only). Services flush and audit; views commit."""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from exchange import audit
from exchange.db import db
from exchange.domain import DomainError
from exchange.programmes.models import Programme

FIELDS = ("name", "lead", "fund", "start_date", "end_date", "description", "themes")


def _check(admin, programme: Programme | None, values: dict) -> None:
    if not getattr(admin, "is_admin", False):
        raise DomainError(_l("Only an administrator can manage programmes."))
    taken = db.session.scalar(
        sa.select(Programme.id).where(
            sa.func.lower(Programme.name) == values["name"].lower(),
            Programme.id != (programme.id if programme else -1),
        )
    )
    if taken is not None:
        raise DomainError(_l("Another programme already has this name."), "name")
    if values["end_date"] is not None and values["end_date"] < values["start_date"]:
        raise DomainError(_l("The end date must be on or after the start date."), "end_date")


def _plain(value):
    return getattr(value, "name", value)


def create_programme(admin, **values) -> Programme:
    _check(admin, None, values)
    programme = Programme(**{name: values[name] for name in FIELDS})
    db.session.add(programme)
    db.session.flush()
    audit.record(
        admin, "programme.create", programme, **{n: (None, _plain(values[n])) for n in FIELDS}
    )
    return programme


def update_programme(admin, programme: Programme, **values) -> None:
    _check(admin, programme, values)
    changes = {}
    for name in FIELDS:
        before = getattr(programme, name)
        if before != values[name]:
            changes[name] = (_plain(before), _plain(values[name]))
            setattr(programme, name, values[name])
    if changes:
        audit.record(admin, "programme.edit", programme, **changes)
    db.session.flush()
