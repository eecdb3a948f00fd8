"""The action plan pages as their users see them: who reads and who keeps the plan, the
page itself, the forms and what they refuse, conflicts, double submissions, query counts."""

import datetime as dt
import re
from decimal import Decimal

import pytest

from exchange.db import db, utcnow
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
from exchange.submissions import Submission, new_token
from tests.factories import (
    PASSWORD,
    make_action,
    make_activity,
    make_indicator,
    make_pairing,
    make_practice,
    make_risk,
    make_user,
)
from tests.plans.helpers import checked, events, field_error, html, input_value, rows, text
from tests.test_query_counts import count_queries

TODAY = utcnow().date()
DAY = dt.timedelta(days=1)
BIG = 2**31 + 5


def iso(day: dt.date) -> str:
    return day.isoformat()


def plan_form(**overrides) -> dict:
    data = dict(
        status="draft",
        status_date=iso(TODAY - 2 * DAY),
        vision="## Our vision\n\nA buddy for **every** newcomer.",
        target_groups="Newly arrived families",
        local_practice_name="Tutti Capaci",
        monitoring_method="Counted every quarter.",
        version="",
    )
    data.update(overrides)
    return data


def action_form(**overrides) -> dict:
    data = dict(
        submission=new_token(),
        title="Recruit ten buddies",
        description="Through the *sports clubs*.",
        responsible="Social services",
        partners="Red Cross, sports clubs",
        start_date=iso(TODAY - 10 * DAY),
        due_date=iso(TODAY + 20 * DAY),
        budget="12500.50",
        funding_source="AMIF",
        status="planned",
        practice_id="",
    )
    data.update(overrides)
    return data


def indicator_form(**overrides) -> dict:
    data = dict(
        submission=new_token(),
        name="Newcomers with a buddy",
        type="output",
        unit="people",
        baseline="0",
        target="40",
    )
    data.update(overrides)
    return data


def measurement_form(**overrides) -> dict:
    data = dict(submission=new_token(), value="12", measured_on=iso(TODAY), note="Register")
    data.update(overrides)
    return data


def risk_form(**overrides) -> dict:
    data = dict(
        submission=new_token(),
        description="Too few volunteers sign up.",
        likelihood="medium",
        impact="high",
        mitigation="Ask the sports clubs.",
        owner="Volunteer centre",
        status="open",
    )
    data.update(overrides)
    return data


def edit_data(data: dict, version) -> dict:
    """The data of an edit form: no token, the version it was opened with."""
    return {**{k: v for k, v in data.items() if k != "submission"}, "version": str(version)}


@pytest.fixture
def records(world, db):
    """One of each record in the pairing, for the pages that need one."""

    class R:
        action = make_action(world.pairing)
        indicator = make_indicator(world.pairing, measurements=[(TODAY - DAY, 10)])
        risk = make_risk(world.pairing)

    R.measurement = R.indicator.measurements[0]
    db.session.commit()
    return R


def plan_url(world) -> str:
    return f"/pairings/{world.pairing.id}/plan"


# Who reads, who keeps


def _pages(world, records) -> dict[str, tuple[str, str]]:
    p = world.pairing.id
    return {
        "edit": ("GET", f"/pairings/{p}/plan/edit"),
        "new_action": ("GET", f"/pairings/{p}/actions/new"),
        "edit_action": ("GET", f"/actions/{records.action.id}/edit"),
        "new_indicator": ("GET", f"/pairings/{p}/indicators/new"),
        "edit_indicator": ("GET", f"/indicators/{records.indicator.id}/edit"),
        "new_measurement": ("GET", f"/indicators/{records.indicator.id}/measurements/new"),
        "remove_measurement": ("POST", f"/measurements/{records.measurement.id}/remove"),
        "new_risk": ("GET", f"/pairings/{p}/risks/new"),
        "edit_risk": ("GET", f"/risks/{records.risk.id}/edit"),
    }


def _user(cast, world, who):
    return {
        "mechelen coordinator": cast.coordinator,
        "capaci coordinator": world.capaci_coordinator,
        "admin": cast.admin,
        "mechelen participant": cast.participant,
        "capaci participant": world.capaci_participant,
        "officer": cast.officer,
        "outsider": world.outsider,
    }[who]


