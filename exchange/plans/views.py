"""A pairing's action plan on one page, and the forms that keep it: the plan, its actions,
indicators and their measurements, and risks.

Members of both cities, monitoring officers and admins read the page; the coordinators of
either city and admins keep it (others get 404 on the forms). Every form that creates a
record carries a one-time token (one record however often it is sent); every form that
edits one carries the version it was opened with (nobody's change is overwritten unseen).
"""

import datetime as dt
from decimal import Decimal

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import format_currency, format_date, format_decimal
from flask_babel import gettext as _
from flask_login import current_user

from exchange import editing, markdown_text, submissions
from exchange.db import db
from exchange.domain import DomainError, attach_to_form
from exchange.editing import EditConflict
from exchange.pairings import queries as pairing_queries
from exchange.pairings.models import Pairing
from exchange.plans import queries, services
from exchange.plans.forms import (
    ActionForm,
    IndicatorForm,
    MeasurementForm,
    PlanForm,
    RiskForm,
)
from exchange.plans.models import PLAN_STATUS_LABELS, Action, Indicator, Measurement, Risk
from exchange.security import require
from exchange.web import run_button_action

bp = Blueprint("plans", __name__)


@bp.context_processor
def form_hints() -> dict:
    return {
        "budget_example": format_decimal(Decimal("12500.5"), format="#,##0.00"),
    }


def euro(amount) -> str:
    return format_currency(amount, "EUR") if amount is not None else ""


def shown_on(form):
    """How a conflict notice shows the saved values of `form`'s fields: choices by their
    label, dates and numbers in the reader's language."""

    def shown(name, value):
        if value is None or value == "":
            return None
        for choice in getattr(form[name], "choices", None) or ():
            if str(choice.value) == str(value):
                return choice.label
        if isinstance(value, Decimal):
            return format_decimal(value)
        if isinstance(value, dt.date):
            return format_date(value)
        return None

    return shown


# Loading and access


def kept_pairing(pairing_id: int, lock: bool = False) -> Pairing:
    """A pairing whose plan this user keeps (locked for a change), or 404."""
    if lock:
        pairing = pairing_queries.get_for_update(pairing_id)
    else:
        pairing = queries.get_or_404(Pairing, pairing_id)
    require(pairing.can_keep_records(current_user))
    return pairing


def kept_record(model, record_id: int):
    """An action, indicator or risk this user keeps, its row locked on a POST, or 404."""
    if request.method == "POST":
        record = queries.get_for_update(model, record_id)
    else:
        record = queries.get_or_404(model, record_id)
    require(record.pairing.can_keep_records(current_user))
    return record


def plan_url(pairing_id: int, anchor: str | None = None) -> str:
    return url_for(".show", pairing_id=pairing_id, _anchor=anchor)


# The ids of the records on the plan page: action-<id>, indicator-<id>, risk-<id>.
ANCHORS = {Action: "action", Indicator: "indicator", Risk: "risk"}


def place_on_plan(record) -> str:
    """Where an action, an indicator or a risk stands on the plan page; a measurement, at its
    indicator."""
    if isinstance(record, Measurement):
        record = record.indicator
    return plan_url(record.pairing_id, f"{ANCHORS[type(record)]}-{record.id}")


def already_saved(error: submissions.AlreadySubmitted, pairing_id: int):
    flash(_("This was saved already: here it is."), "success")
    return redirect(error.location or plan_url(pairing_id))


def save_edit(
    form,
    change,
    done: str,
    template: str,
    record,
    pairing: Pairing | None = None,
    back: str | None = None,
):
    """The page of a form that edits `record`: validate the form and run `change()`; show a
    conflict or a field error on the form, else commit and go back to the plan. For an
    action, an indicator or a risk, `pairing` and `back` are the record's pairing and its
    place on the plan."""
    pairing = pairing or record.pairing
    back = back or place_on_plan(record)
    notice = None
    if form.validate_on_submit():
        try:
            change()
        except EditConflict as conflict:
            db.session.rollback()
            notice = editing.describe(conflict, form, shown_on(form))
        except DomainError as error:
            db.session.rollback()
            attach_to_form(form, error)
        else:
            db.session.commit()
            flash(done, "success")
            return redirect(back)
    return render_template(template, form=form, notice=notice, pairing=pairing, record=record)


def save_new(form, create, done: str, template: str, pairing: Pairing, **context):
    """The page of a form that adds a record to `pairing`'s plan: validate the form, claim its
    token, run `create()` (which returns the new record), commit, and go to the record on the
    plan. A token used before leads to the record it made."""
    if form.validate_on_submit():
        try:
            claim = submissions.claim(form.submission.data, current_user)
            location = place_on_plan(create())
        except submissions.AlreadySubmitted as error:
            db.session.rollback()
            return already_saved(error, pairing.id)
        except DomainError as error:
            db.session.rollback()
            attach_to_form(form, error)
        else:
            submissions.done(claim, location)
            db.session.commit()
            flash(done, "success")
            return redirect(location)
    return render_template(
        template, form=form, notice=None, pairing=pairing, record=None, **context
    )


