"""The trial form: drug with completion and its catalog minimum, dose steps, dates, adherence, stop reason, rating and side effects."""

from __future__ import annotations

import contextlib
import re

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QCompleter,
    QDialog,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from journal import words
from journal.errors import Problem
from journal.records import DoseStep, Rating, SideEffect, Trial
from ui import formatting as f
from ui.forms import (
    ConfirmBox,
    DateField,
    ErrorLabel,
    FieldError,
    PartialDateField,
    RecordDialog,
    choice_combo,
    field_problem,
    parse_float,
    set_combo_value,
)
from ui.session import JournalSession

_INDEXED = re.compile(r"^(?P<list>\w+)\[(?P<index>\d+)\](?:\.(?P<field>\w+))?")


def _catalog():
    from journal.clinical.catalog import load_catalog

    return load_catalog()


def confirm_high_doses(parent: QWidget, catalog, trial: Trial) -> bool:
    """Asked before a trial with a dose above the catalog's typical maximum is saved; False goes back to the form."""
    drug = catalog.resolve(trial.drug)
    if drug is None or drug.typical_max_mg is None:
        return True
    high = [s for s in trial.doses if s.mg_per_day is not None and s.mg_per_day > drug.typical_max_mg]
    if not high:
        return True
    doses = ", ".join(f"{f.fmt_number(s.mg_per_day)} mg/day from {words.date_words(s.start, s.start_precision)}" for s in high)
    return ConfirmBox.ask(
        parent,
        "Dose above the typical maximum",
        f"{doses} is above the typical maximum for {drug.generic} "
        f"({catalog.maximum_label(drug)}).\n\n"
        "Is this the dose you take? Choose No to go back and check it.",
    )


def drug_completer(catalog, parent: QWidget) -> QCompleter:
    """Completion of generic and brand names from the drug catalog, as the trial form offers it."""
    completer = QCompleter(catalog.completion_names(), parent)
    completer.setCaseSensitivity(Qt.CaseInsensitive)
    completer.setFilterMode(Qt.MatchStartsWith)
    return completer


