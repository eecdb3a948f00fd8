"""Home, health check, language switch and the statements every public body must publish."""

import datetime as dt
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from exchange.accounts import services as account_services
from exchange.db import db, utcnow
from exchange.main import queries, services
from exchange.main.forms import BarrierReportForm, LanguageForm
from exchange.news import queries as news_queries
from exchange.pairings import queries as pairing_queries
from exchange.practices import queries as practice_queries
from exchange.security import email_request_allowed, safe_next
from exchange.web import TOO_MANY_EMAIL_REQUESTS

bp = Blueprint("main", __name__)

# When the accessibility statement was last reviewed against the site.
ACCESSIBILITY_STATEMENT_DATE = dt.date(2026, 11, 29)


@bp.route("/")
def index():
    next_steps = queries.next_steps(current_user) if current_user.is_authenticated else []
    organisation = current_user.organisation if current_user.is_authenticated else None
    your_pairings, pairing_total = (
        pairing_queries.pairings_of(organisation, current_user)
        if organisation is not None and current_user.is_approved_member
        else ([], 0)
    )
    return render_template(
        "main/index.html",
        next_steps=next_steps,
        counts=queries.platform_counts(),
        your_pairings=your_pairings,
        pairing_total=pairing_total,
        news=news_queries.latest(utcnow(), 3),
        practices=practice_queries.featured(limit=3),
    )


@bp.route("/healthz")
def healthz():
    try:
        db.session.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError:
        current_app.logger.exception("health check: database unreachable")
        db.session.rollback()
        return {"status": "error", "database": "unreachable"}, 503
    return {"status": "ok", "database": "ok"}


@bp.route("/accessibility", methods=["GET", "POST"])
def accessibility():
    """The accessibility statement, with a form to report a barrier."""
    form = BarrierReportForm(page=request.args.get("page", ""))
    if form.validate_on_submit():
        if not email_request_allowed():
            form.form_errors.append(TOO_MANY_EMAIL_REQUESTS)
            return _render_accessibility(form), 429
        reporter = current_user if current_user.is_authenticated else None
        services.report_barrier(form.page.data, form.description.data, form.email.data, reporter)
        db.session.commit()
        flash(
            _(
                "Thank you. Your report was sent to the team; we answer within 10 working days "
                "when you gave an e-mail address."
            ),
            "success",
        )
        return redirect(url_for("main.accessibility"))
    return _render_accessibility(form)


def _render_accessibility(form):
    return render_template(
        "main/accessibility.html", form=form, statement_date=ACCESSIBILITY_STATEMENT_DATE
    )


@bp.route("/privacy")
def privacy():
    return render_template("main/privacy.html")


@bp.route("/language", methods=["POST"])
def set_language():
    """Switch the interface language; signed-in users keep it in their profile."""
    form = LanguageForm()
    if form.validate_on_submit():
        session["locale"] = form.language.data
        if current_user.is_authenticated:
            account_services.set_locale(current_user, form.language.data)
            db.session.commit()
    return redirect(safe_next(form.next.data or request.referrer and _path(request.referrer)))


def _path(url: str) -> str:
    """Keep only the path and query of a same-site referrer."""
    parts = urlsplit(url)
    if parts.netloc and parts.netloc != request.host:
        return "/"
    return parts.path + (f"?{parts.query}" if parts.query else "")
