"""The dashboard's filters: a GET form, shared by the page and its three downloads.

Status: a monitoring officer opens the dashboard to see how the exchanges under way are
doing, so by default it shows the running pairings (active or on hold: the ones with a
phase and, when active, a health). "Open" adds the proposals still waiting for an answer or
a confirmation; "Any status" adds the completed, declined and withdrawn ones, for the end of
a programme; a single status can be chosen too. A value that is not a choice (a hand-typed
URL) is ignored, and the default applies.

Sort: worst health first by default (what needs attention now), then the pairing; every
order ends with the pairing's id so that pages never repeat or skip a row.
"""

from flask import current_app
from flask_babel import lazy_gettext as _l
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional

from exchange.forms import FilterForm
from exchange.organisations.forms import country_choices, optional_int
from exchange.pairings.forms import org_choices, phase_choices
from exchange.pairings.health import HEALTH_LABELS
from exchange.pairings.models import STATUS_LABELS

RUNNING = "running"
OPEN = "open"
ANY_STATUS = "all"
DEFAULT_STATUS = RUNNING

STATUS_GROUPS = {
    RUNNING: _l("Running (active or on hold)"),
    OPEN: _l("Open (proposed, accepted, active or on hold)"),
    ANY_STATUS: _l("Any status"),
}

SORTS = {
    "health": _l("Health, worst first"),
    "inactive": _l("Last activity, oldest first"),
    "overdue": _l("Overdue actions, most first"),
    "name": _l("Mentor city, A to Z"),
    "programme": _l("Programme, A to Z"),
}
DEFAULT_SORT = "health"


class DashboardForm(FilterForm):
    """`/dashboard?programme=&association=&country=&phase=&health=&status=&sort=`, and `lang=`
    for the downloads."""

    programme = SelectField(_l("Programme"), coerce=optional_int, validators=[Optional()])
    association = SelectField(_l("Association"), coerce=optional_int, validators=[Optional()])
    country = SelectField(_l("Country"), validators=[Optional()])
    phase = SelectField(_l("Phase"), coerce=optional_int, validators=[Optional()])
    health = SelectField(_l("Pairing health"), validators=[Optional()])
    status = SelectField(_l("Status"), default=DEFAULT_STATUS, validators=[Optional()])
    sort = SelectField(_l("Sort by"), default=DEFAULT_SORT, validators=[Optional()])
    lang = SelectField(_l("Language of the downloads"), validators=[Optional()])

    FILTERS = ("programme", "association", "country", "phase", "health", "status", "sort")

    def set_choices(self, programmes, associations, country_codes) -> None:
        any_choice = [SelectChoice("", _l("Any"))]
        self.programme.choices = any_choice + [SelectChoice(str(p.id), p.name) for p in programmes]
        self.association.choices = org_choices(associations, _l("Any"))
        self.country.choices = any_choice + country_choices(country_codes)
        self.phase.choices = any_choice + phase_choices()
        self.health.choices = any_choice + [
            SelectChoice(health.value, label) for health, label in HEALTH_LABELS.items()
        ]
        self.status.choices = [SelectChoice(key, label) for key, label in STATUS_GROUPS.items()] + [
            SelectChoice(status.value, label) for status, label in STATUS_LABELS.items()
        ]
        self.sort.choices = [SelectChoice(key, label) for key, label in SORTS.items()]
        languages = current_app.config["LANGUAGES"]
        self.lang.choices = [SelectChoice("", _l("My language"))] + [
            SelectChoice(code, name) for code, name in languages.items()
        ]

    def filters(self) -> dict:
        """The valid filters, with the default status and sort when none (or a wrong one)
        was chosen."""
        chosen = super().filters()
        chosen.setdefault("status", DEFAULT_STATUS)
        chosen.setdefault("sort", DEFAULT_SORT)
        return chosen

    @property
    def language(self) -> str | None:
        """The chosen language of a download, None for the reader's own."""
        return self.lang.data or None

    @property
    def has_bad_language(self) -> bool:
        """Whether ?lang= names no language we write (after `filters()`): a download answers
        400 then; the page ignores it."""
        return bool(self.lang.errors)

    def messages(self) -> list[str]:
        """What is wrong with ?lang=, for a download refused with 400 (see
        exchange.reports.views.refuse)."""
        return [f"{self.lang.label.text}: {error}" for error in self.lang.errors]
