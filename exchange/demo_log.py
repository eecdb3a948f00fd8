"""The demo's exchange log: activities, action plans, actions, indicators, risks, feedback.

IncluCities carries the real activities of the programme's public record (demo_data.json)
on the pairs they concern, and no more than the record says: participants are not counted,
a venue or host is left empty when the record names none, and a date known only to the
month, or whose year is inferred, says so. Mechelen-Capaci's adopted plan holds the local
name of the transferred practice; no indicators are made up for the real pairs.

The fictional programme's pairings get held, planned and cancelled activities, plans with
their status history, actions, indicators with measurements, risks and feedback, dated
relative to the day the demo is loaded, so that their health reads as the README says:
Fuenlabrada-Saint-Jean-de-la-Ruelle green, City of Brussels-Capaci amber (last activity
55 days ago, one overdue action), Mechelen-Partinico red (100 days, three overdue).
"""

import datetime as dt
from decimal import Decimal

import sqlalchemy as sa

from exchange import audit
from exchange.activities.models import (
    Activity,
    ActivityFormat,
    ActivityStatus,
    ActivityType,
    Feedback,
)
from exchange.db import db, utcnow
from exchange.demo_pairings import FICTIONAL_NAME
from exchange.pairings.models import Pairing
from exchange.plans.models import (
    Action,
    ActionPlan,
    ActionStatus,
    ActionStatusChange,
    Indicator,
    IndicatorType,
    Level,
    Measurement,
    PlanStatus,
    PlanStatusChange,
    Risk,
    RiskChange,
    RiskStatus,
)
from exchange.practices.models import Practice
from exchange.programmes.models import Programme

TYPES = {
    "kick-off": ActivityType.KICK_OFF,
    "mentoring training": ActivityType.MENTORING_TRAINING,
    "study visit": ActivityType.STUDY_VISIT,
    "steering committee": ActivityType.STEERING_COMMITTEE,
    "transfer workshop": ActivityType.TRANSFER_WORKSHOP,
    "training academy": ActivityType.TRAINING_ACADEMY,
    "inspiration day": ActivityType.INSPIRATION_DAY,
    "final conference": ActivityType.FINAL_CONFERENCE,
}
FORMATS = {
    "in person": ActivityFormat.IN_PERSON,
    "online": ActivityFormat.ONLINE,
    "hybrid": ActivityFormat.HYBRID,
}
# The record's "Brussels" is the City of Brussels.
PLACE_NAMES = {"Brussels": "City of Brussels"}

HELD, PLANNED, CANCELLED = ActivityStatus.HELD, ActivityStatus.PLANNED, ActivityStatus.CANCELLED
ONLINE, IN_PERSON = ActivityFormat.ONLINE, ActivityFormat.IN_PERSON


def _at(day: dt.date) -> dt.datetime:
    """Noon UTC of a day: a timestamp for something known to the day."""
    return dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)


def _audit(actor, action: str, obj, when: dt.datetime, **changes) -> None:
    event = audit.record(actor, action, obj, **changes)
    event.created_dt = when


def pairings_of(programme_name: str) -> dict[tuple[str, str], Pairing]:
    """The programme's pairings by (mentor name, mentee name)."""
    rows = db.session.scalars(
        sa.select(Pairing).join(Pairing.programme).where(Programme.name == programme_name)
    )
    return {(p.mentor.name, p.mentee.name): p for p in rows}


def concerns(facts: dict, mentor: str, mentee: str) -> bool:
    """Does an activity of the record concern this pair: all pairs, this pair, or a pair
    with a city in its scope?"""
    if facts.get("scope") == "all":
        return True
    if "pairing" in facts:
        return set(facts["pairing"]) == {mentor, mentee}
    return isinstance(facts.get("scope"), list) and bool({mentor, mentee} & set(facts["scope"]))


def load(data: dict, users: dict) -> None:
    """Add the log of both demo programmes (the caller commits)."""
    _load_real(data, users)
    _load_fictional(users, utcnow().date())
    db.session.flush()


# IncluCities: the public record