@pytest.mark.parametrize(
    ("who", "reads", "keeps"),
    [
        ("mechelen coordinator", True, True),
        ("capaci coordinator", True, True),
        ("admin", True, True),
        ("mechelen participant", True, False),
        ("capaci participant", True, False),
        ("officer", True, False),  # VVSG monitors Mechelen's pairings
        ("outsider", False, False),
    ],
)
def test_who_reads_and_who_keeps_the_plan(
    client, cast, world, records, login_as, who, reads, keeps
):
    login_as(_user(cast, world, who))
    page = client.get(plan_url(world))
    assert page.status_code == (200 if reads else 404)
    if reads:
        assert ("Add an action" in text(page)) is keeps
        assert ("Remove the measurement" in text(page)) is keeps
    for name, (method, url) in _pages(world, records).items():
        answer = client.open(url, method=method)
        assert answer.status_code != 404 if keeps else answer.status_code == 404, (name, url)
    assert len(rows(Measurement)) == (0 if keeps else 1)  # the keepers' POST removed it
    if not keeps:  # a form sent anyway changes nothing
        p = world.pairing.id
        sent = [
            (f"/pairings/{p}/plan/edit", plan_form()),
            (f"/pairings/{p}/actions/new", action_form()),
            (f"/actions/{records.action.id}/edit", edit_data(action_form(), 1)),
            (f"/pairings/{p}/indicators/new", indicator_form()),
            (f"/indicators/{records.indicator.id}/measurements/new", measurement_form()),
            (f"/pairings/{p}/risks/new", risk_form()),
            (f"/risks/{records.risk.id}/edit", edit_data(risk_form(status="closed"), 1)),
        ]
        for url, data in sent:
            assert client.post(url, data=data).status_code == 404, url
        assert rows(ActionPlan) == [] and len(rows(Action)) == 1 and len(rows(Risk)) == 1
        assert rows(Action)[0].version == 1 and rows(Risk)[0].status == "open"


def test_anonymous_visitors_are_sent_to_sign_in(client, world, records):
    for url in (plan_url(world), f"/actions/{records.action.id}/edit"):
        answer = client.get(url)
        assert answer.status_code == 302 and answer.location.startswith("/login")


def test_a_proposed_pairing_shows_its_plan_page_but_keeps_nothing_yet(
    client, cast, world, login_as
):
    proposed = make_pairing(cast.mechelen, world.jelgava)
    db.session.commit()
    login_as(cast.coordinator)
    page = client.get(f"/pairings/{proposed.id}/plan")
    assert page.status_code == 200
    assert "Write the action plan" not in text(page)
    assert client.get(f"/pairings/{proposed.id}/actions/new").status_code == 404
    assert client.post(f"/pairings/{proposed.id}/plan/edit", data=plan_form()).status_code == 404
    assert rows(ActionPlan) == []


@pytest.mark.parametrize(
    "url",
    [
        f"/pairings/{BIG}/plan",
        f"/pairings/{BIG}/plan/edit",
        f"/pairings/{BIG}/actions/new",
        f"/actions/{BIG}/edit",
        f"/indicators/{BIG}/edit",
        f"/indicators/{BIG}/measurements/new",
        f"/risks/{BIG}/edit",
        "/actions/999999/edit",
        "/risks/0/edit",
    ],
)
def test_ids_that_name_nothing_answer_404(client, cast, world, login_as, url):
    login_as(cast.admin)
    assert client.get(url).status_code == 404
    if not url.endswith("/plan"):
        assert client.post(url, data={}).status_code == 404
    assert client.post(f"/measurements/{BIG}/remove").status_code == 404


# The page


def test_the_page_says_what_to_do_when_the_plan_is_empty(client, cast, world, login_as):
    login_as(cast.coordinator)
    page = text(client.get(plan_url(world)))
    assert "There is no action plan yet." in page
    assert "Write the action plan" in page
    assert "No actions yet. Add the first one" in page
    assert "No indicators yet. Add one for each result" in page
    assert "No risks noted yet. Note what could stop the plan" in page
    client.post("/logout")
    login_as(cast.participant)
    page = text(client.get(plan_url(world)))
    assert "The coordinators of the two cities write it" in page
    assert "Write the action plan" not in page and "Add the first one" not in page


