"""The shared helpers against lost work: optimistic locking and one record per form."""

import pytest
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice

from exchange import editing, submissions
from exchange.audit import AuditEvent
from exchange.db import db as _db
from exchange.forms import BaseForm, version_field
from tests.factories import make_org, make_pairing, make_risk, make_user


class RiskForm(BaseForm):
    class Meta:
        csrf = False

    description = StringField("Description")
    likelihood = SelectField(
        "Likelihood", choices=[SelectChoice("low", "Low"), SelectChoice("high", "High")]
    )
    version = version_field()


@pytest.fixture
def risk(db, cast):
    pairing = make_pairing(cast.mechelen, make_org(name="Lier", parent=cast.vvsg), "active")
    risk = make_risk(pairing, likelihood="low")
    _db.session.commit()
    return risk


def test_a_save_applies_the_changes_and_records_them_with_the_version(risk, cast):
    changes = editing.save(
        cast.coordinator, risk, {"likelihood": "high", "owner": risk.owner}, 1, "risk.edit"
    )
    assert changes == {"likelihood": ("low", "high")}
    assert risk.version == 2
    event = _db.session.query(AuditEvent).filter_by(object_type="risk").one()
    assert event.summary == {"likelihood": ["low", "high"], "version": [1, 2]}


def test_saving_unchanged_values_writes_nothing(risk, cast):
    assert editing.save(cast.coordinator, risk, {"likelihood": "low"}, 1, "risk.edit") == {}
    assert risk.version == 1
    assert _db.session.query(AuditEvent).count() == 0


def test_a_save_from_an_old_version_is_refused_with_what_changed(app, risk, cast):
    editing.save(cast.coordinator, risk, {"likelihood": "high"}, 1, "risk.edit")
    with pytest.raises(editing.EditConflict) as refused:
        editing.save(cast.admin, risk, {"likelihood": "low", "owner": "Mine"}, 1, "risk.edit")
    assert risk.likelihood == "high" and risk.owner != "Mine" and risk.version == 2
    assert [c.fields for c in refused.value.changes] == [["likelihood"]]
    assert refused.value.changes[0].actor_id == cast.coordinator.id

    with app.test_request_context(method="POST", data={"likelihood": "low", "version": "1"}):
        form = RiskForm()
        notice = editing.describe(refused.value, form)
        assert notice.fields == [("Likelihood", "High")]  # a select shows its choice label
        assert notice.saves[0][0] == f"{cast.coordinator.name} (Mechelen)"
        # the form now carries the current version, also in the rendered hidden input
        assert form.version.data == 2
        assert 'value="2"' in form.version()
        assert form.likelihood.data == "low"  # what the user chose is kept


def test_a_double_submission_of_the_same_values_is_no_conflict(risk, cast):
    editing.save(cast.coordinator, risk, {"likelihood": "high"}, 1, "risk.edit")
    assert editing.save(cast.coordinator, risk, {"likelihood": "high"}, 1, "risk.edit") == {}
    assert risk.version == 2


def test_a_form_token_is_claimed_once(db, cast):
    token = submissions.new_token()
    claim = submissions.claim(token, cast.coordinator)
    submissions.done(claim, "/activities/7")
    _db.session.commit()
    with pytest.raises(submissions.AlreadySubmitted) as again:
        submissions.claim(token, cast.coordinator)
    assert again.value.location == "/activities/7"
    # somebody else sending the same token learns nothing about where the record is
    with pytest.raises(submissions.AlreadySubmitted) as stranger:
        submissions.claim(token, make_user(email="someone@else.example"))
    assert stranger.value.location is None


@pytest.mark.parametrize("token", [None, "", "short", "g" * 32, "A" * 32])
def test_a_missing_or_malformed_token_claims_nothing(db, cast, token):
    assert submissions.claim(token, cast.coordinator) is None


def test_a_change_recorded_with_a_field_the_record_lacks_is_not_described(app, risk, cast):
    """The plan records `status_date` with a status change but keeps it elsewhere: the
    notice names what it can show, and never shows "(empty)" for it."""

    class FormWithADate(RiskForm):
        status_date = StringField("Date the status was reached")

    editing.save(
        cast.coordinator,
        risk,
        {"likelihood": "high"},
        1,
        "risk.edit",
        status_date=(None, "2026-01-01"),
    )
    with pytest.raises(editing.EditConflict) as refused:
        editing.save(cast.admin, risk, {"likelihood": "low"}, 1, "risk.edit")
    with app.test_request_context(method="POST", data={"version": "1"}):
        notice = editing.describe(refused.value, FormWithADate())
    assert notice.fields == [("Likelihood", "High")]


def test_tokens_older_than_two_days_are_forgotten(db, cast):
    import datetime as dt

    from exchange.db import utcnow

    old = submissions.new_token()
    _db.session.add(
        submissions.Submission(
            token=old, user_id=cast.coordinator.id, created_dt=utcnow() - dt.timedelta(days=3)
        )
    )
    recent = submissions.claim(submissions.new_token(), cast.coordinator)
    _db.session.commit()
    assert _db.session.get(submissions.Submission, old) is None
    assert _db.session.get(submissions.Submission, recent.token) is not None


def test_an_unreadable_version_is_version_0_not_an_error(app):
    with app.test_request_context(method="POST", data={"version": "abc", "likelihood": "low"}):
        form = RiskForm()
        assert form.validate()
        assert form.version.data == 0
