"""Pairings: the list, proposing, one pairing's overview and history, its lifecycle steps,
phases, terms and partners, and mentor suggestions for a city.

Every rule writes its full path (no url_prefix): the suggestions live under /organisations/.
Private pages answer 404 to whoever may not see the pairing; a step this user may not take
on a pairing they can see is refused with the reason, and changes nothing.
"""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from exchange.activities import queries as activity_queries
from exchange.calendars import queries as calendar_queries
from exchange.db import db, utcnow
from exchange.domain import DomainError, attach_to_form
from exchange.i18n import language_name
from exchange.organisations.models import Organisation, OrgKind
from exchange.organisations.queries import get_chosen
from exchange.pairings import history as history_text
from exchange.pairings import matching, queries, services
from exchange.pairings import timeline as timeline_entries
from exchange.pairings.forms import (
    DetailsForm,
    PairingFilterForm,
    PhaseForm,
    ProposalForm,
    ReplaceForm,
    StepForm,
)
from exchange.pairings.models import LAST_PHASE, PHASES, Pairing, Side
from exchange.plans import queries as plan_queries
from exchange.practices import queries as practice_queries
from exchange.practices import services as practice_services
from exchange.programmes.models import Programme
from exchange.security import email_request_allowed, require
from exchange.web import TOO_MANY_EMAIL_REQUESTS, page_number

bp = Blueprint("pairings", __name__)


def _chosen_association(field):
    """The association a select names; one that does not exist is an error next to it."""
    if field.data is None:
        return None
    association = get_chosen(Organisation, field.data)
    if association is None:
        raise DomainError(_l("Choose a verified association from the list."), field.name)
    return association


def visible_pairing(pairing_id: int) -> Pairing:
    """A pairing whose private pages this user may see, or 404."""
    return queries.details_or_404(pairing_id, current_user)


def pairing_to_change(pairing_id: int) -> Pairing:
    """Lock the pairing for a POST (one change at a time), or load it for a GET."""
    if request.method == "POST":
        pairing = queries.get_for_update(pairing_id)
    else:
        pairing = queries.get_or_404(Pairing, pairing_id)
    require(pairing.can_see_details(current_user))
    return pairing


def back_to_overview(pairing: Pairing, message, category="error"):
    flash(str(message), category)
    return redirect(url_for(".overview", pairing_id=pairing.id))


# The list and one pairing


@bp.get("/pairings/")
def index():
    form = PairingFilterForm(formdata=request.args)
    if not current_user.is_authenticated:
        del form.health  # health is for those who follow the pairing
    form.set_choices(queries.programmes(), queries.filter_countries(current_user))
    organisation = get_chosen(Organisation, form.organisation.data)
    if organisation is not None and not organisation.can_view(current_user):
        organisation = None  # an unverified organisation's name stays private
    filters = form.filters()
    now = utcnow()
    page = queries.list_page(current_user, filters, page_number(), queries.page_size(), now)
    return render_template(
        "pairings/index.html",
        form=form,
        page=page,
        filters=filters,
        organisation=organisation,
        health=queries.health_of(page.items, now, current_user),
    )


@bp.get("/pairings/<int:pairing_id>")
def overview(pairing_id: int):
    pairing = queries.get_or_404(Pairing, pairing_id)
    require(pairing.can_view(current_user))
    if not pairing.can_see_details(current_user):
        return render_template("pairings/summary.html", pairing=pairing)
    now = utcnow()
    health = queries.health_of([pairing], now).get(pairing.id)
    queries.overview_details(pairing)
    return render_template(
        "pairings/overview.html",
        pairing=pairing,
        health=health,
        upcoming=activity_queries.upcoming(pairing.id, now),
        recent_held=activity_queries.recent_held(pairing.id),
        activity_counts=activity_queries.counts(pairing.id),
        plan=plan_queries.plan_summary(pairing.id, now.date()),
        latest=timeline_entries.entries(pairing.id, now, limit=6),
        calendar_feed=calendar_queries.feed_of(current_user),
        can_keep_records=pairing.can_keep_records(current_user),
        transfer_actions=queries.actions_by_practice(pairing.id),
        members=queries.members_of_both_sides(pairing),
        steps=services.available_steps(current_user, pairing),
        can_move_phase=pairing.can_move_phase(current_user),
        can_edit=services.can_edit_details(current_user, pairing),
        phases=PHASES,
        transfers=practice_queries.visible_transfers(current_user, pairing_id=pairing.id),
        can_record_transfers=practice_services.can_record_transfers(current_user, pairing),
    )


