"""The charts of a report: months grouped into quarters and years when there are many, bars
in proportion to their numbers, nothing to show handled, the numbers in words."""

import datetime as dt
import re
from decimal import Decimal
from types import SimpleNamespace

import pytest
from flask import render_template_string

from exchange.reports import charts
from exchange.reports.period import Period
from exchange.reports.queries import ActionSummary


@pytest.fixture
def request_context(app):
    with app.test_request_context():
        yield


def activity(day: dt.date, status: str = "held"):
    return SimpleNamespace(start_date=day, status=status)


def indicator_row(name: str, progress: float | None, indicator_id: int = 1):
    return SimpleNamespace(
        indicator=SimpleNamespace(id=indicator_id, name=name, baseline=Decimal(0)),
        progress=progress,
    )


D = dt.date


@pytest.mark.parametrize(
    ("first", "last", "unit", "count"),
    [
        (D(2026, 3, 10), D(2026, 3, 20), "month", 1),
        (D(2026, 1, 15), D(2026, 12, 1), "month", 12),
        (D(2026, 1, 1), D(2027, 1, 1), "quarter", 5),
        (D(2026, 2, 1), D(2028, 12, 31), "quarter", 12),
        (D(2026, 1, 1), D(2029, 1, 1), "year", 4),
        (D(2000, 1, 1), D(2031, 12, 31), "year", 32),
    ],
)
def test_buckets_are_months_quarters_or_years(request_context, first, last, unit, count):
    assert charts.unit_for(first, last) == unit
    found = charts.buckets(first, last)
    assert len(found) == count
    assert found[0].start <= first < charts._next_start(found[0].start, unit)
    assert found[-1].start <= last


def test_bucket_labels_are_short_on_the_axis_and_long_in_words(request_context):
    months = charts.buckets(D(2026, 3, 5), D(2026, 4, 1), "month")
    assert [(b.label, b.long_label) for b in months] == [
        ("Mar 2026", "March 2026"),
        ("Apr 2026", "April 2026"),
    ]
    quarters = charts.buckets(D(2026, 2, 1), D(2026, 8, 1), "quarter")
    assert [b.label for b in quarters] == ["Q1 2026", "Q2 2026", "Q3 2026"]
    assert [b.start for b in quarters] == [D(2026, 1, 1), D(2026, 4, 1), D(2026, 7, 1)]
    assert charts.buckets(D(2026, 2, 1), D(2027, 8, 1), "year")[1].label == "2027"


@pytest.mark.parametrize(
    ("largest", "ticks"),
    [
        (0, [0, 1]),
        (1, [0, 1]),
        (3, [0, 1, 2, 3]),
        (5, [0, 1, 2, 3, 4, 5]),
        (7, [0, 2, 4, 6, 8]),
        (12, [0, 5, 10, 15]),
        (100, [0, 20, 40, 60, 80, 100]),
        (130, [0, 50, 100, 150]),
    ],
)
def test_ticks_are_round_numbers(largest, ticks):
    assert charts.nice_ticks(largest) == ticks


def test_activities_are_counted_per_month_of_the_period(request_context):
    period = Period(D(2026, 1, 1), D(2026, 3, 31))
    chart = charts.activity_chart(
        [
            activity(D(2026, 1, 5)),
            activity(D(2026, 1, 20)),
            activity(D(2026, 1, 25)),
            activity(D(2026, 1, 28)),
            activity(D(2026, 3, 2)),
            activity(D(2026, 3, 9)),
            activity(D(2026, 3, 30), "planned"),
            activity(D(2026, 2, 10), "cancelled"),  # not charted
        ],
        period,
    )
    assert chart.unit == "month"
    assert [g.bucket.label for g in chart.groups] == ["Jan 2026", "Feb 2026", "Mar 2026"]
    values = [[c.value for c in g.columns] for g in chart.groups]
    assert values == [[4, 0], [0, 0], [2, 1]]
    assert chart.totals() == {"held": 6, "planned": 1}


def test_column_heights_are_in_proportion(request_context):
    period = Period(D(2026, 1, 1), D(2026, 2, 28))
    chart = charts.activity_chart(
        [activity(D(2026, 1, 5))] * 4 + [activity(D(2026, 2, 5))] * 2, period
    )
    january, february = (g.columns[0] for g in chart.groups)
    plot = chart.bottom - chart.top
    assert [t.value for t in chart.ticks] == [0, 1, 2, 3, 4]
    assert january.height == plot  # the top tick is 4
    assert february.height == plot / 2
    for column in (january, february):
        assert column.y + column.height == pytest.approx(chart.bottom)
        assert chart.left <= column.x and column.x + column.width <= chart.right
    assert chart.ticks[0].position == chart.bottom and chart.ticks[-1].position == chart.top
    # Held and planned side by side, not overlapping
    held, planned = chart.groups[0].columns
    assert planned.x == pytest.approx(held.x + held.width)


def test_an_open_period_spans_the_activities(request_context):
    chart = charts.activity_chart(
        [activity(D(2025, 11, 3)), activity(D(2026, 2, 14), "planned")], Period()
    )
    assert [g.bucket.label for g in chart.groups] == [
        "Nov 2025",
        "Dec 2025",
        "Jan 2026",
        "Feb 2026",
    ]
    later = charts.activity_chart([activity(D(2026, 5, 3))], Period(start=D(2026, 4, 1)))
    assert [g.bucket.label for g in later.groups] == ["Apr 2026", "May 2026"]


def test_an_activity_begun_before_the_period_counts_in_its_first_month(request_context):
    chart = charts.activity_chart([activity(D(2026, 1, 30))], Period(D(2026, 2, 1), D(2026, 3, 31)))
    assert [[c.value for c in g.columns] for g in chart.groups] == [[1, 0], [0, 0]]


