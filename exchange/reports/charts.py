"""The charts of a pairing's report: activities over time, actions by status, indicator
progress.

The geometry (bar positions and sizes, axis ticks) is computed here, where it can be
tested; templates/reports/_charts.html only draws it as SVG, with a text alternative and
a table of the same numbers, identical in the page and in the PDF. Every chart is drawn
in a fixed coordinate space (the SVG's viewBox) that CSS scales to the page.
"""

import datetime as dt
import math
from dataclasses import dataclass, replace

from flask_babel import format_date, format_decimal, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from exchange.activities.models import ActivityStatus
from exchange.i18n import percent

WIDTH = 640
# Above this many months, activities are counted by quarter; above this many quarters, by year.
MAX_MONTHS = 12
MAX_QUARTERS = 12
MAX_LABEL_CHARS = 30  # longer names are shortened in the drawing (the table has them whole)


# Buckets of time


@dataclass(frozen=True)
class Bucket:
    """A month, quarter or year of the chart: its first day, a short label for the axis
    and a long one for the text alternative and the table."""

    start: dt.date
    label: str
    long_label: str


def unit_for(first: dt.date, last: dt.date) -> str:
    """Months for up to a year, quarters for up to three, years beyond: a dozen bars or so."""
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    if months <= MAX_MONTHS:
        return "month"
    if math.ceil(months / 3) <= MAX_QUARTERS:
        return "quarter"
    return "year"


def bucket_start(day: dt.date, unit: str) -> dt.date:
    if unit == "month":
        return day.replace(day=1)
    if unit == "quarter":
        return dt.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    return dt.date(day.year, 1, 1)


def _next_start(start: dt.date, unit: str) -> dt.date:
    months = {"month": 1, "quarter": 3, "year": 12}[unit]
    index = start.year * 12 + start.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def buckets(first: dt.date, last: dt.date, unit: str | None = None) -> list[Bucket]:
    """The months (quarters, years) from the one holding `first` to the one holding `last`."""
    unit = unit or unit_for(first, last)
    found = []
    start = bucket_start(first, unit)
    while start <= last:
        found.append(Bucket(start, *_labels(start, unit)))
        start = _next_start(start, unit)
    return found


def _labels(start: dt.date, unit: str) -> tuple[str, str]:
    if unit == "month":
        return format_date(start, "MMM y"), format_date(start, "MMMM y")
    if unit == "quarter":
        return format_date(start, "QQQ y"), format_date(start, "QQQQ y")
    return format_date(start, "y"), format_date(start, "y")


# Axes


def nice_ticks(largest: float, most: int = 5) -> list[int]:
    """Whole-number ticks from 0 to a round value at or above `largest` (1, 2 or 5 times a
    power of ten apart), at most `most` steps; 0 and 1 when there is nothing to show."""
    if largest <= 0:
        return [0, 1]
    step = 1
    while math.ceil(largest / step) > most:
        step = _next_step(step)
    top = math.ceil(largest / step) * step
    return list(range(0, top + 1, step))


def _next_step(step: int) -> int:
    """1, 2, 5, 10, 20, 50, ..."""
    magnitude = 10 ** int(math.log10(step))
    leading = step // magnitude
    return {1: 2, 2: 5, 5: 10}[leading] * magnitude


def _scale(value: float, top: float, length: float) -> float:
    return round(value / top * length, 2) if top else 0.0


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL_CHARS else label[: MAX_LABEL_CHARS - 1] + "…"


def _number(value) -> str:
    return format_decimal(value)


# Activities per month: columns in groups, one column per series


@dataclass(frozen=True)
class Series:
    key: str  # "held" or "planned": the SVG pattern that tells them apart besides the legend
    label: str


@dataclass(frozen=True)
class Column:
    series: str
    value: int
    text: str  # the number written above it
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Group:
    bucket: Bucket
    columns: list[Column]
    label_x: float  # the middle of the group, under which its label is written
    show_label: bool  # with many groups, every other label is left out of the axis


@dataclass(frozen=True)
class Tick:
    value: int
    text: str
    position: float  # y of a vertical axis, x of a horizontal one