class _RowsEditor(QWidget):
    """Rows of small fields with an Add button and a Remove button per row; errors shown under the row."""

    changed = Signal()

    def __init__(self, list_name: str, add_text: str, headers: tuple[str, ...], parent: QWidget | None = None):
        super().__init__(parent)
        self.list_name = list_name
        self.rows: list[dict] = []
        self.grid = QGridLayout()
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(6)
        for column, header in enumerate(headers):
            label = QLabel(f"<b>{header}</b>")
            self.grid.addWidget(label, 0, column)
        self.headers = headers
        self.general_error = ErrorLabel(self)
        self.add_button = QPushButton(add_text, self)
        self.add_button.setAccessibleName(add_text.replace("&", ""))
        self.add_button.clicked.connect(self._on_add_button_clicked)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.grid)
        layout.addWidget(self.general_error)
        layout.addWidget(self.add_button, 0, Qt.AlignLeft)

    # subclasses: make the widgets of one row (in tab order) and read them back
    def _make_row(self, number: int, value=None) -> dict:
        raise NotImplementedError

    def _row_widgets(self, row: dict) -> list[QWidget]:
        raise NotImplementedError

    def add_row(self, value=None) -> dict:
        number = len(self.rows) + 1
        row = self._make_row(number, value)
        row["remove"] = QPushButton("Remove")
        row["remove"].setAccessibleName(f"Remove row {number}")
        row["remove"].clicked.connect(lambda _=False, r=row: self._on_remove_clicked(r))
        row["error"] = ErrorLabel()
        self.rows.append(row)
        self._relayout()
        self.changed.emit()
        return row

    def _relayout(self) -> None:
        # widgets are re-placed (not re-made) so a removed row never loses what the others hold
        for row in self.rows:
            for w in (*self._row_widgets(row), row["remove"], row["error"]):
                self.grid.removeWidget(w)
        for i, row in enumerate(self.rows):
            grid_row = 1 + 2 * i
            widgets = self._row_widgets(row)
            for column, w in enumerate(widgets):
                self.grid.addWidget(w, grid_row, column)
            self.grid.addWidget(row["remove"], grid_row, len(widgets))
            self.grid.addWidget(row["error"], grid_row + 1, 0, 1, len(widgets) + 1)
            row["remove"].setEnabled(self._can_remove())
            self._name_row(i + 1, row)

    def _name_row(self, number: int, row: dict) -> None:
        for header, w in zip(self.headers, self._row_widgets(row), strict=False):
            w.setAccessibleName(f"{self.row_noun} {number}: {header}")
        row["remove"].setAccessibleName(f"Remove {self.row_noun.lower()} {number}")

    row_noun = "Row"

    def tab_chain(self) -> list[QWidget]:
        """The editor's fields row by row, then its Add button (the dialog threads them into its Tab order)."""
        chain = []
        for row in self.rows:
            for w in (*self._row_widgets(row), row["remove"]):
                chain.extend(w.tab_chain() if hasattr(w, "tab_chain") else [w.focusProxy() or w])
        return chain + [self.add_button]

    def _can_remove(self) -> bool:
        return True

    def _on_add_button_clicked(self) -> None:
        row = self.add_row()
        self._row_widgets(row)[0].setFocus(Qt.TabFocusReason)

    def _on_remove_clicked(self, row: dict) -> None:
        if row not in self.rows or not self._can_remove():
            return
        self.rows.remove(row)
        for w in (*self._row_widgets(row), row["remove"], row["error"]):
            self.grid.removeWidget(w)
            w.deleteLater()
        self._relayout()
        self.changed.emit()

    def show_problems(self, problems: list[Problem]) -> None:
        per_row: dict[int, list[str]] = {}
        general: list[str] = []
        for p in problems:
            m = _INDEXED.match(p.field)
            if m and m.group("list") == self.list_name and int(m.group("index")) < len(self.rows):
                index = int(m.group("index"))
                what = m.group("field")
                label = self._field_label(what) if what else ""
                per_row.setdefault(index, []).append(f"{self.row_noun} {index + 1}{': ' + label if label else ''} {p.message}")
            else:
                general.append(p.message)
        for i, row in enumerate(self.rows):
            row["error"].show_messages(per_row.get(i, []))
        self.general_error.show_messages(general)
        self._first_problem = self._row_widgets(self.rows[min(per_row)])[0] if per_row else None

    def first_problem_widget(self) -> QWidget | None:
        """Where focus goes when this editor holds the form's first problem (the dialog decides which that is)."""
        return getattr(self, "_first_problem", None) or (self.add_button if not self.rows else self._row_widgets(self.rows[0])[0])

    def _field_label(self, field: str) -> str:
        return field.replace("_", " ")