def _load_real(data: dict, users: dict) -> None:
    pairings = pairings_of(data["programme"]["name"])
    for facts in data["activities"]:
        for (mentor, mentee), pairing in pairings.items():
            if concerns(facts, mentor, mentee):
                _real_activity(facts, pairing, data["phases"], users)
    for pair in data["pairings"]:
        if pair.get("local_practice_name"):
            _real_plan(pairings[(pair["mentor"], pair["mentee"])], pair, users["admin"])


def _real_plan(pairing: Pairing, facts: dict, admin) -> None:
    """The plan was adopted (its date is not in the record, so no status change is dated);
    recorded at the programme's close."""
    when = _at(pairing.end_date)
    plan = ActionPlan(
        pairing=pairing,
        status=PlanStatus.ADOPTED,
        vision=facts["objective"],
        local_practice_name=facts["local_practice_name"],
        created_dt=when,
        updated_dt=when,
    )
    db.session.add(plan)
    db.session.flush()
    _audit(
        admin,
        "actionplan.create",
        plan,
        when,
        status=(None, plan.status),
        local_practice_name=(None, plan.local_practice_name),
        version=(0, plan.version),
    )


def _real_activity(facts: dict, pairing: Pairing, phases: list[str], users: dict) -> None:
    start = dt.date.fromisoformat(facts["date"])
    end = dt.date.fromisoformat(facts["end_date"]) if facts.get("end_date") else None
    venue = facts.get("venue")
    place = venue.rsplit(",", 1)[-1].strip() if venue else None
    # The pair's own activity is hosted by the city its venue names; the programme's
    # meetings (steering committee, conference) were not hosted by a city of the pair.
    is_own = "pairing" in facts
    host = _city_named(pairing, place) if is_own else None
    actor = users[("coordinator", pairing.mentee.name)] if is_own else users["admin"]
    activity = Activity(
        pairing=pairing,
        type=TYPES[facts["type"]],
        study_visit_round=facts.get("round"),
        title=facts.get("title") or real_title(facts, place),
        start_date=start,
        end_date=end,
        format=FORMATS[facts.get("format", "in person")],
        host=host,
        venue=venue,
        status=HELD,
        objectives=record_notes(facts, phases),
        agenda=markdown_list(facts.get("agenda")),
        outcomes=facts.get("outcomes"),
        logged_by=actor,
    )
    _log_activity(activity, actor, _at(end or start))


def _city_named(pairing: Pairing, place: str | None):
    name = PLACE_NAMES.get(place, place)
    return next((c for c in (pairing.mentor, pairing.mentee) if c.name == name), None)


def real_title(facts: dict, place: str | None) -> str:
    """'Study visit 2 in Brussels', 'Transfer workshop': the type, its round and the place
    the venue names."""
    title = facts["type"].capitalize()
    if facts.get("round"):
        title += f" {facts['round']}"
    return f"{title} in {place}" if place else title


def record_notes(facts: dict, phases: list[str]) -> str:
    """What the record says about the activity's purpose, and how sure its date is."""
    parts = []
    if facts["type"] == "study visit":
        prefix = f"study visit {facts['round']}:"
        purpose = next((p.split(":", 1)[1].strip() for p in phases if p.startswith(prefix)), "")
        if purpose:
            parts.append(f"Study visit {facts['round']} of the IncluCities method: {purpose}.")
    notes = ["From the programme's public record."]
    if facts.get("note"):
        notes.append(facts["note"][0].upper() + facts["note"][1:] + ".")
    if facts.get("date_precision") == "month":
        notes.append("Date known to the month.")
    if facts.get("year_inferred"):
        notes.append("Year inferred from the programme timeline.")
    if not facts.get("format"):
        notes.append("The record does not give the format.")
    parts.append(" ".join(notes))
    return "\n\n".join(parts)


def markdown_list(text: str | None) -> str | None:
    """'a; b' -> a Markdown list of 'A' and 'B'."""
    if not text:
        return None
    items = [item.strip() for item in text.split(";") if item.strip()]
    return "\n".join(f"- {item[0].upper()}{item[1:]}" for item in items)


