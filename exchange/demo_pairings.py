"""Demo programmes and pairings.

IncluCities (2020-2023) with its four real pairs, completed, their phases dated from the
programme's public record of activities, and Capaci replacing Partinico as Mechelen's
mentee. "Demo exchange 2026" is fictional, and says so: its pairings among the demo
cities show every state (proposed, accepted, active with green, amber and red health in
different phases, on hold, declined), dated relative to the day the demo is loaded.
"""

import datetime as dt

from exchange import audit, timezones
from exchange.db import db, utcnow
from exchange.pairings.models import (
    FIRST_PHASE,
    Pairing,
    PairingStep,
    PartnerChange,
    PhaseChange,
    Side,
    Status,
)
from exchange.programmes.models import Programme
from exchange.themes import THEME_BY_NAME

# Activity types of the facts that mark the start of a phase of the IncluCities method.
PHASE_OF_ACTIVITY = {
    "kick-off": 1,
    "mentoring training": 3,
    "transfer workshop": 6,
    "training academy": 6,
    "inspiration day": 8,
    "final conference": 8,
}
PHASE_OF_STUDY_VISIT = {1: 4, 2: 5, 3: 7}

FICTIONAL_NAME = "Demo exchange 2026 (fictional)"
OLDEST_DAYS_AGO = 210  # the oldest fictional proposal is 200 days old


def _at(day: dt.date) -> dt.datetime:
    """Noon UTC of a day: a timestamp for facts known to the day."""
    return dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)


def _concerns(activity: dict, mentor: str, mentee: str) -> bool:
    if activity.get("scope") == "all":
        return True
    names = activity.get("pairing") or activity.get("scope") or []
    return mentor in names or mentee in names if isinstance(names, list) else False


def phase_dates(activities: list[dict], mentor: str, mentee: str) -> dict[int, dt.date]:
    """The first date each phase was reached by this pair, from its dated activities."""
    reached: dict[int, dt.date] = {}
    for activity in activities:
        if not _concerns(activity, mentor, mentee):
            continue
        if activity["type"] == "study visit":
            phase = PHASE_OF_STUDY_VISIT.get(activity.get("round"))
        else:
            phase = PHASE_OF_ACTIVITY.get(activity["type"])
        if phase is None:
            continue
        day = dt.date.fromisoformat(activity["date"])
        if phase not in reached or day < reached[phase]:
            reached[phase] = day
    return reached


def load(data: dict, cities: dict, associations: dict, cemr, users: dict) -> None:
    """Add both programmes and their pairings (the caller flushes and commits)."""
    _load_inclucities(data, cities, cemr, users)
    _load_fictional(cities, cemr, users)


def _coordinator(users, city) -> object:
    return users[("coordinator", city.name)]


def _new_pairing(programme, mentor, mentee, themes, objective, side, **values) -> Pairing:
    pairing = Pairing(
        programme=programme,
        mentor=mentor,
        mentee=mentee,
        mentor_association=mentor.parent,
        mentee_association=mentee.parent,
        objective=objective,
        proposed_by_side=side,
        status=Status.PROPOSED,
        time_zone=timezones.for_country(mentee.country),
        version=1,
        **values,
    )
    pairing.themes = themes
    db.session.add(pairing)
    db.session.flush()
    return pairing


def _step(pairing, name, to_status, actor, when, message=None) -> None:
    before = pairing.status if pairing.steps else None
    if name == "propose":
        pairing.created_dt = pairing.updated_dt = when
    pairing.steps.append(
        PairingStep(
            step=name,
            from_status=before,
            to_status=to_status,
            actor_id=actor.id,
            actor_organisation_id=actor.organisation_id,
            message=message,
            created_dt=when,
        )
    )
    event = audit.record(
        actor, f"pairing.{name}", pairing, status=(before, to_status), message=message
    )
    event.created_dt = when
    pairing.status = to_status
    pairing.version += 1


