"""Errors a user can cause and understand; anything else is a bug."""


class SpanwiseError(Exception):
    """A problem with the user's input or files, reported as one clear line."""


class ImportRefused(SpanwiseError):
    """An import was refused as a whole; the database is unchanged."""


class EncodingRefused(ImportRefused):
    """A text file is not in the encoding it was read in. `problem` says so without the
    command line's advice (a window asks for the encoding instead); `suggested` is the
    encoding the bytes look like, when they tell."""

    def __init__(self, message: str, problem: str, suggested: str | None = None) -> None:
        super().__init__(message)
        self.problem = problem
        self.suggested = suggested


class FormatUnknown(ImportRefused):
    """No format claims a file; the caller may name one and try again."""


class InvalidAnnotation(SpanwiseError):
    """An edit that would store an annotation the text cannot hold."""


class DatabaseProblem(SpanwiseError):
    """The database file cannot be opened or written (not SQLite, newer, read-only...)."""
