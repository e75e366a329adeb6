"""`spanwise sync` as annotators and reviewers meet it, on a real PostgreSQL: idempotent,
resumable after a dropped connection, a server restart or a crash between the server's
commit and the laptop's, deletions travel, two laptops of one person merge and keep their
conflicts visible and takeable, documents are matched by SHA-256."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from db.errors import SpanwiseError
from db.formats.spanwise_json import export_json
from db.store import Store
from db.team import local as local_module
from db.team.conflicts import take_conflict
from db.team.connect import ServerProblem
from db.team.manage import Manager
from db.team.sync import conflicts, sync
from tests.store_edits import delete_annotation, update_annotation
from tests.team.conftest import MakeProject, Project

ARTICLES = (
    "Ana Alves said the bridge would open in May. “We are ready,” she told reporters.",
    "The mayor, Bo Berg, promised lower fares. Critics said the plan was vague.",
)


@pytest.fixture
def team(make_project: MakeProject, texts: Callable[..., list[Path]]) -> Project:
    project = make_project(("ana", "ben"), ("rita",))
    with Manager(project.manager) as manager:
        manager.publish(texts(*ARTICLES))
        manager.assign(["ana", "ben"])
    return project


def _content(store: Store, annotator: str | None = None) -> list[dict]:
    """Documents with everything on them, as an export has them (times of export aside)."""
    data = export_json(store, annotator)
    return sorted(data["documents"], key=lambda d: d["sha256"])


def _first_doc(store: Store, name: str) -> str:
    return store.documents(name)[0].id


def test_a_second_sync_with_nothing_changed_moves_and_changes_nothing(team, laptop) -> None:
    ana = laptop("ana")
    first = sync(ana, team.address("ana"))
    assert first.documents_new == 2 and first.name == "ana"
    doc = _first_doc(ana, "ana")
    quote = ana.add_annotation(doc, "ana", "Quote", 44, 61, {"kind": "direct"})
    speaker = ana.add_annotation(doc, "ana", "Speaker", 0, 9)
    from db.edits import link

    ana.apply(link(quote, speaker, "speaker", [], 1, ana.document(doc).text))
    ana.set_status(doc, "ana", "done")
    second = sync(ana)
    assert second.pushed.written == {
        "annotation": 2,
        "relation": 1,
        "entity": 0,
        "status": 1,
        "decision": 0,
    }
    before = _content(ana)
    with team.connect() as manager:
        stamps = manager.execute("SELECT id, txid::text FROM spanwise.annotation").fetchall()
    third = sync(ana)
    assert (third.pushed.total, third.pulled.total, third.waiting) == (0, 0, 0)
    assert _content(ana) == before
    with team.connect() as manager:
        assert manager.execute("SELECT id, txid::text FROM spanwise.annotation").fetchall() == (
            stamps
        )


def test_an_annotator_gets_only_their_documents_and_the_schema(team, laptop) -> None:
    with Manager(team.manager) as manager:
        manager.add_person("cleo", "annotator", f"{team.database}_cleo", "cleo-secret")
        team.cluster.remember_password(f"{team.database}_cleo", "cleo-secret")
        team.logins["cleo"] = f"{team.database}_cleo"
        docs = [row.document_id for row in manager.status().rows if row.annotator == "ana"]
        manager.assign(["cleo"], [docs[1]])
    cleo = laptop("cleo")
    sync(cleo, team.address("cleo"))
    assert [d.title for d in cleo.documents("cleo")] == [ARTICLES[1][:40].rsplit(" ", 1)[0]] or (
        len(cleo.documents("cleo")) == 1
    )
    assert [label.name for label in cleo.labels()][:3] == ["Quote", "Speaker", "Cue"]
    with Manager(team.manager) as manager:  # a new assignment arrives with the next sync
        manager.assign(["cleo"], [docs[0]])
    assert sync(cleo).documents_new == 1
    assert len(cleo.documents("cleo")) == 2


def test_documents_are_matched_by_sha256(team, laptop, texts) -> None:
    """ana imported the article herself before the project started, and annotated it: her
    copy is the server's document (same text), and her work on it goes up."""
    ana = laptop("ana")
    ana.import_texts(texts(*ARTICLES)[:1])
    [doc] = ana.documents("ana")
    ana.add_annotation(doc.id, "ana", "Speaker", 0, 9)
    report = sync(ana, team.address("ana"))
    assert report.pushed.written["annotation"] == 1
    assert len(ana.documents("ana")) == 2  # the other article came; the first is not doubled
    rita = laptop("rita")
    sync(rita, team.address("rita"))
    assert [a.start for d in rita.documents("rita") for a in rita.annotations(d.id)] == [0]


