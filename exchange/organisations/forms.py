"""Organisation forms: the profile, the directory filters, joining, members and invitations."""

import decimal
import unicodedata
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from wtforms import (
    DecimalField,
    EmailField,
    HiddenField,
    IntegerField,
    SearchField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    URL,
    DataRequired,
    Email,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget, TextInput

from exchange.accounts.forms import confirm_password_field, name_field, new_password_field
from exchange.accounts.models import ROLE_LABELS, MemberRole
from exchange.forms import BaseForm, FilterForm, blank_to_none
from exchange.i18n import country_name, language_name, reader_locale
from exchange.organisations.models import ORG_KIND_LABELS
from exchange.themes import theme_choices

# The 24 official languages of the EU, and languages many newcomers speak.
# fmt: off
LANGUAGE_CODES = (
    "bg", "cs", "da", "de", "el", "en", "es", "et", "fi", "fr", "ga", "hr", "hu", "it",
    "lt", "lv", "mt", "nl", "pl", "pt", "ro", "sk", "sl", "sv",
    "ar", "tr", "uk", "ru",
)
# fmt: on
# Two-letter territory codes in CLDR that are not countries (EU, UN, unknown, ...).
NOT_COUNTRIES = {"AC", "CP", "CQ", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN", "XA", "XB", "ZZ"}
MAX_POPULATION = 100_000_000


# Localised names of countries and languages


def sort_key(name: str) -> str:
    """Sort "Åland" with the A's and "Élysée" with the E's."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def country_choices(codes=None) -> list[SelectChoice]:
    """Return countries as choices sorted by their name in the reader's language."""
    territories = reader_locale().territories
    if codes is None:
        codes = [c for c in territories if len(c) == 2 and c.isalpha() and c not in NOT_COUNTRIES]
    names = {code: territories.get(code, code) for code in codes}
    return [
        SelectChoice(code, names[code]) for code in sorted(names, key=lambda c: sort_key(names[c]))
    ]


def language_choices() -> list[SelectChoice]:
    names = {code: language_name(code) for code in LANGUAGE_CODES}
    return [
        SelectChoice(code, names[code]) for code in sorted(names, key=lambda c: sort_key(names[c]))
    ]


def kind_choices() -> list[SelectChoice]:
    return [SelectChoice(kind.value, str(label)) for kind, label in ORG_KIND_LABELS.items()]


def role_choices() -> list[SelectChoice]:
    return [SelectChoice(role.value, str(label)) for role, label in ROLE_LABELS.items()]


def themes_as_choices() -> list[SelectChoice]:
    return [SelectChoice(code, label) for code, label in theme_choices()]


def optional_int(value) -> int | None:
    """Coerce a select value to an int, the empty option to None."""
    return None if value in ("", None) else int(value)


def add_https(value):
    """Accept "www.city.eu" for "https://www.city.eu"."""
    if value and "://" not in value:
        return f"https://{value}"
    return value


# Fields and validators


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes, rendered with the `choices` macro."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class LocaleDecimalField(DecimalField):
    """A decimal number typed with a dot or a comma; infinity and NaN are not numbers."""

    def process_formdata(self, valuelist):
        if valuelist and valuelist[0]:
            valuelist = [valuelist[0].strip().replace(",", ".")]
        super().process_formdata(valuelist)
        if isinstance(self.data, decimal.Decimal) and not self.data.is_finite():
            self.data = None
            raise ValueError(self.gettext("Not a valid decimal value."))

    def _value(self):
        if not self.raw_data and isinstance(self.data, float):
            return f"{self.data:g}"  # 32.0 is shown as 32
        return super()._value()


def web_address(_form, field) -> None:
    if field.data and urlsplit(field.data).scheme not in {"http", "https"}:
        raise ValidationError(_l("Enter a web address that starts with http:// or https://."))


# Forms


class OrganisationForm(BaseForm):
    """The profile of an organisation, for registering and editing it."""

    kind = SelectField(
        _l("Kind of organisation"), choices=kind_choices, validators=[DataRequired()]
    )
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    acronym = StringField(
        _l("Acronym"), filters=[blank_to_none], validators=[Optional(), Length(max=32)]
    )
    country = SelectField(
        _l("Country"),
        choices=lambda: [SelectChoice("", _l("Choose a country")), *country_choices()],
        validators=[DataRequired()],
    )
    region = StringField(
        _l("Region or province"),
        filters=[blank_to_none],
        validators=[Optional(), Length(max=120)],
    )
    website = StringField(
        _l("Website"),
        filters=[add_https, blank_to_none],
        validators=[
            Optional(),
            Length(max=300),
            web_address,
            URL(message=_l("Enter a web address like https://www.city.eu.")),
        ],
        render_kw={"inputmode": "url", "autocomplete": "url", "spellcheck": "false"},
    )
    languages = MultiCheckboxField(_l("Working languages"), choices=language_choices)
    population = IntegerField(
        _l("Population"),
        validators=[
            Optional(),
            NumberRange(
                min=0,
                max=MAX_POPULATION,
                message=_l("Enter a whole number of inhabitants, 0 or more."),
            ),
        ],
        render_kw={"inputmode": "numeric"},
    )
    foreign_origin_pct = LocaleDecimalField(
        _l("Share of residents of foreign origin (%)"),
        places=None,
        validators=[
            Optional(),
            NumberRange(min=0, max=100, message=_l("Enter a percentage from 0 to 100.")),
        ],
        # A text box, not type=number: browsers drop the decimal comma ("2,5") of a number box.
        widget=TextInput(),
        render_kw={"inputmode": "decimal"},
    )
    profile_text = TextAreaField(
        _l("About the organisation"),
        filters=[blank_to_none],
        validators=[Optional(), Length(max=20000)],
    )
    needs = MultiCheckboxField(
        _l("Themes you would like to learn about"), choices=themes_as_choices
    )
    strengths = MultiCheckboxField(
        _l("Themes you can share experience on"), choices=themes_as_choices
    )
    parent_id = SelectField(
        _l("Association of local governments it belongs to"),
        coerce=optional_int,
        validators=[Optional()],
    )

    def set_parent_choices(self, associations) -> None:
        self.parent_id.choices = [SelectChoice("", _l("None"))] + [
            SelectChoice(str(org.id), org.display_name) for org in associations
        ]

    def profile(self) -> dict:
        """Return the submitted profile as plain values for the services."""
        pct = self.foreign_origin_pct.data
        return dict(
            name=self.name.data,
            acronym=self.acronym.data,
            country=self.country.data,
            region=self.region.data,
            website=self.website.data,
            languages=list(self.languages.data or []),
            population=self.population.data,
            foreign_origin_pct=float(pct) if pct is not None else None,
            profile_text=self.profile_text.data,
            parent_id=self.parent_id.data,
            needs=list(self.needs.data or []),
            strengths=list(self.strengths.data or []),
        )


class DirectoryFilterForm(FilterForm):
    """The filters of the directory: a GET form, so no CSRF token."""

    FILTERS = ("q", "kind", "country", "theme")

    q = SearchField(_l("Name or acronym"), validators=[Optional(), Length(max=100)])
    kind = SelectField(_l("Kind"), validators=[Optional()])
    country = SelectField(_l("Country"), validators=[Optional()])
    theme = SelectField(_l("Theme (needed or offered)"), validators=[Optional()])

    def set_choices(self, country_codes) -> None:
        any_choice = [SelectChoice("", _l("Any"))]
        self.kind.choices = any_choice + kind_choices()
        self.country.choices = any_choice + country_choices(country_codes)
        self.theme.choices = any_choice + themes_as_choices()


class JoinForm(BaseForm):
    organisation_id = SelectField(
        _l("Your organisation"),
        coerce=optional_int,
        validators=[DataRequired(message=_l("Choose your organisation."))],
    )

    def set_choices(self, organisations) -> None:
        """Group the organisations by country, in the reader's language."""
        choices = [SelectChoice("", _l("Choose your organisation"))]
        by_country = sorted(
            organisations, key=lambda o: (sort_key(country_name(o.country)), sort_key(o.name))
        )
        for org in by_country:
            choices.append(
                SelectChoice(str(org.id), org.display_name, optgroup=country_name(org.country))
            )
        self.organisation_id.choices = choices


class InviteForm(BaseForm):
    email = EmailField(
        _l("E-mail address of your colleague"),
        validators=[
            DataRequired(),
            Length(max=254),
            Email(message=_l("Enter an e-mail address like name@city.eu.")),
        ],
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )
    role = SelectField(
        _l("Role"),
        choices=role_choices,
        default=MemberRole.PARTICIPANT.value,
        validators=[DataRequired()],
    )


class RoleForm(BaseForm):
    role = HiddenField(validators=[DataRequired()])

    def validate_role(self, field) -> None:
        if field.data not in {role.value for role in MemberRole}:
            raise ValidationError(_l("Choose coordinator or participant."))


class InvitedAccountForm(BaseForm):
    """Create an account from an invitation; the e-mail address comes from the invitation."""

    email = StringField(
        _l("E-mail address"), render_kw={"readonly": True, "autocomplete": "username"}
    )
    name = name_field()
    password = new_password_field()
    password_confirm = confirm_password_field()
