"""Help > About: the version to quote in a bug report, and where the work lives on disk.

Each value is plain text in a read-only field (select it, or press its Copy button), because
the usual reason to open this dialog is to paste one of them somewhere else.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from db import __version__
from desktop.identity import APP_NAME, data_folder


def version_text() -> str:
    """Spanwise's version with the versions of what it runs on."""
    import platform  # when About is opened, not at every start

    return (
        f"{__version__} (Python {platform.python_version()}, Qt {qVersion()}, "
        f"SQLite {sqlite3.sqlite_version})"
    )


class AboutDialog(QDialog):
    """The version, the database file and the data folder, each selectable and copyable."""

    def __init__(self, database: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setAccessibleName(f"About {APP_NAME}")
        self.setWindowTitle(f"About {APP_NAME}")
        heading = QLabel(f"{APP_NAME} {__version__}")
        heading.setTextFormat(Qt.TextFormat.PlainText)
        heading.setObjectName("aboutHeading")
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        heading.setFont(font)
        blurb = QLabel("Annotate quotes, speakers and events in news articles, offline.")
        blurb.setTextFormat(Qt.TextFormat.PlainText)

        self.values = {
            "Version": version_text(),
            "Database": str(database),
            "Data folder": str(data_folder()),
        }
        grid = QGridLayout()
        for row, (name, value) in enumerate(self.values.items()):
            key = name.title().replace(" ", "")
            label = QLabel(f"{name}:")
            field = QLineEdit(value)
            field.setReadOnly(True)
            field.setCursorPosition(0)
            field.setObjectName(f"about{key}")
            field.setAccessibleName(name)
            field.setMinimumWidth(420)
            label.setBuddy(field)
            copy = QPushButton("Copy")
            copy.setObjectName(f"copy{key}")
            copy.setAccessibleName(f"Copy {name.lower()}")
            copy.clicked.connect(lambda _checked=False, n=name: self.copy(n))
            grid.addWidget(label, row, 0)
            grid.addWidget(field, row, 1)
            grid.addWidget(copy, row, 2)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        copy_all = buttons.addButton("Copy all", QDialogButtonBox.ButtonRole.ActionRole)
        copy_all.setObjectName("copyAll")
        copy_all.setAccessibleName("Copy all three")
        copy_all.clicked.connect(self.copy_all)
        buttons.rejected.connect(self.close)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(blurb)
        layout.addLayout(grid)
        layout.addWidget(buttons)

    def copy(self, name: str) -> None:
        """Copy one value to the clipboard."""
        QGuiApplication.clipboard().setText(self.values[name])

    def copy_all(self) -> None:
        """All three, one per line, as a bug report wants them."""
        text = "\n".join(f"{name}: {value}" for name, value in self.values.items())
        QGuiApplication.clipboard().setText(text)


def show_about(parent: QWidget, database: Path) -> AboutDialog:
    """Open the dialog, or bring the open one forward (one per window)."""
    dialog = parent.findChild(AboutDialog)
    if dialog is None:
        dialog = AboutDialog(database, parent)
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    return dialog
