"""Opens a database as another user would (test_storage_errors.py runs it as `nobody` when the
tests run as root, since root ignores file permissions): `python -m tests.robust.storage_child
DB` reports as JSON what worked, reading, an edit, an export, with the message of a refusal."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from db.errors import SpanwiseError
from db.formats.spanwise_json import export_json
from db.store import Store


def main() -> None:
    result: dict[str, Any] = {}
    try:
        store = Store(Path(sys.argv[1]))
    except SpanwiseError as exc:
        result["open"] = str(exc)
        print(json.dumps(result))
        return
    try:
        documents = store.documents("ana")
        result["documents"] = len(documents)
        result["exported"] = len(export_json(store)["documents"])
        try:
            store.add_annotation(documents[0].id, "ana", "Quote", 0, 5)
            result["edit"] = "saved"
        except SpanwiseError as exc:
            result["edit"] = str(exc)
    finally:
        store.close()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
