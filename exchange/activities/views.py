"""A pairing's activities: the list, logging and editing one, marking it held, its files and
the feedback of those who took part. Rules write full paths: lists live under /pairings/.

Whoever may not see the pairing gets 404 on every page and file; those who see it but may not
change it (participants, officers) get 404 on the forms too.
"""

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user

from exchange import editing, storage, submissions
from exchange.activities import queries, services
from exchange.activities.forms import (
    USEFULNESS_LABELS,
    ActivityFilterForm,
    ActivityForm,
    AttachmentForm,
    FeedbackForm,
    MarkHeldForm,
)
from exchange.activities.models import PARTICIPANT_FIELDS, Activity
from exchange.activities.wording import average_text, clock, time_zone_note, when
from exchange.db import db, utcnow
from exchange.domain import DomainError, attach_to_form
from exchange.editing import EditConflict
from exchange.markdown_text import render as markdown
from exchange.pairings import queries as pairing_queries
from exchange.security import require
from exchange.submissions import AlreadySubmitted
from exchange.web import page_number, run_button_action

bp = Blueprint("activities", __name__)


@bp.url_value_preprocessor
def make_room_for_a_full_file(endpoint, _values) -> None:
    if endpoint == "activities.add_attachment":
        storage.make_room_for_a_full_file()


# What the templates say about an activity


@bp.context_processor
def activity_helpers() -> dict:
    return {
        "when": when,
        "time_zone_note": time_zone_note,
        "average_text": average_text,
        "markdown": markdown,
        "participant_fields": PARTICIPANT_FIELDS,
        "usefulness_labels": USEFULNESS_LABELS,
    }


# Loading with access checks


def visible_activity(activity_id: int) -> Activity:
    activity = queries.get_activity(activity_id)
    require(activity.can_view(current_user))
    return activity


def editable_activity(activity_id: int) -> Activity:
    """An activity this user may change; locked until the commit when they change it."""
    if request.method == "POST":
        activity = queries.get_for_update(activity_id)
    else:
        activity = queries.get_activity(activity_id)
    require(activity.can_view(current_user))
    require(activity.can_edit(current_user))
    return activity


def _to_activity(activity_id: int, anchor: str | None = None):
    return redirect(url_for(".show", activity_id=activity_id, _anchor=anchor))


# The list and one activity


@bp.get("/pairings/<int:pairing_id>/activities")
def index(pairing_id: int):
    pairing = pairing_queries.details_or_404(pairing_id, current_user)
    form = ActivityFilterForm(formdata=request.args)
    form.set_choices()
    filters = form.filters()
    page = queries.list_page(pairing.id, filters, page_number(), current_app.config["PAGE_SIZE"])
    return render_template(
        "activities/index.html",
        pairing=pairing,
        form=form,
        filters=filters,
        page=page,
        summaries=queries.feedback_summaries(a.id for a in page.items),
        can_keep_records=pairing.can_keep_records(current_user),
        now=utcnow(),
    )


@bp.get("/activities/<int:activity_id>")
def show(activity_id: int):
    return render_activity(activity_id, AttachmentForm())


def render_activity(activity_id: int, attachment_form: AttachmentForm):
    activity = queries.activity_details(activity_id)
    require(activity.can_view(current_user))
    mine = next((f for f in activity.feedback if f.user_id == current_user.id), None)
    return render_template(
        "activities/show.html",
        activity=activity,
        pairing=activity.pairing,
        summary=queries.feedback_summaries([activity.id])[activity.id],
        my_feedback=mine,
        can_edit=activity.can_edit(current_user),
        can_give_feedback=activity.can_give_feedback(current_user),
        held_refusal=services.held_refusal(activity),
        attachment_form=attachment_form,
    )


# Logging and editing


def _form_page(form, pairing, activity=None, notice=None):
    return render_template(
        "activities/form.html", form=form, pairing=pairing, activity=activity, notice=notice
    )


@bp.route("/pairings/<int:pairing_id>/activities/new", methods=["GET", "POST"])
def new(pairing_id: int):
    pairing = pairing_queries.details_or_404(pairing_id, current_user)
    require(pairing.can_keep_records(current_user))
    form = ActivityForm()
    form.set_choices(pairing, queries.actions_of(pairing.id))
    del form.version
    if form.validate_on_submit():
        try:
            claim = submissions.claim(form.submission.data, current_user)
        except AlreadySubmitted as sent:
            flash(_("This activity was saved already."), "info")
            return redirect(sent.location or url_for(".index", pairing_id=pairing.id))
        try:
            activity = services.create_activity(
                current_user, pairing, form.values(), form.action_ids()
            )
        except DomainError as error:
            db.session.rollback()  # the claim too: the corrected form may be sent again
            attach_to_form(form, error)
        else:
            location = url_for(".show", activity_id=activity.id)
            submissions.done(claim, location)
            db.session.commit()
            flash(_("The activity is logged."), "success")
            return redirect(location)
    return _form_page(form, pairing)


