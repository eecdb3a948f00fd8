"""Transfers of practices: a pairing records that its mentee adopts a practice, the pages that
show it (pairing overview, practice page, lineage), what is refused, who may record, what the
public sees, and the demo's transfers and their effect on mentor suggestions."""

import datetime as dt
import re

import pytest
import sqlalchemy as sa

from exchange import demo
from exchange.audit import AuditEvent
from exchange.db import db as _db
from exchange.db import utcnow
from exchange.organisations.models import Organisation, ThemeRelation
from exchange.pairings.models import Pairing
from exchange.practices.models import Practice, Transfer
from tests.factories import (
    make_coordinator,
    make_org,
    make_pairing,
    make_practice,
    make_transfer,
    make_user,
)
from tests.practices.helpers import field_error, html, set_codes, text

SAMEN = "Samen Inburgeren: buddies with refugees"


@pytest.fixture
def world(db, cast):
    """Mechelen mentors Capaci (active); Mechelen has a published practice and a draft, and
    Capaci a practice of its own."""

    class W:
        pairing = make_pairing(cast.mechelen, cast.capaci, status="active")
        samen = make_practice(cast.mechelen, title=SAMEN)
        draft = make_practice(cast.mechelen, status="draft", title="Mechelen's unfinished draft")
        own = make_practice(cast.capaci, title="Capaci's own welcome desk", kind="one_stop_shop")
        capaci_participant = make_user(organisation=cast.capaci, email="p@capaci.example")
        jelgava = make_org(name="Jelgava", country="LV")
        jelgava_coordinator = make_coordinator(jelgava, email="coordinator@jelgava.example")

    db.session.commit()
    return W


def transfer_form(practice, **overrides) -> dict:
    data = dict(
        practice_id=str(practice.id),
        local_name="Tutti Capaci",
        stage="adapt",
        understand_date="2024-01-15",
        adapt_date="2024-06-01",
        reuse_date="",
        adaptation_notes="Buddies are called 'compa'.",
    )
    data.update(overrides)
    return data


def transfers() -> list[Transfer]:
    _db.session.expire_all()
    return list(_db.session.scalars(sa.select(Transfer).order_by(Transfer.id)))


def events(object_type: str, object_id: int) -> list[AuditEvent]:
    _db.session.expire_all()
    return list(
        _db.session.scalars(
            sa.select(AuditEvent)
            .where(AuditEvent.object_type == object_type, AuditEvent.object_id == object_id)
            .order_by(AuditEvent.id)
        )
    )


def section(page_text: str, start: str, end: str) -> str:
    """The words of the page from one heading to the next."""
    after = page_text.split(start, 1)[1]
    return after.split(end, 1)[0]


def adopted_by(client, practice) -> str:
    words = section(text(client.get(f"/practices/{practice.id}")), "Adopted by", "Back to all")
    return re.sub(r"\s+([:;,.])", r"\1", words)


def lineage_rows(client) -> list[list[str]]:
    body = html(client.get("/practices/lineage"))
    tbody = body.split("<tbody>", 1)[1].split("</tbody>", 1)[0] if "<tbody>" in body else ""
    return [
        [re.sub(r"<[^>]+>|\s+", " ", cell).strip() for cell in re.findall(r"<td>(.*?)</td>", row)]
        for row in re.findall(r"<tr>(.*?)</tr>", tbody, re.S)
    ]


# Recording a transfer


