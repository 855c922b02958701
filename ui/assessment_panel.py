"""The assessment panel: the verdict in plain words, the rule and its settings (changeable here),
each trial's reasons, the Maudsley score."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from journal import words as vocab
from journal.clinical.assessment import Assessment, TrialVerdict
from journal.clinical.verdict_words import PERSON, headline_sentences, trial_name
from journal.words import words_for
from ui import formatting as f
from ui.forms import set_combo_value
from ui.session import JournalSession

WEEKS_CHOICES = (4, 6, 8)
THRESHOLD_CHOICES = ((50, "below 50 % (usual)"), (25, "below 25 % (stricter research rule)"))
PRIMARY_SCALES = ("PHQ-9", "QIDS-SR16", "MADRS", "HAMD-17")

NOT_A_DIAGNOSIS = (
    "This is not a diagnosis. The journal applies a published rule to what you wrote down; "
    "only a clinician can judge your treatment. Take it to your next appointment and talk it through."
)


def _bullets(items) -> str:
    if not items:
        return ""
    return "<ul style='margin-top:0; margin-bottom:0'>" + "".join(f"<li>{escape(i)}</li>" for i in items) + "</ul>"


def _trial_html(v: TrialVerdict, name: str) -> str:
    outcome = words_for(vocab.OUTCOME, v.outcome, form=True)
    if v.failed:
        status = "failed, counts toward the rule" if v.counts else "failed, does not count"
    elif v.adequate:
        status = "adequate, not a failure"
    else:
        status = "not an adequate trial"
    facts = []
    if v.min_adequate_mg is not None:
        facts.append(f"minimum adequate dose {f.fmt_number(v.min_adequate_mg)} mg/day" + (f" ({v.min_source})" if v.min_source else ""))
    facts.append(f"longest run at an adequate dose: {v.longest_adequate_run_days} days")
    if v.adequacy_date:
        facts.append(f"adequate from {v.adequacy_date.isoformat()}")
    if v.improvement_pct is not None:
        facts.append(f"improvement {f.fmt_number(round(v.improvement_pct, 1))} %")
    if v.failure_date:
        facts.append(f"failure date {v.failure_date.isoformat()}")
    kind = " (add-on)" if v.augmentation else ""
    html = f"<p style='margin-bottom:2px'><b>{escape(name)}{kind}</b>: {escape(outcome)}; {escape(status)}.<br>"
    html += escape("; ".join(facts)) + ".</p>"
    html += _bullets(v.reasons)
    if v.caveats:
        html += "<p style='margin:2px 0 0 0'><i>Caveats:</i></p>" + _bullets(v.caveats)
    return html


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("sectionHeading")
    label.setWordWrap(True)  # an unwrapped heading would set the panel's width at a large text size
    return label


class _WrappingScrollArea(QScrollArea):
    """Scrolls up and down only, and is never narrower than its longest word: words wrap, none is cut at the right."""

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        hint = super().minimumSizeHint()
        inner = self.widget()
        if inner is None:
            return hint
        width = inner.minimumSizeHint().width() + self.verticalScrollBar().sizeHint().width() + 2 * self.frameWidth()
        return QSize(max(hint.width(), width), hint.height())


class AssessmentPanel(QWidget):
    """Shows `session.assessment()`; its setting controls change the journal's settings (undoable)."""

    def __init__(self, session: JournalSession, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.setObjectName("assessmentPanel")
        self._updating = False

        self.verdict_label = QLabel(self)
        self.verdict_label.setObjectName("verdict")
        self.verdict_label.setWordWrap(True)
        self.verdict_label.setTextInteractionFlags(Qt.TextSelectableByMouse | Qt.TextSelectableByKeyboard)

        self.rule_label = QLabel(self)
        self.rule_label.setWordWrap(True)
        self.rule_label.setTextInteractionFlags(Qt.TextSelectableByMouse | Qt.TextSelectableByKeyboard)

        settings_box = QGroupBox("Rule settings", self)
        form = QFormLayout(settings_box)
        # labels above their fields: the panel stays narrow and nothing is cut at a large text size
        form.setRowWrapPolicy(QFormLayout.WrapAllRows)
        self.weeks_combo = QComboBox()
        for weeks in WEEKS_CHOICES:
            self.weeks_combo.addItem(f"{weeks} weeks", weeks)
        self.weeks_combo.setAccessibleName("Weeks at an adequate dose before a trial counts")
        form.addRow(self._buddy("&Weeks at an adequate dose:", self.weeks_combo), self.weeks_combo)
        self.threshold_combo = QComboBox()
        for pct, text in THRESHOLD_CHOICES:
            self.threshold_combo.addItem(text, pct)
        self.threshold_combo.setAccessibleName("A trial failed when improvement was")
        form.addRow(self._buddy("A trial &failed when improvement was:", self.threshold_combo), self.threshold_combo)
        # a check box's words never wrap: kept short, so at 200 % text the panel is not pushed wider than its dock
        self.augmentation_check = QCheckBox("Count &add-ons")
        self.augmentation_check.setToolTip("Count failed add-on (augmentation) treatments taken with an antidepressant")
        self.augmentation_check.setAccessibleName("Count add-on (augmentation) treatments")
        form.addRow(self.augmentation_check)
        self.scale_combo = QComboBox()
        for scale in PRIMARY_SCALES:
            self.scale_combo.addItem(scale, scale)
        self.scale_combo.setAccessibleName("Scale that decides a trial's outcome when it has no rating")
        form.addRow(self._buddy("Scale that decides &outcomes:", self.scale_combo), self.scale_combo)
        for combo in (self.weeks_combo, self.threshold_combo, self.scale_combo):
            combo.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(8)
        self.weeks_combo.activated.connect(self._on_settings_edited)
        self.threshold_combo.activated.connect(self._on_settings_edited)
        self.augmentation_check.toggled.connect(self._on_settings_edited)
        self.scale_combo.activated.connect(self._on_settings_edited)

        self.details_label = QLabel(self)
        self.details_label.setWordWrap(True)
        self.details_label.setTextFormat(Qt.RichText)
        self.details_label.setTextInteractionFlags(Qt.TextSelectableByMouse | Qt.TextSelectableByKeyboard)
        self.details_label.setAlignment(Qt.AlignTop | Qt.AlignLeft)

        self.maudsley_label = QLabel(self)
        self.maudsley_label.setWordWrap(True)
        self.maudsley_label.setTextInteractionFlags(Qt.TextSelectableByMouse | Qt.TextSelectableByKeyboard)

        self.reminder_label = QLabel(NOT_A_DIAGNOSIS, self)
        self.reminder_label.setObjectName("reminder")
        self.reminder_label.setWordWrap(True)
        self.reminder_label.setFrameShape(QFrame.StyledPanel)

        content = QWidget()
        column = QVBoxLayout(content)
        column.addWidget(self.verdict_label)
        column.addWidget(self.reminder_label)
        column.addWidget(_heading("The rule applied"))
        column.addWidget(self.rule_label)
        column.addWidget(settings_box)
        column.addWidget(_heading("Each trial in this episode"))
        column.addWidget(self.details_label)
        column.addWidget(_heading("Maudsley staging"))
        column.addWidget(self.maudsley_label)
        column.addStretch(1)
        scroll = _WrappingScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)  # words wrap; nothing hides to the right
        scroll.setFrameShape(QFrame.NoFrame)
        scroll.setWidget(content)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)
        self.setTabOrder(self.weeks_combo, self.threshold_combo)
        self.setTabOrder(self.threshold_combo, self.augmentation_check)
        self.setTabOrder(self.augmentation_check, self.scale_combo)

    @staticmethod
    def _buddy(text: str, widget: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(widget)
        label.setWordWrap(True)
        return label

    def refresh(self) -> None:
        assessment: Assessment = self.session.assessment()
        settings = assessment.settings
        self._updating = True
        try:
            set_combo_value(self.weeks_combo, settings.adequate_weeks)
            set_combo_value(self.threshold_combo, settings.failure_threshold_pct)
            self.augmentation_check.setChecked(settings.count_augmentation)
            set_combo_value(self.scale_combo, settings.primary_scale)
        finally:
            self._updating = False

        marker = ""
        if assessment.threshold_met and assessment.threshold_date:
            marker = f"<br>Marked on the timeline at {assessment.threshold_date.isoformat()}."
        verdict, *said_more = headline_sentences(assessment, PERSON)
        self.verdict_label.setText(
            f"<p style='font-size:large'><b>{escape(verdict)}</b></p>"
            + (f"<p>{escape(' '.join(said_more))}</p>" if said_more else "")
            + f"<p>Failed adequate trials that count: <b>{assessment.failed_adequate_count}</b>, "
            f"as of {assessment.as_of.isoformat()}.{marker}</p>"
        )
        episode = assessment.episode
        if episode is None:
            episode_text = "No episode to assess yet."
        elif episode.assumed:
            episode_text = f"No episode recorded: treated as one episode from {episode.start.isoformat()}."
        else:
            episode_text = f"Current episode: from {episode.start.isoformat()}" + (
                f" to {episode.end.isoformat()}." if episode.end else ", ongoing."
            )
        self.rule_label.setText(f"{assessment.rule}\n{episode_text}" if assessment.rule else episode_text)

        m = assessment.maudsley
        if m.score is not None:
            parts = "; ".join(f"{name} {points}" for name, points in m.parts)
            text = f"Maudsley staging score: {m.score} of 15 ({m.band})." + (f" Parts: {parts}." if parts else "")
        else:
            text = "Maudsley staging score: not computed" + (f" ({'; '.join(m.missing)})." if m.missing else ".")
        self.maudsley_label.setText(text + " Shown beside the rule, never instead of it.")

        html = "".join(_trial_html(v, trial_name(v, assessment)) for v in assessment.trials) or "<p>No trial in this episode yet.</p>"
        if assessment.general_caveats:  # each trial's own caveats are listed under it
            html += "<p style='margin-bottom:0'><b>Caveats</b></p>" + _bullets(assessment.general_caveats)
        self.details_label.setText(html)

    def clear(self) -> None:
        """Show nothing of the journal (it is locked)."""
        for label in (self.verdict_label, self.rule_label, self.details_label, self.maudsley_label):
            label.clear()

    def _on_settings_edited(self, *_args) -> None:
        if self._updating:
            return
        self.session.change_settings(
            adequate_weeks=self.weeks_combo.currentData(),
            failure_threshold_pct=self.threshold_combo.currentData(),
            count_augmentation=self.augmentation_check.isChecked(),
            primary_scale=self.scale_combo.currentData(),
        )
