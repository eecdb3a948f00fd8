"""The directory: who sees which organisations, filters, pagination and bad query strings."""

import pytest
import sqlalchemy as sa

from exchange.db import db
from exchange.organisations.models import OrgKind, ThemeRelation
from tests import factories
from tests.organisations.conftest import text


@pytest.fixture
def towns(cast):
    hidden = factories.make_org(name="Hiddenville", is_verified=False, verified_dt=None)
    factories.make_coordinator(hidden, email="coordinator@hiddenville.example")
    cast.mechelen.set_themes(ThemeRelation.STRENGTH, ["employment"])
    cast.capaci.set_themes(ThemeRelation.NEED, ["employment", "housing"])
    factories.make_org(name="Lyon", country="FR", languages=["fr"])
    db.session.commit()
    return cast


def test_anonymous_sees_verified_organisations_only(client, towns):
    page = text(client.get("/organisations/"))
    assert "Mechelen" in page and "Capaci" in page and "Lyon" in page
    assert "Hiddenville" not in page
    assert "Not verified yet" not in page


def test_admin_also_sees_unverified_organisations_marked(client, towns, login_as):
    login_as(towns.admin)
    page = text(client.get("/organisations/"))
    assert "Hiddenville" in page
    assert "Not verified yet" in page


def test_filter_by_kind(client, towns):
    page = text(client.get("/organisations/", query_string={"kind": OrgKind.ASSOCIATION}))
    assert "VVSG" in page and "AICCRE" in page
    assert "Mechelen" not in page


def test_filter_by_country_offers_the_countries_present(client, towns):
    page = text(client.get("/organisations/", query_string={"country": "IT"}))
    assert "Capaci" in page and "AICCRE" in page
    assert "Mechelen" not in page and "Lyon" not in page
    assert '<option value="FR">France</option>' in page
    assert 'value="DE"' not in page  # nobody from Germany yet


def test_theme_filter_matches_needs_and_strengths(client, towns):
    page = text(client.get("/organisations/", query_string={"theme": "employment"}))
    assert "Mechelen" in page  # offers it
    assert "Capaci" in page  # needs it
    assert "Lyon" not in page
    page = text(client.get("/organisations/", query_string={"theme": "housing"}))
    assert "Capaci" in page and "Mechelen" not in page


def test_search_by_name_or_acronym(client, towns):
    page = text(client.get("/organisations/", query_string={"q": "vvsg"}))
    assert "Association of Flemish Cities" in page and "Mechelen" not in page
    page = text(client.get("/organisations/", query_string={"q": "mech"}))
    assert "Mechelen" in page and "Capaci" not in page
    page = text(client.get("/organisations/", query_string={"q": "100%_"}))
    assert "No organisation matches these filters." in page


def test_pagination_keeps_the_filters(client, cast, monkeypatch, app):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 2)
    for n in range(5):
        factories.make_org(name=f"Gemeente {n}", country="NL")
    db.session.commit()
    first = text(client.get("/organisations/", query_string={"country": "NL"}))
    assert "5 organisations" in first
    assert "Page 1 of 3" in first
    assert "Gemeente 0" in first and "Gemeente 2" not in first
    assert "country=NL" in first and "page=2" in first
    second = text(client.get("/organisations/", query_string={"country": "NL", "page": 2}))
    assert "Gemeente 2" in second and "Gemeente 0" not in second
    assert client.get("/organisations/?country=NL&page=4").status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        "page=abc",
        "page=-1",
        "page=0",
        "page=99999",
        "page=99999999999999999999999",
        "kind=castle",
        "country=XX",
        "country=%00",
        "theme=nonsense",
        "q=%00",
        "q=" + "x" * 500,
        "kind=municipality&kind=association",
        "page=1.5",
        "per_page=100000",
        "q=%27%22%3C%3E",
    ],
)
def test_garbage_query_strings_never_fail(client, towns, query):
    response = client.get(f"/organisations/?{query}")
    assert response.status_code in (200, 404)


def test_unknown_filter_values_are_ignored(client, towns):
    page = text(client.get("/organisations/?kind=castle&page=abc"))
    assert "Mechelen" in page and "VVSG" in page


def count_queries(app, client, url) -> int:
    statements = []

    def record(*_args):
        statements.append(1)

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        assert client.get(url).status_code == 200
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    return len(statements)


def test_the_directory_costs_the_same_queries_for_more_organisations(app, client, cast):
    few = count_queries(app, client, "/organisations/")
    for n in range(12):
        org = factories.make_org(name=f"Stad {n}", parent=cast.vvsg)
        org.set_themes(ThemeRelation.NEED, ["housing", "health"])
    db.session.commit()
    many = count_queries(app, client, "/organisations/")
    assert many == few