def test_deletions_travel_to_the_other_laptop_and_the_reviewer(team, laptop) -> None:
    one, two, rita = laptop("ana-1"), laptop("ana-2"), laptop("rita")
    sync(one, team.address("ana"))
    doc = _first_doc(one, "ana")
    keep = one.add_annotation(doc, "ana", "Cue", 10, 14)
    gone = one.add_annotation(doc, "ana", "Speaker", 0, 9)
    sync(one)
    sync(two, team.address("ana"))
    sync(rita, team.address("rita"))
    assert {a.id for a in two.annotations(doc)} == {keep.id, gone.id}
    delete_annotation(one, gone.id)
    assert sync(one).pushed.written["annotation"] == 1
    for other in (two, rita):
        report = sync(other)
        assert report.pulled.deleted == {"annotation": 1}
        assert [a.id for a in other.annotations(doc)] == [keep.id]


def test_two_laptops_merge_and_a_clash_is_kept_visible_and_takeable(team, laptop) -> None:
    one, two = laptop("ana-1"), laptop("ana-2")
    sync(one, team.address("ana"))
    doc = _first_doc(one, "ana")
    shared = one.add_annotation(doc, "ana", "Quote", 44, 61)
    sync(one)
    sync(two, team.address("ana"))
    from_one = one.add_annotation(doc, "ana", "Speaker", 0, 9)
    from_two = two.add_annotation(doc, "ana", "Cue", 10, 14)
    update_annotation(two, shared.id, note="checked on the train")  # earlier
    update_annotation(one, shared.id, note="checked at home")  # later: this one is kept
    sync(two)
    report = sync(one)
    assert report.conflicts_new == 1
    sync(two)
    for store in (one, two):  # edits from both arrive; the later version is kept on both
        ids = {a.id for a in store.annotations(doc)}
        assert ids == {shared.id, from_one.id, from_two.id}
        assert store.annotation(shared.id).note == "checked at home"
    [conflict] = conflicts(two)
    assert conflict.version is not None and conflict.version["note"] == "checked on the train"
    assert [c.id for c in conflicts(one)] == [conflict.id]  # both laptops see it
    take_conflict(two, conflict.id[:8])
    assert two.annotation(shared.id).note == "checked on the train"
    assert conflicts(two) == []
    sync(two)
    assert sync(one).pulled.written == {"annotation": 1}
    assert one.annotation(shared.id).note == "checked on the train"


def test_a_deletion_against_an_edit_keeps_the_later_and_offers_the_other(team, laptop) -> None:
    one, two = laptop("ana-1"), laptop("ana-2")
    sync(one, team.address("ana"))
    doc = _first_doc(one, "ana")
    shared = one.add_annotation(doc, "ana", "Quote", 44, 61)
    sync(one)
    sync(two, team.address("ana"))
    update_annotation(one, shared.id, note="earlier edit")
    delete_annotation(two, shared.id)  # later
    sync(one)
    assert sync(two).conflicts_new == 1
    sync(one)
    assert one.annotation(shared.id) is None
    [conflict] = conflicts(one)
    take_conflict(one, conflict.id)
    assert one.annotation(shared.id).note == "earlier edit"
    sync(one)
    sync(two)
    assert two.annotation(shared.id).note == "earlier edit"