def test_a_long_span_is_charted_by_quarter_or_year(request_context):
    by_quarter = charts.activity_chart(
        [activity(D(2025, 1, 10)), activity(D(2026, 11, 3))], Period()
    )
    assert by_quarter.unit == "quarter" and by_quarter.title == "Activities per quarter"
    assert len(by_quarter.groups) == 8
    by_year = charts.activity_chart([], Period(D(2020, 1, 1), D(2030, 12, 31)))
    assert by_year.unit == "year" and len(by_year.groups) == 11


def test_no_activity_at_all_is_handled(request_context):
    empty = charts.activity_chart([], Period())
    assert empty.is_empty
    assert empty.description == "No activity was held or planned in the period."
    zeros = charts.activity_chart([], Period(D(2026, 1, 1), D(2026, 3, 31)))
    assert not zeros.is_empty
    assert all(c.height == 0 for g in zeros.groups for c in g.columns)
    assert [t.value for t in zeros.ticks] == [0, 1]
    assert "no activity was held or planned" in zeros.description


def test_the_activity_chart_in_words_lists_the_numbers(request_context):
    chart = charts.activity_chart(
        [activity(D(2026, 1, 5)), activity(D(2026, 1, 6)), activity(D(2026, 3, 1), "planned")],
        Period(D(2026, 1, 1), D(2026, 3, 31)),
    )
    assert chart.description == (
        "Activities per month, January 2026 to March 2026. "
        "January 2026: 2 held, 0 planned. March 2026: 0 held, 1 planned. "
        "None in the other periods shown."
    )


def test_action_bars_are_in_proportion_and_named(request_context):
    summary = ActionSummary(done=4, in_progress=2, planned=1, late=3, dropped=0)
    chart = charts.action_chart(summary)
    bars = {bar.key: bar for bar in chart.bars}
    assert [bar.label for bar in chart.bars] == [
        "Done",
        "In progress",
        "Planned",
        "Overdue",
        "Dropped",
    ]
    length = chart.right - chart.left
    assert [t.value for t in chart.ticks] == [0, 1, 2, 3, 4]
    assert bars["done"].width == length
    assert bars["in_progress"].width == length / 2
    assert bars["late"].width == pytest.approx(length * 3 / 4)
    assert bars["dropped"].width == 0 and bars["dropped"].text == "0"
    assert chart.description == (
        "10 actions in the plan. Done: 4. In progress: 2. Planned: 1. Overdue: 3. Dropped: 0."
    )
    rows = [bar.y for bar in chart.bars]
    assert rows == sorted(rows) and len(set(rows)) == 5
    assert chart.height > rows[-1] + chart.bar


def test_no_actions_is_handled(request_context):
    chart = charts.action_chart(ActionSummary())
    assert chart.is_empty
    assert chart.description == "The action plan has no actions yet."


def test_indicator_bars_show_the_share_of_the_way(request_context):
    chart = charts.indicator_chart(
        [
            indicator_row("Newcomers with a buddy", 0.45, 1),
            indicator_row("Volunteers trained", None, 2),
            indicator_row("Target reached", 1.0, 3),
            indicator_row("A name far too long to be written whole beside its bar", 0.0, 4),
        ]
    )
    half, unmeasured, full, long = chart.bars
    length = chart.right - chart.left
    assert half.width == pytest.approx(length * 0.45) and half.text == "45%"
    assert unmeasured.value is None and unmeasured.width == 0
    assert unmeasured.text == "Not measured yet"
    assert full.width == length and full.text == "100%"
    assert long.width == 0 and long.text == "0%"
    assert long.short_label.endswith("…") and len(long.short_label) <= charts.MAX_LABEL_CHARS
    assert [t.text for t in chart.ticks] == ["0%", "25%", "50%", "75%", "100%"]
    assert "Newcomers with a buddy: 45%" in chart.description
    assert "Volunteers trained: Not measured yet" in chart.description
    assert charts.indicator_chart([]).is_empty


def test_the_macros_draw_svg_with_its_words_and_a_table(request_context):
    chart = charts.activity_chart(
        [activity(D(2026, 1, 5)), activity(D(2026, 2, 6), "planned")],
        Period(D(2026, 1, 1), D(2026, 2, 28)),
    )
    html = render_template_string(
        '{% from "reports/_charts.html" import activities_chart %}{{ activities_chart(c) }}',
        c=chart,
    )
    assert '<svg class="chart-svg"' in html and 'role="img"' in html
    assert 'aria-labelledby="activities-chart-title"' in html
    assert 'aria-describedby="activities-chart-desc"' in html
    assert '<title id="activities-chart-title">Activities per month</title>' in html
    assert "January 2026: 1 held, 0 planned. February 2026: 0 held, 1 planned." in html
    assert 'fill="url(#activities-chart-hatch)"' in html  # planned: a pattern, not a colour
    assert re.search(r'<th scope="row">January 2026</th>\s*<td class="number">1</td>', html)
    assert "style=" not in html


def test_an_empty_chart_is_said_in_words_without_svg(request_context):
    html = render_template_string(
        '{% from "reports/_charts.html" import actions_chart %}{{ actions_chart(c) }}',
        c=charts.action_chart(ActionSummary()),
    )
    assert "<svg" not in html
    assert "The action plan has no actions yet." in html


def test_an_activity_that_began_before_a_period_with_only_a_start_counts(request_context):
    chart = charts.activity_chart(
        [activity(D(2026, 5, 30))],
        Period(D(2026, 6, 1), None),
    )
    assert not chart.is_empty
    assert "1 held" in chart.description
