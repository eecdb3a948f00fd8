"""The practice library's full-text search on crafted practices, on SQLite (FTS5) and on
PostgreSQL (weighted tsvector): ranking, AND semantics, stemming, accents, drafts, highlights,
hostile queries, filters, pagination and the number of queries."""

import datetime as dt
import html as htmllib

import pytest

from exchange.db import utcnow
from exchange.practices import search
from tests.factories import make_org, make_practice
from tests.practices.helpers import (
    html,
    is_postgresql,
    result_titles_html,
    results,
    set_codes,
    text,
)
from tests.test_query_counts import count_queries

SAMEN = "Samen Inburgeren: buddies with refugees"
CAFE = "Welcome café for newcomers"
JOB_LAB = "Job lab with local companies"
RUMOURS = "Anti-rumours network"
DRAFT = "Buddy scheme still being written"


def days_ago(n: int) -> dt.datetime:
    return utcnow() - dt.timedelta(days=n)


@pytest.fixture
def library(db, cast):
    """Four published practices, three of which mention buddies (in the title, the summary
    or only in the body), and a draft with "buddy" in its title. They are created worst
    match first, so that neither ids nor publication dates give the expected order."""
    made = {}
    made["job"] = make_practice(
        cast.capaci,
        title=JOB_LAB,
        kind="job_lab",
        language="it",
        summary="Companies and job seekers work together on real hiring challenges.",
        how_it_works="Each job seeker has a buddy from a partner company, "
        "who opens doors to the company's network.",
        published_dt=days_ago(1),
    )
    made["cafe"] = make_practice(
        cast.mechelen,
        title=CAFE,
        kind="language_learning",
        language="nl",
        summary="Every newcomer is matched with a buddy who speaks their language.",
        published_dt=days_ago(2),
    )
    made["samen"] = make_practice(
        cast.mechelen,
        title=SAMEN,
        kind="buddy",
        language="en",
        summary="Volunteers and newcomers meet regularly for six months.",
        published_dt=days_ago(3),
    )
    made["rumours"] = make_practice(
        cast.capaci,
        title=RUMOURS,
        kind="anti_rumours",
        language="it",
        summary="Trained volunteers counter stereotypes and rumours about refugees.",
        published_dt=days_ago(4),
    )
    made["draft"] = make_practice(
        cast.mechelen,
        status="draft",
        title=DRAFT,
        summary="A buddy for every refugee: buddies, buddy, buddy.",
    )
    set_codes(made["samen"], themes=["participation", "cohesion"], target_groups=["refugees"])
    set_codes(made["cafe"], themes=["language"], target_groups=["newcomers"])
    set_codes(made["job"], themes=["employment"], target_groups=["job_seekers", "refugees"])
    set_codes(made["rumours"], themes=["cohesion"], target_groups=["residents"])
    db.session.commit()
    return made


def search_for(client, query: str, **filters):
    response = client.get("/practices/", query_string={"q": query, **filters})
    assert response.status_code == 200, (query, response.status_code)
    return response


# Ranking


def test_buddy_finds_samen_inburgeren_first_then_summary_then_body(client, library):
    """The title weighs most, then the summary, then the rest of the text."""
    assert results(search_for(client, "buddy")) == [SAMEN, CAFE, JOB_LAB]


def test_a_word_in_the_summary_outranks_the_same_word_twice_in_the_body(client, db, cast):
    # Created first, so that an id tie-break would put it first.
    make_practice(
        cast.capaci,
        title="Neighbourhood mentoring",
        summary="Long-term residents mentor families who have just arrived.",
        how_it_works="A buddy visits the family every week. The buddy knows the district.",
    )
    make_practice(cast.mechelen, title=CAFE, summary="Each newcomer has a buddy.")
    db.session.commit()
    assert results(search_for(client, "buddy")) == [CAFE, "Neighbourhood mentoring"]


