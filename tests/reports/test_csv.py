"""The CSV of a pairing: its event-level history, one row per event, oldest first."""

import datetime as dt

from exchange.db import db
from exchange.plans.models import ActionStatusChange
from tests import factories
from tests.reports.helpers import csv_rows, expected_rows, make_story
from tests.test_query_counts import count_queries

HEADER = [
    "Date",
    "Time (Europe/Brussels)",
    "Event",
    "Type",
    "Subject",
    "Before",
    "After",
    "Value",
    "Unit",
    "Organisation",
    "Note",
]


def download(client, login_as, user, story, query=""):
    login_as(user)
    return client.get(f"{story.url}.csv{query}")


def test_the_csv_is_the_history_of_the_pairing_oldest_first(client, login_as, cast):
    story = make_story(cast)
    response = download(client, login_as, cast.coordinator, story)
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    rows = csv_rows(response)
    assert rows[0] == HEADER
    body = rows[1:]
    assert [(r[0], r[1], r[2], r[4], r[9]) for r in body] == expected_rows(cast)
    days = [dt.date.fromisoformat(r[0]) for r in body]
    assert days == sorted(days)


def test_each_kind_of_event_says_what_changed(client, login_as, cast):
    story = make_story(cast)
    rows = csv_rows(download(client, login_as, cast.coordinator, story))[1:]
    by_subject = {(r[2], r[4]): r for r in rows}
    held = by_subject[("Activity", "Kick-off in Mechelen")]
    assert (held[3], held[6], held[7], held[8]) == ("Kick-off", "Held", "10", "participants")
    assert by_subject[("Activity", "Online exchange")][6] == "Cancelled"
    planned = by_subject[("Activity", "Study visit 2")]
    assert (planned[3], planned[6], planned[7]) == ("Study visit 2", "Planned", "")
    measured = by_subject[("Indicator measured", "Newcomers with a buddy")]
    assert (measured[3], measured[7], measured[8], measured[10]) == (
        "Output",
        "12.5",
        "people",
        "First count",
    )
    added = by_subject[("Action added", "Recruit the first ten buddies")]
    assert (added[5], added[6]) == ("", "Planned")
    done = by_subject[("Action status changed", "Recruit the first ten buddies")]
    assert (done[5], done[6]) == ("Planned", "Done")
    mitigated = by_subject[("Risk status changed", "Too few volunteers sign up.")]
    assert (mitigated[5], mitigated[6]) == ("Open", "Mitigated")
    plan = by_subject[("Action plan status changed", "Action plan")]
    assert (plan[5], plan[6]) == ("Draft", "Consolidated")
    back = next(r for r in rows if r[2] == "Phase moved back")
    assert back[5] == "Phase 2 of 8: Benchmarking"
    assert back[10] == "The needs were not clear yet."
    accepted = by_subject[("Pairing step", "Accepted")]
    assert (accepted[5], accepted[6]) == ("Proposed", "Accepted, waiting for confirmation")


def test_no_personal_name_or_email_of_an_actor(client, login_as, cast):
    story = make_story(cast)
    body = download(client, login_as, cast.coordinator, story).get_data(as_text=True)
    for user in (cast.coordinator, cast.other_coordinator, cast.officer, cast.participant):
        assert user.name not in body
        assert user.email not in body
    assert "@" not in body


def test_cells_that_start_like_a_formula_are_neutralised(client, login_as, cast):
    story = make_story(cast)
    titles = ['=HYPERLINK("http://evil.example")', "+1", "-1", "@x", "\tx"]
    for number, title in enumerate(titles):
        factories.make_activity(story.pairing, title=title, start_date=dt.date(2025, 7, 1 + number))
    factories.make_indicator(
        story.pairing, name="Balance", measurements=[(dt.date(2025, 7, 20), "-3")]
    )
    db.session.commit()
    rows = csv_rows(download(client, login_as, cast.coordinator, story))
    subjects = [r[4] for r in rows if r[2] == "Activity"]
    for title in titles:
        assert "'" + title in subjects
    balance = next(r for r in rows if r[4] == "Balance")
    assert balance[7] == "-3"  # a number stays a number


def test_the_period_limits_the_rows(client, login_as, cast):
    story = make_story(cast)
    rows = csv_rows(
        download(client, login_as, cast.coordinator, story, "?from=2025-02-20&to=2025-03-31")
    )[1:]
    assert [r[0] for r in rows] == [
        "2025-02-20",
        "2025-02-25",
        "2025-03-01",
        "2025-03-15",
        "2025-03-31",
    ]


def test_the_period_is_counted_in_local_days(client, login_as, cast):
    """An action added at 23:30 UTC on 9 July is on 10 July in Brussels."""
    story = make_story(cast)
    db.session.add(
        ActionStatusChange(
            action=story.action,
            pairing_id=story.pairing.id,
            from_status="done",
            to_status="in_progress",
            changed_dt=dt.datetime(2025, 7, 9, 23, 30, tzinfo=dt.UTC),
        )
    )
    db.session.commit()
    rows = csv_rows(
        download(client, login_as, cast.coordinator, story, "?from=2025-07-10&to=2025-07-10")
    )[1:]
    assert [(r[0], r[1], r[2]) for r in rows] == [("2025-07-10", "01:30", "Action status changed")]
    none = csv_rows(client.get(f"{story.url}.csv?from=2025-07-09&to=2025-07-09"))[1:]
    assert none == []


def test_french_headers_with_lang(client, login_as, cast):
    story = make_story(cast)
    rows = csv_rows(download(client, login_as, cast.coordinator, story, "?lang=fr"))
    assert rows[0][0] == "Date"
    assert {"Valeur", "Unité", "Organisation", "Remarque"} <= set(rows[0])
    assert "Value" not in rows[0]


def test_the_csv_is_streamed_in_a_fixed_number_of_queries(app, client, login_as, cast):
    story = make_story(cast)
    login_as(cast.coordinator)

    def queries_and_rows():
        with count_queries(db.engine) as statements:
            response = client.get(f"{story.url}.csv")
            assert response.is_streamed
            rows = csv_rows(response)
        return len(statements), len(rows)

    few_queries, few_rows = queries_and_rows()
    for number in range(30):
        factories.make_activity(story.pairing, title=f"Visit {number}")
        factories.make_indicator(
            story.pairing, name=f"Indicator {number}", measurements=[(dt.date(2025, 8, 1), 1)]
        )
    db.session.commit()
    many_queries, many_rows = queries_and_rows()
    assert many_rows == few_rows + 60
    assert many_queries == few_queries


def test_an_activity_that_began_before_the_period_is_in_it_as_in_the_report(client, login_as, cast):
    story = make_story(cast)
    factories.make_activity(
        story.pairing,
        title="Training academy across the month's end",
        start_date=dt.date(2025, 5, 30),
        end_date=dt.date(2025, 6, 2),
    )
    db.session.commit()
    query = "?from=2025-06-01&to=2025-06-30"
    subjects = [r[4] for r in csv_rows(download(client, login_as, cast.coordinator, story, query))]
    assert "Training academy across the month's end" in subjects
    page = client.get(f"{story.url}{query}").get_data(as_text=True)
    assert "Training academy across the month&#39;s end" in page
