"""The base of errors whose message is written for the user (in Chinese)."""


class UserError(Exception):
    """Bad input or an impossible request; ``str(error)`` is a complete Chinese sentence."""


class Conflict(UserError):
    """Someone changed the record since the user loaded it: nothing was written (HTTP 409 for the API)."""