def _interrupt_during_pull(monkeypatch: pytest.MonkeyPatch, what: Callable[[], None]) -> None:
    """Run `what` when the sync starts pulling (after its push, inside its transaction)."""
    from db.team import sync as sync_module

    original = sync_module._copy_rows
    calls = {"n": 0}

    def interrupted(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 1:
            what()
        return original(*args, **kwargs)

    monkeypatch.setattr(sync_module, "_copy_rows", interrupted)


def _lots_of_work(store: Store, doc: str, n: int = 30) -> None:
    text = store.document(doc).text
    for start in range(0, min(n, len(text) - 2)):
        store.add_annotation(doc, store.setting("team_name") or "ana", "Cue", start, start + 2)


@pytest.mark.parametrize("cut", ["pg_terminate_backend", "server restart"])
def test_a_sync_cut_mid_way_loses_and_duplicates_nothing(team, laptop, monkeypatch, cut) -> None:
    ana = laptop("ana")
    sync(ana, team.address("ana"))
    doc = _first_doc(ana, "ana")
    _lots_of_work(ana, doc)
    expected = _content(ana, "ana")

    def terminate() -> None:
        with team.connect(autocommit=True) as manager:
            manager.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = %s",
                (team.logins["ana"],),
            )

    _interrupt_during_pull(
        monkeypatch, terminate if cut == "pg_terminate_backend" else team.cluster.restart
    )
    with pytest.raises(ServerProblem, match="interrupted, nothing was lost"):
        sync(ana)
    monkeypatch.undo()
    assert _content(ana, "ana") == expected
    report = sync(ana)
    assert report.pushed.written["annotation"] == 30 and report.waiting == 0
    rita = laptop("rita")
    sync(rita, team.address("rita"))
    assert _content(rita, "ana") == expected
    with team.connect() as manager:
        assert manager.execute("SELECT count(*) FROM spanwise.annotation").fetchone()[0] == 30


def test_a_crash_between_the_servers_commit_and_the_laptops_redoes_nothing_twice(
    team, laptop, monkeypatch
) -> None:
    ana = laptop("ana")
    sync(ana, team.address("ana"))
    doc = _first_doc(ana, "ana")
    _lots_of_work(ana, doc, 12)
    expected = _content(ana, "ana")
    original = local_module.LocalSide.commit
    state = {"armed": True}

    def crash_once(self):  # type: ignore[no-untyped-def]
        if state["armed"] and self.waiting() == 0:  # the final commit of the sync
            state["armed"] = False
            self.rollback()
            raise KeyboardInterrupt("the laptop died")
        original(self)

    monkeypatch.setattr(local_module.LocalSide, "commit", crash_once)
    with pytest.raises(KeyboardInterrupt):
        sync(ana)
    monkeypatch.undo()
    with team.connect() as manager:  # the server has it all already
        assert manager.execute("SELECT count(*) FROM spanwise.annotation").fetchone()[0] == 12
    report = sync(ana)  # pushes again: nothing changes on the server, nothing doubles here
    assert report.pushed.total == 0 and report.waiting == 0
    assert _content(ana, "ana") == expected
    assert sync(ana).pulled.total == 0


def test_offline_everything_works_and_waits(team, laptop) -> None:
    ana = laptop("ana")
    sync(ana, team.address("ana"))
    doc = _first_doc(ana, "ana")
    ana.add_annotation(doc, "ana", "Speaker", 0, 9)
    offline = team.cluster.url(user=team.logins["ana"], database=team.database).replace(
        str(team.cluster.port), "1"
    )
    with pytest.raises(ServerProblem, match="cannot reach the team server"):
        sync(ana, offline)
    assert len(ana.annotations(doc)) == 1
    assert sync(ana).pushed.written["annotation"] == 1  # the remembered address still works


