"""The "Due" strip and the notifications, driven as a person would: what shows, what the desktop is told, done and later."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from journal.records import DailyCheckIn, DoseStep, ScaleScore, Trial
from journal.reminders import LOCKED_NOTICE
from tests.ui.conftest import TODAY, click, days_ago
from ui.notify import Notifier
from ui.reminders import DETAILED_KEY, MOST_NOTICES, REPEAT_MINUTES, install_reminders


class FakeNotifier(Notifier):
    """Keeps what would have gone to the desktop, and sends nothing."""

    def send(self, text: str) -> str:
        self.sent.append(text)
        return "none"


@pytest.fixture
def clock():
    return [datetime.combine(TODAY, datetime.min.time()).replace(hour=20, minute=5)]


@pytest.fixture
def reminders(window, clock):
    return install_reminders(window, notifier=FakeNotifier(), clock=lambda: clock[0])


def _rows(reminders) -> list[str]:
    return [label.text() for _item, label, *_ in reminders.strip.rows]


def _checkins_at(window, hhmm: str) -> None:
    reminders = window.session.settings().reminders
    window.session.change_settings(reminders=replace(reminders, checkin_time=hhmm))


def _recent_phq9(window) -> None:
    window.session.add("scores", ScaleScore("", days_ago(1), "PHQ-9", 9, items=(1, 1, 1, 1, 1, 1, 1, 2, 0)))


def test_a_journal_with_no_phq9_shows_one_due_with_its_action(qtbot, window, reminders):
    reminders.refresh()
    assert reminders.strip.isVisibleTo(window)
    (item, label, act, done, later) = reminders.strip.rows[0]
    assert item.kind == "questionnaire" and item.scale == "PHQ-9"
    assert label.text().startswith("Questionnaire: ") and act.text() == "Fill in the PHQ-9…"
    assert (done.text(), later.text()) == ("Done", "Later")
    assert act.accessibleName() == "Fill in the PHQ-9: Questionnaire"


def test_nothing_due_hides_the_strip(qtbot, window, reminders):
    _recent_phq9(window)
    reminders.refresh()
    assert reminders.strip.rows == [] and not reminders.strip.isVisibleTo(window)


def test_the_check_in_is_notified_discreetly_then_again_every_ten_minutes_at_most_four_times(qtbot, window, reminders, clock):
    _recent_phq9(window)
    window.session.add("trials", Trial("", "sertraline", (DoseStep(days_ago(30), 100),)))
    sent = reminders.notifier.sent
    sent.clear()  # what came before the check-in time was set
    _checkins_at(window, "20:00")
    assert sent == ["Trial Journal: a check-in is due"]  # at the time, once
    assert "Daily check-in" in _rows(reminders)[0]
    for minutes in (5, 9):  # not before ten minutes have passed
        clock[0] += timedelta(minutes=minutes - (5 if minutes == 9 else 0))
        reminders.refresh()
    assert len(sent) == 1
    for _ in range(10):
        clock[0] += timedelta(minutes=REPEAT_MINUTES)
        reminders.refresh()
    assert len(sent) == MOST_NOTICES
    assert all(text == "Trial Journal: a check-in is due" for text in sent)
    assert not any(word in " ".join(sent) for word in ("sertraline", "PHQ", "GAD", "score", "mg"))


def test_the_check_in_waits_for_its_time_and_a_check_in_today_answers_it(qtbot, window, reminders, clock):
    _recent_phq9(window)
    reminders.notifier.sent.clear()
    clock[0] = clock[0].replace(hour=19, minute=30)
    _checkins_at(window, "20:00")
    assert reminders.strip.rows == [] and reminders.notifier.sent == []
    clock[0] = clock[0].replace(hour=20, minute=0)
    reminders.refresh()
    assert len(reminders.strip.rows) == 1
    window.session.add("checkins", DailyCheckIn("", TODAY, mood=6))
    assert reminders.strip.rows == []


def test_done_hides_an_item_for_good_and_keeps_nothing_readable(qtbot, window, reminders, qsettings, look):
    reminders.refresh()
    (item, _label, _act, done, _later) = reminders.strip.rows[0]
    click(qtbot, done)
    assert reminders.strip.rows == []
    stored = " ".join(map(str, qsettings.value("reminders/done", [])))
    assert stored and "questionnaire" not in stored and TODAY.isoformat() not in stored and "PHQ" not in stored
    # a window opened later on the same settings does not bring it back
    again = install_reminders(window, notifier=FakeNotifier(), clock=reminders.clock)
    again.refresh()
    assert again.strip.rows == []


def test_later_puts_an_item_off_for_an_hour(qtbot, window, reminders, clock):
    reminders.refresh()
    sent_before = len(reminders.notifier.sent)
    click(qtbot, reminders.strip.rows[0][4])
    assert reminders.strip.rows == []
    clock[0] += timedelta(minutes=30)
    reminders.refresh()
    assert reminders.strip.rows == [] and len(reminders.notifier.sent) == sent_before
    clock[0] += timedelta(minutes=31)
    reminders.refresh()
    assert len(reminders.strip.rows) == 1 and len(reminders.notifier.sent) == sent_before + 1


def test_the_action_opens_the_form_it_names(qtbot, window, reminders, dialogs):
    from ui.questionnaire_dialog import Phq9Dialog

    dialogs.on(Phq9Dialog, lambda dialog: dialog.reject())
    reminders.refresh()
    click(qtbot, reminders.strip.rows[0][2])
    assert len(dialogs.opened) == 1 and isinstance(dialogs.last, Phq9Dialog)


def test_while_locked_the_strip_is_empty_and_a_notification_says_only_that_something_is_due(qtbot, window, reminders, clock):
    _recent_phq9(window)
    _checkins_at(window, "21:00")
    reminders.notifier.sent.clear()
    reminders.refresh()
    assert reminders.notifier.sent == []
    reminders.journal_locked()
    clock[0] = clock[0].replace(hour=21, minute=1)
    reminders.refresh()
    assert reminders.strip.rows == [] and not reminders.strip.isVisibleTo(window)
    assert reminders.notifier.sent == [LOCKED_NOTICE] == ["Trial Journal: something is due"]
    reminders.journal_unlocked()
    assert len(reminders.strip.rows) == 1


def test_detailed_words_only_when_the_person_chose_them_and_several_items_in_one_line(qtbot, window, reminders, qsettings):
    _checkins_at(window, "20:00")  # the check-in and the PHQ-9 both due, neither notified yet
    reminders._noticed.clear()
    reminders.notifier.sent.clear()
    reminders.refresh()
    assert reminders.notifier.sent == ["Trial Journal: 2 things are due"]
    qsettings.setValue(DETAILED_KEY, True)
    _recent_phq9(window)
    window.session.add("checkins", DailyCheckIn("", days_ago(1), mood=5))
    reminders._noticed.clear()
    reminders.refresh()
    assert reminders.notifier.sent[-1].startswith("Trial Journal: Daily check-in: ")


@pytest.fixture
def login_home(tmp_path, monkeypatch):
    """The login entry goes to a temporary home, never the person's own."""
    import functools

    from journal import autostart

    home = tmp_path / "home"
    home.mkdir()
    for name in ("enable", "disable", "is_enabled"):
        monkeypatch.setattr(autostart, name, functools.partial(getattr(autostart, name), home=home, platform="linux"))
    return home


