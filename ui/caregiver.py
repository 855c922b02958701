"""Caregiver mode: an "Entering as" control in the status bar and the Journal menu.

They choose who enters records: the owner or a named caregiver."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ui.fit import FitsScreen

if TYPE_CHECKING:
    from ui.main_window import MainWindow

__all__ = [
    "NAME_MAX",
    "SHORTCUT",
    "CaregiverControl",
    "EnteringAs",
    "EnteringAsDialog",
    "caregiver_name_problems",
    "caregiver_words",
    "install_caregiver_control",
]

SHORTCUT = "Ctrl+Shift+W"  # "who": Ctrl+E edits and Ctrl+Shift+E adds an episode
NAME_MAX = 60
OWNER_TEXT = "the journal's owner"

INTRO = (
    "Records added from now on are marked with who entered them. The lists show the name under "
    "“Entered by” and the appointment report lists what each caregiver entered; the owner's own "
    "records stay unmarked. Editing a record never changes who entered it."
)
PRIVACY_NOTE = (
    "A name is kept only inside this journal, with the records it entered; it is never written to "
    "the program's settings. Names typed here are offered again while the window is open, and from "
    "then on for as long as the journal holds a record they entered."
)


def caregiver_name_problems(name: str) -> list[str]:
    """What is wrong with a caregiver's name, in plain words; empty when it is fine."""
    text = name.strip()
    if not text:
        return ["Type the caregiver's name, or choose the journal's owner."]
    if len(text) > NAME_MAX:
        return [f"The name is {len(text)} characters long; keep it to {NAME_MAX}."]
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn") for ch in text):
        return ["The name holds a control character (such as a line break); use letters, digits and spaces."]
    return []


@dataclass(frozen=True)
class EnteringAs:
    """The person's choice: `author` None for the journal's owner, else the caregiver's name."""

    author: str | None


def _names_a_caregiver(name: str) -> bool:
    # a name such as "caregiver" or "Sam's carer" already says who it is: "caregiver (a caregiver)" would stutter
    words = "".join(ch if ch.isalnum() else " " for ch in name.casefold()).split()
    return any(w in ("caregiver", "caregivers", "carer", "carers", "caretaker") for w in words)


def caregiver_words(name: str, *, article: bool = True) -> str:
    """A caregiver's name with what they are: "Sam (a caregiver)", or "caregiver" alone when the name says it."""
    if _names_a_caregiver(name):
        return name
    return f"{name} (a caregiver)" if article else f"{name} (caregiver)"


def _menu_safe(text: str) -> str:
    # "&" in a name would become a keyboard mnemonic and vanish from the label
    return text.replace("&", "&&")


class EnteringAsDialog(FitsScreen, QDialog):
    """Choose who is entering records: the owner, a caregiver named before, or a new name typed once."""

    def __init__(self, names: list[str], current: str | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("EnteringAsDialog")
        self.setWindowTitle("Who is entering records")
        self.choice: EnteringAs | None = None
        layout = QVBoxLayout(self)
        intro = QLabel(INTRO)
        intro.setWordWrap(True)
        layout.addWidget(intro)

        question = QLabel("<b>Who is entering records now?</b>")
        layout.addWidget(question)
        self.group = QButtonGroup(self)
        self.owner_button = QRadioButton("&The journal's owner")
        self.owner_button.setAccessibleName("The journal's owner")
        self.group.addButton(self.owner_button)
        layout.addWidget(self.owner_button)
        self.name_buttons: dict[str, QRadioButton] = {}
        for name in names:
            button = QRadioButton(_menu_safe(name))
            button.setAccessibleName(name if _names_a_caregiver(name) else f"{name}, a caregiver")
            self.group.addButton(button)
            layout.addWidget(button)
            self.name_buttons[name] = button
        row = QHBoxLayout()
        self.other_button = QRadioButton("Someone &else, named:")
        self.other_button.setAccessibleName("Someone else")
        self.group.addButton(self.other_button)
        self.name_field = QLineEdit()
        self.name_field.setObjectName("caregiverNameField")
        self.name_field.setAccessibleName("Caregiver's name")
        self.name_field.setPlaceholderText("e.g. Sam")
        self.name_field.setMaxLength(NAME_MAX * 2)  # room to say "too long" rather than cut it silently
        self.name_field.textEdited.connect(self._on_name_field_text_edited)
        row.addWidget(self.other_button)
        row.addWidget(self.name_field, 1)
        layout.addLayout(row)

        self.error_label = QLabel()
        self.error_label.setObjectName("fieldError")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        layout.addWidget(self.error_label)
        note = QLabel(PRIVACY_NOTE)
        note.setObjectName("hint")
        note.setWordWrap(True)
        layout.addWidget(note)
        layout.addStretch(1)  # spare height goes below the choices, never between them

        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel, self)
        self.ok_button = self.buttons.button(QDialogButtonBox.Ok)
        self.ok_button.setDefault(True)
        self.buttons.accepted.connect(self._on_ok_clicked)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

        if current is None:
            self.owner_button.setChecked(True)
        elif current in self.name_buttons:
            self.name_buttons[current].setChecked(True)
        else:
            self.other_button.setChecked(True)
            self.name_field.setText(current)
        self.setTabOrder(self.other_button, self.name_field)
        self.resize(560, 290 + 28 * len(names))

    @classmethod
    def ask(cls, parent: QWidget | None, names: list[str], current: str | None) -> EnteringAs | None:
        """The person's choice, or None when they cancelled. Tests replace this hook."""
        dialog = cls(names, current, parent)
        try:
            dialog.exec()
            return dialog.choice
        finally:
            dialog.deleteLater()

    def _on_name_field_text_edited(self, _text: str) -> None:
        # typing a name means "someone else"; no need to pick the button first
        self.other_button.setChecked(True)

    def _on_ok_clicked(self) -> None:
        if self.owner_button.isChecked():
            self.choice = EnteringAs(None)
        elif self.other_button.isChecked():
            problems = caregiver_name_problems(self.name_field.text())
            if problems:
                self.error_label.setText("⚠ " + problems[0])
                self.error_label.show()
                self.name_field.setFocus()
                return
            typed = self.name_field.text().strip()
            # the same person typed again with other capitals is the name already in the journal
            known = {n.casefold(): n for n in self.name_buttons}
            self.choice = EnteringAs(known.get(typed.casefold(), typed))
        else:
            chosen = self.group.checkedButton()
            self.choice = EnteringAs(next(n for n, b in self.name_buttons.items() if b is chosen))
        self.accept()


