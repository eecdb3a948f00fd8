"""Everything that changes pairings. `take_step` is the only code that changes `status`.

The state machine (STEPS below; admins may take every step):

  propose   (new)                 -> proposed   a coordinator of either city
  accept    proposed              -> accepted   a coordinator of the side that did not propose
  decline   proposed              -> declined   a coordinator of the side that did not propose
  confirm   accepted              -> active     an officer of either side's association
  hold      active                -> on hold    an officer of either side's association
  resume    on hold               -> active     an officer of either side's association
  complete  active                -> completed  an officer of either side's association
  withdraw  proposed, accepted,
            active, on hold       -> withdrawn  a coordinator of either city

A refused step raises DomainError with the reason and changes nothing. Every step is kept as
a PairingStep with its message and written to the audit trail; the people concerned are told
by e-mail. Forms carry the pairing's `version`: a step on a pairing that changed since the
page was opened is refused, so of two people acting at once one wins and the other is told.
"""

import datetime as dt
import enum
from dataclasses import dataclass

from flask_babel import format_date
from flask_babel import lazy_gettext as _l

from exchange import audit, timezones
from exchange.db import db, utcnow
from exchange.domain import DomainError
from exchange.mail import external_url, notify
from exchange.organisations.models import OrgKind
from exchange.pairings import queries
from exchange.pairings.history import describe_changes
from exchange.pairings.models import (
    FIRST_PHASE,
    OPEN_STATUSES,
    PHASES,
    STATUS_LABELS,
    Pairing,
    PairingStep,
    PartnerChange,
    PhaseChange,
    Side,
    Status,
)
from exchange.programmes.models import Programme


class Actor(enum.Enum):
    ANSWERING_COORDINATOR = "answering coordinator"
    PARTY_COORDINATOR = "party coordinator"
    CONFIRMING_OFFICER = "confirming officer"


@dataclass(frozen=True)
class Step:
    name: str
    from_statuses: tuple[Status, ...]
    to_status: Status
    actor: Actor
    label: object  # the button
    done: object  # what the user is told afterwards
    needs_message: bool = False


STEPS = {
    step.name: step
    for step in (
        Step("accept", (Status.PROPOSED,), Status.ACCEPTED, Actor.ANSWERING_COORDINATOR,
             _l("Accept the proposal"), _l("You accepted the proposal. An association officer "
                                          "or an administrator will now confirm the pairing.")),
        Step("decline", (Status.PROPOSED,), Status.DECLINED, Actor.ANSWERING_COORDINATOR,
             _l("Decline the proposal"), _l("You declined the proposal."), needs_message=True),
        Step("confirm", (Status.ACCEPTED,), Status.ACTIVE, Actor.CONFIRMING_OFFICER,
             _l("Confirm the pairing"), _l("The pairing is confirmed and active in its first "
                                          "phase.")),
        Step("hold", (Status.ACTIVE,), Status.ON_HOLD, Actor.CONFIRMING_OFFICER,
             _l("Put the pairing on hold"), _l("The pairing is on hold."), needs_message=True),
        Step("resume", (Status.ON_HOLD,), Status.ACTIVE, Actor.CONFIRMING_OFFICER,
             _l("Resume the pairing"), _l("The pairing is active again.")),
        Step("complete", (Status.ACTIVE,), Status.COMPLETED, Actor.CONFIRMING_OFFICER,
             _l("Mark the pairing as completed"), _l("The pairing is completed.")),
        Step("withdraw", OPEN_STATUSES, Status.WITHDRAWN, Actor.PARTY_COORDINATOR,
             _l("Withdraw from the pairing"), _l("The pairing is withdrawn."),
             needs_message=True),
    )
}  # fmt: skip

MAX_MESSAGE = 5000


def _is_admin(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_admin)