def test_an_address_with_a_password_is_refused_and_never_stored(team, laptop) -> None:
    ana = laptop("ana")
    address = team.address("ana").replace("@", ":hunter2@")
    with pytest.raises(SpanwiseError, match="never stores one"):
        sync(ana, address)
    assert ana.setting("team_server") is None


def test_the_password_comes_from_the_pgpass_file(team, laptop, tmp_path, monkeypatch) -> None:
    empty = tmp_path / "empty-pgpass"
    empty.write_text("", encoding="utf-8")
    empty.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(empty))
    with pytest.raises(ServerProblem, match="password"):
        sync(laptop("ana"), team.address("ana"))


def test_tls_with_the_servers_certificate(team, laptop, tmp_path) -> None:
    from db.team.connect import connect_raw
    from tests.team.cluster import make_certificate

    ana = laptop("ana")
    secure = team.address(
        "ana", sslmode="verify-full", sslrootcert=str(team.cluster.certificate)
    ).replace("127.0.0.1", "localhost")
    assert sync(ana, secure).documents_new == 2
    with connect_raw(secure) as connection:
        assert connection.execute(
            "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"
        ).fetchone() == (True,)
    make_certificate(tmp_path)  # another certificate: not the one the server holds
    impostor = secure.replace(str(team.cluster.certificate), str(tmp_path / "server.crt"))
    with pytest.raises(ServerProblem, match="certificate verify failed"):
        sync(ana, impostor)


def test_a_hostile_colleagues_rows_are_refused_and_the_rest_arrives(team, laptop) -> None:
    ana = laptop("ana")
    sync(ana, team.address("ana"))
    doc = _first_doc(ana, "ana")
    ana.add_annotation(doc, "ana", "Speaker", 0, 9)
    sync(ana)
    with team.connect("ben") as ben:  # raw SQL, past any Spanwise check
        ben.execute(
            'INSERT INTO spanwise.annotation (id, document_id, annotator, label, start, "end", '
            "created, modified) VALUES ('b1', %s, 'ben', 'Quote', 0, 99999, 'x', 'x'), "
            "('b2', %s, 'ben', 'NoSuchLabel', 0, 3, 'x', 'x'), "
            "('b3', %s, 'ben', 'Cue', 0, 3, 'x', 'x')",
            (doc, doc, doc),
        )
        ben.execute(  # attributes that are no object of names: a list, and nested deep
            'INSERT INTO spanwise.annotation (id, document_id, annotator, label, start, "end", '
            "attributes, created, modified) VALUES ('b4', %s, 'ben', 'Cue', 0, 3, "
            "'[[[[1]]]]', 'x', 'x'), ('b5', %s, 'ben', 'Cue', 0, 3, %s, 'x', 'x')",
            (doc, doc, '{"a":' * 2000 + "1" + "}" * 2000),
        )
        ben.commit()
    rita = laptop("rita")
    report = sync(rita, team.address("rita"))
    assert report.pulled.refused == 4
    assert any("outside the text" in m for m in report.pulled.messages)
    assert any("attributes must be an object" in m for m in report.pulled.messages)
    assert sorted(a.id for a in rita.annotations(doc)) == sorted([ana.annotations(doc)[0].id, "b3"])


def test_sync_status_line_and_json(team, laptop, capsys) -> None:
    """`spanwise sync` prints what it did; `server status --json` shows it per person."""
    from desktop.cli.main import main

    db = str(laptop("ana").path)
    assert main(["--db", db, "sync", "--server", team.address("ana")]) == 0
    assert "as ana (annotator)" in capsys.readouterr().out
    assert main(["server", "status", "--json", "--server", team.manager]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["people"]["ana"]["last_sync"] is not None
    assert data["assignments"] == 4 and data["assignments_done"] == 0
