"""Read-only queries of pairings: lists, one pairing's pages, health and notifications."""

import datetime as dt

import sqlalchemy as sa
from flask import abort, current_app
from sqlalchemy.orm import aliased, selectinload

from exchange.accounts.models import MemberRole, Membership, User
from exchange.activities.models import Activity, ActivityStatus
from exchange.audit import AuditEvent
from exchange.db import db
from exchange.organisations.models import OFFICER_KINDS, Organisation, OrgKind
from exchange.organisations.queries import MAX_ID, check_id, get_or_404
from exchange.pairings.health import Thresholds, Verdict, judge, sql_case, sql_reference
from exchange.pairings.models import (
    OPEN_STATUSES,
    PUBLIC_STATUSES,
    RUNNING_STATUSES,
    Pairing,
    PairingStep,
    PairingTheme,
    PartnerChange,
    PhaseChange,
    Status,
)
from exchange.plans import queries as plan_queries
from exchange.plans.models import Action
from exchange.programmes.models import Programme

__all__ = ["MAX_ID", "get_or_404"]

_LIST_OPTIONS = (
    selectinload(Pairing.programme),
    selectinload(Pairing.mentor),
    selectinload(Pairing.mentee),
    selectinload(Pairing.theme_links),
)


def get_for_update(pairing_id: int) -> Pairing:
    """Load a pairing to change it, locking its row on PostgreSQL until the commit, so two
    people acting at once are served one after the other (SQLite's write lock does the same)."""
    check_id(pairing_id)
    pairing = db.session.scalar(
        sa.select(Pairing).where(Pairing.id == pairing_id).with_for_update(of=Pairing)
    )
    if pairing is None:
        abort(404)
    return pairing


def details_or_404(pairing_id: int, user) -> Pairing:
    """A pairing whose private pages (activities, plan, timeline ...) `user` may see, or 404."""
    pairing = get_or_404(Pairing, pairing_id)
    if not pairing.can_see_details(user):
        abort(404)
    return pairing


def visible_to(user):
    """The pairings `user` may see: public ones, their city's, their association's; all for
    admins."""
    return sa.or_(Pairing.status.in_(PUBLIC_STATUSES), details_visible_to(user))


def details_visible_to(user):
    """The pairings whose private pages (and health) `user` may see: Pairing.can_see_details
    in SQL."""
    if not getattr(user, "is_authenticated", False) or not user.is_approved_member:
        return sa.true() if getattr(user, "is_admin", False) else sa.false()
    if user.is_admin:
        return sa.true()
    org_id = user.organisation_id
    conditions = [Pairing.mentor_id == org_id, Pairing.mentee_id == org_id]
    if user.organisation.kind in OFFICER_KINDS:
        conditions += [
            Pairing.mentor_association_id == org_id,
            Pairing.mentee_association_id == org_id,
            Pairing.mentor.has(Organisation.parent_id == org_id),
            Pairing.mentee.has(Organisation.parent_id == org_id),
        ]
    return sa.or_(*conditions)


def activities_of(pairing_id: int) -> list[Activity]:
    return list(db.session.scalars(sa.select(Activity).where(Activity.pairing_id == pairing_id)))


def actions_by_practice(pairing_id: int) -> dict[int, list[Action]]:
    """The pairing's actions that carry a practice over, by practice (one query)."""
    found: dict[int, list[Action]] = {}
    for action in db.session.scalars(
        sa.select(Action)
        .where(Action.pairing_id == pairing_id, Action.practice_id.is_not(None))
        .order_by(Action.due_date.is_(None), Action.due_date, Action.id)
    ):
        found.setdefault(action.practice_id, []).append(action)
    return found


def last_held_sql():
    """When the pairing's last held activity ended (a correlated subquery), or NULL."""
    return (
        sa.select(sa.func.max(Activity.ends_at))
        .where(Activity.pairing_id == Pairing.id, Activity.status == ActivityStatus.HELD)
        .scalar_subquery()
    )


def last_resumed_sql():
    """When the pairing was last resumed after a hold (a correlated subquery), or NULL."""
    return (
        sa.select(sa.func.max(PairingStep.created_dt))
        .where(PairingStep.pairing_id == Pairing.id, PairingStep.step == "resume")
        .scalar_subquery()
    )


