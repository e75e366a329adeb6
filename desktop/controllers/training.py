"""Training the suggester from the window, in the background.

Annotate > Train suggestions… opens the Suggestion model panel: the model suggestions come
from (its version and what it learnt from), whose work to learn from, a Train button, a
progress bar, and "Retrain automatically after every N annotations". Training runs as a
separate process (`spanwise train`), so the window never waits for it, whatever the
training does with Python's global lock; the process writes the new version to the
database and the window picks it up when it ends.

Annotate > Suggest with the trained model (on by default) makes Ctrl+Shift+S suggest with
the latest model when there is one; its suggestions are marked "model" in the suggestion
list (desktop/controllers/suggestion_list.py). Both options and the choices of the panel are kept in
the settings.
"""

from __future__ import annotations

import re
import sys
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QProcess, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMenu,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
)

if TYPE_CHECKING:
    from db.model_records import ModelRecord
    from db.suggest.learned import LearnedModel
    from desktop.controllers.window_face import WindowFace

AUTOMATIC_SETTING = "suggest/retrain_automatically"
EVERY_SETTING = "suggest/retrain_every"
USE_MODEL_SETTING = "suggest/use_model"
LEARN_FROM_SETTING = "suggest/learn_from"
DEFAULT_EVERY = 20
GOLD = "gold"
_READING = re.compile(r"reading (\d+) of (\d+) document")
# Undo steps that are annotating work: a suggestion accepted or rejected, a span labelled.
_COUNTED = ("Accept", "Reject", "Add")


class TrainingController(QObject):
    """Starts training (by hand or after every N annotations) and says how it went."""

    started = Signal()
    progressed = Signal(int, int)  # documents read, of; (0, 0) while the model is fitted
    finished = Signal(str)  # the new version, described
    failed = Signal(str)  # one line

    def __init__(self, window: WindowFace) -> None:
        super().__init__(window.qt)
        self.window = window
        settings = window.settings
        self.automatic = bool(settings.value(AUTOMATIC_SETTING, False, type=bool))
        every = settings.value(EVERY_SETTING, DEFAULT_EVERY, type=int)
        self.every = every if isinstance(every, int) and every > 0 else DEFAULT_EVERY
        self.use_model = bool(settings.value(USE_MODEL_SETTING, True, type=bool))
        self.counted = 0  # annotating steps since the last training
        self.process: QProcess | None = None
        self._errors = ""
        self._last_index = window.undo_stack.index()
        window.undo_stack.indexChanged.connect(self._step_taken)
        window.suggestions.model_source = self.model_for_suggestions
        self.panel: TrainingPanel | None = None
        window.qt.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """A window closing lets a training in progress finish writing its version."""
        if watched is self.window and event.type() == QEvent.Type.Close:
            self.wait_stopped()
        return False

    # -- what suggestions come from -----------------------------------------------------------

    def model_for_suggestions(self) -> tuple[str, LearnedModel] | None:
        """The latest model (id and model) when suggesting with it is on."""
        if not self.use_model:
            return None
        from db.suggest.train_store import latest_model

        found = latest_model(self.window.store)
        return None if found is None else (found[0].id, found[1])

    def latest(self) -> ModelRecord | None:
        """The newest trained model, if any."""
        return self.window.store.latest_model()

    def set_use_model(self, on: bool) -> None:
        """Suggest with the trained model (kept in the settings)."""
        self.use_model = on
        self.window.settings.setValue(USE_MODEL_SETTING, on)

    def set_automatic(self, on: bool, every: int | None = None) -> None:
        """Retrain after every `every` annotating steps (kept in the settings)."""
        self.automatic = on
        if every is not None and every > 0:
            self.every = every
            self.window.settings.setValue(EVERY_SETTING, every)
        self.window.settings.setValue(AUTOMATIC_SETTING, on)
        self.window.actions_by_name["retrainAutomatically"].setChecked(on)
        if self.panel is not None:
            self.panel.show_options()

    def learn_from(self) -> str:
        """Whose work to learn from: the one chosen last, else gold, else the annotator."""
        chosen = str(self.window.settings.value(LEARN_FROM_SETTING, "") or "")
        known = self.window.store.annotators()
        if chosen in known:
            return chosen
        return GOLD if GOLD in known else self.window.annotator

    def set_learn_from(self, annotator: str) -> None:
        """Learn from this annotator's work from now on (kept in the settings)."""
        self.window.settings.setValue(LEARN_FROM_SETTING, annotator)

    # -- training -----------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        """Whether a training is running now."""
        return self.process is not None

    def train(self) -> bool:
        """Start training in the background; False (and a word why) if it is running."""
        if self.process is not None:
            self.window.show_message("The suggestion model is being trained already.")
            return False
        annotator = self.learn_from()
        process = QProcess(self)
        process.setObjectName("trainingProcess")
        process.setProgram(sys.executable)
        process.setArguments(
            ["-m", "desktop.cli", "--db", str(self.window.store.path), "train",
             "--annotator", annotator]
        )  # fmt: skip
        process.readyReadStandardError.connect(self._read_progress)
        process.finished.connect(self._finished)
        self.process = process
        self._errors = ""
        self.counted = 0
        process.start()
        self.window.show_message(f"Training the suggestion model on {annotator}'s work…")
        self.started.emit()
        return True

    def _read_progress(self) -> None:
        if self.process is None:
            return
        text = bytes(self.process.readAllStandardError().data()).decode("utf-8", "replace")
        self._errors += text
        for line in text.splitlines():
            found = _READING.search(line)
            if found:
                self.progressed.emit(int(found.group(1)), int(found.group(2)))
            elif line.startswith("training"):
                self.progressed.emit(0, 0)

    def _finished(self, code: int, _status: QProcess.ExitStatus) -> None:
        process = self.process
        self.process = None
        if process is None:
            return
        self._read_progress_from(process)
        out = bytes(process.readAllStandardOutput().data()).decode("utf-8", "replace").strip()
        process.deleteLater()
        if code == 0 and out.startswith("trained "):
            message = out.removeprefix("trained ")
            self.window.show_message(f"Suggestion model trained: {message}")
            self.finished.emit(message)
        else:
            lines = [line for line in self._errors.splitlines() if line.startswith("spanwise: ")]
            reason = lines[-1].removeprefix("spanwise: ") if lines else f"exit code {code}"
            self.window.show_message(f"The suggestion model was not trained: {reason}")
            self.failed.emit(reason)

    def _read_progress_from(self, process: QProcess) -> None:
        self._errors += bytes(process.readAllStandardError().data()).decode("utf-8", "replace")

    def _step_taken(self, index: int) -> None:
        """Count annotating steps (new ones, not undo or redo) and retrain after every N."""
        previous, self._last_index = self._last_index, index
        stack = self.window.undo_stack
        if index != previous + 1 or index != stack.count():
            return
        command = stack.command(index - 1)
        if command is None or getattr(command, "seen_by_training", False):
            return  # a redo: the same step again, not new work
        command.seen_by_training = True  # type: ignore[attr-defined]  # our Python commands
        if not command.text().startswith(_COUNTED):
            return
        self.counted += 1
        if self.automatic and self.counted >= self.every and self.process is None:
            self.train()

    def wait_stopped(self) -> None:
        """On closing the window: let a training in progress finish writing."""
        if self.process is not None:
            self.process.waitForFinished(60000)

    def show_panel(self) -> None:
        """Annotate > Train suggestions: show the Suggestion model panel."""
        if self.panel is None:
            self.panel = TrainingPanel(self)
        self.panel.refresh()
        if self.panel.isVisible():  # asked again: bring it forward
            self.panel.raise_()
            self.panel.activateWindow()
        self.panel.show()


