"""Demo practices: the seven real practices of the IncluCities cities, published, and their
transfers to the mentee cities (as the programme's public record gives them, without dates).
Themes and kinds are our classification of the facts' wording."""

import sqlalchemy as sa

from exchange.db import db, utcnow
from exchange.pairings.models import Pairing
from exchange.practices import search
from exchange.practices.models import Practice, PracticeKind, Transfer, practice_themes

KINDS = {
    "buddy scheme": (PracticeKind.BUDDY, ["participation", "cohesion"]),
    "one-stop shop": (PracticeKind.ONE_STOP_SHOP, ["reception", "basic_services"]),
    "reception programme": (PracticeKind.OTHER, ["reception"]),
    "language learning": (PracticeKind.LANGUAGE, ["language"]),
    "job lab": (PracticeKind.JOB_LAB, ["employment"]),
    "consultative body": (PracticeKind.CONSULTATIVE_BODY, ["participation"]),
    "anti-rumours": (PracticeKind.ANTI_RUMOURS, ["cohesion"]),
}


def load(data: dict, cities: dict, users: dict, programme_name: str) -> None:
    """Add the practices and their transfers (the caller commits)."""
    now = utcnow()
    for facts in data["practices"]:
        origin = cities[facts["origin"]]
        kind, themes = KINDS[facts["kind"]]
        practice = Practice(
            title=facts["title"],
            origin=origin,
            kind=kind,
            language="en",
            summary=facts["summary"],
            start_year=int(facts["started"]) if facts.get("started") else None,
            status="published",
            published_dt=now,
            created_by_id=users[("coordinator", origin.name)].id,
        )
        db.session.add(practice)
        db.session.flush()
        db.session.execute(
            sa.insert(practice_themes), [{"practice_id": practice.id, "theme": t} for t in themes]
        )
        search.index(practice)
        for transfer in facts.get("transfers", []):
            pairing = db.session.scalar(
                sa.select(Pairing).where(
                    Pairing.programme.has(name=programme_name),
                    Pairing.mentor_id == origin.id,
                    Pairing.mentee_id == cities[transfer["to"]].id,
                )
            )
            db.session.add(
                Transfer(
                    practice=practice,
                    pairing=pairing,
                    local_name=transfer.get("local_name"),
                    stage=transfer["stage"],
                    created_by_id=users[("coordinator", transfer["to"])].id,
                )
            )
    db.session.flush()
