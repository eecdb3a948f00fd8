"""Everything that changes practices and transfers. Services flush and audit; views commit."""

import datetime as dt

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from exchange import audit, storage
from exchange.db import db, utcnow
from exchange.domain import DomainError
from exchange.organisations.models import OrgKind
from exchange.pairings.models import Pairing, Status
from exchange.practices import queries, search
from exchange.practices.models import (
    Practice,
    PracticeAttachment,
    PracticeStatus,
    Transfer,
    TransferStage,
    practice_target_groups,
    practice_themes,
)

TEXT_FIELDS = (
    "title", "kind", "language", "summary", "challenge", "how_it_works", "results",
    "evaluation", "resources", "transferability", "success_factors", "contact",
    "start_year", "end_year",
)  # fmt: skip
MAX_ATTACHMENTS = 10


def can_write_for(user, organisation) -> bool:
    """A city's coordinators write its practices; an association's officers write theirs."""
    if getattr(user, "is_admin", False):
        return organisation is not None and organisation.is_verified
    if organisation is None or not organisation.is_verified:
        return False  # an unverified organisation publishes nothing to the public
    if not getattr(user, "is_approved_member", False):
        return False
    if user.organisation_id != organisation.id:
        return False
    return user.is_officer or (user.is_coordinator and organisation.kind == OrgKind.MUNICIPALITY)


def _check_years(values: dict) -> None:
    start, end = values.get("start_year"), values.get("end_year")
    if start is not None and end is not None and end < start:
        raise DomainError(_l("The practice cannot end before it started."), "end_year")


def _set_codes(table, column: str, practice: Practice, codes: list[str]) -> list[str]:
    codes = sorted(set(codes))
    db.session.execute(sa.delete(table).where(table.c.practice_id == practice.id))
    if codes:
        db.session.execute(
            sa.insert(table), [{"practice_id": practice.id, column: code} for code in codes]
        )
    return codes


def create_practice(user, origin, *, themes, target_groups, **values) -> Practice:
    """Write a draft practice for an organisation the user may write for."""
    if not can_write_for(user, origin):
        raise DomainError(_l("You cannot write practices for this organisation."), "origin_id")
    _check_years(values)
    practice = Practice(
        origin=origin,
        status=PracticeStatus.DRAFT,
        created_by_id=user.id,
        **{f: values[f] for f in TEXT_FIELDS},
    )
    db.session.add(practice)
    db.session.flush()
    themes = _set_codes(practice_themes, "theme", practice, themes)
    groups = _set_codes(practice_target_groups, "target_group", practice, target_groups)
    audit.record(
        user,
        "practice.create",
        practice,
        title=(None, practice.title),
        origin=(None, origin.name),
        themes=(None, themes),
        target_groups=(None, groups),
    )
    search.index(practice)
    return practice


def update_practice(user, practice: Practice, *, themes, target_groups, **values) -> None:
    """Change a practice; the audit trail keeps each change (its edit history)."""
    _ensure_can_edit(user, practice)
    _check_years(values)
    changes = {}
    for field in TEXT_FIELDS:
        if getattr(practice, field) != values[field]:
            changes[field] = (getattr(practice, field), values[field])
            setattr(practice, field, values[field])
    current = {
        "theme": queries.themes_by_practice([practice.id])[practice.id],
        "target_group": queries.target_groups_by_practice([practice.id])[practice.id],
    }
    for table, column, codes in (
        (practice_themes, "theme", themes),
        (practice_target_groups, "target_group", target_groups),
    ):
        before = current[column]
        if before != sorted(set(codes)):
            changes[f"{column}s"] = (before, _set_codes(table, column, practice, codes))
    if changes:
        practice.updated_dt = utcnow()
        audit.record(user, "practice.edit", practice, **changes)
        search.index(practice)
    db.session.flush()


def _ensure_can_edit(user, practice: Practice) -> None:
    if not practice.can_edit(user):
        raise DomainError(
            _l(
                "Only the coordinators of %(org)s, the officers of its association "
                "and administrators can change this practice.",
                org=practice.origin.name,
            )
        )


def publish(user, practice: Practice) -> None:
    _ensure_can_edit(user, practice)
    if practice.is_published:
        raise DomainError(_l("This practice is already published."))
    practice.status = PracticeStatus.PUBLISHED
    practice.published_dt = practice.published_dt or utcnow()
    audit.record(user, "practice.publish", practice, status=("draft", "published"))
    db.session.flush()


def unpublish(user, practice: Practice) -> None:
    _ensure_can_edit(user, practice)
    if not practice.is_published:
        raise DomainError(_l("This practice is not published."))
    practice.status = PracticeStatus.DRAFT
    audit.record(user, "practice.unpublish", practice, status=("published", "draft"))
    db.session.flush()


