"""The assessment panel: the verdict in plain words, the rule and its settings (changeable here),
each trial's reasons, what to look up to settle remembered trials (with a page to print), the
psychotherapy courses listed beside the trials, the Maudsley score."""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import QLocale, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from journal import words as vocab
from journal.clinical.assessment import Assessment, TrialVerdict, therapy_line
from journal.clinical.verdict_words import (
    PERSON,
    headline_sentences,
    look_up_lines,
    possible_sentence,
    rough_dates,
    threshold_when,
    trial_name,
)
from journal.records import Trial
from journal.words import date_words, words_for
from ui import formatting as f
from ui.forms import set_combo_value
from ui.save_target import confirm_save_target, journal_path_of
from ui.session import JournalSession
from ui.worker import Worker

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


def _remembered_line(v: TrialVerdict, trial: Trial | None) -> str:
    """ "From memory, approximate: started Mar 2019, ended Sep 2019; dose not recorded" for a remembered trial, else ""."""
    unknown = trial is not None and any(s.mg_per_day is None for s in trial.doses)
    if not (v.approximate or v.source == "memory" or unknown):
        return ""
    if v.source == "records":
        where = vocab.SOURCE["records"].text + ", approximate" if v.approximate else vocab.SOURCE["records"].text
    else:
        where = vocab.SOURCE["memory"].text  # "from memory, approximate"
    dates = f"started {v.entered_start}" if v.entered_start else ""
    if dates:
        dates += f", ended {v.entered_end}" if v.entered_end else ", ongoing"
    parts = [where[0].upper() + where[1:] + (f": {dates}" if dates else "")]
    if unknown and trial is not None:
        steps = [s for s in trial.doses if s.mg_per_day is None]
        if len(steps) == len(trial.doses):
            parts.append("dose not recorded")
        else:
            parts.append("dose not recorded from " + ", ".join(date_words(s.start, s.start_precision) for s in steps))
    return "; ".join(parts)