def test_the_page_shows_the_plan_actions_indicators_and_risks(client, cast, world, login_as):
    client_ = client
    login_as(cast.coordinator)
    client_.post(
        f"/pairings/{world.pairing.id}/plan/edit",
        data=plan_form(vision="A buddy for **every** newcomer.<script>alert(1)</script>"),
    )
    make_action(
        world.pairing,
        title="Late action",
        status="in_progress",
        start_date=TODAY - 9 * DAY,
        due_date=TODAY - DAY,
        budget=Decimal("1000"),
    )
    make_action(world.pairing, title="Due today", due_date=TODAY, start_date=None)
    make_action(
        world.pairing,
        title="Finished late",
        status="done",
        due_date=TODAY - 30 * DAY,
        start_date=None,
        budget=Decimal("250.5"),
        practice_id=world.samen.id,
    )
    make_action(world.pairing, title="Given up", status="dropped", budget=Decimal(99))
    make_indicator(world.pairing, measurements=[(TODAY - 40 * DAY, 5), (TODAY - DAY, 10)])
    make_indicator(world.pairing, name="Waiting days", baseline=30, target=10, unit="days")
    make_risk(world.pairing, status="closed", description="A closed risk")
    make_risk(world.pairing, description="An open risk")
    db.session.commit()

    answer = client_.get(plan_url(world))
    page = text(answer)
    assert "<strong>every</strong>" in html(answer) and "<script>" not in html(answer)
    assert "Draft (current status)" in page and "(the plan was started)" in page
    assert "Done: 1 In progress: 1 Planned: 1 Overdue: 1 Dropped: 1" in page
    late = re.search(
        r'<tr id="action-\d+">\s*<th scope="row">Late action.*?</tr>', html(answer), re.S
    )
    assert "Overdue" in late.group(0) and "€1,000.00" in late.group(0)
    for title in ("Due today", "Finished late"):
        row = re.search(rf'<th scope="row">{title}.*?</tr>', html(answer), re.S).group(0)
        assert "Overdue" not in row
    assert f'href="/practices/{world.samen.id}">Samen Inburgeren</a>' in html(answer)
    assert "Total budget (dropped actions left out) €1,250.50" in page
    assert "25% of the way from the baseline to the target" in page
    assert 'value="25.0"' in html(answer) and "<progress" in html(answer)
    assert "10 people on" in page
    assert "Waiting days" in page and "Not measured yet" in page
    assert page.index("An open risk") < page.index("A closed risk")
    assert "1 open risk." in page


def test_the_page_costs_the_same_queries_whatever_the_amount_of_data(app, cast, world, login_as):
    from exchange.plans import services

    client = app.test_client()
    login_as(cast.officer, the_client=client)
    url = plan_url(world)

    def grow(n):
        for i in range(n):
            practice = make_practice(world.jelgava, title=f"Practice {n} {i}")
            make_action(world.pairing, title=f"Action {i}", practice_id=practice.id)
            make_action(world.pairing, title=f"Other {i}", practice_id=world.desk.id)
            indicator = make_indicator(world.pairing, name=f"Indicator {i}")
            for day in range(3):
                db.session.add(
                    Measurement(
                        indicator=indicator,
                        pairing_id=world.pairing.id,
                        value=day,
                        measured_on=TODAY - day * DAY,
                        actor_id=make_user(organisation=cast.mechelen).id,
                    )
                )
            make_risk(world.pairing)
        db.session.commit()

    def queries() -> int:
        with count_queries(db.engine) as statements:
            assert client.get(url).status_code == 200
        return len(statements)

    services.save_plan(cast.coordinator, world.pairing, None, _plan_values(), TODAY - 9 * DAY)
    db.session.commit()
    grow(1)
    small = queries()
    grow(12)
    for status, version in (("consolidated", 1), ("reviewed", 2), ("adopted", 3)):
        services.save_plan(cast.admin, world.pairing, version, _plan_values(status=status), TODAY)
    db.session.commit()
    assert queries() == small
    assert small <= 16


def _plan_values(**overrides) -> dict:
    data = plan_form(**overrides)
    return {
        k: data[k]
        for k in ("status", "vision", "target_groups", "local_practice_name", "monitoring_method")
    }


# The plan form


