"""Inputs that once could hurt the knowledge hub: pathological Markdown, zip bombs, ids and
dates out of range, unverified organisations, stop words in a search."""

import datetime as dt
import io
import zipfile

import pytest

from exchange import markdown_text, storage
from exchange.db import db as _db
from exchange.db import utcnow
from exchange.news.models import NewsItem
from tests.factories import make_coordinator, make_org, make_pairing, make_practice


@pytest.mark.parametrize(
    "body",
    [
        "".join("\t" * i + "- a\n" for i in range(250)),  # recursion in Python-Markdown
        "[" * 20000,  # backtracking on brackets
    ],
)
def test_pathological_markdown_is_shown_as_text_quickly(app, client, cast, body):
    rendered = markdown_text.render(body)
    assert str(rendered).startswith("<p>")
    item = NewsItem(
        title="Odd",
        summary="Odd",
        body=body,
        language="en",
        published_dt=utcnow() - dt.timedelta(days=1),
        author_organisation=cast.vvsg,
    )
    _db.session.add(item)
    _db.session.commit()
    assert client.get(f"/news/{item.id}").status_code == 200
    assert client.get("/news/feed.atom").status_code == 200


def test_ordinary_markdown_still_renders():
    html = str(markdown_text.render("# Title\n\n- one\n    - two\n\n**bold**"))
    assert "<h2>Title</h2>" in html and "<li>two</li>" in html and "<strong>bold</strong>" in html


def test_a_zip_bomb_is_not_unpacked_to_sniff_it():
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as bomb:
        bomb.writestr("mimetype", b"0" * (50 * 1024 * 1024))  # 50 MB of zeros, ~50 kB packed
    assert len(archive.getvalue()) < 200_000
    assert storage.sniff(archive.getvalue()) is None


def test_an_opendocument_is_still_recognised():
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as odt:
        odt.writestr("mimetype", storage.ACCEPTED["odt"])
        odt.writestr("content.xml", "<office:document-content/>")
    assert storage.sniff(archive.getvalue()) == "odt"


def test_a_coordinator_of_an_unverified_city_publishes_no_practice(client, db, login_as):
    town = make_org(name="Newtown", is_verified=False, verified_dt=None)
    coordinator = make_coordinator(town)
    db.session.commit()
    login_as(coordinator)
    assert client.get("/practices/new").status_code == 404


@pytest.mark.parametrize("value", ["-99999999999999999999", str(2**70)])
def test_a_practice_id_naming_nothing_is_a_field_error(client, cast, login_as, value):
    pairing = make_pairing(cast.mechelen, cast.capaci, status="active")
    _db.session.commit()
    login_as(cast.coordinator)
    response = client.post(
        f"/pairings/{pairing.id}/transfers/new", data={"practice_id": value, "stage": "adapt"}
    )
    assert response.status_code == 200
    assert "Choose a published practice from the list." in response.get_data(as_text=True)


def test_a_date_in_year_one_is_a_field_error(client, cast, login_as):
    login_as(cast.officer)
    response = client.post(
        "/news/new",
        data={
            "title": "T",
            "summary": "S",
            "body": "B",
            "language": "en",
            "published_date": "0001-01-01",
        },
    )
    assert response.status_code == 200
    assert "Enter a date between the years 1900 and 2999." in response.get_data(as_text=True)


@pytest.mark.parametrize("query", ["a buddy", "buddy's", "the buddies of refugees"])
def test_stop_words_do_not_hide_a_match(client, cast, query):
    make_practice(cast.mechelen)
    _db.session.commit()
    page = client.get("/practices/", query_string={"q": query}).get_data(as_text=True)
    assert "Samen Inburgeren" in page and "No practice matches" not in page


def test_a_file_keeps_a_name_in_its_own_script(client, cast, login_as):
    practice = make_practice(cast.mechelen)
    _db.session.commit()
    login_as(cast.coordinator)
    upload = (io.BytesIO(b"%PDF-1.4\n% report\n"), "Έκθεση δράσης.pdf")
    response = client.post(f"/practices/{practice.id}/attachments", data={"file": upload})
    assert response.status_code == 302
    page = client.get(f"/practices/{practice.id}").get_data(as_text=True)
    assert "Έκθεση_δράσης.pdf" in page
    file_id = practice.attachments[0].stored_file_id
    download = client.get(f"/practices/{practice.id}/attachments/{file_id}")
    disposition = download.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''%CE%88%CE%BA%CE%B8%CE%B5%CF%83%CE%B7" in disposition


@pytest.mark.parametrize("body", ["<a " * 6666, "x < y and a<b " * 300])
def test_text_full_of_angle_brackets_skips_markdown(monkeypatch, body):
    """Python-Markdown is quadratic in the number of "<": 6,666 took 3.7 seconds a field."""

    def refuse(*_args, **_kwargs):
        raise AssertionError("Markdown was asked to parse a pathological text")

    monkeypatch.setattr(markdown_text.markdown, "markdown", refuse)
    rendered = str(markdown_text.render(body))
    assert rendered.startswith("<p>") and "&lt;" in rendered


def test_a_few_angle_brackets_are_still_markdown():
    assert (
        str(markdown_text.render("1 < 2 and **bold**"))
        == "<p>1 &lt; 2 and <strong>bold</strong></p>"
    )
