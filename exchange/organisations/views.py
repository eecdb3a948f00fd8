"""Organisation directory and profiles, registering and joining, members and invitations.

The blueprint has no url_prefix: invitation links live at /invitations/<token>, so every
rule writes its full path.
"""

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_user

from exchange.accounts import services as accounts
from exchange.accounts.models import MemberRole
from exchange.db import db, utcnow
from exchange.domain import DomainError, attach_to_form
from exchange.main.forms import EmptyForm
from exchange.organisations import queries, services
from exchange.organisations.forms import (
    DirectoryFilterForm,
    InvitedAccountForm,
    InviteForm,
    JoinForm,
    OrganisationForm,
    RoleForm,
)
from exchange.organisations.models import Organisation, OrgKind
from exchange.organisations.services import InvitationError
from exchange.pairings import queries as pairing_queries
from exchange.security import email_request_allowed, require
from exchange.web import TOO_MANY_EMAIL_REQUESTS, page_number, run_button_action

bp = Blueprint("organisations", __name__)


def is_admin() -> bool:
    return current_user.is_authenticated and current_user.is_admin


# Directory and profile


@bp.get("/organisations/")
def directory():
    form = DirectoryFilterForm(formdata=request.args)
    form.set_choices(queries.directory_countries(is_admin()))
    filters = form.filters()
    page = queries.directory_page(
        filters, page_number(), current_app.config["PAGE_SIZE"], include_unverified=is_admin()
    )
    return render_template("organisations/directory.html", form=form, page=page, filters=filters)


@bp.get("/organisations/<int:org_id>")
def profile(org_id: int):
    org = queries.get_or_404(Organisation, org_id)
    require(org.can_view(current_user))
    can_see_members = org.can_see_members(current_user)
    pairings, pairing_total = pairing_queries.pairings_of(org, current_user)
    return render_template(
        "organisations/profile.html",
        org=org,
        member_organisations=queries.member_organisations(org, is_admin()),
        members=queries.approved_members(org) if can_see_members else None,
        can_see_members=can_see_members,
        coordinator_count=queries.coordinator_count(org) if can_see_members else 0,
        pairings=pairings,
        pairing_total=pairing_total,
        can_see_suggestions=org.kind == OrgKind.MUNICIPALITY
        and (org.can_edit(current_user) or (can_see_members and current_user.is_officer)),
    )


# Registering, joining, editing


def redirect_existing_member():
    """Send a user who already has an organisation home, saying why."""
    org = current_user.organisation
    if current_user.is_pending_member:
        flash(
            _(
                "You already asked to join %(org)s. Its coordinators will answer your request.",
                org=org.name,
            ),
            "info",
        )
    else:
        flash(
            _(
                "You are already a member of %(org)s. A person can belong to one organisation "
                "only.",
                org=org.name,
            ),
            "info",
        )
    return redirect(url_for("main.index"))


@bp.route("/organisations/new", methods=["GET", "POST"])
def new():
    if current_user.organisation_id is not None:
        return redirect_existing_member()
    if not current_user.is_email_confirmed:
        return render_template("organisations/confirm_first.html")
    form = OrganisationForm()
    form.set_parent_choices(queries.parent_associations())
    if form.validate_on_submit():
        try:
            org = services.create_organisation(current_user, form.kind.data, **form.profile())
        except DomainError as error:
            attach_to_form(form, error)
        else:
            db.session.commit()
            flash(
                _(
                    "%(org)s is registered. An administrator will verify it soon; until then "
                    "only its members see it.",
                    org=org.name,
                ),
                "success",
            )
            return redirect(url_for(".profile", org_id=org.id))
    return render_template("organisations/form.html", form=form, org=None)


