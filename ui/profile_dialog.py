"""Journal ▸ Your name and birth year: the journal's profile, which the appointment report can print (the person chooses)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from journal.errors import ValidationError
from journal.records import Profile
from ui.forms import FieldError, RecordDialog, parse_int
from ui.session import JournalSession

INTRO = (
    "Both are optional. They are kept only inside this journal. The appointment report prints "
    "your name, your initials or no name, as you choose each time you make one."
)


class ProfileDialog(RecordDialog):
    """The name the journal's owner goes by and their birth year, checked by the journal's rules; saving is undoable."""

    kind = "profile"
    title = "your name and birth year"

    def __init__(self, session: JournalSession, record: Profile | None = None, parent: QWidget | None = None):
        current = record if record is not None else session.profile()
        super().__init__(session, current, parent)
        self.setWindowTitle("Your name and birth year")
        intro = QLabel(INTRO)
        intro.setObjectName("hint")
        intro.setWordWrap(True)
        self.form.addRow(intro)

        self.name_field = QLineEdit(current.display_name or "")
        self.name_field.setPlaceholderText("e.g. Sam Rivera")
        self.add_row("&Name:", self.name_field, "display_name", hint="As you would like it written on a report.")
        self.year_field = QLineEdit("" if current.birth_year is None else str(current.birth_year))
        self.year_field.setPlaceholderText("e.g. 1984")
        self.add_row("&Birth year:", self.year_field, "birth_year")
        self.resize(520, 320)
        self.name_field.setFocus()

    def build_record(self) -> Profile:
        name = self.name_field.text().strip() or None
        year = parse_int(self.year_field.text(), "birth_year")
        return Profile(display_name=name, birth_year=year)

    def _on_save_clicked(self) -> None:
        self.clear_problems()
        try:
            profile = self.build_record()
        except FieldError as exc:
            self.show_problems([exc.problem])
            return
        try:
            self.saved = self.session.change_profile(profile)
        except ValidationError as exc:
            self.show_problems(exc.problems)  # each beside its field; what was typed stays
            return
        self.accept()
