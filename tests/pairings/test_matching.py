"""Mentor suggestions: the documented score, the ranking, the reasons in words, and the page."""

import html
import random
import re

import pytest

from exchange.organisations.models import ThemeRelation
from exchange.pairings import matching, queries
from exchange.pairings.matching import CityProfile
from tests.factories import make_coordinator, make_org, make_pairing, make_user

BOTH_NEEDS = frozenset({"participation", "housing"})
LANGUAGES = {"nl": "Dutch", "fr": "French", "en": "English", "it": "Italian"}


def language_name(code: str) -> str:
    return LANGUAGES[code]


@pytest.fixture
def words(app):
    """A request context, so that lazy strings can be turned into words."""
    with app.test_request_context():
        yield


def mentee(**overrides) -> CityProfile:
    values = dict(
        id=1,
        name="Menteeville",
        needs=frozenset({"participation", "housing"}),
        languages=frozenset({"nl"}),
        population=50_000,
    )
    values.update(overrides)
    return CityProfile(**values)


def candidate(id: int, name: str, **overrides) -> CityProfile:
    values = dict(
        id=id,
        name=name,
        strengths=frozenset({"participation", "housing"}),
        languages=frozenset({"nl"}),
        population=50_000,
        active_mentorships=0,
    )
    values.update(overrides)
    return CityProfile(**values)


def reasons(suggestion) -> list[str]:
    return [str(reason) for reason in suggestion.reasons]


# The score


def test_score_adds_the_documented_weights(words):
    city = mentee(
        needs=frozenset({"participation", "housing", "language", "employment"}),
        languages=frozenset({"nl", "fr"}),
    )
    mentor = candidate(
        2,
        "Bigtown",
        strengths=frozenset({"participation", "housing", "gender"}),
        practice_themes=frozenset({"language", "housing"}),  # housing already counts fully
        languages=frozenset({"fr", "en"}),
        population=200_000,
        active_mentorships=1,
    )
    suggestion = matching.score(city, mentor, language_name)
    # theme fit 50 x (2 strengths + 0.5 x 1 practice) / 4 needs = 31.25
    # shared language 15; size 20 x 50,000 / 200,000 = 5; capacity with one mentorship 10
    assert suggestion.score == 61  # round(31.25 + 15 + 5 + 10)
    assert suggestion.mentor is mentor
    assert reasons(suggestion) == [
        "Strong in Housing, Civic participation, which Menteeville wants to learn about.",
        "Has published practices on Language learning.",
        "Works in French, like Menteeville.",
        "Much larger than Menteeville.",
        "Already mentors 1 city.",
    ]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        # every need a strength, same language, same size, free: the full 100
        ({}, 100),
        # one need of two as a strength: theme fit 25
        ({"strengths": frozenset({"housing"})}, 75),
        # both needs only through practices: half of 50
        ({"strengths": frozenset(), "practice_themes": BOTH_NEEDS}, 75),
        # no language in common: 15 less
        ({"languages": frozenset({"it"})}, 85),
        # population unknown: no size points
        ({"population": None}, 80),
        # a quarter of the size: 20 x 0.25 = 5
        ({"population": 12_500}, 85),
        # capacity 15 / 10 / 5 / 0 for 0 / 1 / 2 / 3 and more active mentorships
        ({"active_mentorships": 1}, 95),
        ({"active_mentorships": 2}, 90),
        ({"active_mentorships": 3}, 85),
        ({"active_mentorships": 7}, 85),
    ],
)
def test_each_part_of_the_score(words, changes, expected):
    assert matching.score(mentee(), candidate(2, "Other", **changes), language_name).score == (
        expected
    )


def test_the_score_is_rounded_to_a_whole_number(words):
    city = mentee(needs=frozenset({"participation", "housing", "language"}), population=None)
    mentor = candidate(2, "Other", strengths=frozenset({"participation"}))
    # 50 / 3 = 16.67, plus language 15 and capacity 15
    assert matching.score(city, mentor, language_name).score == 47


