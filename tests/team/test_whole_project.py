"""A whole project on a real PostgreSQL, as its people run it from the command line: the
manager sets it up, two annotators work offline and sync, a reviewer pulls their work,
adjudicates and pushes the gold version, and `server status` shows it done. The synced work
measures and exports exactly as the same work exchanged by files does."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from db.agreement.measure import agreement
from db.edits import link
from db.formats.spanwise_json import export_json
from db.review.adjudication import Verdict, accept_agreed, decide, gold_of, side_of
from db.review.compare import compare
from db.store import Store
from desktop.cli.main import main
from tests.team.conftest import MakeProject

ARTICLES = {
    "bridge.txt": "Ana Alves said the bridge would open in May. “We are ready,” she told "
    "reporters on Tuesday.",
    "fares.txt": "The mayor, Bo Berg, promised lower fares. “Buses will be free for children,” "
    "he said.",
    "flood.txt": "Engineers warned that the barrier was too low. “It will not hold,” said Cy "
    "Dahl, who led the survey.",
}


def _run(
    *argv: str, stdin: str | None = None, monkeypatch: pytest.MonkeyPatch | None = None
) -> str:
    import contextlib

    if stdin is not None and monkeypatch is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(list(argv))
    assert code == 0, f"spanwise {' '.join(argv)} failed"
    return out.getvalue()


def _annotate(store: Store, who: str, generous: bool) -> None:
    """Quotes with speakers and cues on every document; `generous` also marks a Cue the
    other annotator leaves out, and reads one quote's kind differently."""
    for summary in store.documents(who):
        doc = store.document(summary.id)
        text = doc.text
        open_quote, close_quote = text.index("“"), text.index("”") + 1
        kind = "direct" if generous or "mayor" not in text else "mixed"
        quote = store.add_annotation(doc.id, who, "Quote", open_quote, close_quote, {"kind": kind})
        name = next(n for n in ("Ana Alves", "Bo Berg", "Cy Dahl") if n in text)
        speaker = store.add_annotation(
            doc.id, who, "Speaker", text.index(name), text.index(name) + len(name)
        )
        store.apply(link(quote, speaker, "speaker", [], 1, text))
        if generous:
            verb = next(v for v in ("said", "told", "warned") if v in text)
            store.add_annotation(doc.id, who, "Cue", text.index(verb), text.index(verb) + len(verb))
        store.set_status(doc.id, who, "done")


