"""Before the window writes a file the person named: never one of the journal's own files, and a replace only when confirmed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QMessageBox, QWidget

from journal.files.own_files import own_file_problem

__all__ = ["ReplaceQuestion", "SaveRefusal", "confirm_save_target", "journal_path_of"]


class ReplaceQuestion:
    """"Replace the file already there?" behind a hook that tests replace; No is the default."""

    @classmethod
    def ask(cls, parent: QWidget | None, path: Path) -> bool:
        answer = QMessageBox.question(
            parent,
            "Replace the file?",
            f"A file named {path.name} is already in {path.parent}. Replace it? What it holds now will be lost.",
            QMessageBox.Yes | QMessageBox.No,
            QMessageBox.No,
        )
        return answer == QMessageBox.Yes


class SaveRefusal:
    """Says why a chosen file may not be written; tests replace `show`."""

    @classmethod
    def show(cls, parent: QWidget | None, text: str) -> None:
        QMessageBox.warning(parent, "Choose another file", text)


def journal_path_of(session: Any) -> Path | None:
    """The open journal's file, whose own files no save may replace."""
    path = getattr(getattr(session, "journal", None), "path", None)
    return Path(path) if path is not None else None


def confirm_save_target(parent: QWidget | None, path: str | Path, journal_path: Path | None) -> bool:
    """Whether `path` may be written now: refused if it is one of the journal's own files, asked if it exists."""
    path = Path(path)
    problem = own_file_problem(path, journal_path) if journal_path is not None else None
    if problem is not None:
        SaveRefusal.show(parent, problem)
        return False
    if path.exists() or path.is_symlink():
        return ReplaceQuestion.ask(parent, path)
    return True
