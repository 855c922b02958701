"""What a screen reader hears, read through Qt's accessibility interface: the crisis panel spoken at once and focused, labels named by their words."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent, QTextDocument
from PySide6.QtWidgets import QApplication

from journal.clinical.scales import CRISIS_RESOURCES, CRISIS_RESOURCES_FOR_CAREGIVER
from tests.ui.conftest import click, shortcut
from tests.ui.test_questionnaires import answer_by_keyboard
from ui.questionnaire_dialog import Phq9Dialog


@pytest.fixture
def spoken(monkeypatch):
    """The announcements the window hands to Qt for screen readers: (message, assertive, widget)."""
    heard: list[tuple[str, bool, object]] = []
    real = QAccessible.updateAccessibility

    def listen(event):
        if isinstance(event, QAccessibleAnnouncementEvent):
            assertive = event.politeness() == QAccessible.AnnouncementPoliteness.Assertive
            heard.append((event.message(), assertive, event.object()))
        real(event)

    monkeypatch.setattr(QAccessible, "updateAccessibility", staticmethod(listen))
    return heard


def accessible_name(widget) -> str:
    return QAccessible.queryAccessibleInterface(widget).text(QAccessible.Name)


def first_in_reading_order(container):
    """The first thing a screen reader walking `container`'s accessible children reaches."""
    iface = QAccessible.queryAccessibleInterface(container)
    return iface.child(0).object()


@pytest.mark.slow
def test_item_9_is_spoken_at_once_focused_and_read_first_in_the_form(qtbot, window, dialogs, spoken):
    seen = {}

    def fill(dialog):
        answer_by_keyboard(qtbot, dialog, [1, 1, 1, 1, 1, 1, 1, 1])
        assert spoken == []
        item9 = dialog.rows[8].buttons[0]
        item9.setFocus()
        qtbot.keyClick(item9, "2")
        seen["focus"] = QApplication.focusWidget()
        seen["first"] = first_in_reading_order(dialog.crisis_panel.parentWidget())
        seen["spoken"] = list(spoken)
        click(qtbot, dialog.save_button)

    dialogs.on(Phq9Dialog, fill)
    shortcut(qtbot, window, Qt.Key_P)

    panel = dialogs.last.crisis_panel
    (message, assertive, who), *_ = seen["spoken"]
    assert assertive and who is panel
    assert message.startswith(CRISIS_RESOURCES.heading) and CRISIS_RESOURCES.lines[0].contact in message
    # the focus left the radio button for the panel's words, and nothing comes before the panel
    assert seen["focus"] is panel.text_label
    assert seen["first"] is panel
    # heard as an alert, named, with the crisis lines in its description
    iface = QAccessible.queryAccessibleInterface(panel)
    assert iface.role() == QAccessible.Role.AlertMessage
    assert iface.text(QAccessible.Name) == "Crisis resources"
    assert CRISIS_RESOURCES.lines[0].contact in iface.text(QAccessible.Description)
    # after saving, the window's own panel is spoken and focused again (not a cell of the list)
    banner = window.crisis_banner
    assert banner.isVisible()
    assert spoken[-1][2] is banner and spoken[-1][1]
    assert QApplication.focusWidget() is banner.text_label
    assert first_in_reading_order(window.centralWidget()) is banner


@pytest.mark.slow
def test_the_crisis_lines_from_the_help_menu_are_spoken_too(qtbot, window, spoken):
    window.crisis_action.trigger()
    banner = window.crisis_banner
    assert banner.isVisible() and QApplication.focusWidget() is banner.text_label
    assert spoken and spoken[-1][1] and CRISIS_RESOURCES.heading in spoken[-1][0]