@bp.route("/organisations/join", methods=["GET", "POST"])
def join():
    if current_user.organisation_id is not None:
        return redirect_existing_member()
    if not current_user.is_email_confirmed:
        return render_template("organisations/confirm_first.html")
    form = JoinForm()
    form.set_choices(queries.joinable_organisations())
    if form.validate_on_submit():
        org = queries.get_or_404(Organisation, form.organisation_id.data)
        if not email_request_allowed(current_user.email):  # each request e-mails coordinators
            form.form_errors.append(TOO_MANY_EMAIL_REQUESTS)
            return render_template("organisations/join.html", form=form), 429
        try:
            services.request_membership(current_user, org)
        except DomainError as error:
            attach_to_form(form, error)
        else:
            db.session.commit()
            flash(
                _(
                    "Your request to join %(org)s was sent to its coordinators. We will e-mail "
                    "you when they answer.",
                    org=org.name,
                ),
                "success",
            )
            return redirect(url_for("main.index"))
    return render_template("organisations/join.html", form=form)


@bp.route("/organisations/<int:org_id>/edit", methods=["GET", "POST"])
def edit(org_id: int):
    org = queries.get_or_404(Organisation, org_id)
    require(org.can_edit(current_user))
    form = OrganisationForm(obj=org)
    if not current_user.is_admin:
        del form.kind
    form.set_parent_choices(queries.parent_associations(exclude_id=org.id))
    if form.validate_on_submit():
        kind = form.kind.data if "kind" in form else None
        try:
            services.update_organisation(current_user, org, kind=kind, **form.profile())
        except DomainError as error:
            attach_to_form(form, error)
        else:
            db.session.commit()
            flash(_("The profile of %(org)s is saved.", org=org.name), "success")
            return redirect(url_for(".profile", org_id=org.id))
    return render_template("organisations/form.html", form=form, org=org)


# Members


def render_members(org: Organisation, invite_form: InviteForm):
    can_manage = org.can_manage_members(current_user)
    return render_template(
        "organisations/members.html",
        org=org,
        can_manage=can_manage,
        invite_form=invite_form,
        members=queries.approved_members(org),
        pending=queries.pending_members(org) if can_manage else [],
        invitations=queries.open_invitations(org, utcnow()) if can_manage else [],
        coordinator_count=queries.coordinator_count(org),
        role_form=RoleForm(),
    )


def managed_org(org_id: int) -> Organisation:
    org = queries.get_or_404(Organisation, org_id)
    require(org.can_manage_members(current_user))
    return org


def members_or_home(org: Organisation) -> str:
    """Return the members page, or home when the user just left the organisation."""
    if not org.can_see_members(current_user):
        return url_for("main.index")
    return url_for(".members", org_id=org.id)


@bp.get("/organisations/<int:org_id>/members")
def members(org_id: int):
    org = queries.get_or_404(Organisation, org_id)
    require(org.can_see_members(current_user))
    return render_members(org, InviteForm())


@bp.post("/organisations/<int:org_id>/invitations")
def invite(org_id: int):
    org = managed_org(org_id)
    form = InviteForm()
    if form.validate_on_submit():
        if not email_request_allowed(form.email.data):
            form.form_errors.append(TOO_MANY_EMAIL_REQUESTS)
            return render_members(org, form), 429
        try:
            services.invite(
                current_user, org, form.email.data, form.role.data, locale=str(get_locale())
            )
        except DomainError as error:
            attach_to_form(form, error)
        else:
            db.session.commit()
            flash(_("An invitation was sent to %(email)s.", email=form.email.data), "success")
            return redirect(url_for(".members", org_id=org.id))
    return render_members(org, form)


@bp.post("/organisations/<int:org_id>/invitations/<int:invitation_id>/revoke")
def revoke_invitation(org_id: int, invitation_id: int):
    org = managed_org(org_id)
    invitation = queries.invitation_or_404(org, invitation_id)
    return run_button_action(
        lambda: services.revoke_invitation(current_user, invitation),
        _("The invitation to %(email)s was withdrawn.", email=invitation.email),
        lambda: members_or_home(org),
    )


