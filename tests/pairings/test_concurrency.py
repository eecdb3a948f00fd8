"""Two coordinators answer the same proposal at the same moment: one wins, the other is told.

Each request runs in its own thread, so each has its own database connection and
transaction. The first to lock the pairing is held a moment inside its transaction, so the
second really arrives while the first is still deciding (SQLite's write lock and
PostgreSQL's row lock make it wait, then it finds the pairing changed).
"""

import threading
import time

import sqlalchemy as sa

from exchange.db import db as _db
from exchange.pairings import queries
from exchange.pairings.models import Pairing, PairingStep
from tests.factories import make_coordinator, make_org, make_pairing, make_programme


def test_two_coordinators_at_once_one_wins_and_the_other_is_told(app, cast, login_as, monkeypatch):
    jelgava = make_org(name="Jelgava", country="LV")
    pairing = make_pairing(cast.mechelen, jelgava, programme=make_programme())
    colleague = make_coordinator(cast.mechelen, email="colleague@mechelen.example")
    _db.session.commit()
    clients = {"accept": app.test_client(), "decline": app.test_client()}
    login_as(cast.coordinator, the_client=clients["accept"])
    login_as(colleague, the_client=clients["decline"])

    lock = queries.get_for_update

    def lock_and_linger(pairing_id):
        locked = lock(pairing_id)
        time.sleep(0.3)  # hold the lock while the other request arrives
        return locked

    monkeypatch.setattr(queries, "get_for_update", lock_and_linger)
    start = threading.Barrier(2, timeout=10)
    statuses = {}

    pairing_id = pairing.id

    def act(step):
        with app.app_context():  # a thread of its own: its own session and connection
            start.wait()
            response = clients[step].post(
                f"/pairings/{pairing_id}/steps/{step}", data={"version": "1", "message": "Sorry"}
            )
            statuses[step] = response.status_code

    threads = [threading.Thread(target=act, args=(step,)) for step in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert statuses == {"accept": 302, "decline": 302}
    _db.session.rollback()  # end the test's read snapshot (SQLite) to see the threads' work
    steps = _db.session.scalars(
        sa.select(PairingStep).where(PairingStep.pairing_id == pairing.id)
    ).all()
    assert len(steps) == 1  # one step won
    winner = steps[0].step
    loser = "decline" if winner == "accept" else "accept"
    assert (
        _db.session.get(Pairing, pairing.id).status
        == {"accept": "accepted", "decline": "declined"}[winner]
    )
    told = clients[loser].get(f"/pairings/{pairing.id}").get_data(as_text=True)
    assert "Someone changed this pairing while you were looking at it" in told
