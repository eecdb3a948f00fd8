"""The demo's exchange log: activities, action plans, actions, indicators, risks, feedback.

IncluCities carries the real activities of the programme's public record (demo_data.json)
on the pairs they concern, and no more than the record says: participants are not counted,
a venue or host is left empty when the record names none, and a date known only to the
month, or whose year is inferred, says so. Mechelen-Capaci's adopted plan holds the local
name of the transferred practice; no indicators are made up for the real pairs.

The fictional programme's pairings get the stories told in demo_stories, dated relative to
the day the demo is loaded.
"""

import datetime as dt
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm.attributes import flag_modified

from exchange import audit, demo_stories
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

# The record's "Brussels" is the City of Brussels.
PLACE_NAMES = {"Brussels": "City of Brussels"}
HELD, PLANNED = ActivityStatus.HELD, ActivityStatus.PLANNED


def _stored(words: str) -> str:
    """The value the models store for the record's 'kick-off' or 'in person'."""
    return words.replace("-", "_").replace(" ", "_")


def _at(day: dt.date) -> dt.datetime:
    """Noon UTC of a day: a timestamp for something known to the day."""
    return dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)


def _audit(actor, action: str, obj, when: dt.datetime, *created: str, **changes) -> None:
    """Audit a change at `when`; each of the `created` columns is new, from None to its value."""
    news = {name: (None, getattr(obj, name)) for name in created}
    event = audit.record(actor, action, obj, **news, **changes)
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
    today, pairings = utcnow().date(), pairings_of(FICTIONAL_NAME)
    for pair, story in demo_stories.STORIES.items():
        StoryWriter(pairings[pair], users, today).write(story)
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
    version = (0, plan.version)
    _audit(admin, "actionplan.create", plan, when, "status", "local_practice_name", version=version)


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
        type=ActivityType(_stored(facts["type"])),
        study_visit_round=facts.get("round"),
        title=facts.get("title") or real_title(facts, place),
        start_date=start,
        end_date=end,
        format=ActivityFormat(_stored(facts.get("format", "in person"))),
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


def _log_activity(activity: Activity, actor, when: dt.datetime) -> None:
    activity.created_dt = activity.updated_dt = when
    activity.schedule(activity.pairing.time_zone)
    db.session.add(activity)
    db.session.flush()
    _audit(actor, "activity.create", activity, when, "title", "start_date", "status", "version")


# The fictional programme


