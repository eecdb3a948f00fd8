"""Every route × role × method answers as the access matrix says; no route is missing from it."""

import datetime as dt

import pytest

from exchange import create_app
from exchange.access import ACCESS_MATRIX, LOGIN, NOT_FOUND, OK, ROLES
from exchange.db import db, utcnow
from exchange.news.models import NewsItem
from exchange.organisations.models import Invitation
from exchange.resources.models import Resource
from exchange.storage import StoredFile
from tests.conftest import BASE_CONFIG
from tests.factories import (
    make_action,
    make_activity,
    make_indicator,
    make_org,
    make_pairing,
    make_practice,
    make_risk,
    make_transfer,
)

_APP = create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
RULES = [rule for rule in _APP.url_map.iter_rules()]
CASES = [
    (rule.endpoint, rule.rule, method, role)
    for rule in RULES
    for method in sorted(rule.methods - {"HEAD", "OPTIONS"})
    for role in ROLES
]


def test_every_route_is_in_the_matrix():
    endpoints = {rule.endpoint for rule in RULES}
    assert endpoints - set(ACCESS_MATRIX) == set(), "routes missing from the access matrix"
    assert set(ACCESS_MATRIX) - endpoints == set(), "matrix entries for routes that do not exist"


def test_a_route_missing_from_the_matrix_is_closed(make_app):
    app = make_app()
    app.add_url_rule("/unlisted", "unlisted", lambda: "open")
    assert app.test_client().get("/unlisted").status_code == 404


def _url_values(cast, invitation_id, pairing, practice, transfer, news, resource, log):
    return {
        **log,
        "news_id": news.id,
        "resource_id": resource.id,
        "practice_id": practice.id,
        "file_id": practice.attachments[0].stored_file_id,
        "transfer_id": transfer.id,
        "org_id": cast.mechelen.id,
        "pairing_id": pairing.id,
        "programme_id": pairing.programme_id,
        "step": "hold",
        "user_id": cast.participant.id,
        "invitation_id": invitation_id,
        "token": "not-a-valid-token",
        "filename": "css/site.css",
    }


def _exchange_log(cast, pairing, practice) -> dict:
    """A held activity carrying the practice's file, an action, an indicator with a
    measurement, a risk, and the participant's private calendar link."""
    from exchange.activities.models import ActivityAttachment
    from exchange.calendars.models import CalendarFeed

    activity = make_activity(pairing)
    stored = practice.attachments[0].file
    activity.attachments.append(ActivityAttachment(stored_file_id=stored.id, file=stored))
    action = make_action(pairing)
    indicator = make_indicator(pairing, measurements=[(dt.date(2026, 1, 1), 3)])
    risk = make_risk(pairing)
    feed = CalendarFeed(user=cast.participant, token="a-private-calendar-token")
    db.session.add(feed)
    db.session.flush()
    return {
        "activity_id": activity.id,
        "action_id": action.id,
        "indicator_id": indicator.id,
        "measurement_id": indicator.measurements[0].id,
        "risk_id": risk.id,
        "feed_token": feed.token,
    }


def _sign_in(client, user):
    """Put the user's login in the session directly: this test makes ~300 requests."""
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True


@pytest.mark.parametrize(
    ("endpoint", "rule", "method", "role"),
    CASES,
    ids=[f"{m} {r} as {role}" for _e, r, m, role in CASES],
)
def test_route_answers_as_the_matrix_says(app, client, cast, endpoint, rule, method, role):
    invitation = Invitation(
        organisation=cast.mechelen,
        email="new@mechelen.example",
        token_hash="x" * 64,
        invited_by=cast.coordinator,
        expires_dt=utcnow() + dt.timedelta(days=3),
    )
    db.session.add(invitation)
    # Mechelen mentors a city of another association: the Capaci coordinator is an
    # outsider, the VVSG officer monitors it. Active, so outsiders see a public summary.
    mentee = make_org(name="Partinico", parent=cast.aiccre, country="IT")
    pairing = make_pairing(cast.mechelen, mentee, status="active")
    # A published practice of Mechelen with a file, adopted by another city's pairing.
    practice = make_practice(cast.mechelen, with_file=True)
    other_pairing = make_pairing(cast.capaci, make_org(name="Lier", parent=cast.vvsg))
    transfer = make_transfer(practice, pairing)
    make_transfer(practice, other_pairing)
    # News and a resource (with a file to download) of VVSG, the officer's association.
    news = NewsItem(
        title="News of VVSG",
        summary="A summary.",
        body="A body.",
        language="nl",
        published_dt=utcnow() - dt.timedelta(days=1),
        author_organisation=cast.vvsg,
    )
    pdf = b"%PDF-1.4\n% a resource\n"
    resource = Resource(
        kind="guide",
        title="Welcoming newcomers: a guide",
        language="en",
        published_date=dt.date(2026, 1, 1),
        author_organisation=cast.vvsg,
        file=StoredFile(
            name="guide.pdf", media_type="application/pdf", size=len(pdf), sha256="0" * 64, data=pdf
        ),
    )
    db.session.add_all([news, resource])
    log = _exchange_log(cast, pairing, practice)
    db.session.commit()
    values = _url_values(cast, invitation.id, pairing, practice, transfer, news, resource, log)
    url_rule = next(r for r in app.url_map.iter_rules() if r.rule == rule)
    url = url_rule.build({k: values[k] for k in url_rule.arguments})[1]
    user = cast.by_role(role)
    if user is not None:
        _sign_in(client, user)

    response = client.open(url, method=method, data={})
    response.close()

    expected = ACCESS_MATRIX[endpoint].expect[role]
    location = response.headers.get("Location", "")
    if expected == OK:
        assert response.status_code not in (403, 404, 405, 500), response.status_code
        assert not location.startswith("/login"), location
    elif expected == LOGIN:
        assert response.status_code == 302 and location.startswith("/login"), (
            response.status_code,
            location,
        )
    else:
        assert expected == NOT_FOUND
        assert response.status_code == 404
