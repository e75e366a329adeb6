"""Trained suggestion models travel through the team server, on a real PostgreSQL: a model
a reviewer trained on gold reaches the annotators, an annotator's own model reaches the
reviewers, an annotator never gets a model trained on a colleague's work (the server
refuses it, tried with raw SQL under their role), nor writes one in another's name; a
second sync moves nothing; a hostile model on the server is refused cleanly, never run.

FORBIDDEN_FOR_ANNOTATORS lists the actions tried."""

from __future__ import annotations

import json
import pickle
import zlib
from collections.abc import Callable
from pathlib import Path

import psycopg
import pytest

from db.formats.spanwise_json import import_export
from db.model_records import ModelRecord
from db.store import Store
from db.suggest import suggest
from db.suggest.train_store import latest_model, train_from_store
from db.team import local as local_module
from db.team import model_sync
from db.team.manage import Manager, upgrade_server
from db.team.sync import sync
from desktop.cli.main import main
from tests.team.conftest import MakeProject, Project

GOLD = Path(__file__).resolve().parents[1] / "gold"
ARTICLES = ("alpine-evacuation", "berlin-scooters")
INSERT_MODEL = (
    "INSERT INTO spanwise.suggestion_model (id, owner, annotator, version, created, "
    "quote_definition, documents, counts, trainer, format, payload) "
    "VALUES (%s, %s, %s, 1, '2026-12-05T10:00:00.000Z', 'speech', '[]', '{}', 't', 1, %s)"
)


@pytest.fixture
def team(make_project: MakeProject) -> Project:
    """ana and ben annotate the gold set's articles; rita reviews."""
    project = make_project(("ana", "ben"), ("rita",))
    with Manager(project.manager) as manager:
        manager.publish([GOLD / f"{name}.spanwise.json" for name in ARTICLES])
        manager.assign(["ana", "ben"])
    return project


def _adjudicated(laptop: Callable[[str], Store]) -> Store:
    """rita's laptop with the gold version of the articles (done), as exchanged by files."""
    rita = laptop("rita")
    for name in ARTICLES:
        path = GOLD / f"{name}.spanwise.json"
        import_export(rita, json.loads(path.read_text(encoding="utf-8")), path.name)
    return rita


def _gold_model(team: Project, laptop: Callable[[str], Store]) -> tuple[Store, ModelRecord]:
    """rita adjudicated the articles on her laptop and trained on gold; she syncs."""
    rita = _adjudicated(laptop)
    record = train_from_store(rita, "gold")
    report = sync(rita, team.address("rita"))
    assert report.pushed.written["suggestion_model"] == 1
    return rita, record


def _own_model(store: Store, who: str) -> ModelRecord:
    """`who` marks the first quote of their first article and trains."""
    doc = store.documents(who)[0]
    text = store.document(doc.id).text
    start = text.index("«") + 1
    end = text.index("»", start)
    store.add_annotation(doc.id, who, "Quote", start, end, {"kind": "direct"})
    return train_from_store(store, who)


def test_a_gold_model_reaches_the_annotators_and_their_own_reaches_the_reviewer(
    team, laptop, capsys
) -> None:
    rita, gold_model = _gold_model(team, laptop)
    ana = laptop("ana")
    first = sync(ana, team.address("ana"))
    assert first.pulled.written["suggestion_model"] == 1
    [arrived] = ana.models()
    assert arrived.describe() == gold_model.describe()
    assert arrived.payload == gold_model.payload
    # what it learnt from, named by the documents of ana's own laptop
    assert sorted(arrived.documents) == sorted(d.id for d in ana.documents("ana"))
    doc = ana.documents("ana")[0]
    text = ana.document(doc.id).text
    here, there = latest_model(ana), latest_model(rita)
    assert here is not None and there is not None
    assert [s.key for s in suggest(text, "d", model=here[1])] == [
        s.key for s in suggest(text, "d", model=there[1])
    ]
    capsys.readouterr()
    assert main(["--db", str(ana.path), "--annotator", "ana", "suggest"]) == 0
    assert "suggesting with the trained model, version 1, learnt from gold" in (
        capsys.readouterr().err
    )

    own = _own_model(ana, "ana")
    assert sync(ana).pushed.written["suggestion_model"] == 1
    reviewed = sync(rita)
    assert reviewed.pulled.written["suggestion_model"] == 1
    assert {m.id for m in rita.models()} == {gold_model.id, own.id}
    # a second sync, on either side, moves nothing (the models included)
    for store in (ana, rita, ana):
        again = sync(store)
        assert (again.pushed.total, again.pulled.total) == (0, 0)
    with team.connect() as manager:
        rows = manager.execute(
            "SELECT owner, annotator, version FROM spanwise.suggestion_model ORDER BY owner"
        ).fetchall()
    assert rows == [("ana", "ana", 2), ("rita", "gold", 1)]


