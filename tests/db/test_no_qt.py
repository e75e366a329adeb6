"""db/ is the core the command line and the tests share: it must never import Qt."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = textwrap.dedent(
    """
    import importlib
    import importlib.abc
    import pkgutil
    import sys

    BLOCKED = ("PySide6", "shiboken6")


    class BlockQt(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.startswith(BLOCKED):
                raise ImportError(f"db/ imported {name}")
            return None


    sys.meta_path.insert(0, BlockQt())

    try:
        import PySide6  # noqa: F401
    except ImportError:
        pass
    else:
        sys.exit("the blocker does not work")

    import db

    names = ["db"]
    for module in pkgutil.walk_packages(db.__path__, "db."):
        names.append(module.name)
    for name in names:
        if name in ("db.storage.migrations.env", "db.team.server_migrations.env"):
            continue  # runs only inside Alembic: test_full_workflow_without_qt runs it
        importlib.import_module(name)

    loaded = sorted(n for n in sys.modules if n.startswith(BLOCKED))
    if loaded:
        sys.exit(f"Qt modules loaded: {loaded}")
    print(len(names), "modules:", " ".join(names))
    """
)


def test_db_package_imports_without_qt() -> None:
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    modules = result.stdout.split()
    assert int(modules[0]) >= 10
    assert {
        "db.store",
        "db.storage.reads",
        "db.formats.spanwise_json",
        "db.files.text_files",
    } <= set(modules)
    assert "db.storage.migrations.versions.0001_initial" in modules


def test_full_workflow_without_qt(tmp_path: Path) -> None:
    """Import, annotate and export with Qt unavailable, as on a headless server."""
    script = textwrap.dedent(
        f"""
        import importlib.abc, sys

        class BlockQt(importlib.abc.MetaPathFinder):
            def find_spec(self, name, path=None, target=None):
                if name.startswith(("PySide6", "shiboken6")):
                    raise ImportError(name)

        sys.meta_path.insert(0, BlockQt())
        from db.formats.spanwise_json import export_json
        from db.store import Store
        from seeds import seed_paths

        store = Store({str(tmp_path / "headless.db")!r})
        store.import_texts(seed_paths())
        [doc] = store.documents("ci")
        store.add_annotation(doc.id, "ci", "Speaker", 0, 9)
        print(len(export_json(store)["documents"][0]["annotations"]))
        store.close()
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "1"