def test_the_title_outranks_a_body_that_repeats_the_word(client, db, cast, library):
    make_practice(
        cast.capaci,
        title="Neighbourhood mentoring",
        summary="Long-term residents mentor families who have just arrived.",
        how_it_works=" ".join(["A buddy visits the family every week."] * 6),
        published_dt=days_ago(10),
    )
    db.session.commit()
    found = results(search_for(client, "buddy"))
    assert found[0] == SAMEN
    assert found.index(CAFE) < found.index("Neighbourhood mentoring")


def test_a_practice_without_the_word_is_not_found(client, library):
    found = results(search_for(client, "buddy"))
    assert RUMOURS not in found
    assert results(search_for(client, "stereotypes")) == [RUMOURS]


def test_several_words_must_all_be_found(client, library):
    # "buddy" is in three practices, "refugees" in two: both only in Samen Inburgeren.
    assert results(search_for(client, "buddy refugees")) == [SAMEN]
    assert results(search_for(client, "refugees buddy")) == [SAMEN]
    # Across fields of one practice: "company" in the body, "hiring" in the summary.
    assert results(search_for(client, "hiring company")) == [JOB_LAB]
    assert results(search_for(client, "buddy stereotypes")) == []


def test_words_are_stemmed_both_ways(client, library):
    # The query's plural finds the singular in the text, and the reverse.
    assert results(search_for(client, "buddies")) == [SAMEN, CAFE, JOB_LAB]
    assert results(search_for(client, "BUDDY")) == [SAMEN, CAFE, JOB_LAB]
    assert results(search_for(client, "refugee")) == [SAMEN, RUMOURS]
    assert results(search_for(client, "companies")) == [JOB_LAB]


def test_accents(client, db, cast):
    make_practice(
        cast.capaci,
        title="Plan de integración de Fuenlabrada",
        language="es",
        summary="Una mesa para la convivencia.",
    )
    db.session.commit()
    expected = ["Plan de integración de Fuenlabrada"]
    assert results(search_for(client, "integración")) == expected
    assert results(search_for(client, "INTEGRACIÓN")) == expected
    if is_postgresql():
        # The 'english' configuration lower-cases and stems but keeps accents (no unaccent
        # dictionary): the unaccented spelling does not find the accented word there.
        assert results(search_for(client, "integracion")) == []
    else:
        # FTS5's unicode61 tokenizer with remove_diacritics folds accents on both sides.
        assert results(search_for(client, "integracion")) == expected


# Drafts


def test_drafts_never_appear(client, library):
    for query in ("buddy", "still being written", "buddies refugee", ""):
        assert DRAFT not in results(search_for(client, query))
    assert DRAFT not in text(client.get("/practices/"))


def test_a_published_practice_made_a_draft_again_leaves_the_results(client, db, library):
    library["samen"].status = "draft"
    db.session.commit()
    assert results(search_for(client, "buddy")) == [CAFE, JOB_LAB]


# Highlights


def test_matches_are_marked_in_the_title_and_the_excerpt(client, library):
    page = search_for(client, "buddy")
    titles = result_titles_html(page)
    assert titles[0] == "Samen Inburgeren: <mark>buddies</mark> with refugees"
    assert "<mark>" not in titles[1]  # the café's title does not mention buddies
    body = html(page)
    assert "matched with a <mark>buddy</mark> who speaks" in body  # the café's summary
    assert "has a <mark>buddy</mark> from a partner company" in body  # the job lab's body
    assert body.count("<mark>") == body.count("</mark>")


def test_highlighting_escapes_the_text_around_the_marks(client, db, cast):
    make_practice(
        cast.mechelen,
        title="<b>Buddy</b> & <script>alert(1)</script> scheme",
        summary="A <i>buddy</i> <img src=x onerror=alert(1)> for each newcomer.",
    )
    db.session.commit()
    body = html(search_for(client, "buddy alert"))
    assert "<script>alert(1)</script>" not in body
    assert "<img src=x" not in body and "<b>" not in body and "<i>" not in body
    assert "&lt;script&gt;" in body
    assert "<mark>" in body