def _log_activity(activity: Activity, actor, when: dt.datetime) -> Activity:
    activity.created_dt = activity.updated_dt = when
    activity.schedule(activity.pairing.time_zone)
    db.session.add(activity)
    db.session.flush()
    _audit(
        actor,
        "activity.create",
        activity,
        when,
        title=(None, activity.title),
        start_date=(None, activity.start_date),
        status=(None, activity.status),
        version=(None, activity.version),
    )
    return activity


# The fictional programme


class Story:
    """Writes one fictional pairing's log; days count from the load day (-14: two weeks
    ago, 30: in a month). Every change is dated in the past."""

    def __init__(self, pairing: Pairing, users: dict, today: dt.date):
        self.pairing = pairing
        self.users = users
        self.today = today
        self.actions: dict[str, Action] = {}

    def day(self, offset: int) -> dt.date:
        return self.today + dt.timedelta(days=offset)

    def moment(self, offset: int) -> dt.datetime:
        return _at(self.day(min(offset, -1)))

    def user(self, who):
        """'mentor' or 'mentee' (their coordinator), 'officer' (of the mentee's association)
        or ('participant', 'mentor' or 'mentee')."""
        role, side = who if isinstance(who, tuple) else ("coordinator", who)
        if side == "officer":
            return self.users[("officer", self.pairing.mentee.parent.acronym)]
        city = self.pairing.mentor if side == "mentor" else self.pairing.mentee
        return self.users[(role, city.name)]

    def activity(self, start, type_, title, status, **values) -> Activity:
        """`values`: days (length), hours (start, end), host ('mentor'/'mentee'), people
        (mentor, mentee, associations, others), actions (keys), logged (day offset), for a
        cancelled one the day it was cancelled, and any Activity column."""
        cancelled = values.pop("cancelled", None)
        days, hours = values.pop("days", 1), values.pop("hours", None)
        host = values.pop("host", None)
        people = values.pop("people", (0, 0, 0, 0))
        linked = values.pop("actions", ())
        # a held activity is logged the day after it ended, others before they are due
        logged = values.pop("logged", start + days if status == HELD else -2)
        coordinator = self.user("mentee")
        activity = Activity(
            pairing=self.pairing,
            type=type_,
            title=title,
            start_date=self.day(start),
            end_date=self.day(start + days - 1) if days > 1 else None,
            start_time=dt.time(*hours[0]) if hours else None,
            end_time=dt.time(*hours[1]) if hours else None,
            host={"mentor": self.pairing.mentor, "mentee": self.pairing.mentee}.get(host),
            status=PLANNED if cancelled is not None else status,
            logged_by=coordinator,
            participants_mentor=people[0],
            participants_mentee=people[1],
            participants_associations=people[2],
            participants_others=people[3],
            **values,
        )
        activity.actions = [self.actions[key] for key in linked]
        _log_activity(activity, coordinator, self.moment(logged))
        if cancelled is not None:
            activity.status = status
            activity.version += 1
            activity.updated_dt = self.moment(cancelled)
            changes = {"status": (PLANNED, status)}
            changes["version"] = (activity.version - 1, activity.version)
            _audit(coordinator, "activity.edit", activity, activity.updated_dt, **changes)
        return activity

    def feedback(self, activity: Activity, who, usefulness: int, comment: str, offset: int):
        user, when = self.user(who), self.moment(offset)
        feedback = Feedback(
            activity=activity,
            user=user,
            organisation_id=user.organisation_id,
            usefulness=usefulness,
            comment=comment,
            created_dt=when,
            updated_dt=when,
        )
        db.session.add(feedback)
        db.session.flush()
        _audit(
            user,
            "feedback.give",
            feedback,
            when,
            activity_id=(None, activity.id),
            usefulness=(None, usefulness),
            comment=(None, comment),
        )

    def plan(self, steps: list[tuple[int, str, str]], **values) -> None:
        """`steps`: (day, status, who) from the draft on."""
        steps = [(day, PlanStatus(status), self.user(who)) for day, status, who in steps]
        plan = ActionPlan(pairing=self.pairing, status=steps[-1][1], **values)
        self._add(plan, steps)
        for day, status, actor, before in self._saves(plan, "actionplan", steps):
            plan.status_changes.append(
                PlanStatusChange(
                    pairing_id=self.pairing.id,
                    from_status=before,
                    to_status=status,
                    effective_date=self.day(day),
                    **self._by(actor, day),
                )
            )

    def action(self, key, title, start, due, budget, funding, steps, **values) -> None:
        """`steps`: (day, status, who) from its addition (planned) on; `practice`: a title."""
        steps = [(day, ActionStatus(status), self.user(who)) for day, status, who in steps]
        practice = values.pop("practice", None)
        action = Action(
            pairing=self.pairing,
            title=title,
            start_date=self.day(start),
            due_date=self.day(due),
            budget=Decimal(budget) if budget is not None else None,
            funding_source=funding,
            status=steps[-1][1],
            practice=_practice(practice) if practice else None,
            created_by_id=steps[0][2].id,
            **values,
        )
        self._add(action, steps)
        for day, status, actor, before in self._saves(action, "action", steps):
            action.status_changes.append(
                ActionStatusChange(
                    pairing_id=self.pairing.id,
                    from_status=before,
                    to_status=status,
                    **self._by(actor, day),
                )
            )
        self.actions[key] = action

    def indicator(self, name, type_, unit, baseline, target, measurements) -> None:
        """`measurements`: (day, value) pairs, oldest first; the mentee's coordinator keeps
        them."""
        actor = self.user("mentee")
        indicator = Indicator(
            pairing=self.pairing,
            name=name,
            type=IndicatorType(type_),
            unit=unit,
            baseline=Decimal(baseline),
            target=Decimal(target),
            created_by_id=actor.id,
        )
        self._add(indicator, [(measurements[0][0] - 1, None, actor)])
        created = indicator.created_dt
        _audit(actor, "indicator.create", indicator, created, name=(None, name), version=(0, 1))
        for day, value in measurements:
            measurement = Measurement(
                indicator=indicator,
                pairing_id=self.pairing.id,
                value=Decimal(value),
                measured_on=self.day(day),
                actor=actor,
                actor_organisation_id=actor.organisation_id,
                created_dt=self.moment(day),
            )
            db.session.add(measurement)
            db.session.flush()
            _audit(
                actor,
                "measurement.create",
                measurement,
                self.moment(day),
                indicator=(None, name),
                value=(None, str(value)),
                measured_on=(None, measurement.measured_on),
            )

    def risk(self, description, likelihood, impact, mitigation, owner, steps) -> None:
        """`steps`: (day, status) from when it was noted (open) on, by the mentee's
        coordinator."""
        actor = self.user("mentee")
        steps = [(day, RiskStatus(status), actor) for day, status in steps]
        risk = Risk(
            pairing=self.pairing,
            description=description,
            likelihood=Level(likelihood),
            impact=Level(impact),
            mitigation=mitigation,
            owner=owner,
            status=steps[-1][1],
            created_by_id=actor.id,
        )
        self._add(risk, steps)
        for day, status, actor, before in self._saves(risk, "risk", steps):
            risk.changes.append(
                RiskChange(
                    pairing_id=self.pairing.id,
                    from_status=before,
                    to_status=status,
                    **self._by(actor, day),
                )
            )

    def _add(self, record, steps) -> None:
        """Add `record`, created at its first step and last changed at its last."""
        record.created_dt = self.moment(steps[0][0])
        record.updated_dt = self.moment(steps[-1][0])
        db.session.add(record)
        db.session.flush()

    def _by(self, actor, day: int) -> dict:
        return dict(
            actor=actor, actor_organisation_id=actor.organisation_id, changed_dt=self.moment(day)
        )

    def _saves(self, record, noun: str, steps):
        """Audit `record`'s creation at the first step and a status edit at each later one,
        as the services do (each edit is a new version); yield (day, status, actor, status
        before) for the status change rows."""
        before = None
        for day, status, actor in steps:
            if before is None:
                changes = {"status": (None, status), "version": (0, record.version)}
                _audit(actor, f"{noun}.create", record, self.moment(day), **changes)
            else:
                record.version += 1
                changes = {"status": (before, status)}
                changes["version"] = (record.version - 1, record.version)
                _audit(actor, f"{noun}.edit", record, self.moment(day), **changes)
            yield day, status, actor, before
            before = status