def _actor_refusal(user, pairing: Pairing, step: Step):
    """Why `user` may not take `step` on `pairing` (whatever its status), or None."""
    if _is_admin(user):
        return None
    if step.actor is Actor.ANSWERING_COORDINATOR:
        side = pairing.answering_side
        if pairing.is_coordinator_of(user, side):
            return None
        return _l(
            "Only a coordinator of %(city)s, the city that received the proposal, can answer it.",
            city=pairing.city(side).name,
        )
    if step.actor is Actor.PARTY_COORDINATOR:
        if pairing.is_party_coordinator(user):
            return None
        return _l(
            "Only a coordinator of %(mentor)s or %(mentee)s can do this.",
            mentor=pairing.mentor.name,
            mentee=pairing.mentee.name,
        )
    if pairing.is_confirming_officer(user):
        return None
    return _l(
        "Only an officer of the association of either city, or an administrator, can do this."
    )


def refusal(user, pairing: Pairing, step_name: str):
    """Why `user` may not take the step now, or None when they may."""
    step = STEPS.get(step_name)
    if step is None:
        return _l("This is not a step a pairing can take.")
    if pairing.status not in step.from_statuses:
        return _l(
            "This cannot be done while the pairing is “%(status)s”.",
            status=STATUS_LABELS[Status(pairing.status)],
        )
    return _actor_refusal(user, pairing, step)


def available_steps(user, pairing: Pairing) -> list[Step]:
    return [step for name, step in STEPS.items() if refusal(user, pairing, name) is None]


def check_version(pairing: Pairing, seen_version) -> None:
    if seen_version != pairing.version:
        raise DomainError(
            _l(
                "Someone changed this pairing while you were looking at it: it is now "
                "“%(status)s”. Look at the pairing again before you act.",
                status=STATUS_LABELS[Status(pairing.status)],
            )
        )


def _message(text: str | None) -> str | None:
    text = (text or "").strip()
    if len(text) > MAX_MESSAGE:
        raise DomainError(_l("Use at most %(num)d characters.", num=MAX_MESSAGE), "message")
    return text or None


def _changed(pairing: Pairing) -> None:
    pairing.version += 1
    pairing.updated_dt = utcnow()


def ensure_step_allowed(user, pairing: Pairing, step_name: str, seen_version) -> None:
    """Raise DomainError when the pairing changed since `seen_version`, or the step is not
    possible now, or not for this user."""
    check_version(pairing, seen_version)
    reason = refusal(user, pairing, step_name)
    if reason is not None:
        raise DomainError(reason)


def take_step(user, pairing: Pairing, step_name: str, message: str | None, seen_version: int):
    """Move the pairing through the state machine, or raise DomainError and change nothing."""
    ensure_step_allowed(user, pairing, step_name, seen_version)
    step = STEPS[step_name]
    message = _message(message)
    if step.needs_message and not message:
        raise DomainError(_l("Say why, in a few words: the other people will read it."), "message")
    now = utcnow()
    before = pairing.status
    pairing.status = step.to_status
    _changed(pairing)
    _record_step(user, pairing, step.name, before, message, now)
    audit.record(
        user, f"pairing.{step.name}", pairing, status=(before, pairing.status), message=message
    )
    if step.to_status == Status.ACTIVE and pairing.confirmed_dt is None:  # confirmed
        pairing.confirmed_dt = now
        pairing.start_date = now.date()
        _enter_phase(user, pairing, FIRST_PHASE, reason=None, now=now)
    if step.to_status in (Status.COMPLETED, Status.DECLINED, Status.WITHDRAWN):
        pairing.end_date = now.date()
    _tell_about_step(user, pairing, step, message)
    db.session.flush()
    return pairing


def _record_step(user, pairing, name, before, message, now) -> None:
    pairing.steps.append(
        PairingStep(
            step=name,
            from_status=before,
            to_status=pairing.status,
            actor_id=getattr(user, "id", None),
            actor_organisation_id=getattr(user, "organisation_id", None),
            message=message,
            created_dt=now,
        )
    )


# Proposing


