"""The workbook of a pairing's progress report: one sheet per section (summary, activities,
actions, indicators, risks, history), with typed cells so that a funder's spreadsheet can
sort, filter and sum them. The text is in the reader's language (the view sets it)."""

from flask_babel import gettext as _

from exchange.activities.queries import NO_FEEDBACK
from exchange.practices.models import PracticeStatus
from exchange.reports import history
from exchange.reports.history import plain_number
from exchange.reports.queries import PairingReport
from exchange.reports.tabular import Formatted, Percent, Sheet, xlsx_bytes
from exchange.templating import current_language

AVERAGE_FORMAT = "0.0"


def pairing_xlsx(report: PairingReport) -> bytes:
    """The report as an XLSX workbook."""
    pairing = report.pairing
    sheets = [
        summary_sheet(report),
        activities_sheet(report),
        actions_sheet(report),
        indicators_sheet(report),
        risks_sheet(report),
        history_sheet(report),
    ]
    title = _("Progress report: %(pairing)s", pairing=pairing.title)
    return xlsx_bytes(sheets, title=title, language=current_language())


def _yes_no(value: bool) -> str:
    return _("Yes") if value else _("No")


def _average(summary) -> Formatted:
    return Formatted(summary.average, AVERAGE_FORMAT)


def _quantity(value) -> Formatted:
    return Formatted(plain_number(value), "General")


def summary_sheet(report: PairingReport) -> Sheet:
    return Sheet(
        _("Summary"),
        [_("Item"), _("Value")],
        [*_about(report), *_counts(report)],
        widths=[44, 80],
    )


def _about(report: PairingReport) -> list[tuple]:
    """Who, in which programme, where the pairing stands and over which period."""
    pairing = report.pairing
    health = report.health
    rows = [
        (_("Pairing"), pairing.title),
        (_("Programme"), pairing.programme.name),
        (_("Mentor city"), pairing.mentor.name),
        (_("Mentee city"), pairing.mentee.name),
        (_("Mentor's association"), _name(pairing.mentor_association)),
        (_("Mentee's association"), _name(pairing.mentee_association)),
        (_("Objective"), pairing.objective),
        (_("Status"), pairing.status_label),
        (_("Phase"), pairing.phase_label),
        (_("Pairing health"), health.label if health else _("Not judged (not active)")),
        (_("Reasons"), " ".join(str(reason) for reason in health.reasons) if health else ""),
        (_("Period from"), report.period.start or _("The start of the pairing")),
        (_("Period to"), report.period.end or _("No end")),
        (_("Generated on (UTC)"), report.now),
    ]
    if report.is_empty:
        rows.append((_("Note"), _("Nothing is logged for this pairing yet.")))
    return rows


def _counts(report: PairingReport) -> list[tuple]:
    """What happened in the period, and how the plan, risks and feedback stand."""
    participants = report.participants()
    actions = report.action_summary()
    feedback = report.feedback_total
    return [
        (_("Held activities"), len(report.held)),
        (_("Planned activities"), len(report.planned)),
        (_("Cancelled activities"), len(report.cancelled)),
        *((_("Participants: %(side)s", side=row.label), row.value) for row in participants.rows()),
        (_("Participants in all"), participants.total),
        (_("Held activities without a participant count"), participants.uncounted),
        (_("Actions done"), actions.done),
        (_("Actions in progress"), actions.in_progress),
        (_("Actions late"), actions.late),
        (_("Actions planned"), actions.planned),
        (_("Actions dropped"), actions.dropped),
        (_("Open risks"), len(report.open_risks)),
        (_("Feedback: average usefulness (1 to 5)"), _average(feedback)),
        (_("Feedback: ratings"), feedback.count),
    ]


def _name(organisation) -> str:
    return organisation.name if organisation is not None else ""


def activities_sheet(report: PairingReport) -> Sheet:
    header = [
        _("Date"),
        _("End date"),
        _("Type"),
        _("Title"),
        _("Format"),
        _("Status"),
        _("Host"),
        _("From the mentor city"),
        _("From the mentee city"),
        _("From the associations"),
        _("Others"),
        _("Outcomes"),
        _("Feedback average"),
        _("Feedback ratings"),
    ]
    rows = []
    for activity in report.activities:
        feedback = report.feedback.get(activity.id, NO_FEEDBACK)
        rows.append(
            (
                activity.start_date,
                activity.end_date,
                activity.type_label,
                activity.title,
                activity.format_label,
                activity.status_label,
                _name(activity.host),
                activity.participants_mentor,
                activity.participants_mentee,
                activity.participants_associations,
                activity.participants_others,
                (activity.outcomes or "").strip(),
                _average(feedback),
                feedback.count,
            )
        )
    widths = [12, 12, 22, 40, 12, 12, 24, 12, 12, 12, 12, 60, 12, 12]
    return Sheet(_("Activities"), header, rows, widths=widths)


def actions_sheet(report: PairingReport) -> Sheet:
    header = [
        _("Title"),
        _("Status"),
        _("Late"),
        _("Start"),
        _("Due"),
        _("Budget (EUR)"),
        _("Responsible"),
        _("Practice"),
    ]
    rows = [
        (
            action.title,
            action.status_label,
            _yes_no(action.is_overdue(report.today)),
            action.start_date,
            action.due_date,
            action.budget,
            action.responsible or "",
            _practice_title(action.practice),
        )
        for action in report.actions
    ]
    return Sheet(_("Actions"), header, rows, widths=[40, 14, 8, 12, 12, 14, 28, 36])


def indicators_sheet(report: PairingReport) -> Sheet:
    header = [
        _("Indicator"),
        _("Type"),
        _("Unit"),
        _("Baseline"),
        _("Target"),
        _("Latest value"),
        _("Measured on"),
        _("Progress"),
    ]
    rows = [
        (
            row.indicator.name,
            row.indicator.type_label,
            row.indicator.unit or "",
            _quantity(row.indicator.baseline),
            _quantity(row.indicator.target),
            _quantity(row.value),
            row.latest.measured_on if row.latest else None,
            Percent(row.progress),
        )
        for row in report.indicators
    ]
    return Sheet(_("Indicators"), header, rows, widths=[40, 12, 14, 12, 12, 12, 12, 10])


def risks_sheet(report: PairingReport) -> Sheet:
    header = [
        _("Risk"),
        _("Likelihood"),
        _("Impact"),
        _("Status"),
        _("Owner"),
        _("Mitigation"),
    ]
    rows = [
        (
            risk.description,
            risk.likelihood_label,
            risk.impact_label,
            risk.status_label,
            risk.owner or "",
            risk.mitigation or "",
        )
        for risk in report.risks
    ]
    return Sheet(_("Risks"), header, rows, widths=[50, 12, 12, 12, 24, 50])


def history_sheet(report: PairingReport) -> Sheet:
    """The same rows as the CSV, read as the sheet is written."""
    pairing = report.pairing
    return Sheet(
        _("History"),
        history.header(pairing.time_zone),
        history.rows(pairing.id, report.period, pairing.time_zone),
        widths=[12, 10, 24, 18, 40, 24, 24, 10, 10, 28, 40],
    )


def _practice_title(practice) -> str:
    """A draft practice's title stays with its editors (as on the plan page)."""
    if practice is None:
        return ""
    if practice.status != PracticeStatus.PUBLISHED:
        return _("A practice that is not published now")
    return practice.title
