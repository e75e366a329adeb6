"""What an import may do beyond adding a colleague's own work, and the refusal that asks.

A file is a hostile colleague's until the user says otherwise: it may add and replace work
under the annotator names it carries, but writing under `gold` (the adjudicated version) or
under the name of the person importing, and adding labels or link types to the database's
schema, each need the user's explicit yes (a command-line option, or a question in the
window). The import finds out what it would do inside its transaction; if it needs a yes it
has not got, it raises ConsentNeeded, which rolls everything back and lists what it needs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from db.errors import ImportRefused

GOLD = "gold"  # the adjudicated version's annotator (Review > Compare and adjudicate)


@dataclass(frozen=True)
class Consent:
    """The user's answers for one import. `importer` is who is importing (their own name is
    protected like gold's); the flags say what the user has allowed."""

    importer: str | None = None
    protected_names: bool = False
    new_schema: bool = False

    @property
    def protected(self) -> set[str]:
        """The names an import may not write under without a yes: gold and the importer."""
        return {GOLD} | ({self.importer} if self.importer else set())


TRUSTED = Consent(protected_names=True, new_schema=True)  # scripts and tests that know


@dataclass
class Needs:
    """What an import would do that needs a yes: names written, labels and link types added."""

    names: dict[str, int] = field(default_factory=dict)  # protected name -> records written
    labels: list[str] = field(default_factory=list)
    link_types: list[str] = field(default_factory=list)

    def wrote(self, name: str, protected: set[str], count: int = 1) -> None:
        """Count `count` records written under `name`, when it is protected."""
        if name in protected:
            self.names[name] = self.names.get(name, 0) + count

    def describe_names(self) -> str:
        """The protected names written, with their counts, for the question."""
        return ", ".join(
            f"{name} ({n} record{'s' if n != 1 else ''})" for name, n in self.names.items()
        )

    def describe_schema(self, limit: int = 12) -> str:
        """The labels and link types the import would add, the first `limit` named."""
        parts = []
        if self.labels:
            parts.append(f"{len(self.labels)} label(s): {_listed(self.labels, limit)}")
        if self.link_types:
            parts.append(f"{len(self.link_types)} link type(s): {_listed(self.link_types, limit)}")
        return "; ".join(parts)


def _listed(names: list[str], limit: int) -> str:
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


class ConsentNeeded(ImportRefused):
    """The import would write under protected names or grow the schema without a yes; the
    database is unchanged. The window asks and imports again; the command line names the
    option to give."""

    def __init__(self, needs: Needs, consent: Consent) -> None:
        self.needs = needs
        self.names_refused = bool(needs.names) and not consent.protected_names
        self.schema_refused = bool(needs.labels or needs.link_types) and not consent.new_schema
        super().__init__(self.describe())

    def describe(self, name_option: str = "", schema_option: str = "") -> str:
        """One line; the options, when given, are named as the way to say yes."""
        parts = []
        if self.names_refused:
            parts.append(
                f"it would write under protected names: {self.needs.describe_names()}"
                + (f" (allow it with {name_option})" if name_option else "")
            )
        if self.schema_refused:
            parts.append(
                f"it would add to the database's schema {self.needs.describe_schema()}"
                + (f" (allow it with {schema_option})" if schema_option else "")
            )
        return "import not done: " + "; and ".join(parts) + "; nothing was changed"
