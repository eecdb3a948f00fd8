"""Register, confirm, log in and out, reset and change passwords, edit the profile."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user

from exchange.accounts import services
from exchange.accounts.forms import (
    ChangeEmailForm,
    ChangePasswordForm,
    LoginForm,
    ProfileForm,
    RegisterForm,
    ResetPasswordForm,
    ResetRequestForm,
)
from exchange.accounts.models import TokenPurpose
from exchange.calendars import queries as calendar_queries
from exchange.db import db
from exchange.domain import DomainError, attach_to_form
from exchange.i18n import select_locale
from exchange.main.forms import EmptyForm
from exchange.security import (
    email_request_allowed,
    login_attempt_allowed,
    reset_login_attempts,
    safe_next,
)
from exchange.web import TOO_MANY_EMAIL_REQUESTS

bp = Blueprint("accounts", __name__)

TOO_MANY_ATTEMPTS = _l("Too many attempts. Wait 15 minutes and try again, or reset your password.")


@bp.route("/register", methods=["GET", "POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = RegisterForm()
    if form.validate_on_submit():
        if not email_request_allowed(form.email.data):
            form.form_errors.append(TOO_MANY_EMAIL_REQUESTS)
            return render_template("accounts/register.html", form=form), 429
        try:
            user = services.register_user(
                form.name.data, form.email.data, form.password.data, locale=select_locale()
            )
        except DomainError as error:
            attach_to_form(form, error)
        else:
            db.session.commit()
            login_user(user)
            flash(
                _(
                    "Welcome! We sent a link to %(email)s: follow it to confirm your address.",
                    email=user.email,
                ),
                "success",
            )
            return redirect(url_for("organisations.join"))
    return render_template("accounts/register.html", form=form)


@bp.route("/confirm/<token>")
def confirm_email(token):
    try:
        user = _confirm_any(token)
    except services.TokenError as error:
        return render_template("accounts/token_problem.html", message=error.message)
    except DomainError as error:  # the new address was taken in the meantime
        db.session.rollback()
        return render_template("accounts/token_problem.html", message=error.message)
    db.session.commit()
    flash(_("Thank you: %(email)s is confirmed.", email=user.email), "success")
    return redirect(url_for("main.index"))


def _confirm_any(token):
    """A link confirms a new account's address, or a change of address."""
    try:
        return services.confirm_email(token)
    except services.TokenError as error:
        if error.reason != "invalid":
            raise
    return services.confirm_email_change(token)


@bp.route("/confirm/resend", methods=["POST"])
def resend_confirmation():
    if EmptyForm().validate_on_submit() and not current_user.is_email_confirmed:
        if not email_request_allowed(current_user.email):
            flash(TOO_MANY_EMAIL_REQUESTS, "error")
            return redirect(_after_resend())
        services.send_email_confirmation(current_user)
        db.session.commit()
        flash(
            _("We sent a new confirmation link to %(email)s.", email=current_user.email), "success"
        )
    return redirect(_after_resend())


def _after_resend() -> str:
    """Back to joining an organisation when that is where the user was going."""
    if current_user.organisation_id is None:
        return url_for("organisations.join")
    return url_for("accounts.profile")


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm(next=request.args.get("next"))
    if current_user.is_authenticated and request.method == "GET":
        return redirect(safe_next(form.next.data))
    if form.validate_on_submit():
        if not login_attempt_allowed(form.email.data):
            form.form_errors.append(TOO_MANY_ATTEMPTS)
            return render_template("accounts/login.html", form=form), 429
        user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            form.form_errors.append(_("The e-mail address or the password is not right."))
        else:
            services.record_login(user)
            db.session.commit()
            reset_login_attempts(form.email.data)
            login_user(user, remember=form.remember.data)
            return redirect(safe_next(form.next.data))
    return render_template("accounts/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    """Log out on every device: the user's other cookies (and copies) stop working too."""
    if EmptyForm().validate_on_submit() and current_user.is_authenticated:
        services.log_out_everywhere(current_user)
        db.session.commit()
        logout_user()
        flash(_("You are logged out."), "success")
    return redirect(url_for("main.index"))


@bp.route("/reset-password", methods=["GET", "POST"])
def reset_request():
    form = ResetRequestForm()
    if form.validate_on_submit():
        if not email_request_allowed(form.email.data):
            form.form_errors.append(TOO_MANY_EMAIL_REQUESTS)
            return render_template("accounts/reset_request.html", form=form), 429
        services.request_password_reset(form.email.data)
        db.session.commit()
        hours = current_app.config["TOKEN_LIFETIME_HOURS"][TokenPurpose.RESET_PASSWORD]
        return render_template("accounts/reset_sent.html", email=form.email.data, hours=hours)
    return render_template("accounts/reset_request.html", form=form)


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
def reset_password(token):
    try:
        services.peek_token(token, TokenPurpose.RESET_PASSWORD)
    except services.TokenError as error:
        return render_template(
            "accounts/token_problem.html",
            message=error.message,
            retry_url=url_for("accounts.reset_request"),
        )
    form = ResetPasswordForm()
    if form.validate_on_submit():
        services.reset_password(token, form.password.data)
        db.session.commit()
        logout_user()
        flash(_("Your password is changed. Log in with your new password."), "success")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_password.html", form=form)


@bp.route("/account", methods=["GET", "POST"])
def profile():
    # E-mails are written in the stored language: default to the one being read now.
    form = ProfileForm(
        data={"name": current_user.name, "locale": current_user.locale or str(get_locale())}
    )
    if form.validate_on_submit():
        services.update_profile(current_user, form.name.data, form.locale.data)
        db.session.commit()
        flash(_("Your profile is saved."), "success")
        return redirect(url_for("accounts.profile"))
    return render_template(
        "accounts/profile.html", form=form, calendar_feed=calendar_queries.feed_of(current_user)
    )


@bp.route("/account/password", methods=["GET", "POST"])
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not login_attempt_allowed(current_user.email):  # guesses of the current password
            form.form_errors.append(TOO_MANY_ATTEMPTS)
            return render_template("accounts/change_password.html", form=form), 429
        try:
            services.change_password(current_user, form.current_password.data, form.password.data)
        except DomainError as error:
            attach_to_form(form, error)
        else:
            db.session.commit()
            # Every other session has ended; this one continues with the new session token
            # (and stays remembered on this device if it was).
            remembered = current_app.config["REMEMBER_COOKIE_NAME"] in request.cookies
            login_user(current_user._get_current_object(), remember=remembered)
            flash(
                _("Your password is changed. You are logged out on every other device."), "success"
            )
            return redirect(url_for("accounts.profile"))
    return render_template("accounts/change_password.html", form=form)


@bp.route("/account/email", methods=["GET", "POST"])
def change_email():
    form = ChangeEmailForm()
    if form.validate_on_submit():
        if not (
            login_attempt_allowed(current_user.email) and email_request_allowed(form.new_email.data)
        ):
            form.form_errors.append(TOO_MANY_EMAIL_REQUESTS)
            return render_template("accounts/change_email.html", form=form), 429
        try:
            services.request_email_change(
                current_user, form.current_password.data, form.new_email.data
            )
        except DomainError as error:
            attach_to_form(form, error)
        else:
            db.session.commit()
            flash(
                _(
                    "We sent a link to %(email)s. Your address changes when you follow it.",
                    email=form.new_email.data,
                ),
                "success",
            )
            return redirect(url_for("accounts.profile"))
    return render_template("accounts/change_email.html", form=form)