def test_a_team_project_from_publishing_to_gold(
    make_project: MakeProject, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cluster
) -> None:
    project = make_project(annotators=(), reviewers=())
    manager = project.manager
    # -- the manager: tables, people, documents, assignments ------------------------------
    assert "revision s0002" in _run("server", "init", manager)
    for name, role in (("ana", "annotator"), ("ben", "annotator"), ("rita", "reviewer")):
        login = f"{project.database}_{name}"
        out = _run(
            "server",
            f"add-{role}",
            name,
            "--login",
            login,
            "--password-stdin",
            "--server",
            manager,
            stdin=f"{name}-secret\n",
            monkeypatch=monkeypatch,
        )
        assert f"added {role} {name}" in out and f"{name}-secret" not in out
        cluster.remember_password(login, f"{name}-secret")
        project.logins[name] = login
    folder = tmp_path / "articles"
    folder.mkdir()
    for file_name, text in ARTICLES.items():
        (folder / file_name).write_text(text, encoding="utf-8")
    assert "published 3 documents" in _run("server", "publish", str(folder), "--server", manager)
    out = _run("server", "assign", "--per-document", "2", "--seed", "7", "--server", manager)
    assert "assigned 6 document-annotator pairs" in out

    # -- the annotators: first sync, then work offline, then sync --------------------------
    laptops = {name: tmp_path / f"{name}.db" for name in ("ana", "ben", "rita")}
    for name in ("ana", "ben"):
        out = _run("--db", str(laptops[name]), "sync", "--server", project.address(name))
        assert "3 new documents" in out
    for name, generous in (("ana", True), ("ben", False)):
        store = Store(laptops[name])
        _annotate(store, name, generous)  # no server involved: offline work
        store.close()
    exports = {}
    for name in ("ana", "ben"):
        out = _run("--db", str(laptops[name]), "sync")
        assert f"as {name} (annotator): pushed" in out
        exports[name] = tmp_path / f"{name}.json"  # the same work as a file, for comparison
        _run("--db", str(laptops[name]), "export", "--annotator", name, "-o", str(exports[name]))

    # -- the reviewer pulls everyone's work; the same as importing their files -------------
    assert "as rita (reviewer)" in _run(
        "--db", str(laptops["rita"]), "sync", "--server", project.address("rita")
    )
    by_files = tmp_path / "by-files.db"
    _run("--db", str(by_files), "import", str(exports["ana"]), str(exports["ben"]))
    synced, filed = Store(laptops["rita"]), Store(by_files)
    try:
        assert (
            agreement(synced, ["ana", "ben"]).to_json()
            == agreement(filed, ["ana", "ben"]).to_json()
        )
        assert _documents(synced) == _documents(filed)
        assert sum(len(d["annotations"]) for d in _documents(synced)) == 9 + 6
        assert sum(len(d["relations"]) for d in _documents(synced)) == 6
        # -- adjudication in the reviewer's database, then gold goes up ---------------------
        for summary in synced.documents("gold"):
            side_a, side_b = side_of(synced, summary.id, "ana"), side_of(synced, summary.id, "ben")
            items = compare(side_a, side_b)
            synced.apply(accept_agreed(items, side_a, side_b, gold_of(synced, summary.id, "gold")))
            for item in items:
                if item.is_disagreement:
                    gold = gold_of(synced, summary.id, "gold")
                    synced.apply(decide(item, Verdict.ACCEPT_A, side_a, side_b, gold, items))
            synced.set_status(summary.id, "gold", "done")
        gold_export = _documents(synced, "gold")
    finally:
        synced.close()
        filed.close()
    out = _run("--db", str(laptops["rita"]), "sync")
    assert "pushed" in out and "pushed 0 records" not in out

    # -- the manager sees it done --------------------------------------------------------
    status = json.loads(_run("server", "status", "--json", "--server", manager))
    assert status["assignments"] == 6 and status["assignments_done"] == 6
    assert {d["status"] for d in status["people"]["gold"]["documents"].values()} == {"done"}
    assert all(p["last_sync"] for n, p in status["people"].items() if n != "gold")
    table = _run("server", "status", "--server", manager)
    assert "6 of 6 assignments done, 3 documents published" in table

    # -- adjudicated: ana may now see the gold version and ben's work ---------------------
    _run("--db", str(laptops["ana"]), "sync")
    ana = Store(laptops["ana"])
    try:
        assert set(ana.annotators()) >= {"ana", "ben", "gold"}
        assert _documents(ana, "gold") == gold_export
    finally:
        ana.close()


def _documents(store: Store, annotator: str | None = None) -> list[dict]:
    """The export's documents in SHA-256 order (a reviewer's import order is theirs)."""
    return sorted(export_json(store, annotator)["documents"], key=lambda d: d["sha256"])


def test_n_annotators_per_document_at_random_with_a_seed(make_project: MakeProject, texts) -> None:
    from db.team.manage import Manager

    project = make_project(("ana", "ben", "cleo", "dan"))
    with Manager(project.manager) as manager:
        manager.publish(texts(*[f"Article number {i} says something." for i in range(6)]))
        pairs = manager.assign(per_document=2, seed=11)
        again = manager.assign(per_document=2, seed=11)
    per_document: dict[str, list[str]] = {}
    for doc, name in pairs:
        per_document.setdefault(doc, []).append(name)
    assert len(per_document) == 6 and all(len(set(v)) == 2 for v in per_document.values())
    loads = sorted(sum(1 for _d, n in pairs if n == who) for who in ("ana", "ben", "cleo", "dan"))
    assert loads == [3, 3, 3, 3]  # balanced
    assert again == []  # a document that has its two annotators gets no more

    other = make_project(("ana", "ben", "cleo", "dan"))
    with Manager(other.manager) as manager:
        manager.publish(texts(*[f"Article number {i} says something." for i in range(6)]))
        assert manager.assign(per_document=2, seed=11) == pairs  # the seed replays it
