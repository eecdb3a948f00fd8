"""The pairing pages as their users see them: lists, overview, steps, forms, programmes."""

import datetime as dt
import re

import pytest
import sqlalchemy as sa

from exchange.db import db as _db
from exchange.db import utcnow
from exchange.pairings.models import Pairing
from exchange.programmes.models import Programme
from tests.factories import (
    make_association,
    make_coordinator,
    make_org,
    make_pairing,
    make_programme,
)
from tests.test_query_counts import count_queries


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def field_error(response, field_id: str) -> str:
    html = response.get_data(as_text=True)
    match = re.search(rf'id="{field_id}-error">(.*?)</p>', html, re.S)
    return (
        re.sub(r"<[^>]+>|\s+", " ", match.group(1)).replace("Error:", "").strip() if match else ""
    )


@pytest.fixture
def world(db, cast):
    """Around the cast (Mechelen/VVSG, Capaci/AICCRE): a third city and its coordinator."""

    class W:
        jelgava = make_org(name="Jelgava", country="LV")
        jelgava_coordinator = make_coordinator(jelgava, email="coordinator@jelgava.example")
        programme = make_programme(name="Demo exchange")
        proposed = None
        active = None

    W.proposed = make_pairing(cast.mechelen, W.jelgava, programme=W.programme)
    W.active = make_pairing(
        cast.capaci, W.jelgava, status="active", programme=W.programme, themes=["housing"]
    )
    db.session.commit()
    return W


def titles(response) -> list[str]:
    return re.findall(
        r"<h3><a href=\"/pairings/\d+\">(.*?)</a></h3>", response.get_data(as_text=True)
    )


def test_anonymous_visitors_see_active_and_completed_pairings_only(client, world):
    page = client.get("/pairings/")
    assert titles(page) == ["Capaci mentors Jelgava"]
    assert "1 pairing" in text(page)


def test_members_and_officers_also_see_their_own_open_pairings(client, cast, world, login_as):
    login_as(cast.participant)
    assert sorted(titles(client.get("/pairings/"))) == [
        "Capaci mentors Jelgava",
        "Mechelen mentors Jelgava",
    ]
    client.post("/logout")
    login_as(cast.officer)  # VVSG, Mechelen's association
    assert "Mechelen mentors Jelgava" in titles(client.get("/pairings/"))
    client.post("/logout")
    login_as(cast.other_coordinator)  # Capaci: not in the proposed pairing
    assert titles(client.get("/pairings/")) == ["Capaci mentors Jelgava"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=proposed", ["Mechelen mentors Jelgava"]),
        ("status=active", ["Capaci mentors Jelgava"]),
        ("theme=housing", ["Capaci mentors Jelgava"]),
        ("country=LV", ["Capaci mentors Jelgava", "Mechelen mentors Jelgava"]),
        ("country=BE", ["Mechelen mentors Jelgava"]),
        ("phase=1", ["Capaci mentors Jelgava"]),
        (f"organisation={2**31}", ["Capaci mentors Jelgava", "Mechelen mentors Jelgava"]),
        ("health=green", ["Capaci mentors Jelgava"]),
        ("health=red", []),
        (
            "status=nonsense&programme=abc&phase=99",
            ["Capaci mentors Jelgava", "Mechelen mentors Jelgava"],
        ),
    ],
)
def test_filters(client, world, login_as, query, expected):
    login_as(world.jelgava_coordinator)
    page = client.get(f"/pairings/?{query}")
    assert page.status_code == 200
    assert sorted(titles(page)) == expected


def test_health_is_shown_to_those_who_follow_the_pairing_only(client, cast, world, login_as):
    world.active.confirmed_dt = utcnow() - dt.timedelta(days=100)
    _db.session.commit()
    public = client.get("/pairings/?health=green")  # no health filter for the public
    assert titles(public) == ["Capaci mentors Jelgava"]
    assert "At risk" not in text(public) and 'name="health"' not in public.get_data(as_text=True)
    login_as(cast.participant)  # Mechelen: not in the active pairing
    assert titles(client.get("/pairings/?health=red")) == []
    client.post("/logout")
    login_as(world.jelgava_coordinator)
    page = client.get("/pairings/?health=red")
    assert titles(page) == ["Capaci mentors Jelgava"] and "At risk" in text(page)


def test_a_page_beyond_the_last_is_not_found(client, world):
    assert client.get("/pairings/?page=50").status_code == 404


