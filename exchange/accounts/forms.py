"""Account forms. Passwords are never sent back to the browser."""

from flask import current_app
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from exchange.forms import BaseForm
from exchange.security import MAX_PASSWORD_LENGTH, password_problem


class StrongPassword:
    """Refuse short and common passwords, and ones built from the user's name or e-mail."""

    def __init__(self, *related_fields: str):
        self.related_fields = related_fields

    def __call__(self, form, field):
        related = tuple(
            getattr(form, name).data or "" for name in self.related_fields if hasattr(form, name)
        )
        problem = password_problem(field.data or "", related)
        if problem:
            raise ValidationError(str(problem))


def email_field(label=None):
    return EmailField(
        label or _l("E-mail address"),
        validators=[
            DataRequired(),
            Email(message=_l("Enter an e-mail address like name@city.eu.")),
            Length(max=254),
        ],
        render_kw={"autocomplete": "email", "spellcheck": "false"},
    )


def name_field():
    return StringField(
        _l("Full name"),
        validators=[DataRequired(), Length(max=120)],
        render_kw={"autocomplete": "name"},
    )


def new_password_field(label=None):
    return PasswordField(
        label or _l("Password"),
        validators=[DataRequired(), StrongPassword("email", "name")],
        render_kw={"autocomplete": "new-password", "maxlength": MAX_PASSWORD_LENGTH},
    )


def confirm_password_field(target="password"):
    return PasswordField(
        _l("Repeat the password"),
        validators=[
            DataRequired(),
            EqualTo(target, message=_l("The two passwords are not the same.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )


def locale_choices():
    return list(current_app.config["LANGUAGES"].items())


class RegisterForm(BaseForm):
    name = name_field()
    email = email_field()
    password = new_password_field()
    password_confirm = confirm_password_field()


class LoginForm(BaseForm):
    email = email_field()
    password = PasswordField(
        _l("Password"), validators=[DataRequired()], render_kw={"autocomplete": "current-password"}
    )
    remember = BooleanField(_l("Keep me logged in on this device"))
    next = HiddenField()


class ResetRequestForm(BaseForm):
    email = email_field()


class ResetPasswordForm(BaseForm):
    password = new_password_field(_l("New password"))
    password_confirm = confirm_password_field()


class ProfileForm(BaseForm):
    name = name_field()
    locale = SelectField(_l("Preferred language"), choices=locale_choices)


class ChangePasswordForm(BaseForm):
    current_password = PasswordField(
        _l("Current password"),
        validators=[DataRequired()],
        render_kw={"autocomplete": "current-password"},
    )
    password = new_password_field(_l("New password"))
    password_confirm = confirm_password_field()


class ChangeEmailForm(BaseForm):
    new_email = email_field(_l("New e-mail address"))
    current_password = PasswordField(
        _l("Current password"),
        validators=[DataRequired()],
        render_kw={"autocomplete": "current-password"},
    )
