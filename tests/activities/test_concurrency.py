"""Two coordinators save the same version of an activity at the same moment: one is saved,
the other is told what changed and nothing of theirs is written.

Each request runs in its own thread, with its own connection and transaction. The first to
lock the activity holds the lock a moment, so the second arrives while the first is still
saving (PostgreSQL's row lock and SQLite's write lock make it wait; it then finds the new
version). Without the lock, both would read version 1 and the last save would silently
overwrite the first."""

import threading
import time

from exchange.activities import queries
from exchange.db import db
from tests.activities.helpers import edit_form, reload
from tests.factories import make_activity


def test_two_saves_of_one_version_at_once_one_wins_the_other_is_told(
    app, cast, world, login_as, monkeypatch
):
    activity = make_activity(world.pairing, title="Study visit", venue="City hall")
    db.session.commit()
    forms = {
        "title": edit_form(activity, title="Study visit to the one-stop shop"),
        "venue": edit_form(activity, venue="Capaci town hall"),
    }
    clients = {"title": app.test_client(), "venue": app.test_client()}
    login_as(cast.coordinator, the_client=clients["title"])
    login_as(cast.other_coordinator, the_client=clients["venue"])

    lock = queries.get_for_update

    def lock_and_linger(activity_id):
        locked = lock(activity_id)
        time.sleep(0.3)  # hold the lock while the other request arrives
        return locked

    monkeypatch.setattr(queries, "get_for_update", lock_and_linger)
    start = threading.Barrier(2, timeout=10)
    pages = {}
    activity_id = activity.id

    def save(change):
        with app.app_context():  # a thread of its own: its own session and connection
            start.wait()
            response = clients[change].post(f"/activities/{activity_id}/edit", data=forms[change])
            pages[change] = (response.status_code, response.get_data(as_text=True))

    threads = [threading.Thread(target=save, args=(change,)) for change in forms]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(status for status, _page in pages.values()) == [200, 302]
    db.session.rollback()  # end the test's read snapshot (SQLite) to see the threads' work
    saved = reload(activity)
    assert saved.version == 2
    winner = next(change for change, (status, _page) in pages.items() if status == 302)
    loser_page = next(page for status, page in pages.values() if status == 200)
    assert "Someone else changed this while you were editing" in loser_page
    if winner == "title":
        assert (saved.title, saved.venue) == ("Study visit to the one-stop shop", "City hall")
    else:
        assert (saved.title, saved.venue) == ("Study visit", "Capaci town hall")