@bp.get("/pairings/<int:pairing_id>/history")
def history(pairing_id: int):
    pairing = visible_pairing(pairing_id)
    page = queries.history_page(pairing, page_number(), queries.page_size())
    actors = queries.users_by_id(event.actor_id for event in page.items)
    entries = [
        (event, actors.get(event.actor_id), history_text.describe(event)) for event in page.items
    ]
    return render_template(
        "pairings/history.html",
        pairing=pairing,
        page=page,
        entries=entries,
        action_label=history_text.action_label,
    )


@bp.get("/pairings/<int:pairing_id>/timeline")
def timeline(pairing_id: int):
    pairing = visible_pairing(pairing_id)
    page = timeline_entries.page_of(pairing.id, utcnow(), page_number(), queries.page_size())
    require(page is not None)
    return render_template("pairings/timeline.html", pairing=pairing, page=page)


# Proposing


@bp.route("/pairings/new", methods=["GET", "POST"])
def new():
    require(current_user.is_admin or (current_user.is_coordinator and _is_city(current_user)))
    form = ProposalForm()
    form.set_choices(
        queries.open_programmes(utcnow().date()),
        queries.municipalities(),
        queries.associations(),
    )
    if not current_user.is_admin:
        del form.admin_side
    if request.method == "GET":
        _prefill(form)
    if form.validate_on_submit():
        if not email_request_allowed(current_user.email):  # each proposal e-mails a city
            form.form_errors.append(TOO_MANY_EMAIL_REQUESTS)
            return render_template("pairings/new.html", form=form), 429
        try:
            pairing = services.propose(
                current_user,
                programme=get_chosen(Programme, form.programme_id.data),
                mentor=get_chosen(Organisation, form.mentor_id.data),
                mentee=get_chosen(Organisation, form.mentee_id.data),
                themes=list(form.themes.data or []),
                objective=form.objective.data,
                proposed_start_date=form.proposed_start_date.data,
                message=form.message.data,
                mentor_association=_chosen_association(form.mentor_association_id),
                mentee_association=_chosen_association(form.mentee_association_id),
                admin_side=Side(form.admin_side.data) if "admin_side" in form else None,
            )
        except DomainError as error:
            attach_to_form(form, error)
        else:
            db.session.commit()
            other = pairing.city(pairing.answering_side)
            flash(
                _(
                    "Your proposal is sent. The coordinators of %(city)s will accept or "
                    "decline it.",
                    city=other.name,
                ),
                "success",
            )
            return redirect(url_for(".overview", pairing_id=pairing.id))
    return render_template("pairings/new.html", form=form)


def _is_city(user) -> bool:
    return user.organisation is not None and user.organisation.kind == OrgKind.MUNICIPALITY


def _prefill(form: ProposalForm) -> None:
    """Fill in the user's city, and the cities and programme a link names
    (?mentor=, ?mentee=, ?programme=, as the suggestions page sends)."""
    own = current_user.organisation_id if _is_city(current_user) else None
    mentor = request.args.get("mentor", type=int)
    mentee = request.args.get("mentee", type=int)
    if mentor is None and mentee is None and own is not None:
        mentee = own
    form.mentor_id.data = mentor
    form.mentee_id.data = mentee
    form.programme_id.data = request.args.get("programme", type=int)
    for city_id, field in (
        (mentor, form.mentor_association_id),
        (mentee, form.mentee_association_id),
    ):
        city = get_chosen(Organisation, city_id)
        if city is not None and city.parent_id is not None:
            field.data = city.parent_id


# Lifecycle steps, phases, terms, partners


def refused(pairing: Pairing, check):
    """Run `check(seen_version)`; on refusal, return to the overview saying why.

    A GET checks the pairing as it is; a POST checks the version its form was opened with,
    so a change by someone else in between is reported, not overwritten."""
    seen = request.form.get("version", type=int) if request.method == "POST" else pairing.version
    try:
        check(seen)
    except DomainError as error:
        db.session.rollback()
        return back_to_overview(pairing, error.message)
    return None


def submit(form, pairing: Pairing, action, done_message, template: str, **context):
    """Validate the form, run the service, commit; field errors show next to the field."""
    if request.method == "GET":
        form.version.data = pairing.version
    if form.validate_on_submit():
        try:
            action()
        except DomainError as error:
            if error.field is None:
                db.session.rollback()
                return back_to_overview(pairing, error.message)
            attach_to_form(form, error)
        else:
            db.session.commit()
            return back_to_overview(
                pairing, done_message() if callable(done_message) else done_message, "success"
            )
    return render_template(template, pairing=pairing, form=form, **context)


