"""Helpers of the action plan tests: page text, field errors, records in the database."""

import html as htmllib
import re

import sqlalchemy as sa

from exchange.audit import AuditEvent
from exchange.db import db


def text(response) -> str:
    """The page's words without tags and entities, runs of white space made one space."""
    words = re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))
    return re.sub(r"\s+", " ", htmllib.unescape(words)).strip()


def html(response) -> str:
    return response.get_data(as_text=True)


def field_error(response, field_id: str) -> str:
    """The error message shown next to a field, or ''."""
    match = re.search(rf'id="{field_id}-error">(.*?)</p>', html(response), re.S)
    if not match:
        return ""
    words = htmllib.unescape(re.sub(r"<[^>]+>|\s+", " ", match.group(1)))
    return " ".join(words.replace("Error:", "").split())


def input_value(response, name: str) -> str | None:
    """The value a text box or hidden field shows, or the text of a text area."""
    page = html(response)
    match = re.search(rf'<input[^>]*\bname="{name}"[^>]*>', page)
    if match:
        value = re.search(r'\bvalue="([^"]*)"', match.group(0))
        return htmllib.unescape(value.group(1)) if value else ""
    match = re.search(rf'<textarea[^>]*\bname="{name}"[^>]*>(.*?)</textarea>', page, re.S)
    return htmllib.unescape(match.group(1)).strip() if match else None


def checked(response, name: str) -> str | None:
    """The value of the checked radio button of a group."""
    for tag in re.findall(rf'<input[^>]*\bname="{name}"[^>]*>', html(response)):
        if re.search(r"\bchecked\b", tag):
            return re.search(r'\bvalue="([^"]*)"', tag).group(1)
    return None


def rows(model, *conditions) -> list:
    db.session.expire_all()
    order = model.id if hasattr(model, "id") else model.created_dt
    return list(db.session.scalars(sa.select(model).where(*conditions).order_by(order)))


def events(object_type: str, object_id: int | None = None) -> list[AuditEvent]:
    conditions = [AuditEvent.object_type == object_type]
    if object_id is not None:
        conditions.append(AuditEvent.object_id == object_id)
    return rows(AuditEvent, *conditions)
