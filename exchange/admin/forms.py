"""Administration forms: the filters of the user list."""

from flask_babel import lazy_gettext as _l
from wtforms import SearchField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from exchange.forms import FilterForm

USER_STATUSES = {
    "active": _l("Active accounts"),
    "inactive": _l("Deactivated accounts"),
    "admins": _l("Administrators"),
}


def status_choices() -> list[SelectChoice]:
    return [SelectChoice("", _l("All accounts"))] + [
        SelectChoice(value, label) for value, label in USER_STATUSES.items()
    ]


class UserFilterForm(FilterForm):
    """A GET form, so no CSRF token."""

    FILTERS = ("q", "status")

    q = SearchField(_l("Name or e-mail address"), validators=[Optional(), Length(max=254)])
    status = SelectField(_l("Show"), choices=status_choices, validators=[Optional()])
