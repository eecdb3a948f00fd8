"""Publications, toolkits, guides and links: the list, one resource, its file, the forms."""

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, to_user_timezone
from flask_babel import gettext as _
from flask_login import current_user

from exchange import storage
from exchange.db import db, utcnow
from exchange.domain import DomainError, attach_to_form
from exchange.organisations.models import Organisation
from exchange.organisations.queries import get_chosen, verified_organisations
from exchange.resources import queries, services
from exchange.resources.forms import ResourceFilterForm, ResourceForm
from exchange.resources.models import Resource
from exchange.security import require
from exchange.web import page_number, run_button_action

bp = Blueprint("resources", __name__, url_prefix="/resources")

UPLOAD_ENDPOINTS = {"resources.new", "resources.edit"}


@bp.url_value_preprocessor
def make_room_for_a_full_file(endpoint, _values) -> None:
    if endpoint in UPLOAD_ENDPOINTS:
        storage.make_room_for_a_full_file()


def external_url(resource: Resource) -> str | None:
    """The resource's link, if it is a web address (never a javascript: or data: URL)."""
    url = resource.url
    return url if url and urlsplit(url).scheme in {"http", "https"} else None


def link_host(url: str) -> str:
    return urlsplit(url).hostname or url


@bp.context_processor
def resource_helpers() -> dict:
    return dict(file_summary=storage.file_summary, external_url=external_url, link_host=link_host)


def editable_resource(resource_id: int) -> Resource:
    """A resource this user may change, or 404."""
    resource = queries.get_or_404(Resource, resource_id)
    require(services.can_edit(current_user, resource))
    return resource


# Reading


@bp.get("/")
def index():
    form = ResourceFilterForm(formdata=request.args)
    form.set_choices(queries.languages_in_use())
    filters = form.filters()
    page = queries.list_page(filters, page_number(), current_app.config["PAGE_SIZE"])
    return render_template(
        "resources/index.html",
        form=form,
        page=page,
        filters=filters,
        can_post=services.can_post(current_user),
    )


@bp.get("/<int:resource_id>")
def show(resource_id: int):
    resource = queries.get_or_404(Resource, resource_id)
    return render_template(
        "resources/show.html",
        resource=resource,
        can_edit=services.can_edit(current_user, resource),
    )


@bp.get("/<int:resource_id>/file")
def download(resource_id: int):
    resource = queries.get_or_404(Resource, resource_id)
    require(resource.file is not None)
    return storage.send(resource.file)


# Posting, editing, deleting


def _author(form: ResourceForm, resource: Resource | None) -> Organisation | None:
    """Admins choose the organisation; officers post for their own."""
    if "author_organisation_id" not in form:
        return resource.author_organisation if resource else current_user.organisation
    return get_chosen(Organisation, form.author_organisation_id.data)


def _prepare(form: ResourceForm, resource: Resource | None) -> ResourceForm:
    if current_user.is_admin:
        form.set_author_choices(verified_organisations())
    else:
        del form.author_organisation_id
    if resource is None or resource.file is None:
        del form.remove_file
    return form


def _save(form: ResourceForm, resource: Resource | None):
    if form.validate_on_submit():
        try:
            if resource is None:
                resource = services.create_resource(
                    current_user, _author(form, None), **form.values()
                )
            else:
                services.update_resource(
                    current_user,
                    resource,
                    _author(form, resource),
                    remove_file=form.removes_file(),
                    **form.values(),
                )
        except DomainError as error:
            attach_to_form(form, error)
        else:
            db.session.commit()
            flash(_("The resource “%(title)s” is saved.", title=resource.title), "success")
            return redirect(url_for(".show", resource_id=resource.id))
    return render_template("resources/form.html", form=form, resource=resource)


@bp.route("/new", methods=["GET", "POST"])
def new():
    require(services.can_post(current_user))
    form = ResourceForm(
        published_date=to_user_timezone(utcnow()).date(),
        language=current_user.locale or str(get_locale() or "en"),
        author_organisation_id=current_user.organisation_id,
    )
    return _save(_prepare(form, None), None)


@bp.route("/<int:resource_id>/edit", methods=["GET", "POST"])
def edit(resource_id: int):
    resource = editable_resource(resource_id)
    return _save(_prepare(ResourceForm(obj=resource), resource), resource)


@bp.post("/<int:resource_id>/delete")
def delete(resource_id: int):
    resource = editable_resource(resource_id)
    title = resource.title
    return run_button_action(
        lambda: services.delete_resource(current_user, resource),
        _("The resource “%(title)s” is deleted.", title=title),
        url_for(".index"),
    )
