"""`flask report-benchmark`: how long a large pairing's reports take to make, in a throwaway
SQLite database (never the configured one).

It builds one pairing with N activities (with outcomes, participant counts and feedback),
actions, indicators with measurements and risks, then times, over a few repeats, what each
download does: the report's queries with the PDF, with the XLSX, and the streamed CSV. It
prints the seconds (min and median), the sizes and the PDF's page count. A figure to compare
between changes on one machine, not a test: nothing is asserted.
"""

import datetime as dt
import io
import random
import re
import secrets
import statistics
import tempfile
import time
import zlib
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import click
from flask import render_template
from flask_migrate import upgrade

from exchange.accounts.models import MemberRole, Membership, User
from exchange.activities.models import Activity, ActivityType, Feedback
from exchange.db import db, utcnow
from exchange.organisations.models import Organisation, OrgKind
from exchange.pairings.models import Pairing, PairingStep, PhaseChange
from exchange.plans.models import (
    Action,
    ActionPlan,
    ActionStatusChange,
    Indicator,
    Measurement,
    PlanStatusChange,
    Risk,
    RiskChange,
)
from exchange.programmes.models import Programme
from exchange.reports import charts, exports, history
from exchange.reports.pdf import render_pdf
from exchange.reports.period import WHOLE
from exchange.reports.queries import pairing_report
from exchange.reports.tabular import csv_stream

TIME_ZONE = "Europe/Brussels"
OUTCOMES = (
    "The mentee city's team saw the buddy scheme at work and met three volunteers.\n\n"
    "- The intake form is translated into four languages.\n"
    "- A first group of **twelve** newcomers is matched with buddies.\n"
    "- The steering committee meets again in six weeks."
)


@click.command("report-benchmark")
@click.option("--activities", default=300, show_default=True, type=click.IntRange(1, 20000))
@click.option("--repeat", default=3, show_default=True, type=click.IntRange(1, 100))
def report_benchmark_command(activities: int, repeat: int) -> None:
    """Time a large pairing's PDF, XLSX and CSV reports in a throwaway database."""
    # Imported here: exchange/__init__.py imports the commands, this one among them.
    from exchange import create_app

    with tempfile.TemporaryDirectory(prefix="report-benchmark-") as folder:
        app = create_app(_config(Path(folder)))
        with app.app_context():
            try:
                upgrade()
                counts = build(activities)
                db.session.commit()
                click.echo(_describe(counts, repeat))
                # The report's own URL: its blueprint's template helpers apply.
                path = f"/pairings/{counts['pairing_id']}/report.pdf"
                with app.test_request_context(path):
                    for line in measure(counts["pairing_id"], repeat):
                        click.echo(line)
            finally:
                db.session.remove()
                db.engine.dispose()


def _config(folder: Path) -> dict:
    return {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'benchmark.sqlite3'}",
        "SECRET_KEY": secrets.token_hex(32),
        "ENVIRONMENT": "development",
        "RATELIMIT_STORAGE_URI": "memory://",
        "MAIL_SUPPRESS_SEND": True,
        "LOG_LEVEL": "WARNING",
    }


def _describe(counts: dict, repeat: int) -> str:
    return (
        f"Report benchmark: {counts['activities']} activities ({counts['feedback']} ratings), "
        f"{counts['actions']} actions, {counts['indicators']} indicators "
        f"({counts['measurements']} measurements), {counts['risks']} risks; "
        f"{repeat} repeat(s), SQLite in a temporary directory."
    )


# Timing


def measure(pairing_id: int, repeat: int) -> list[str]:
    """Time each format `repeat` times, each run in a fresh session as a request would be."""
    lines = []
    for name, make in (
        ("report (queries only)", _report_only),
        ("PDF (report + WeasyPrint)", _pdf),
        ("XLSX (report + workbook)", _xlsx),
        ("CSV (streamed history)", _csv),
    ):
        try:
            seconds, data = _timed(lambda make=make: make(pairing_id), repeat)
        except Exception as error:  # noqa: BLE001 (a part not written yet must not hide the rest)
            lines.append(f"{name:28} not timed: {type(error).__name__}: {error}")
            continue
        lines.append(f"{name:28} {_seconds(seconds)}{_size(name, data)}")
    return lines


def _timed(make: Callable[[], bytes | None], repeat: int) -> tuple[list[float], bytes | None]:
    seconds, data = [], None
    for _round in range(repeat):
        db.session.remove()
        start = time.perf_counter()
        data = make()
        seconds.append(time.perf_counter() - start)
    return seconds, data


def _seconds(seconds: list[float]) -> str:
    return f"min {min(seconds):7.3f} s  median {statistics.median(seconds):7.3f} s"