def _practice(title: str) -> Practice:
    return db.session.scalars(sa.select(Practice).where(Practice.title == title)).one()


def _load_fictional(users: dict, today: dt.date) -> None:
    pairings = pairings_of(FICTIONAL_NAME)
    for pair, write in STORIES.items():
        write(Story(pairings[pair], users, today))


MILMA = "MILMA: Migrant Labour Integration Model"
BAPA = "BAPA BXL reception office for newcomers"
TABLE = "Table for Coexistence"
BUDDIES = "Samen Inburgeren: buddies with refugees"
CALL, MORNING, DAY = ((10, 0), (11, 0)), ((10, 0), (11, 30)), ((9, 30), (17, 0))
T = ActivityType

# The stories are data: laid out by hand, one record to a few lines.
# fmt: off


def _green_job_lab(s: Story) -> None:
    """Confirmed 20 days ago: kick-off two weeks ago, a visit next month, nothing overdue."""
    s.plan(
        [(-10, "draft", "mentee")],
        vision="Newcomers in Saint-Jean-de-la-Ruelle find work through employers who have met "
        "them, as in Fuenlabrada's MILMA challenge labs.",
        target_groups="Newcomers from outside the EU looking for work; local employers",
        local_practice_name="Labo emploi",
        monitoring_method="The employment service counts registrations and placements every "
        "month; a short survey after each lab.",
    )
    s.action("guide", "Translate the lab guide into French", -13, 10, "800",
             "Municipal budget (Fuenlabrada)",
             [(-12, "planned", "mentor"), (-9, "in_progress", "mentor"), (-4, "done", "mentor")],
             responsible="Fuenlabrada employment department", practice=MILMA)
    s.action("map", "Map the local employers open to a challenge lab", -12, 25, "1500",
             "Municipal budget", [(-10, "planned", "mentee"), (-6, "in_progress", "mentee")],
             responsible="Saint-Jean-de-la-Ruelle employment service",
             partners="Local business club", practice=MILMA)
    s.action("train", "Train two staff members in the MILMA method", 30, 60, "3500", "AMIF",
             [(-10, "planned", "mentee")],
             responsible="Saint-Jean-de-la-Ruelle employment service",
             partners="Fuenlabrada employment department", practice=MILMA)
    s.action("lab", "Run the first challenge lab with five employers", 60, 150, "6000",
             "AMIF and municipal budget", [(-10, "planned", "mentee")],
             responsible="Saint-Jean-de-la-Ruelle employment service")
    kick_off = s.activity(
        -14, T.KICK_OFF, "Kick-off: getting to know the job lab", HELD, format=ONLINE,
        hours=MORNING, people=(3, 4, 2, 0),
        objectives="- Meet both teams and the associations' officers\n"
        "- Agree how we work together and when the first phases take place",
        outcomes="- A monthly call between the two coordinators\n"
        "- Saint-Jean-de-la-Ruelle maps its employers before the benchmarking session",
        follow_up="- Translate the lab guide into French (Fuenlabrada)\n"
        "- List the employers to invite (Saint-Jean-de-la-Ruelle)",
    )
    s.feedback(kick_off, "mentee", 5, "Clear, and the MILMA examples made it concrete.", -13)
    s.feedback(kick_off, ("participant", "mentor"), 4,
               "Good start; more time for questions next time.", -12)
    s.feedback(kick_off, "officer", 4, "Well prepared, with a realistic calendar.", -12)
    s.activity(7, T.ONLINE_MEETING, "Monthly call", PLANNED, format=ONLINE, hours=CALL,
               objectives="- Check the map of employers\n- Prepare the benchmarking session",
               actions=["map"])
    s.activity(
        30, T.BENCHMARKING, "Benchmarking session in Fuenlabrada: the challenge labs",
        PLANNED, format=IN_PERSON, days=2, hours=DAY, host="mentor",
        venue="Town hall, Fuenlabrada",
        objectives="- See a business challenge lab at work\n"
        "- Compare the two cities' employment services\n"
        "- Choose what Saint-Jean-de-la-Ruelle adapts first",
        agenda="- Day 1: a challenge lab with partner companies\n"
        "- Day 2: workshop on the action plan",
        actions=["train"],
    )
    s.indicator("Employers ready to host a challenge lab", "output", "employers", 0, 15,
                [(-12, 0), (-6, 3), (-2, 5)])
    s.indicator("Newcomers registered for the job lab", "output", "people", 0, 40,
                [(-12, 0), (-3, 8)])
    s.risk("Employers see the lab as charity and offer no real vacancies.", "medium", "high",
           "Invite employers from Fuenlabrada's labs to speak at the launch.",
           "Saint-Jean-de-la-Ruelle employment service", [(-10, "open")])
    s.risk("Newcomers' French is not yet good enough for job interviews.", "medium", "medium",
           "Combine the lab with the French classes of the local associations.",
           "Coordinator, Saint-Jean-de-la-Ruelle", [(-10, "open")])