def test_the_mentees_coordinator_records_an_adoption(client, cast, world, login_as):
    login_as(cast.other_coordinator)  # Capaci
    path = f"/pairings/{world.pairing.id}/transfers/new"
    form = client.get(path)
    assert form.status_code == 200
    choices = html(form)
    assert SAMEN in choices
    assert "unfinished draft" not in choices  # drafts are not offered
    assert "Capaci&#39;s own welcome desk" not in choices  # nor the mentee's own practices

    response = client.post(path, data=transfer_form(world.samen))
    assert response.status_code == 302
    assert response.location == f"/pairings/{world.pairing.id}"
    (transfer,) = transfers()
    assert (transfer.practice_id, transfer.pairing_id, transfer.local_name, transfer.stage) == (
        world.samen.id,
        world.pairing.id,
        "Tutti Capaci",
        "adapt",
    )
    assert (transfer.understand_date, transfer.adapt_date, transfer.reuse_date) == (
        dt.date(2024, 1, 15),
        dt.date(2024, 6, 1),
        None,
    )
    assert transfer.adaptation_notes == "Buddies are called 'compa'."
    assert transfer.created_by_id == cast.other_coordinator.id

    overview = text(client.get(response.location))
    assert "The transfer is recorded." in overview
    transfers_section = section(overview, "Transfers of practices", "Proposal and decisions")
    assert f"{SAMEN} (Mechelen) Buddies are called 'compa'. Tutti Capaci Adapt" in transfers_section
    assert "understood Jan 15, 2024; adapted Jun 1, 2024" in transfers_section
    assert "re-used" not in transfers_section
    assert "Record a transfer of a practice" in transfers_section

    (create,) = events("transfer", transfer.id)
    assert create.action == "transfer.create" and create.actor_id == cast.other_coordinator.id
    assert create.summary == {
        "practice": [None, SAMEN],
        "stage": [None, "adapt"],
        "local_name": [None, "Tutti Capaci"],
    }
    (on_pairing,) = events("pairing", world.pairing.id)
    assert on_pairing.action == "pairing.transfer"
    assert on_pairing.summary == {"practice": [None, SAMEN], "stage": [None, "adapt"]}


def test_the_adoption_shows_on_the_practice_page_and_the_lineage(
    app, client, cast, world, login_as
):
    login_as(cast.other_coordinator)
    client.post(f"/pairings/{world.pairing.id}/transfers/new", data=transfer_form(world.samen))
    anonymous = app.test_client()

    assert "Capaci (“Tutti Capaci”): stage: Adapt" in adopted_by(anonymous, world.samen)
    page = html(anonymous.get(f"/practices/{world.samen.id}"))
    assert f'href="/pairings/{world.pairing.id}"' in page

    assert lineage_rows(anonymous) == [[SAMEN, "Mechelen", "Capaci", "Tutti Capaci", "Adapt"]]
    lineage = html(anonymous.get("/practices/lineage"))
    svg = re.search(r"<svg[^>]*>(.*?)</svg>", lineage, re.S)
    assert svg
    opening = svg.group(0).split(">", 1)[0]
    assert 'role="img"' in opening
    labelled_by = re.search(r'aria-labelledby="([^"]+)"', opening).group(1).split()
    title = re.search(r'<title id="([^"]+)">([^<]+)</title>', svg.group(1))
    desc = re.search(r'<desc id="([^"]+)">([^<]+)</desc>', svg.group(1))
    assert title and desc
    assert labelled_by == [title.group(1), desc.group(1)]
    assert title.group(2).strip() and desc.group(2).strip()
    texts = [t.strip() for t in re.findall(r"<text[^>]*>(.*?)</text>", svg.group(1))]
    assert texts == ["Mechelen", "Capaci"]
    assert svg.group(1).count("<line") == 1


def test_the_mentors_coordinator_and_the_admin_may_record_too(client, db, cast, world, login_as):
    other = make_practice(make_org(name="Schaerbeek"), title="CAMIM welcome path")
    db.session.commit()
    login_as(cast.coordinator)  # Mechelen, the mentor
    path = f"/pairings/{world.pairing.id}/transfers/new"
    assert client.post(path, data=transfer_form(world.samen)).status_code == 302
    client.post("/logout")
    login_as(cast.admin)
    assert client.post(path, data=transfer_form(other, local_name="")).status_code == 302
    assert [(t.practice_id, t.local_name) for t in transfers()] == [
        (world.samen.id, "Tutti Capaci"),
        (other.id, None),
    ]


def test_a_stage_without_a_date_is_dated_today(client, cast, world, login_as):
    login_as(cast.other_coordinator)
    form = transfer_form(world.samen, stage="understand", understand_date="", adapt_date="")
    assert client.post(f"/pairings/{world.pairing.id}/transfers/new", data=form).status_code == 302
    (transfer,) = transfers()
    assert (transfer.stage, transfer.understand_date, transfer.adapt_date) == (
        "understand",
        utcnow().date(),
        None,
    )


# What is refused