class DoseStepsEditor(_RowsEditor):
    """The dose steps table: from each start (a day, a month or a year), the daily dose in mg or "not remembered", until the next step."""

    row_noun = "Dose step"

    def __init__(self, session: JournalSession, parent: QWidget | None = None):
        super().__init__("doses", "Add dose ste&p", ("Start date", "mg per day", ""), parent)
        self.session = session

    def _make_row(self, number: int, value: DoseStep | None = None) -> dict:
        if value is not None:
            start = PartialDateField(value.start, value.start_precision, check_apart=True)
        else:
            start = PartialDateField(self.session.today if not self.rows else None, check_apart=True)
        start.edited.connect(self.changed)
        mg = QLineEdit(f.fmt_number(value.mg_per_day) if value else "")
        mg.setPlaceholderText("e.g. 50")
        mg.textEdited.connect(lambda _t: self.changed.emit())
        unknown = QCheckBox("I don't remember the dose")
        unknown.toggled.connect(lambda on, m=mg: m.setEnabled(not on))
        unknown.toggled.connect(lambda _on: self.changed.emit())
        unknown.setChecked(value is not None and value.mg_per_day is None)
        return {"start": start, "mg": mg, "unknown": unknown}

    def _row_widgets(self, row: dict) -> list[QWidget]:
        return [row["start"], row["mg"], row["unknown"]]

    # Each step takes two lines, so the table stays narrow at large text: the start and the dose with Remove,
    # then under them "I don't remember exactly" and "I don't remember the dose"; Tab reads them in that order.
    def _all_widgets(self, row: dict) -> list[QWidget]:
        return [row["start"], row["mg"], row["remove"], row["start"].rough_check, row["unknown"], row["error"]]

    def _relayout(self) -> None:
        for row in self.rows:
            for w in self._all_widgets(row):
                self.grid.removeWidget(w)
        for i, row in enumerate(self.rows):
            line = 1 + 3 * i
            self.grid.addWidget(row["start"], line, 0)
            self.grid.addWidget(row["mg"], line, 1)
            self.grid.addWidget(row["remove"], line, 2)
            self.grid.addWidget(row["start"].rough_check, line + 1, 0)
            self.grid.addWidget(row["unknown"], line + 1, 1, 1, 2)
            self.grid.addWidget(row["error"], line + 2, 0, 1, 3)
            row["remove"].setEnabled(self._can_remove())
            self._name_row(i + 1, row)

    def tab_chain(self) -> list[QWidget]:
        chain: list[QWidget] = []
        for row in self.rows:
            chain += [row["start"].line, row["mg"], row["remove"], row["start"].rough_check, row["unknown"]]
        return chain + [self.add_button]

    def _on_remove_clicked(self, row: dict) -> None:
        if row not in self.rows or not self._can_remove():
            return
        self.rows.remove(row)
        for w in self._all_widgets(row):
            self.grid.removeWidget(w)
            w.deleteLater()
        self._relayout()
        self.changed.emit()

    def _name_row(self, number: int, row: dict) -> None:
        row["start"].setAccessibleName(f"Dose step {number}: start date")
        row["mg"].setAccessibleName(f"Dose step {number}: mg per day")
        row["unknown"].setAccessibleName(f"Dose step {number}: I don't remember the dose")
        row["remove"].setAccessibleName(f"Remove dose step {number}")

    def _can_remove(self) -> bool:
        return len(self.rows) > 1

    def _field_label(self, field: str) -> str:
        return {"start": "start date", "mg_per_day": "dose", "start_precision": "start date"}.get(field, field)

    def steps(self) -> tuple[DoseStep, ...]:
        steps = []
        for i, row in enumerate(self.rows):
            start, precision = row["start"].value(f"doses[{i}].start") or (None, "day")
            mg = None
            if not row["unknown"].isChecked():
                mg = parse_float(row["mg"].text(), f"doses[{i}].mg_per_day", required=True)
            steps.append(DoseStep(start=start, mg_per_day=mg, start_precision=precision))
        return tuple(steps)

    def any_unknown(self) -> bool:
        return any(row["unknown"].isChecked() for row in self.rows)

    def typed_doses(self) -> list[float]:
        """The doses typed so far that read as numbers (for the live minimum check); a dose not remembered is left out."""
        doses = []
        for row in self.rows:
            if row["unknown"].isChecked():
                continue
            try:
                value = parse_float(row["mg"].text(), "")
            except FieldError:
                continue
            if value is not None:
                doses.append(value)
        return doses

    def set_steps(self, steps) -> None:
        for step in steps:
            self.add_row(step)