@bp.post("/organisations/<int:org_id>/members/<int:user_id>/approve")
def approve_member(org_id: int, user_id: int):
    org = managed_org(org_id)
    member = queries.member_or_404(org, user_id)
    return run_button_action(
        lambda: services.approve_member(current_user, org, member),
        _("%(name)s is now a member of %(org)s.", name=member.name, org=org.name),
        lambda: members_or_home(org),
    )


@bp.post("/organisations/<int:org_id>/members/<int:user_id>/remove")
def remove_member(org_id: int, user_id: int):
    org = managed_org(org_id)
    member = queries.member_or_404(org, user_id)
    message = (
        _("The request of %(name)s was declined.", name=member.name)
        if member.is_pending_member
        else _("%(name)s is no longer a member of %(org)s.", name=member.name, org=org.name)
    )
    return run_button_action(
        lambda: services.remove_member(current_user, org, member),
        message,
        lambda: members_or_home(org),
    )


@bp.post("/organisations/<int:org_id>/members/<int:user_id>/role")
def set_role(org_id: int, user_id: int):
    org = managed_org(org_id)
    member = queries.member_or_404(org, user_id)
    form = RoleForm()
    if not form.validate_on_submit():
        flash(_("Choose coordinator or participant."), "error")
        return redirect(url_for(".members", org_id=org.id))
    return run_button_action(
        lambda: services.set_role(current_user, org, member, form.role.data),
        role_changed_message(member.name, form.role.data),
        lambda: members_or_home(org),
    )


def role_changed_message(name: str, role: str) -> str:
    if role == MemberRole.COORDINATOR:
        return _("%(name)s is now a coordinator.", name=name)
    return _("%(name)s is now a participant.", name=name)


@bp.post("/organisations/<int:org_id>/leave")
def leave(org_id: int):
    """A member leaves, or someone who asked to join withdraws the request."""
    org = queries.get_or_404(Organisation, org_id)
    require(current_user.organisation_id == org.id)
    if current_user.is_pending_member:
        message = _("Your request to join %(org)s is withdrawn.", org=org.name)
    else:
        message = _("You are no longer a member of %(org)s.", org=org.name)
    return run_button_action(
        lambda: services.leave_organisation(current_user),
        message,
        lambda: (
            url_for(".profile", org_id=org.id)
            if current_user.organisation_id == org.id
            else url_for("main.index")
        ),
    )


# Invitations


@bp.route("/invitations/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    try:
        invitation = services.find_invitation(token)
    except InvitationError as error:
        return render_template("organisations/invitation_invalid.html", error=error)
    if current_user.is_authenticated:
        return accept_as_current_user(invitation)
    if accounts.find_user_by_email(invitation.email) is not None:
        return render_template(
            "organisations/invitation.html", invitation=invitation, must_log_in=True
        )
    return accept_as_new_user(invitation)


def accept_as_new_user(invitation):
    form = InvitedAccountForm()
    form.email.data = invitation.email
    if form.validate_on_submit():
        try:
            user = services.accept_invitation_as_new_user(
                invitation, form.name.data, form.password.data, locale=str(get_locale())
            )
        except DomainError as error:
            attach_to_form(form, error)
        else:
            db.session.commit()
            login_user(user)
            flash(
                _(
                    "Welcome to City Exchange. You are now a member of %(org)s.",
                    org=invitation.organisation.name,
                ),
                "success",
            )
            return redirect(url_for(".profile", org_id=invitation.organisation_id))
    return render_template("organisations/invitation.html", invitation=invitation, form=form)


def accept_as_current_user(invitation):
    form = EmptyForm()
    problem = services.acceptance_problem(current_user, invitation)
    if problem is None and form.validate_on_submit():
        try:
            services.accept_invitation(current_user, invitation)
        except DomainError as error:
            problem = error.message
        else:
            db.session.commit()
            flash(
                _("You are now a member of %(org)s.", org=invitation.organisation.name), "success"
            )
            return redirect(url_for(".profile", org_id=invitation.organisation_id))
    return render_template(
        "organisations/invitation.html", invitation=invitation, form=form, problem=problem
    )