def _phase(pairing, phase, actor, when, reason=None) -> None:
    before = pairing.phase
    pairing.phase_changes.append(
        PhaseChange(
            from_phase=before, phase=phase, reason=reason, actor_id=actor.id, changed_dt=when
        )
    )
    event = audit.record(actor, "pairing.phase", pairing, phase=(before, phase), reason=reason)
    event.created_dt = when
    pairing.phase = phase
    pairing.version += 1


def _confirm(pairing, officer, when) -> None:
    _step(pairing, "confirm", Status.ACTIVE, officer, when)
    pairing.confirmed_dt = when
    pairing.start_date = when.date()
    _phase(pairing, FIRST_PHASE, officer, when)


def _officer(users, pairing):
    association = pairing.mentor_association or pairing.mentee_association
    return users[("officer", association.acronym)]


def _load_inclucities(data, cities, cemr, users) -> None:
    facts = data["programme"]
    start = dt.date.fromisoformat(facts["start_date"])
    end = dt.date.fromisoformat(facts["end_date"])
    programme = Programme(
        name=facts["name"],
        lead=cemr,
        fund=facts["fund"],
        start_date=start,
        end_date=end,
        description=f"{facts['description']} Facilitated by {facts['facilitator']}.",
        themes=[THEME_BY_NAME[name] for name in facts["themes"]],
    )
    db.session.add(programme)
    admin = users["admin"]
    for pair in data["pairings"]:
        mentor = cities[pair["mentor"]]
        mentee = cities[pair["mentee"]]
        first_mentee = cities[pair["replaced_mentee"]] if pair.get("replaced_mentee") else mentee
        pairing = _new_pairing(
            programme,
            mentor,
            first_mentee,
            [THEME_BY_NAME[pair["theme"]]],
            pair["objective"],
            Side.MENTEE,
            proposed_start_date=start,
        )
        opened = _at(start)
        _step(pairing, "propose", Status.PROPOSED, _coordinator(users, first_mentee), opened)
        _step(pairing, "accept", Status.ACCEPTED, _coordinator(users, mentor), opened)
        pairing.confirmed_dt = opened
        pairing.start_date = start
        _step(pairing, "confirm", Status.ACTIVE, admin, opened)
        reached = phase_dates(data["activities"], pair["mentor"], pair["mentee"])
        if first_mentee is not mentee:
            when = _at(min(d for p, d in reached.items() if p > 3))
            pairing.mentee = mentee
            pairing.partner_changes.append(
                PartnerChange(
                    side=Side.MENTEE,
                    old_organisation=first_mentee,
                    new_organisation=mentee,
                    reason=(
                        f"{first_mentee.name} left the programme; {mentee.name} took its "
                        f"place as {mentor.name}'s mentee. Recorded here at the first study "
                        f"visit in {mentee.name}; the exact date is not in the public "
                        f"record."
                    ),
                    actor_id=admin.id,
                    changed_dt=when,
                )
            )
            event = audit.record(
                admin, "pairing.replace_partner", pairing, mentee=(first_mentee.name, mentee.name)
            )
            event.created_dt = when
        for phase, day in sorted(reached.items(), key=lambda item: item[1]):
            if phase != pairing.phase:
                _phase(pairing, phase, _coordinator(users, mentee), _at(day))
        _step(pairing, "complete", Status.COMPLETED, admin, _at(end))
        pairing.end_date = end