def test_without_a_query_nothing_is_marked(client, library):
    assert "<mark>" not in html(client.get("/practices/"))


# Any query answers with a page


HOSTILE_QUERIES = [
    '"',
    "'",
    'buddy"',
    "buddy'",
    "AND OR NOT",
    "buddy AND",
    "OR buddy",
    "NOT buddy",
    "NEAR(a b)",
    "NEAR(buddy refugees, 2)",
    "*",
    "buddy*",
    "^",
    "^buddy",
    "a:b",
    "title:buddy",
    "summary:buddy",
    "(",
    ")",
    "((buddy)",
    "-",
    "-buddy",
    "+buddy",
    '"unterminated',
    "buddy & refugees | !x",
    "buddy <-> refugees",
    "x" * 5000,
    "buddy " * 1000,
    " ".join(f"word{i}" for i in range(1000)),
    "\u0000",
    "buddy\u0000refugees",
    "\x02buddy\x03",
    "😀",
    "buddy 🤝 refugees",
    "اندماج المهاجرين",
    "Интеграция",
    "統合",
    "' OR 1=1 --",
    "'; DROP TABLE practices; --",
    '" OR ""="',
    "1; SELECT * FROM users",
    "buddy_scheme",
    "_",
    "__init__",
    "%",
    "%%",
    "\\",
    "{}",
    "$1",
    ":q",
    "ǅ",
    "ﬀ",
    "²",
    "\u0301",
    "e\u0301",
    "\ufeff",
    "\u202e",
]


@pytest.mark.parametrize("query", HOSTILE_QUERIES, ids=lambda q: repr(q[:20]))
def test_any_query_answers_with_a_page(client, library, query):
    page = search_for(client, query)
    assert 'id="results-title"' in html(page)


def test_operators_in_a_query_are_plain_words(client, library):
    # The words are searched for as words, never as the engine's operators: as operators,
    # OR would find four practices and NOT the one without buddies.
    assert results(search_for(client, "buddy OR stereotypes")) == []
    assert RUMOURS not in results(search_for(client, "NOT buddy"))
    assert results(search_for(client, "NEAR(buddy refugees)")) in ([], [SAMEN])


def test_script_in_a_query_is_escaped_in_the_heading(client, library):
    payload = "<script>alert(1)</script>"
    page = search_for(client, payload)
    body = html(page)
    assert "<script>alert" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    heading = text(page)
    assert "practices match “<script>alert(1)</script>”" in htmllib.unescape(heading)


def test_script_in_a_query_is_escaped_in_the_search_box(client, library):
    body = html(search_for(client, '"><script>alert(1)</script>'))
    assert "<script>alert" not in body
    assert "&#34;&gt;&lt;script&gt;" in body or "&quot;&gt;&lt;script&gt;" in body


def test_the_query_is_cut_to_a_few_words(app):
    words = search.terms(" ".join(f"w{i}" for i in range(1000)))
    assert len(words) == search.MAX_TERMS
    assert search.terms("x" * 5000) == ["x" * search.MAX_QUERY_CHARS]
    assert search.terms('NEAR(x y) "c" AND z*') == ["near", "x", "y", "c", "z"]
    assert search.terms("the buddy's of a city") == ["buddy", "city"]  # no stop words
    assert search.terms("the of a") == ["the", "of", "a"]  # unless there is nothing else
    assert search.terms("  \t ") == []


# No query: every published practice, newest first


@pytest.mark.parametrize("query", ["", "   ", "\t", "\u0000", "'\"", "*", "😀"])
def test_an_empty_query_lists_all_published_practices_newest_first(client, library, query):
    page = search_for(client, query)
    assert results(page) == [JOB_LAB, CAFE, SAMEN, RUMOURS]
    assert "4 practices" in text(page)