def post_new(client, world, **overrides):
    practice = overrides.pop("practice", world.samen)
    return client.post(
        f"/pairings/{world.pairing.id}/transfers/new", data=transfer_form(practice, **overrides)
    )


def test_a_draft_practice_is_refused(client, cast, world, login_as):
    login_as(cast.other_coordinator)
    response = post_new(client, world, practice=world.draft)
    assert response.status_code == 200
    assert field_error(response, "practice_id") == "Choose a published practice from the list."
    assert 'value="Tutti Capaci"' in html(response)  # what was typed stays
    assert transfers() == []


def test_the_mentees_own_practice_is_refused(client, cast, world, login_as):
    login_as(cast.other_coordinator)
    response = post_new(client, world, practice=world.own)
    assert response.status_code == 200
    assert field_error(response, "practice_id") == "Capaci cannot adopt its own practice."
    assert transfers() == []


@pytest.mark.parametrize("practice_id", ["", "0", "999999", str(2**40), "abc", "-3"])
def test_no_or_an_unknown_practice_is_refused(client, cast, world, login_as, practice_id):
    login_as(cast.other_coordinator)
    response = post_new(client, world, practice_id=practice_id)
    assert response.status_code == 200
    assert field_error(response, "practice_id")
    assert transfers() == []


def test_a_second_transfer_of_the_same_practice_is_refused(client, cast, world, login_as):
    login_as(cast.other_coordinator)
    assert post_new(client, world).status_code == 302
    response = post_new(client, world, local_name="Again")
    assert response.status_code == 200
    assert "already records the transfer" in field_error(response, "practice_id")
    assert [t.local_name for t in transfers()] == ["Tutti Capaci"]


@pytest.mark.parametrize(
    ("dates", "field"),
    [
        ({"stage": "adapt", "understand_date": "2024-06-01", "adapt_date": "2024-01-01"},
         "adapt_date"),
        ({"stage": "reuse", "adapt_date": "2024-06-01", "reuse_date": "2024-05-31"},
         "reuse_date"),
        # Adapted today (no date given) but understood only next year.
        ({"stage": "adapt", "understand_date": "2099-01-01", "adapt_date": ""}, "adapt_date"),
    ],
)  # fmt: skip
def test_a_later_stage_dated_before_an_earlier_one_is_refused(
    client, cast, world, login_as, dates, field
):
    login_as(cast.other_coordinator)
    response = post_new(client, world, **dates)
    assert response.status_code == 200
    assert field_error(response, field) == (
        "A stage cannot be reached before the stage that comes before it."
    )
    assert transfers() == []


def test_reuse_dated_before_understanding_is_refused_when_adapt_has_no_date(
    client, cast, world, login_as
):
    login_as(cast.other_coordinator)
    response = post_new(
        client,
        world,
        stage="reuse",
        understand_date="2024-06-01",
        adapt_date="",
        reuse_date="2024-01-01",
    )
    assert response.status_code == 200
    assert transfers() == []


@pytest.mark.parametrize(
    "who", ["participant", "capaci_participant", "officer", "jelgava_coordinator", "aiccre"]
)
def test_others_cannot_record_or_edit_transfers(client, db, cast, world, login_as, who):
    transfer = make_transfer(world.samen, world.pairing, local_name="Tutti Capaci")
    db.session.commit()
    user = {
        "participant": cast.participant,
        "capaci_participant": world.capaci_participant,
        "officer": cast.officer,  # VVSG, which monitors the pairing
        "jelgava_coordinator": world.jelgava_coordinator,
        "aiccre": None,
    }[who]
    if user is None:
        user = make_coordinator(cast.aiccre, email="officer@aiccre.example")
        db.session.commit()
    login_as(user)
    new = f"/pairings/{world.pairing.id}/transfers/new"
    edit = f"/transfers/{transfer.id}/edit"
    assert client.get(new).status_code == 404
    assert client.post(new, data=transfer_form(world.samen)).status_code == 404
    assert client.get(edit).status_code == 404
    assert client.post(edit, data=transfer_form(world.samen, stage="reuse")).status_code == 404
    assert [(t.stage, t.local_name) for t in transfers()] == [("adapt", "Tutti Capaci")]
    assert events("transfer", transfer.id) == []