def last_resumed(pairing_ids) -> dict[int, dt.datetime]:
    """When each pairing was last resumed after a hold (one query)."""
    rows = db.session.execute(
        sa.select(PairingStep.pairing_id, sa.func.max(PairingStep.created_dt))
        .where(PairingStep.pairing_id.in_(pairing_ids), PairingStep.step == "resume")
        .group_by(PairingStep.pairing_id)
    )
    return dict(rows.all())


def health_sql(now: dt.datetime):
    """The health of `Pairing` rows as SQL ('green', 'amber', 'red'; only meaningful for
    active pairings), the same rule as health.judge."""
    reference = sql_reference(last_held_sql(), Pairing.confirmed_dt, last_resumed_sql())
    overdue = plan_queries.overdue_count_sql(now.date())
    return sql_case(reference, overdue, now, Thresholds.from_config())


def last_held(pairing_ids) -> dict[int, dt.datetime]:
    """When each pairing's last held activity ended (one query)."""
    rows = db.session.execute(
        sa.select(Activity.pairing_id, sa.func.max(Activity.ends_at))
        .where(Activity.pairing_id.in_(pairing_ids), Activity.status == ActivityStatus.HELD)
        .group_by(Activity.pairing_id)
    )
    return dict(rows.all())


def health_of(pairings, now: dt.datetime, user=None) -> dict[int, Verdict]:
    """Judge the active pairings among `pairings`; others have no health. Given a `user`,
    only those whose details the user sees: health is monitoring data, not public."""
    judged = [
        p
        for p in pairings
        if p.status == Status.ACTIVE
        and p.confirmed_dt is not None
        and (user is None or p.can_see_details(user))
    ]
    if not judged:
        return {}
    ids = [p.id for p in judged]
    held = last_held(ids)
    resumed = last_resumed(ids)
    overdue = plan_queries.overdue_counts(ids, now.date())
    thresholds = Thresholds.from_config()
    return {
        p.id: judge(
            held.get(p.id),
            p.confirmed_dt,
            now,
            thresholds,
            overdue.get(p.id, 0),
            resumed_dt=resumed.get(p.id),
        )
        for p in judged
    }


def list_query(user, filters: dict, now: dt.datetime):
    query = (
        sa.select(Pairing)
        .where(visible_to(user))
        .options(*_LIST_OPTIONS)
        .order_by(Pairing.created_dt.desc(), Pairing.id.desc())
    )
    if filters.get("programme"):
        query = query.where(Pairing.programme_id == filters["programme"])
    if filters.get("status"):
        query = query.where(Pairing.status == filters["status"])
    if filters.get("phase"):
        query = query.where(Pairing.phase == filters["phase"], Pairing.status.in_(RUNNING_STATUSES))
    if filters.get("theme"):
        query = query.where(
            sa.exists().where(
                PairingTheme.pairing_id == Pairing.id, PairingTheme.theme == filters["theme"]
            )
        )
    if filters.get("country"):
        country = filters["country"]
        query = query.where(
            sa.or_(
                Pairing.mentor.has(Organisation.country == country),
                Pairing.mentee.has(Organisation.country == country),
            )
        )
    if filters.get("health"):
        # monitoring data: only among the pairings whose details the user sees
        query = query.where(
            Pairing.status == Status.ACTIVE,
            health_sql(now) == filters["health"],
            details_visible_to(user),
        )
    if filters.get("organisation"):
        query = query.where(_involves(filters["organisation"]))
    return query


def list_page(user, filters: dict, page: int, per_page: int, now: dt.datetime):
    return db.paginate(
        list_query(user, filters, now), page=page, per_page=per_page, error_out=True, count=True
    )


def filter_countries(user) -> list[str]:
    """Countries of the cities in the pairings `user` may see."""
    mentor = aliased(Organisation)
    mentee = aliased(Organisation)
    base = sa.select(Pairing.id).where(visible_to(user)).subquery()
    rows = db.session.execute(
        sa.select(mentor.country, mentee.country)
        .select_from(Pairing)
        .join(base, base.c.id == Pairing.id)
        .join(mentor, mentor.id == Pairing.mentor_id)
        .join(mentee, mentee.id == Pairing.mentee_id)
        .distinct()
    ).all()
    return sorted({code for row in rows for code in row})


def programmes() -> list[Programme]:
    return list(db.session.scalars(sa.select(Programme).order_by(Programme.start_date.desc())))


def open_programmes(today: dt.date) -> list[Programme]:
    return list(
        db.session.scalars(
            sa.select(Programme)
            .where(sa.or_(Programme.end_date.is_(None), Programme.end_date >= today))
            .order_by(Programme.start_date.desc(), Programme.name)
        )
    )


