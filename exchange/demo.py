"""The demo database: the real IncluCities organisations with fictional accounts.

The facts come from demo_data.json (a copy of shared/demo/inclucities.json). People
are fictional: every account is at demo.example and shares one password.
"""

import json
import unicodedata
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from exchange import demo_log, demo_pairings, demo_practices
from exchange.accounts.models import MemberRole, Membership, User
from exchange.db import db, utcnow
from exchange.organisations.models import Organisation, OrgKind, ThemeRelation
from exchange.security import hash_password
from exchange.themes import THEME_BY_NAME

DATA_FILE = Path(__file__).with_name("demo_data.json")
DOMAIN = "demo.example"


def facts() -> dict:
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


def slug(name: str) -> str:
    """Lower-case the name, drop accents, join words with hyphens: 'City of Brussels' ->
    'city-of-brussels'."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return "-".join(ascii_name.lower().split())


def database_is_empty() -> bool:
    has_org = db.session.scalar(sa.select(sa.exists().where(Organisation.id.isnot(None))))
    has_user = db.session.scalar(sa.select(sa.exists().where(User.id.isnot(None))))
    return not (has_org or has_user)


def account_list() -> list[tuple[str, str]]:
    """Return (e-mail, description) of every demo account."""
    data = facts()
    accounts = [(f"admin@{DOMAIN}", "platform administrator (CEMR)")]
    for association in data["associations"]:
        if association.get("kind") != "network_lead":
            acronym = association["acronym"]
            accounts.append((f"officer.{acronym.lower()}@{DOMAIN}", f"officer of {acronym}"))
    for city in data["municipalities"]:
        for role in ("coordinator", "participant"):
            accounts.append((f"{role}.{slug(city['name'])}@{DOMAIN}", f"{role} of {city['name']}"))
    return accounts


def load() -> None:
    """Add the demo organisations, accounts, programmes, pairings, practices and the pairings'
    exchange log (the caller commits)."""
    data = facts()
    password_hash = hash_password(current_app.config["DEMO_PASSWORD"])
    now = utcnow()
    associations = {a["acronym"]: _add_association(a, now) for a in data["associations"]}
    cemr = associations.pop(data["programme"]["lead"])
    cities = {c["name"]: _add_municipality(c, associations, now) for c in data["municipalities"]}
    _add_themes(data, cities)
    db.session.flush()

    users = {}

    def add_user(email, name, organisation, role, is_admin=False):
        user = User(
            email=email,
            name=name,
            password_hash=password_hash,
            organisation=organisation,
            role=role,
            membership=Membership.APPROVED,
            is_admin=is_admin,
            email_confirmed_dt=now,
        )
        db.session.add(user)
        return user

    users["admin"] = add_user(
        f"admin@{DOMAIN}", "Alex Admin (demo)", cemr, MemberRole.COORDINATOR, is_admin=True
    )
    for acronym, association in associations.items():
        users[("officer", acronym)] = add_user(
            f"officer.{acronym.lower()}@{DOMAIN}",
            f"{acronym} Officer (demo)",
            association,
            MemberRole.COORDINATOR,
        )
    for name, city in cities.items():
        users[("coordinator", name)] = add_user(
            f"coordinator.{slug(name)}@{DOMAIN}",
            f"{name} Coordinator (demo)",
            city,
            MemberRole.COORDINATOR,
        )
        users[("participant", name)] = add_user(
            f"participant.{slug(name)}@{DOMAIN}",
            f"{name} Participant (demo)",
            city,
            MemberRole.PARTICIPANT,
        )
    db.session.flush()
    demo_pairings.load(data, cities, associations, cemr, users)
    db.session.flush()
    demo_practices.load(data, cities, users, data["programme"]["name"])
    demo_log.load(data, users)


def _add_association(facts_: dict, now) -> Organisation:
    kind = OrgKind.NETWORK_LEAD if facts_.get("kind") == "network_lead" else OrgKind.ASSOCIATION
    org = Organisation(
        kind=kind,
        name=facts_["name"],
        acronym=facts_["acronym"],
        country=facts_["country"],
        languages=[],
        is_verified=True,
        verified_dt=now,
    )
    db.session.add(org)
    return org


def _add_municipality(facts_: dict, associations: dict, now) -> Organisation:
    org = Organisation(
        kind=OrgKind.MUNICIPALITY,
        name=facts_["name"],
        country=facts_["country"],
        population=facts_.get("population"),
        foreign_origin_pct=facts_.get("foreign_origin_pct"),
        languages=facts_.get("languages", []),
        profile_text=facts_.get("note"),
        parent=associations[facts_["association"]],
        is_verified=True,
        verified_dt=now,
    )
    db.session.add(org)
    return org


def _add_themes(data: dict, cities: dict) -> None:
    """Mentors are strong in their pairing's theme; mentees (and replaced mentees) need it."""
    for pairing in data["pairings"]:
        theme = THEME_BY_NAME[pairing["theme"]]
        _add_theme(cities[pairing["mentor"]], ThemeRelation.STRENGTH, theme)
        for mentee in (pairing["mentee"], pairing.get("replaced_mentee")):
            if mentee:
                _add_theme(cities[mentee], ThemeRelation.NEED, theme)


def _add_theme(org: Organisation, relation: ThemeRelation, theme: str) -> None:
    current = org.needs if relation == ThemeRelation.NEED else org.strengths
    org.set_themes(relation, [*current, theme])