@pytest.mark.slow
def test_a_caregiver_is_told_what_to_do_for_the_person_and_that_the_answers_are_theirs(qtbot, window, dialogs, spoken):
    window.session.set_author("Sam")
    window.caregiver.refresh()
    seen = {}

    def fill(dialog):
        seen["own"] = dialog.own_answers_label.text() if dialog.own_answers_label else ""
        seen["own_shown"] = dialog.own_answers_label is not None and dialog.own_answers_label.isVisible()
        answer_by_keyboard(qtbot, dialog, [1, 1, 1, 1, 1, 1, 1, 1, 1])
        seen["panel"] = dialog.crisis_panel.text()
        seen["label"] = dialog.crisis_panel.text_label.text()
        click(qtbot, dialog.save_button)

    dialogs.on(Phq9Dialog, fill)
    shortcut(qtbot, window, Qt.Key_P)

    assert seen["own_shown"] and "the person's own answers" in seen["own"] and "Sam" in seen["own"]
    c = CRISIS_RESOURCES_FOR_CAREGIVER
    assert seen["panel"].startswith(c.heading)
    assert "you answered" not in seen["panel"].casefold()
    assert "thinking of hurting yourself" not in seen["panel"]
    assert "the person you care for" in c.heading and "in danger now" in c.heading
    for line in CRISIS_RESOURCES.lines:  # the same crisis lines, every one
        assert line.contact in seen["panel"]
    assert spoken[-1][0].startswith(c.heading)
    assert window.crisis_banner.text().startswith(c.heading)


def test_the_owner_is_not_told_about_their_own_answers(qtbot, session):
    dialog = Phq9Dialog(session)
    qtbot.addWidget(dialog)
    assert dialog.own_answers_label is None
    assert not dialog.crisis_panel.for_caregiver


@pytest.mark.slow
@pytest.mark.parametrize("name, shown", [("caregiver", "Entering as: caregiver"), ("Sam", "Entering as: Sam (caregiver)")])
def test_a_caregiver_named_caregiver_is_not_called_caregiver_twice(qtbot, window, name, shown):
    window.caregiver.set_author(name)
    assert window.caregiver.button.text() == shown
    message = window.statusBar().currentMessage()
    assert "(a caregiver) (a" not in message and "caregiver (a caregiver)" not in message
    assert name in message


@pytest.mark.slow
def test_labels_that_show_words_are_named_by_their_words(qtbot, window):
    panel = window.assessment_panel
    labels = [panel.verdict_label, panel.rule_label, panel.reminder_label, panel.maudsley_label]
    if window.demo_banner.isVisible():
        labels.append(window.demo_banner)
    for label in labels:
        name = accessible_name(label)
        assert name and name not in ("Verdict", "Rule used", "Reminder", "Maudsley staging score")
    # the verdict is heard as it reads on the screen
    shown = QTextDocument()
    shown.setHtml(panel.verdict_label.text())
    assert accessible_name(panel.verdict_label) == shown.toPlainText().strip()
    assert accessible_name(panel.reminder_label).startswith("This is not a diagnosis.")
    assert accessible_name(window.demo_banner).startswith("Demo journal")


def test_the_total_is_heard_as_the_total_shown(qtbot, session):
    dialog = Phq9Dialog(session)
    qtbot.addWidget(dialog)
    answer_by_keyboard(qtbot, dialog, [1, 0, 0, 0, 0, 0, 0, 0, 0])
    assert accessible_name(dialog.total_label) == dialog.total_label.text() == "Total: 1 of 27 (minimal)"


def test_editing_an_answer_already_above_zero_speaks_the_panel_when_the_form_opens(qtbot, session, spoken):
    from journal.records import ScaleScore
    from tests.ui.conftest import days_ago

    stored = session.add("scores", ScaleScore(id="", date=days_ago(1), scale="PHQ-9", total=1, items=(0,) * 8 + (1,)))
    dialog = Phq9Dialog(session, stored)
    qtbot.addWidget(dialog)
    assert spoken == []  # nothing is spoken for a form not yet on screen
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.crisis_panel.isVisible()
    assert [who for _, _, who in spoken] == [dialog.crisis_panel]