def test_a_coordinator_writes_the_plan_and_moves_it_on_with_dates(client, cast, world, login_as):
    login_as(cast.coordinator)
    url = f"/pairings/{world.pairing.id}/plan/edit"
    form = client.get(url)
    assert input_value(form, "status_date") == iso(TODAY)  # today by default
    assert checked(form, "status") == "draft"
    answer = client.post(url, data=plan_form())
    assert answer.status_code == 302 and answer.location == plan_url(world)

    form = client.get(url)
    assert input_value(form, "version") == "1"
    assert input_value(form, "local_practice_name") == "Tutti Capaci"
    client.post(
        url, data=plan_form(status="consolidated", status_date=iso(TODAY - DAY), version="1")
    )
    client.post(url, data=plan_form(status="draft", status_date=iso(TODAY), version="2"))

    changes = rows(PlanStatusChange)
    assert [(c.from_status, c.to_status, c.effective_date) for c in changes] == [
        (None, "draft", TODAY - 2 * DAY),
        ("draft", "consolidated", TODAY - DAY),
        ("consolidated", "draft", TODAY),
    ]
    page = text(client.get(plan_url(world)))
    assert "(moved back from Consolidated)" in page
    assert "Recorded by" in page and "(Mechelen)" in page


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"status_date": iso(TODAY + 3 * DAY)}, "status_date", "cannot be in the future"),
        ({"status_date": ""}, "status_date", "Enter the date the plan reached this status."),
        ({"status_date": "2026-02-31"}, "status_date", "Enter a date like 2026-03-31."),
        ({"local_practice_name": "x" * 201}, "local_practice_name", "longer than 200"),
        ({"vision": "x" * 20001}, "vision", "longer than 20000"),
        ({"target_groups": "x" * 5001}, "target_groups", "longer than 5000"),
        ({"status": "finished"}, "status", "Not a valid choice"),
    ],
)
def test_the_plan_form_refuses_bad_input_at_the_field(
    client, cast, world, login_as, changes, field, message
):
    login_as(cast.coordinator)
    data = plan_form(**changes)
    answer = client.post(f"/pairings/{world.pairing.id}/plan/edit", data=data)
    assert answer.status_code == 200
    assert message in field_error(answer, field)
    assert input_value(answer, "monitoring_method") == "Counted every quarter."
    assert rows(ActionPlan) == [] and rows(PlanStatusChange) == []


def test_a_plan_changed_meanwhile_shows_the_conflict_and_saving_again_applies(
    app, cast, world, login_as
):
    mine, theirs = app.test_client(), app.test_client()
    login_as(cast.coordinator, the_client=mine)
    login_as(world.capaci_coordinator, the_client=theirs)
    url = f"/pairings/{world.pairing.id}/plan/edit"
    mine.post(url, data=plan_form())
    assert input_value(mine.get(url), "version") == "1"
    assert theirs.post(url, data=plan_form(vision="Their vision", version="1")).status_code == 302

    answer = mine.post(url, data=plan_form(monitoring_method="Monthly", version="1"))
    assert answer.status_code == 200
    page = text(answer)
    assert "Someone else changed this while you were editing" in page
    assert "Vision Their vision" in page
    assert "saved it on" in page and world.capaci_coordinator.name in page
    assert input_value(answer, "monitoring_method") == "Monthly"  # what I typed is kept
    assert input_value(answer, "version") == "2"
    assert rows(ActionPlan)[0].monitoring_method == "Counted every quarter."

    again = {**plan_form(monitoring_method="Monthly", version="2"), "vision": "Their vision"}
    assert mine.post(url, data=again).status_code == 302
    plan = rows(ActionPlan)[0]
    assert (plan.vision, plan.monitoring_method, plan.version) == ("Their vision", "Monthly", 3)


def test_sending_the_same_plan_form_twice_saves_it_once(client, cast, world, login_as):
    login_as(cast.coordinator)
    url = f"/pairings/{world.pairing.id}/plan/edit"
    for _ in range(2):
        assert client.post(url, data=plan_form()).status_code == 302
    data = plan_form(status="reviewed", status_date=iso(TODAY), version="1")
    for _ in range(2):
        assert client.post(url, data=data).status_code == 302
    assert len(rows(ActionPlan)) == 1
    assert [c.to_status for c in rows(PlanStatusChange)] == ["draft", "reviewed"]
    assert rows(ActionPlan)[0].version == 2


MARKDOWN_HINT = (
    "Write in Markdown: leave an empty line between paragraphs; **bold**, *italic*, "
    "[link text](https://example.org); start lines with - for a list and with # for a "
    "heading. HTML is not kept."
)