def _size(name: str, data: bytes | None) -> str:
    if data is None:
        return ""
    text = f"  {len(data):>10,} bytes"
    if data.startswith(b"%PDF"):
        text += f", {pdf_pages(data)} pages"
    return text


def pdf_pages(data: bytes) -> int | str:
    """The page count of a PDF: pypdf's where it is installed (with the development
    requirements), else the /Count of the page tree, looked for in compressed streams too."""
    try:
        from pypdf import PdfReader
    except ImportError:
        return _page_tree_count(data)
    return len(PdfReader(io.BytesIO(data)).pages)


def _page_tree_count(data: bytes) -> int | str:
    chunks = [data]
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", data, flags=re.DOTALL):
        try:
            chunks.append(zlib.decompress(stream))
        except zlib.error:
            continue
    counts = [
        int(count)
        for chunk in chunks
        for tree in re.findall(rb"<<(?:(?!<<|>>).)*?/Type\s*/Pages\b(?:(?!<<|>>).)*>>", chunk, re.S)
        for count in re.findall(rb"/Count\s+(\d+)", tree)
    ]
    return max(counts) if counts else "?"


def _pairing(pairing_id: int) -> Pairing:
    return db.session.get(Pairing, pairing_id)


def _report(pairing_id: int):
    return pairing_report(_pairing(pairing_id), WHOLE, utcnow())


def _report_only(pairing_id: int) -> None:
    _report(pairing_id)


def _pdf(pairing_id: int) -> bytes:
    report = _report(pairing_id)
    html = render_template(
        "reports/pdf/pairing.html", report=report, charts=charts.for_report(report)
    )
    return render_pdf(html)


def _xlsx(pairing_id: int) -> bytes:
    return exports.pairing_xlsx(_report(pairing_id))


def _csv(pairing_id: int) -> bytes:
    lines = csv_stream(history.header(TIME_ZONE), history.rows(pairing_id, WHOLE, TIME_ZONE))
    return "".join(lines).encode("utf-8")


# The data


