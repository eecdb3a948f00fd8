"""A pairing with a story to report on, for the tests of the CSV and XLSX downloads: three
lifecycle steps, three phase changes (one back), three activities (held, cancelled,
planned), a plan status change, an action added and done, a measurement and a risk noted
and mitigated, each at a known moment in 2025 (Mechelen mentors Capaci, Europe/Brussels).
"""

import csv
import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal

import sqlalchemy as sa

from exchange.audit import AuditEvent
from exchange.db import db
from exchange.pairings.models import PairingStep, PhaseChange
from exchange.plans.models import (
    ActionPlan,
    ActionStatusChange,
    Measurement,
    PlanStatusChange,
    RiskChange,
)
from tests import factories

UTC = dt.UTC


def utc(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


@dataclass
class Story:
    pairing: object
    action: object
    indicator: object
    risk: object
    held: object

    @property
    def url(self) -> str:
        return f"/pairings/{self.pairing.id}/report"


# The CSV rows of the story, oldest first: (date, time, event, subject, organisation).
EXPECTED = [
    ("2025-01-10", "10:00", "Pairing step", "Proposed", "Mechelen"),
    ("2025-01-15", "10:00", "Pairing step", "Accepted", "Capaci"),
    ("2025-01-20", "10:00", "Pairing step", "Confirmed", "VVSG-name"),
    (
        "2025-01-20",
        "10:00",
        "Phase changed",
        "Phase 1 of 8: Needs assessment and matching",
        "VVSG-name",
    ),
    ("2025-02-10", "14:30", "Activity", "Kick-off in Mechelen", "Mechelen"),
    ("2025-02-20", "10:00", "Action added", "Recruit the first ten buddies", "Capaci"),
    ("2025-02-25", "10:00", "Risk noted", "Too few volunteers sign up.", "Capaci"),
    ("2025-03-01", "10:00", "Phase changed", "Phase 2 of 8: Benchmarking", "Mechelen"),
    ("2025-03-15", "", "Activity", "Online exchange", "Capaci"),
    ("2025-03-31", "", "Indicator measured", "Newcomers with a buddy", "Capaci"),
    (
        "2025-04-01",
        "11:00",
        "Phase moved back",
        "Phase 1 of 8: Needs assessment and matching",
        "Mechelen",
    ),
    ("2025-04-10", "", "Action plan status changed", "Action plan", "Capaci"),
    ("2025-05-20", "11:00", "Risk status changed", "Too few volunteers sign up.", "Capaci"),
    ("2025-06-01", "11:00", "Action status changed", "Recruit the first ten buddies", "Capaci"),
    ("2025-06-15", "", "Activity", "Study visit 2", "Mechelen"),
]


def expected_rows(cast) -> list[tuple]:
    return [
        (day, time, event, subject, cast.vvsg.name if org == "VVSG-name" else org)
        for day, time, event, subject, org in EXPECTED
    ]


def make_story(cast, **pairing_values) -> Story:
    """The pairing Mechelen mentors Capaci with its story (see the module's docstring)."""
    pairing = factories.make_pairing(
        cast.mechelen, cast.capaci, status="active", phase=None, **pairing_values
    )
    _steps(cast, pairing)
    _phases(cast, pairing)
    held = factories.make_activity(
        pairing,
        title="Kick-off in Mechelen",
        type="kick_off",
        start_date=dt.date(2025, 2, 10),
        start_time=dt.time(14, 30),
        participants_mentor=5,
        participants_mentee=4,
        participants_associations=1,
        outcomes="A shared vision of the buddy scheme.",
    )
    factories.make_activity(
        pairing,
        title="Online exchange",
        type="online_meeting",
        format="online",
        host=cast.capaci,
        status="cancelled",
        start_date=dt.date(2025, 3, 15),
    )
    factories.make_activity(
        pairing,
        title="Study visit 2",
        study_visit_round=2,
        status="planned",
        start_date=dt.date(2025, 6, 15),
        participants_mentor=0,
        participants_mentee=0,
    )
    action, indicator, risk = _plan(cast, pairing)
    db.session.commit()
    return Story(pairing, action, indicator, risk, held)


def _steps(cast, pairing) -> None:
    for step, before, after, user, day in (
        ("propose", None, "proposed", cast.coordinator, 10),
        ("accept", "proposed", "accepted", cast.other_coordinator, 15),
        ("confirm", "accepted", "active", cast.officer, 20),
    ):
        pairing.steps.append(
            PairingStep(
                step=step,
                from_status=before,
                to_status=after,
                actor_id=user.id,
                actor_organisation_id=user.organisation_id,
                message=f"Kind regards, {user.name} ({user.email})",
                created_dt=utc(2025, 1, day, 9),
            )
        )


def _phases(cast, pairing) -> None:
    for before, phase, user, moment, reason in (
        (None, 1, cast.officer, utc(2025, 1, 20, 9), None),
        (1, 2, cast.coordinator, utc(2025, 3, 1, 9), None),
        (2, 1, cast.coordinator, utc(2025, 4, 1, 9), "The needs were not clear yet."),
    ):
        pairing.phase_changes.append(
            PhaseChange(
                from_phase=before,
                phase=phase,
                reason=reason,
                actor_id=user.id,
                changed_dt=moment,
            )
        )
    pairing.phase = 1


def _plan(cast, pairing):
    actor = {"actor_id": cast.other_coordinator.id, "actor_organisation_id": cast.capaci.id}
    plan = ActionPlan(pairing_id=pairing.id, status="consolidated")
    db.session.add(plan)
    db.session.flush()
    db.session.add(
        PlanStatusChange(
            plan=plan,
            pairing_id=pairing.id,
            from_status="draft",
            to_status="consolidated",
            effective_date=dt.date(2025, 4, 10),
            **actor,
        )
    )
    action = factories.make_action(
        pairing,
        status="done",
        budget=Decimal("1500.50"),
        start_date=dt.date(2025, 2, 1),
        due_date=dt.date(2025, 6, 30),
    )
    for before, after, moment in (
        (None, "planned", utc(2025, 2, 20, 9)),
        ("planned", "done", utc(2025, 6, 1, 9)),
    ):
        db.session.add(
            ActionStatusChange(
                action=action,
                pairing_id=pairing.id,
                from_status=before,
                to_status=after,
                changed_dt=moment,
                **actor,
            )
        )
    indicator = factories.make_indicator(pairing)
    db.session.add(
        Measurement(
            indicator=indicator,
            pairing_id=pairing.id,
            measured_on=dt.date(2025, 3, 31),
            value=Decimal("12.5"),
            note="First count",
            **actor,
        )
    )
    risk = factories.make_risk(pairing, status="mitigated")
    for before, after, moment in (
        (None, "open", utc(2025, 2, 25, 9)),
        ("open", "mitigated", utc(2025, 5, 20, 9)),
    ):
        db.session.add(
            RiskChange(
                risk=risk,
                pairing_id=pairing.id,
                from_status=before,
                to_status=after,
                changed_dt=moment,
                **actor,
            )
        )
    db.session.flush()
    return action, indicator, risk


def csv_rows(response) -> list[list[str]]:
    """The rows of a CSV response, its header first (after checking the byte order mark)."""
    body = response.get_data()
    assert body.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def report_events() -> list[AuditEvent]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            sa.select(AuditEvent)
            .where(AuditEvent.action == "pairing.report")
            .order_by(AuditEvent.id)
        )
    )