def test_every_form_that_takes_markdown_gives_the_same_hint(client, cast, world, login_as):
    activity = make_activity(world.pairing, status="planned", start_date=TODAY - DAY)
    db.session.commit()
    login_as(cast.admin)  # keeps the plan and the activities, and posts news
    for url, hints in (
        (f"/pairings/{world.pairing.id}/plan/edit", 2),  # vision, monitoring method
        (f"/pairings/{world.pairing.id}/actions/new", 1),
        (f"/pairings/{world.pairing.id}/activities/new", 4),
        (f"/activities/{activity.id}/held", 2),
        ("/news/new", 1),
    ):
        page = client.get(url)
        assert page.status_code == 200, url
        assert text(page).count(MARKDOWN_HINT) == hints, url
        assert "You can use Markdown" not in text(page)


# Actions


def test_a_coordinator_adds_an_action_with_its_first_status(client, cast, world, login_as):
    login_as(world.capaci_coordinator)
    url = f"/pairings/{world.pairing.id}/actions/new"
    form = html(client.get(url))
    # the practices the pairing transfers come first, then the other published ones
    assert form.index("Samen Inburgeren") < form.index("A one-stop shop")
    assert "Unfinished draft" not in form
    answer = client.post(url, data=action_form(practice_id=str(world.samen.id)))
    [action] = rows(Action)
    assert answer.status_code == 302
    assert answer.location == f"{plan_url(world)}#action-{action.id}"
    assert action.budget == Decimal("12500.50") and action.practice_id == world.samen.id
    [change] = rows(ActionStatusChange)
    assert (change.from_status, change.to_status) == (None, "planned")
    assert change.actor_organisation_id == cast.capaci.id
    assert events("action", action.id)[0].action == "action.create"


def test_a_dutch_reader_types_amounts_the_dutch_way(client, cast, world, login_as):
    cast.coordinator.locale = "nl"
    db.session.commit()
    login_as(cast.coordinator)
    client.post(f"/pairings/{world.pairing.id}/actions/new", data=action_form(budget="12.500,50"))
    [action] = rows(Action)
    assert action.budget == Decimal("12500.50")
    assert input_value(client.get(f"/actions/{action.id}/edit"), "budget") == "12500,5"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"start_date": iso(TODAY), "due_date": iso(TODAY - DAY)},
            "due_date",
            "The due date cannot be before the start date",
        ),
        ({"budget": "-5"}, "budget", "The budget cannot be negative."),
        ({"budget": "lots"}, "budget", "Enter a number, like 12,500.50."),
        ({"budget": "1000000000000"}, "budget", "no larger than 100,000,000,000"),
        ({"budget": "1e400"}, "budget", "Enter a number"),
        ({"budget": "12.345"}, "budget", "Use at most 2 decimals."),
        ({"title": ""}, "title", "Enter the title of the action."),
        ({"title": "x" * 201}, "title", "longer than 200"),
        ({"partners": "x" * 501}, "partners", "longer than 500"),
        ({"responsible": "x" * 201}, "responsible", "longer than 200"),
        ({"funding_source": "x" * 201}, "funding_source", "longer than 200"),
        ({"description": "x" * 20001}, "description", "longer than 20000"),
        ({"start_date": "01/02/2026"}, "start_date", "Enter a date like 2026-03-31."),
        ({"due_date": "1800-01-01"}, "due_date", "between the years 1900 and 2999"),
        ({"practice_id": str(BIG)}, "practice_id", "Choose a practice from the list."),
        ({"practice_id": "999999"}, "practice_id", "Choose a practice from the list."),
        ({"practice_id": "abc"}, "practice_id", "Choose a practice from the list."),
        ({"practice_id": "draft"}, "practice_id", "Choose a practice from the list."),
        ({"status": "finished"}, "status", "Not a valid choice"),
    ],
)
def test_the_action_form_refuses_bad_input_at_the_field(
    client, cast, world, login_as, changes, field, message
):
    login_as(cast.coordinator)
    if changes.get("practice_id") == "draft":
        changes = {"practice_id": str(world.draft.id)}
    data = action_form(**changes)
    answer = client.post(f"/pairings/{world.pairing.id}/actions/new", data=data)
    assert answer.status_code == 200
    assert message in field_error(answer, field)
    kept = "responsible" if field == "funding_source" else "funding_source"
    assert input_value(answer, kept) == data[kept]  # the rest is kept
    if field in ("title", "budget", "partners", "funding_source"):
        assert input_value(answer, field) == data[field]  # and so is what was wrong
    assert rows(Action) == [] and rows(ActionStatusChange) == [] and rows(Submission) == []


