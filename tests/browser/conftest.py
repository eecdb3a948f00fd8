"""Real-browser tests: the app served on a free port, driven in Debian's Chromium.

Chromium comes from the Debian package (/usr/bin/chromium), never from `playwright install`;
without it every test here is skipped. The live server serves the very app object of
tests/conftest.py, so each test starts on empty tables (the `app` fixture) and sees the
e-mails the app queues in the outbox table.

On SQLite the test thread takes the write lock whenever it starts a transaction (see
exchange.db.configure_sqlite), so a test ends its transaction (`end_transaction()`) before
it lets the browser make the server write.
"""

import functools
import importlib.util
import logging
import os
import re
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect, sync_playwright
from werkzeug.serving import WSGIRequestHandler, make_server

from exchange.db import db as _db
from exchange.mail import OutboxMessage
from tests import factories

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_MISSING = "Chromium not installed at /usr/bin/chromium: apt-get install chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCALE = "en-GB"
TIMEOUT_MS = 15_000
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"

# axe-core as shipped inside the axe-playwright-python package (no download, no CDN).
AXE_JS = Path(importlib.util.find_spec("axe_playwright_python").origin).with_name("axe.min.js")
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_RUN = """tags => axe.run(document, {runOnly: {type: "tag", values: tags}}).then(
    results => results.violations.map(v => ({
        id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
        nodes: v.nodes.map(n => ({target: n.target, summary: n.failureSummary})),
    })))"""

log = logging.getLogger(__name__)
expect.set_options(timeout=TIMEOUT_MS)


# The live server


class QuietRequestHandler(WSGIRequestHandler):
    """Log requests to the test log instead of the werkzeug logger's own stderr handler."""

    def log(self, type: str, message: str, *args) -> None:  # noqa: A002 (werkzeug's name)
        log.debug("live server %s: %s", type, message % args)


def read_whole(app):
    """Serve each response read whole, its file closed at once: when a browser drops a
    connection (a favicon request cut short by the next page), werkzeug's server skips the
    response's close() and the file would be left open (a ResourceWarning, an error here)."""

    def wsgi(environ, start_response):
        body = app(environ, start_response)
        try:
            return [b"".join(body)]
        finally:
            if hasattr(body, "close"):
                body.close()

    return wsgi


@pytest.fixture(scope="session")
def _live_server(_migrated_app):
    server = make_server(
        "127.0.0.1",
        0,
        read_whole(_migrated_app),
        threaded=True,
        request_handler=QuietRequestHandler,
    )
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()


@pytest.fixture
def live_server(_live_server, app):
    """The live server's URL for one test, on empty tables, with CSRF on as in production.

    E-mail links are built from BASE_URL at request time, so they point at the live server.
    """
    settings = {"BASE_URL": _live_server, "WTF_CSRF_ENABLED": True}
    saved = {name: app.config.get(name) for name in settings}
    app.config.update(settings)
    yield _live_server
    app.config.update(saved)


# The browser


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip(CHROMIUM_MISSING)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test, so fixtures know whether the test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


class PageProblems:
    """Collect what the browser console says a page did wrong: CSP violations, script errors."""

    def __init__(self):
        self.messages: list[str] = []

    def watch(self, page) -> None:
        page.on("pageerror", lambda error: self.messages.append(f"{page.url}: {error}"))
        page.on("console", self._on_console(page))

    def _on_console(self, page):
        def record(message):
            if message.type == "error" and "Content Security Policy" in message.text:
                self.messages.append(f"{page.url}: {message.text}")

        return record


@pytest.fixture
def new_page(browser, live_server, request):
    """Open a page in a new browser context (a new person): `new_page(bypass_csp=..., width=...)`.

    Contexts enforce the site's Content-Security-Policy unless `bypass_csp=True`; a CSP
    violation or a script error in any page fails the test.
    """
    contexts = []
    problems = PageProblems()

    def open_page(*, bypass_csp: bool = False, width: int = 1280, height: int = 900):
        context = browser.new_context(
            base_url=live_server,
            locale=LOCALE,
            bypass_csp=bypass_csp,
            viewport={"width": width, "height": height},
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        problems.watch(page)
        return page

    yield open_page
    failed = getattr(request.node, "report_call", None)
    if failed is not None and failed.failed:
        save_artifacts(request.node.name, contexts)
    for context in contexts:
        context.close()
    assert not problems.messages, "The browser reported problems:\n" + "\n".join(problems.messages)


def save_artifacts(test_name: str, contexts) -> None:
    """Keep a screenshot and the HTML of every open page of a failed test."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    safe_name = re.sub(r"[^\w.-]+", "_", test_name)
    for n, context in enumerate(contexts):
        for m, page in enumerate(context.pages):
            stem = ARTIFACTS / f"{safe_name}-{n}-{m}"
            try:
                page.screenshot(path=f"{stem}.png", full_page=True)
                stem.with_suffix(".html").write_text(page.content(), encoding="utf-8")
            except Exception as error:  # a crashed page must not hide the test's own failure
                log.warning("could not save %s: %s", stem, error)


# Helpers for the tests


def end_transaction() -> None:
    """End the test thread's transaction, so the live server can write (SQLite locks)."""
    _db.session.rollback()


def add_user(**overrides) -> str:
    """Create a confirmed user with the test password; return the e-mail address."""
    email = factories.make_user(**overrides).email
    _db.session.commit()
    return email


def email_link(recipient: str, base_url: str) -> str:
    """Return the path of the first link to the live server in the latest e-mail to `recipient`."""
    text = _db.session.scalar(
        sa.select(OutboxMessage.text)
        .where(OutboxMessage.recipient == recipient)
        .order_by(OutboxMessage.id.desc())
        .limit(1)
    )
    end_transaction()
    assert text, f"no e-mail to {recipient} in the outbox"
    match = re.search(re.escape(base_url) + r"(/\S+)", text)
    assert match, f"no link to {base_url} in the e-mail to {recipient}: {text!r}"
    return match.group(1)


def log_in(page, email: str, password: str = factories.PASSWORD) -> None:
    """Log in through the real form, as a person would."""
    page.goto("/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def log_out(page) -> None:
    page.get_by_role("button", name="Log out").click()
    expect(main_nav(page).get_by_role("link", name="Log in")).to_be_visible()


def main_nav(page):
    return page.get_by_role("navigation", name="Main")


def expect_flash(page, text) -> None:
    expect(page.locator(".flashes")).to_contain_text(text)


def assert_accessible(page) -> None:
    """Run axe-core (WCAG 2.0 and 2.1, A and AA) on the page; fail listing every violation.

    axe-core is evaluated through the DevTools protocol, which the page's CSP does not
    govern, so the check runs with the site's real CSP in force (no bypass_csp needed).
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    violations = page.evaluate(AXE_RUN, AXE_TAGS)
    assert not violations, f"axe-core found problems on {page.url}:\n" + "\n".join(
        describe_violation(v) for v in violations
    )


@functools.cache
def axe_source() -> str:
    return AXE_JS.read_text(encoding="utf-8")


def describe_violation(violation: dict) -> str:
    lines = [
        f"- {violation['id']} ({violation['impact']}): {violation['help']} <{violation['helpUrl']}>"
    ]
    for node in violation["nodes"]:
        lines.append(f"    at {' '.join(map(str, node['target']))}")
        if node.get("summary"):
            lines.extend(f"      {line}" for line in node["summary"].splitlines())
    return "\n".join(lines)