def _check_city(org, field: str):
    if org is None:
        raise DomainError(_l("Choose a city from the list."), field)
    if org.kind != OrgKind.MUNICIPALITY:
        raise DomainError(
            _l(
                "%(org)s is not a municipality. A pairing joins two cities; their associations "
                "are chosen below.",
                org=org.name,
            ),
            field,
        )
    if not org.is_verified:
        raise DomainError(
            _l(
                "%(org)s is not verified yet. It can take part in a pairing once an "
                "administrator has verified it.",
                org=org.name,
            ),
            field,
        )


def _check_association(org, field: str):
    if org is not None and (
        org.kind not in (OrgKind.ASSOCIATION, OrgKind.NETWORK_LEAD) or not org.is_verified
    ):
        raise DomainError(_l("Choose a verified association from the list."), field)


def _check_programme(programme: Programme | None, today: dt.date):
    if programme is None:
        raise DomainError(_l("Choose a programme from the list."), "programme_id")
    if not programme.is_open_on(today):
        raise DomainError(
            _l(
                "%(programme)s has ended; choose a programme that is still running.",
                programme=programme.name,
            ),
            "programme_id",
        )


def _check_no_open_pairing(programme, mentor, mentee, field: str, exclude=None):
    existing = queries.open_pairing_between(programme.id, mentor.id, mentee.id)
    if existing is not None and existing is not exclude:
        raise DomainError(
            _l(
                "%(a)s and %(b)s already have an open pairing in %(programme)s.",
                a=mentor.name,
                b=mentee.name,
                programme=programme.name,
            ),
            field,
        )


def _check_details(objective: str | None, themes: list[str], start: dt.date | None, programme):
    if not themes:
        raise DomainError(_l("Choose at least one theme."), "themes")
    if not (objective or "").strip():
        raise DomainError(_l("Say what the mentee city wants to achieve."), "objective")
    outside = start is not None and (
        start < programme.start_date or (programme.end_date and start > programme.end_date)
    )
    if outside:
        raise DomainError(
            _l(
                "Choose a date within the programme (%(start)s to %(end)s).",
                start=format_date(programme.start_date),
                end=format_date(programme.end_date) if programme.end_date else "…",
            ),
            "proposed_start_date",
        )


def proposing_side(user, mentor, mentee, admin_side: Side | None) -> Side:
    """Which side `user` proposes for: their own city's; admins say which side asks."""
    if getattr(user, "is_coordinator", False) and user.organisation_id == mentor.id:
        return Side.MENTOR
    if getattr(user, "is_coordinator", False) and user.organisation_id == mentee.id:
        return Side.MENTEE
    if _is_admin(user):
        return admin_side or Side.MENTEE
    own = user.organisation.name if getattr(user, "organisation", None) else None
    if own and user.is_coordinator:
        raise DomainError(
            _l("Your city, %(city)s, must be the mentor or the mentee.", city=own), "mentee_id"
        )
    raise DomainError(_l("Only a coordinator of one of the two cities can propose a pairing."))


