"""The activity pages cost the same number of queries whatever the amount of data."""

import datetime as dt

from exchange.activities.models import ActivityAttachment, Feedback
from exchange.db import db
from exchange.storage import StoredFile
from tests.activities.helpers import PDF, today
from tests.factories import make_action, make_activity, make_org, make_user
from tests.test_query_counts import count_queries


def grow(world, activity, n: int) -> None:
    """n more activities in the list, and n more feedback rows, files and linked actions on
    `activity`, each from a person of another organisation."""
    pairing = world.pairing
    for i in range(n):
        other = make_activity(
            pairing,
            title=f"Activity {i}",
            host=pairing.mentee if i % 2 else pairing.mentor,
            start_date=today() - dt.timedelta(days=i + 20),
        )
        db.session.add(Feedback(activity=other, user=make_user(), usefulness=1 + i % 5))
        town = make_org(name=f"Town {i}")
        person = make_user(organisation=town)
        db.session.add(
            Feedback(
                activity=activity,
                user=person,
                organisation=town,
                usefulness=1 + i % 5,
                comment="ok",
            )
        )
        stored = StoredFile(
            name=f"f{i}.pdf", media_type="application/pdf", size=len(PDF), sha256="0" * 64, data=PDF
        )
        db.session.add(stored)
        db.session.flush()
        activity.attachments.append(ActivityAttachment(stored_file_id=stored.id, file=stored))
        activity.actions.append(make_action(pairing, title=f"Action {i}"))
    db.session.commit()


def test_the_list_and_an_activity_cost_the_same_queries_with_3_or_30_rows(
    app, cast, world, login_as
):
    activity = make_activity(world.pairing, title="The one with feedback")
    db.session.commit()
    client = app.test_client()
    login_as(cast.participant, the_client=client)
    urls = (
        f"/pairings/{world.pairing.id}/activities",
        f"/pairings/{world.pairing.id}/activities?status=held",
        f"/activities/{activity.id}",
    )

    def queries(url) -> int:
        with count_queries(db.engine) as statements:
            assert client.get(url).status_code == 200
        return len(statements)

    grow(world, activity, 3)
    small = [queries(url) for url in urls]
    grow(world, activity, 27)
    large = [queries(url) for url in urls]
    assert large == small
    assert max(small) <= 10, small
