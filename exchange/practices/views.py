"""The practice library: search, one practice, writing practices, their files, transfers of
practices between cities and the lineage of practices. Rules write full paths: transfers live
under /pairings/."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from exchange import storage
from exchange.db import db
from exchange.domain import DomainError, attach_to_form
from exchange.organisations.models import Organisation
from exchange.organisations.queries import get_chosen, verified_organisations
from exchange.pairings.models import Pairing
from exchange.practices import lineage, queries, services
from exchange.practices.forms import AttachmentForm, LibraryFilterForm, PracticeForm, TransferForm
from exchange.practices.models import (
    SECTIONS,
    Practice,
    PracticeAttachment,
    Transfer,
    target_group_label,
)
from exchange.security import require
from exchange.web import page_number, run_button_action

bp = Blueprint("practices", __name__)


@bp.url_value_preprocessor
def make_room_for_a_full_file(endpoint, _values) -> None:
    if endpoint == "practices.add_attachment":
        storage.make_room_for_a_full_file()


def editable_practice(practice_id: int) -> Practice:
    practice = queries.get_or_404(Practice, practice_id)
    require(practice.can_edit(current_user))
    return practice


@bp.get("/practices/")
def library():
    form = LibraryFilterForm(formdata=request.args)
    form.set_choices(queries.library_countries())
    filters = form.filters()
    page, highlights, words = queries.library_page(
        filters, page_number(), current_app.config["PAGE_SIZE"]
    )
    ids = [p.id for p in page.items]
    return render_template(
        "practices/library.html",
        form=form,
        filters=filters,
        page=page,
        words=words,
        highlights=highlights,
        themes=queries.themes_by_practice(ids),
        drafts=queries.drafts_of(current_user),
    )


@bp.get("/practices/<int:practice_id>")
def show(practice_id: int):
    practice = queries.get_or_404(Practice, practice_id)
    require(practice.can_view(current_user))
    return render_practice(practice, AttachmentForm())


def render_practice(practice: Practice, attachment_form: AttachmentForm):
    queries.practice_details(practice)
    return render_template(
        "practices/show.html",
        practice=practice,
        themes=queries.themes_by_practice([practice.id])[practice.id],
        target_groups=queries.target_groups_by_practice([practice.id])[practice.id],
        transfers=queries.visible_transfers(current_user, practice_id=practice.id),
        can_edit=practice.can_edit(current_user),
        attachment_form=attachment_form,
        sections=SECTIONS,
        target_group_label=target_group_label,
    )


def _origin_for_new(form: PracticeForm):
    if current_user.is_admin:
        form.set_origin_choices(verified_organisations())
        if form.origin_id.data is None and request.method == "GET":
            form.origin_id.data = current_user.organisation_id
        origin_id = form.origin_id.data
        return get_chosen(Organisation, origin_id)
    del form.origin_id
    return current_user.organisation


@bp.route("/practices/new", methods=["GET", "POST"])
def new():
    require(
        current_user.is_admin or services.can_write_for(current_user, current_user.organisation)
    )
    form = PracticeForm()
    if request.method == "GET":
        form.language.data = current_user.locale or "en"
    origin = _origin_for_new(form)
    if form.validate_on_submit():
        try:
            practice = services.create_practice(current_user, origin, **form.values())
        except DomainError as error:
            attach_to_form(form, error)
        else:
            db.session.commit()
            flash(_("The practice is saved as a draft. Publish it when it is ready."), "success")
            return redirect(url_for(".show", practice_id=practice.id))
    return render_template("practices/form.html", form=form, practice=None)


@bp.route("/practices/<int:practice_id>/edit", methods=["GET", "POST"])
def edit(practice_id: int):
    practice = editable_practice(practice_id)
    form = PracticeForm(obj=practice)
    del form.origin_id
    if request.method == "GET":
        form.themes.data = queries.themes_by_practice([practice.id])[practice.id]
        form.target_groups.data = queries.target_groups_by_practice([practice.id])[practice.id]
    if form.validate_on_submit():
        try:
            services.update_practice(current_user, practice, **form.values())
        except DomainError as error:
            attach_to_form(form, error)
        else:
            db.session.commit()
            flash(_("The practice is saved."), "success")
            return redirect(url_for(".show", practice_id=practice.id))
    return render_template("practices/form.html", form=form, practice=practice)


@bp.post("/practices/<int:practice_id>/publish")
def publish(practice_id: int):
    practice = editable_practice(practice_id)
    return run_button_action(
        lambda: services.publish(current_user, practice),
        _("The practice is published: everyone can read it now."),
        url_for(".show", practice_id=practice.id),
    )


@bp.post("/practices/<int:practice_id>/unpublish")
def unpublish(practice_id: int):
    practice = editable_practice(practice_id)
    return run_button_action(
        lambda: services.unpublish(current_user, practice),
        _("The practice is a draft again: only its editors see it."),
        url_for(".show", practice_id=practice.id),
    )


# Files


@bp.post("/practices/<int:practice_id>/attachments")
def add_attachment(practice_id: int):
    practice = editable_practice(practice_id)
    form = AttachmentForm()
    if form.validate_on_submit():
        try:
            services.add_attachment(current_user, practice, form.file.data)
        except DomainError as error:
            attach_to_form(form, error)
        else:
            db.session.commit()
            flash(_("The file is added."), "success")
            return redirect(url_for(".show", practice_id=practice.id))
    db.session.rollback()  # a refused file leaves nothing behind
    return render_practice(practice, form), 400


def _attachment(practice: Practice, file_id: int) -> PracticeAttachment:
    attachment = db.session.get(PracticeAttachment, (practice.id, file_id))
    require(attachment is not None)
    return attachment


@bp.get("/practices/<int:practice_id>/attachments/<int:file_id>")
def attachment(practice_id: int, file_id: int):
    practice = queries.get_or_404(Practice, practice_id)
    require(practice.can_view(current_user))
    return storage.send(_attachment(practice, file_id).file)


@bp.post("/practices/<int:practice_id>/attachments/<int:file_id>/delete")
def remove_attachment(practice_id: int, file_id: int):
    practice = editable_practice(practice_id)
    found = _attachment(practice, file_id)
    return run_button_action(
        lambda: services.remove_attachment(current_user, practice, found),
        _("The file is removed."),
        url_for(".show", practice_id=practice.id),
    )


# Transfers and lineage


def _transfer_form_page(form, pairing, transfer):
    return render_template(
        "practices/transfer_form.html", form=form, pairing=pairing, transfer=transfer
    )


@bp.route("/pairings/<int:pairing_id>/transfers/new", methods=["GET", "POST"])
def new_transfer(pairing_id: int):
    pairing = queries.get_or_404(Pairing, pairing_id)
    require(services.can_record_transfers(current_user, pairing))
    form = TransferForm()
    form.set_practice_choices(queries.adoptable_practices(pairing))
    if request.method == "GET" and request.args.get("practice", type=int):
        form.practice_id.data = request.args.get("practice", type=int)
    if form.validate_on_submit():
        practice_id = form.practice_id.data
        practice = get_chosen(Practice, practice_id)
        try:
            services.record_transfer(
                current_user,
                pairing,
                practice,
                local_name=form.local_name.data,
                stage=form.stage.data,
                adaptation_notes=form.adaptation_notes.data,
                dates=form.dates(),
            )
        except DomainError as error:
            attach_to_form(form, error)
        else:
            db.session.commit()
            flash(_("The transfer is recorded."), "success")
            return redirect(url_for("pairings.overview", pairing_id=pairing.id))
    return _transfer_form_page(form, pairing, None)


@bp.route("/transfers/<int:transfer_id>/edit", methods=["GET", "POST"])
def edit_transfer(transfer_id: int):
    transfer = queries.get_or_404(Transfer, transfer_id)
    require(services.can_record_transfers(current_user, transfer.pairing))
    form = TransferForm(obj=transfer)
    del form.practice_id
    if form.validate_on_submit():
        try:
            services.update_transfer(
                current_user,
                transfer,
                local_name=form.local_name.data,
                stage=form.stage.data,
                adaptation_notes=form.adaptation_notes.data,
                dates=form.dates(),
            )
        except DomainError as error:
            attach_to_form(form, error)
        else:
            db.session.commit()
            flash(_("The transfer is saved."), "success")
            return redirect(url_for("pairings.overview", pairing_id=transfer.pairing_id))
    return _transfer_form_page(form, transfer.pairing, transfer)


@bp.get("/practices/lineage")
def lineage_page():
    transfers = queries.visible_transfers(current_user)
    return render_template(
        "practices/lineage.html", transfers=transfers, diagram=lineage.diagram(transfers)
    )
