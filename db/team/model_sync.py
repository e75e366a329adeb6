"""Trained suggestion models through the team server: pushed by whoever trained them, pulled
by everyone allowed to read them (the server's row-level security decides who: see
server_migrations/versions/s0002_suggestion_models.py).

A model is not one of the record kinds of db/team/kinds.py: it belongs to no document, is
never edited (a new version is a new row, so there are no conflicts nor tombstones), is not
noted by the local outbox triggers, and is one large binary value rather than rows to COPY.
So it has this small path of its own inside the same sync transactions: push the local
models the server has not had from this laptop (INSERT ... ON CONFLICT DO NOTHING, so a
push repeated after an interruption writes nothing twice), then list the ids of the models
the server lets us read and fetch only those this laptop has not seen. The ids already
exchanged are kept in one setting. (The list, not the pull window of the record kinds: a
gold model becomes readable to an annotator when its documents are adjudicated, long after
it was written.)

A pulled model is checked as an import checks a model record of a file
(db/model_records.py), then its payload is read as data (bounded zlib, JSON, the format and
settings it claims), never opened or executed; a model that fails is refused in one line
and the rest of the sync goes on.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from typing import Any

from db.errors import SpanwiseError
from db.model_records import MAX_PAYLOAD_BYTES, ModelRecord, parse_model_records
from db.storage.rows import model_row
from db.team.apply import Applied
from db.team.local import LocalSide

KIND = "suggestion_model"
EXCHANGED = "team_models"  # setting: the server, the person, the model ids exchanged
_COLUMNS = (
    "id, owner, annotator, version, created, quote_definition, documents, counts, trainer, format"
)


def exchanged(local: LocalSide, server: str, me: str) -> set[str]:
    """The model ids this laptop already pushed to or pulled from this server as `me`."""
    try:
        data = json.loads(local.setting(EXCHANGED) or "{}")
    except ValueError:
        return set()
    if not isinstance(data, dict) or (data.get("server"), data.get("name")) != (server, me):
        return set()
    return {str(i) for i in data.get("ids", [])}


def remember(local: LocalSide, server: str, me: str, ids: set[str]) -> None:
    """Note which models were exchanged with this server, so the next sync sends only new ones."""
    local.set_setting(EXCHANGED, json.dumps({"server": server, "name": me, "ids": sorted(ids)}))


def push_models(
    cursor: Any, local: LocalSide, known: set[str], me: str, reviewer: bool
) -> tuple[int, set[str]]:
    """Write the models the server may take from `me` and has not had from this laptop:
    an annotator's models of their own work; a reviewer's of anyone's. Returns how many
    rows were written and the ids now on the server."""
    rows = local.raw.execute("SELECT id, annotator FROM suggestion_model").fetchall()
    waiting = [i for i, who in rows if i not in known and (reviewer or who == me)]
    written = 0
    for model_id in waiting:
        row = local.raw.execute(
            "SELECT id, annotator, version, created, quote_definition, documents, counts, "
            "trainer, format, payload FROM suggestion_model WHERE id = ?",
            (model_id,),
        ).fetchone()
        id_, annotator, version, created, definition, documents, counts, trainer, form, blob = row
        server_docs = [local.server_of.get(d, d) for d in json.loads(documents)]
        cursor.execute(
            "INSERT INTO spanwise.suggestion_model (id, owner, annotator, version, created, "
            "quote_definition, documents, counts, trainer, format, payload) VALUES "
            "(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT (id) DO NOTHING",
            (
                id_,
                me,
                annotator,
                version,
                created,
                definition,
                json.dumps(server_docs),
                counts,
                trainer,
                form,
                bytes(blob),
            ),
        )
        written += cursor.rowcount
    return written, set(waiting)


def pull_models(cursor: Any, local: LocalSide, known: set[str], applied: Applied) -> set[str]:
    """Write the models the server lets us read and this laptop has not seen, each checked
    as an imported model record is (a refused one is not fetched again); returns the ids
    seen."""
    here = {row[0] for row in local.raw.execute("SELECT id FROM suggestion_model")}
    listed = cursor.execute(
        "SELECT id, octet_length(payload) FROM spanwise.suggestion_model ORDER BY created, id"
    ).fetchall()
    seen: set[str] = set()
    for model_id, size in listed:
        seen.add(model_id)
        if model_id in here or model_id in known:
            continue
        what = f"suggestion model {_one_line(model_id)}"
        if size > MAX_PAYLOAD_BYTES:
            applied.refuse(f"{what}: larger than {MAX_PAYLOAD_BYTES >> 20} MB")
            continue
        row = cursor.execute(
            f"SELECT {_COLUMNS}, payload FROM spanwise.suggestion_model WHERE id = %s",
            (model_id,),
        ).fetchone()
        try:
            record = _checked(row, local.local_of.get)
        except SpanwiseError as exc:
            applied.refuse(f"{what} of {_one_line(row[2])} (by {_one_line(row[1])}): {exc}")
            continue
        local.session.add(model_row(record))
        here.add(model_id)
        applied.count(applied.written, KIND, 1)
    local.session.flush()
    return seen


def _checked(row: tuple[Any, ...], local_document: Callable[[str], str | None]) -> ModelRecord:
    """A server row as the model record an export would hold, checked as its import is."""
    id_, _owner, annotator, version, created, definition, documents, counts, trainer, form = row[
        :10
    ]
    payload = bytes(row[10])
    if isinstance(documents, list):
        documents = [local_document(d) or d if isinstance(d, str) else d for d in documents]
    [record] = parse_model_records(
        [
            {
                "id": id_,
                "version": version,
                "annotator": annotator,
                "created": created,
                "quote_definition": definition,
                "documents": documents,
                "counts": counts,
                "trainer": trainer,
                "format": form,
                "payload": base64.b64encode(payload).decode("ascii"),
            }
        ],
        "the team server",
    )
    return record  # parse_model_records checked the payload as an import does


def _one_line(name: str) -> str:
    """A name from the server as one short line of a message."""
    return " ".join(str(name).split())[:80]
