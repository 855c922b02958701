"""Your history: past trials entered one after another, by keyboard, as the MGH-ATRQ asks them.

Each row is one trial with one dose step: the medicine, when it started and ended (a day, a
month or just a year), the dose or "I don't remember", how well it worked, why it stopped, and
where the details come from (memory unless said). "Add and next" (Enter) saves the row through
the session, as every form does, so each trial is one step Ctrl+Z undoes; the form clears for the
next one with the focus back on the medicine. Done (or Esc) closes it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QLineEdit, QListWidget, QWidget

from journal import words
from journal.records import DoseStep, Rating, Trial
from ui import formatting as f
from ui.announce import announce
from ui.forms import DiscardBox, PartialDateField, RecordDialog, choice_combo, field_problem, form_state, parse_float, set_combo_value
from ui.session import JournalSession
from ui.trial_dialog import _catalog, confirm_high_doses, drug_completer

INTRO = (
    "Enter the medicines you took before, one after another, as you remember them: a month or just a year "
    "is fine, and so is not remembering the dose. Press Enter to add each one; Esc or Done when you have finished. "
    "You can make any of them exact later, when records arrive."
)


def trial_summary(trial: Trial) -> str:
    """One line for the list of what was added: the medicine, its dates as entered, the dose, how it went."""
    step = trial.doses[0]
    started = words.date_words(step.start, step.start_precision)
    ended = words.date_words(trial.end, trial.end_precision, empty="still taking it")
    dose = "dose not remembered" if step.mg_per_day is None else f.fmt_mg(step.mg_per_day)
    parts = [trial.drug, f"{started} to {ended}", dose]
    if trial.rating is not None:
        parts.append(words.words_for(words.RATING, trial.rating.response))
    if trial.stop_reason:
        parts.append(f"stopped: {words.words_for(words.STOP_REASON, trial.stop_reason)}")
    if trial.source:
        parts.append(words.words_for(words.SOURCE, trial.source))
    return ", ".join(parts)


class _DoseRow(QWidget):
    """The dose and its "I don't remember the dose" box; a problem marks the dose field itself."""

    mg_edit: QLineEdit | None = None

    def setProperty(self, name: str, value) -> bool:  # noqa: N802 (Qt's spelling)
        if name == "invalid" and self.mg_edit is not None:
            self.mg_edit.setProperty(name, value)
            self.mg_edit.style().unpolish(self.mg_edit)
            self.mg_edit.style().polish(self.mg_edit)
            return True
        return super().setProperty(name, value)


class HistoryDialog(RecordDialog):
    """Past trials, one row at a time; every row saved is a trial in the journal at once."""

    kind = "trials"
    title = "your history (past trials)"

    def __init__(self, session: JournalSession, record=None, parent: QWidget | None = None):
        super().__init__(session, None, parent)
        self.setWindowTitle("Your history: past trials")
        self.catalog = _catalog()
        self.added: list[Trial] = []
        self.resize(760, 720)

        intro = QLabel(INTRO)
        intro.setWordWrap(True)
        intro.setObjectName("hint")
        self.form.addRow(intro)

        self.drug_edit = QLineEdit()
        self.drug_edit.setPlaceholderText("e.g. sertraline or Zoloft")
        self.drug_edit.setCompleter(drug_completer(self.catalog, self.drug_edit))
        self.drug_edit.textChanged.connect(self._on_drug_edit_text_changed)
        self.add_row("&Medicine:", self.drug_edit, "drug")
        self.drug_info = QLabel()
        self.drug_info.setObjectName("hint")
        self.drug_info.setWordWrap(True)
        self.drug_info.setAccessibleName("What the catalog says about this medicine")
        self.form.addRow("", self.drug_info)

        self.start_field = PartialDateField(roughly=True)
        self.add_row("&Started:", self.start_field, "doses[0].start", hint="YYYY-MM or YYYY; untick the box to give the day.")
        self.end_field = PartialDateField(optional=True, roughly=True)
        self.add_row("&Ended:", self.end_field, "end", hint="Leave empty if you still take it.")

        dose_row = _DoseRow()
        dose_layout = QHBoxLayout(dose_row)
        dose_layout.setContentsMargins(0, 0, 0, 0)
        self.mg_edit = QLineEdit()
        self.mg_edit.setPlaceholderText("mg per day, e.g. 100")
        self.mg_edit.setAccessibleName("Dose in mg per day")
        self.unknown_check = QCheckBox("I don't &remember the dose")
        self.unknown_check.toggled.connect(self._on_unknown_check_toggled)
        self.unknown_check.setAccessibleName("I don't remember the dose")
        dose_layout.addWidget(self.mg_edit, 1)
        dose_layout.addWidget(self.unknown_check)
        dose_row.tab_chain = lambda: [self.mg_edit, self.unknown_check]
        dose_row.setFocusProxy(self.mg_edit)
        dose_row.mg_edit = self.mg_edit
        self.add_row("D&ose:", dose_row, "doses[0].mg_per_day", hint="The highest dose you took, if there were several.")
        self._error_slots["doses"] = self._error_slots["doses[0].mg_per_day"]
        dose_row.setAccessibleName("Dose")
        self.mg_edit.setAccessibleName("Dose in mg per day")

        self.add_rating_rows(none_label="Not sure, or not rated", improvement_label="Im&provement (%):")
        self.stop_combo = choice_combo(f.STOP_REASON_LABELS, none_label="Not stopped, or not sure")
        self.add_row("Stopped &because:", self.stop_combo, "stop_reason")
        self.source_combo = choice_combo(words.form_words(words.SOURCE), "memory", none_label="Not said")
        self.add_row("Where these details come &from:", self.source_combo, "source")

        self.added_list = QListWidget()
        self.added_list.setAccessibleName("Trials added this time")
        self.added_list.setWordWrap(True)  # each line read whole at large text, never cut off at the right
        self.added_list.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.added_list.setResizeMode(QListWidget.Adjust)
        self.added_list.setMinimumHeight(self.fontMetrics().lineSpacing() * 4)
        self.added_label = QLabel("Added this &time: none yet")
        self.added_label.setBuddy(self.added_list)
        self.body_layout.insertWidget(self.body_layout.count() - 1, self.added_label)
        self.body_layout.insertWidget(self.body_layout.count() - 1, self.added_list)
        self._tab_fields.append(self.added_list)  # after the fields, before the buttons: Tab reaches it too

        self.save_button.setText("&Add and next")
        self.save_button.setAccessibleName("Add and next")
        self.save_button.setToolTip("Add this trial and clear the form for the next one (Enter)")
        self.done_button = self.buttons.button(QDialogButtonBox.Cancel)
        self.done_button.setText("&Done")
        self.done_button.setAccessibleName("Done")
        self._on_rating_combo_changed()
        self._on_drug_edit_text_changed("")
        self.drug_edit.setFocus()

    # -- live help -------------------------------------------------------------------------------

    def _on_drug_edit_text_changed(self, text: str) -> None:
        drug = self.catalog.resolve(text)
        if not text.strip():
            self.drug_info.setText("Start typing and pick from the list, or type any other name.")
        elif drug is None:
            treatment = self.catalog.session_treatment_for(text)
            if treatment is not None:
                self.drug_info.setText(f"{treatment.name} is given in sessions: record it with Add ▸ Treatment session instead.")
            else:
                self.drug_info.setText("Not in the drug catalog: it is kept as you typed it.")
        else:
            role = "add-on (augmentation)" if drug.is_augmentation else "antidepressant"
            self.drug_info.setText(f"{drug.generic}: {drug.drug_class}, {role}. Minimum adequate dose: {self.catalog.minimum_label(drug)}.")

    def _on_unknown_check_toggled(self, unknown: bool) -> None:
        self.mg_edit.setEnabled(not unknown)

    # -- one row -----------------------------------------------------------------------------------

    def build_record(self) -> Trial:
        drug_text = self.drug_edit.text().strip()
        if not drug_text:
            field_problem("drug", "needed: type the medicine's name")
        drug = self.catalog.resolve(drug_text)
        start, start_precision = self.start_field.value("doses[0].start") or (None, "day")
        mg = None
        if not self.unknown_check.isChecked():
            mg = parse_float(self.mg_edit.text(), "doses[0].mg_per_day")
            if mg is None and not self.mg_edit.text().strip():
                field_problem("doses[0].mg_per_day", "needed: the dose in mg per day, or tick “I don't remember the dose”")
        end, end_precision = self.end_field.value("end") or (None, "day")
        rating = None
        response = self.rating_combo.currentData()
        if response is not None:
            rating = Rating(response=response, improvement_pct=parse_float(self.improvement_edit.text(), "rating.improvement_pct"))
        return Trial(
            id="",
            drug=drug.generic if drug is not None else drug_text,
            doses=(DoseStep(start=start, mg_per_day=mg, start_precision=start_precision),),
            augmentation=drug is not None and drug.is_augmentation,
            end=end,
            end_precision=end_precision,
            stop_reason=self.stop_combo.currentData(),
            rating=rating,
            source=self.source_combo.currentData(),
        )

    def confirm_record(self, trial: Trial) -> bool:
        return confirm_high_doses(self, self.catalog, trial)

    def accept(self) -> None:
        """A row was saved (RecordDialog saves, then accepts): list it, clear the form, back to the medicine."""
        trial = self.saved
        self.added.append(trial)
        self.added_list.addItem(trial_summary(trial))
        self.added_list.scrollToBottom()
        count = len(self.added)
        self.added_label.setText(f"Added this &time: {count} trial{'s' if count != 1 else ''}")
        self._clear_row()
        self.drug_edit.setFocus(Qt.OtherFocusReason)
        # the focus jumps back to the top: a screen reader says what happened
        announce(self.added_list, f"Added {trial.drug}, {count} so far. Next medicine.")

    def _clear_row(self) -> None:
        self.clear_problems()
        self.drug_edit.clear()
        self.start_field.clear(roughly=True)
        self.end_field.clear(roughly=True)
        self.mg_edit.clear()
        self.unknown_check.setChecked(False)
        self.rating_combo.setCurrentIndex(0)
        self.improvement_edit.clear()
        self.stop_combo.setCurrentIndex(0)
        set_combo_value(self.source_combo, "memory")
        self.scroll.verticalScrollBar().setValue(0)
        self._first_state = form_state(self._body)

    def reject(self) -> None:
        """Done and Esc close; a row typed but not added asks first (the rows already added are kept)."""
        if self.has_changes() and not DiscardBox.ask(self):
            return
        QDialog.done(self, QDialog.Accepted if self.added else QDialog.Rejected)

    @classmethod
    def ask(cls, parent: QWidget | None, session: JournalSession, record=None) -> list[Trial]:
        """Open the dialog modally; the trials added (none when nothing was). Tests replace this hook."""
        dialog = cls(session, None, parent)
        try:
            dialog.exec()
            return list(dialog.added)
        finally:
            dialog.deleteLater()