@bp.route("/pairings/<int:pairing_id>/steps/<step>", methods=["GET", "POST"])
def step(pairing_id: int, step: str):
    pairing = pairing_to_change(pairing_id)
    require(step in services.STEPS)
    stop = refused(
        pairing, lambda seen: services.ensure_step_allowed(current_user, pairing, step, seen)
    )
    if stop:
        return stop
    form = StepForm()
    definition = services.STEPS[step]
    form.message.flags.required = definition.needs_message
    return submit(
        form,
        pairing,
        lambda: services.take_step(
            current_user, pairing, step, form.message.data, form.version.data
        ),
        definition.done,
        "pairings/step.html",
        step=definition,
    )


@bp.route("/pairings/<int:pairing_id>/phase", methods=["GET", "POST"])
def phase(pairing_id: int):
    pairing = pairing_to_change(pairing_id)
    stop = refused(
        pairing, lambda seen: services.ensure_can_move_phase(current_user, pairing, seen)
    )
    if stop:
        return stop
    form = PhaseForm()
    if request.method == "GET":
        form.phase.data = min((pairing.phase or 0) + 1, LAST_PHASE)
    return submit(
        form,
        pairing,
        lambda: services.move_phase(
            current_user, pairing, form.phase.data, form.reason.data, form.version.data
        ),
        lambda: _("The pairing is now in %(phase)s.", phase=pairing.phase_label),
        "pairings/phase.html",
    )


@bp.route("/pairings/<int:pairing_id>/edit", methods=["GET", "POST"])
def edit(pairing_id: int):
    pairing = pairing_to_change(pairing_id)
    stop = refused(
        pairing, lambda seen: services.ensure_can_edit_details(current_user, pairing, seen)
    )
    if stop:
        return stop
    form = DetailsForm(obj=pairing)
    if current_user.is_admin:
        form.set_association_choices(queries.associations())
    else:  # associations decide who monitors and confirms: only admins change them
        del form.mentor_association_id
        del form.mentee_association_id

    def association(side: Side):
        field = getattr(form, f"{side.value}_association_id", None)
        if field is None:
            return pairing.association(side)
        return _chosen_association(field) or pairing.city(side).parent

    return submit(
        form,
        pairing,
        lambda: services.update_details(
            current_user,
            pairing,
            form.version.data,
            themes=list(form.themes.data or []),
            objective=form.objective.data,
            proposed_start_date=form.proposed_start_date.data,
            mentor_association=association(Side.MENTOR),
            mentee_association=association(Side.MENTEE),
            time_zone=form.time_zone.data or None,
        ),
        _("The terms of the pairing are saved."),
        "pairings/edit.html",
    )


@bp.route("/pairings/<int:pairing_id>/replace", methods=["GET", "POST"])
def replace(pairing_id: int):
    pairing = pairing_to_change(pairing_id)
    stop = refused(pairing, lambda seen: services.ensure_can_replace(current_user, pairing, seen))
    if stop:
        return stop
    form = ReplaceForm()
    form.set_choices(queries.municipalities())
    form.reason.flags.required = True
    return submit(
        form,
        pairing,
        lambda: services.replace_partner(
            current_user,
            pairing,
            Side(form.side.data),
            get_chosen(Organisation, form.organisation_id.data),
            form.reason.data,
            form.version.data,
        ),
        _("The partner is replaced."),
        "pairings/replace.html",
    )


# Suggestions of mentors for a city


@bp.get("/organisations/<int:org_id>/mentor-suggestions")
def suggestions(org_id: int):
    city = queries.get_or_404(Organisation, org_id)
    require(
        city.kind == OrgKind.MUNICIPALITY
        and (current_user.is_admin or city.can_edit(current_user) or _is_officer_of(city))
    )
    mentee, candidates = queries.matching_profiles(city)
    suggestions = matching.rank(mentee, candidates, language_name=language_name)
    return render_template(
        "pairings/suggestions.html",
        city=city,
        suggestions=suggestions,
        can_propose=current_user.is_admin or city.can_edit(current_user),
        open_programmes=queries.open_programmes(utcnow().date()),
    )


def _is_officer_of(city: Organisation) -> bool:
    return (
        current_user.is_officer
        and city.parent_id is not None
        and current_user.organisation_id == city.parent_id
    )
