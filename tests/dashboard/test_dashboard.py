"""The monitoring dashboard: who sees which pairings, the filters, the order, the totals,
and a page that costs the same few queries whatever the number of pairings."""

import datetime as dt

import pytest

from exchange.dashboard import queries
from exchange.db import db as _db
from exchange.db import utcnow
from exchange.plans import queries as plan_queries
from tests.dashboard.conftest import ids, listed
from tests.factories import make_activity, make_indicator, make_org, make_pairing
from tests.test_query_counts import count_queries

# Who sees what


def test_an_officer_sees_the_pairings_of_the_association_and_its_cities(
    client, cast, world, login_as
):
    login_as(cast.officer)
    shown = set(listed(client.get("/dashboard")))
    # Mechelen and Brugge are VVSG cities; VVSG is Gent's association in Gent-Bari
    assert shown == set(ids(world.mechelen_capaci, world.brugge_lyon, world.gent_bari))
    assert world.roma_bari.id not in shown


def test_a_coordinator_sees_only_their_city_s_pairings(client, cast, world, login_as):
    login_as(cast.coordinator)
    assert listed(client.get("/dashboard")) == ids(world.mechelen_capaci)
    login_as(cast.other_coordinator)
    assert listed(client.get("/dashboard")) == ids(world.mechelen_capaci)


def test_an_admin_sees_every_pairing(client, cast, world, login_as):
    login_as(cast.admin)
    assert set(listed(client.get("/dashboard"))) == set(ids(*world.running))
    everything = set(listed(client.get("/dashboard?status=all")))
    assert everything == set(ids(*world.running, world.proposed, world.completed))


def test_participants_get_404_and_visitors_the_login_page(client, cast, world, login_as):
    response = client.get("/dashboard")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
    login_as(cast.participant)
    assert client.get("/dashboard").status_code == 404


def test_the_navigation_links_the_dashboard_for_those_who_use_it(client, cast, login_as):
    assert "/dashboard" not in client.get("/").get_data(as_text=True)
    login_as(cast.participant)
    assert 'href="/dashboard"' not in client.get("/").get_data(as_text=True)
    for user in (cast.coordinator, cast.officer, cast.admin):
        login_as(user)
        assert 'href="/dashboard"' in client.get("/").get_data(as_text=True)


# What a row says


def test_a_row_shows_health_with_reasons_last_activity_and_progress(client, cast, world, login_as):
    login_as(cast.admin)
    page = client.get("/dashboard").get_data(as_text=True)
    assert "At risk" in page
    assert "No activity held yet; confirmed 120 days ago." in page
    assert "3 actions of the plan are overdue." in page
    assert "The last activity was held today." in page
    assert "Needs attention" in page and "On track" in page
    assert "37.5%" in page  # Mechelen-Capaci: the mean of 25 % and 50 %
    assert "100%" in page  # Brugge-Lyon: beyond the target counts as reached
    assert "No measurement" in page  # Gent-Bari
    assert "None held yet" in page
    assert f'href="/pairings/{world.mechelen_capaci.id}/report"' in page
    assert 'role="region"' in page and 'tabindex="0"' in page
    assert "<caption" in page and 'scope="col"' in page


def test_the_figures_of_a_row(app, cast, world):
    rows = {row.pairing.id: row for row in queries.all_rows(cast.admin, {}, utcnow())}
    mechelen = rows[world.mechelen_capaci.id]
    assert mechelen.held_this_year == 1  # not the one 400 days ago, nor the planned one
    assert mechelen.days_since_held == 0
    assert mechelen.last_held_date == utcnow().date()
    assert mechelen.progress == pytest.approx(0.375)
    assert mechelen.verdict.health == "green"
    roma = rows[world.roma_bari.id]
    assert roma.overdue == 3
    assert roma.verdict.health == "red"
    assert rows[world.gent_bari.id].progress is None
    assert rows[world.gent_bari.id].last_held_dt is None