def test_an_action_changed_meanwhile_shows_the_conflict_naming_the_field(
    app, cast, world, records, login_as
):
    mine, theirs = app.test_client(), app.test_client()
    login_as(cast.coordinator, the_client=mine)
    login_as(world.capaci_coordinator, the_client=theirs)
    action = records.action
    url = f"/actions/{action.id}/edit"
    opened = mine.get(url)
    assert input_value(opened, "version") == "1"
    base = dict(
        action_form(
            title=action.title,
            responsible=action.responsible,
            start_date=iso(action.start_date),
            due_date=iso(action.due_date),
            description="",
            partners="",
            budget="",
            funding_source="",
        )
    )
    theirs_data = edit_data({**base, "status": "done"}, 1)
    assert theirs.post(url, data=theirs_data).status_code == 302

    answer = mine.post(url, data=edit_data({**base, "budget": "800"}, 1))
    assert answer.status_code == 200
    assert "Someone else changed this while you were editing" in text(answer)
    assert re.search(r"<dt>Status</dt>\s*<dd>Done</dd>", html(answer))
    assert input_value(answer, "budget") == "800" and input_value(answer, "version") == "2"
    assert rows(Action)[0].budget is None

    # saving again applies mine: here, with their status kept
    assert (
        mine.post(url, data=edit_data({**base, "budget": "800", "status": "done"}, 2)).status_code
        == 302
    )
    saved = rows(Action)[0]
    assert (saved.budget, saved.status, saved.version) == (Decimal(800), "done", 3)
    assert [(c.from_status, c.to_status) for c in rows(ActionStatusChange)] == [("planned", "done")]


def test_sending_an_edit_twice_is_no_conflict(client, cast, world, records, login_as):
    login_as(cast.coordinator)
    action = records.action
    data = edit_data(
        action_form(
            title="Renamed",
            start_date=iso(action.start_date),
            due_date=iso(action.due_date),
            status="in_progress",
        ),
        1,
    )
    for _ in range(2):
        answer = client.post(f"/actions/{action.id}/edit", data=data)
        assert answer.status_code == 302, text(answer)
    assert rows(Action)[0].version == 2
    assert len(events("action", action.id)) == 1
    assert len(rows(ActionStatusChange)) == 1


def test_an_action_form_sent_twice_adds_one_action(client, cast, world, login_as):
    login_as(cast.coordinator)
    data = action_form()
    url = f"/pairings/{world.pairing.id}/actions/new"
    first = client.post(url, data=data)
    second = client.post(url, data=data, follow_redirects=False)
    assert len(rows(Action)) == 1
    assert second.status_code == 302 and second.location == first.location
    assert "This was saved already" in text(client.get(second.location))
    assert len(rows(ActionStatusChange)) == 1


# Indicators and measurements


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"baseline": "5", "target": "5,0"}, "target", "The target must differ from the baseline."),
        ({"baseline": "abc"}, "baseline", "Enter a number"),
        ({"baseline": ""}, "baseline", "Enter the value at the start, 0 if none."),
        ({"baseline": " "}, "baseline", "Enter the value at the start, 0 if none."),
        ({"baseline": "\u00a0\t"}, "baseline", "Enter the value at the start, 0 if none."),
        ({"target": "-1000000000000"}, "target", "no smaller than -100,000,000,000"),
        ({"target": "1.23456"}, "target", "Use at most 4 decimals."),
        ({"name": ""}, "name", "Enter the name of the indicator."),
        ({"name": "x" * 201}, "name", "longer than 200"),
        ({"unit": "x" * 51}, "unit", "longer than 50"),
        ({"type": ""}, "type", "Choose the type of indicator."),
    ],
)
def test_the_indicator_form_refuses_bad_input_at_the_field(
    client, cast, world, login_as, changes, field, message
):
    login_as(cast.coordinator)
    data = indicator_form(**changes)
    answer = client.post(f"/pairings/{world.pairing.id}/indicators/new", data=data)
    assert answer.status_code == 200
    assert message in field_error(answer, field)
    assert input_value(answer, "name") == data["name"]
    assert input_value(answer, "target") == data["target"]
    assert rows(Indicator) == []


