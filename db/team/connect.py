"""Reaching the team's PostgreSQL server with libpq's own conventions, and nothing else.

An address is anything libpq takes: `postgresql://ana@host/project?sslmode=verify-full`,
`service=team` (a service file), or keywords. The password is never Spanwise's business:
libpq reads it from `~/.pgpass` (or `PGPASSFILE`) or a service file; an address that carries
one is refused before it is used or stored. TLS is `sslmode` (and `sslrootcert`), as libpq
spells them. Connections go through SQLAlchemy's `postgresql+psycopg` dialect, with psycopg
making each connection from the address as given.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from db.errors import SpanwiseError

if TYPE_CHECKING:
    from sqlalchemy import Engine

CONNECT_TIMEOUT = 10  # seconds; a laptop offline must not wait for TCP's own time-out


class ServerProblem(SpanwiseError):
    """The team server cannot be reached or refused what was asked: one line for the user."""


def parse_address(address: str) -> dict[str, str]:
    """The address's libpq parameters; refused when malformed or when it holds a password."""
    from psycopg import conninfo

    address = address.strip()
    if not address:
        raise ServerProblem("no server address given (e.g. postgresql://you@host/project)")
    try:
        parameters = conninfo.conninfo_to_dict(address)
    except Exception as exc:  # psycopg.ProgrammingError: libpq's own words
        raise ServerProblem(f"not a PostgreSQL address: {_first_line(exc)}") from exc
    if "password" in parameters:
        raise ServerProblem(
            "the address holds a password; Spanwise never stores one: put it in ~/.pgpass "
            "(or the file PGPASSFILE names, or a service file) and give the address without it"
        )
    return {key: str(value) for key, value in parameters.items() if value is not None}


def connect_raw(address: str, timeout: int = CONNECT_TIMEOUT) -> Any:
    """A psycopg connection (autocommit off) to the address, or a ServerProblem."""
    import psycopg
    from psycopg import conninfo

    parameters = parse_address(address)
    parameters.setdefault("connect_timeout", str(timeout))
    parameters.setdefault("application_name", "spanwise")
    try:
        return psycopg.connect(conninfo.make_conninfo(**parameters))
    except psycopg.OperationalError as exc:
        raise ServerProblem(f"cannot reach the team server: {_first_line(exc)}") from exc


def create_server_engine(address: str, timeout: int = CONNECT_TIMEOUT) -> Engine:
    """An SQLAlchemy engine on the server (dialect postgresql+psycopg) whose connections
    libpq makes from the address, .pgpass and service files included."""
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    parse_address(address)
    return create_engine(
        "postgresql+psycopg://",
        creator=lambda: connect_raw(address, timeout),
        poolclass=NullPool,  # a sync is one connection; nothing to keep open between them
    )


def describe_address(address: str) -> str:
    """user@host:port/database, for messages (never a password: there is none)."""
    try:
        p = parse_address(address)
    except ServerProblem:
        return address
    user = p.get("user", "")
    host = p.get("host", "") or "local socket"
    where = f"{host}:{p['port']}" if "port" in p else host
    if "service" in p:
        return f"service {p['service']}"
    return f"{user + '@' if user else ''}{where}/{p.get('dbname', '')}"


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