def test_reasons_about_size_and_load(words):
    same = reasons(matching.score(mentee(), candidate(2, "Twin"), language_name))
    assert "Comparable in size." in same
    assert "Mentors no other city at the moment." in same

    half = reasons(matching.score(mentee(), candidate(2, "Half", population=25_000), language_name))
    assert "Comparable in size." in half  # a factor two still counts as comparable

    small = reasons(
        matching.score(
            mentee(), candidate(2, "Village", population=5_000, active_mentorships=2), language_name
        )
    )
    assert "Much smaller than Menteeville." in small
    assert "Comparable in size." not in small
    assert "Already mentors 2 cities." in small
    assert "Mentors no other city at the moment." not in small

    unknown = reasons(matching.score(mentee(), candidate(2, "Unknown", population=None)))
    assert not [r for r in unknown if "size" in r or "larger" in r or "smaller" in r]


def test_reason_when_no_working_language_is_shared(words):
    suggestion = matching.score(
        mentee(), candidate(2, "Faraway", languages=frozenset({"it"})), language_name
    )
    assert "No working language in common: plan for interpreting." in reasons(suggestion)
    assert not [r for r in reasons(suggestion) if r.startswith("Works in")]


def test_several_shared_languages_are_named_in_alphabetical_order(words):
    city = mentee(languages=frozenset({"nl", "fr", "en"}))
    mentor = candidate(2, "Polyglot", languages=frozenset({"fr", "nl", "it"}))
    assert "Works in Dutch, French, like Menteeville." in reasons(
        matching.score(city, mentor, language_name)
    )


# The ranking


def test_better_theme_fit_comes_first(words):
    full = candidate(2, "Zeta")  # answers both needs
    half = candidate(3, "Alpha", strengths=frozenset({"housing"}))
    practice = candidate(
        4, "Beta", strengths=frozenset(), practice_themes=frozenset({"housing", "participation"})
    )
    ranked = matching.rank(mentee(), [half, practice, full], language_name)
    # Zeta 100; Alpha and Beta both 75, so by name
    assert [s.mentor.name for s in ranked] == ["Zeta", "Alpha", "Beta"]
    assert [s.score for s in ranked] == [100, 75, 75]


def test_capacity_and_size_break_closer_calls(words):
    busy = candidate(2, "Alpha", active_mentorships=3)  # 85
    big = candidate(3, "Beta", population=400_000)  # 20 x 0.125 = 2.5 -> 82.5 -> 82
    free = candidate(4, "Gamma")  # 100
    once = candidate(5, "Delta", active_mentorships=1)  # 95
    ranked = matching.rank(mentee(), [busy, big, free, once], language_name)
    assert [s.mentor.name for s in ranked] == ["Gamma", "Delta", "Alpha", "Beta"]


def test_ties_are_broken_by_name_then_id(words):
    profiles = [
        candidate(7, "Beta"),
        candidate(9, "alpha"),  # alphabetical order ignores case
        candidate(4, "Beta"),
        candidate(8, "Gamma"),
    ]
    expected = [(9, "alpha"), (4, "Beta"), (7, "Beta"), (8, "Gamma")]
    shuffler = random.Random(1)
    for _ in range(10):
        shuffler.shuffle(profiles)
        ranked = matching.rank(mentee(), profiles, language_name)
        assert [(s.mentor.id, s.mentor.name) for s in ranked] == expected


def test_the_mentee_itself_and_cities_answering_no_need_are_never_suggested(words):
    city = mentee()
    itself = candidate(city.id, "Menteeville")  # would score 100
    unrelated = candidate(3, "Elsewhere", strengths=frozenset({"gender", "youth"}))
    by_practice = candidate(
        4, "Practical", strengths=frozenset({"gender"}), practice_themes=frozenset({"housing"})
    )
    ranked = matching.rank(city, [itself, unrelated, by_practice], language_name)
    assert [s.mentor.id for s in ranked] == [4]


def test_a_mentee_without_needs_gets_no_suggestion(words):
    assert matching.rank(mentee(needs=frozenset()), [candidate(2, "Any")], language_name) == []


def test_limit(words):
    profiles = [candidate(n, f"City {n:02d}", active_mentorships=n % 4) for n in range(2, 16)]
    assert len(matching.rank(mentee(), profiles, language_name)) == 10  # the default
    top = matching.rank(mentee(), profiles, language_name, limit=3)
    everything = matching.rank(mentee(), profiles, language_name, limit=100)
    assert len(everything) == 14
    assert [s.mentor.id for s in top] == [s.mentor.id for s in everything[:3]]
    assert [s.mentor.name for s in top] == ["City 04", "City 08", "City 12"]  # no mentorship