def _trial_html(v: TrialVerdict, name: str, trial: Trial | None = None) -> str:
    outcome = words_for(vocab.OUTCOME, v.outcome, form=True)
    if v.failed:
        status = "failed, counts toward the rule" if v.counts else "failed, does not count"
    elif v.could_count:
        status = "could count once the remembered details are confirmed"
    elif v.adequate:
        status = "adequate, not a failure"
    else:
        status = "not an adequate trial"
    facts = []
    if v.min_adequate_mg is not None:
        facts.append(f"minimum adequate dose {f.fmt_number(v.min_adequate_mg)} mg/day" + (f" ({v.min_source})" if v.min_source else ""))
    days = v.longest_adequate_run_days
    facts.append(f"longest run at an adequate dose: {days} day{'' if days == 1 else 's'}")
    if v.adequacy_date:
        facts.append(rough_dates(f"adequate from {v.adequacy_date.isoformat()}", v))
    if v.improvement_pct is not None:
        facts.append(f"improvement {f.fmt_number(round(v.improvement_pct, 1))} %")
    if v.failure_date:
        facts.append(rough_dates(f"failure date {v.failure_date.isoformat()}", v))
    kind = " (add-on)" if v.augmentation else ""
    html = f"<p style='margin-bottom:2px'><b>{escape(name)}{kind}</b>: {escape(outcome)}; {escape(status)}.<br>"
    remembered = _remembered_line(v, trial)
    if remembered:  # in words, never by colour alone
        html += f"<i>{escape(remembered)}.</i><br>"
    html += escape("; ".join(facts)) + ".</p>"
    html += _bullets([rough_dates(r, v) for r in v.reasons])
    if v.caveats:
        html += "<p style='margin:2px 0 0 0'><i>Caveats:</i></p>" + _bullets([rough_dates(c, v) for c in v.caveats])
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

    look_up_saved = Signal(str)  # the page to print was written there

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

        # What to look up: shown only when a remembered trial could count once its details are confirmed.
        self.look_up_heading = _heading("What to look up")
        self.look_up_label = QLabel(self)
        self.look_up_label.setObjectName("lookUp")
        self.look_up_label.setWordWrap(True)
        self.look_up_label.setTextFormat(Qt.RichText)
        self.look_up_label.setTextInteractionFlags(Qt.TextSelectableByMouse | Qt.TextSelectableByKeyboard)
        self.look_up_name_check = QCheckBox("Put my &name on the page")
        self.look_up_name_check.setAccessibleName("Put my name on the page to print")
        self.look_up_button = QPushButton("Save what to look up as a &page to print…")
        self.look_up_button.setObjectName("saveLookUp")
        self.look_up_button.setAccessibleName("Save what to look up as a page to print")
        self.look_up_button.setToolTip("A one-page PDF to take to a pharmacy or your GP's office")
        self.look_up_button.clicked.connect(self._on_save_look_up_clicked)
        self.look_up_status = QLabel(self)
        self.look_up_status.setWordWrap(True)
        self.look_up_job: Worker | None = None

        self.therapies_heading = _heading("Psychotherapy courses (listed, never counted)")
        self.therapies_label = QLabel(self)
        self.therapies_label.setWordWrap(True)
        self.therapies_label.setTextFormat(Qt.RichText)
        self.therapies_label.setTextInteractionFlags(Qt.TextSelectableByMouse | Qt.TextSelectableByKeyboard)

        self.reminder_label = QLabel(NOT_A_DIAGNOSIS, self)
        self.reminder_label.setObjectName("reminder")
        self.reminder_label.setWordWrap(True)
        self.reminder_label.setFrameShape(QFrame.StyledPanel)

        content = QWidget()
        column = QVBoxLayout(content)
        column.addWidget(self.verdict_label)
        column.addWidget(self.reminder_label)
        column.addWidget(self.look_up_heading)
        column.addWidget(self.look_up_label)
        column.addWidget(self.look_up_name_check)
        column.addWidget(self.look_up_button)
        column.addWidget(self.look_up_status)
        column.addWidget(_heading("The rule applied"))
        column.addWidget(self.rule_label)
        column.addWidget(settings_box)
        column.addWidget(_heading("Each trial in this episode"))
        column.addWidget(self.details_label)
        column.addWidget(self.therapies_heading)
        column.addWidget(self.therapies_label)
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
        self.setTabOrder(self.look_up_name_check, self.look_up_button)
        self.setTabOrder(self.look_up_button, self.weeks_combo)
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
            at = threshold_when(assessment) if assessment.threshold_date_approximate else f"at {assessment.threshold_date.isoformat()}"
            marker = f"<br>Marked on the timeline {escape(at)}."
        verdict, *said_more = headline_sentences(assessment, PERSON)
        # What may be met once remembered details are confirmed stands apart: what is certain, what could count.
        possible = possible_sentence(assessment)
        said_more = [s for s in said_more if s != possible]
        self.verdict_label.setText(
            f"<p style='font-size:large'><b>{escape(verdict)}</b></p>"
            + (f"<p>{escape(' '.join(said_more))}</p>" if said_more else "")
            + (f"<p><b>{escape(possible)}</b> See \u201cWhat to look up\u201d below.</p>" if possible else "")
            + f"<p>Failed adequate trials that count: <b>{assessment.failed_adequate_count}</b>, "
            f"as of {assessment.as_of.isoformat()}.{marker}</p>"
        )
        self._show_look_up(assessment)
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

        trials = {t.id: t for t in self.session.contents().trials}
        html = "".join(_trial_html(v, trial_name(v, assessment), trials.get(v.id)) for v in assessment.trials)
        html = html or "<p>No trial in this episode yet.</p>"
        if assessment.general_caveats:  # each trial's own caveats are listed under it
            html += "<p style='margin-bottom:0'><b>Caveats</b></p>" + _bullets(assessment.general_caveats)
        self.details_label.setText(html)

        therapies = [therapy_line(p) for p in assessment.therapies]  # the heading says they are listed, never counted
        self.therapies_label.setText(_bullets(therapies))
        for widget in (self.therapies_heading, self.therapies_label):
            widget.setVisible(bool(therapies))

    def _show_look_up(self, assessment: Assessment) -> None:
        lines = look_up_lines(assessment)
        self.look_up_label.setText(
            "<p style='margin-bottom:2px'>Each of these remembered trials could count once the details are found "
            "(pharmacy records, old prescriptions, a clinic letter):</p>" + _bullets(lines)
            if lines
            else ""
        )
        for widget in (self.look_up_heading, self.look_up_label, self.look_up_name_check, self.look_up_button):
            widget.setVisible(bool(lines))
        named = bool((self.session.contents().profile.display_name or "").strip())
        self.look_up_name_check.setEnabled(named)
        # the box can only print a name the journal holds: say where one is added
        self.look_up_name_check.setToolTip(
            "" if named else "The journal holds no name yet: add one under Journal ▸ Your name and birth year."
        )
        self.look_up_button.setEnabled(bool(lines) and self.look_up_job is None)
        self.look_up_status.setVisible(bool(lines) and bool(self.look_up_status.text()))

    def clear(self) -> None:
        """Show nothing of the journal (it is locked)."""
        for label in (self.verdict_label, self.rule_label, self.details_label, self.maudsley_label, self.look_up_label,
                      self.therapies_label, self.look_up_status):
            label.clear()
        for widget in (self.look_up_heading, self.look_up_label, self.look_up_name_check, self.look_up_button, self.look_up_status,
                       self.therapies_heading, self.therapies_label):
            widget.hide()

    # -- the page to print --------------------------------------------------------------------

    def _on_save_look_up_clicked(self) -> None:
        from ui.report_dialog import PathChooser

        suggested = f"to-look-up-{self.session.today.isoformat()}.pdf"
        path = PathChooser.save_path(self, "Save what to look up as a page to print", "PDF files (*.pdf)", suggested)
        if not path:
            return
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        if not confirm_save_target(self, path, journal_path_of(self.session)):
            self._say("The page was not saved.")
            return
        self.save_look_up(path)

    def save_look_up(self, path: str) -> Worker:
        """Write the page to print to `path` off the window's thread; `look_up_saved` is emitted when it is there."""
        from journal.reports.lookup import build_lookup_page

        contents = self.session.contents()  # immutable snapshots: safe to hand to the worker
        assessment = self.session.assessment()
        options: dict[str, Any] = {
            "today": self.session.today,
            "name_style": "full" if self.look_up_name_check.isChecked() and self.look_up_name_check.isEnabled() else "none",
            "page_size": "Letter" if QLocale().territory() in (QLocale.UnitedStates, QLocale.Canada) else "A4",
        }
        job = Worker(lambda progress: build_lookup_page(contents, path, assessment, **options), self)
        job.succeeded.connect(self._on_look_up_saved)
        job.failed.connect(self._on_look_up_failed)
        job.finished.connect(self._on_look_up_finished)
        self.look_up_job = job
        self.look_up_button.setEnabled(False)
        self._say("Writing the page…")
        return job.start()

    def _say(self, text: str) -> None:
        self.look_up_status.setText(text)
        self.look_up_status.setVisible(bool(text))

    def _on_look_up_saved(self, path: Any) -> None:
        self._say(f"Saved {Path(path).name}. The file is not encrypted: keep it somewhere only you can read.")
        self.look_up_saved.emit(str(path))

    def _on_look_up_failed(self, error: BaseException) -> None:
        self._say(f"The page was not saved: {str(error) or error.__class__.__name__}. Any earlier file of that name is unchanged.")

    def _on_look_up_finished(self) -> None:
        self.look_up_job = None
        self.look_up_button.setEnabled(True)  # hidden while there is nothing to look up

    def _on_settings_edited(self, *_args) -> None:
        if self._updating:
            return
        self.session.change_settings(
            adequate_weeks=self.weeks_combo.currentData(),
            failure_threshold_pct=self.threshold_combo.currentData(),
            count_augmentation=self.augmentation_check.isChecked(),
            primary_scale=self.scale_combo.currentData(),
        )