def build(activities: int) -> dict:
    """One pairing with `activities` activities and a plan in proportion; its counts."""
    rng = random.Random(6)
    mentor, mentee = _cities()
    users = _users(mentor, 4) + _users(mentee, 4)
    pairing = _pairing_of(mentor, mentee)
    counts = {"pairing_id": pairing.id, "activities": activities}
    counts["feedback"] = _activities(pairing, activities, users, rng)
    counts.update(_plan(pairing, max(5, activities // 10), users[-1], rng))
    return counts


def _cities() -> tuple[Organisation, Organisation]:
    def org(name, kind, country, parent=None):
        found = Organisation(
            name=name, kind=kind, country=country, languages=[], parent=parent, is_verified=True
        )
        db.session.add(found)
        return found

    vvsg = org("VVSG", OrgKind.ASSOCIATION, "BE")
    aiccre = org("AICCRE", OrgKind.ASSOCIATION, "IT")
    mentor = org("Mechelen", OrgKind.MUNICIPALITY, "BE", vvsg)
    mentee = org("Capaci", OrgKind.MUNICIPALITY, "IT", aiccre)
    db.session.flush()
    return mentor, mentee


def _users(organisation: Organisation, number: int) -> list[User]:
    users = [
        User(
            email=f"person{index}@{organisation.name.lower()}.example",
            name=f"Person {index} of {organisation.name}",
            password_hash="!",  # no password: nobody logs in to a benchmark
            organisation=organisation,
            role=MemberRole.COORDINATOR if index == 0 else MemberRole.PARTICIPANT,
            membership=Membership.APPROVED,
        )
        for index in range(number)
    ]
    db.session.add_all(users)
    db.session.flush()
    return users


def _pairing_of(mentor: Organisation, mentee: Organisation) -> Pairing:
    start = utcnow() - dt.timedelta(days=730)
    programme = Programme(name="IncluCities benchmark", start_date=start.date(), themes=[])
    pairing = Pairing(
        programme=programme,
        mentor=mentor,
        mentee=mentee,
        mentor_association=mentor.parent,
        mentee_association=mentee.parent,
        objective="Adapt the buddy scheme for newcomers.",
        status="active",
        phase=8,
        proposed_by_side="mentee",
        time_zone=TIME_ZONE,
        confirmed_dt=start,
        start_date=start.date(),
    )
    pairing.themes = ["participation"]
    for index, step in enumerate(("propose", "accept", "confirm")):
        pairing.steps.append(
            PairingStep(
                step=step,
                from_status=(None, "proposed", "accepted")[index],
                to_status=("proposed", "accepted", "active")[index],
                actor_organisation_id=(mentee.id, mentor.id, mentor.parent_id)[index],
                created_dt=start - dt.timedelta(days=3 - index),
            )
        )
    for phase in range(1, 9):
        pairing.phase_changes.append(
            PhaseChange(
                from_phase=phase - 1 or None,
                phase=phase,
                changed_dt=start + dt.timedelta(days=90 * (phase - 1)),
            )
        )
    db.session.add(pairing)
    db.session.flush()
    return pairing


def _activities(pairing: Pairing, number: int, users: list[User], rng: random.Random) -> int:
    """Activities spread over the two years behind, the last few ahead; their feedback."""
    first = utcnow().date() - dt.timedelta(days=730)
    step = max(1, 730 // number)
    kinds = list(ActivityType)
    ratings = 0
    for index in range(number):
        day = first + dt.timedelta(days=index * step)
        ahead = index >= number - 3
        status = "planned" if ahead else "cancelled" if index % 10 == 9 else "held"
        if ahead:
            day = utcnow().date() + dt.timedelta(days=7 * (number - index))
        activity = Activity(
            pairing=pairing,
            type=kinds[index % len(kinds)],
            study_visit_round=1 + index % 3,
            title=f"Exchange {index + 1}: buddies and newcomers",
            start_date=day,
            start_time=dt.time(9 + index % 8, 30),
            format=("in_person", "online", "hybrid")[index % 3],
            host=pairing.mentor if index % 2 else pairing.mentee,
            status=status,
            participants_mentor=rng.randint(0, 12) if status == "held" else 0,
            participants_mentee=rng.randint(0, 12) if status == "held" else 0,
            participants_associations=rng.randint(0, 3) if status == "held" else 0,
            participants_others=rng.randint(0, 5) if status == "held" else 0,
            outcomes=OUTCOMES if status == "held" else None,
        )
        activity.schedule(TIME_ZONE)
        db.session.add(activity)
        if status == "held":
            for user in rng.sample(users, 3):
                activity.feedback.append(
                    Feedback(
                        user=user,
                        organisation_id=user.organisation_id,
                        usefulness=rng.randint(2, 5),
                    )
                )
                ratings += 1
    db.session.flush()
    return ratings


def _plan(pairing: Pairing, number: int, actor: User, rng: random.Random) -> dict:
    """A plan with `number` actions (each added, most moved on), five indicators with
    `number` measurements each, and five risks noted and some mitigated."""
    who = {"actor_id": actor.id, "actor_organisation_id": actor.organisation_id}
    today = utcnow().date()
    plan = ActionPlan(pairing_id=pairing.id, status="adopted")
    db.session.add(plan)
    for index, status in enumerate(("consolidated", "reviewed", "adopted")):
        plan.status_changes.append(
            PlanStatusChange(
                pairing_id=pairing.id,
                from_status=("draft", "consolidated", "reviewed")[index],
                to_status=status,
                effective_date=today - dt.timedelta(days=400 - 100 * index),
                **who,
            )
        )
    for index in range(number):
        status = ("planned", "in_progress", "done", "dropped")[index % 4]
        action = Action(
            pairing=pairing,
            title=f"Action {index + 1}: recruit and train buddies",
            responsible="Social services",
            start_date=today - dt.timedelta(days=300 - index),
            due_date=today + dt.timedelta(days=rng.randint(-60, 200)),
            budget=Decimal(rng.randint(500, 20000)),
            status=status,
        )
        action.status_changes.append(
            ActionStatusChange(pairing_id=pairing.id, from_status=None, to_status="planned", **who)
        )
        if status != "planned":
            action.status_changes.append(
                ActionStatusChange(
                    pairing_id=pairing.id, from_status="planned", to_status=status, **who
                )
            )
        db.session.add(action)
    for index in range(5):
        indicator = Indicator(
            pairing=pairing,
            name=f"Indicator {index + 1}",
            type=("output", "outcome", "impact")[index % 3],
            unit="people",
            baseline=Decimal(0),
            target=Decimal(100),
        )
        db.session.add(indicator)
        for day in range(number):
            indicator.measurements.append(
                Measurement(
                    pairing_id=pairing.id,
                    value=Decimal(min(100, day * 2)),
                    measured_on=today - dt.timedelta(days=number - day),
                    **who,
                )
            )
    for index in range(5):
        risk = Risk(
            pairing=pairing,
            description=f"Risk {index + 1}: too few volunteers sign up.",
            likelihood="medium",
            impact="high",
            owner="Volunteer centre",
            mitigation="Ask the local sports clubs.",
            status="mitigated" if index % 2 else "open",
        )
        risk.changes.append(
            RiskChange(pairing_id=pairing.id, from_status=None, to_status="open", **who)
        )
        if index % 2:
            risk.changes.append(
                RiskChange(pairing_id=pairing.id, from_status="open", to_status="mitigated", **who)
            )
        db.session.add(risk)
    db.session.flush()
    return {"actions": number, "indicators": 5, "measurements": 5 * number, "risks": 5}