@dataclass(frozen=True)
class ColumnChart:
    key: str
    title: str
    description: str
    unit: str  # month, quarter or year
    unit_label: str  # the table's first column
    series: list[Series]
    groups: list[Group]
    ticks: list[Tick]
    width: int = WIDTH
    height: int = 280
    left: int = 48
    right: int = WIDTH - 12
    top: int = 44
    bottom: int = 236

    @property
    def is_empty(self) -> bool:
        return not self.groups

    def totals(self) -> dict[str, int]:
        found = dict.fromkeys((s.key for s in self.series), 0)
        for column in (c for g in self.groups for c in g.columns):
            found[column.series] += column.value
        return found


TITLES = {
    "month": _l("Activities per month"),
    "quarter": _l("Activities per quarter"),
    "year": _l("Activities per year"),
}
UNIT_LABELS = {"month": _l("Month"), "quarter": _l("Quarter"), "year": _l("Year")}


def activity_chart(activities, period, key: str = "activities-chart") -> ColumnChart:
    """Held and planned activities per month (quarter, year) over the period, or over the
    activities' own span on a side the period leaves open."""
    counted = [a for a in activities if a.status in (ActivityStatus.HELD, ActivityStatus.PLANNED)]
    days = [a.start_date for a in counted]
    first = period.start or (min(days) if days else None)
    # an activity that began before a period with only a start counts in its first month
    last = period.end or (max(max(days), first) if days else None)
    unit = unit_for(first, last) if first and last and first <= last else "month"
    chart = ColumnChart(
        key=key,
        title=str(TITLES[unit]),
        description=_("No activity was held or planned in the period."),
        unit=unit,
        unit_label=str(UNIT_LABELS[unit]),
        series=[Series("held", _("Held")), Series("planned", _("Planned"))],
        groups=[],
        ticks=[],
    )
    if not (first and last and first <= last):
        return chart
    slots = buckets(first, last, unit)
    counts = {(b.start, s.key): 0 for b in slots for s in chart.series}
    for activity in counted:
        # One that began before the period (and goes on into it) counts in its first slot.
        day = min(max(activity.start_date, first), last)
        counts[(bucket_start(day, unit), activity.status)] += 1
    values = nice_ticks(max(counts.values()))
    groups = _column_groups(chart, slots, counts, values[-1])
    plot = chart.bottom - chart.top
    ticks = [Tick(v, _number(v), chart.bottom - _scale(v, values[-1], plot)) for v in values]
    return replace(
        chart, groups=groups, ticks=ticks, description=_activity_description(chart.title, groups)
    )


def _column_groups(chart: ColumnChart, slots, counts, top: int) -> list[Group]:
    slot_width = (chart.right - chart.left) / len(slots)
    group_width = slot_width * 0.7
    column_width = group_width / len(chart.series)
    label_every = math.ceil(len(slots) / 12)
    plot_height = chart.bottom - chart.top
    groups = []
    for i, bucket in enumerate(slots):
        x0 = chart.left + i * slot_width + (slot_width - group_width) / 2
        columns = []
        for j, series in enumerate(chart.series):
            value = counts[(bucket.start, series.key)]
            height = _scale(value, top, plot_height)
            columns.append(
                Column(
                    series=series.key,
                    value=value,
                    text=_number(value),
                    x=round(x0 + j * column_width, 2),
                    y=round(chart.bottom - height, 2),
                    width=round(column_width, 2),
                    height=height,
                )
            )
        groups.append(
            Group(
                bucket=bucket,
                columns=columns,
                label_x=round(x0 + group_width / 2, 2),
                show_label=i % label_every == 0,
            )
        )
    return groups


def _activity_description(title: str, groups: list[Group]) -> str:
    """The chart in words: each month (quarter, year) with activities and its numbers."""
    first, last = groups[0].bucket.long_label, groups[-1].bucket.long_label
    span = first if first == last else _("%(first)s to %(last)s", first=first, last=last)
    busy = [g for g in groups if any(c.value for c in g.columns)]
    if not busy:
        return _("%(title)s, %(span)s: no activity was held or planned.", title=title, span=span)
    parts = [
        _(
            "%(when)s: %(held)s held, %(planned)s planned",
            when=g.bucket.long_label,
            held=g.columns[0].text,
            planned=g.columns[1].text,
        )
        for g in busy
    ]
    text = " ".join([_("%(title)s, %(span)s.", title=title, span=span)] + [f"{p}." for p in parts])
    if len(busy) < len(groups):
        text += " " + _("None in the other periods shown.")
    return text


# Bars across: actions by status, indicator progress


