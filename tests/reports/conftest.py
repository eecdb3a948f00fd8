"""The world of the report tests: a crafted pairing with something of everything a progress
report shows, dated around today so that its health, late actions and next activities are
what they say."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest

from exchange.accounts.models import User
from exchange.activities.models import Activity, Feedback
from exchange.db import utcnow
from exchange.pairings.models import Pairing, PhaseChange
from exchange.plans.models import Action, ActionPlan, Indicator, PlanStatusChange, Risk
from exchange.practices.models import Practice, Transfer
from tests.factories import (
    Cast,
    make_action,
    make_activity,
    make_coordinator,
    make_indicator,
    make_org,
    make_pairing,
    make_practice,
    make_programme,
    make_risk,
    make_transfer,
    make_user,
)


@dataclass
class Crafted:
    cast: Cast
    today: dt.date
    pairing: Pairing
    kick_off: Activity  # held 100 days ago, online
    study_visit: Activity  # held 60 days ago, in person, in Mechelen
    workshop: Activity  # held 20 days ago, hybrid, in Capaci
    planned: Activity  # 20 days ahead
    cancelled: Activity  # 40 days ago
    plan: ActionPlan
    done_action: Action
    running_action: Action
    late_action: Action
    buddies: Indicator  # 18 of 40 from 0: 45 %
    volunteers: Indicator  # not measured
    risk: Risk
    practice: Practice
    transfer: Transfer
    capaci_participant: User
    outsider: User  # a coordinator of Jelgava, in no pairing

    def day(self, offset: int) -> dt.date:
        return self.today + dt.timedelta(days=offset)


def _moment(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC)


@pytest.fixture
def crafted(db, cast) -> Crafted:
    """Mechelen (VVSG) mentors Capaci (AICCRE) in IncluCities: active, in phase 4 after three
    phase changes; three held activities of different types and formats with outcomes and
    participant counts, one planned, one cancelled; feedback on two; an adopted plan with
    done, running and late actions; an indicator measured twice and one not measured; an open
    risk; the transfer of Mechelen's published buddy practice."""
    today = utcnow().date()

    def day(offset):
        return today + dt.timedelta(days=offset)

    programme = make_programme(name="IncluCities", start_date=day(-400), end_date=day(800))
    pairing = make_pairing(
        cast.mechelen,
        cast.capaci,
        status="active",
        programme=programme,
        objective="Build a buddy scheme for newcomers in Capaci.",
        themes=["participation", "language"],
        confirmed_dt=_moment(day(-130)),
        start_date=day(-130),
    )
    pairing.phase_changes[0].changed_dt = _moment(day(-130))
    for offset, before, after, reason in (
        (-90, 1, 2, None),
        (-50, 2, 3, "Benchmarking done early."),
        (-10, 3, 4, None),
    ):
        pairing.phase_changes.append(
            PhaseChange(
                from_phase=before, phase=after, reason=reason, changed_dt=_moment(day(offset))
            )
        )
    pairing.phase = 4

    kick_off = make_activity(
        pairing,
        type="kick_off",
        study_visit_round=None,
        title="Kick-off meeting online",
        start_date=day(-100),
        format="online",
        host=None,
        venue=None,
        participants_mentor=3,
        participants_mentee=4,
        outcomes="Agreed the **roadmap** of the exchange.",
    )
    study_visit = make_activity(
        pairing,
        title="Study visit in Mechelen",
        start_date=day(-60),
        participants_mentor=6,
        participants_mentee=5,
        participants_associations=2,
        participants_others=1,
        outcomes="Met the buddies of *Samen Inburgeren* at the city hall.",
    )
    workshop = make_activity(
        pairing,
        type="transfer_workshop",
        study_visit_round=None,
        title="Transfer workshop in Capaci",
        start_date=day(-20),
        format="hybrid",
        host=cast.capaci,
        participants_mentor=2,
        participants_mentee=8,
        outcomes="Drafted the local version of the scheme.\n\n- ten buddies\n- one coach",
    )
    planned = make_activity(
        pairing,
        status="planned",
        title="Second study visit in Capaci",
        start_date=day(20),
        host=cast.capaci,
        study_visit_round=2,
        participants_mentor=0,
        participants_mentee=0,
        outcomes=None,
    )
    cancelled = make_activity(
        pairing,
        status="cancelled",
        type="steering_committee",
        study_visit_round=None,
        title="Steering committee in spring",
        start_date=day(-40),
        format="online",
        participants_mentor=0,
        participants_mentee=0,
    )
    capaci_participant = make_user(organisation=cast.capaci, email="buddy@capaci.example")
    for activity, user, org, usefulness in (
        (study_visit, cast.participant, cast.mechelen, 5),
        (study_visit, capaci_participant, cast.capaci, 4),
        (workshop, capaci_participant, cast.capaci, 3),
    ):
        db.session.add(
            Feedback(activity=activity, user=user, organisation=org, usefulness=usefulness)
        )

    plan = ActionPlan(pairing_id=pairing.id, status="adopted", local_practice_name="Insieme")
    db.session.add(plan)
    db.session.flush()
    db.session.add(
        PlanStatusChange(
            pairing_id=pairing.id,
            plan_id=plan.id,
            from_status="reviewed",
            to_status="adopted",
            effective_date=day(-30),
        )
    )
    done_action = make_action(
        pairing, title="Recruit the first ten buddies", status="done", due_date=day(-40),
        start_date=day(-90),
    )  # fmt: skip
    running_action = make_action(pairing, title="Train the buddy coaches", status="in_progress")
    late_action = make_action(
        pairing, title="Open the buddy office", status="in_progress", due_date=day(-5),
        start_date=day(-60), responsible="Social services of Capaci",
    )  # fmt: skip
    buddies = make_indicator(
        pairing,
        name="Newcomers with a buddy",
        baseline=Decimal(0),
        target=Decimal(40),
        measurements=[(day(-50), 10), (day(-15), 18)],
    )
    volunteers = make_indicator(pairing, name="Volunteers trained", target=Decimal(20))
    risk = make_risk(pairing, description="Too few volunteers sign up.")
    practice = make_practice(cast.mechelen, title="Samen Inburgeren")
    transfer = make_transfer(practice, pairing, stage="adapt", local_name="Insieme a Capaci")
    outsider = make_coordinator(make_org(name="Jelgava", country="LV"), email="c@jelgava.example")
    db.session.commit()
    return Crafted(
        cast=cast,
        today=today,
        pairing=pairing,
        kick_off=kick_off,
        study_visit=study_visit,
        workshop=workshop,
        planned=planned,
        cancelled=cancelled,
        plan=plan,
        done_action=done_action,
        running_action=running_action,
        late_action=late_action,
        buddies=buddies,
        volunteers=volunteers,
        risk=risk,
        practice=practice,
        transfer=transfer,
        capaci_participant=capaci_participant,
        outsider=outsider,
    )