class TrainingPanel(QDialog):
    """The model suggestions come from, whose work to learn from, Train, progress, and the
    automatic retraining option. Not modal: the work goes on while it trains."""

    def __init__(self, controller: TrainingController) -> None:
        # Long because builds the panel's widgets and layout in reading order.
        super().__init__(controller.window.qt)
        self.controller = controller
        self.setObjectName("trainingPanel")
        self.setAccessibleName("Suggestion model")
        self.setWindowTitle("Suggestion model — Spanwise")
        self.version = QLabel()
        self.version.setObjectName("modelVersion")
        self.version.setAccessibleName("The suggestion model in use")
        self.version.setTextFormat(Qt.TextFormat.PlainText)
        self.version.setWordWrap(True)
        self.learn_from = QComboBox()
        self.learn_from.setObjectName("learnFrom")
        self.learn_from.setAccessibleName("Whose annotations to learn from")
        self.learn_from.currentTextChanged.connect(self._chose)
        self.automatic = QCheckBox("Retrain &automatically after every")
        self.automatic.setObjectName("retrainAutomaticallyBox")
        self.automatic.setAccessibleName("Retrain automatically")
        self.every = QSpinBox()
        self.every.setObjectName("retrainEvery")
        self.every.setAccessibleName("Annotations between retrainings")
        self.every.setRange(1, 10000)
        self.every.setSuffix(" annotations")
        self.automatic.toggled.connect(self._options_changed)
        self.every.valueChanged.connect(self._options_changed)
        self.train_button = QPushButton("&Train now")
        self.train_button.setObjectName("trainNow")
        self.train_button.setAccessibleName("Train the suggestion model now")
        self.train_button.clicked.connect(controller.train)
        self.progress = QProgressBar()
        self.progress.setObjectName("trainingProgress")
        self.progress.setAccessibleName("Training progress")
        self.progress.setVisible(False)
        self.status = QLabel()
        self.status.setObjectName("trainingStatus")
        self.status.setAccessibleName("Training status")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        retrain = QHBoxLayout()
        retrain.addWidget(self.automatic)
        retrain.addWidget(self.every)
        retrain.addStretch(1)
        in_use = QLabel("Suggestions come from:")
        in_use.setBuddy(self.version)
        form = QFormLayout()
        form.addRow("&Learn from:", self.learn_from)
        layout = QVBoxLayout(self)
        layout.addWidget(in_use)
        layout.addWidget(self.version)
        layout.addLayout(form)
        layout.addLayout(retrain)
        buttons = QHBoxLayout()
        buttons.addWidget(self.progress, 1)
        buttons.addWidget(self.train_button)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        controller.started.connect(self._started)
        controller.progressed.connect(self._progressed)
        controller.finished.connect(self._trained)
        controller.failed.connect(self._failed)
        self.resize(560, 240)

    def refresh(self) -> None:
        """Show the newest model, and the annotators there are to learn from."""
        record = self.controller.latest()
        self.version.setText(
            record.describe() if record else "No model yet: suggestions come from the rules."
        )
        names = self.controller.window.store.annotators()
        self.learn_from.blockSignals(True)
        self.learn_from.clear()
        self.learn_from.addItems(names)
        self.learn_from.setCurrentText(self.controller.learn_from())
        self.learn_from.blockSignals(False)
        self.show_options()
        self.train_button.setEnabled(not self.controller.running)

    def show_options(self) -> None:
        """Show the options as they are set."""
        for widget, value in (
            (self.automatic, self.controller.automatic),
            (self.every, self.controller.every),
        ):
            widget.blockSignals(True)
            if isinstance(widget, QCheckBox):
                widget.setChecked(bool(value))
            else:
                widget.setValue(int(value))
            widget.blockSignals(False)

    def _chose(self, name: str) -> None:
        if name:
            self.controller.set_learn_from(name)

    def _options_changed(self) -> None:
        self.controller.set_automatic(self.automatic.isChecked(), self.every.value())

    def _started(self) -> None:
        self.train_button.setEnabled(False)
        self.progress.setVisible(True)
        self.progress.setRange(0, 0)  # busy until the first document is read
        self.status.setText(f"Training on {self.controller.learn_from()}'s work…")

    def _progressed(self, done: int, total: int) -> None:
        if total:
            self.progress.setRange(0, total)
            self.progress.setValue(done)
            self.status.setText(f"Reading document {done} of {total}…")
        else:
            self.progress.setRange(0, 0)
            self.status.setText("Fitting the model…")

    def _stopped(self) -> None:
        self.train_button.setEnabled(True)
        self.progress.setVisible(False)
        self.refresh()

    def _trained(self, message: str) -> None:
        self._stopped()
        self.status.setText(f"Trained {message}. Ctrl+Shift+S now suggests with it.")

    def _failed(self, reason: str) -> None:
        self._stopped()
        self.status.setText(f"Not trained: {reason}")