def test_the_overview_of_a_proposed_pairing_is_private(client, cast, world, login_as):
    url = f"/pairings/{world.proposed.id}"
    assert client.get(url).status_code == 404
    login_as(cast.other_coordinator)
    assert client.get(url).status_code == 404
    assert client.get(f"{url}/history").status_code == 404


def test_outsiders_see_a_summary_of_an_active_pairing(client, world):
    page = client.get(f"/pairings/{world.active.id}")
    assert page.status_code == 200
    assert "Capaci mentors Jelgava" in text(page) and "Build a buddy scheme" in text(page)
    assert "People" not in text(page) and "/history" not in page.get_data(as_text=True)


def test_the_overview_tells_each_insider_what_they_can_do(client, cast, world, login_as):
    url = f"/pairings/{world.proposed.id}"
    login_as(world.jelgava_coordinator)  # the mentee proposed: it can only withdraw
    page = text(client.get(url))
    assert "A coordinator of Mechelen accepts or declines it." in page
    assert "Withdraw from the pairing" in page and "Accept the proposal" not in page
    client.post("/logout")
    login_as(cast.coordinator)  # Mechelen answers
    page = text(client.get(url))
    assert "Accept the proposal" in page and "Decline the proposal" in page
    client.post("/logout")
    login_as(cast.participant)
    page = text(client.get(url))
    assert "There is nothing for you to do here now." in page
    assert "People" in page and cast.participant.name in page  # members of both sides


def test_accepting_through_the_step_page(client, cast, world, login_as, outbox):
    login_as(cast.coordinator)
    url = f"/pairings/{world.proposed.id}/steps/accept"
    form = client.get(url)
    assert 'name="version" type="hidden" value="1"' in form.get_data(as_text=True)
    done = client.post(url, data={"version": "1", "message": "Gladly."}, follow_redirects=True)
    assert "You accepted the proposal." in text(done)
    assert _db.session.get(Pairing, world.proposed.id).status == "accepted"
    assert [m.recipient for m in outbox()] == [
        "coordinator@jelgava.example",
        "officer@vvsg.example",
    ]


def test_a_refused_step_says_why_and_changes_nothing(client, cast, world, login_as):
    login_as(cast.participant)
    url = f"/pairings/{world.proposed.id}/steps/accept"
    page = client.post(url, data={"version": "1"}, follow_redirects=True)
    assert "Only a coordinator of Jelgava" not in text(page)
    assert "Only a coordinator of Mechelen, the city that received the proposal" in text(page)
    assert _db.session.get(Pairing, world.proposed.id).status == "proposed"
    assert client.get(url, follow_redirects=True).request.path == f"/pairings/{world.proposed.id}"


def test_an_outsider_cannot_act_by_crafting_a_post(client, cast, world, login_as):
    login_as(cast.other_coordinator)
    for step in ("accept", "decline", "withdraw"):
        response = client.post(
            f"/pairings/{world.proposed.id}/steps/{step}", data={"version": "1", "message": "x"}
        )
        assert response.status_code == 404
    assert (
        client.post(f"/pairings/{world.proposed.id}/phase", data={"phase": "2"}).status_code == 404
    )
    _db.session.expire_all()
    assert _db.session.get(Pairing, world.proposed.id).status == "proposed"


def test_an_unknown_step_is_not_found(client, cast, world, login_as):
    login_as(cast.coordinator)
    assert client.get(f"/pairings/{world.proposed.id}/steps/approve").status_code == 404


def test_declining_needs_a_reason_next_to_the_field(client, cast, world, login_as):
    login_as(cast.coordinator)
    url = f"/pairings/{world.proposed.id}/steps/decline"
    page = client.post(url, data={"version": "1", "message": ""})
    assert page.status_code == 200
    assert field_error(page, "message") == "Say why, in a few words: the other people will read it."
    assert _db.session.get(Pairing, world.proposed.id).status == "proposed"


