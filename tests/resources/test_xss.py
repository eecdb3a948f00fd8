"""Script and HTML typed into a resource are shown as text on every page; script URLs
are refused."""

import pytest

from exchange.db import db
from exchange.resources.models import Resource
from tests.resources.conftest import count, make_resource, text

PAYLOADS = [
    "<script>alert('x')</script>",
    '"><img src=x onerror=alert(1)>',
    '<a href="javascript:alert(1)">click</a>',
    "</textarea><svg onload=alert(1)>",
]
# What must never reach a page unescaped.
RAW = ["<script>alert", "<img src=x", '<a href="javascript:', "<svg onload"]


def assert_inert(page: str) -> None:
    for raw in RAW:
        assert raw not in page, raw


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payloads_in_title_and_summary_are_text_everywhere(
    client, cast, login_as, post_form, payload
):
    login_as(cast.officer)
    response = post_form("/resources/new", title=payload, summary=f"{payload}\n{payload}")
    assert response.status_code == 302
    resource_page = text(client.get(response.location))  # with the "is saved" message
    assert_inert(resource_page)
    assert "&lt;" in resource_page
    (resource,) = db.session.scalars(db.select(Resource)).all()
    assert resource.title == payload  # kept as typed, escaped when shown

    for path in (
        "/resources/",
        f"/resources/?q={payload}",
        f"/resources/{resource.id}/edit",
    ):
        assert_inert(text(client.get(path)))

    response = client.post(f"/resources/{resource.id}/delete")
    assert_inert(text(client.get(response.location)))  # the "is deleted" message


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payloads_in_a_refused_form_are_text(client, cast, login_as, post_form, payload):
    login_as(cast.officer)
    page = text(post_form("/resources/new", title=payload, summary=payload, url=""))
    assert "Give a file or a link." in page
    assert_inert(page)


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(document.cookie)",
        " javascript:alert(1)",
        "javascript://example.org/%0Aalert(1)",
        "javascript:alert(1)//https://example.org",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
    ],
)
def test_script_urls_are_refused(client, cast, login_as, post_form, url):
    login_as(cast.officer)
    response = post_form("/resources/new", url=url)
    page = text(response)
    assert response.status_code == 200
    assert 'id="url-error"' in page
    assert count(Resource) == 0


def test_a_script_url_already_in_the_database_is_never_a_link(client, cast):
    """Defence in depth: only http and https links are rendered as links."""
    resource = make_resource(cast.vvsg, url="javascript:alert(1)")
    db.session.commit()
    for path in ("/resources/", f"/resources/{resource.id}"):
        page = text(client.get(path))
        assert "javascript:" not in page


def test_payload_in_the_author_name_is_text(client, cast):
    cast.vvsg.name = "<script>alert('org')</script>"
    make_resource(cast.vvsg)
    db.session.commit()
    assert_inert(text(client.get("/resources/")))