def municipalities() -> list[Organisation]:
    """The verified municipalities a pairing can join."""
    return list(
        db.session.scalars(
            sa.select(Organisation)
            .where(Organisation.kind == OrgKind.MUNICIPALITY, Organisation.is_verified)
            .order_by(Organisation.name, Organisation.id)
        )
    )


def associations() -> list[Organisation]:
    return list(
        db.session.scalars(
            sa.select(Organisation)
            .where(Organisation.kind.in_(OFFICER_KINDS), Organisation.is_verified)
            .order_by(Organisation.name, Organisation.id)
        )
    )


def open_pairing_between(programme_id: int, a_id: int, b_id: int) -> Pairing | None:
    """The open pairing of these two cities (either way round) in the programme, if any."""
    return db.session.scalar(
        sa.select(Pairing).where(
            Pairing.programme_id == programme_id,
            Pairing.status.in_(OPEN_STATUSES),
            sa.or_(
                sa.and_(Pairing.mentor_id == a_id, Pairing.mentee_id == b_id),
                sa.and_(Pairing.mentor_id == b_id, Pairing.mentee_id == a_id),
            ),
        )
    )


def overview_details(pairing: Pairing) -> None:
    """Load what the overview shows of the pairing in a fixed number of queries."""
    db.session.scalars(
        sa.select(Pairing)
        .where(Pairing.id == pairing.id)
        .options(
            selectinload(Pairing.steps).selectinload(PairingStep.actor),
            selectinload(Pairing.steps).selectinload(PairingStep.actor_organisation),
            selectinload(Pairing.phase_changes).selectinload(PhaseChange.actor),
            selectinload(Pairing.partner_changes).selectinload(PartnerChange.old_organisation),
            selectinload(Pairing.partner_changes).selectinload(PartnerChange.new_organisation),
            selectinload(Pairing.theme_links),
        )
    ).all()


def members_of_both_sides(pairing: Pairing) -> dict[int, list[User]]:
    """The approved members of the mentor and the mentee city, by organisation id."""
    rows = db.session.scalars(
        sa.select(User)
        .where(
            User.organisation_id.in_([pairing.mentor_id, pairing.mentee_id]),
            User.membership == Membership.APPROVED,
            User.is_active_account,
        )
        .order_by(User.role, User.name, User.id)
    )
    members: dict[int, list[User]] = {pairing.mentor_id: [], pairing.mentee_id: []}
    for user in rows:
        members[user.organisation_id].append(user)
    return members


def history_page(pairing: Pairing, page: int, per_page: int):
    """The audit events of the pairing, newest first."""
    query = (
        sa.select(AuditEvent)
        .where(AuditEvent.object_type == "pairing", AuditEvent.object_id == pairing.id)
        .order_by(AuditEvent.created_dt.desc(), AuditEvent.id.desc())
    )
    return db.paginate(query, page=page, per_page=per_page, error_out=True, count=True)


def users_by_id(ids) -> dict[int, User]:
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    return {u.id: u for u in db.session.scalars(sa.select(User).where(User.id.in_(ids)))}


# People to tell


def _active_approved(org_ids):
    return sa.select(User).where(
        User.organisation_id.in_(org_ids),
        User.membership == Membership.APPROVED,
        User.is_active_account,
    )


def coordinators_of(*orgs) -> list[User]:
    ids = [org.id for org in orgs if org is not None]
    return list(
        db.session.scalars(
            _active_approved(ids).where(User.role == MemberRole.COORDINATOR).order_by(User.id)
        )
    )


def officers_of(*associations) -> list[User]:
    ids = [org.id for org in associations if org is not None]
    return list(db.session.scalars(_active_approved(ids).order_by(User.id)))


def active_admins() -> list[User]:
    return list(
        db.session.scalars(
            sa.select(User).where(User.is_admin, User.is_active_account).order_by(User.id)
        )
    )


# Matching


def active_mentorship_counts() -> dict[int, int]:
    """How many active pairings each city mentors now."""
    rows = db.session.execute(
        sa.select(Pairing.mentor_id, sa.func.count())
        .where(Pairing.status == Status.ACTIVE)
        .group_by(Pairing.mentor_id)
    ).all()
    return dict(rows)