def _amber_women(s: Story) -> None:
    """Confirmed 60 days ago: kick-off 55 days ago, then a cancelled session; one action
    overdue."""
    s.plan(
        [(-40, "draft", "mentee"), (-12, "consolidated", "mentee")],
        vision="Migrant women in Capaci know where to turn for help and meet other women in "
        "the town, through orientation sessions run by women.",
        target_groups="Migrant women, especially those who came through family reunification",
        local_practice_name="Donne in cammino",
        monitoring_method="The social services count participants at each session; the needs "
        "survey is repeated after a year.",
    )
    s.action("survey", "Survey migrant women on their first needs", -45, -10, "1500",
             "Municipal budget", [(-40, "planned", "mentee"), (-30, "in_progress", "mentee")],
             responsible="Capaci social services", partners="Local women's association")
    s.action("sessions", "Set up orientation sessions run by women", 20, 120, "4000", "AMIF",
             [(-40, "planned", "mentee")], responsible="Capaci social services",
             practice=BAPA)
    s.action("mediators", "Recruit two female cultural mediators", 10, 90, "12000", "AMIF",
             [(-40, "planned", "mentee")], responsible="Capaci human resources")
    s.action("material", "Translate BAPA BXL's orientation material into Italian", -40, -20,
             "900", "Municipal budget (City of Brussels)",
             [(-38, "planned", "mentor"), (-33, "in_progress", "mentor"),
              (-22, "done", "mentor")],
             responsible="City of Brussels, BAPA BXL", practice=BAPA)
    s.action("childcare", "Provide childcare during the sessions", 20, 120, "2500",
             "Municipal budget", [(-40, "planned", "mentee"), (-12, "dropped", "mentee")],
             description="Dropped: the sessions take place during school hours instead.",
             responsible="Capaci social services")
    kick_off = s.activity(
        -55, T.KICK_OFF, "Kick-off", HELD, format=ONLINE, hours=((10, 0), (12, 0)),
        people=(3, 3, 2, 0),
        objectives="- Present the City of Brussels' gender-sensitive reception\n"
        "- Agree on the first steps",
        outcomes="- Capaci surveys migrant women on their needs\n"
        "- A benchmarking session within a month",
    )
    s.feedback(kick_off, "mentee", 4, "A clear picture of how BAPA BXL works with women.", -54)
    s.feedback(kick_off, ("participant", "mentor"), 4, "The interpreters helped a lot.", -54)
    s.feedback(kick_off, "officer", 3, "Useful, but the next date was not fixed.", -53)
    s.activity(
        -25, T.BENCHMARKING, "Benchmarking session", CANCELLED, format=ONLINE, hours=MORNING,
        logged=-40, cancelled=-27,
        objectives="- Compare the orientation sessions for women in both cities\n\n"
        "Cancelled: two of the three members of the Capaci team were on leave. The topics "
        "move to the mentoring training.",
    )
    s.activity(
        12, T.MENTORING_TRAINING, "Mentoring training: sessions run by women", PLANNED,
        format=ONLINE, hours=((10, 0), (12, 30)),
        objectives="- How BAPA BXL prepares and runs a session\n- Roles of the mediators",
        actions=["mediators"],
    )
    s.activity(
        40, T.STUDY_VISIT, "Study visit 1 in Brussels", PLANNED, study_visit_round=1,
        format=IN_PERSON, days=2, hours=DAY, host="mentor", venue="BAPA BXL, Brussels",
        objectives="- Take part in two orientation sessions\n- Work on the action plan",
        actions=["sessions"],
    )
    s.indicator("Migrant women who answered the needs survey", "output", "people", 0, 80,
                [(-30, 12), (-18, 27), (-5, 34)])
    s.indicator("Women who say they know where to turn for help", "outcome", "%", 20, 70,
                [(-40, 20), (-5, 24)])
    s.risk("Few women come to mixed sessions.", "high", "high",
           "Sessions for women only, run by female mediators during school hours.",
           "Capaci social services", [(-40, "open"), (-12, "mitigated")])
    s.risk("Capaci has too few staff to carry out the plan.", "medium", "high",
           "AICCRE looks for a trainee; the City of Brussels shares its session material.",
           "Mayor's office, Capaci", [(-30, "open")])


