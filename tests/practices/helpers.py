"""Helpers shared by the practice tests: page text, field errors, result titles."""

import html as htmllib
import re

import sqlalchemy as sa

from exchange.db import db
from exchange.practices.models import practice_target_groups, practice_themes


def text(response) -> str:
    """The page's words without tags and entities, runs of white space made one space."""
    words = re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))
    return re.sub(r"\s+", " ", htmllib.unescape(words))


def html(response) -> str:
    return response.get_data(as_text=True)


def field_error(response, field_id: str) -> str:
    """The error message shown next to a field, or ''."""
    match = re.search(rf'id="{field_id}-error">(.*?)</p>', html(response), re.S)
    return (
        re.sub(r"<[^>]+>|\s+", " ", match.group(1)).replace("Error:", "").strip() if match else ""
    )


RESULT = re.compile(r'<h3><a href="/practices/(\d+)">(.*?)</a></h3>', re.S)


def results(response) -> list[str]:
    """The titles of the practices listed in the library, in order, without their <mark>s."""
    return [re.sub(r"<[^>]+>", "", title) for _id, title in RESULT.findall(html(response))]


def result_titles_html(response) -> list[str]:
    """The titles as rendered, with their <mark>s."""
    return [title for _id, title in RESULT.findall(html(response))]


def set_codes(practice, themes=(), target_groups=()) -> None:
    """Give a practice (built by the factory) themes and target groups."""
    if themes:
        db.session.execute(
            sa.insert(practice_themes), [{"practice_id": practice.id, "theme": t} for t in themes]
        )
    if target_groups:
        db.session.execute(
            sa.insert(practice_target_groups),
            [{"practice_id": practice.id, "target_group": g} for g in target_groups],
        )


def is_postgresql() -> bool:
    return db.engine.dialect.name == "postgresql"