class SideEffectsEditor(_RowsEditor):
    """Side effects of the trial, each with a severity and optional dates."""

    row_noun = "Side effect"

    def __init__(self, parent: QWidget | None = None):
        super().__init__("side_effects", "Add side &effect", ("What", "Severity", "From", "Until"), parent)

    def _make_row(self, number: int, value: SideEffect | None = None) -> dict:
        name = QLineEdit(value.name if value else "")
        name.setPlaceholderText("e.g. nausea")
        severity = choice_combo(f.SIDE_EFFECT_SEVERITY_LABELS, value.severity if value else None, none_label="Not recorded")
        start = DateField(value.start if value else None, optional=True)
        end = DateField(value.end if value else None, optional=True)
        return {"name": name, "severity": severity, "start": start, "end": end}

    def _row_widgets(self, row: dict) -> list[QWidget]:
        return [row["name"], row["severity"], row["start"], row["end"]]

    def side_effects(self) -> tuple[SideEffect, ...]:
        found = []
        for i, row in enumerate(self.rows):
            name = row["name"].text().strip()
            start = row["start"].value(f"side_effects[{i}].start")
            end = row["end"].value(f"side_effects[{i}].end")
            if not name:
                if start or end or row["severity"].currentData() is not None:
                    field_problem(f"side_effects[{i}].name", "needed: say what the side effect was, or remove the row")
                continue  # an empty row is simply not a side effect
            found.append(SideEffect(name=name, severity=row["severity"].currentData(), start=start, end=end))
        return tuple(found)

    def set_side_effects(self, side_effects) -> None:
        for effect in side_effects:
            self.add_row(effect)