def test_an_annotator_never_gets_a_model_of_a_colleagues_work(team, laptop) -> None:
    ana, ben, rita = laptop("ana"), laptop("ben"), laptop("rita")
    sync(ana, team.address("ana"))
    sync(ben, team.address("ben"))
    bens = _own_model(ben, "ben")
    sync(ben)
    sync(rita, team.address("rita"))
    assert [m.id for m in rita.models()] == [bens.id]  # the reviewer reads everyone's
    report = sync(ana)
    assert (report.pulled.total, ana.models()) == (0, [])


def test_a_gold_model_waits_until_the_gold_it_learnt_from_is_adjudicated(team, laptop) -> None:
    """Suggestions from gold an annotator is still blind on would show them that gold: the
    model reaches them with the adjudication of the documents it learnt from."""
    rita = _adjudicated(laptop)
    first = rita.documents("gold")[0].id
    rita.set_status(first, "gold", "in progress")
    model = train_from_store(rita, "gold")
    sync(rita, team.address("rita"))
    ana = laptop("ana")
    assert (sync(ana, team.address("ana")).pulled.refused, ana.models()) == (0, [])
    with team.connect("ana") as raw:  # not even through raw SQL
        assert raw.execute("SELECT id FROM spanwise.suggestion_model").fetchall() == []
    rita.set_status(first, "gold", "done")
    sync(rita)
    assert sync(ana).pulled.written["suggestion_model"] == 1
    assert [m.id for m in ana.models()] == [model.id]


FORBIDDEN_FOR_ANNOTATORS = [
    ("read another annotator's model", "SELECT id FROM spanwise.suggestion_model", ()),
    ("write a model owned by another", INSERT_MODEL, ("x1", "ana", "ana", b"m")),
    ("write a model of another's work", INSERT_MODEL, ("x2", "ben", "ana", b"m")),
    ("write a gold model", INSERT_MODEL, ("x3", "ben", "gold", b"m")),
    ("change their own model", "UPDATE spanwise.suggestion_model SET version = 9", ()),
    ("withdraw another's model", "DELETE FROM spanwise.suggestion_model WHERE owner = 'ana'", ()),
]


