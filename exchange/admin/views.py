"""Administration: verify organisations, manage user accounts and administrator rights.

The access matrix gives everyone but administrators a 404 before these views run.
"""

from flask import Blueprint, current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from exchange.accounts.models import User
from exchange.admin import queries, services
from exchange.admin.forms import UserFilterForm
from exchange.organisations.models import Organisation
from exchange.organisations.queries import get_or_404
from exchange.web import page_number, run_button_action

bp = Blueprint("admin", __name__, url_prefix="/admin")


def back_to_users() -> str:
    """Return to the page of the user list the admin came from."""
    kept = {key: request.args[key] for key in ("q", "status", "page") if request.args.get(key)}
    return url_for(".users", **kept)


# Organisations


@bp.get("/organisations")
def organisations():
    return render_template(
        "admin/organisations.html",
        unverified=queries.unverified_organisations(),
        page=queries.organisations_page(page_number(), current_app.config["PAGE_SIZE"]),
    )


@bp.post("/organisations/<int:org_id>/verify")
def verify_organisation(org_id: int):
    org = get_or_404(Organisation, org_id)
    return run_button_action(
        lambda: services.verify_organisation(current_user, org),
        _("%(org)s is verified; its coordinators were told.", org=org.name),
        url_for(".organisations"),
    )


# Users


@bp.get("/users")
def users():
    form = UserFilterForm(formdata=request.args)
    filters = form.filters()
    page = queries.users_page(filters, page_number(), current_app.config["PAGE_SIZE"])
    return render_template("admin/users.html", form=form, filters=filters, page=page)


@bp.post("/users/<int:user_id>/deactivate")
def deactivate_user(user_id: int):
    user = get_or_404(User, user_id)
    return run_button_action(
        lambda: services.deactivate_user(current_user, user),
        _("The account of %(name)s is deactivated and logged out everywhere.", name=user.name),
        back_to_users(),
    )


@bp.post("/users/<int:user_id>/reactivate")
def reactivate_user(user_id: int):
    user = get_or_404(User, user_id)
    return run_button_action(
        lambda: services.reactivate_user(current_user, user),
        _("The account of %(name)s is active again.", name=user.name),
        back_to_users(),
    )


@bp.post("/users/<int:user_id>/admin/grant")
def grant_admin(user_id: int):
    user = get_or_404(User, user_id)
    return run_button_action(
        lambda: services.grant_admin(current_user, user),
        _("%(name)s is now an administrator.", name=user.name),
        back_to_users(),
    )


@bp.post("/users/<int:user_id>/admin/revoke")
def revoke_admin(user_id: int):
    user = get_or_404(User, user_id)
    return run_button_action(
        lambda: services.revoke_admin(current_user, user),
        _("%(name)s is no longer an administrator.", name=user.name),
        back_to_users(),
    )