def propose(
    user,
    *,
    programme: Programme | None,
    mentor,
    mentee,
    themes: list[str],
    objective: str,
    proposed_start_date: dt.date | None = None,
    message: str | None = None,
    mentor_association=None,
    mentee_association=None,
    admin_side: Side | None = None,
) -> Pairing:
    """Propose a pairing for the user's city; the other side's coordinators are told."""
    today = utcnow().date()
    _check_programme(programme, today)
    _check_city(mentor, "mentor_id")
    _check_city(mentee, "mentee_id")
    if mentor.id == mentee.id:
        raise DomainError(_l("A city cannot be paired with itself."), "mentee_id")
    side = proposing_side(user, mentor, mentee, admin_side)
    _check_association(mentor_association, "mentor_association_id")
    _check_association(mentee_association, "mentee_association_id")
    _check_details(objective, themes, proposed_start_date, programme)
    message = _message(message)
    queries.lock_programme(programme)  # two proposals of one pair at once: one waits
    _check_no_open_pairing(programme, mentor, mentee, "mentee_id")

    pairing = Pairing(
        programme=programme,
        mentor=mentor,
        mentee=mentee,
        mentor_association=mentor_association or mentor.parent,
        mentee_association=mentee_association or mentee.parent,
        objective=objective.strip(),
        proposed_by_side=side,
        proposed_start_date=proposed_start_date,
        time_zone=timezones.for_country(mentee.country),
        status=Status.PROPOSED,
        version=1,
    )
    pairing.themes = themes
    db.session.add(pairing)
    db.session.flush()
    now = utcnow()
    _record_step(user, pairing, "propose", None, message, now)
    audit.record(
        user,
        "pairing.propose",
        pairing,
        status=(None, Status.PROPOSED),
        mentor=(None, mentor.name),
        mentee=(None, mentee.name),
        programme=(None, programme.name),
        themes=(None, pairing.themes),
        message=message,
    )
    answering = pairing.city(side.other)
    proposing = pairing.city(side)
    on_behalf = getattr(user, "organisation_id", None) != proposing.id
    if on_behalf:  # an admin proposed for the city: its coordinators must know
        for coordinator in queries.coordinators_of(proposing):
            notify(
                coordinator,
                _l(
                    "%(city)s proposes a pairing with %(other)s",
                    city=proposing.name,
                    other=answering.name,
                ),
                "pairing_step",
                user=coordinator,
                headline=_l(
                    "An administrator, %(actor)s, proposed the pairing of %(mentor)s and "
                    "%(mentee)s on behalf of %(city)s. A coordinator of %(other)s will accept "
                    "or decline it.",
                    actor=user.name,
                    mentor=mentor.name,
                    mentee=mentee.name,
                    city=proposing.name,
                    other=answering.name,
                ),
                message=message,
                link=_link(pairing),
            )
    for coordinator in queries.coordinators_of(answering):
        notify(
            coordinator,
            _l(
                "%(city)s proposes a pairing with %(other)s",
                city=pairing.city(side).name,
                other=answering.name,
            ),
            "pairing_proposed",
            user=coordinator,
            pairing=pairing,
            sender=user,
            on_behalf=on_behalf,
            message=message,
            link=_link(pairing),
        )
    db.session.flush()
    return pairing


def _only_party_coordinators(pairing: Pairing) -> DomainError:
    return DomainError(
        _l(
            "Only a coordinator of %(mentor)s or %(mentee)s can do this.",
            mentor=pairing.mentor.name,
            mentee=pairing.mentee.name,
        )
    )


def ensure_can_edit_details(user, pairing: Pairing, seen_version) -> None:
    check_version(pairing, seen_version)
    if not pairing.is_open:
        raise DomainError(_l("The terms can only change while the pairing is open."))
    if not can_edit_details(user, pairing):
        raise _only_party_coordinators(pairing)


def _reschedule_activities(pairing: Pairing) -> None:
    """The activities keep their local dates and times in the new time zone: their moments in
    UTC move, and their new version tells subscribed calendars to update the events."""
    for activity in queries.activities_of(pairing.id):
        activity.schedule(pairing.time_zone)
        activity.version += 1