@pytest.mark.parametrize(("action", "statement", "values"), FORBIDDEN_FOR_ANNOTATORS)
def test_the_server_refuses_an_annotator_what_blind_annotation_forbids(
    team, action: str, statement: str, values: tuple
) -> None:
    """ana owns a model of her work; ben (raw SQL, his own role) tries what he must not."""
    with team.connect("ana") as ana:
        ana.execute(INSERT_MODEL, ("ana-model", "ana", "ana", b"m"))
    with team.connect("ben") as ben:
        ben.execute(INSERT_MODEL, ("ben-model", "ben", "ben", b"m"))
    with team.connect("ben") as ben:
        if statement.startswith("SELECT"):
            assert ben.execute(statement).fetchall() == [("ben-model",)], action
        elif statement.startswith("INSERT"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level"):
                ben.execute(statement, values)
        elif statement.startswith("UPDATE"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match="permission"):
                ben.execute(statement)
        else:
            assert ben.execute(statement).rowcount == 0, action
    with team.connect() as manager:
        rows = manager.execute(
            "SELECT id, owner, annotator, version FROM spanwise.suggestion_model ORDER BY id"
        ).fetchall()
    assert rows == [("ana-model", "ana", "ana", 1), ("ben-model", "ben", "ben", 1)]


def test_the_reviewer_reads_every_model_and_publishes_gold(team) -> None:
    with team.connect("ana") as ana:
        ana.execute(INSERT_MODEL, ("ana-model", "ana", "ana", b"m"))
    with team.connect("rita") as rita:
        rita.execute(INSERT_MODEL, ("gold-model", "rita", "gold", b"m"))
        rita.execute(INSERT_MODEL, ("on-ana", "rita", "ana", b"m"))
        seen = rita.execute("SELECT id FROM spanwise.suggestion_model ORDER BY id").fetchall()
    assert seen == [("ana-model",), ("gold-model",), ("on-ana",)]
    with team.connect("ben") as ben:  # gold, not ana's work, even written by a reviewer
        seen = ben.execute("SELECT id FROM spanwise.suggestion_model").fetchall()
    assert seen == [("gold-model",)]


class _Explodes:
    """Unpickled, it would make the file `marker`."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (self.marker.touch, ())


def test_a_hostile_model_on_the_server_is_refused_and_never_run(
    team, laptop, tmp_path: Path
) -> None:
    """A reviewer's raw SQL puts up models that are no models; ana's sync refuses each in
    one line, keeps the good one and goes on; nothing of them is unpickled or unpacked
    without bound."""
    rita, good = _gold_model(team, laptop)
    marker = tmp_path / "ran"
    bomb = zlib.compress(b"{" + b" " * (50 << 20) + b"}", 9)
    hostile = {
        "pickled": pickle.dumps(_Explodes(marker)),
        "pickled-zlib": zlib.compress(pickle.dumps(_Explodes(marker))),
        "bomb": bomb,
        "wrong-format": zlib.compress(b'{"format": 99}'),
    }
    with team.connect("rita") as reviewer:
        for id_, payload in hostile.items():
            reviewer.execute(INSERT_MODEL, (id_, "rita", "gold", payload))
        reviewer.execute(
            INSERT_MODEL.replace("'speech'", "'everything'"),
            ("bad-definition", "rita", "gold", good.payload),
        )
    ana = laptop("ana")
    report = sync(ana, team.address("ana"))
    assert [m.id for m in ana.models()] == [good.id]
    assert report.pulled.refused == 5
    lines = "\n".join(report.pulled.messages)
    assert "bad-definition" in lines and "bomb" in lines
    assert not marker.exists()
    again = sync(ana)  # refused once, not fetched again
    assert (again.pulled.total, again.pulled.refused) == (0, 0)


def test_server_init_upgrades_a_server_that_predates_models(team) -> None:
    from alembic import command

    from db.team.connect import create_server_engine
    from db.team.manage import _alembic_config

    engine = create_server_engine(team.manager)
    with engine.begin() as connection:  # the server as issue 16 left it
        command.downgrade(_alembic_config(connection), "s0001")
    engine.dispose()
    with team.connect() as manager:
        assert manager.execute("SELECT to_regclass('spanwise.suggestion_model')").fetchone() == (
            None,
        )
    assert upgrade_server(team.manager) == ("s0001", "s0002")
    with team.connect("ana") as ana:
        ana.execute(INSERT_MODEL, ("ana-model", "ana", "ana", b"m"))
    with team.connect("ben") as ben:
        assert ben.execute("SELECT id FROM spanwise.suggestion_model").fetchall() == []


def test_a_crash_after_the_servers_commit_loses_and_doubles_no_model(
    team, laptop, monkeypatch
) -> None:
    """Both laptops die between the server's commit and their own, once each: the next
    sync writes nothing twice on the server and the model still arrives."""
    original = local_module.LocalSide.commit
    armed = {"rita", "ana"}

    def crash_once(self):  # type: ignore[no-untyped-def]
        who = self.setting("team_name")
        if who in armed and self.setting(model_sync.EXCHANGED) is not None:  # the last one
            armed.discard(who)
            self.rollback()
            raise KeyboardInterrupt("the laptop died")
        original(self)

    monkeypatch.setattr(local_module.LocalSide, "commit", crash_once)
    rita = _adjudicated(laptop)
    model = train_from_store(rita, "gold")
    with pytest.raises(KeyboardInterrupt):
        sync(rita, team.address("rita"))
    assert sync(rita).pushed.written.get("suggestion_model", 0) == 0  # it was there already
    ana = laptop("ana")
    with pytest.raises(KeyboardInterrupt):
        sync(ana, team.address("ana"))
    assert ana.models() == []
    assert sync(ana).pulled.written["suggestion_model"] == 1
    assert [m.id for m in ana.models()] == [model.id]
    with team.connect() as manager:
        assert manager.execute("SELECT count(*) FROM spanwise.suggestion_model").fetchone() == (1,)