def test_an_indicator_is_added_edited_and_measured(client, cast, world, login_as):
    login_as(cast.coordinator)
    client.post(f"/pairings/{world.pairing.id}/indicators/new", data=indicator_form())
    [indicator] = rows(Indicator)
    assert (indicator.baseline, indicator.target, indicator.created_by_id) == (
        0,
        40,
        cast.coordinator.id,
    )
    edit = client.get(f"/indicators/{indicator.id}/edit")
    assert input_value(edit, "target") == "40" and input_value(edit, "version") == "1"
    client.post(f"/indicators/{indicator.id}/edit", data=edit_data(indicator_form(target="50"), 1))
    url = f"/indicators/{indicator.id}/measurements/new"
    assert input_value(client.get(url), "measured_on") == iso(TODAY)
    answer = client.post(url, data=measurement_form(value="12,5"))
    assert answer.location == f"{plan_url(world)}#indicator-{indicator.id}"
    [measurement] = rows(Measurement)
    assert (measurement.value, measurement.pairing_id, measurement.actor_id) == (
        Decimal("12.5"),
        world.pairing.id,
        cast.coordinator.id,
    )
    assert "25% of the way from the baseline to the target" in text(client.get(plan_url(world)))


def test_an_indicator_changed_meanwhile_shows_the_conflict(app, cast, world, records, login_as):
    mine, theirs = app.test_client(), app.test_client()
    login_as(cast.coordinator, the_client=mine)
    login_as(world.capaci_coordinator, the_client=theirs)
    url = f"/indicators/{records.indicator.id}/edit"
    theirs.post(url, data=edit_data(indicator_form(target="60"), 1))
    answer = mine.post(url, data=edit_data(indicator_form(name="Buddies matched"), 1))
    assert "Someone else changed this while you were editing" in text(answer)
    assert re.search(r"<dt>Target</dt>\s*<dd>60</dd>", html(answer))
    assert rows(Indicator)[0].name == "Newcomers with a buddy"
    assert (
        mine.post(
            url, data=edit_data(indicator_form(name="Buddies matched", target="60"), 2)
        ).status_code
        == 302
    )
    assert (rows(Indicator)[0].name, rows(Indicator)[0].target) == ("Buddies matched", 60)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"measured_on": iso(TODAY + 2 * DAY)}, "measured_on", "cannot be in the future"),
        ({"measured_on": "1899-12-31"}, "measured_on", "between the years 1900 and 2999"),
        ({"measured_on": "someday"}, "measured_on", "Enter a date like 2026-03-31."),
        ({"measured_on": ""}, "measured_on", "Enter the date of the measurement."),
        ({"value": "twelve"}, "value", "Enter a number"),
        ({"value": ""}, "value", "Enter the value."),
        ({"value": "100000000001"}, "value", "no larger than"),
        ({"note": "x" * 501}, "note", "longer than 500"),
    ],
)
def test_the_measurement_form_refuses_bad_input_at_the_field(
    client, cast, world, records, login_as, changes, field, message
):
    login_as(cast.coordinator)
    data = measurement_form(**changes)
    url = f"/indicators/{records.indicator.id}/measurements/new"
    answer = client.post(url, data=data)
    assert answer.status_code == 200
    assert message in field_error(answer, field)
    assert input_value(answer, "value") == data["value"]
    assert len(rows(Measurement)) == 1  # only the one there was


def test_numbers_of_only_spaces_are_asked_for_not_a_server_error(
    client, cast, world, records, login_as
):
    """A space, a tab or a non-breaking space in a required number box is an empty box."""
    login_as(cast.coordinator)
    new = client.post(
        f"/pairings/{world.pairing.id}/indicators/new", data=indicator_form(target=" ")
    )
    assert new.status_code == 200 and field_error(new, "target") == "Enter the value to reach."
    edit = client.post(
        f"/indicators/{records.indicator.id}/edit",
        data=indicator_form(version=str(records.indicator.version), baseline="\u00a0"),
    )
    assert edit.status_code == 200
    assert "Enter the value at the start" in field_error(edit, "baseline")
    url = f"/indicators/{records.indicator.id}/measurements/new"
    measured = client.post(url, data=measurement_form(value="\t"))
    assert measured.status_code == 200 and field_error(measured, "value") == "Enter the value."
    assert len(rows(Measurement)) == 1 and len(rows(Indicator)) == 1