class StoryWriter:
    """Writes a fictional pairing's story (see demo_stories), dated from the load day."""

    def __init__(self, pairing: Pairing, users: dict, today: dt.date):
        self.pairing = pairing
        self.users = users
        self.today = today

    def day(self, offset: int) -> dt.date:
        return self.today + dt.timedelta(days=offset)

    def moment(self, offset: int) -> dt.datetime:
        """Noon of the day, and never later than yesterday: every change is in the past."""
        return _at(self.day(min(offset, -1)))

    def user(self, who: str):
        """The user a story names: 'mentee', 'mentor participant', 'officer' ..."""
        if who == "officer":
            return self.users[("officer", self.pairing.mentee.parent.acronym)]
        side, _, role = who.partition(" ")
        city = self.pairing.mentor if side == "mentor" else self.pairing.mentee
        return self.users[(role or "coordinator", city.name)]

    def write(self, story: dict) -> None:
        """Write the plan, actions, activities with their feedback, indicators and risks."""
        if "plan" in story:
            self.plan(**story["plan"])
        actions = {title: self.action(title, **a) for title, a in story.get("actions", {}).items()}
        for title, values in story["activities"].items():
            self.activity(title, actions, **values)
        for name, values in story.get("indicators", {}).items():
            self.indicator(name, **values)
        for description, values in story.get("risks", {}).items():
            self.risk(description, **values)

    def activity(self, title, action_of, entry, days=1, host=None, logged=None, **values) -> None:
        """Log the activity, as planned if it was then cancelled, and its feedback."""
        start, type_, status, format_, hours = entry
        people = values.pop("people", (0, 0, 0, 0))
        linked, feedback = values.pop("actions", ()), values.pop("feedback", ())
        logged, cancelled = values.pop("cancelled", (logged, None))
        if logged is None:  # a held activity is logged the day after it ended, others two days ago
            logged = start + days if status == HELD else -2
        coordinator = self.user("mentee")
        activity = Activity(
            pairing=self.pairing,
            type=ActivityType(type_),
            title=title,
            start_date=self.day(start),
            end_date=self.day(start + days - 1) if days > 1 else None,
            start_time=dt.time(*hours[0]),
            end_time=dt.time(*hours[1]),
            format=ActivityFormat(format_),
            host={"mentor": self.pairing.mentor, "mentee": self.pairing.mentee}.get(host),
            status=PLANNED if cancelled is not None else ActivityStatus(status),
            logged_by=coordinator,
            participants_mentor=people[0],
            participants_mentee=people[1],
            participants_associations=people[2],
            participants_others=people[3],
            **values,
        )
        activity.actions = [action_of[key] for key in linked]
        _log_activity(activity, coordinator, self.moment(logged))
        if cancelled is not None:
            activity.status, activity.version = ActivityStatus(status), activity.version + 1
            activity.updated_dt = self.moment(cancelled)
            versions = (activity.version - 1, activity.version)
            changes = {"status": (PLANNED, activity.status), "version": versions}
            _audit(coordinator, "activity.edit", activity, activity.updated_dt, **changes)
        for who, usefulness, comment, offset in feedback:
            self.feedback(activity, who, usefulness, comment, offset)

    def feedback(self, activity: Activity, who: str, usefulness: int, comment: str, offset: int):
        user, when = self.user(who), self.moment(offset)
        feedback = Feedback(
            activity=activity,
            user=user,
            organisation_id=user.organisation_id,
            usefulness=usefulness,
            comment=comment,
        )
        self._add(feedback, when, when)
        _audit(user, "feedback.give", feedback, when, "activity_id", "usefulness", "comment")

    def plan(self, steps: list, **values) -> None:
        steps = [(day, PlanStatus(status), self.user(who)) for day, status, who in steps]
        plan = ActionPlan(pairing=self.pairing, status=steps[-1][1], **values)
        self._history(plan, "actionplan", steps, plan.status_changes, PlanStatusChange)

    def action(self, title: str, schedule: tuple, steps: dict, by="mentee", **values) -> Action:
        actor = self.user(by)
        steps = [(day, ActionStatus(status), actor) for day, status in steps.items()]
        start, due, budget, funding = schedule
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
            created_by_id=actor.id,
            **values,
        )
        self._history(action, "action", steps, action.status_changes, ActionStatusChange)
        return action

    def indicator(self, name: str, scale: tuple, measurements: dict) -> None:
        """The mentee's coordinator adds it the day before the first measurement."""
        actor = self.user("mentee")
        type_, unit, baseline, target = scale
        indicator = Indicator(
            pairing=self.pairing,
            name=name,
            type=IndicatorType(type_),
            unit=unit,
            baseline=Decimal(baseline),
            target=Decimal(target),
            created_by_id=actor.id,
        )
        created = self.moment(next(iter(measurements)) - 1)
        self._add(indicator, created, created)
        _audit(actor, "indicator.create", indicator, created, "name", version=(0, 1))
        for offset, value in measurements.items():
            measurement = Measurement(
                indicator=indicator,
                pairing_id=self.pairing.id,
                value=Decimal(value),
                measured_on=self.day(offset),
                actor=actor,
                actor_organisation_id=actor.organisation_id,
                created_dt=self.moment(offset),
            )
            db.session.add(measurement)
            db.session.flush()
            new = ("indicator", "value", "measured_on")
            _audit(actor, "measurement.create", measurement, self.moment(offset), *new)

    def risk(self, description: str, levels: tuple, steps: dict, **values) -> None:
        """The mentee's coordinator notes it and follows it up."""
        actor = self.user("mentee")
        steps = [(day, RiskStatus(status), actor) for day, status in steps.items()]
        risk = Risk(
            pairing=self.pairing,
            description=description,
            likelihood=Level(levels[0]),
            impact=Level(levels[1]),
            status=steps[-1][1],
            created_by_id=actor.id,
            **values,
        )
        self._history(risk, "risk", steps, risk.changes, RiskChange)

    def _add(self, record, created: dt.datetime, updated: dt.datetime) -> None:
        record.created_dt, record.updated_dt = created, updated
        db.session.add(record)
        db.session.flush()

    def _history(self, record, noun: str, steps: list, changes: list, change_class) -> None:
        """Add `record`, created at its first step and last changed at its last; audit its
        creation and each status edit as the services do (each edit is a new version), and
        keep a status change row of each step."""
        self._add(record, self.moment(steps[0][0]), self.moment(steps[-1][0]))
        before = None
        for day, status, actor in steps:
            old_version = 0
            if before is not None:
                old_version, record.version = record.version, record.version + 1
            verb = "create" if before is None else "edit"
            summary = {"status": (before, status), "version": (old_version, record.version)}
            _audit(actor, f"{noun}.{verb}", record, self.moment(day), **summary)
            change = change_class(pairing_id=self.pairing.id, from_status=before, to_status=status)
            change.actor, change.actor_organisation_id = actor, actor.organisation_id
            change.changed_dt = self.moment(day)
            if change_class is PlanStatusChange:
                change.effective_date = self.day(day)
            changes.append(change)
            before = status
        # written with the version bumps, so `onupdate` does not stamp the load time instead
        record.updated_dt = self.moment(steps[-1][0])
        flag_modified(record, "updated_dt")
        db.session.flush()


def _practice(title: str) -> Practice:
    return db.session.scalars(sa.select(Practice).where(Practice.title == title)).one()
