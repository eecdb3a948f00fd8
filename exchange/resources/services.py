"""Posting, editing and deleting resources. Services flush and audit; views commit.

A resource has either a file or a link, never both and never neither. Every rule is
checked before anything changes, so a refused change leaves nothing behind (not even
the uploaded file).
"""

from flask_babel import lazy_gettext as _l

from exchange import audit, storage
from exchange.db import db
from exchange.domain import DomainError
from exchange.organisations.models import Organisation
from exchange.resources.models import Resource

FIELDS = ("kind", "title", "summary", "language", "published_date", "url")

GIVE_FILE_OR_LINK = _l("Give a file or a link.")
NOT_BOTH = _l("Give a file or a link, not both.")
KEPT_FILE_AND_LINK = _l(
    "The resource keeps its current file. To give a link instead, tick “Remove the current file”."
)


def _is_signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def can_post(user) -> bool:
    """Officers of a verified association (or network lead), and admins."""
    if not _is_signed_in(user):
        return False
    return user.is_admin or (user.is_officer and user.organisation.is_verified)


def can_post_for(user, organisation: Organisation | None) -> bool:
    """Officers post for their own organisation, admins for any verified one."""
    if organisation is None or not organisation.is_verified or not can_post(user):
        return False
    return user.is_admin or user.organisation_id == organisation.id


def can_edit(user, resource: Resource) -> bool:
    """The officers of the author organisation, and admins."""
    if not _is_signed_in(user):
        return False
    if user.is_admin:
        return True
    return (
        user.is_officer
        and resource.author_organisation_id is not None
        and user.organisation_id == resource.author_organisation_id
    )


def _check_author(user, author: Organisation | None) -> None:
    if not can_post_for(user, author):
        raise DomainError(
            _l("Choose a verified organisation you may post for."), "author_organisation_id"
        )


def _check_source(url: str | None, has_upload: bool, keeps_file: bool) -> None:
    """Exactly one of a file (new or kept) and a link."""
    if url and keeps_file:
        raise DomainError(KEPT_FILE_AND_LINK, "url")
    if url and has_upload:
        raise DomainError(NOT_BOTH, "url")
    if not (url or has_upload or keeps_file):
        raise DomainError(GIVE_FILE_OR_LINK, "upload")


def _file_name(stored) -> str | None:
    return stored.name if stored is not None else None


def _sorted(themes) -> list[str]:
    return sorted(dict.fromkeys(themes))


def create_resource(user, author: Organisation | None, *, upload=None, **values) -> Resource:
    """Post a resource for `author`, with the uploaded file or the link of `values`."""
    _check_author(user, author)
    _check_source(values["url"], upload is not None, keeps_file=False)
    stored = storage.store(upload, user, "upload") if upload is not None else None
    resource = Resource(
        author_organisation=author,
        created_by_id=user.id,
        file=stored,
        **{name: values[name] for name in FIELDS},
    )
    resource.themes = values["themes"]
    db.session.add(resource)
    db.session.flush()
    audit.record(
        user,
        "resource.create",
        resource,
        author=(None, author.name),
        file=(None, _file_name(stored)),
        themes=(None, _sorted(values["themes"])),
        **{name: (None, values[name]) for name in FIELDS},
    )
    return resource


def update_resource(
    user,
    resource: Resource,
    author: Organisation | None,
    *,
    upload=None,
    remove_file: bool = False,
    **values,
) -> None:
    """Change a resource; a new upload replaces its file, `remove_file` drops it."""
    if not can_edit(user, resource):
        raise DomainError(_l("Only the officers of its organisation can change this resource."))
    if author is not resource.author_organisation:
        _check_author(user, author)
    old_file = resource.file
    keeps_file = old_file is not None and upload is None and not remove_file
    _check_source(values["url"], upload is not None, keeps_file)
    stored = storage.store(upload, user, "upload") if upload is not None else None

    changes = _apply_fields(resource, values)
    if author is not resource.author_organisation:
        changes["author"] = (getattr(resource.author_organisation, "name", None), author.name)
        resource.author_organisation = author
    if stored is not None or (old_file is not None and not keeps_file):
        changes["file"] = (_file_name(old_file), _file_name(stored))
        resource.file = stored
        if old_file is not None:
            db.session.delete(old_file)  # the file belongs to this resource alone
    db.session.flush()
    if changes:
        audit.record(user, "resource.edit", resource, **changes)


def _apply_fields(resource: Resource, values: dict) -> dict:
    changes = {}
    for name in FIELDS:
        before = getattr(resource, name)
        if before != values[name]:
            changes[name] = (before, values[name])
            setattr(resource, name, values[name])
    if _sorted(resource.themes) != _sorted(values["themes"]):
        changes["themes"] = (_sorted(resource.themes), _sorted(values["themes"]))
        resource.themes = values["themes"]
    return changes


def delete_resource(user, resource: Resource) -> None:
    """Delete a resource and its file; the audit trail keeps what it was."""
    if not can_edit(user, resource):
        raise DomainError(_l("Only the officers of its organisation can delete this resource."))
    audit.record(
        user,
        "resource.delete",
        resource,
        title=(resource.title, None),
        author=(getattr(resource.author_organisation, "name", None), None),
        file=(_file_name(resource.file), None),
        url=(resource.url, None),
    )
    if resource.file is not None:
        db.session.delete(resource.file)
    db.session.delete(resource)
    db.session.flush()