# The page


@bp.get("/pairings/<int:pairing_id>/plan")
def show(pairing_id: int):
    pairing = pairing_queries.details_or_404(pairing_id, current_user)
    return render_template(
        "plans/show.html",
        pairing=pairing,
        page=queries.plan_page(pairing, services.today()),
        can_edit=pairing.can_keep_records(current_user),
        plan_labels=PLAN_STATUS_LABELS,
        markdown=markdown_text.render,
        euro=euro,
    )


# The plan


@bp.route("/pairings/<int:pairing_id>/plan/edit", methods=["GET", "POST"])
def edit(pairing_id: int):
    pairing = kept_pairing(pairing_id, lock=request.method == "POST")
    plan = queries.plan_of(pairing.id)
    form = PlanForm(obj=plan)
    if request.method == "GET":
        form.status_date.data = services.local_today(pairing)
    return save_edit(
        form,
        lambda: services.save_plan(
            current_user, pairing, form.version.data, form.values(), form.status_date.data
        ),
        _("The action plan is saved."),
        "plans/plan_form.html",
        record=plan,
        pairing=pairing,
        back=plan_url(pairing.id),
    )


# Actions


def _action_form(pairing: Pairing, action: Action | None) -> ActionForm:
    form = ActionForm(obj=action)
    current = action.practice_id if action else None
    form.set_practice_choices(*queries.practice_choices(pairing, current))
    return form


@bp.route("/pairings/<int:pairing_id>/actions/new", methods=["GET", "POST"])
def new_action(pairing_id: int):
    pairing = kept_pairing(pairing_id)
    form = _action_form(pairing, None)
    return save_new(
        form,
        lambda: services.create_action(current_user, pairing, form.values(), form.practice_id.data),
        _("The action is added to the plan."),
        "plans/action_form.html",
        pairing=pairing,
    )


@bp.route("/actions/<int:action_id>/edit", methods=["GET", "POST"])
def edit_action(action_id: int):
    action = kept_record(Action, action_id)
    form = _action_form(action.pairing, action)
    return save_edit(
        form,
        lambda: services.update_action(
            current_user, action, form.version.data, form.values(), form.practice_id.data
        ),
        _("The action is saved."),
        "plans/action_form.html",
        record=action,
    )


# Indicators and measurements


@bp.route("/pairings/<int:pairing_id>/indicators/new", methods=["GET", "POST"])
def new_indicator(pairing_id: int):
    pairing = kept_pairing(pairing_id)
    form = IndicatorForm()
    return save_new(
        form,
        lambda: services.create_indicator(current_user, pairing, form.values()),
        _("The indicator is added. Add its first measurement when you have one."),
        "plans/indicator_form.html",
        pairing=pairing,
    )


@bp.route("/indicators/<int:indicator_id>/edit", methods=["GET", "POST"])
def edit_indicator(indicator_id: int):
    indicator = kept_record(Indicator, indicator_id)
    form = IndicatorForm(obj=indicator)
    return save_edit(
        form,
        lambda: services.update_indicator(
            current_user, indicator, form.version.data, form.values()
        ),
        _("The indicator is saved."),
        "plans/indicator_form.html",
        record=indicator,
    )


@bp.route("/indicators/<int:indicator_id>/measurements/new", methods=["GET", "POST"])
def new_measurement(indicator_id: int):
    indicator = kept_record(Indicator, indicator_id)
    form = MeasurementForm()
    if request.method == "GET":
        form.measured_on.data = services.local_today(indicator.pairing)
    return save_new(
        form,
        lambda: services.add_measurement(
            current_user, indicator, form.value.data, form.measured_on.data, form.note.data
        ),
        _("The measurement is added."),
        "plans/measurement_form.html",
        pairing=indicator.pairing,
        indicator=indicator,
    )


@bp.post("/measurements/<int:measurement_id>/remove")
def remove_measurement(measurement_id: int):
    measurement = queries.get_or_404(Measurement, measurement_id)
    require(measurement.indicator.pairing.can_keep_records(current_user))
    return run_button_action(
        lambda: services.remove_measurement(current_user, measurement),
        _("The measurement is removed."),
        place_on_plan(measurement),
    )


# Risks


@bp.route("/pairings/<int:pairing_id>/risks/new", methods=["GET", "POST"])
def new_risk(pairing_id: int):
    pairing = kept_pairing(pairing_id)
    form = RiskForm()
    return save_new(
        form,
        lambda: services.create_risk(current_user, pairing, form.values()),
        _("The risk is added."),
        "plans/risk_form.html",
        pairing=pairing,
    )


@bp.route("/risks/<int:risk_id>/edit", methods=["GET", "POST"])
def edit_risk(risk_id: int):
    risk = kept_record(Risk, risk_id)
    form = RiskForm(obj=risk)
    return save_edit(
        form,
        lambda: services.update_risk(current_user, risk, form.version.data, form.values()),
        _("The risk is saved."),
        "plans/risk_form.html",
        record=risk,
    )