def test_anonymous_visitors_are_sent_to_log_in(app, db, world):
    transfer = make_transfer(world.samen, world.pairing)
    db.session.commit()
    anonymous = app.test_client()
    for path in (f"/pairings/{world.pairing.id}/transfers/new", f"/transfers/{transfer.id}/edit"):
        assert anonymous.get(path).location.startswith("/login")
        assert anonymous.post(path, data=transfer_form(world.samen)).location.startswith("/login")
    assert len(transfers()) == 1


def test_unknown_pairings_and_transfers_are_not_found(client, cast, world, login_as):
    login_as(cast.admin)
    assert client.get("/pairings/999999/transfers/new").status_code == 404
    assert client.get(f"/pairings/{2**40}/transfers/new").status_code == 404
    assert client.get("/transfers/999999/edit").status_code == 404


# Editing a transfer


def test_the_stage_of_a_transfer_moves_on(app, client, db, cast, world, login_as):
    transfer = make_transfer(
        world.samen,
        world.pairing,
        stage="adapt",
        local_name="Tutti Capaci",
        understand_date=dt.date(2024, 1, 15),
        adapt_date=dt.date(2024, 6, 1),
    )
    db.session.commit()
    login_as(cast.other_coordinator)
    form = client.get(f"/transfers/{transfer.id}/edit")
    assert form.status_code == 200
    assert 'value="Tutti Capaci"' in html(form) and 'value="2024-06-01"' in html(form)
    assert 'name="practice_id"' not in html(form)  # the practice stays the same

    response = client.post(
        f"/transfers/{transfer.id}/edit",
        data=transfer_form(world.samen, stage="reuse", reuse_date="2025-03-01"),
    )
    assert response.status_code == 302
    assert response.location == f"/pairings/{world.pairing.id}"
    (saved,) = transfers()
    assert (saved.stage, saved.reuse_date) == ("reuse", dt.date(2025, 3, 1))
    assert "Capaci (“Tutti Capaci”): stage: Re-use" in adopted_by(app.test_client(), world.samen)

    (edit,) = events("transfer", transfer.id)
    assert edit.action == "transfer.edit"
    assert edit.summary["stage"] == ["adapt", "reuse"]
    assert edit.summary["reuse_date"] == [None, "2025-03-01"]
    (on_pairing,) = events("pairing", world.pairing.id)
    assert on_pairing.action == "pairing.transfer"
    assert on_pairing.summary == {"practice": [SAMEN, SAMEN], "stage": ["adapt", "reuse"]}


def test_moving_to_a_stage_dated_before_the_previous_is_refused(client, db, cast, world, login_as):
    transfer = make_transfer(
        world.samen, world.pairing, stage="adapt", adapt_date=dt.date(2024, 6, 1)
    )
    db.session.commit()
    login_as(cast.coordinator)
    response = client.post(
        f"/transfers/{transfer.id}/edit",
        data=transfer_form(world.samen, understand_date="", stage="reuse", reuse_date="2024-01-01"),
    )
    assert response.status_code == 200
    assert field_error(response, "reuse_date")
    assert transfers()[0].stage == "adapt"


def test_dates_out_of_order_are_refused_when_the_stage_stays(client, db, cast, world, login_as):
    transfer = make_transfer(
        world.samen,
        world.pairing,
        stage="adapt",
        understand_date=dt.date(2024, 1, 15),
        adapt_date=dt.date(2024, 6, 1),
    )
    db.session.commit()
    login_as(cast.other_coordinator)
    response = client.post(
        f"/transfers/{transfer.id}/edit",
        data=transfer_form(
            world.samen, stage="adapt", understand_date="2024-09-01", adapt_date="2024-06-01"
        ),
    )
    assert response.status_code == 200
    assert field_error(response, "adapt_date")
    assert transfers()[0].understand_date == dt.date(2024, 1, 15)


# Script in a transfer's text