def _red_consultative_body(s: Story) -> None:
    """Confirmed 120 days ago: nothing held for 100 days since the project lead left, three
    actions overdue."""
    s.plan(
        [(-105, "draft", "mentee"), (-80, "consolidated", "mentee"), (-50, "reviewed", "mentor")],
        vision="Residents with a migrant background have a say in Partinico's decisions, "
        "through a consultative body the council listens to.",
        target_groups="Residents with a migrant background and their associations; the council",
        local_practice_name="Consulta per l'integrazione",
        monitoring_method="The secretariat counts meetings and pieces of advice; members are "
        "surveyed once a year.",
    )
    s.action("lead", "Appoint a project lead for the consultative body", -60, -40, None,
             "Municipal budget", [(-100, "planned", "mentee"), (-60, "in_progress", "mentee")],
             responsible="Mayor's office, Partinico")
    s.action("map", "Map the associations of residents with a migrant background", -95, -30,
             "1200", "Municipal budget",
             [(-100, "planned", "mentee"), (-90, "in_progress", "mentee")],
             responsible="Partinico social services", practice=TABLE)
    s.action("statute", "Draft the statute of the consultative body", -60, -10, "2500", "AMIF",
             [(-100, "planned", "mentee")], responsible="Partinico legal department",
             partners="Mechelen diversity team", practice=TABLE)
    s.action("evening", "Hold a first information evening for residents", 20, 60, "1500",
             "Municipal budget", [(-100, "planned", "mentee")],
             responsible="Partinico social services")
    s.action("volunteers", "Share Mechelen's material on working with volunteers", -110, -90,
             None, None, [(-108, "planned", "mentor"), (-104, "done", "mentor")],
             responsible="Mechelen integration service", practice=BUDDIES)
    kick_off = s.activity(
        -115, T.KICK_OFF, "Kick-off", HELD, format=ONLINE, hours=MORNING, people=(3, 4, 1, 0),
        objectives="- Hear how Capaci built its buddy scheme with Mechelen\n"
        "- Agree on the goal: a consultative body of residents",
        outcomes="- A working group in Partinico\n- A needs assessment in two weeks",
    )
    s.feedback(kick_off, "mentee", 4, "Inspiring to hear what Capaci achieved.", -114)
    s.feedback(kick_off, ("participant", "mentor"), 5, "A motivated team in Partinico.", -114)
    s.feedback(kick_off, "officer", 4, "A good start.", -113)
    needs = s.activity(
        -100, T.NEEDS_ASSESSMENT, "Needs assessment", HELD, format=ONLINE,
        hours=((10, 0), (12, 0)), people=(2, 3, 0, 0),
        objectives="- Which residents are not heard today\n- Which associations exist",
        outcomes="- Partinico maps the associations of residents with a migrant background\n"
        "- The statute of the consultative body is drafted with legal advice",
    )
    s.feedback(needs, ("participant", "mentee"), 3,
               "Useful, but too short for so many questions.", -99)
    s.feedback(needs, "mentor", 4, "Good questions from Partinico.", -99)
    s.activity(
        -65, T.BENCHMARKING, "Benchmarking visit to Mechelen's advisory councils", CANCELLED,
        format=IN_PERSON, days=2, hours=DAY, host="mentor", venue="City hall, Mechelen",
        logged=-90, cancelled=-68,
        objectives="- Attend a meeting of an advisory council\n\nCancelled: Partinico's "
        "project lead left the municipality; the visit waits for a new lead.",
    )
    s.activity(
        21, T.STUDY_VISIT, "Study visit 1 in Mechelen", PLANNED, study_visit_round=1,
        format=IN_PERSON, days=2, hours=DAY, host="mentor", venue="City hall, Mechelen",
        objectives="- Meet members of Mechelen's advisory councils\n- Work on the action plan",
        actions=["statute", "evening"],
    )
    s.indicator("Associations of residents on the map", "output", "organisations", 0, 25,
                [(-95, 0), (-70, 6), (-45, 9)])
    s.indicator("Residents with a migrant background on the consultative body", "output",
                "people", 0, 15, [(-95, 0), (-45, 0)])
    s.risk("The project lead left and has not been replaced.", "high", "high",
           "The mayor's office names an interim lead; AICCRE looks for a trainee.",
           "Mayor's office, Partinico", [(-65, "open")])
    s.risk("Residents distrust a body set up by the municipality.", "medium", "high",
           "The associations nominate the members; members of Mechelen's councils come to "
           "the first evening.", "Partinico social services", [(-100, "open")])
    s.risk("Legal advice costs more than planned.", "low", "medium",
           "Use the model statute of the regional association.", "Partinico legal department",
           [(-100, "open"), (-55, "closed")])