# From the database, and the page


@pytest.fixture
def cities(db):
    """A mentee city and its candidates, from the database."""
    home = make_org(name="Homestead", languages=["nl"], population=50_000)
    home.set_themes(ThemeRelation.NEED, ["participation", "housing"])

    best = make_org(name="Zuidstad", languages=["nl"], population=60_000)
    best.set_themes(ThemeRelation.STRENGTH, ["participation", "housing"])
    second = make_org(name="Arlon", languages=["fr"], population=500_000)
    second.set_themes(ThemeRelation.STRENGTH, ["participation"])
    paired = make_org(name="Paired Town", languages=["nl"], population=50_000)
    paired.set_themes(ThemeRelation.STRENGTH, ["participation", "housing"])
    declined = make_org(name="Declined Town", languages=["nl"], population=50_000)
    declined.set_themes(ThemeRelation.STRENGTH, ["housing"])
    unverified = make_org(
        name="Unverified Town", languages=["nl"], is_verified=False, verified_dt=None
    )
    unverified.set_themes(ThemeRelation.STRENGTH, ["participation", "housing"])
    other_mentee = make_org(name="Faraway", languages=["it"])
    other_mentee.set_themes(ThemeRelation.NEED, ["participation"])

    make_pairing(paired, home, status="proposed")  # open: excluded
    make_pairing(home, declined, status="declined")  # closed: still a candidate
    make_pairing(best, other_mentee, status="active")  # best already mentors one city
    db.session.commit()
    return dict(
        home=home,
        best=best,
        second=second,
        paired=paired,
        declined=declined,
        unverified=unverified,
        other_mentee=other_mentee,
    )


def test_matching_profiles_from_the_database(cities):
    home_profile, candidates = queries.matching_profiles(cities["home"])
    assert home_profile.id == cities["home"].id
    assert home_profile.needs == frozenset({"participation", "housing"})
    assert home_profile.languages == frozenset({"nl"})
    assert home_profile.population == 50_000
    by_id = {c.id: c for c in candidates}
    assert set(by_id) == {
        cities[name].id for name in ("best", "second", "declined", "other_mentee")
    }
    best = by_id[cities["best"].id]
    assert best.strengths == frozenset({"participation", "housing"})
    assert best.active_mentorships == 1
    assert by_id[cities["second"].id].active_mentorships == 0


def test_suggestions_page_lists_the_best_candidate_first(cities, client, login_as):
    home, best = cities["home"], cities["best"]
    login_as(make_coordinator(home))
    response = client.get(f"/organisations/{home.id}/mentor-suggestions")
    assert response.status_code == 200
    page = html.unescape(response.get_data(as_text=True))

    proposals = re.findall(r"Propose a pairing with ([^<]+?)\s*<", page)
    assert proposals == ["Zuidstad", "Declined Town", "Arlon"]
    assert "Paired Town" not in page
    assert "Unverified Town" not in page

    best_card = page[page.index(">Zuidstad<") : page.index("Propose a pairing with Zuidstad")]
    assert "Strong in Housing, Civic participation, which Homestead wants to learn about." in (
        best_card
    )
    assert "Works in Dutch, like Homestead." in best_card
    assert "Comparable in size." in best_card
    assert "Already mentors 1 city." in best_card
    link = f'href="/pairings/new?mentor={best.id}&mentee={home.id}"'
    assert link in page[: page.index("Propose a pairing with Zuidstad")]


def test_suggestions_page_is_hidden_from_participants_and_other_cities(cities, app, login_as):
    home = cities["home"]
    url = f"/organisations/{home.id}/mentor-suggestions"

    participant = app.test_client()
    login_as(make_user(organisation=home), the_client=participant)
    assert participant.get(url).status_code == 404

    other = app.test_client()
    login_as(make_coordinator(cities["second"]), the_client=other)
    assert other.get(url).status_code == 404

    own = app.test_client()  # the same setup does show the page to the city's coordinator
    login_as(make_coordinator(home), the_client=own)
    assert own.get(url).status_code == 200
