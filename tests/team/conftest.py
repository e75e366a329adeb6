"""Team tests on a real PostgreSQL: one throwaway cluster for the whole session, a fresh
project database (and fresh login roles) for each test that asks for one.

Without the server binaries these tests are skipped, and the run ends with one loud line
saying so (CI installs Debian's postgresql package first, so it always runs them).
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from db.store import Store
from tests.desktop.conftest import make_window  # noqa: F401  (the window tests use it)
from tests.team.cluster import Cluster, create_cluster, destroy_cluster, server_bin

_SKIPPED: list[str] = []
_NUMBERS = itertools.count(1)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if server_bin() is not None:
        return
    marker = pytest.mark.skip(reason="no PostgreSQL server binaries (initdb, pg_ctl)")
    for item in items:
        if "tests/team/" in item.nodeid.replace(os.sep, "/"):
            item.add_marker(marker)
            _SKIPPED.append(item.nodeid)


def pytest_terminal_summary(terminalreporter: object, exitstatus: int, config: object) -> None:
    if _SKIPPED:
        write = getattr(terminalreporter, "write_line")  # noqa: B009
        write(
            f"!!! SKIPPED {len(_SKIPPED)} TEAM SERVER TESTS (tests/team): no PostgreSQL server "
            "binaries on this machine; install Debian's postgresql package to run them !!!",
            red=True,
            bold=True,
        )


@pytest.fixture(scope="session")
def cluster() -> Iterator[Cluster]:
    """The session's PostgreSQL, with PGPASSFILE pointing at its .pgpass."""
    running = create_cluster()
    saved = {key: os.environ.get(key) for key in ("PGPASSFILE", "PGCONNECT_TIMEOUT")}
    os.environ.update(running.environment())
    try:
        yield running
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        destroy_cluster(running)


@dataclass
class Project:
    """A project database with its manager's address and people's logins."""

    cluster: Cluster
    database: str
    logins: dict[str, str] = field(default_factory=dict)

    @property
    def manager(self) -> str:
        return self.cluster.url(database=self.database)

    def address(self, name: str, **extra: str) -> str:
        """The address `name` syncs with (their password is in the .pgpass)."""
        return self.cluster.url(user=self.logins[name], database=self.database, **extra)

    def add(self, name: str, role: str = "annotator") -> str:
        from db.team.manage import Manager

        login = f"{self.database}_{name}"
        with Manager(self.manager) as manager:
            added = manager.add_person(name, role, login)
        assert added.password is not None
        self.cluster.remember_password(login, added.password)
        self.logins[name] = login
        return login

    def connect(self, name: str | None = None, autocommit: bool = False):  # type: ignore[no-untyped-def]
        """A raw psycopg connection as `name` (the manager when None)."""
        import psycopg

        address = self.manager if name is None else self.address(name)
        return psycopg.connect(address, autocommit=autocommit)


MakeProject = Callable[..., Project]


@pytest.fixture
def make_project(cluster: Cluster) -> Iterator[MakeProject]:
    """A fresh project database with its tables (`server init`), and named people."""
    import psycopg

    made: list[str] = []

    def make(annotators: tuple[str, ...] = ("ana", "ben"), reviewers: tuple[str, ...] = ()):  # type: ignore[no-untyped-def]
        from db.team.manage import upgrade_server

        database = f"p{os.getpid()}_{next(_NUMBERS)}"
        with psycopg.connect(cluster.url(), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{database}"')
        made.append(database)
        project = Project(cluster, database)
        upgrade_server(project.manager)
        for name in annotators:
            project.add(name, "annotator")
        for name in reviewers:
            project.add(name, "reviewer")
        return project

    yield make


@pytest.fixture
def laptop(tmp_path: Path) -> Iterator[Callable[[str], Store]]:
    """Open a person's laptop database by name (closed after the test)."""
    stores: list[Store] = []

    def open_laptop(name: str) -> Store:
        store = Store(tmp_path / f"{name}.db")
        stores.append(store)
        return store

    yield open_laptop
    for store in stores:
        store.close()


@pytest.fixture
def texts(tmp_path: Path) -> Callable[..., list[Path]]:
    """Write small articles to files; returns their paths."""

    def write(*bodies: str) -> list[Path]:
        folder = tmp_path / "articles"
        folder.mkdir(exist_ok=True)
        paths = []
        for index, body in enumerate(bodies, 1):
            path = folder / f"article-{index}.txt"
            path.write_text(body, encoding="utf-8")
            paths.append(path)
        return paths

    return write