def test_script_in_the_local_name_is_escaped(app, client, cast, world, login_as):
    payload = '<script>alert(1)</script><img src=x onerror=alert(1)>"javascript:alert(1)'
    login_as(cast.other_coordinator)
    response = post_new(client, world, local_name=payload, adaptation_notes=payload)
    assert response.status_code == 302
    anonymous = app.test_client()
    pages = [
        client.get(f"/pairings/{world.pairing.id}"),
        client.get(f"/transfers/{transfers()[0].id}/edit"),
        anonymous.get(f"/practices/{world.samen.id}"),
        anonymous.get("/practices/lineage"),
    ]
    for page in pages:
        body = html(page)
        assert page.status_code == 200
        assert "<script>alert" not in body and "<img src=x" not in body
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body, page.request.path


# What the public sees


def test_transfers_of_private_pairings_are_not_shown_to_the_public(
    app, client, db, cast, world, login_as
):
    proposed = make_pairing(cast.mechelen, world.jelgava, status="proposed")
    make_transfer(world.samen, proposed, local_name="Jelgavas draugi", stage="understand")
    make_transfer(world.samen, world.pairing, local_name="Tutti Capaci")
    db.session.commit()

    anonymous = app.test_client()
    public = adopted_by(anonymous, world.samen)
    assert "Tutti Capaci" in public
    assert "Jelgava" not in public
    assert [row[2] for row in lineage_rows(anonymous)] == ["Capaci"]
    assert "Jelgava" not in text(anonymous.get("/practices/lineage"))

    login_as(cast.other_coordinator)  # Capaci is no party to the proposed pairing
    assert "Jelgava" not in adopted_by(client, world.samen)
    assert "Jelgava" not in text(client.get("/practices/lineage"))
    client.post("/logout")

    login_as(world.jelgava_coordinator)  # a party sees its own pairing's transfer
    assert "Jelgava (“Jelgavas draugi”): stage: Understand" in adopted_by(client, world.samen)
    assert "Jelgavas draugi" in text(client.get("/practices/lineage"))


def test_transfers_of_a_practice_made_a_draft_again_leave_the_public_pages(app, db, cast, world):
    make_transfer(world.samen, world.pairing, local_name="Tutti Capaci")
    world.samen.status = "draft"
    db.session.commit()
    anonymous = app.test_client()
    assert lineage_rows(anonymous) == []
    assert "Tutti Capaci" not in text(anonymous.get("/practices/lineage"))


def test_the_lineage_without_transfers(client, world):
    page = client.get("/practices/lineage")
    assert page.status_code == 200
    assert "No transfer is recorded yet." in text(page)
    assert "<svg" not in html(page)


def test_the_lineage_puts_each_city_once(app, db, cast, world):
    brussels = make_org(name="City of Brussels")
    bapa = make_practice(brussels, title="BAPA BXL reception office")
    make_transfer(world.samen, world.pairing, local_name="Tutti Capaci")
    make_transfer(bapa, make_pairing(brussels, cast.capaci, status="completed"), stage="reuse")
    make_transfer(bapa, make_pairing(brussels, world.jelgava, status="active"))
    db.session.commit()
    anonymous = app.test_client()
    rows = lineage_rows(anonymous)
    assert [(r[0], r[1], r[2], r[4]) for r in rows] == [
        (SAMEN, "Mechelen", "Capaci", "Adapt"),
        ("BAPA BXL reception office", "City of Brussels", "Capaci", "Re-use"),
        ("BAPA BXL reception office", "City of Brussels", "Jelgava", "Adapt"),
    ]
    svg = html(anonymous.get("/practices/lineage")).split("<svg", 1)[1].split("</svg>")[0]
    texts = [t.strip() for t in re.findall(r"<text[^>]*>(.*?)</text>", svg)]
    assert texts == ["Mechelen", "City of Brussels", "Capaci", "Jelgava"]
    assert svg.count("<line") == 3


# The demo


@pytest.fixture
def loaded(db):
    demo.load()
    db.session.commit()
    return db


def org_named(name: str) -> Organisation:
    return _db.session.scalar(sa.select(Organisation).where(Organisation.name == name))