@dataclass(frozen=True)
class Bar:
    key: str
    label: str  # whole, for the table and the text alternative
    short_label: str  # for the drawing
    value: float | None  # None: nothing to show (an indicator not measured yet)
    text: str  # the number (or words) written after the bar
    y: float
    width: float
    text_x: float


@dataclass(frozen=True)
class BarChart:
    key: str
    title: str
    description: str
    bars: list[Bar]
    ticks: list[Tick]
    value_label: str  # the table's number column
    width: int = WIDTH
    left: int = 230  # where the bars start; their names are written before
    right: int = WIDTH - 90  # where a full bar ends; room for its number after it
    top: int = 12
    row: int = 30
    bar: int = 18

    @property
    def height(self) -> int:
        return self.top + len(self.bars) * self.row + 28

    @property
    def axis_y(self) -> int:
        return self.top + len(self.bars) * self.row

    @property
    def is_empty(self) -> bool:
        return not self.bars


def _bars(chart: BarChart, items, top: float) -> BarChart:
    """`items` are (key, label, value, text): bars proportional to value / top."""
    length = chart.right - chart.left
    bars = []
    for i, (key, label, value, text) in enumerate(items):
        width = _scale(value or 0, top, length)
        bars.append(
            Bar(
                key=key,
                label=label,
                short_label=_short(label),
                value=value,
                text=text,
                y=chart.top + i * chart.row + (chart.row - chart.bar) / 2,
                width=width,
                text_x=round(chart.left + width + 6, 2),
            )
        )
    return replace(chart, bars=bars)


def _axis(chart: BarChart, values: list[int], texts: list[str]) -> list[Tick]:
    top = values[-1]
    return [
        Tick(v, t, round(chart.left + _scale(v, top, chart.right - chart.left), 2))
        for v, t in zip(values, texts, strict=True)
    ]


def action_chart(summary, key: str = "actions-chart") -> BarChart:
    """The plan's actions in the groups of an ActionSummary, one bar each."""
    items = [
        ("done", _("Done"), summary.done),
        ("in_progress", _("In progress"), summary.in_progress),
        ("planned", _("Planned"), summary.planned),
        ("late", _("Overdue"), summary.late),
        ("dropped", _("Dropped"), summary.dropped),
    ]
    chart = BarChart(
        key=key,
        title=_("Actions by status"),
        description="",
        bars=[],
        ticks=[],
        value_label=_("Actions"),
    )
    if not summary.total:
        return replace(chart, description=_("The action plan has no actions yet."))
    ticks = nice_ticks(max(value for _key, _label, value in items))
    chart = _bars(chart, [(k, label, v, _number(v)) for k, label, v in items], ticks[-1])
    words = " ".join(
        _("%(status)s: %(num)s.", status=label, num=_number(value)) for _key, label, value in items
    )
    description = (
        ngettext("%(num)d action in the plan.", "%(num)d actions in the plan.", summary.total)
        + " "
        + words
    )
    return replace(
        chart, ticks=_axis(chart, ticks, [_number(t) for t in ticks]), description=description
    )


def indicator_chart(rows, key: str = "indicators-chart") -> BarChart:
    """One bar per indicator: how far its latest measurement got from baseline to target."""
    chart = BarChart(
        key=key,
        title=_("Indicator progress"),
        description="",
        bars=[],
        ticks=[],
        value_label=_("Progress"),
    )
    if not rows:
        return replace(chart, description=_("No indicators yet."))
    items = []
    for row in rows:
        share = row.progress
        if share is None:
            items.append((str(row.indicator.id), row.indicator.name, None, _("Not measured yet")))
        else:
            pct = round(share * 100, 1)
            items.append((str(row.indicator.id), row.indicator.name, pct, percent(pct)))
    chart = _bars(chart, items, 100)
    words = " ".join(
        _("%(name)s: %(progress)s.", name=bar.label, progress=bar.text) for bar in chart.bars
    )
    description = (
        _("Share of the way from the baseline to the target reached by each indicator.")
        + " "
        + words
    )
    steps = [0, 25, 50, 75, 100]
    return replace(
        chart, ticks=_axis(chart, steps, [percent(v) for v in steps]), description=description
    )


@dataclass(frozen=True)
class Charts:
    activities: ColumnChart
    actions: BarChart
    indicators: BarChart


def for_report(report) -> Charts:
    """The three charts of a PairingReport, in the current language."""
    return Charts(
        activities=activity_chart(report.activities, report.period),
        actions=action_chart(report.action_summary()),
        indicators=indicator_chart(report.indicators),
    )
