"""Pushing waiting records to the server inside the sync's transaction.

Rows go up with COPY into a temporary table, then one INSERT ... ON CONFLICT per kind.
Before that, the records whose server version is not the one this laptop last saw (another
laptop of the same person changed them since) and whose content differs are conflicts: the
later `modified` is kept, the other version is recorded in spanwise.conflict for the person
to see and take instead. A record pushed again unchanged (after an interrupted sync) changes
nothing on the server: no row is rewritten whose content is already there.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from psycopg import sql

from db.records import new_id, now_iso
from db.team.kinds import Kind, sql_type
from db.team.local import Outgoing


@dataclass
class Conflict:
    """A version that lost to a later one; `version` None means it was a deletion."""

    id: str
    kind: str
    record_key: str
    document_id: str
    annotator: str
    version: dict[str, Any] | None
    modified: str
    kept_modified: str
    created: str

    def row(self) -> tuple[Any, ...]:
        """The conflict as a row of the server's conflict table."""
        version = None if self.version is None else json.dumps(self.version, ensure_ascii=False)
        return (
            self.id,
            self.kind,
            self.record_key,
            self.document_id,
            self.annotator,
            version,
            self.modified,
            self.kept_modified,
            self.created,
        )


@dataclass
class Pushed:
    """What a push wrote, found in conflict, and must refresh locally."""

    written: dict[str, int] = field(default_factory=dict)
    conflicts: list[Conflict] = field(default_factory=list)
    bases: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, key, txid)
    refresh: dict[str, list[str]] = field(default_factory=dict)  # kind -> server keys kept

    @property
    def total(self) -> int:
        """How many records the push wrote."""
        return sum(self.written.values())


def _key_match(kind: Kind, left: str, right: str) -> sql.Composable:
    return sql.SQL(" AND ").join(
        sql.SQL("{}.{} = {}.{}").format(
            sql.Identifier(left), sql.Identifier(k), sql.Identifier(right), sql.Identifier(k)
        )
        for k in kind.key
    )


def key_expression(kind: Kind, alias: str) -> sql.Composable:
    """The record's key as one string (concat_ws of its key columns)."""
    if len(kind.key) == 1:
        return sql.SQL("{}.{}").format(sql.Identifier(alias), sql.Identifier(kind.key[0]))
    parts = sql.SQL(", ").join(
        sql.SQL("{}.{}").format(sql.Identifier(alias), sql.Identifier(k)) for k in kind.key
    )
    return sql.SQL("concat_ws('|', {})").format(parts)


def _content(kind: Kind, alias: str) -> sql.Composable:
    names = [c for c in kind.content if c not in kind.key]
    return sql.SQL("({})").format(
        sql.SQL(", ").join(
            sql.SQL("{}.{}").format(sql.Identifier(alias), sql.Identifier(c)) for c in names
        )
    )


def push_kind(cursor: Any, kind: Kind, items: list[Outgoing], bases: dict[str, str]) -> Pushed:
    """Push one kind's waiting records; returns what was written, conflicts and new bases."""
    result = Pushed(written={kind.name: 0})
    if not items:
        return result
    temp = sql.Identifier(f"push_{kind.name}")
    columns = kind.columns
    definition = sql.SQL(", ").join(
        sql.SQL("{} {}").format(sql.Identifier(c), sql.SQL(sql_type(kind, c))) for c in columns
    )
    cursor.execute(
        sql.SQL("CREATE TEMP TABLE {} ({}, base text) ON COMMIT DROP").format(temp, definition)
    )
    names = sql.SQL(", ").join(sql.Identifier(c) for c in columns)
    with cursor.copy(sql.SQL("COPY {} ({}, base) FROM STDIN").format(temp, names)) as copy:
        for item in items:
            row = item.row
            copy.write_row([row[c] for c in columns] + [bases.get(kind.key_text(row))])
    table = kind.server_table()
    match = _key_match(kind, "t", "s")
    _record_conflicts(cursor, kind, temp, table, match, result)
    assignments = sql.SQL(", ").join(
        sql.SQL("{} = EXCLUDED.{}").format(sql.Identifier(c), sql.Identifier(c))
        for c in columns
        if c not in kind.key
    )
    cursor.execute(
        sql.SQL(
            "INSERT INTO {table} AS s ({names}) SELECT {names} FROM {temp} WHERE NOT deleted "
            "ON CONFLICT ({keys}) DO UPDATE SET {assignments} "
            "WHERE ({old}, s.deleted) IS DISTINCT FROM ({new}, EXCLUDED.deleted)"
        ).format(
            table=table,
            names=names,
            temp=temp,
            keys=sql.SQL(", ").join(sql.Identifier(k) for k in kind.key),
            assignments=assignments,
            old=_content(kind, "s"),
            new=_content(kind, "excluded"),
        )
    )
    written = max(cursor.rowcount, 0)
    cursor.execute(
        sql.SQL(
            "UPDATE {table} AS s SET deleted = true, modified = t.modified FROM {temp} AS t "
            "WHERE {match} AND t.deleted AND NOT s.deleted"
        ).format(table=table, temp=temp, match=match)
    )
    written += max(cursor.rowcount, 0)
    result.written[kind.name] = written
    for key, txid in cursor.execute(
        sql.SQL("SELECT {key}, s.txid::text FROM {table} AS s JOIN {temp} AS t ON {match}").format(
            key=key_expression(kind, "s"), table=table, temp=temp, match=match
        )
    ):
        result.bases.append((kind.name, key, txid))
    return result


def _record_conflicts(
    cursor: Any,
    kind: Kind,
    temp: sql.Composable,
    table: sql.Composable,
    match: sql.Composable,
    result: Pushed,
) -> None:
    """Find the pushed records whose server version this laptop has not seen and whose
    content differs; keep the later one, record the other."""
    # Long because one SQL statement (the comparison of pushed and server versions) and the
    # bookkeeping of its result.
    rows = cursor.execute(
        sql.SQL(
            "SELECT {key}, to_jsonb(t) - 'base', to_jsonb(s) - 'txid' FROM {temp} AS t "
            "JOIN {table} AS s ON {match} "
            "WHERE (t.base IS NULL OR t.base <> s.txid::text) "
            "AND (t.deleted IS DISTINCT FROM s.deleted "
            "     OR (NOT t.deleted AND {theirs} IS DISTINCT FROM {ours}))"
        ).format(
            key=key_expression(kind, "s"),
            temp=temp,
            table=table,
            match=match,
            theirs=_content(kind, "s"),
            ours=_content(kind, "t"),
        )
    ).fetchall()
    if not rows:
        return
    stamp = now_iso()
    lost_here: list[str] = []
    for key, mine, theirs in rows:
        mine_wins = mine["modified"] > theirs["modified"]
        loser, winner = (theirs, mine) if mine_wins else (mine, theirs)
        result.conflicts.append(
            Conflict(
                new_id(),
                kind.name,
                key,
                theirs["document_id"],
                theirs["annotator"],
                None if loser["deleted"] else loser,
                loser["modified"],
                winner["modified"],
                stamp,
            )
        )
        if not mine_wins:
            lost_here.append(key)
    cursor.executemany(
        "INSERT INTO spanwise.conflict (id, kind, record_key, document_id, annotator, version, "
        "modified, kept_modified, created) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
        [c.row() for c in result.conflicts],
    )
    if lost_here:
        cursor.execute(
            sql.SQL("DELETE FROM {temp} AS t WHERE {key} = ANY(%s)").format(
                temp=temp, key=key_expression(kind, "t")
            ),
            (lost_here,),
        )
        result.refresh[kind.name] = lost_here