def install_training(window: WindowFace) -> TrainingController:
    """Add the model's actions to the Annotate menu (after the suggestion actions) and the
    suggestion list beside the article."""
    from desktop.controllers.suggestion_list import install_suggestion_list

    controller = TrainingController(window)
    actions = []

    def action(name: str, text: str, tip: str) -> QAction:
        act = QAction(text, window.qt)
        act.setObjectName(name)
        act.setToolTip(tip)
        act.setStatusTip(tip)
        window.qt.addAction(act)
        window.actions_by_name[name] = act
        actions.append(act)
        return act

    train = action(
        "trainSuggestions", "&Train suggestions…", "Train the suggestion model on the annotations"
    )
    train.setShortcut(QKeySequence("Ctrl+Shift+T"))
    train.triggered.connect(controller.show_panel)
    automatic = action(
        "retrainAutomatically",
        "&Retrain automatically",
        f"Retrain the suggestion model after every {controller.every} annotations",
    )
    automatic.setCheckable(True)
    automatic.setChecked(controller.automatic)
    automatic.toggled.connect(lambda on: controller.set_automatic(on))
    use = action(
        "useTrainedModel",
        "Suggest with the trained &model",
        "Suggest with the latest trained model when there is one (else the rules)",
    )
    use.setCheckable(True)
    use.setChecked(controller.use_model)
    use.toggled.connect(controller.set_use_model)
    menu = window.qt.menuBar().findChild(QMenu, "annotateMenu")
    if menu is not None:
        menu.addSeparator()
        for act in actions:
            menu.addAction(act)
    install_suggestion_list(window)
    return controller
