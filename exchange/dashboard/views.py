"""The monitoring dashboard (/dashboard) and its reports of the filtered set (.csv, .xlsx,
.pdf): every pairing the user follows, with its health and reasons, last held activity,
activities this year, overdue actions and indicator progress.

Coordinators see their own city's pairings, association officers their association's,
admins all; participants get 404 (they read their pairings' own reports). Filters are a
GET form: a value that is not a choice is ignored, never an error. A download takes the
same filters and `?lang=`; a language we do not write answers 400. Each download is an
audit event, committed before the file is sent (the CSV is streamed after it).
"""

from flask import Blueprint, render_template, request, stream_with_context
from flask_login import current_user

from exchange.accounts.models import User
from exchange.dashboard import exports, queries
from exchange.dashboard.forms import SORTS, DashboardForm
from exchange.db import db, utcnow
from exchange.pairings import queries as pairing_queries
from exchange.reports.pdf import render_pdf
from exchange.reports.services import record_dashboard_download
from exchange.reports.tabular import CSV_MIMETYPE, XLSX_MIMETYPE
from exchange.reports.views import attachment, in_language, refuse
from exchange.security import require
from exchange.templating import current_language
from exchange.web import page_number

bp = Blueprint("dashboard", __name__)


@bp.get("/dashboard")
def index():
    form, filters = _filters()
    now = utcnow()
    totals = queries.totals(current_user, filters, now)
    page = queries.rows_page(
        current_user, filters, now, page_number(), pairing_queries.page_size(), totals.pairings
    )
    return render_template(
        "dashboard/index.html",
        form=form,
        filters=filters,
        totals=totals,
        totals_rows=exports.totals_rows(totals),
        page=page,
        sort_label=SORTS[filters["sort"]],
    )


@bp.get("/dashboard/report.csv")
def report_csv():
    form, filters = _filters()
    if form.has_bad_language:
        return refuse(form)
    with in_language(form.language):
        language = current_language()
    _record("csv", filters, language)
    # The commit above expired the user, and the request's session is gone by the time the
    # body is streamed: the generator loads the user again in its own session.
    user_id, now = current_user.id, utcnow()

    @stream_with_context
    def lines():
        with in_language(language):
            user = db.session.get(User, user_id)
            yield from exports.csv_lines(queries.all_rows(user, filters, now))

    return attachment(lines(), CSV_MIMETYPE, file_name("csv"))


@bp.get("/dashboard/report.xlsx")
def report_xlsx():
    form, filters = _filters()
    if form.has_bad_language:
        return refuse(form)
    now = utcnow()
    with in_language(form.language):
        totals = queries.totals(current_user, filters, now)
        rows = queries.all_rows(current_user, filters, now)
        described = exports.chosen_filters(form, filters)
        language = current_language()
        data = exports.xlsx(rows, totals, described, now.date(), language)
    _record("xlsx", filters, language)
    return attachment(data, XLSX_MIMETYPE, file_name("xlsx"))


@bp.get("/dashboard/report.pdf")
def report_pdf():
    form, filters = _filters()
    if form.has_bad_language:
        return refuse(form)
    now = utcnow()
    with in_language(form.language):
        totals = queries.totals(current_user, filters, now)
        rows = queries.all_rows(current_user, filters, now)
        context = exports.pdf_context(
            rows, totals, exports.chosen_filters(form, filters), now.date()
        )
        data = render_pdf(render_template("dashboard/pdf.html", **context))
        language = current_language()
    _record("pdf", filters, language)
    return attachment(data, "application/pdf", file_name("pdf"))


def _filters() -> tuple[DashboardForm, dict]:
    """Refuse those who may not use the dashboard (404), then read the filters."""
    require(queries.may_use_dashboard(current_user))
    form = DashboardForm(formdata=request.args)
    form.set_choices(
        pairing_queries.programmes(),
        pairing_queries.associations(),
        queries.filter_countries(current_user),
    )
    return form, form.filters()


def _record(file_format: str, filters: dict, language: str) -> None:
    record_dashboard_download(current_user, file_format, filters, language)
    db.session.commit()


def file_name(extension: str) -> str:
    return f"city-exchange-dashboard-{utcnow().date().isoformat()}.{extension}"