def add_attachment(user, practice: Practice, upload) -> PracticeAttachment:
    _ensure_can_edit(user, practice)
    if len(practice.attachments) >= MAX_ATTACHMENTS:
        raise DomainError(
            _l("A practice holds at most %(num)d files. Remove one first.", num=MAX_ATTACHMENTS),
            "file",
        )
    stored = storage.store(upload, user, "file")
    db.session.flush()
    attachment = PracticeAttachment(practice_id=practice.id, stored_file_id=stored.id, file=stored)
    practice.attachments.append(attachment)
    audit.record(user, "practice.attach", practice, file=(None, stored.name))
    db.session.flush()
    return attachment


def remove_attachment(user, practice: Practice, attachment: PracticeAttachment) -> None:
    _ensure_can_edit(user, practice)
    name = attachment.file.name
    practice.attachments.remove(attachment)
    db.session.delete(attachment.file)
    audit.record(user, "practice.detach", practice, file=(name, None))
    db.session.flush()


# Transfers


def can_record_transfers(user, pairing: Pairing) -> bool:
    return getattr(user, "is_admin", False) or pairing.is_party_coordinator(user)


WORKING_STATUSES = (Status.ACTIVE, Status.ON_HOLD, Status.COMPLETED)
STAGE_ORDER = [TransferStage.UNDERSTAND, TransferStage.ADAPT, TransferStage.REUSE]


def _stage_dates(stage: str, dates: dict, today: dt.date, date_the_stage: bool) -> dict:
    """Check that the stages are dated in their order; date the stage reached today when the
    user gave it no date."""
    dates = dict(dates)
    key = f"{stage}_date"
    if date_the_stage and dates.get(key) is None:
        dates[key] = today
    dated = [(s, dates.get(f"{s}_date")) for s in STAGE_ORDER if dates.get(f"{s}_date")]
    for (_, earlier), (later, when) in zip(dated, dated[1:], strict=False):
        if when < earlier:
            raise DomainError(
                _l("A stage cannot be reached before the stage that comes before it."),
                f"{later}_date",
            )
    return dates


def record_transfer(
    user,
    pairing: Pairing,
    practice: Practice | None,
    *,
    local_name,
    stage,
    adaptation_notes,
    dates: dict,
) -> Transfer:
    """Record that the pairing's mentee is adopting a practice."""
    if not can_record_transfers(user, pairing):
        raise DomainError(_l("Only the coordinators of the two cities record transfers."))
    if pairing.status not in WORKING_STATUSES:
        raise DomainError(
            _l(
                "Transfers are recorded once the pairing is active: this one is “%(status)s”.",
                status=pairing.status_label,
            )
        )
    if practice is None or not practice.is_published:
        raise DomainError(_l("Choose a published practice from the list."), "practice_id")
    if practice.origin_id == pairing.mentee_id:
        raise DomainError(
            _l("%(city)s cannot adopt its own practice.", city=pairing.mentee.name), "practice_id"
        )
    exists = db.session.scalar(
        sa.select(Transfer.id).where(
            Transfer.pairing_id == pairing.id, Transfer.practice_id == practice.id
        )
    )
    if exists:
        raise DomainError(
            _l("This pairing already records the transfer of this practice."), "practice_id"
        )
    dates = _stage_dates(stage, dates, utcnow().date(), date_the_stage=True)
    transfer = Transfer(
        pairing=pairing,
        practice=practice,
        local_name=local_name,
        stage=stage,
        adaptation_notes=adaptation_notes,
        created_by_id=user.id,
        **dates,
    )
    db.session.add(transfer)
    db.session.flush()
    audit.record(
        user,
        "transfer.create",
        transfer,
        practice=(None, practice.title),
        stage=(None, stage),
        local_name=(None, local_name),
    )
    audit.record(
        user, "pairing.transfer", pairing, practice=(None, practice.title), stage=(None, stage)
    )
    return transfer


def update_transfer(
    user, transfer: Transfer, *, local_name, stage, adaptation_notes, dates: dict
) -> None:
    if not can_record_transfers(user, transfer.pairing):
        raise DomainError(_l("Only the coordinators of the two cities record transfers."))
    dates = _stage_dates(stage, dates, utcnow().date(), date_the_stage=stage != transfer.stage)
    values = {
        "local_name": local_name,
        "stage": stage,
        "adaptation_notes": adaptation_notes,
        **dates,
    }
    changes = {}
    for field, value in values.items():
        if getattr(transfer, field) != value:
            changes[field] = (getattr(transfer, field), value)
            setattr(transfer, field, value)
    if changes:
        audit.record(user, "transfer.edit", transfer, **changes)
        if "stage" in changes:
            audit.record(
                user,
                "pairing.transfer",
                transfer.pairing,
                practice=(transfer.practice.title, transfer.practice.title),
                stage=changes["stage"],
            )
    db.session.flush()