class CaregiverControl(QObject):
    """The "Entering as" button in the status bar and its Journal menu entry; keeps them in step with the window's session.

    Who is entering lives in the session (`JournalSession.author`), which marks every record
    added; this control only shows it and changes it.
    """

    changed = Signal()

    def __init__(self, window: Any):
        super().__init__(window)
        self.window = window
        self.button = QPushButton(window.statusBar())
        self.button.setObjectName("enteringAsButton")
        self.button.setAccessibleName("Entering as")
        self.button.setToolTip(f"Who is entering records: the journal's owner or a caregiver ({SHORTCUT})")
        self.button.clicked.connect(self.choose)
        window.statusBar().addPermanentWidget(self.button)
        self.action = QAction("Entering &as…", window)
        self.action.setObjectName("enteringAsAction")
        self.action.setShortcut(QKeySequence(SHORTCUT))
        self.action.setStatusTip("Choose who is entering records: the journal's owner or a caregiver")
        self.action.triggered.connect(self.choose)
        window.add_journal_action(self.action)
        # the window empties and disables its views when it locks: hide the name then, too
        window.centralWidget().installEventFilter(self)
        self.refresh()

    @property
    def author(self) -> str | None:
        session = self.window.session
        return session.author if session is not None else None

    def set_author(self, name: str | None) -> None:
        """Enter the next records as `name`, or as the owner with None."""
        self.window.session.set_author(name)
        self.refresh()
        who = caregiver_words(name) if name else OWNER_TEXT
        self.window.statusBar().showMessage(f"Records you add now are marked as entered by {who}.")
        self.changed.emit()

    def choose(self) -> None:
        if not self._usable():
            return
        session = self.window.session
        choice = EnteringAsDialog.ask(self.window, session.caregiver_names(), session.author)
        if choice is not None:
            self.set_author(choice.author)

    def refresh(self) -> None:
        """Show who is entering now (nothing while the journal is locked)."""
        usable = self._usable()
        self.button.setEnabled(usable)
        self.action.setEnabled(usable)
        author = self.author if usable else None
        if not usable:
            text, description = "Entering as: …", "No journal is shown (it is being opened, or locked)."
        elif author:
            text = f"Entering as: {caregiver_words(author, article=False)}"
            description = f"{author}{'' if _names_a_caregiver(author) else ', a caregiver'}. Press to change."
        else:
            text, description = "Entering as: the owner", "The journal's owner. Press to change."
        self.button.setText(_menu_safe(text))
        self.button.setAccessibleDescription(description)
        self.action.setText(f"Entering &as: {_menu_safe(author)}…" if author else "Entering &as: the owner…")
        font = self.button.font()
        font.setBold(bool(author))  # a caregiver at the keyboard should be hard to miss
        self.button.setFont(font)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.EnabledChange:
            self.refresh()
        return False

    def _usable(self) -> bool:
        # the window enables its views only while a journal is shown (not while opening or locked)
        central = self.window.centralWidget()
        return self.window.session is not None and central is not None and central.isEnabled()


def install_caregiver_control(window: MainWindow) -> CaregiverControl:
    """Give a main window the "Entering as" control (status bar, Journal menu, Ctrl+Shift+W); returns it, for the window to keep."""
    return CaregiverControl(window)
