"""Calendars: a pairing's activities, one activity and a user's private feed as iCalendar
files, and the private link (made, replaced and turned off from the account page).

A calendar app subscribes without a login, so the pairing's calendar also answers to
`?token=` (a user's private link) and the feed is read through its token alone. A bad,
replaced or turned-off token, or one whose owner may no longer see the pairing, answers 404;
an anonymous reader without a token is sent to the sign-in page. The calendar is written in
its reader's language: the language of the link's owner when read through a token.
"""

import io

from flask import Blueprint, current_app, flash, redirect, request, send_file, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user

from exchange import timezones
from exchange.calendars import ics, queries, services
from exchange.db import db, utcnow
from exchange.domain import DomainError
from exchange.i18n import select_locale
from exchange.main.forms import EmptyForm
from exchange.organisations.queries import check_id, get_or_404
from exchange.pairings.models import Pairing
from exchange.security import require
from exchange.storage import safe_name

bp = Blueprint("calendars", __name__)


@bp.get("/pairings/<int:pairing_id>/calendar.ics")
def pairing(pairing_id: int):
    pairing = get_or_404(Pairing, pairing_id)
    token = request.args.get("token")
    if token is not None:
        reader = _owner_of(token)
    elif current_user.is_authenticated:
        reader = current_user
    else:
        return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))
    require(pairing.can_see_details(reader))
    with force_locale(_language_of(reader)):
        body = ics.calendar(
            pairing.title,
            f"pairing-{pairing.id}@city-exchange",
            pairing.time_zone,
            queries.pairing_activities(pairing),
            _page_of,
        )
    return _ics_response(body, safe_name(pairing.title, "ics"))


@bp.get("/activities/<int:activity_id>/calendar.ics")
def activity(activity_id: int):
    """ "Add to calendar": the activity's event, the same as in the subscribed calendars."""
    check_id(activity_id)
    activity = queries.activity_for_calendar(activity_id)
    require(activity is not None and activity.can_view(current_user))
    body = ics.calendar(
        None,
        f"activity-{activity.id}@city-exchange",
        activity.pairing.time_zone,
        [activity],
        _page_of,
    )
    return _ics_response(body, safe_name(activity.title, "ics"))


@bp.get("/calendar/<feed_token>.ics")
def feed(feed_token: str):
    """A user's private feed: the activities of every pairing they follow."""
    owner = _owner_of(feed_token)
    organisation = owner.organisation if owner.is_approved_member else None
    with force_locale(_language_of(owner)):
        body = ics.calendar(
            _("City Exchange: activities of my pairings"),
            f"feed-{owner.id}@city-exchange",
            timezones.for_country(organisation.country if organisation else None),
            queries.feed_activities(owner, utcnow()),
            _page_of,
        )
    return _ics_response(body, "city-exchange.ics")


@bp.post("/profile/calendar-link")
def create_link():
    if EmptyForm().validate_on_submit():
        try:
            _feed, renewed = services.create_link(current_user)
        except DomainError as error:
            flash(str(error.message), "error")
        else:
            db.session.commit()
            flash(_made_message(renewed), "success")
    return redirect(url_for("accounts.profile", _anchor="calendar"))


@bp.post("/profile/calendar-link/revoke")
def revoke_link():
    if EmptyForm().validate_on_submit():
        if services.revoke_link(current_user):
            db.session.commit()
            flash(
                _("Your calendar link is turned off: calendars that used it get no more updates."),
                "success",
            )
        else:
            flash(_("You have no calendar link to turn off."), "error")
    return redirect(url_for("accounts.profile", _anchor="calendar"))


def _made_message(renewed: bool) -> str:
    if renewed:
        return _(
            "Your new calendar link is ready. The old link no longer works: "
            "add the new one to your calendar app."
        )
    return _("Your calendar link is ready: add it to your calendar app.")


def _owner_of(token: str):
    """The user whose private link this is, while they may still use it; else 404."""
    feed = queries.feed_by_token(token)
    require(feed is not None and services.may_have_a_link(feed.user))
    return feed.user


def _language_of(reader) -> str:
    if reader.locale in current_app.config["LANGUAGES"]:
        return reader.locale
    return select_locale()


def _page_of(activity) -> str:
    """The absolute address of the activity's page, for the event's URL and description."""
    return url_for("activities.show", activity_id=activity.id, _external=True)


def _ics_response(body: bytes, filename: str):
    response = send_file(
        io.BytesIO(body),
        mimetype=ics.MEDIA_TYPE,
        as_attachment=True,
        download_name=filename,
        max_age=0,
    )
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
