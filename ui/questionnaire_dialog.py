"""The PHQ-9 and GAD-7 forms with their exact wording and credit line; an item 9 answer above 0 shows the crisis panel at once."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from journal.clinical.scales import Answer, Scale, crisis_answer_given, get_scale
from journal.errors import Problem, ValidationError
from journal.records import ScaleScore
from ui.checkin_dialog import TimeField, initial_time
from ui.crisis import CrisisPanel
from ui.fit import WrapLayout
from ui.forms import DateField, ErrorLabel, RecordDialog
from ui.session import JournalSession


class AnswerRow(QFrame):
    """One question: its wording (wrapped, never cut) and one radio button per answer; keys 0-3 choose an answer too."""

    answered = Signal(int)

    def __init__(self, question: str, answers: tuple[Answer, ...], parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("answerRow")
        self.question = question
        self.question_label = QLabel(question, self)
        self.question_label.setObjectName("question")
        self.question_label.setWordWrap(True)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        # each answer stands apart from the next; at a large text size they wrap instead of running off the side
        row = WrapLayout(spacing=18)
        row.setContentsMargins(12, 0, 0, 0)
        self.buttons: list[QRadioButton] = []
        for answer in answers:
            button = QRadioButton(f"{answer.text} ({answer.value})")
            button.setAccessibleName(f"{question}: {answer.text}")
            button.installEventFilter(self)
            self.group.addButton(button, answer.value)
            self.buttons.append(button)
            row.addWidget(button)
        self.error = ErrorLabel()
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 6, 0, 6)
        column.setSpacing(4)
        column.addWidget(self.question_label)
        column.addLayout(row)
        column.addWidget(self.error)
        self.setAccessibleName(question)
        # toggled, not clicked: arrow keys move the choice without a click, and must count too
        self.group.idToggled.connect(self._on_group_id_toggled)

    def _on_group_id_toggled(self, value: int, checked: bool) -> None:
        if checked:
            self.answered.emit(value)

    def tab_chain(self) -> list[QRadioButton]:
        # one Tab stop per question: Qt moves along an exclusive group with the arrow keys
        return list(self.buttons)

    def first_problem_widget(self) -> QRadioButton:
        """The answer that takes focus when this question needs one: the chosen one, else the first."""
        return self.group.checkedButton() or self.buttons[0]

    def value(self) -> int | None:
        value = self.group.checkedId()
        return None if value < 0 else value

    def set_value(self, value: int | None) -> None:
        if value is None:
            return
        button = self.group.button(value)
        if button is not None:
            button.setChecked(True)

    def choose(self, value: int) -> None:
        """Choose an answer as a click would (the crisis check runs at once)."""
        button = self.group.button(value)
        if button is not None:
            # focus first: an item 9 answer above 0 then moves the focus on to the crisis panel
            button.setFocus(Qt.OtherFocusReason)
            button.setChecked(True)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.KeyPress and event.text() and event.text() in "0123456789":
            value = int(event.text())
            if self.group.button(value) is not None:
                self.choose(value)
                return True
        return super().eventFilter(watched, event)


class QuestionnaireDialog(RecordDialog):
    """A PHQ-9 or GAD-7, answered item by item; the total is the sum and is shown with its severity."""

    kind = "scores"
    scale_name = "PHQ-9"

    def __init__(self, session: JournalSession, record: ScaleScore | None = None, parent: QWidget | None = None):
        self.scale: Scale = get_scale(record.scale if record is not None else self.scale_name)
        self.title = self.scale.name
        super().__init__(session, record, parent)
        self.resize(820, 900)

        caregiver = session.author
        # caregiver mode: the crisis words speak to the caregiver at the keyboard, about the person they care for
        self.crisis_panel = CrisisPanel(for_caregiver=bool(caregiver))
        self._opened = False  # (the first showEvent)
        self.crisis_panel.hide()
        # above everything else in the form, so it is the first thing seen when it appears
        self.body_layout.insertWidget(0, self.crisis_panel)
        self.own_answers_label = None
        if caregiver:
            self.own_answers_label = QLabel(
                f"You are entering as {caregiver}, a caregiver. These are the person's own answers: "
                f"choose each one as they gave it, not as you see them."
            )
            self.own_answers_label.setObjectName("hint")
            self.own_answers_label.setWordWrap(True)
            self.body_layout.insertWidget(1, self.own_answers_label)

        self.date_field = DateField(record.date if record else session.today)
        self.add_row("&Date:", self.date_field, "date")
        # the time it was answered: now for a new one, kept as it was when editing
        self.time_field = TimeField(initial_time(record))
        self.time_field.line.setAccessibleDescription("24-hour, e.g. 08:30 or 21:00")
        self.add_row("&Time:", self.time_field, "time")

        question = QLabel(f"<b>{self.scale.question}</b>")
        question.setWordWrap(True)
        self.form.addRow(question)

        self.rows: list[AnswerRow] = []
        for item in self.scale.items:
            row = AnswerRow(f"{item.number}. {item.text}", self.scale.answers)
            row.answered.connect(self._on_row_answered)
            self.add_wide_row(row)
            self.register_error(f"items[{item.number - 1}]", row.error, row)
            self.rows.append(row)
        self.register_error("items", self.general_error)

        self.difficulty_row = None
        if self.scale.difficulty is not None:
            self.difficulty_row = AnswerRow(self.scale.difficulty.question, self.scale.difficulty.answers)
            self.add_wide_row(self.difficulty_row)
            self.register_error("difficulty", self.difficulty_row.error, self.difficulty_row)

        self.total_label = QLabel()
        self.total_label.setObjectName("total")
        self.form.addRow(self.total_label)
        self.register_error("total", ErrorLabel(), None)

        credit = QLabel(self.scale.credit)
        credit.setObjectName("credit")
        credit.setWordWrap(True)
        self.form.addRow(credit)

        if record is not None and record.items:
            for row, value in zip(self.rows, record.items, strict=False):
                row.set_value(value)
            if self.difficulty_row is not None:
                self.difficulty_row.set_value(record.difficulty)
        self._on_row_answered()
        self.date_field.setFocus()

    def answers(self) -> list[int | None]:
        return [row.value() for row in self.rows]

    def _on_row_answered(self, *_args) -> None:
        answers = self.answers()
        given = [a for a in answers if a is not None]
        if len(given) == len(answers):
            total = sum(given)
            severity = self.scale.severity(total)
            self.total_label.setText(f"Total: {total} of {self.scale.max_total} ({severity})")
        else:
            self.total_label.setText(
                f"Total so far: {sum(given)} of {self.scale.max_total} "
                f"({len(given)} of {len(answers)} questions answered)"
            )
        self._update_crisis_panel(answers)

    def _update_crisis_panel(self, answers: list[int | None]) -> None:
        show = crisis_answer_given(self.scale.name, answers)
        was_visible = self.crisis_panel.isVisibleTo(self)
        if show and not was_visible and not self.isVisible():
            self.crisis_panel.show()  # an answer already given (editing): spoken when the form opens (showEvent)
        elif show and not was_visible:
            self.crisis_panel.alert()  # seen, focused and spoken at once
            self.scroll.ensureWidgetVisible(self.crisis_panel)
            self.scroll.verticalScrollBar().setValue(0)
        elif not show:
            self.crisis_panel.hide()

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        if not self._opened:
            self._opened = True
            if self.crisis_panel.isVisibleTo(self):
                self.crisis_panel.alert()

    def build_record(self) -> ScaleScore:
        date = self.date_field.value("date")
        time = self.time_field.value("time")
        answers = self.answers()
        missing = [
            Problem(f"items[{i}]", "please choose an answer to this question")
            for i, value in enumerate(answers)
            if value is None
        ]
        if missing:
            raise ValidationError(missing)
        return ScaleScore(
            id=self.original.id if self.original is not None else "",
            date=date,
            scale=self.scale.name,
            total=sum(answers),
            items=tuple(answers),
            difficulty=self.difficulty_row.value() if self.difficulty_row is not None else None,
            time=time,
            origin=self.original.origin if self.original is not None else None,
        )


class Phq9Dialog(QuestionnaireDialog):
    scale_name = "PHQ-9"


class Gad7Dialog(QuestionnaireDialog):
    scale_name = "GAD-7"