def test_the_demo_has_seven_published_practices_and_tutti_capaci(app, loaded):
    practices = list(loaded.session.scalars(sa.select(Practice)))
    assert len(practices) == 7
    assert {p.status for p in practices} == {"published"}
    samen = next(p for p in practices if p.title == SAMEN)
    assert samen.origin.name == "Mechelen" and samen.start_year == 2012

    tutti = loaded.session.scalar(sa.select(Transfer).where(Transfer.local_name == "Tutti Capaci"))
    assert tutti is not None
    assert tutti.practice_id == samen.id and tutti.stage == "adapt"
    pairing = loaded.session.get(Pairing, tutti.pairing_id)
    assert (pairing.mentor.name, pairing.mentee.name, pairing.programme.name) == (
        "Mechelen",
        "Capaci",
        "IncluCities",
    )
    anonymous = app.test_client()
    assert "Capaci (“Tutti Capaci”): stage: Adapt" in adopted_by(anonymous, samen)
    assert [SAMEN, "Mechelen", "Capaci", "Tutti Capaci", "Adapt"] in lineage_rows(anonymous)
    page = anonymous.get("/practices/?q=buddy")
    assert re.findall(r'<h3><a href="/practices/\d+">(.*?)</a></h3>', html(page))[0] == (
        "Samen Inburgeren: <mark>buddies</mark> with refugees"
    )


def suggestion_cards(page) -> dict[str, str]:
    """The mentor suggestions: each city's name and the words of its card."""
    cards = re.findall(
        r'<li class="card">(.*?)</li>\s*(?=<li class="card">|</ol>)', html(page), re.S
    )
    found = {}
    for card in cards:
        name = re.search(r"<h2><a [^>]*>(.*?)</a></h2>", card).group(1)
        found[name] = re.sub(r"<[^>]+>|\s+", " ", card)
    return found


def test_the_demo_suggests_a_mentor_for_its_published_practice(client, loaded, login_as):
    """Capaci needs civic participation; Fuenlabrada is strong in employment only, but its
    published "Table for Coexistence" is on participation."""
    capaci, fuenlabrada = org_named("Capaci"), org_named("Fuenlabrada")
    assert "participation" in capaci.needs
    assert "participation" not in fuenlabrada.strengths
    login_as(make_coordinator(capaci, email="second.coordinator@capaci.example"))
    loaded.session.commit()
    page = client.get(f"/organisations/{capaci.id}/mentor-suggestions")
    assert page.status_code == 200
    cards = suggestion_cards(page)
    assert "Fuenlabrada" in cards
    assert "Has published practices on Civic participation." in cards["Fuenlabrada"]


def test_published_practices_count_in_mentor_suggestions(client, db, cast, login_as):
    """A crafted case: Capaci needs housing; Jelgava is strong in youth only."""
    cast.capaci.set_themes(ThemeRelation.NEED, ["housing"])
    jelgava = make_org(name="Jelgava", country="LV", languages=["lv"])
    jelgava.set_themes(ThemeRelation.STRENGTH, ["youth"])
    housing = make_practice(jelgava, status="draft", title="Housing first")
    set_codes(housing, themes=["housing", "youth"])
    db.session.commit()
    login_as(cast.other_coordinator)
    path = f"/organisations/{cast.capaci.id}/mentor-suggestions"

    assert "Jelgava" not in suggestion_cards(client.get(path))  # a draft counts for nothing

    housing.status = "published"
    housing.published_dt = utcnow()
    db.session.commit()
    cards = suggestion_cards(client.get(path))
    assert "Has published practices on Housing." in cards["Jelgava"]
    assert "Strong in" not in cards["Jelgava"]

    # A need the city is already strong in is given as a strength, not again as a practice.
    jelgava.set_themes(ThemeRelation.STRENGTH, ["youth", "housing"])
    db.session.commit()
    cards = suggestion_cards(client.get(path))
    assert "Strong in Housing" in cards["Jelgava"]
    assert "Has published practices" not in cards["Jelgava"]


@pytest.mark.parametrize("status", ["proposed", "accepted", "declined", "withdrawn"])
def test_only_an_active_or_past_pairing_records_transfers(db, cast, status):
    from exchange.domain import DomainError
    from exchange.practices import services

    practice = make_practice(cast.mechelen)
    pairing = make_pairing(cast.mechelen, cast.capaci, status=status)
    admin = cast.admin
    db.session.commit()
    with pytest.raises(DomainError) as refused:
        services.record_transfer(
            admin,
            pairing,
            practice,
            local_name=None,
            stage="understand",
            adaptation_notes=None,
            dates={},
        )
    assert "Transfers are recorded once the pairing is active" in str(refused.value.message)
