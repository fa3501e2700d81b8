"""Errors of the document side of reports; ``str(error)`` is a Chinese sentence for the user."""

from brigade.core.errors import UserError


class ReportError(UserError):
    """A report cannot be produced: bad template, unwritable output, bad document structure."""


class TemplateError(ReportError):
    """A report template cannot be found, parsed or rendered; the message names the file and line."""
