"""The error of a refused workflow step, shared by the services and the rules they call."""

from django.core.exceptions import ValidationError

from brigade.core.errors import UserError


class WorkflowError(UserError):
    """A refused workflow step; ``field`` names the input to blame, when there is one."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field

    def as_validation_error(self) -> ValidationError:
        """For forms and serializers: the message attached to its field."""
        return ValidationError({self.field: self.message} if self.field else self.message)
