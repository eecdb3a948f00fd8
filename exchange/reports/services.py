"""What a report changes: nothing but the audit trail. Each download is an audit event
saying who took which report of which pairing, in which format, language and period."""

from exchange import audit
from exchange.reports.period import Period

FORMATS = ("pdf", "csv", "xlsx")


def record_download(user, pairing, file_format: str, period: Period, language: str):
    """The download of a pairing's report (shown on the pairing's history tab)."""
    return audit.record(
        user,
        "pairing.report",
        pairing,
        format=file_format.upper(),
        period_from=period.start,
        period_to=period.end,
        language=language,
    )


def record_dashboard_download(user, file_format: str, filters: dict, language: str):
    """The download of the dashboard's report of the pairings `filters` select."""
    return audit.record_on(
        user,
        "dashboard.report",
        "dashboard",
        None,
        format=file_format.upper(),
        filters={key: str(value) for key, value in filters.items()},
        language=language,
    )
