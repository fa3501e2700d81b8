"""The analysis library's errors; messages are Chinese because users read them."""


class AnalysisError(ValueError):
    """Base of every error the analysis library raises on bad input."""