def test_indicator_progress_in_sql_agrees_with_the_plan_queries(app, cast, world):
    today = utcnow().date()
    pairing = world.gent_bari
    for baseline, target, value in [(0, 10, 3), (10, 0, 4), (5, 5, 5), (5, 5, 6), (0, 3, 1)]:
        make_indicator(pairing, baseline=baseline, target=target, measurements=[(today, value)])
    _db.session.commit()
    expected = plan_queries.indicator_progress(ids(*world.running, world.completed))
    rows = queries.all_rows(cast.admin, {"status": "all"}, utcnow())
    found = {row.pairing.id: row.progress for row in rows if row.progress is not None}
    assert found == pytest.approx(expected)


# Filters


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("programme={inclucities}", ["mechelen_capaci", "gent_bari"]),
        ("association={aiccre}", ["mechelen_capaci", "gent_bari", "roma_bari"]),
        ("association={vvsg}", ["mechelen_capaci", "brugge_lyon", "gent_bari"]),
        ("country=FR", ["brugge_lyon"]),
        ("country=IT", ["mechelen_capaci", "gent_bari", "roma_bari"]),
        ("phase=3", ["brugge_lyon", "roma_bari"]),
        ("health=red", ["brugge_lyon", "roma_bari"]),
        ("health=amber", ["gent_bari"]),
        ("health=green", ["mechelen_capaci"]),
        ("status=proposed", ["proposed"]),
        ("status=completed", ["completed"]),
        ("status=open", ["mechelen_capaci", "brugge_lyon", "gent_bari", "roma_bari", "proposed"]),
        ("status=completed&phase=8", ["completed"]),
        ("health=red&programme={welcoming}&country=IT", ["roma_bari"]),
    ],
)
def test_each_filter(client, cast, world, login_as, query, expected):
    login_as(cast.admin)
    url = "/dashboard?" + query.format(
        inclucities=world.inclucities.id,
        welcoming=world.welcoming.id,
        aiccre=cast.aiccre.id,
        vvsg=cast.vvsg.id,
    )
    assert set(listed(client.get(url))) == {getattr(world, name).id for name in expected}


def test_filters_never_show_what_the_user_may_not_see(client, cast, world, login_as):
    login_as(cast.officer)
    shown = listed(client.get(f"/dashboard?association={cast.aiccre.id}&health=red"))
    assert shown == []  # Roma-Bari is red and AICCRE's, but not VVSG's to follow


@pytest.mark.parametrize(
    "query",
    [
        "programme=abc",
        "programme=99999999999999999999999",
        "association=-1",
        "country=%00",
        "phase=12",
        "phase=%C2%B2",
        "health=purple",
        "status=deleted",
        "sort=DROP TABLE",
        "page=abc",
        "lang=xx",
    ],
)
def test_garbage_filters_are_ignored(client, cast, world, login_as, query):
    login_as(cast.admin)
    assert set(listed(client.get("/dashboard?" + query))) == set(ids(*world.running))


def test_a_page_after_the_last_is_not_found(client, cast, world, login_as):
    login_as(cast.admin)
    assert client.get("/dashboard?page=2").status_code == 404
    assert client.get("/dashboard?page=0").status_code == 404


# Order


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        # red (the most overdue first), amber, green
        ("health", ["roma_bari", "brugge_lyon", "gent_bari", "mechelen_capaci"]),
        ("", ["roma_bari", "brugge_lyon", "gent_bari", "mechelen_capaci"]),
        # never held (by id), then the oldest last activity
        ("inactive", ["brugge_lyon", "gent_bari", "roma_bari", "mechelen_capaci"]),
        # most overdue first, then the worst health, then by id
        ("overdue", ["roma_bari", "brugge_lyon", "gent_bari", "mechelen_capaci"]),
        ("name", ["brugge_lyon", "gent_bari", "mechelen_capaci", "roma_bari"]),
        # IncluCities (Gent, Mechelen), then Welcoming Cities (Brugge, Roma)
        ("programme", ["gent_bari", "mechelen_capaci", "brugge_lyon", "roma_bari"]),
    ],
)
def test_sorting(client, cast, world, login_as, sort, expected):
    login_as(cast.admin)
    shown = listed(client.get(f"/dashboard?sort={sort}"))
    assert shown == [getattr(world, name).id for name in expected]