def open_partner_ids(org_id: int) -> set[int]:
    """The cities `org_id` already has an open pairing with, in any programme."""
    rows = db.session.execute(
        sa.select(Pairing.mentor_id, Pairing.mentee_id).where(
            Pairing.status.in_(OPEN_STATUSES),
            sa.or_(Pairing.mentor_id == org_id, Pairing.mentee_id == org_id),
        )
    ).all()
    return {city for row in rows for city in row} - {org_id}


def municipalities_with_themes() -> list[Organisation]:
    return list(
        db.session.scalars(
            sa.select(Organisation)
            .where(Organisation.kind == OrgKind.MUNICIPALITY, Organisation.is_verified)
            .options(selectinload(Organisation.theme_links))
            .order_by(Organisation.name, Organisation.id)
        )
    )


def _involves(org_id: int):
    """Pairings of a city, or with an association as either side's association."""
    return sa.or_(
        Pairing.mentor_id == org_id,
        Pairing.mentee_id == org_id,
        Pairing.mentor_association_id == org_id,
        Pairing.mentee_association_id == org_id,
    )


def pairings_of(org: Organisation, user, limit: int = 10) -> tuple[list[Pairing], int]:
    """The newest pairings of a city (or an association) that `user` may see, and how many
    there are in all."""
    condition = sa.and_(_involves(org.id), visible_to(user))
    total = db.session.scalar(sa.select(sa.func.count()).select_from(Pairing).where(condition))
    pairings = db.session.scalars(
        sa.select(Pairing)
        .where(condition)
        .options(*_LIST_OPTIONS)
        .order_by(Pairing.created_dt.desc(), Pairing.id.desc())
        .limit(limit)
    )
    return list(pairings), total


def lock_programme(programme: Programme) -> None:
    """Hold the programme's row until the commit (PostgreSQL), so proposals within one
    programme are checked for duplicates one at a time."""
    db.session.execute(
        sa.select(Programme.id).where(Programme.id == programme.id).with_for_update()
    )


def matching_profiles(city: Organisation):
    """The city as a mentee, and every other verified city it has no open pairing with, as
    profiles for `exchange.pairings.matching` (with the themes of their published practices)."""
    from exchange.pairings.matching import CityProfile
    from exchange.practices.queries import practice_themes_by_origin

    load = active_mentorship_counts()
    practice_themes = practice_themes_by_origin()
    excluded = open_partner_ids(city.id) | {city.id}

    def profile(org: Organisation) -> CityProfile:
        return CityProfile(
            id=org.id,
            name=org.name,
            needs=frozenset(org.needs),
            strengths=frozenset(org.strengths),
            practice_themes=frozenset(practice_themes.get(org.id, ())),
            languages=frozenset(org.languages or ()),
            population=org.population,
            active_mentorships=load.get(org.id, 0),
        )

    candidates = [profile(org) for org in municipalities_with_themes() if org.id not in excluded]
    return profile(city), candidates


def page_size() -> int:
    return current_app.config["PAGE_SIZE"]


# What waits for someone (the home page)


def awaiting_answer(user, limit: int = 5) -> list[Pairing]:
    """Proposals to the user's city, if they coordinate it, that wait for an answer."""
    if not getattr(user, "is_coordinator", False):
        return []
    org_id = user.organisation_id
    query = (
        sa.select(Pairing)
        .where(
            Pairing.status == Status.PROPOSED,
            sa.or_(
                sa.and_(Pairing.mentor_id == org_id, Pairing.proposed_by_side == "mentee"),
                sa.and_(Pairing.mentee_id == org_id, Pairing.proposed_by_side == "mentor"),
            ),
        )
        .options(selectinload(Pairing.mentor), selectinload(Pairing.mentee))
        .order_by(Pairing.created_dt, Pairing.id)
        .limit(limit)
    )
    return list(db.session.scalars(query))


def awaiting_confirmation(user, limit: int = 5) -> list[Pairing]:
    """Accepted pairings the user may confirm: all for admins, their association's for
    officers."""
    query = (
        sa.select(Pairing)
        .where(Pairing.status == Status.ACCEPTED)
        .options(selectinload(Pairing.mentor), selectinload(Pairing.mentee))
        .order_by(Pairing.updated_dt, Pairing.id)
        .limit(limit)
    )
    if not getattr(user, "is_admin", False):
        if not getattr(user, "is_officer", False):
            return []
        org_id = user.organisation_id
        query = query.where(
            sa.or_(Pairing.mentor_association_id == org_id, Pairing.mentee_association_id == org_id)
        )
    return list(db.session.scalars(query))
