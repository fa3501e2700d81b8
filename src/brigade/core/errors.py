"""The base of errors whose message is written for the user (in Chinese)."""


class UserError(Exception):
    """Bad input or an impossible request; ``str(error)`` is a complete Chinese sentence."""
