"""Audit events of a pairing in words, for its history tab."""

import datetime as dt

from flask_babel import format_date
from flask_babel import lazy_gettext as _l

from exchange.i18n import language_name
from exchange.pairings.models import STATUS_LABELS, phase_label
from exchange.themes import theme_label

ACTION_LABELS = {
    "pairing.propose": _l("Proposed"),
    "pairing.accept": _l("Accepted"),
    "pairing.decline": _l("Declined"),
    "pairing.confirm": _l("Confirmed"),
    "pairing.hold": _l("Put on hold"),
    "pairing.resume": _l("Resumed"),
    "pairing.complete": _l("Completed"),
    "pairing.withdraw": _l("Withdrawn"),
    "pairing.phase": _l("Phase changed"),
    "pairing.edit": _l("Terms changed"),
    "pairing.replace_partner": _l("Partner replaced"),
    "pairing.report": _l("Report downloaded"),
}

FIELD_LABELS = {
    "status": _l("Status"),
    "phase": _l("Phase"),
    "message": _l("Message"),
    "reason": _l("Reason"),
    "mentor": _l("Mentor city"),
    "mentee": _l("Mentee city"),
    "programme": _l("Programme"),
    "themes": _l("Themes"),
    "objective": _l("Objective"),
    "proposed_start_date": _l("Proposed start date"),
    "mentor_association": _l("Mentor's association"),
    "mentee_association": _l("Mentee's association"),
    "time_zone": _l("Time zone of the activities"),
    "format": _l("Format"),
    "period_from": _l("First day of the period"),
    "period_to": _l("Last day of the period"),
    "language": _l("Language"),
}


def _value(field: str, value) -> str:
    if value is None or value == []:
        return ""
    if field == "status":
        return str(STATUS_LABELS.get(value, value))
    if field == "phase":
        return phase_label(value)
    if field == "themes":
        return ", ".join(theme_label(code) for code in value)
    if field == "language":
        return language_name(value)
    if field.endswith("_date") or field in ("period_from", "period_to"):
        try:
            return format_date(dt.date.fromisoformat(value))
        except (TypeError, ValueError):
            return str(value)
    return str(value)


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


def describe(event) -> list[tuple[str, str | None, str]]:
    """Return (field, before, after) in words; before is None for a text without a before
    (a message or a reason)."""
    return describe_changes(event.summary)


def describe_changes(summary: dict | None) -> list[tuple[str, str | None, str]]:
    rows = []
    for field, change in (summary or {}).items():
        label = str(FIELD_LABELS.get(field, field))
        if isinstance(change, list) and len(change) == 2:
            before, after = change
            if before == after is None:
                continue
            rows.append((label, _value(field, before), _value(field, after)))
        elif change not in (None, ""):
            rows.append((label, None, _value(field, change)))
    return rows
