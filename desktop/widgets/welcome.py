"""The pane an empty database opens on: the ways in (import, or the example article one
click away) and the three keys that matter, instead of blank panes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from db.schema.label_schema import LabelDef


def key_lines(labels: Sequence[LabelDef]) -> list[str]:
    """The three keys a first-time user needs, with the labels of this database's schema."""
    keyed = [f"{label.shortcut} {label.name}" for label in labels if label.shortcut]
    return [
        "Select text with the mouse or Shift+arrows.",
        "Press a label key to label it: " + ", ".join(keyed) + ".",
        "With a Quote selected, S links its speaker and C its cue: select the speaker's "
        "words and press S.",
    ]


class WelcomePane(QWidget):
    """Shown in the article's place while the database holds no document."""

    def __init__(self, labels: Sequence[LabelDef], actions: Mapping[str, QAction]) -> None:
        super().__init__()
        self.setObjectName("welcomePane")
        self.setAccessibleName("Welcome")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 40, 48, 40)
        layout.setSpacing(10)
        title = QLabel("This database holds no article yet.")
        title.setObjectName("welcomeTitle")
        title.setTextFormat(Qt.TextFormat.PlainText)
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        title.setFont(font)
        layout.addWidget(title)
        acts = actions
        self.buttons: dict[str, QPushButton] = {}
        for name, text in (
            ("importText", "Import text files…"),
            ("importFolder", "Import a folder…"),
            ("importAnnotations", "Import annotations…"),
            ("exampleArticle", "Open the example article"),
        ):
            action = acts[name]
            keys = action.shortcut().toString()
            button = QPushButton(f"{text}  ({keys})" if keys else text)
            button.setObjectName(f"welcome:{name}")
            button.setAccessibleName(text.rstrip("…"))
            button.setToolTip(action.statusTip())
            button.clicked.connect(action.trigger)
            button.setAutoDefault(True)  # Enter on the focused button presses it
            layout.addWidget(button)
            self.buttons[name] = button
        heading = QLabel("Then, in the article:")
        heading.setTextFormat(Qt.TextFormat.PlainText)
        layout.addSpacing(12)
        layout.addWidget(heading)
        keys_text = QLabel("\n".join(f"•  {line}" for line in key_lines(labels)))
        keys_text.setObjectName("welcomeKeys")
        keys_text.setTextFormat(Qt.TextFormat.PlainText)
        keys_text.setWordWrap(True)
        layout.addWidget(keys_text)
        more = QLabel("F1 lists every key.")
        more.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(more)
        layout.addStretch(1)
        self.setFocusProxy(self.buttons["importText"])
