"""Errors that services raise and views turn into a message next to a form field."""


class DomainError(Exception):
    """A rule of the domain refused a change; nothing was changed."""

    def __init__(self, message, field: str | None = None):
        super().__init__(message)  # a lazy string: translated when shown, not when raised
        self.message = message
        self.field = field


def attach_to_form(form, error: DomainError) -> None:
    """Show a domain error next to its field, or at the top of the form."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)
