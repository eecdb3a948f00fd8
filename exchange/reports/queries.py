"""What a pairing's progress report holds, read in a fixed number of queries whatever the
amount of data (about twenty: the pairing and its history, the activities of the period,
their feedback, the next activities, the plan, actions, indicators, risks, transfers and
health).

The period limits what happened: activities (by their local dates), the feedback on them
and the phase changes. The plan, its actions, risks and transfers are reported as they
stand on the day of the report; indicators by their latest measurement up to the end of
the period.
"""

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from exchange import timezones
from exchange.accounts.models import User
from exchange.activities import queries as activity_queries
from exchange.activities.models import (
    FORMAT_LABELS,
    PARTICIPANT_FIELDS,
    TYPE_LABELS,
    Activity,
    ActivityStatus,
)
from exchange.activities.queries import NO_FEEDBACK, FeedbackSummary
from exchange.db import db
from exchange.pairings import queries as pairing_queries
from exchange.pairings.health import Verdict
from exchange.pairings.models import Pairing, PairingStep, PartnerChange, PhaseChange
from exchange.plans.models import (
    Action,
    ActionPlan,
    ActionStatus,
    Indicator,
    Measurement,
    PlanStatusChange,
    Risk,
    RiskStatus,
    progress,
)
from exchange.practices.models import Practice, PracticeStatus, Transfer
from exchange.reports.period import Period

UPCOMING_LIMIT = 5


@dataclass(frozen=True)
class Count:
    """A labelled number (a row of a count table or a bar of a chart)."""

    key: str
    label: str
    value: int


@dataclass
class IndicatorRow:
    indicator: Indicator
    latest: Measurement | None  # the latest measurement up to the end of the period

    @property
    def progress(self) -> float | None:
        """0.0 to 1.0 from baseline to target; None before the first measurement."""
        if self.latest is None:
            return None
        return progress(self.indicator.baseline, self.indicator.target, self.latest.value)

    @property
    def value(self) -> Decimal | None:
        return self.latest.value if self.latest else None


@dataclass
class Participants:
    """People at the held activities of the period, by side. `uncounted` held activities
    have no count at all (0 on every side): their people are not in the sums."""

    mentor: int = 0
    mentee: int = 0
    associations: int = 0
    others: int = 0
    uncounted: int = 0

    @property
    def total(self) -> int:
        return self.mentor + self.mentee + self.associations + self.others

    def rows(self) -> list[Count]:
        return [
            Count(name, str(label), getattr(self, name.removeprefix("participants_")))
            for name, label in PARTICIPANT_FIELDS
        ]


@dataclass
class ActionSummary:
    """The plan's actions in four groups that do not overlap (late ones are unfinished
    actions past their due date), and the late ones named."""

    done: int = 0
    in_progress: int = 0
    planned: int = 0
    late: int = 0
    dropped: int = 0
    late_actions: list[Action] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.done + self.in_progress + self.planned + self.late + self.dropped


