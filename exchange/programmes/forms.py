"""The programme form (admins)."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from exchange.forms import BaseForm, DateField
from exchange.organisations.forms import (
    MultiCheckboxField,
    blank_to_none,
    optional_int,
    themes_as_choices,
)


class ProgrammeForm(BaseForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    lead_id = SelectField(_l("Lead organisation"), coerce=optional_int, validators=[Optional()])
    fund = StringField(
        _l("Fund"), filters=[blank_to_none], validators=[Optional(), Length(max=200)]
    )
    start_date = DateField(
        _l("Start date"), validators=[InputRequired(message=_l("Enter the start date."))]
    )
    end_date = DateField(_l("End date"), validators=[Optional()])
    description = TextAreaField(
        _l("Description"), filters=[blank_to_none], validators=[Optional(), Length(max=20000)]
    )
    themes = MultiCheckboxField(_l("Themes"), choices=themes_as_choices)

    def set_lead_choices(self, organisations) -> None:
        self.lead_id.choices = [SelectChoice("", _l("None"))] + [
            SelectChoice(str(org.id), org.display_name) for org in organisations
        ]

    def values(self, lead) -> dict:
        return dict(
            name=self.name.data,
            lead=lead,
            fund=self.fund.data,
            start_date=self.start_date.data,
            end_date=self.end_date.data,
            description=self.description.data,
            themes=list(self.themes.data or []),
        )
