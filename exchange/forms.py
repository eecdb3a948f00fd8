"""The base of every form: text input is cleaned before any validator sees it."""

import re

import wtforms
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, PasswordField, StringField, TextAreaField
from wtforms.fields.core import UnboundField
from wtforms.validators import Length, Optional
from wtforms.widgets import HiddenInput

MARKDOWN_HINT = _l(
    "Write in Markdown: leave an empty line between paragraphs; **bold**, *italic*, "
    "[link text](https://example.org); start lines with - for a list and with # for a "
    "heading. HTML is not kept."
)

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_CONTROL_BUT_NEWLINE_AND_TAB = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def clean_line(value):
    """One line of text: control characters (NUL, newlines, ...) become spaces, runs of
    spaces one, and the ends are trimmed. Names end up in e-mail subjects and CSV cells."""
    if not isinstance(value, str):
        return value
    return " ".join(_CONTROL.sub(" ", value).split())


def clean_text(value):
    """Several lines of text: Windows line ends become newlines, other control
    characters (NUL, which PostgreSQL refuses) are dropped, the ends trimmed."""
    if not isinstance(value, str):
        return value
    return _CONTROL_BUT_NEWLINE_AND_TAB.sub("", value.replace("\r\n", "\n")).strip()


def _cleaner_for(field_class):
    if issubclass(field_class, TextAreaField):
        return clean_text
    if issubclass(field_class, StringField) and not issubclass(field_class, PasswordField):
        return clean_line
    return None


class BaseForm(FlaskForm):
    """A FlaskForm whose text fields are cleaned first (passwords are left exactly as typed)."""

    class Meta(FlaskForm.Meta):
        def bind_field(self, form, unbound_field, options):
            cleaner = _cleaner_for(unbound_field.field_class)
            if cleaner is not None:
                filters = [cleaner, *unbound_field.kwargs.get("filters", ())]
                unbound_field = UnboundField(
                    unbound_field.field_class,
                    *unbound_field.args,
                    name=unbound_field.name,
                    **{**unbound_field.kwargs, "filters": filters},
                )
            return super().bind_field(form, unbound_field, options)


class DateField(wtforms.DateField):
    """A date box whose error says what to type; years outside 1900-2999 are typing errors
    (and a year 1 cannot be moved to UTC)."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(_l("Enter a date like 2026-03-31.")) from None
        if self.data is not None and not 1900 <= self.data.year <= 2999:
            self.data = None
            raise ValueError(_l("Enter a date between the years 1900 and 2999."))


class FilterForm(BaseForm):
    """The filters above a list: a GET form (no CSRF token) whose `FILTERS` name its fields."""

    class Meta:
        csrf = False

    FILTERS: tuple[str, ...] = ()

    def filters(self) -> dict:
        """Return the valid filters; a value that is not a choice is ignored, and so is a
        field a view removed."""
        self.validate()
        return {
            name: self[name].data
            for name in self.FILTERS
            if name in self and self[name].data and not self[name].errors
        }


class VersionField(IntegerField):
    """The hidden version a form was opened with (optimistic locking: exchange/editing.py).
    A value nobody could have typed reads as version 0: the save is then checked against
    what changed since, instead of failing on a field the user cannot see."""

    widget = HiddenInput()

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = 0


def version_field():
    return VersionField(validators=[Optional()])


def blank_to_none(value):
    return value or None


def long_text_field(label, limit: int = 20000):
    """An optional long text: empty is None, longer than `limit` characters a message at the
    field. Most are written in Markdown (pages show them with exchange/markdown_text.render),
    and their forms give the template global `markdown_hint` (MARKDOWN_HINT) as the hint."""
    return TextAreaField(label, filters=[blank_to_none], validators=[Optional(), Length(max=limit)])


def chosen_id(value) -> int | None:
    """Coerce the value of a select (or radio group) of ids or numbers to an int.

    Strict, so that the form's own validator or the service answers with a message at the
    field, never WTForms' "Not a valid integer value" or a 500: the empty option (or no
    value) is None; a value other than plain ASCII digits ("abc", "-1", "+3", "١", "1.5")
    or longer than 12 digits is 0, which names no row and no choice."""
    if value in ("", None):
        return None
    text = str(value).strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 12 else 0
