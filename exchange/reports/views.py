"""A pairing's progress report: the page (/pairings/<id>/report) and its downloads (.pdf,
.csv, .xlsx), each with an optional period `?from=YYYY-MM-DD&to=YYYY-MM-DD`; a download
also takes `?lang=` (en, nl, fr) to be written in another language than the reader's.

Outsiders get 404 for every format. A bad period is shown next to its field on the page and
answers 400 to a download. Each download is an audit event, committed before the file is
sent (the CSV is streamed after it).
"""

import contextlib
import re
import unicodedata

from flask import Blueprint, Response, render_template, request, stream_with_context
from flask_babel import force_locale
from flask_login import current_user
from markupsafe import Markup

from exchange import markdown_text
from exchange.activities.wording import average_text, when
from exchange.db import db, utcnow
from exchange.errors import render_error
from exchange.pairings import queries as pairing_queries
from exchange.reports import charts, exports, history, services
from exchange.reports import queries as report_queries
from exchange.reports.forms import ReportForm
from exchange.reports.pdf import render_pdf
from exchange.reports.tabular import CSV_MIMETYPE, XLSX_MIMETYPE, csv_stream
from exchange.templating import current_language

bp = Blueprint("reports", __name__)


@bp.context_processor
def report_helpers() -> dict:
    return {"markdown": report_markdown, "when": when, "average_text": average_text}


def report_markdown(text: str | None) -> Markup:
    """A user's Markdown inside a report: its headings go below the report's own (h5, h6),
    so that they neither break the outline nor become bookmarks of the PDF."""
    html = str(markdown_text.render(text))
    html = re.sub(
        r"<(/?)h([2-6])>", lambda m: f"<{m.group(1)}h{min(6, int(m.group(2)) + 3)}>", html
    )
    return Markup(html)


@bp.get("/pairings/<int:pairing_id>/report")
def pairing(pairing_id: int):
    pairing = pairing_queries.details_or_404(pairing_id, current_user)
    now = utcnow()
    form = ReportForm(formdata=request.args, today=now.date())
    report = None
    if form.validate():
        report = report_queries.pairing_report(pairing, form.period, now)
    status = 200 if report is not None else 400
    return render_template(
        "reports/pairing.html",
        pairing=pairing,
        form=form,
        report=report,
        charts=charts.for_report(report) if report is not None else None,
    ), status


@bp.get("/pairings/<int:pairing_id>/report.pdf")
def pairing_pdf(pairing_id: int):
    pairing, form, refusal = _download_options(pairing_id)
    if refusal:
        return refusal
    with in_language(form.language):
        report = report_queries.pairing_report(pairing, form.period, utcnow())
        html = render_template(
            "reports/pdf/pairing.html", report=report, charts=charts.for_report(report)
        )
        data = render_pdf(html)
        language = current_language()
    _record(pairing, "pdf", form, language)
    return attachment(data, "application/pdf", file_name(pairing, "pdf"))


@bp.get("/pairings/<int:pairing_id>/report.xlsx")
def pairing_xlsx(pairing_id: int):
    pairing, form, refusal = _download_options(pairing_id)
    if refusal:
        return refusal
    with in_language(form.language):
        report = report_queries.pairing_report(pairing, form.period, utcnow())
        data = exports.pairing_xlsx(report)
        language = current_language()
    _record(pairing, "xlsx", form, language)
    return attachment(data, XLSX_MIMETYPE, file_name(pairing, "xlsx"))


@bp.get("/pairings/<int:pairing_id>/report.csv")
def pairing_csv(pairing_id: int):
    pairing, form, refusal = _download_options(pairing_id)
    if refusal:
        return refusal
    with in_language(form.language):
        language = current_language()
    _record(pairing, "csv", form, language)
    pairing_id, period, time_zone = pairing.id, form.period, pairing.time_zone

    @stream_with_context
    def lines():
        with in_language(language):
            yield from csv_stream(
                history.header(time_zone), history.rows(pairing_id, period, time_zone)
            )

    return attachment(lines(), CSV_MIMETYPE, file_name(pairing, "csv"))


# Shared by the downloads (the dashboard's too)


def _download_options(pairing_id: int):
    """The pairing (404 for outsiders, before anything else), the valid options, or the
    400 answer that says what is wrong with them."""
    pairing = pairing_queries.details_or_404(pairing_id, current_user)
    form = ReportForm(formdata=request.args, today=utcnow().date())
    if not form.validate():
        return pairing, form, refuse(form)
    return pairing, form, None


def refuse(form: ReportForm):
    """A 400 page naming each wrong option."""
    return render_error(400, " ".join(form.messages()))


def _record(pairing, file_format: str, form: ReportForm, language: str) -> None:
    services.record_download(current_user, pairing, file_format, form.period, language)
    db.session.commit()


@contextlib.contextmanager
def in_language(language: str | None):
    """Render in `language` (a download's ?lang=), else in the reader's own."""
    if language:
        with force_locale(language):
            yield
    else:
        yield


def slug(text: str) -> str:
    """ASCII letters, digits and dashes: a file name every system accepts."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]+", "-", plain).strip("-").lower()[:60] or "pairing"


def file_name(pairing, extension: str) -> str:
    today = utcnow().date().isoformat()
    parties = f"{slug(pairing.mentor.name)}-{slug(pairing.mentee.name)}"
    return f"city-exchange-report-{parties}-{today}.{extension}"


def attachment(body, mimetype: str, name: str) -> Response:
    response = Response(body, content_type=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