def test_a_measurement_form_sent_twice_adds_one_measurement(client, cast, records, login_as):
    login_as(cast.coordinator)
    data = measurement_form()
    url = f"/indicators/{records.indicator.id}/measurements/new"
    assert client.post(url, data=data).status_code == 302
    assert client.post(url, data=data).status_code == 302
    assert len(rows(Measurement)) == 2  # the one there was, and one new
    assert len(events("measurement")) == 1


def test_a_wrong_measurement_is_removed_with_a_button(client, cast, world, records, login_as):
    login_as(world.capaci_coordinator)
    measurement_id = records.measurement.id
    answer = client.post(f"/measurements/{measurement_id}/remove")
    assert answer.location == f"{plan_url(world)}#indicator-{records.indicator.id}"
    assert rows(Measurement) == []
    [event] = events("measurement", measurement_id)
    assert event.action == "measurement.remove" and event.actor_id == world.capaci_coordinator.id
    assert "The measurement is removed." in text(client.get(answer.location))


def test_the_remove_button_needs_its_csrf_token(make_app, cast, records, login_as):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    page = client.get("/login")
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html(page)).group(1)
    client.post(
        "/login",
        data={"email": cast.coordinator.email, "password": PASSWORD, "csrf_token": token},
    )
    assert client.get(f"/indicators/{records.indicator.id}/edit").status_code == 200
    refused = client.post(f"/measurements/{records.measurement.id}/remove")
    assert refused.status_code == 400
    assert "The form had expired or did not come from this site" in text(refused)
    assert len(rows(Measurement)) == 1


# Risks


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"description": ""}, "description", "Describe the risk."),
        ({"description": "x" * 5001}, "description", "longer than 5000"),
        ({"likelihood": ""}, "likelihood", "Choose how likely the risk is."),
        ({"impact": "enormous"}, "impact", "Not a valid choice"),
        ({"mitigation": "x" * 5001}, "mitigation", "longer than 5000"),
        ({"owner": "x" * 201}, "owner", "longer than 200"),
    ],
)
def test_the_risk_form_refuses_bad_input_at_the_field(
    client, cast, world, login_as, changes, field, message
):
    login_as(cast.coordinator)
    data = risk_form(**changes)
    answer = client.post(f"/pairings/{world.pairing.id}/risks/new", data=data)
    assert answer.status_code == 200
    assert message in field_error(answer, field)
    assert input_value(answer, "owner") == data["owner"]
    assert input_value(answer, "description") == data["description"]
    assert rows(Risk) == []


def test_a_risk_is_added_once_and_its_status_changes_are_recorded(client, cast, world, login_as):
    login_as(cast.coordinator)
    data = risk_form()
    url = f"/pairings/{world.pairing.id}/risks/new"
    client.post(url, data=data)
    client.post(url, data=data)
    [risk] = rows(Risk)
    edit = f"/risks/{risk.id}/edit"
    assert checked(client.get(edit), "likelihood") == "medium"
    client.post(edit, data=edit_data(risk_form(status="mitigated"), 1))
    client.post(edit, data=edit_data(risk_form(status="mitigated", owner="City"), 2))
    assert [(c.from_status, c.to_status) for c in rows(RiskChange)] == [
        (None, "open"),
        ("open", "mitigated"),
    ]
    assert rows(Risk)[0].owner == "City"


def test_a_risk_changed_meanwhile_shows_the_conflict(app, cast, world, records, login_as):
    mine, theirs = app.test_client(), app.test_client()
    login_as(cast.coordinator, the_client=mine)
    login_as(world.capaci_coordinator, the_client=theirs)
    risk = records.risk
    url = f"/risks/{risk.id}/edit"
    same = dict(description=risk.description, mitigation=risk.mitigation, owner=risk.owner)
    theirs.post(url, data=edit_data(risk_form(**same, likelihood="low"), 1))
    answer = mine.post(url, data=edit_data(risk_form(**same, status="closed"), 1))
    assert re.search(r"<dt>Likelihood</dt>\s*<dd>Low</dd>", html(answer))
    assert rows(Risk)[0].status == "open" and rows(RiskChange) == []
    mine.post(url, data=edit_data(risk_form(**same, status="closed", likelihood="low"), 2))
    assert rows(Risk)[0].status == "closed"
    assert [c.to_status for c in rows(RiskChange)] == ["closed"]
