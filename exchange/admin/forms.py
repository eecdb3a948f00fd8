"""Administration forms: the filters of the user list."""

from flask_babel import lazy_gettext as _l
from wtforms import SearchField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from exchange.forms import BaseForm

USER_STATUSES = {
    "active": _l("Active accounts"),
    "inactive": _l("Deactivated accounts"),
    "admins": _l("Administrators"),
}


def status_choices() -> list[SelectChoice]:
    return [SelectChoice("", _l("All accounts"))] + [
        SelectChoice(value, label) for value, label in USER_STATUSES.items()
    ]


class UserFilterForm(BaseForm):
    """A GET form, so no CSRF token."""

    class Meta:
        csrf = False

    q = SearchField(_l("Name or e-mail address"), validators=[Optional(), Length(max=254)])
    status = SelectField(_l("Show"), choices=status_choices, validators=[Optional()])

    def filters(self) -> dict:
        """Return the valid filters; a value that is not a choice is ignored."""
        self.validate()
        return {
            name: getattr(self, name).data
            for name in ("q", "status")
            if getattr(self, name).data and not getattr(self, name).errors
        }