@dataclass
class PairingReport:
    pairing: Pairing
    period: Period
    now: dt.datetime
    health: Verdict | None
    activities: list[Activity]  # every activity of the period, oldest first
    feedback: dict[int, FeedbackSummary]  # by activity id (held activities of the period)
    feedback_total: FeedbackSummary  # every rating of the period's held activities
    upcoming: list[Activity]  # the next planned activities from now
    phase_changes: list[PhaseChange]  # in the period, oldest first
    plan: ActionPlan | None
    actions: list[Action]
    indicators: list[IndicatorRow]
    risks: list[Risk]
    transfers: list[Transfer]

    @property
    def today(self) -> dt.date:
        return self.now.date()

    def local_date(self, moment: dt.datetime) -> dt.date:
        """The day of a UTC moment in the pairing's time zone (the zone of the period)."""
        return _local_day(moment, self.pairing)

    @property
    def held(self) -> list[Activity]:
        return [a for a in self.activities if a.status == ActivityStatus.HELD]

    @property
    def planned(self) -> list[Activity]:
        return [a for a in self.activities if a.status == ActivityStatus.PLANNED]

    @property
    def cancelled(self) -> list[Activity]:
        return [a for a in self.activities if a.status == ActivityStatus.CANCELLED]

    @property
    def is_empty(self) -> bool:
        """Nothing logged at all: no activity, action, indicator, risk or transfer."""
        return not (
            self.activities
            or self.upcoming
            or self.actions
            or self.indicators
            or self.risks
            or self.transfers
            or self.plan
        )

    def held_by_type(self) -> list[Count]:
        """Held activities of the period by type, in the order of the types."""
        counted = Counter(a.type for a in self.held)
        return [
            Count(str(key), str(label), counted[key])
            for key, label in TYPE_LABELS.items()
            if key in counted
        ]

    def held_by_format(self) -> list[Count]:
        counted = Counter(a.format for a in self.held)
        return [
            Count(str(key), str(label), counted[key])
            for key, label in FORMAT_LABELS.items()
            if key in counted
        ]

    def participants(self) -> Participants:
        found = Participants()
        for activity in self.held:
            if activity.participants_total == 0:
                found.uncounted += 1
                continue
            found.mentor += activity.participants_mentor
            found.mentee += activity.participants_mentee
            found.associations += activity.participants_associations
            found.others += activity.participants_others
        return found

    def action_summary(self) -> ActionSummary:
        summary = ActionSummary()
        for action in self.actions:
            if action.is_overdue(self.today):
                summary.late += 1
                summary.late_actions.append(action)
            elif action.status == ActionStatus.DONE:
                summary.done += 1
            elif action.status == ActionStatus.IN_PROGRESS:
                summary.in_progress += 1
            elif action.status == ActionStatus.PLANNED:
                summary.planned += 1
            else:
                summary.dropped += 1
        return summary

    @property
    def open_risks(self) -> list[Risk]:
        return [risk for risk in self.risks if risk.status == RiskStatus.OPEN]


def pairing_report(pairing: Pairing, period: Period, now: dt.datetime) -> PairingReport:
    """Everything the report of `pairing` over `period` shows, as of `now`."""
    load_pairing(pairing)
    activities = activities_in(pairing, period)
    held_ids = [a.id for a in activities if a.status == ActivityStatus.HELD]
    feedback, feedback_total = feedback_with_total(held_ids)
    return PairingReport(
        pairing=pairing,
        period=period,
        now=now,
        health=pairing_queries.health_of([pairing], now).get(pairing.id),
        activities=activities,
        feedback=feedback,
        feedback_total=feedback_total,
        upcoming=activity_queries.upcoming(pairing.id, now, limit=UPCOMING_LIMIT),
        phase_changes=[
            c for c in pairing.phase_changes if period.contains(_local_day(c.changed_dt, pairing))
        ],
        plan=plan_of(pairing.id),
        actions=actions_of(pairing.id),
        indicators=indicators_of(pairing.id, period),
        risks=risks_of(pairing.id),
        transfers=transfers_of(pairing.id),
    )


def _local_day(moment: dt.datetime, pairing: Pairing) -> dt.date:
    return moment.astimezone(timezones.zone(pairing.time_zone)).date()


def load_pairing(pairing: Pairing) -> None:
    """The pairing's parties, associations, programme, themes and history in a few queries."""
    db.session.scalars(
        sa.select(Pairing)
        .where(Pairing.id == pairing.id)
        .options(
            selectinload(Pairing.programme),
            selectinload(Pairing.mentor),
            selectinload(Pairing.mentee),
            selectinload(Pairing.mentor_association),
            selectinload(Pairing.mentee_association),
            selectinload(Pairing.theme_links),
            selectinload(Pairing.steps).selectinload(PairingStep.actor_organisation),
            selectinload(Pairing.phase_changes)
            .selectinload(PhaseChange.actor)
            .selectinload(User.organisation),
            selectinload(Pairing.partner_changes).selectinload(PartnerChange.old_organisation),
            selectinload(Pairing.partner_changes).selectinload(PartnerChange.new_organisation),
        )
    ).all()