def update_details(
    user,
    pairing: Pairing,
    seen_version: int,
    *,
    themes,
    objective,
    proposed_start_date,
    mentor_association,
    mentee_association,
    time_zone: str | None = None,
) -> None:
    """Coordinators of either city and admins adjust the terms of an open pairing; the
    other people in it are told what changed. Only admins change the associations once the
    pairing is proposed: they decide who monitors and confirms it."""
    ensure_can_edit_details(user, pairing, seen_version)
    for side, association in ((Side.MENTOR, mentor_association), (Side.MENTEE, mentee_association)):
        if association is not pairing.association(side) and not _is_admin(user):
            raise DomainError(
                _l("Only an administrator can change the associations of a pairing."),
                f"{side.value}_association_id",
            )
        _check_association(association, f"{side.value}_association_id")
    start_changed = proposed_start_date != pairing.proposed_start_date
    _check_details(
        objective, themes, proposed_start_date if start_changed else None, pairing.programme
    )
    changes = {}
    new_values = {
        "objective": objective.strip(),
        "proposed_start_date": proposed_start_date,
        "themes": sorted(set(themes)),
        "mentor_association": mentor_association,
        "mentee_association": mentee_association,
    }
    if time_zone is not None:
        if time_zone not in dict(timezones.choices()):
            raise DomainError(_l("Choose a time zone from the list."), "time_zone")
        new_values["time_zone"] = time_zone
    for name, value in new_values.items():
        before = getattr(pairing, name)
        if name == "themes":
            before = sorted(before)
        if before != value:
            changes[name] = (_plain(before), _plain(value))
            setattr(pairing, name, value)
    if not changes:
        return
    _changed(pairing)
    if "time_zone" in changes:
        _reschedule_activities(pairing)
    event = audit.record(user, "pairing.edit", pairing, **changes)
    for coordinator in queries.coordinators_of(pairing.mentor, pairing.mentee):
        if coordinator.id != getattr(user, "id", None):
            notify(
                coordinator,
                _l(
                    "The terms of the pairing %(mentor)s – %(mentee)s changed",
                    mentor=pairing.mentor.name,
                    mentee=pairing.mentee.name,
                ),
                "pairing_terms_changed",
                user=coordinator,
                actor=user,
                pairing=pairing,
                changes=event.summary,
                describe=describe_changes,
                link=_link(pairing),
            )
    db.session.flush()


def can_edit_details(user, pairing: Pairing) -> bool:
    return pairing.is_open and (_is_admin(user) or pairing.is_party_coordinator(user))


def _plain(value):
    return getattr(value, "name", value)


# Phases


def ensure_can_move_phase(user, pairing: Pairing, seen_version) -> None:
    check_version(pairing, seen_version)
    if pairing.status != Status.ACTIVE:
        raise DomainError(_l("The phase can only change while the pairing is active."))
    if not pairing.can_move_phase(user):
        raise _only_party_coordinators(pairing)


def move_phase(user, pairing: Pairing, phase: int, reason: str | None, seen_version: int):
    """Move an active pairing to another phase; going back needs a reason."""
    ensure_can_move_phase(user, pairing, seen_version)
    if phase not in PHASES:
        raise DomainError(_l("Choose one of the eight phases."), "phase")
    if phase == pairing.phase:
        raise DomainError(_l("The pairing is already in this phase."), "phase")
    reason = _message(reason) if reason else None
    if pairing.phase is not None and phase < pairing.phase and not reason:
        raise DomainError(_l("Say why the pairing goes back to an earlier phase."), "reason")
    _enter_phase(user, pairing, phase, reason, utcnow())
    _changed(pairing)
    db.session.flush()


def _enter_phase(user, pairing: Pairing, phase: int, reason, now) -> None:
    before = pairing.phase
    pairing.phase = phase
    pairing.phase_changes.append(
        PhaseChange(
            from_phase=before,
            phase=phase,
            reason=reason,
            actor_id=getattr(user, "id", None),
            changed_dt=now,
        )
    )
    audit.record(user, "pairing.phase", pairing, phase=(before, phase), reason=reason)


# Replacing a partner


def ensure_can_replace(admin, pairing: Pairing, seen_version) -> None:
    check_version(pairing, seen_version)
    if not _is_admin(admin):
        raise DomainError(_l("Only an administrator can replace a partner."))
    if not pairing.is_open:
        raise DomainError(_l("Partners can only be replaced in an open pairing."))