def _load_fictional(cities, cemr, users) -> None:
    today = utcnow().date()
    programme = Programme(
        name=FICTIONAL_NAME,
        lead=cemr,
        fund="Fictional fund for the demonstration",
        # 2026 and 2027, stretched so that the dates below, counted back from the day the
        # demo is loaded, fall inside it and proposals stay possible whenever it is loaded.
        start_date=min(dt.date(2026, 1, 1), today - dt.timedelta(days=OLDEST_DAYS_AGO)),
        end_date=max(dt.date(2027, 12, 31), today + dt.timedelta(days=365)),
        description=(
            "A fictional programme, made up so that every feature of City Exchange has "
            "something to show: its pairings, dates and messages are invented. The "
            "IncluCities programme holds the real pairs."
        ),
        themes=["reception", "employment", "language", "housing", "participation", "gender"],
    )
    db.session.add(programme)

    def ago(days: int) -> dt.datetime:
        return _at(today - dt.timedelta(days=days))

    def pairing(mentor, mentee, theme, objective, proposed_days_ago, message):
        result = _new_pairing(
            programme,
            cities[mentor],
            cities[mentee],
            [theme],
            objective,
            Side.MENTEE,
            proposed_start_date=None,
        )
        _step(
            result,
            "propose",
            Status.PROPOSED,
            _coordinator(users, cities[mentee]),
            ago(proposed_days_ago),
            message,
        )
        return result

    def accept(p, days_ago, message=None):
        _step(p, "accept", Status.ACCEPTED, _coordinator(users, p.mentor), ago(days_ago), message)

    def active(p, confirmed_days_ago, phase, last_change_days_ago=0):
        """Confirm `p` and move it, evenly over time, to `phase` by the given day."""
        accept(p, confirmed_days_ago + 5, "Gladly: we look forward to it.")
        _confirm(p, _officer(users, p), ago(confirmed_days_ago))
        span = confirmed_days_ago - last_change_days_ago
        for number in range(FIRST_PHASE + 1, phase + 1):
            days = last_change_days_ago + span * (phase - number) // phase
            _phase(p, number, _coordinator(users, p.mentee), ago(days))

    pairing(
        "Mechelen",
        "Jelgava",
        "participation",
        "Set up a buddy scheme that pairs newcomers with long-term residents.",
        4,
        "Your buddy scheme is what our council wants to learn from. Would you mentor us?",
    )
    p = pairing(
        "Schaerbeek",
        "Livadia",
        "language",
        "Offer language learning outside the classroom, in libraries and sports clubs.",
        12,
        "We would like to learn from your language tables.",
    )
    accept(p, 3, "Yes. Our team can visit Livadia in the spring.")
    p = pairing(
        "Fuenlabrada",
        "Saint-Jean-de-la-Ruelle",
        "employment",
        "Open a job lab for newcomers with the local employers' network.",
        60,
        "Could your job lab team coach ours?",
    )
    active(p, 20, 2)
    p = pairing(
        "City of Brussels",
        "Capaci",
        "gender",
        "Reach migrant women with orientation sessions run by women.",
        110,
        "We need your experience with gender-sensitive reception.",
    )
    active(p, 60, 3)
    p = pairing(
        "Mechelen",
        "Partinico",
        "participation",
        "Create a consultative body of residents with a migrant background.",
        170,
        "Partinico would like to try again what Capaci started.",
    )
    active(p, 120, 4)
    p = pairing(
        "Schaerbeek",
        "Saint-Jean-de-la-Ruelle",
        "housing",
        "Find housing for recognised refugees leaving reception centres.",
        200,
        "Housing is our biggest problem; can you help?",
    )
    active(p, 150, 4, last_change_days_ago=45)
    _step(
        p,
        "hold",
        Status.ON_HOLD,
        _officer(users, p),
        ago(30),
        "Municipal elections: the new council confirms the team first.",
    )
    p = pairing(
        "Fuenlabrada",
        "Capaci",
        "language",
        "Organise Spanish-style language cafés in Italian.",
        90,
        "Would you share how your language cafés work?",
    )
    _step(
        p,
        "decline",
        Status.DECLINED,
        _coordinator(users, p.mentor),
        ago(80),
        "We already mentor Saint-Jean-de-la-Ruelle this year. Ask us again in 2027.",
    )
    p.end_date = today - dt.timedelta(days=80)