def _on_hold_housing(s: Story) -> None:
    """On hold for the elections: activities up to study visit 1, the next one cancelled."""
    s.activity(-145, T.KICK_OFF, "Kick-off", HELD, format=ONLINE, hours=MORNING,
               people=(2, 3, 2, 0), objectives="- Meet both teams\n- Agree on the calendar",
               outcomes="- Saint-Jean-de-la-Ruelle lists the refugees leaving reception")
    s.activity(-72, T.MENTORING_TRAINING, "Mentoring training", HELD, format=ONLINE,
               hours=((9, 30), (12, 30)), people=(2, 3, 1, 0),
               objectives="- How Schaerbeek finds landlords for refugees")
    visit = s.activity(
        -47, T.STUDY_VISIT, "Study visit 1 in Schaerbeek", HELD, study_visit_round=1,
        format=IN_PERSON, days=2, hours=DAY, host="mentor", venue="Town hall, Schaerbeek",
        people=(4, 3, 2, 1),
        objectives="- See housing projects for refugees leaving reception centres\n"
        "- Draft the action plan",
        outcomes="- Visits of two housing projects\n- A first draft of the action plan",
    )
    s.feedback(visit, ("participant", "mentee"), 5,
               "Seeing the projects convinced our team.", -45)
    s.feedback(visit, "mentor", 4, "Good questions; the plan is off to a good start.", -45)
    s.activity(
        14, T.STUDY_VISIT, "Study visit 2 in Saint-Jean-de-la-Ruelle", CANCELLED,
        study_visit_round=2, format=IN_PERSON, days=2, hours=DAY, host="mentee", logged=-40,
        cancelled=-30,
        objectives="- Review the action plan\n\n"
        "Cancelled when the pairing was put on hold for the municipal elections.",
    )


def _accepted_language(s: Story) -> None:
    """Accepted three days ago: the kick-off is planned."""
    s.activity(18, T.KICK_OFF, "Kick-off", PLANNED, format=ONLINE, hours=MORNING, logged=-2,
               objectives="- Meet both teams\n- Hear how Schaerbeek's language tables work\n"
               "- Agree on the dates of the first phases")


# fmt: on

STORIES = {
    ("Fuenlabrada", "Saint-Jean-de-la-Ruelle"): _green_job_lab,
    ("City of Brussels", "Capaci"): _amber_women,
    ("Mechelen", "Partinico"): _red_consultative_body,
    ("Schaerbeek", "Saint-Jean-de-la-Ruelle"): _on_hold_housing,
    ("Schaerbeek", "Livadia"): _accepted_language,
}