def activities_in(pairing: Pairing, period: Period) -> list[Activity]:
    """The pairing's activities whose local days touch the period, oldest first."""
    query = sa.select(Activity).where(Activity.pairing_id == pairing.id)
    if period.end is not None:
        query = query.where(Activity.start_date <= period.end)
    if period.start is not None:
        query = query.where(
            sa.func.coalesce(Activity.end_date, Activity.start_date) >= period.start
        )
    query = query.options(selectinload(Activity.host)).order_by(Activity.starts_at, Activity.id)
    return list(db.session.scalars(query))


def feedback_with_total(activity_ids) -> tuple[dict[int, FeedbackSummary], FeedbackSummary]:
    """The feedback average and count of each activity (activities.queries), and of all of
    them together."""
    found = activity_queries.feedback_summaries(activity_ids)
    count = sum(summary.count for summary in found.values())
    if not count:
        return found, NO_FEEDBACK
    points = sum(summary.average * summary.count for summary in found.values() if summary.count)
    return found, FeedbackSummary(points / count, count)


def plan_of(pairing_id: int) -> ActionPlan | None:
    return db.session.scalar(
        sa.select(ActionPlan)
        .where(ActionPlan.pairing_id == pairing_id)
        .options(
            selectinload(ActionPlan.status_changes).selectinload(
                PlanStatusChange.actor_organisation
            )
        )
    )


def actions_of(pairing_id: int) -> list[Action]:
    return list(
        db.session.scalars(
            sa.select(Action)
            .where(Action.pairing_id == pairing_id)
            .options(selectinload(Action.practice))
            .order_by(Action.due_date.is_(None), Action.due_date, Action.start_date, Action.id)
        )
    )


def indicators_of(pairing_id: int, period: Period) -> list[IndicatorRow]:
    """Each indicator with its latest measurement up to the end of the period (two queries)."""
    indicators = list(
        db.session.scalars(
            sa.select(Indicator).where(Indicator.pairing_id == pairing_id).order_by(Indicator.id)
        )
    )
    if not indicators:
        return []
    ranked = sa.select(
        Measurement.id,
        sa.func.row_number()
        .over(
            partition_by=Measurement.indicator_id,
            order_by=(Measurement.measured_on.desc(), Measurement.id.desc()),
        )
        .label("rank"),
    ).where(Measurement.pairing_id == pairing_id)
    if period.end is not None:
        ranked = ranked.where(Measurement.measured_on <= period.end)
    ranked = ranked.subquery()
    latest = {
        m.indicator_id: m
        for m in db.session.scalars(
            sa.select(Measurement)
            .join(ranked, ranked.c.id == Measurement.id)
            .where(ranked.c.rank == 1)
        )
    }
    return [IndicatorRow(indicator, latest.get(indicator.id)) for indicator in indicators]


def risks_of(pairing_id: int) -> list[Risk]:
    """Open risks first, then mitigated, then closed."""
    return list(
        db.session.scalars(
            sa.select(Risk)
            .where(Risk.pairing_id == pairing_id)
            .order_by(
                sa.case(
                    (Risk.status == RiskStatus.OPEN, 0),
                    (Risk.status == RiskStatus.MITIGATED, 1),
                    else_=2,
                ),
                Risk.id,
            )
        )
    )


def transfers_of(pairing_id: int) -> list[Transfer]:
    """The practices the pairing transfers (a practice made a draft again is left out, as
    on the overview: its title stays with its editors)."""
    return list(
        db.session.scalars(
            sa.select(Transfer)
            .join(Practice, Practice.id == Transfer.practice_id)
            .where(Transfer.pairing_id == pairing_id, Practice.status == PracticeStatus.PUBLISHED)
            .options(selectinload(Transfer.practice).selectinload(Practice.origin))
            .order_by(Transfer.created_dt, Transfer.id)
        )
    )
