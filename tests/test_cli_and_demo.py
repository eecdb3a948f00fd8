"""Demo data, the first administrator, and the audit trail."""

import pytest
import sqlalchemy as sa

from exchange.accounts.models import User
from exchange.audit import AuditEvent, record
from exchange.demo import account_list, slug
from exchange.organisations.models import Organisation, OrgKind
from exchange.security import verify_password


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def test_slug_removes_accents_and_spaces():
    assert slug("City of Brussels") == "city-of-brussels"
    assert slug("Saint-Jean-de-la-Ruelle") == "saint-jean-de-la-ruelle"
    assert slug("Schaerbeek") == "schaerbeek"


def test_seed_demo_loads_the_real_inclucities_organisations(runner, db):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    orgs = {o.name: o for o in db.session.scalars(sa.select(Organisation))}
    assert len([o for o in orgs.values() if o.kind == OrgKind.MUNICIPALITY]) == 9
    assert len([o for o in orgs.values() if o.kind == OrgKind.ASSOCIATION]) == 7
    assert orgs["Council of European Municipalities and Regions"].kind == OrgKind.NETWORK_LEAD
    assert orgs["Mechelen"].parent.acronym == "VVSG"
    assert orgs["Capaci"].parent.acronym == "AICCRE"
    assert orgs["Mechelen"].population == 87000
    assert "participation" in orgs["Mechelen"].strengths
    assert "participation" in orgs["Capaci"].needs
    assert all(o.is_verified for o in orgs.values())


def test_every_demo_account_can_log_in(runner, app, db):
    runner.invoke(args=["seed-demo"])
    emails = {email for email, _ in account_list()}
    assert {
        "admin@demo.example",
        "officer.vvsg@demo.example",
        "coordinator.mechelen@demo.example",
        "participant.city-of-brussels@demo.example",
        "coordinator.saint-jean-de-la-ruelle@demo.example",
    } <= emails
    users = db.session.scalars(sa.select(User)).all()
    assert {u.email for u in users} == emails
    client = app.test_client()
    for email in sorted(emails):
        response = client.post("/login", data={"email": email, "password": "city-exchange-demo"})
        assert response.status_code == 302, email
        client.post("/logout")
    admin = db.session.scalar(sa.select(User).where(User.email == "admin@demo.example"))
    assert admin.is_admin and admin.organisation.acronym == "CEMR"


def test_seed_demo_refuses_a_database_with_data(runner):
    runner.invoke(args=["seed-demo"])
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code != 0
    assert "not empty" in result.output
    assert runner.invoke(args=["seed-demo", "--if-empty"]).exit_code == 0


def test_seed_demo_refuses_a_production_configuration(make_app, db):
    app = make_app(TESTING=False, ENVIRONMENT="production")
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code != 0
    assert "production" in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Organisation)) == 0


def test_create_admin(runner, db):
    result = runner.invoke(
        args=["create-admin", "Boss@City.example", "--name", "Boss"],
        input="river lantern copper meadow\nriver lantern copper meadow\n",
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(sa.select(User).where(User.email == "boss@city.example"))
    assert user.is_admin and user.is_email_confirmed
    assert verify_password(user.password_hash, "river lantern copper meadow")


def test_create_admin_refuses_a_weak_password(runner, db):
    result = runner.invoke(args=["create-admin", "boss@city.example"], input="password\npassword\n")
    assert result.exit_code != 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0


def test_audit_events_are_append_only(db):
    user = User(email="a@b.example", name="A", password_hash="x")
    db.session.add(user)
    db.session.flush()
    event = record(user, "user.test", user, name=("A", "B"))
    db.session.commit()
    assert event.summary == {"name": ["A", "B"]}
    event.action = "changed"
    with pytest.raises(RuntimeError, match="append-only"):
        db.session.flush()
    db.session.rollback()
    db.session.delete(db.session.get(AuditEvent, event.id))
    with pytest.raises(RuntimeError, match="append-only"):
        db.session.flush()
    db.session.rollback()