def test_two_coordinators_at_once_one_wins_the_other_is_told(app, cast, world, login_as):
    first, second = app.test_client(), app.test_client()
    second_coordinator = make_coordinator(cast.mechelen, email="second@mechelen.example")
    _db.session.commit()
    login_as(cast.coordinator, the_client=first)
    login_as(second_coordinator, the_client=second)
    url = f"/pairings/{world.proposed.id}/steps"
    assert first.get(f"{url}/accept").status_code == 200
    assert second.get(f"{url}/decline").status_code == 200  # both opened version 1
    first.post(f"{url}/accept", data={"version": "1"})
    late = second.post(
        f"{url}/decline", data={"version": "1", "message": "No"}, follow_redirects=True
    )
    assert "Someone changed this pairing while you were looking at it" in text(late)
    _db.session.expire_all()
    pairing = _db.session.get(Pairing, world.proposed.id)
    assert pairing.status == "accepted" and [s.step for s in pairing.steps] == ["accept"]


def test_moving_the_phase_from_the_form(client, world, login_as):
    login_as(world.jelgava_coordinator)
    url = f"/pairings/{world.active.id}/phase"
    page = client.get(url)
    assert '<option selected value="2">' in page.get_data(as_text=True)  # the next phase
    done = client.post(url, data={"version": "1", "phase": "3"}, follow_redirects=True)
    assert "The pairing is now in Phase 3 of 8: Mentoring training" in text(done)
    back = client.post(url, data={"version": "2", "phase": "2", "reason": ""})
    assert field_error(back, "reason") == "Say why the pairing goes back to an earlier phase."
    history = text(client.get(f"/pairings/{world.active.id}/history"))
    assert "Phase changed" in history and "Phase 1 of 8" in history


def test_the_proposal_form_keeps_what_was_typed_and_says_what_is_wrong(
    client, cast, world, login_as
):
    login_as(cast.coordinator)
    page = client.post(
        "/pairings/new",
        data={
            "programme_id": world.programme.id,
            "mentor_id": cast.mechelen.id,
            "mentee_id": cast.mechelen.id,
            "themes": ["housing"],
            "objective": "Our typed objective",
            "message": "Our typed message",
        },
    )
    assert page.status_code == 200
    assert field_error(page, "mentee_id") == "A city cannot be paired with itself."
    html = page.get_data(as_text=True)
    assert "Our typed objective" in html and "Our typed message" in html
    assert _db.session.scalar(sa.select(sa.func.count()).select_from(Pairing)) == 2


def test_the_proposal_form_is_prefilled_from_a_suggestion(client, cast, world, login_as):
    login_as(cast.other_coordinator)
    page = client.get(f"/pairings/new?mentor={cast.mechelen.id}&mentee={cast.capaci.id}")
    html = page.get_data(as_text=True)
    assert f'<option selected value="{cast.mechelen.id}">Mechelen</option>' in html
    assert f'<option selected value="{cast.vvsg.id}">' in html  # Mechelen's association


def test_proposing_from_the_form(client, cast, world, login_as, outbox):
    login_as(cast.other_coordinator)  # Capaci asks Mechelen
    done = client.post(
        "/pairings/new",
        data={
            "programme_id": world.programme.id,
            "mentor_id": cast.mechelen.id,
            "mentee_id": cast.capaci.id,
            "themes": ["participation"],
            "objective": "A city for all",
            "message": "Please",
        },
        follow_redirects=True,
    )
    assert "The coordinators of Mechelen will accept or decline it." in text(done)
    assert [m.recipient for m in outbox()] == ["coordinator@mechelen.example"]


def test_the_history_lists_every_change_newest_first(client, cast, world, login_as):
    login_as(cast.coordinator)
    client.post(
        f"/pairings/{world.proposed.id}/steps/accept", data={"version": "1", "message": "Yes!"}
    )
    page = text(client.get(f"/pairings/{world.proposed.id}/history"))
    assert "Accepted" in page and "Status Proposed → Accepted, waiting for confirmation" in page
    assert "Message Yes!" in page


# Programmes


def test_an_admin_creates_and_edits_a_programme(client, cast, login_as):
    login_as(cast.admin)
    page = client.post(
        "/programmes/new",
        data={
            "name": "Second round",
            "start_date": "2027-01-01",
            "end_date": "2026-01-01",
            "themes": ["housing"],
        },
    )
    assert field_error(page, "end_date") == "The end date must be on or after the start date."
    bad_date = client.post("/programmes/new", data={"name": "X", "start_date": "31/02/2027"})
    assert field_error(bad_date, "start_date") == "Enter a date like 2026-03-31."
    assert _db.session.scalar(sa.select(sa.func.count()).select_from(Programme)) == 0
    done = client.post(
        "/programmes/new",
        data={
            "name": "Second round",
            "start_date": "2027-01-01",
            "lead_id": cast.vvsg.id,
            "fund": "AMIF",
            "themes": ["housing"],
        },
        follow_redirects=True,
    )
    assert "The programme Second round is saved." in text(done)
    programme = _db.session.scalar(sa.select(Programme))
    assert programme.lead_id == cast.vvsg.id and programme.end_date is None
    make_programme(name="Taken")
    _db.session.commit()
    taken = client.post(
        f"/programmes/{programme.id}/edit", data={"name": "taken", "start_date": "2027-01-01"}
    )
    assert field_error(taken, "name") == "Another programme already has this name."


