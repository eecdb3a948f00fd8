"""The dashboard's downloads: the filtered pairings as CSV rows, as an XLSX workbook (a
"Pairings" sheet of typed cells and a "Totals" sheet) and as the context of the PDF.

Every format has the same columns in the same order, written in the language the view
chose (`in_language`). Spreadsheets get typed values (dates, whole numbers, percentages as
numbers from 0 to 100, empty when nothing was measured) so that they sort and sum.
"""

import datetime as dt
from collections.abc import Iterable, Iterator

from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from exchange.dashboard.forms import DashboardForm
from exchange.dashboard.queries import Row, Totals
from exchange.reports.tabular import Sheet, csv_stream, xlsx_bytes


def title() -> str:
    return _("Monitoring of the pairings")


def header() -> list[str]:
    return [
        _("ID"),
        _("Pairing"),
        _("Programme"),
        _("Mentor city"),
        _("Mentor country"),
        _("Mentor's association"),
        _("Mentee city"),
        _("Mentee country"),
        _("Mentee's association"),
        _("Status"),
        _("Phase"),
        _("Phase name"),
        _("Pairing health"),
        _("Reasons"),
        _("Last activity held"),
        _("Days since the last activity"),
        _("Activities held this year"),
        _("Overdue actions"),
        _("Indicator progress (%)"),
        _("Link"),
    ]


# Column widths of the Pairings sheet, in characters.
WIDTHS = [8, 36, 24, 20, 14, 20, 20, 14, 20, 16, 8, 30, 16, 50, 14, 12, 12, 12, 12, 40]


def health_text(row: Row) -> str:
    return row.verdict.label if row.verdict else _("Not judged")


def reasons_text(row: Row) -> str:
    return " ".join(str(reason) for reason in row.verdict.reasons) if row.verdict else ""


def _association(organisation) -> str:
    return organisation.display_name if organisation is not None else ""


def values(row: Row) -> list:
    """The row's cells, typed."""
    pairing = row.pairing
    return [
        pairing.id,
        pairing.title,
        pairing.programme.name,
        pairing.mentor.name,
        pairing.mentor.country,
        _association(pairing.mentor_association),
        pairing.mentee.name,
        pairing.mentee.country,
        _association(pairing.mentee_association),
        pairing.status_label,
        pairing.phase,
        pairing.phase_label,
        health_text(row),
        reasons_text(row),
        row.last_held_date,
        row.days_since_held,
        row.held_this_year,
        row.overdue,
        row.progress_percent,
        url_for("pairings.overview", pairing_id=pairing.id, _external=True),
    ]


def csv_lines(rows: Iterable[Row]) -> Iterator[str]:
    """The lines of the CSV (byte order mark first, cells neutralised), row by row."""
    return csv_stream(header(), (values(row) for row in rows))


def totals_rows(totals: Totals) -> list[tuple[str, int]]:
    """The totals as (label, number), in the order the page shows them."""
    return [
        (_("Pairings"), totals.pairings),
        (_("On track"), totals.green),
        (_("Needs attention"), totals.amber),
        (_("At risk"), totals.red),
        (_("Not judged (not active)"), totals.not_judged),
        (_("Activities held this year"), totals.held_this_year),
        (_("Overdue actions"), totals.overdue),
        (
            ngettext(
                "Active pairings without a held activity for %(num)d day or more",
                "Active pairings without a held activity for %(num)d days or more",
                totals.silent_days,
            ),
            totals.silent,
        ),
    ]


def chosen_filters(form: DashboardForm, filters: dict) -> list[tuple[str, str]]:
    """The filters in words, as (field label, chosen option), for the heading of a report."""
    described = []
    for name in DashboardForm.FILTERS:
        if name not in filters:
            continue
        field = form[name]
        labels = {str(choice.value): str(choice.label) for choice in field.choices}
        described.append((str(field.label.text), labels.get(str(filters[name]), "")))
    return described


def xlsx(rows: Iterable[Row], totals: Totals, described: list, today: dt.date, language: str):
    """The workbook: every filtered pairing, then the totals with the date and filters."""
    summary = [(_("Date of the report"), today)] + [(label, value) for label, value in described]
    summary += totals_rows(totals)
    return xlsx_bytes(
        [
            Sheet(_("Pairings"), header(), (values(row) for row in rows), widths=WIDTHS),
            Sheet(_("Totals"), [_("What"), _("Value")], summary, widths=[60, 40]),
        ],
        title=title(),
        language=language,
    )


def pdf_context(rows: Iterable[Row], totals: Totals, described: list, today: dt.date) -> dict:
    return {
        "title": title(),
        "rows": list(rows),
        "totals": totals,
        "totals_rows": totals_rows(totals),
        "described_filters": described,
        "today": today,
    }
