"""Full-text search of practices with the database's own engine, behind one function.

SQLite: the FTS5 table `practice_search` (porter stemming, accents folded), ranked by bm25
with the title weighing most, then the summary, then the rest; the practices services keep
it filled (`index`). PostgreSQL: the generated, weighted `practices.search_vector` (GIN
index), ranked by ts_rank_cd. Both stem English words, so "buddy" finds "buddies".

A query of any length and any characters is reduced to at most MAX_TERMS words, each quoted,
so the engine never sees its own syntax. Matches are marked with two control characters the
forms never store (exchange.forms strips them), escaped, then turned into <mark>.
"""

import re
from dataclasses import dataclass

import sqlalchemy as sa
from markupsafe import Markup, escape

from exchange.db import db
from exchange.practices.models import Practice

MAX_TERMS = 12
MAX_QUERY_CHARS = 500
START, STOP = "\x02", "\x03"
_WORD = re.compile(r"\w+", re.UNICODE)
_TABLE = sa.table("practice_search")
_SEARCH = sa.literal_column("practice_search")
_ROWID = sa.literal_column("practice_search.rowid")
_VECTOR = sa.literal_column("practices.search_vector")


# Words too common to require (PostgreSQL's English configuration drops English ones by
# itself); a query made only of them is searched as it is.
STOP_WORDS = frozenset(
    # fmt: off
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "in",
        "is",
        "it",
        "of",
        "on",
        "or",
        "s",
        "the",
        "to",
        "with",
        "de",
        "den",
        "der",
        "die",
        "een",
        "en",
        "het",
        "met",
        "van",
        "voor",
        "au",
        "aux",
        "d",
        "des",
        "du",
        "et",
        "l",
        "la",
        "le",
        "les",
        "par",
        "pour",
        "sur",
        "un",
        "une",
    ]
    # fmt: on
)


def terms(query: str | None) -> list[str]:
    """The words of a query, lower-cased, without duplicates or stop words, at most
    MAX_TERMS of them."""
    words = _WORD.findall((query or "")[:MAX_QUERY_CHARS].lower())
    words = list(dict.fromkeys(w.replace("_", " ").strip() for w in words if w.strip("_")))
    meaningful = [w for w in words if w not in STOP_WORDS]
    return (meaningful or words)[:MAX_TERMS]


def _is_postgresql() -> bool:
    return db.engine.dialect.name == "postgresql"


def index(practice) -> None:
    """Put the practice's current text into the SQLite search table (PostgreSQL does this by
    itself)."""
    if _is_postgresql():
        return
    db.session.execute(
        sa.text("DELETE FROM practice_search WHERE rowid = :id"), {"id": practice.id}
    )
    db.session.execute(
        sa.text(
            "INSERT INTO practice_search (rowid, title, summary, body) "
            "VALUES (:id, :title, :summary, :body)"
        ),
        {
            "id": practice.id,
            "title": practice.title,
            "summary": practice.summary,
            "body": "\n".join(filter(None, (getattr(practice, f) for f in BODY_FIELDS))),
        },
    )


BODY_FIELDS = (
    "challenge",
    "how_it_works",
    "results",
    "evaluation",
    "resources",
    "transferability",
    "success_factors",
)


def _match(words: list[str]):
    if _is_postgresql():
        return sa.func.plainto_tsquery("english", " ".join(words))
    return " ".join('"' + w.replace('"', "") + '"' for w in words)


def matching(words: list[str]):
    """A condition on Practice: its text matches all the words."""
    if _is_postgresql():
        return _VECTOR.op("@@")(_match(words))
    return Practice.id.in_(
        sa.select(_ROWID).select_from(_TABLE).where(_SEARCH.op("MATCH")(_match(words)))
    )


def rank(words: list[str]) -> list:
    """ORDER BY clauses, best match first: a match in the title, then in the summary, then
    the engine's rank (ts_rank_cd adds up repeats, bm25 weighs them: either alone could put
    a long text that repeats a word above a title)."""
    if _is_postgresql():
        query = _match(words)
        return [
            _in_weight(query, "a").desc(),
            _in_weight(query, "b").desc(),
            sa.func.ts_rank_cd(_VECTOR, query).desc(),
        ]
    score = (
        sa.select(sa.func.bm25(_SEARCH, 10.0, 4.0, 1.0))
        .select_from(_TABLE)
        .where(Practice.id == _ROWID, _SEARCH.op("MATCH")(_match(words)))
        .scalar_subquery()
    )
    return [_in_column(words, "title").desc(), _in_column(words, "summary").desc(), score.asc()]


def _in_column(words: list[str], column: str):
    """Does the SQLite search table match the words in this column?"""
    return Practice.id.in_(
        sa.select(_ROWID)
        .select_from(_TABLE)
        .where(_SEARCH.op("MATCH")(f"{column} : ({_match(words)})"))
    )


def _in_weight(query, weight: str):
    """Does the query match the part of the vector with this weight (a: title, b: summary)?"""
    part = sa.func.ts_filter(_VECTOR, sa.literal_column(f"'{{{weight}}}'::\"char\"[]"))
    return part.op("@@")(query)


@dataclass(frozen=True)
class Highlight:
    title: Markup
    snippet: Markup


def highlights(words: list[str], practice_ids: list[int]) -> dict[int, Highlight]:
    """The title and an excerpt of each practice with the matched words in <mark>."""
    if not words or not practice_ids:
        return {}
    if _is_postgresql():
        options = f"StartSel={START}, StopSel={STOP}"
        rows = db.session.execute(
            sa.select(
                Practice.id,
                sa.func.ts_headline(
                    "english", Practice.title, _match(words), options + ", HighlightAll=true"
                ),
                sa.func.ts_headline(
                    "english",
                    sa.func.concat_ws(
                        " ", Practice.summary, *(getattr(Practice, f) for f in BODY_FIELDS)
                    ),
                    _match(words),
                    options + ", MaxFragments=2, MaxWords=30, MinWords=12",
                ),
            ).where(Practice.id.in_(practice_ids))
        ).all()
    else:
        rows = [
            (
                rowid,
                title,
                summary if START in (summary or "") or START not in (body or "") else body,
            )
            for rowid, title, summary, body in db.session.execute(
                sa.select(
                    _ROWID,
                    sa.func.highlight(_SEARCH, 0, START, STOP),
                    sa.func.snippet(_SEARCH, 1, START, STOP, "…", 30),
                    sa.func.snippet(_SEARCH, 2, START, STOP, "…", 30),
                )
                .select_from(_TABLE)
                .where(_SEARCH.op("MATCH")(_match(words)), _ROWID.in_(practice_ids))
            )
        ]
    return {row[0]: Highlight(_marked(row[1]), _marked(row[2])) for row in rows}


def _marked(text: str | None) -> Markup:
    """Escape the text, then turn the engine's markers into <mark>."""
    safe = str(escape(text or ""))
    return Markup(safe.replace(START, "<mark>").replace(STOP, "</mark>"))