@bp.route("/activities/<int:activity_id>/edit", methods=["GET", "POST"])
def edit(activity_id: int):
    activity = editable_activity(activity_id)
    form = ActivityForm(obj=activity)
    form.set_choices(activity.pairing, queries.actions_of(activity.pairing_id), activity.host)
    del form.submission
    if request.method == "GET" and "linked_actions" in form:
        form.linked_actions.data = [action.id for action in activity.actions]
    notice = None
    if form.validate_on_submit():
        try:
            services.update_activity(
                current_user, activity, form.values(), form.action_ids(), form.version.data
            )
        except EditConflict as conflict:
            notice = editing.describe(conflict, form, shown=_saved_value(activity))
        except DomainError as error:
            attach_to_form(form, error)
        else:
            db.session.commit()
            flash(_("The activity is saved."), "success")
            return _to_activity(activity.id)
    return _form_page(form, activity.pairing, activity, notice)


def _saved_value(activity: Activity):
    """How a conflict notice shows the saved value of a field that is not a plain text."""

    def shown(name, value):
        if name == "linked_actions":
            return ", ".join(action.title for action in activity.actions) or None
        if name in ("start_time", "end_time") and value is not None:
            return clock(value)
        if name in ("start_date", "end_date") and value is not None:
            return format_date(value, "long")
        return None

    return shown


@bp.route("/activities/<int:activity_id>/held", methods=["GET", "POST"])
def mark_held(activity_id: int):
    activity = editable_activity(activity_id)
    form = MarkHeldForm(obj=activity)
    refusal = services.held_refusal(activity)
    if refusal is not None:
        if form.validate_on_submit() and services.held_already_as(activity, form.values()):
            # the form sent twice (a double click): the first one marked it held
            return _marked_held(activity)
        flash(str(refusal), "error")
        return _to_activity(activity.id)
    notice = None
    if form.validate_on_submit():
        try:
            services.mark_held(current_user, activity, form.values(), form.version.data)
        except EditConflict as conflict:
            notice = editing.describe(conflict, form)
        except DomainError as error:
            attach_to_form(form, error)
        else:
            db.session.commit()
            return _marked_held(activity)
    return render_template(
        "activities/held.html",
        form=form,
        activity=activity,
        pairing=activity.pairing,
        notice=notice,
    )


def _marked_held(activity: Activity):
    flash(_("The activity is marked as held. Those who took part can now rate it."), "success")
    return _to_activity(activity.id)


# Files


@bp.post("/activities/<int:activity_id>/attachments")
def add_attachment(activity_id: int):
    activity = editable_activity(activity_id)
    form = AttachmentForm()
    if form.validate_on_submit():
        try:
            services.add_attachment(current_user, activity, form.file.data)
        except DomainError as error:
            attach_to_form(form, error)
        else:
            db.session.commit()
            flash(_("The file is added."), "success")
            return _to_activity(activity.id, "files")
    db.session.rollback()  # a refused file leaves nothing behind
    return render_activity(activity_id, form), 422


def _attachment(activity: Activity, file_id: int):
    found = queries.attachment_of(activity.id, file_id)
    require(found is not None)
    return found


@bp.get("/activities/<int:activity_id>/attachments/<int:file_id>")
def attachment(activity_id: int, file_id: int):
    activity = visible_activity(activity_id)
    return storage.send(_attachment(activity, file_id).file)


@bp.post("/activities/<int:activity_id>/attachments/<int:file_id>/remove")
def remove_attachment(activity_id: int, file_id: int):
    activity = editable_activity(activity_id)
    found = _attachment(activity, file_id)
    return run_button_action(
        lambda: services.remove_attachment(current_user, activity, found),
        _("The file is removed."),
        url_for(".show", activity_id=activity.id, _anchor="files"),
    )


# Feedback


@bp.route("/activities/<int:activity_id>/feedback", methods=["GET", "POST"])
def feedback(activity_id: int):
    activity = visible_activity(activity_id)
    pairing = activity.pairing
    takes_part = pairing.side_of(current_user) is not None
    if not activity.is_held and (takes_part or pairing.is_monitoring_officer(current_user)):
        flash(_("Feedback opens once the activity is marked as held."), "info")
        return _to_activity(activity.id)
    require(activity.can_give_feedback(current_user))
    given = queries.feedback_of(activity.id, current_user.id)
    form = FeedbackForm(obj=given)
    if form.validate_on_submit():
        try:
            services.give_feedback(current_user, activity, form.usefulness.data, form.comment.data)
        except DomainError as error:
            attach_to_form(form, error)
        else:
            db.session.commit()
            flash(_("Thank you: your feedback is saved."), "success")
            return _to_activity(activity.id, "feedback")
    return render_template(
        "activities/feedback.html",
        form=form,
        activity=activity,
        pairing=pairing,
        given=given,
    )
