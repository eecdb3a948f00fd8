"""The access matrix: every route, who may use it, and what everyone else gets.

It is enforced in two places: `enforce_gate()` runs before every request and applies
the coarse gate (sign-in, admin); the views check the object-level rules (for example
`require(organisation.can_edit(current_user))`). `tests/test_access_matrix.py` walks every
rule of `app.url_map` for every role below and fails when a route is missing here or
when a view answers differently from the matrix.

Roles, relative to the subject organisation of the request (the test uses Mechelen):
  anonymous          not signed in
  participant        approved participant of the subject organisation
  coordinator        approved coordinator of the subject organisation
  other_coordinator  coordinator of an unrelated municipality (an outsider)
  officer            member of the subject organisation's parent association
  admin              platform administrator
"""

import enum
from dataclasses import dataclass

from flask import abort, redirect, request, url_for
from flask_login import current_user

ROLES = ("anonymous", "participant", "coordinator", "other_coordinator", "officer", "admin")

OK = "ok"  # the request is served (200, or a redirect that is not to the login page)
LOGIN = "login"  # redirected to the login page
NOT_FOUND = 404


class Gate(enum.Enum):
    PUBLIC = "public"
    SIGNED_IN = "signed_in"
    ADMIN = "admin"


@dataclass(frozen=True)
class Policy:
    gate: Gate
    expect: dict[str, object]


def _policy(gate: Gate, **expect) -> Policy:
    assert set(expect) == set(ROLES), f"a policy names every role: {sorted(expect)}"
    return Policy(gate, expect)


PUBLIC = _policy(
    Gate.PUBLIC,
    anonymous=OK,
    participant=OK,
    coordinator=OK,
    other_coordinator=OK,
    officer=OK,
    admin=OK,
)
SIGNED_IN = _policy(
    Gate.SIGNED_IN,
    anonymous=LOGIN,
    participant=OK,
    coordinator=OK,
    other_coordinator=OK,
    officer=OK,
    admin=OK,
)
# Members of the organisation, officers of its parent association, admins.
ORG_INSIDERS = _policy(
    Gate.SIGNED_IN,
    anonymous=LOGIN,
    participant=OK,
    coordinator=OK,
    other_coordinator=NOT_FOUND,
    officer=OK,
    admin=OK,
)
# The organisation's coordinators and admins.
ORG_COORDINATORS = _policy(
    Gate.SIGNED_IN,
    anonymous=LOGIN,
    participant=NOT_FOUND,
    coordinator=OK,
    other_coordinator=NOT_FOUND,
    officer=NOT_FOUND,
    admin=OK,
)
# The organisation's own members (and those who asked to join it), nobody else.
ORG_MEMBERS = _policy(
    Gate.SIGNED_IN,
    anonymous=LOGIN,
    participant=OK,
    coordinator=OK,
    other_coordinator=NOT_FOUND,
    officer=NOT_FOUND,
    admin=NOT_FOUND,
)
# Coordinators of any municipality, and admins: who may propose a pairing.
CITY_COORDINATORS = _policy(
    Gate.SIGNED_IN,
    anonymous=LOGIN,
    participant=NOT_FOUND,
    coordinator=OK,
    other_coordinator=OK,
    officer=NOT_FOUND,
    admin=OK,
)
# A city's coordinators, the officers of its association, admins (mentor suggestions).
CITY_ADVISERS = _policy(
    Gate.SIGNED_IN,
    anonymous=LOGIN,
    participant=NOT_FOUND,
    coordinator=OK,
    other_coordinator=NOT_FOUND,
    officer=OK,
    admin=OK,
)
# A pairing's private pages (the test pairing: Mechelen mentors a city of another
# association): members of both cities, officers of either side's association, admins.
# A step a member may not take is refused with a message on the overview (OK here).
PAIRING_INSIDERS = ORG_INSIDERS
# Who writes practices: coordinators of any city, officers, admins.
PRACTICE_WRITERS = _policy(
    Gate.SIGNED_IN,
    anonymous=LOGIN,
    participant=NOT_FOUND,
    coordinator=OK,
    other_coordinator=OK,
    officer=OK,
    admin=OK,
)
# Who edits a practice of Mechelen: its coordinators, the officers of its association, admins.
PRACTICE_EDITORS = CITY_ADVISERS
# Who records a transfer in a pairing of Mechelen: the coordinators of its cities, admins.
PAIRING_COORDINATORS = ORG_COORDINATORS
# Officers of associations (any), and admins: who post news and resources. In the matrix
# test the item belongs to VVSG, the officer's association.
POSTERS = _policy(
    Gate.SIGNED_IN,
    anonymous=LOGIN,
    participant=NOT_FOUND,
    coordinator=NOT_FOUND,
    other_coordinator=NOT_FOUND,
    officer=OK,
    admin=OK,
)
# Who rates a held activity of a Mechelen pairing: members of both cities and the officers
# who follow it; admins read the feedback but give none unless they are members.
FEEDBACK_GIVERS = _policy(
    Gate.SIGNED_IN,
    anonymous=LOGIN,
    participant=OK,
    coordinator=OK,
    other_coordinator=NOT_FOUND,
    officer=OK,
    admin=NOT_FOUND,
)
# A pairing's calendar: its insiders, signed in or through their private link (?token=);
# without either, the sign-in page. The gate is public so a calendar app can use the link.
CALENDAR_READERS = _policy(
    Gate.PUBLIC,
    anonymous=LOGIN,
    participant=OK,
    coordinator=OK,
    other_coordinator=NOT_FOUND,
    officer=OK,
    admin=OK,
)
# The monitoring dashboard and its reports: coordinators (their own pairings), officers
# (the pairings their association follows) and admins (all); participants read their
# pairings' reports instead.
DASHBOARD_USERS = _policy(
    Gate.SIGNED_IN,
    anonymous=LOGIN,
    participant=NOT_FOUND,
    coordinator=OK,
    other_coordinator=OK,
    officer=OK,
    admin=OK,
)
ADMINS = _policy(
    Gate.ADMIN,
    anonymous=LOGIN,
    participant=NOT_FOUND,
    coordinator=NOT_FOUND,
    other_coordinator=NOT_FOUND,
    officer=NOT_FOUND,
    admin=OK,
)

