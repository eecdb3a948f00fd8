"""Two coordinators write the first version of a pairing's plan at the same moment: one plan
is made, and the other person is shown the first one's text instead of overwriting it.

Each request runs in its own thread, with its own connection and transaction. The first
to lock the pairing holds the lock a moment, so the second really arrives while the first
is still writing (SQLite's write lock and PostgreSQL's row lock make it wait; it then finds
the plan)."""

import threading
import time

from exchange.db import db as _db
from exchange.pairings import queries as pairing_queries
from exchange.plans.models import ActionPlan, PlanStatusChange
from tests.plans.helpers import rows


def test_two_first_saves_at_once_make_one_plan(app, cast, world, login_as, monkeypatch):
    clients = {"mechelen": app.test_client(), "capaci": app.test_client()}
    login_as(cast.coordinator, the_client=clients["mechelen"])
    login_as(world.capaci_coordinator, the_client=clients["capaci"])
    lock = pairing_queries.get_for_update

    def lock_and_linger(pairing_id):
        locked = lock(pairing_id)
        time.sleep(0.3)  # hold the lock while the other request arrives
        return locked

    monkeypatch.setattr(pairing_queries, "get_for_update", lock_and_linger)
    start = threading.Barrier(2, timeout=10)
    statuses = {}
    url = f"/pairings/{world.pairing.id}/plan/edit"
    _db.session.commit()

    def write(city):
        with app.app_context():
            start.wait()
            response = clients[city].post(
                url,
                data={
                    "status": "draft",
                    "status_date": "2026-01-05",
                    "vision": f"The vision of {city}",
                    "version": "",
                },
            )
            statuses[city] = (response.status_code, response.get_data(as_text=True))

    threads = [threading.Thread(target=write, args=(city,)) for city in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    _db.session.rollback()
    [plan] = rows(ActionPlan)
    assert len(rows(PlanStatusChange)) == 1
    winner = "mechelen" if plan.vision == "The vision of mechelen" else "capaci"
    loser = "capaci" if winner == "mechelen" else "mechelen"
    assert statuses[winner][0] == 302
    code, page = statuses[loser]
    assert code == 200
    assert "Someone else changed this while you were editing" in page
    assert f"The vision of {winner}" in page
