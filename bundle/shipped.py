"""The data files Spanwise reads at run time, listed once for the wheel and the bundle.

pyproject.toml's package-data is the list (the wheel ships what it names); the PyInstaller spec
copies the same files into the bundle, and the install checks look for each of them in both.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def package_data_files(root: Path = ROOT) -> list[Path]:
    """Every file pyproject.toml's package-data names, relative to the checkout."""
    config = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    found: list[Path] = []
    for package, patterns in config["tool"]["setuptools"]["package-data"].items():
        folder = root.joinpath(*package.split("."))
        for pattern in patterns:
            found += [p.relative_to(root) for p in sorted(folder.glob(pattern)) if p.is_file()]
    return found


def migration_scripts(root: Path = ROOT) -> list[Path]:
    """Alembic loads env.py and the revisions from files, so a bundle needs them as files."""
    scripts: list[Path] = []
    for migrations in (
        root / "db" / "storage" / "migrations",
        root / "db" / "team" / "server_migrations",
    ):
        scripts += [*migrations.glob("*.py"), *migrations.glob("versions/*.py")]
    return [p.relative_to(root) for p in sorted(scripts)]
