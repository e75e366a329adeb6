"""Errors a user can cause and understand; anything else is a bug."""


class SpanwiseError(Exception):
    """A problem with the user's input or files, reported as one clear line."""


class ImportRefused(SpanwiseError):
    """An import was refused as a whole; the database is unchanged."""


class InvalidAnnotation(SpanwiseError):
    """An edit that would store an annotation the text cannot hold."""


class DatabaseProblem(SpanwiseError):
    """The database file cannot be opened or written (not SQLite, newer, read-only...)."""