def test_a_programme_page_lists_the_pairings_the_reader_may_see(client, world):
    page = text(client.get(f"/programmes/{world.programme.id}"))
    assert "Capaci mentors Jelgava" in page and "Mechelen mentors Jelgava" not in page


# Costs


def grow(cast, programme, n):
    for i in range(n):
        mentor = make_org(name=f"Mentor {i}", parent=cast.vvsg)
        mentee = make_org(name=f"Mentee {i}", parent=make_association())
        make_coordinator(mentor)
        pairing = make_pairing(
            mentor, mentee, status="active", programme=programme, themes=["housing", "language"]
        )
        pairing.steps  # noqa: B018
    _db.session.commit()


@pytest.mark.parametrize(
    "path",
    [
        "/pairings/",
        "/pairings/?health=green&theme=housing",
        "/programmes/{programme}",
        "/programmes/",
        "/",
    ],
)
def test_list_pages_cost_the_same_queries_whatever_the_data(app, cast, world, login_as, path):
    client = app.test_client()
    login_as(cast.officer, the_client=client)
    url = path.format(programme=world.programme.id)

    def queries() -> int:
        with count_queries(_db.engine) as statements:
            assert client.get(url).status_code == 200
        return len(statements)

    grow(cast, world.programme, 2)
    small = queries()
    grow(cast, world.programme, 15)
    assert queries() == small
    assert small <= 14


def test_overview_and_history_cost_the_same_queries_whatever_the_history(
    app, cast, world, login_as
):
    from exchange.pairings import services

    client = app.test_client()
    login_as(cast.admin, the_client=client)
    pairing = world.active

    def queries(url) -> int:
        with count_queries(_db.engine) as statements:
            assert client.get(url).status_code == 200
        return len(statements)

    services.move_phase(cast.admin, pairing, 2, None, pairing.version)
    _db.session.commit()
    small = (queries(f"/pairings/{pairing.id}"), queries(f"/pairings/{pairing.id}/history"))
    for phase in (3, 4, 5, 6, 7, 8, 2):
        services.move_phase(cast.admin, pairing, phase, "Back again", pairing.version)
    _db.session.commit()
    large = (queries(f"/pairings/{pairing.id}"), queries(f"/pairings/{pairing.id}/history"))
    assert large == small


def test_home_tells_who_must_answer_and_who_must_confirm(client, cast, world, login_as):
    login_as(cast.coordinator)  # Mechelen received Jelgava's request
    page = text(client.get("/"))
    assert "Jelgava proposes a pairing: accept or decline it. Mechelen mentors Jelgava" in page
    assert "Pairings of Mechelen" in page
    client.post("/logout")
    world.proposed.status = "accepted"
    _db.session.commit()
    login_as(cast.officer)  # VVSG is the mentor's association
    assert "Both cities accepted this pairing: confirm it to start it." in text(client.get("/"))
    client.post("/logout")
    login_as(world.jelgava_coordinator)  # the proposer has nothing to answer
    assert "proposes a pairing" not in text(client.get("/"))