class TrialDialog(RecordDialog):
    """Add or edit one antidepressant (or add-on) trial."""

    kind = "trials"
    title = "trial"

    def __init__(
        self, session: JournalSession, record: Trial | None = None, parent: QWidget | None = None, *, draft: Trial | None = None
    ):
        super().__init__(session, record, parent)
        # a new trial the window drafted for the person (from an import's activities): filled in, saved only if they say so
        self._draft_origin = draft.origin if draft is not None and record is None else None
        self.catalog = _catalog()
        self.resize(760, 820)

        self.drug_edit = QLineEdit()
        self.drug_edit.setPlaceholderText("Type a generic or brand name, e.g. sertraline or Zoloft")
        self.drug_edit.setCompleter(drug_completer(self.catalog, self.drug_edit))
        self.drug_edit.textChanged.connect(self._on_drug_edit_text_changed)
        self.add_row("&Drug:", self.drug_edit, "drug")
        self.drug_info = QLabel()
        self.drug_info.setObjectName("drugInfo")
        self.drug_info.setWordWrap(True)
        self.drug_info.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.drug_info.setAccessibleName("What the catalog says about this drug")
        self.form.addRow("", self.drug_info)

        self.augmentation_check = QCheckBox("Taken as an add-on (augmentation) to an antidepressant")
        self.add_row("", self.augmentation_check, "augmentation")

        self.own_min_edit = QLineEdit()
        self.own_min_edit.setPlaceholderText("optional, mg per day")
        self.own_min_edit.textChanged.connect(self._on_doses_changed)
        self.add_row(
            "&Own minimum adequate dose:",
            self.own_min_edit,
            "min_adequate_mg",
            hint="Only if your clinician told you a lower or higher dose is adequate for you. Otherwise leave empty.",
        )

        self.doses = DoseStepsEditor(session)
        self.doses.changed.connect(self._on_doses_changed)
        self.doses.changed.connect(self.fix_tab_order)
        self.add_row("Dose steps:", self.doses, "doses")
        self.dose_check = QLabel()
        self.dose_check.setObjectName("hint")
        self.dose_check.setWordWrap(True)
        self.form.addRow("", self.dose_check)

        self.ongoing_check = QCheckBox("I am still taking it")
        self.ongoing_check.setChecked(True)
        self.ongoing_check.toggled.connect(self._on_ongoing_check_toggled)
        self.add_row("", self.ongoing_check)
        self.end_field = PartialDateField(optional=True)
        self.add_row("Last day &taken:", self.end_field, "end", hint="A month or just a year is fine when you don't remember the day.")

        self.adherence_combo = choice_combo(f.ADHERENCE_LABELS, none_label="Not recorded")
        self.add_row("&Adherence:", self.adherence_combo, "adherence")
        self.stop_combo = choice_combo(f.STOP_REASON_LABELS, none_label="Not stopped, or not recorded")
        self.add_row("&Stopped because:", self.stop_combo, "stop_reason")

        self.add_rating_rows(none_label="Not rated yet", improvement_label="&Improvement (%):",
                             hint="Your own estimate of how much better you felt, if you have one.")
        self.rating_date = DateField(optional=True)
        self.add_row("&Rated\u00a0on:", self.rating_date, "rating.date")

        self.source_combo = choice_combo(words.form_words(words.SOURCE), none_label="Not said")
        self.add_row(
            "Where these details &come from:",
            self.source_combo,
            "source",
            hint="From memory is fine: change it when prescriptions, pharmacy or clinic records confirm them.",
        )

        self.side_effects = SideEffectsEditor()
        self.side_effects.changed.connect(self.fix_tab_order)
        self.add_row("Side effects:", self.side_effects, "side_effects")

        self.note_edit = QPlainTextEdit()
        self.note_edit.setTabChangesFocus(True)
        self.note_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 4)
        self.add_row("&Note:", self.note_edit, "note")

        if record is not None:
            self._fill(record)
        elif draft is not None:
            self._fill(draft)
        else:
            self.doses.add_row()
        self._on_ongoing_check_toggled(self.ongoing_check.isChecked())
        self._on_rating_combo_changed()
        self._on_drug_edit_text_changed(self.drug_edit.text())
        self.drug_edit.setFocus()

    @classmethod
    def ask_draft(cls, parent: QWidget | None, session: JournalSession, draft: Trial):
        """Open a new trial filled in with `draft`; the stored trial when the person saves it, else None. Tests replace this hook."""
        dialog = cls(session, None, parent, draft=draft)
        try:
            return dialog.saved if dialog.exec() == QDialog.Accepted else None
        finally:
            dialog.deleteLater()

    def _fill(self, trial: Trial) -> None:
        self.drug_edit.setText(trial.drug)
        self.augmentation_check.setChecked(trial.augmentation)
        self.own_min_edit.setText(f.fmt_number(trial.min_adequate_mg))
        self.doses.set_steps(trial.doses)
        self.ongoing_check.setChecked(trial.end is None)
        self.end_field.set_value(trial.end, trial.end_precision)
        set_combo_value(self.source_combo, trial.source)
        set_combo_value(self.adherence_combo, trial.adherence)
        set_combo_value(self.stop_combo, trial.stop_reason)
        if trial.rating is not None:
            set_combo_value(self.rating_combo, trial.rating.response)
            self.improvement_edit.setText(f.fmt_number(trial.rating.improvement_pct))
            self.rating_date.set_value(trial.rating.date)
        self.side_effects.set_side_effects(trial.side_effects)
        self.note_edit.setPlainText(trial.note)

    # -- live help -----------------------------------------------------------------------------

    def _on_drug_edit_text_changed(self, text: str) -> None:
        drug = self.catalog.resolve(text)
        if not text.strip():
            self.drug_info.setText("Start typing and pick from the list, or type any other name.")
        elif drug is None:
            session_treatment = self.catalog.session_treatment_for(text)
            if session_treatment is not None:
                self.drug_info.setText(
                    f"{session_treatment.name} is given in sessions: record it with Add ▸ Treatment session instead."
                )
            else:
                self.drug_info.setText(
                    "Not in the drug catalog: it is kept as you typed it. Such a trial counts only if you enter "
                    "your own minimum adequate dose below (from your clinician)."
                )
        else:
            role = "add-on (augmentation)" if drug.is_augmentation else "antidepressant"
            lines = [f"{drug.generic}: {drug.drug_class}, {role}.", f"Minimum adequate dose: {self.catalog.minimum_label(drug)}."]
            if drug.typical_max_mg is not None:
                lines.append(f"Typical maximum: {f.fmt_mg(drug.typical_max_mg)} ({self.catalog.max_source}).")
            if drug.dose_note:
                lines.append(drug.dose_note)
            self.drug_info.setText("\n".join(lines))
        is_addon = drug is not None and drug.is_augmentation
        # a catalog add-on is always add-on; the box shows it and cannot say otherwise
        if is_addon:
            self.augmentation_check.setChecked(True)
        self.augmentation_check.setEnabled(not is_addon)
        self._on_doses_changed()

    def _on_doses_changed(self, *_args) -> None:
        drug = self.catalog.resolve(self.drug_edit.text())
        minimum = None
        with contextlib.suppress(FieldError):
            minimum = parse_float(self.own_min_edit.text(), "")
        if minimum is None and drug is not None:
            minimum = drug.min_adequate_mg
        doses = self.doses.typed_doses()
        unknown = self.doses.any_unknown()
        if minimum is None or not (doses or unknown):
            self.dose_check.clear()
            return
        if doses and max(doses) >= minimum:
            self.dose_check.setText(f"✓ Reaches the minimum adequate dose ({f.fmt_number(minimum)} mg/day).")
        elif unknown:
            self.dose_check.setText(
                f"? A dose you don't remember may or may not reach the minimum adequate dose ({f.fmt_number(minimum)} mg/day): "
                "the assessment says what could count if it is confirmed."
            )
        else:
            self.dose_check.setText(f"✗ No step reaches the minimum adequate dose ({f.fmt_number(minimum)} mg/day) yet.")

    def _on_ongoing_check_toggled(self, ongoing: bool) -> None:
        self.end_field.setEnabled(not ongoing)

    def _on_rating_combo_changed(self, *_args) -> None:
        rated = self.rating_combo.currentData() is not None
        self.improvement_edit.setEnabled(rated)
        self.rating_date.setEnabled(rated)

    # -- saving --------------------------------------------------------------------------------

    def build_record(self) -> Trial:
        drug_text = self.drug_edit.text().strip()
        if not drug_text:
            field_problem("drug", "needed: type the drug's name")
        drug = self.catalog.resolve(drug_text)
        own_min = parse_float(self.own_min_edit.text(), "min_adequate_mg")
        doses = self.doses.steps()
        end, end_precision = (None, "day")
        if not self.ongoing_check.isChecked():
            if not self.end_field.text().strip():
                field_problem("end", "needed: the last day you took it, or the month or year (or tick “I am still taking it”)")
            else:
                end, end_precision = self.end_field.value("end") or (None, "day")
        rating = None
        response = self.rating_combo.currentData()
        if response is not None:
            rating = Rating(
                response=response,
                improvement_pct=parse_float(self.improvement_edit.text(), "rating.improvement_pct"),
                date=self.rating_date.value("rating.date"),
            )
        return Trial(
            id=self.original.id if self.original is not None else "",
            drug=drug.generic if drug is not None else drug_text,
            doses=doses,
            augmentation=self.augmentation_check.isChecked(),
            min_adequate_mg=own_min,
            end=end,
            stop_reason=self.stop_combo.currentData(),
            adherence=self.adherence_combo.currentData(),
            rating=rating,
            side_effects=self.side_effects.side_effects(),
            note=self.note_edit.toPlainText(),
            end_precision=end_precision,
            source=self.source_combo.currentData(),
            origin=self.original.origin if self.original is not None else self._draft_origin,
        )

    def confirm_record(self, trial: Trial) -> bool:
        return confirm_high_doses(self, self.catalog, trial)

    def show_nested_problems(self, field: str, problems: list[Problem]) -> bool:
        if field == "":
            self.doses.show_problems([])
            self.side_effects.show_problems([])
            return False
        if field == "doses":
            self.doses.show_problems(problems)
            return True
        if field == "side_effects":
            self.side_effects.show_problems(problems)
            return True
        return False