def test_the_reminders_dialog_keeps_its_settings_in_the_journal_and_writes_the_login_entry(qtbot, window, reminders, journal, login_home, qsettings):
    from journal import autostart
    from ui.reminders_dialog import RemindersDialog

    dialog = RemindersDialog(window)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.checkin_box.isChecked() and dialog.every_spin.value() == 14 and not dialog.login_box.isChecked()
    dialog.checkin_box.setChecked(True)
    dialog.checkin_time.setTime(dialog.checkin_time.time().fromString("21:15", "HH:mm"))
    dialog.every_spin.setValue(7)
    dialog.session_field.set_value(days_ago(-2))
    dialog.session_time_box.setChecked(True)
    dialog.detailed_box.setChecked(True)
    dialog.login_box.setChecked(True)
    click(qtbot, dialog.save_button)
    rem = journal.settings().reminders
    assert (rem.checkin_time, rem.questionnaire_every_days) == ("21:15", 7)
    assert rem.next_session.startswith(days_ago(-2).isoformat() + "T10:00:00") and rem.next_session[-6] in "+-"
    assert qsettings.value(DETAILED_KEY, type=bool) is True
    entry = autostart.entry_path(home=login_home, platform="linux")
    assert autostart.is_enabled() and "--tray" in entry.read_text() and "journal.db" not in entry.read_text()
    window.session.undo_stack.undo()  # the journal's part is one undoable step
    assert journal.settings().reminders.checkin_time is None
    again = RemindersDialog(window)
    qtbot.addWidget(again)
    assert again.login_box.isChecked()
    again.login_box.setChecked(False)
    click(qtbot, again.save_button)
    assert not autostart.is_enabled() and not entry.exists()


def test_a_session_date_that_is_not_a_date_is_named_and_nothing_changes(qtbot, window, reminders, journal, login_home):
    from ui.reminders_dialog import RemindersDialog

    dialog = RemindersDialog(window)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.session_field.line.setText("2026-02-30")
    click(qtbot, dialog.save_button)
    assert "Not saved" in dialog.problem.text() and "2026-02-30" in dialog.problem.text()
    assert dialog.isVisible() and journal.settings().reminders.next_session is None


def test_what_fell_due_while_the_app_was_closed_is_on_the_strip_at_start(qtbot, window, clock):
    window.session.add("scores", ScaleScore("", days_ago(20), "PHQ-9", 12))  # the next one was due 6 days ago
    fresh = install_reminders(window, notifier=FakeNotifier(), clock=lambda: clock[0])
    qtbot.waitUntil(lambda: bool(fresh.strip.rows), timeout=2000)  # no refresh called: start-up shows it
    item = fresh.strip.rows[0][0]
    assert item.overdue_days == 6 and "Overdue by 6 days." in fresh.strip.rows[0][1].text()


def test_tray_start_puts_the_window_out_of_the_way(qtbot, window, reminders):
    from ui.reminders import bring_back, to_tray

    to_tray(window)  # no tray under the test platform: minimized instead, never lost
    qtbot.waitUntil(lambda: window.isMinimized() or not window.isVisible(), timeout=2000)
    bring_back(window)
    qtbot.waitUntil(window.isVisible, timeout=2000)


def test_the_command_line_hands_tray_to_the_window():
    from journal.cli import main

    seen = {}
    assert main(["--tray"], run_window=lambda **options: seen.update(options) or 0) == 0
    assert seen["tray"] is True
    seen.clear()
    main([], run_window=lambda **options: seen.update(options) or 0)
    assert "tray" not in seen
