"""Programmes: the list, one programme with its pairings, and the admins' forms."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from exchange.db import db, utcnow
from exchange.domain import DomainError, attach_to_form
from exchange.organisations.models import Organisation
from exchange.pairings import queries as pairing_queries
from exchange.programmes import queries, services
from exchange.programmes.forms import ProgrammeForm
from exchange.programmes.models import Programme
from exchange.security import require
from exchange.web import page_number

bp = Blueprint("programmes", __name__, url_prefix="/programmes")


@bp.get("/")
def index():
    return render_template(
        "programmes/index.html",
        programmes=queries.all_programmes(),
        counts=queries.pairing_counts(current_user),
    )


@bp.get("/<int:programme_id>")
def show(programme_id: int):
    programme = queries.get_or_404(Programme, programme_id)
    now = utcnow()
    page = pairing_queries.list_page(
        current_user, {"programme": programme.id}, page_number(), pairing_queries.page_size(), now
    )
    return render_template(
        "programmes/show.html",
        programme=programme,
        page=page,
        health=pairing_queries.health_of(page.items, now, current_user),
    )


def _lead(form: ProgrammeForm) -> Organisation | None:
    if form.lead_id.data is None:
        return None
    return db.session.get(Organisation, form.lead_id.data)


def _save(form: ProgrammeForm, programme: Programme | None):
    form.set_lead_choices(queries.lead_candidates())
    if form.validate_on_submit():
        try:
            if programme is None:
                programme = services.create_programme(current_user, **form.values(_lead(form)))
            else:
                services.update_programme(current_user, programme, **form.values(_lead(form)))
        except DomainError as error:
            attach_to_form(form, error)
        else:
            db.session.commit()
            flash(_("The programme %(name)s is saved.", name=programme.name), "success")
            return redirect(url_for(".show", programme_id=programme.id))
    return render_template("programmes/form.html", form=form, programme=programme)


@bp.route("/new", methods=["GET", "POST"])
def new():
    return _save(ProgrammeForm(), None)


@bp.route("/<int:programme_id>/edit", methods=["GET", "POST"])
def edit(programme_id: int):
    programme = queries.get_or_404(Programme, programme_id)
    require(current_user.is_admin)
    form = ProgrammeForm(obj=programme)
    return _save(form, programme)