ACCESS_MATRIX: dict[str, Policy] = {
    "static": PUBLIC,
    # main
    "main.index": PUBLIC,
    "main.healthz": PUBLIC,
    "main.accessibility": PUBLIC,
    "main.privacy": PUBLIC,
    "main.set_language": PUBLIC,
    # accounts
    "accounts.register": PUBLIC,
    "accounts.confirm_email": PUBLIC,
    "accounts.resend_confirmation": SIGNED_IN,
    "accounts.login": PUBLIC,
    "accounts.logout": PUBLIC,
    "accounts.reset_request": PUBLIC,
    "accounts.reset_password": PUBLIC,
    "accounts.profile": SIGNED_IN,
    "accounts.change_password": SIGNED_IN,
    "accounts.change_email": SIGNED_IN,
    # organisations
    "organisations.directory": PUBLIC,
    "organisations.profile": PUBLIC,
    "organisations.accept_invitation": PUBLIC,
    "organisations.new": SIGNED_IN,
    "organisations.join": SIGNED_IN,
    "organisations.edit": ORG_COORDINATORS,
    "organisations.members": ORG_INSIDERS,
    "organisations.invite": ORG_COORDINATORS,
    "organisations.revoke_invitation": ORG_COORDINATORS,
    "organisations.approve_member": ORG_COORDINATORS,
    "organisations.remove_member": ORG_COORDINATORS,
    "organisations.set_role": ORG_COORDINATORS,
    "organisations.leave": ORG_MEMBERS,
    # programmes
    "programmes.index": PUBLIC,
    "programmes.show": PUBLIC,
    "programmes.new": ADMINS,
    "programmes.edit": ADMINS,
    # pairings (the overview of an active pairing is a public summary for outsiders)
    "pairings.index": PUBLIC,
    "pairings.new": CITY_COORDINATORS,
    "pairings.overview": PUBLIC,
    "pairings.history": PAIRING_INSIDERS,
    "pairings.step": PAIRING_INSIDERS,
    "pairings.phase": PAIRING_INSIDERS,
    "pairings.edit": PAIRING_INSIDERS,
    "pairings.replace": ADMINS,
    "pairings.suggestions": CITY_ADVISERS,
    "pairings.timeline": PAIRING_INSIDERS,
    # activities (exchange/activities/views.py)
    "activities.index": PAIRING_INSIDERS,
    "activities.new": PAIRING_COORDINATORS,
    "activities.show": PAIRING_INSIDERS,
    "activities.edit": PAIRING_COORDINATORS,
    "activities.mark_held": PAIRING_COORDINATORS,
    "activities.add_attachment": PAIRING_COORDINATORS,
    "activities.attachment": PAIRING_INSIDERS,
    "activities.remove_attachment": PAIRING_COORDINATORS,
    "activities.feedback": FEEDBACK_GIVERS,
    # action plans, indicators, risks (exchange/plans/views.py)
    "plans.show": PAIRING_INSIDERS,
    "plans.edit": PAIRING_COORDINATORS,
    "plans.new_action": PAIRING_COORDINATORS,
    "plans.edit_action": PAIRING_COORDINATORS,
    "plans.new_indicator": PAIRING_COORDINATORS,
    "plans.edit_indicator": PAIRING_COORDINATORS,
    "plans.new_measurement": PAIRING_COORDINATORS,
    "plans.remove_measurement": PAIRING_COORDINATORS,
    "plans.new_risk": PAIRING_COORDINATORS,
    "plans.edit_risk": PAIRING_COORDINATORS,
    # calendars (exchange/calendars/views.py); a private link carries its own access
    "calendars.pairing": CALENDAR_READERS,
    "calendars.activity": PAIRING_INSIDERS,
    "calendars.feed": PUBLIC,
    "calendars.create_link": SIGNED_IN,
    "calendars.revoke_link": SIGNED_IN,
    # a pairing's progress report, every format (exchange/reports/views.py)
    "reports.pairing": PAIRING_INSIDERS,
    "reports.pairing_pdf": PAIRING_INSIDERS,
    "reports.pairing_csv": PAIRING_INSIDERS,
    "reports.pairing_xlsx": PAIRING_INSIDERS,
    # the monitoring dashboard and its reports (exchange/dashboard/views.py)
    "dashboard.index": DASHBOARD_USERS,
    "dashboard.report_csv": DASHBOARD_USERS,
    "dashboard.report_xlsx": DASHBOARD_USERS,
    "dashboard.report_pdf": DASHBOARD_USERS,
    # practices
    "practices.library": PUBLIC,
    "practices.show": PUBLIC,
    "practices.lineage_page": PUBLIC,
    "practices.attachment": PUBLIC,
    "practices.new": PRACTICE_WRITERS,
    "practices.edit": PRACTICE_EDITORS,
    "practices.publish": PRACTICE_EDITORS,
    "practices.unpublish": PRACTICE_EDITORS,
    "practices.add_attachment": PRACTICE_EDITORS,
    "practices.remove_attachment": PRACTICE_EDITORS,
    "practices.new_transfer": PAIRING_COORDINATORS,
    "practices.edit_transfer": PAIRING_COORDINATORS,
    # resources (routes and entries: exchange/resources/views.py)
    "resources.index": PUBLIC,
    "resources.show": PUBLIC,
    "resources.download": PUBLIC,
    "resources.new": POSTERS,
    "resources.edit": POSTERS,
    "resources.delete": POSTERS,
    # news (routes and entries: exchange/news/views.py)
    "news.index": PUBLIC,
    "news.show": PUBLIC,
    "news.feed": PUBLIC,
    "news.new": POSTERS,
    "news.edit": POSTERS,
    "news.delete": POSTERS,
    # admin
    "admin.organisations": ADMINS,
    "admin.verify_organisation": ADMINS,
    "admin.users": ADMINS,
    "admin.deactivate_user": ADMINS,
    "admin.reactivate_user": ADMINS,
    "admin.grant_admin": ADMINS,
    "admin.revoke_admin": ADMINS,
}


def enforce_gate():
    """Apply the matrix's gate for the requested endpoint before the view runs."""
    if request.endpoint is None:  # 404 or 405: the routing error answers
        return None
    policy = ACCESS_MATRIX.get(request.endpoint)
    if policy is None:  # a route nobody put in the matrix is closed, never open
        abort(404)
    if policy.gate is Gate.PUBLIC:
        return None
    if not current_user.is_authenticated:
        target = request.full_path.rstrip("?") if request.method == "GET" else None
        return redirect(url_for("accounts.login", next=target))
    if policy.gate is Gate.ADMIN and not current_user.is_admin:
        abort(404)
    return None
