"""Training on a database: an annotator's work and rejections in, a new model version out.

`train_from_store` reads the annotator's documents (their annotations, links and statuses)
and the suggestions they rejected, trains (db/suggest/training.py) under the database's
quote definition, and keeps the result as the next version, with what it learnt from.
`latest_model` gives the model suggestions come from, read once per version.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from db.errors import SpanwiseError
from db.model_records import ModelRecord
from db.records import REJECTED, SUGGESTION_PREFIX, now_iso
from db.store import Store
from db.suggest.learned import PAYLOAD_FORMAT, LearnedModel

GOLD = "gold"

Progress = Callable[[str, int, int], None]


def rejected_keys(store: Store, document_ids: list[str], annotator: str) -> dict[str, list[str]]:
    """The keys of the suggestions the annotator rejected, per document."""
    found: dict[str, list[str]] = {}
    for document_id in document_ids:
        keys = [
            d.key.removeprefix(SUGGESTION_PREFIX)
            for d in store.decisions(document_id, annotator)
            if d.key.startswith(SUGGESTION_PREFIX) and d.value == REJECTED
        ]
        if keys:
            found[document_id] = keys
    return found


def train_from_store(
    store: Store, annotator: str = GOLD, uses_rules: bool = True, progress: Progress | None = None
) -> ModelRecord:
    """Train on the annotator's work and keep the model as the next version. Refuses, in one
    line, an unknown annotator or one with nothing to learn from."""
    from importlib.metadata import version as package_version

    from db.suggest.training import examples_from, train

    known = store.annotators()
    if annotator not in known:
        listed = ", ".join(known) or "none yet"
        raise SpanwiseError(f"unknown annotator '{annotator}' (annotators: {listed})")
    documents = store.export_documents(annotator)
    rejected = rejected_keys(store, [d.document.id for d in documents], annotator)
    examples = examples_from(documents, annotator, rejected)
    if not any(example.quotes for example in examples):
        raise SpanwiseError(
            f"nothing to learn from: {annotator} has annotated no quotes yet (annotate some, "
            "or train on another annotator with --annotator)"
        )
    settings = store.suggest_settings()
    trained = train(examples, settings, uses_rules=uses_rules, progress=progress)
    version = store.next_model_version()
    trained.model.version = version
    record = ModelRecord(
        uuid.uuid4().hex,
        version,
        annotator,
        now_iso(),
        settings.quote_definition,
        tuple(trained.documents),
        dict(trained.counts),
        f"python-crfsuite {package_version('python-crfsuite')}",
        PAYLOAD_FORMAT,
        trained.model.payload(),
    )
    store.save_model(record)
    _loaded.clear()
    _loaded[record.id] = trained.model
    return record


_loaded: dict[str, LearnedModel] = {}


def load_model(record: ModelRecord) -> LearnedModel:
    """The model of a stored version, read once (a window asks for it at every suggestion)."""
    model = _loaded.get(record.id)
    if model is None:
        model = LearnedModel.from_payload(record.payload, record.version)
        _loaded.clear()
        _loaded[record.id] = model
    return model


def latest_model(store: Store) -> tuple[ModelRecord, LearnedModel] | None:
    """The last model trained (or imported), ready to suggest; None when there is none."""
    record = store.latest_model()
    return None if record is None else (record, load_model(record))