def replace_partner(
    admin, pairing: Pairing, side: Side, new_city, reason: str | None, seen_version: int
) -> None:
    """An admin replaces the mentor or the mentee; the old one stays in the history."""
    ensure_can_replace(admin, pairing, seen_version)
    _check_city(new_city, "organisation_id")
    old_city = pairing.city(side)
    other_city = pairing.city(side.other)
    if new_city.id == old_city.id:
        raise DomainError(
            _l("%(city)s is already in this pairing.", city=new_city.name), "organisation_id"
        )
    if new_city.id == other_city.id:
        raise DomainError(_l("A city cannot be paired with itself."), "organisation_id")
    reason = _message(reason)
    if not reason:
        raise DomainError(_l("Say why the partner is replaced."), "reason")
    mentor, mentee = (new_city, other_city) if side == Side.MENTOR else (other_city, new_city)
    _check_no_open_pairing(pairing.programme, mentor, mentee, "organisation_id", exclude=pairing)

    old_association = pairing.association(side)
    if side == Side.MENTOR:
        pairing.mentor = new_city
        pairing.mentor_association = new_city.parent
    else:
        pairing.mentee = new_city
        pairing.mentee_association = new_city.parent
    now = utcnow()
    pairing.partner_changes.append(
        PartnerChange(
            side=side,
            old_organisation=old_city,
            new_organisation=new_city,
            reason=reason,
            actor_id=admin.id,
            changed_dt=now,
        )
    )
    _changed(pairing)
    changes = {side.value: (old_city.name, new_city.name)}
    new_association = pairing.association(side)
    if new_association is not old_association:
        changes[f"{side.value}_association"] = (_plain(old_association), _plain(new_association))
    audit.record(admin, "pairing.replace_partner", pairing, reason=reason, **changes)
    for coordinator in queries.coordinators_of(new_city, other_city, old_city):
        notify(
            coordinator,
            _l("%(new)s replaces %(old)s in a pairing", new=new_city.name, old=old_city.name),
            "pairing_partner_replaced",
            user=coordinator,
            pairing=pairing,
            old=old_city,
            new=new_city,
            reason=reason,
            link=_link(pairing),
        )
    db.session.flush()


# E-mail


def _link(pairing: Pairing) -> str:
    return external_url("pairings.overview", pairing_id=pairing.id)


STEP_HEADLINES = {
    "accept": lambda **names: _l(
        "%(actor)s accepted the pairing of %(mentor)s and %(mentee)s. It now waits "
        "for confirmation by an association officer or an administrator.",
        **names,
    ),
    "decline": lambda **names: _l(
        "%(actor)s declined the proposed pairing of %(mentor)s and %(mentee)s.", **names
    ),
    "confirm": lambda **names: _l(
        "The pairing of %(mentor)s and %(mentee)s is confirmed and active, in its "
        "first phase. %(actor)s confirmed it.",
        **names,
    ),
    "hold": lambda **names: _l(
        "%(actor)s put the pairing of %(mentor)s and %(mentee)s on hold.", **names
    ),
    "resume": lambda **names: _l(
        "%(actor)s resumed the pairing of %(mentor)s and %(mentee)s.", **names
    ),
    "complete": lambda **names: _l(
        "%(actor)s marked the pairing of %(mentor)s and %(mentee)s as completed.", **names
    ),
    "withdraw": lambda **names: _l(
        "%(actor)s withdrew the pairing of %(mentor)s and %(mentee)s.", **names
    ),
}


def _tell_about_step(user, pairing: Pairing, step: Step, message) -> None:
    """Tell both cities' coordinators; after an acceptance, those who confirm."""
    recipients = queries.coordinators_of(pairing.mentor, pairing.mentee)
    if step.name == "accept":
        confirmers = queries.officers_of(pairing.mentor_association, pairing.mentee_association)
        recipients += confirmers or queries.active_admins()
    seen = set()
    for recipient in recipients:
        if recipient.id == getattr(user, "id", None) or recipient.id in seen:
            continue
        seen.add(recipient.id)
        notify(
            recipient,
            _l(
                "Pairing %(mentor)s – %(mentee)s: %(status)s",
                mentor=pairing.mentor.name,
                mentee=pairing.mentee.name,
                status=STATUS_LABELS[Status(pairing.status)],
            ),
            "pairing_step",
            user=recipient,
            headline=STEP_HEADLINES[step.name](
                actor=user.name, mentor=pairing.mentor.name, mentee=pairing.mentee.name
            ),
            message=message,
            link=_link(pairing),
        )