def test_a_city_profile_lists_its_pairings_and_links_its_advisers_to_suggestions(
    client, cast, world, login_as
):
    url = f"/organisations/{world.jelgava.id}"
    page = text(client.get(url))
    assert "Capaci mentors Jelgava" in page and "Mechelen mentors Jelgava" not in page
    assert "Suggested mentor cities" not in page
    login_as(world.jelgava_coordinator)
    page = text(client.get(url))
    assert "Mechelen mentors Jelgava" in page and "Suggested mentor cities for Jelgava" in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("mentor_id", str(2**31), "Choose a city from the list."),
        ("mentor_id", str(2**70), "Choose a city from the list."),
        ("programme_id", "99999", "Choose a programme from the list."),
        ("mentor_association_id", str(2**31), "Choose a verified association from the list."),
        ("mentee_association_id", "99999", "Choose a verified association from the list."),
    ],
)
def test_ids_that_name_nothing_are_refused_next_to_their_field(
    client, cast, world, login_as, field, value, message
):
    login_as(cast.coordinator)
    data = {
        "programme_id": world.programme.id,
        "mentor_id": cast.capaci.id,
        "mentee_id": cast.mechelen.id,
        "themes": ["housing"],
        "objective": "Objective",
        field: value,
    }
    page = client.post("/pairings/new", data=data)
    assert page.status_code == 200
    assert field_error(page, field) == message
    assert _db.session.scalar(sa.select(sa.func.count()).select_from(Pairing)) == 2


def test_a_replacement_naming_no_city_is_refused(client, cast, world, login_as):
    login_as(cast.admin)
    page = client.post(
        f"/pairings/{world.active.id}/replace",
        data={"version": "1", "side": "mentee", "organisation_id": str(2**40), "reason": "Left"},
    )
    assert field_error(page, "organisation_id") == "Choose a city from the list."


def test_coordinators_edit_the_terms_but_not_the_associations(
    client, cast, world, login_as, outbox
):
    login_as(world.jelgava_coordinator)
    url = f"/pairings/{world.proposed.id}/edit"
    form = client.get(url).get_data(as_text=True)
    assert 'name="mentor_association_id"' not in form
    assert "only an administrator changes them" in form
    done = client.post(
        url,
        data={
            "version": "1",
            "themes": ["participation", "housing"],
            "objective": "Sharper objective",
            "mentor_association_id": str(cast.aiccre.id),
        },
        follow_redirects=True,
    )
    assert "The terms of the pairing are saved." in text(done)
    pairing = _db.session.get(Pairing, world.proposed.id)
    assert pairing.objective == "Sharper objective"
    assert pairing.mentor_association_id == cast.vvsg.id  # the crafted field is ignored
    assert [m.recipient for m in outbox()] == ["coordinator@mechelen.example"]


def test_coordinators_set_the_time_zone_of_the_activities(client, world, login_as):
    login_as(world.jelgava_coordinator)
    url = f"/pairings/{world.proposed.id}/edit"
    assert _db.session.get(Pairing, world.proposed.id).time_zone == "Europe/Brussels"
    form = client.get(url).get_data(as_text=True)
    assert '<option value="Europe/Riga">Europe/Riga</option>' in form
    data = {"version": "1", "themes": ["participation"], "objective": "Buddies"}
    wrong = client.post(url, data={**data, "time_zone": "Mars/Olympus_Mons"})
    assert field_error(wrong, "time_zone") == "Choose a time zone from the list."
    assert _db.session.get(Pairing, world.proposed.id).time_zone == "Europe/Brussels"
    done = client.post(url, data={**data, "time_zone": "Europe/Riga"}, follow_redirects=True)
    assert "The terms of the pairing are saved." in text(done)
    _db.session.expire_all()
    assert _db.session.get(Pairing, world.proposed.id).time_zone == "Europe/Riga"


def test_a_new_time_zone_keeps_the_local_times_of_the_activities(client, world, login_as):
    from tests.factories import make_activity

    activity = make_activity(
        world.proposed,
        status="planned",
        start_date=dt.date(2027, 1, 10),
        start_time=dt.time(10),
        end_time=dt.time(12),
    )
    _db.session.commit()
    assert activity.starts_at == dt.datetime(2027, 1, 10, 9, tzinfo=dt.UTC)  # Brussels
    login_as(world.jelgava_coordinator)
    data = {"version": "1", "themes": ["participation"], "objective": "Buddies"}
    client.post(f"/pairings/{world.proposed.id}/edit", data={**data, "time_zone": "Europe/Riga"})
    _db.session.expire_all()
    moved = _db.session.get(type(activity), activity.id)
    assert (moved.start_time, moved.end_time) == (dt.time(10), dt.time(12))
    assert moved.starts_at == dt.datetime(2027, 1, 10, 8, tzinfo=dt.UTC)  # 10:00 in Riga
    assert moved.ends_at == dt.datetime(2027, 1, 10, 10, tzinfo=dt.UTC)
    assert moved.version == 2  # calendars see a new SEQUENCE