def test_pages_are_stable_when_every_key_ties(app, client, cast, login_as):
    """Pairings alike in everything are ordered by id: each is on exactly one page."""
    app.config["PAGE_SIZE"] = 2
    try:
        mentor, mentee = make_org(name="Alike"), make_org(name="Same")
        made = [make_pairing(mentor, mentee, status="active") for _ in range(5)]
        _db.session.commit()
        login_as(cast.admin)
        for sort in ("health", "inactive", "overdue", "name", "programme"):
            shown = []
            for page in (1, 2, 3):
                shown += listed(client.get(f"/dashboard?sort={sort}&page={page}"))
            assert shown == sorted(shown) == ids(*made), sort
    finally:
        app.config["PAGE_SIZE"] = 20


def test_pagination_keeps_the_filters(app, client, cast, world, login_as):
    app.config["PAGE_SIZE"] = 2
    try:
        login_as(cast.admin)
        page = client.get("/dashboard?sort=name").get_data(as_text=True)
        assert "Page 1 of 2" in page
        assert "page=2" in page and "sort=name" in page
        assert listed(client.get("/dashboard?sort=name&page=2")) == ids(
            world.mechelen_capaci, world.roma_bari
        )
    finally:
        app.config["PAGE_SIZE"] = 20


# Totals


def test_totals_match_the_rows(app, cast, world):
    now = utcnow()
    for user in (cast.admin, cast.officer, cast.coordinator):
        for filters in ({}, {"status": "all"}, {"health": "red"}, {"country": "IT"}):
            rows = list(queries.all_rows(user, filters, now))
            totals = queries.totals(user, filters, now)
            healths = [row.verdict.health if row.verdict else None for row in rows]
            assert totals.pairings == len(rows)
            assert totals.green == healths.count("green")
            assert totals.amber == healths.count("amber")
            assert totals.red == healths.count("red")
            assert totals.not_judged == healths.count(None)
            assert totals.held_this_year == sum(row.held_this_year for row in rows)
            assert totals.overdue == sum(row.overdue for row in rows)


def test_the_totals_on_the_page(client, cast, world, login_as):
    login_as(cast.admin)
    page = client.get("/dashboard").get_data(as_text=True)
    totals = queries.totals(cast.admin, {"status": "running"}, utcnow())
    assert (totals.pairings, totals.green, totals.amber, totals.red) == (4, 1, 1, 2)
    assert (totals.held_this_year, totals.overdue, totals.silent) == (2, 3, 1)
    assert "Totals for these filters" in page
    assert "Active pairings without a held activity for 90 days or more</dt>" in page


# Cost


def test_a_page_costs_the_same_queries_for_3_or_30_pairings(app, cast, login_as):
    client = app.test_client()
    login_as(cast.officer, the_client=client)
    today = utcnow().date()

    def add_pairings(n: int) -> None:
        for i in range(n):
            mentor = make_org(name=f"Mentor {i}", parent=cast.vvsg)
            mentee = make_org(name=f"Mentee {i}", country="FR")
            pairing = make_pairing(mentor, mentee, status="active")
            make_activity(pairing, start_date=today - dt.timedelta(days=i))
            make_indicator(pairing, measurements=[(today, i)])
        _db.session.commit()

    def queries_for(url: str) -> int:
        with count_queries(_db.engine) as statements:
            assert client.get(url).status_code == 200
        return len(statements)

    add_pairings(3)
    small = {url: queries_for(url) for url in ("/dashboard", "/dashboard?sort=name&health=green")}
    add_pairings(27)
    large = {url: queries_for(url) for url in small}
    assert large == small
    assert max(small.values()) <= 12