# Filters combine with the query


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"theme": "participation"}, [SAMEN]),
        ({"theme": "language"}, [CAFE]),
        ({"theme": "cohesion"}, [SAMEN]),  # the anti-rumours practice mentions no buddy
        ({"kind": "job_lab"}, [JOB_LAB]),
        ({"kind": "anti_rumours"}, []),
        ({"country": "IT"}, [JOB_LAB]),
        ({"country": "BE"}, [SAMEN, CAFE]),
        ({"target_group": "refugees"}, [SAMEN, JOB_LAB]),
        ({"target_group": "newcomers"}, [CAFE]),
        ({"language": "nl"}, [CAFE]),
        ({"language": "it"}, [JOB_LAB]),
        ({"country": "BE", "target_group": "refugees"}, [SAMEN]),
        ({"country": "IT", "kind": "buddy"}, []),
        # A value that is not a choice is ignored.
        ({"theme": "nonsense", "kind": "<script>", "country": "XX"}, [SAMEN, CAFE, JOB_LAB]),
    ],
)
def test_filters_combine_with_the_query(client, library, filters, expected):
    assert results(search_for(client, "buddy", **filters)) == expected


def test_filters_without_a_query(client, library):
    assert results(client.get("/practices/?theme=cohesion")) == [SAMEN, RUMOURS]
    assert results(client.get("/practices/?country=IT")) == [JOB_LAB, RUMOURS]


def test_the_country_filter_offers_the_countries_of_published_practices(client, db, library):
    other = make_org(name="Jelgava", country="LV")
    make_practice(other, status="draft", title="Latvian draft")
    db.session.commit()
    body = html(client.get("/practices/"))
    assert 'value="IT"' in body and 'value="BE"' in body
    assert 'value="LV"' not in body


# Pagination


def test_pages_of_results_keep_the_query(client, db, cast):
    for i in range(25):
        make_practice(
            cast.mechelen,
            title=f"Buddy scheme number {i:02d}",
            published_dt=days_ago(i),
        )
    make_practice(cast.mechelen, title="Housing first", summary="Homes before anything else.")
    db.session.commit()
    first = search_for(client, "buddy", country="BE")
    assert len(results(first)) == 20
    assert "25 practices match" in text(first)
    body = html(first)
    assert 'rel="next"' in body
    next_link = htmllib.unescape(body.split('rel="next"')[0].rsplit('href="', 1)[1].split('"')[0])
    assert "q=buddy" in next_link and "page=2" in next_link and "country=BE" in next_link
    second = client.get(next_link)
    assert second.status_code == 200
    found = results(second)
    assert len(found) == 5
    assert "Housing first" not in found
    assert set(found).isdisjoint(results(first))
    assert client.get("/practices/?q=buddy&page=3").status_code == 404
    assert client.get("/practices/?q=buddy&page=abc").status_code == 200


# Queries per page


def test_the_number_of_queries_does_not_grow_with_the_results(app, db, cast, library):
    client = app.test_client()

    def queries_for(url) -> int:
        with count_queries(db.engine) as statements:
            assert client.get(url).status_code == 200
        return len(statements)

    def add(n):
        for i in range(n):
            town = make_org(name=f"Buddy town {i}", country="FR")
            practice = make_practice(
                town,
                title=f"Buddy scheme {i}",
                summary="A buddy for each newcomer.",
                how_it_works="Buddies meet every week.",
            )
            set_codes(practice, themes=["participation"], target_groups=["refugees"])
        db.session.commit()

    add(2)
    small = {url: queries_for(url) for url in ("/practices/?q=buddy", "/practices/")}
    add(18)
    large = {url: queries_for(url) for url in ("/practices/?q=buddy", "/practices/")}
    assert large == small
    assert small["/practices/?q=buddy"] <= 12
