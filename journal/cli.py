"""The `trial-journal` command: the window, import, export, assess, report, due, backup, restore and sync."""

from __future__ import annotations

import argparse
import calendar
import contextlib
import json
import os
import re
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from journal.errors import JournalError, ValidationError

if TYPE_CHECKING:
    from journal.facade import Journal
    from journal.opening import JournalAccess
    from journal.safekeeping.wrong_tries import WrongTries

APP_NAME = "trial-journal"
EXIT_OK = 0
EXIT_PROBLEM = 2


def default_journal_path() -> Path:
    """The journal in the person's data folder (platformdirs), used when --journal is not given."""
    from platformdirs import user_data_path

    return user_data_path("TrialJournal", appauthor=False, roaming=False) / "journal.db"


class _Parser(argparse.ArgumentParser):
    """argparse that says what is wrong in one plain line and exits 2, never with a traceback."""

    def error(self, message: str) -> NoReturn:  # noqa: D401 - argparse's hook
        self.print_usage(sys.stderr)
        self.exit(EXIT_PROBLEM, f"{self.prog}: {message}\n")


_DAY_SHAPE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def _date_arg(name: str) -> Callable[[str], date]:
    def parse(text: str) -> date:
        shape = _DAY_SHAPE.match(text.strip())
        if not shape:
            raise argparse.ArgumentTypeError(f"{name} must be a date written YYYY-MM-DD, got {text!r}")
        year, month, day = (int(part) for part in shape.groups())
        if not 1 <= month <= 12:
            raise argparse.ArgumentTypeError(
                f"{text.strip()} is not a day on the calendar: there is no month {month} (months run from 01 to 12)"
            )
        try:
            return date(year, month, day)
        except ValueError:
            days = calendar.monthrange(year, month)[1]
            raise argparse.ArgumentTypeError(
                f"{text.strip()} is not a day on the calendar: {calendar.month_name[month]} {year} has {days} days"
            ) from None

    return parse


def _not_after_today(name: str, day: date | None) -> None:
    """A report or assessment covers only days that have passed: a later day would count ongoing trials as lasting until then."""
    today = date.today()
    if day is not None and day > today:
        raise JournalError(
            f"{name} {day.isoformat()} is in the future (today is {today.isoformat()}); the journal can only "
            "speak of days that have passed. Nothing was written."
        )


def _add_journal_options(p: argparse.ArgumentParser, prefix: str = "") -> None:
    # The top-level copies get their own names: argparse lets a sub-command's defaults overwrite them.
    p.add_argument(
        "--journal",
        dest=prefix + "journal",
        metavar="PATH",
        type=Path,
        help=f"the journal file (default: {_default_journal_words()})",
    )
    p.add_argument(
        "--passphrase-file",
        dest=prefix + "passphrase_file",
        metavar="PATH",
        help="read the journal's passphrase from this file ('-' for standard input); never give it on the command "
        "line (default: none, for a journal without a passphrase)",
    )


def _default_journal_words() -> str:
    try:
        where = str(default_journal_path())
    except Exception:  # noqa: BLE001 - help text only; the command itself says what is wrong
        return "journal.db in your data folder"
    return where.replace("%", "%%")  # argparse fills in help texts with %


# What each command does, in the order `--help` and the no-display message list them.
COMMAND_HELP: dict[str, str] = {
    "import": "add a journal file (version 1 JSON) to the journal",
    "import-app": "bring in the diary of another mood app (Daylio, eMoods, iMoodJournal, Bearable, T2 Mood Tracker)",
    "export": "write the journal as JSON, CSV or FHIR",
    "assess": "print the treatment-resistance assessment",
    "report": "write the appointment report (PDF)",
    "due": "print what is due: the check-in, questionnaires, the appointment report, the next session",
    "backup": "make a verified backup of the journal now, or list backups",
    "restore": "replace the journal with one of its backups (the current one is backed up first)",
    "sync": "keep the journal on two or three computers through a folder a sync tool carries (or join one from it)",
}


def commands_overview() -> str:
    """Every command and what it does, one a line: for the message shown when the window cannot open."""
    width = max(map(len, COMMAND_HELP))
    return "\n".join(f"  {APP_NAME} {name:<{width}}  {text}" for name, text in COMMAND_HELP.items())


class _VersionAction(argparse._VersionAction):
    """--version: the version and the build's commit, found only when asked for (git is not run for every command)."""

    def __call__(self, parser, namespace, values, option_string=None) -> None:
        from journal.build_info import version_line

        print(version_line(str(self.version), APP_NAME))
        parser.exit(EXIT_OK)


def build_parser() -> argparse.ArgumentParser:
    from journal import __version__

    parser = _Parser(
        prog=APP_NAME,
        description="Trial Journal: a private journal of antidepressant trials and mood. With no command, opens the window.",
        epilog="Dates are written YYYY-MM-DD (2026-03-31). Every command takes --journal PATH and --passphrase-file PATH; "
        f"'{APP_NAME} COMMAND --help' tells more about one.",
    )
    parser.add_argument("--version", action=_VersionAction, version=__version__, help="print the version and the build's commit, and exit")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="open a made-up demo journal in a temporary folder, removed when the window closes (default: your journal)",
    )
    parser.add_argument(
        "--tray",
        action="store_true",
        help="start with the window in the tray, out of the way until opened, as 'Start at login' does (default: the window shown)",
    )
    launcher = parser.add_mutually_exclusive_group()
    launcher.add_argument(
        "--install-desktop-entry",
        action="store_true",
        help="Linux: put Trial Journal in the desktop's menu, with its icon, in your own folders (~/.local/share/applications "
        "and icons), and exit (default: not written)",
    )
    launcher.add_argument(
        "--remove-desktop-entry",
        action="store_true",
        help="Linux: take Trial Journal's own menu entry and icon away again, and exit (default: left as they are)",
    )
    _add_journal_options(parser, prefix="top_")
    sub = parser.add_subparsers(
        dest="command", metavar="COMMAND", parser_class=_Parser, help="what to do (default: none, which opens the window)"
    )

    p = sub.add_parser("import", help=COMMAND_HELP["import"], description=COMMAND_HELP["import"] + ".")
    p.add_argument("file", metavar="FILE", type=Path, help="the journal file to add (version 1 JSON, as export --format json writes)")
    _add_journal_options(p)

    _add_import_app_parser(sub)

    p = sub.add_parser("export", help=COMMAND_HELP["export"], description=COMMAND_HELP["export"] + ".")
    p.add_argument(
        "--format",
        choices=("json", "csv", "fhir"),
        default="json",
        help="json: the version 1 journal file; csv: one CSV per kind of record, in a zip when PATH ends in .zip, "
        "else in a folder; fhir: a FHIR R4 Bundle (default: json)",
    )
    p.add_argument("--out", metavar="PATH", type=Path, required=True, help="the file or folder to write (required)")
    p.add_argument("--force", action="store_true", help="replace a file (or earlier export folder) already at --out (default: refuse)")
    _add_journal_options(p)

    p = sub.add_parser("assess", help=COMMAND_HELP["assess"], description=COMMAND_HELP["assess"] + ".")
    p.add_argument(
        "--as-of", metavar="DATE", type=_date_arg("--as-of"), help="assess as of this date, written YYYY-MM-DD (default: today)"
    )
    p.add_argument("--json", action="store_true", help="print the assessment as one JSON object (default: plain words)")
    _add_journal_options(p)

    p = sub.add_parser("report", help=COMMAND_HELP["report"], description=COMMAND_HELP["report"] + ".")
    p.add_argument("--out", metavar="FILE.pdf", type=Path, required=True, help="the PDF file to write (required)")
    p.add_argument(
        "--from",
        dest="start",
        metavar="DATE",
        type=_date_arg("--from"),
        help="the first day the report covers, written YYYY-MM-DD (default: the start of the current episode, "
        "or 24 months back when none is current)",
    )
    p.add_argument(
        "--to", dest="end", metavar="DATE", type=_date_arg("--to"), help="the last day it covers, written YYYY-MM-DD (default: today)"
    )
    p.add_argument(
        "--name", choices=("full", "initials", "none"), default="initials", help="how your name is printed (default: initials)"
    )
    p.add_argument("--page-size", choices=("A4", "Letter"), default="A4", help="the paper size (default: A4)")
    p.add_argument(
        "--whole-history",
        action="store_true",
        help="cover every record and keep every table in full (default: page one for this episode, the earlier history behind it)",
    )
    p.add_argument("--force", action="store_true", help="replace a file already at --out (default: refuse)")
    _add_journal_options(p)

    _add_due_parser(sub)
    _add_sync_parser(sub)

    p = sub.add_parser("backup", help=COMMAND_HELP["backup"], description=COMMAND_HELP["backup"] + ".")
    p.add_argument("--list", action="store_true", help="list the backups instead of making one (default: make one)")
    _add_journal_options(p)

    p = sub.add_parser("restore", help=COMMAND_HELP["restore"], description=COMMAND_HELP["restore"] + ".")
    p.add_argument(
        "backup", metavar="BACKUP", type=Path, help="the backup file, or its name in the backups folder beside the journal"
    )
    _add_journal_options(p)
    return parser


def _add_import_app_parser(sub) -> None:
    p = sub.add_parser(
        "import-app",
        help=COMMAND_HELP["import-app"],
        description=COMMAND_HELP["import-app"] + ". Each entry becomes a daily check-in that keeps the app's own values as its "
        "origin; entries already imported are left out, so a later export can be imported again.",
    )
    p.add_argument("file", metavar="FILE", type=Path, help="the app's export (a .csv, or eMoods' .emoods backup)")
    p.add_argument(
        "--app", choices=("daylio", "emoods", "imoodjournal", "bearable", "t2"), default=None,
        help="which app wrote the file (default: found from the file)",
    )
    p.add_argument(
        "--map", metavar="NAME=VALUE", action="append", default=[],
        help="a choice the file needs, repeatable: a Daylio mood name and its level 0-10 (\"Sleepy=4\"), an eMoods anxiety "
        "severity and its level (\"mild=3\"), a Bearable rating's range (\"Mood=1-5\"), a T2 group's rating (\"Stress=anxiety\", "
        "or \"Stress=note\") (default: the apps' own defaults; the command says which are missing)",
    )
    p.add_argument("--dry-run", action="store_true", help="say what would be imported and write nothing (default: import)")
    _add_journal_options(p)


def _add_sync_parser(sub) -> None:
    """`trial-journal sync --folder PATH [--join]`: send this computer's changes to the folder and merge the others'."""
    p = sub.add_parser(
        "sync",
        help=COMMAND_HELP["sync"],
        description=COMMAND_HELP["sync"] + ". Each computer writes only its own change files into the folder and reads the "
        "others'; the live journal never goes there. The latest change to a record wins; a version changed on both "
        "computers is kept in the journal's sync history.",
    )
    p.add_argument("--folder", metavar="PATH", type=Path, required=True, help="the sync folder (Syncthing, Dropbox, a USB stick, ...)")
    p.add_argument(
        "--join", action="store_true",
        help="make a new journal at --journal from the folder's change files (refused when that journal exists) "
        "(default: sync the journal that is there)",
    )
    _add_journal_options(p)


def _add_due_parser(sub) -> None:
    """`trial-journal due [--as-of DATE] [--json]`: what is due, for the person's terminal, scripts and calendars."""
    p = sub.add_parser(
        "due",
        help=COMMAND_HELP["due"],
        description=COMMAND_HELP["due"] + ", from the journal's reminders (settings.reminders). Each item says why it is "
        "due; overdue items keep the day they first fell due.",
    )
    p.add_argument(
        "--as-of", metavar="DATE", type=_date_arg("--as-of"),
        help="what is due on this date, written YYYY-MM-DD; a later date tells what will be due by then if nothing is "
        "entered before it (default: today)",
    )
    p.add_argument(
        "--json", action="store_true",
        help='print a JSON list of {"kind", "scale", "due", "overdue_days"} for scripts and calendars (default: one line per item)',
    )
    _add_journal_options(p)


# --------------------------------------------------------------------------- opening the journal


def _journal_path(args: argparse.Namespace) -> Path:
    return Path(args.journal).expanduser() if args.journal else default_journal_path()


def open_journal(args: argparse.Namespace, *, create: bool = False) -> Journal:
    """Opens the journal named by the arguments; a missing one is an error unless `create`.

    One writer at a time (a journal open elsewhere is refused plainly); the passphrase comes
    only from --passphrase-file (a new journal made with one is encrypted); an existing
    journal is backed up before an import changes it.
    """
    path = _journal_path(args)
    if not create and not path.exists():
        raise JournalError(
            f"there is no journal at {path}. Import a file first (trial-journal import FILE --journal {path}) "
            "or open the window to start one."
        )
    backup_reason = "import" if getattr(args, "command", None) == "import" else None
    return open_journal_for_cli(path, args.passphrase_file, create, backup_reason=backup_reason)


def open_journal_for_cli(
    path: str | os.PathLike[str],
    passphrase_file: str | os.PathLike[str] | None,
    create: bool,
    *,
    backup_reason: str | None = None,
) -> Journal:
    """Open the journal for a command; returns the `Journal`. Passphrases come only from a file or "-" (stdin).

    A new journal made with a passphrase file is encrypted. With `backup_reason` (say
    "import"), an existing journal is backed up before the command changes it. The
    one-writer lock is held until `journal.close()` (or the end of the process).
    """
    path = Path(path).expanduser()
    existed = path.exists() and path.stat().st_size > 0
    access = open_access_for_cli(path, passphrase_file, create)
    journal = access.journal
    assert journal is not None  # just opened, not locked
    if backup_reason and existed:
        try:
            access.backup(backup_reason)
        except BaseException:
            access.close(backup=False)
            raise
    facade_close = journal.close

    def close_and_let_go() -> None:
        # The command holds only the Journal, so closing it must also let go of the lock.
        facade_close()
        access.journal = None
        access.close(backup=False)

    journal.close = close_and_let_go  # type: ignore[method-assign]
    return journal


def open_access_for_cli(
    path: str | os.PathLike[str],
    passphrase_file: str | os.PathLike[str] | None,
    create: bool,
    *,
    tries: WrongTries | None = None,
) -> JournalAccess:
    """Like `open_journal_for_cli` but returns the whole access (for `backup`); the caller closes it.

    Wrong passphrases are remembered across commands and slow the next one down (`tries`,
    by default the journal's own record; tests hand in one with a fake sleep).
    """
    from journal.errors import DamagedJournalError
    from journal.opening import open_journal as open_access
    from journal.safekeeping.backups import Backup
    from journal.safekeeping.wrong_tries import WrongTries

    path = Path(path).expanduser()
    passphrase = _passphrase_from_file(path, passphrase_file)
    try:
        return open_access(path, passphrase=passphrase, create=create, tries=tries or WrongTries(path))
    except DamagedJournalError as exc:
        if not isinstance(exc.backup, Backup):
            raise
        secret = " --passphrase-file PATH" if passphrase_file is not None else ""
        raise DamagedJournalError(
            f"{exc} To put it in the journal's place (the damaged file is kept in the backups folder first): "
            f"trial-journal restore {exc.backup.path.name} --journal {path}{secret}",
            exc.backup,
        ) from None


def _passphrase_from_file(path: Path, passphrase_file: str | os.PathLike[str] | None) -> str | None:
    """The passphrase in --passphrase-file, if given; a journal that needs one and got none is refused here."""
    from journal.opening import PassphraseNeededError
    from journal.safekeeping import keystore

    passphrase = keystore.read_passphrase(passphrase_file) if passphrase_file is not None else None
    if passphrase is None and keystore.is_encrypted(path):
        raise PassphraseNeededError(
            f"The journal at {path} is protected by a passphrase: give it with --passphrase-file PATH "
            "(a file holding it, or '-' to read it from standard input). Nothing was changed."
        )
    return passphrase


# --------------------------------------------------------------------------- commands


def _cmd_import(args: argparse.Namespace) -> int:
    """The one import (journal.exchange.importing): the file is read and checked whole, the journal backed up, then stored."""
    from journal.exchange.importing import read_import, store_import

    path = _journal_path(args)
    existed = path.exists()
    held_data = existed and path.stat().st_size > 0
    access = open_access_for_cli(path, args.passphrase_file, False) if existed else None
    try:
        result = read_import(args.file, access.journal if access else None)
        for warning in result.warnings:
            print(f"warning: {warning}", file=sys.stderr)
        outcome, access = _store_in(
            path, args.passphrase_file, access, existed=existed, back_up=held_data,
            store=lambda journal, backup: store_import(journal, result, backup=backup),
        )
        print(f"Imported {outcome.summary()} into {path}.")
        _warn_about_folder(path)
        return EXIT_OK
    finally:
        if access is not None:
            access.close(backup=False)


def _store_in(path: Path, passphrase_file, access, *, existed: bool, back_up: bool, store: Callable):
    """Open the journal (made now when there is none yet), then `store(journal, backup)`; returns (what it returned,
    the access, which the caller closes). A journal made here that the store then failed on is removed again."""
    if access is None:
        access = open_access_for_cli(path, passphrase_file, True)
    opened = access
    assert opened.journal is not None  # just opened, so not locked
    try:
        return store(opened.journal, (lambda: opened.backup("import")) if back_up else None), opened
    except BaseException:
        if not existed:
            opened.close(backup=False)
            _remove_new_journal(path)
        raise


def _warn_about_folder(path: Path) -> None:
    """The window's warning for a journal kept in a synced or network folder, said on the command line too."""
    from journal.files.hygiene import folder_warning

    warning = folder_warning(path.expanduser().absolute().parent)
    if warning:
        print(f"warning: the journal is in {path.expanduser().absolute().parent}. {warning}", file=sys.stderr)


def _remove_new_journal(path: Path) -> None:
    """A journal made only for an import that failed is removed, so nothing is left behind."""
    for suffix in ("", "-wal", "-shm", "-journal", ".keys", ".lock"):
        with contextlib.suppress(FileNotFoundError):
            os.remove(f"{path}{suffix}")


def _check_out(args: argparse.Namespace) -> None:
    """--out never names the journal's own files, and replaces an existing file only with --force."""
    from journal.files.own_files import refuse_journal_own_file

    out = Path(args.out).expanduser()
    refuse_journal_own_file(out, _journal_path(args))
    if (out.exists() or out.is_symlink()) and not args.force:
        what = "A folder" if out.is_dir() else "A file"
        raise JournalError(f"{what} named {out} is already there. Nothing was written: choose another name, or add --force to replace it.")


def _cmd_import_app(args: argparse.Namespace) -> int:
    """A diary of another mood app: read whole, planned against the journal (rows already held left out), then stored."""
    from journal.exchange.diaries import DiaryFileError, choices_from_maps, held_origins, plan_import, read_diary, store_plan

    try:
        source = read_diary(args.file, args.app)
    except DiaryFileError as exc:
        raise DiaryFileError(f"{args.file} was not imported: {exc}") from None
    choices, map_problems = choices_from_maps(source.app, args.map)
    path = _journal_path(args)
    existed = path.exists() and path.stat().st_size > 0
    access = open_access_for_cli(path, args.passphrase_file, False) if existed else None
    try:
        held = held_origins(access.journal.contents()) if access is not None and access.journal is not None else None
        plan = plan_import(source, choices, held)
        problems = [*map_problems, *(str(p) for p in plan.problems), *_unanswered_words(plan)]
        if problems:
            count = len(problems)
            print(f"{APP_NAME}: nothing was changed; {count} problem{'s' if count != 1 else ''} in {args.file.name} "
                  f"({plan.app_name}):", file=sys.stderr)
            for problem in problems:
                print(f"  {problem}", file=sys.stderr)
            return EXIT_PROBLEM
        _print_diary_plan(plan, done=not args.dry_run)
        if args.dry_run:
            print("Dry run: nothing was written.")
            return EXIT_OK
        if not plan.added:
            print("Nothing new to import.")
            return EXIT_OK
        stored, access = _store_in(
            path, args.passphrase_file, access, existed=existed, back_up=existed,
            store=lambda journal, backup: store_plan(journal, plan, backup=backup),
        )
        print(f"Imported {stored.count:,} {plan.app_name} {'entry' if stored.count == 1 else 'entries'} into {path}.")
        _warn_about_folder(path)
        return EXIT_OK
    finally:
        if access is not None:
            access.close(backup=False)


_SHOWN_SKIPPED = 50


def _print_diary_plan(plan, *, done: bool) -> None:
    span = f" from {plan.first.isoformat()} to {plan.last.isoformat()}" if plan.first and plan.last else ""
    print(f"{plan.app_name} file: {plan.rows:,} row{'s' if plan.rows != 1 else ''}{span}.")
    print(plan.summary(done=done) + ".")
    for s in plan.skipped[:_SHOWN_SKIPPED]:
        print(f"  skipped line {s.line}: {s.reason}")
    if len(plan.skipped) > _SHOWN_SKIPPED:
        print(f"  and {len(plan.skipped) - _SHOWN_SKIPPED:,} more skipped rows")
    for m in plan.medicines:
        named = m.drug or f"a {m.drug_class}"
        times = "once" if m.count == 1 else f"{m.count} times"
        print(f"Looks like a medicine: {m.tag!r} ({named}), {times} from {m.first.isoformat()} to {m.last.isoformat()}. "
              "It was not made a trial: add one in the window if you want it counted.")


def _unanswered_words(plan) -> list[str]:
    """Each choice the file still needs, with the --map that gives it."""
    from journal.exchange.diaries import GROUP_TARGETS, map_hint

    said: list[str] = []
    names = [q for q in plan.unanswered if q.kind == "mood_name"]
    if names:
        listed = ", ".join(f"{q.key!r} ({q.count} row{'s' if q.count != 1 else ''})" for q in names)
        maps = " ".join(f'--map "{map_hint(plan.app, q.key)}"' for q in names)
        said.append(f"these mood names have no level on the journal's 0-10 mood scale (0 worst, 10 best): {listed}. Give each one: {maps}")
    for q in plan.unanswered:
        if q.kind == "rating":
            lo, hi = q.found or (0, 0)
            said.append(f"{plan.app_name} does not say the scale of its {q.key} ratings (found {lo:g} to {hi:g}): give it, "
                        f'for example --map "{map_hint(plan.app, q.key, q.found)}"')
        elif q.kind == "group":
            results = f"{q.count} result{'s' if q.count != 1 else ''}"
            said.append(f"the group {q.key!r} ({results}) has no check-in rating: give one of {', '.join(GROUP_TARGETS)}, "
                        f'for example --map "{q.key}=mood" (note keeps it in the note only)')
        elif q.kind == "severity":
            said.append(f'the severity {q.key!r} has no level: give one, for example --map "{q.key}=LEVEL"')
    return said


def _cmd_export(args: argparse.Namespace) -> int:
    from journal.exchange.exporting import export_contents

    _check_out(args)
    with open_journal(args) as journal:
        contents = journal.contents()
    out = export_contents(contents, args.out, args.format)
    print(f"Wrote {out}. It is not encrypted: keep it somewhere private.")
    return EXIT_OK


def _cmd_assess(args: argparse.Namespace) -> int:
    from journal.clinical.assessment import assess, assessment_to_json

    _not_after_today("--as-of", args.as_of)
    with open_journal(args) as journal:
        contents = journal.contents()
    result = assess(contents, as_of=args.as_of)
    if args.json:
        print(json.dumps(assessment_to_json(result), ensure_ascii=False, indent=2))
    else:
        print(format_assessment(result))
    return EXIT_OK


def format_assessment(a) -> str:
    """The assessment as a person reads it in a terminal."""
    from journal.clinical.assessment import NOT_A_DIAGNOSIS, outcome_words, therapy_line
    from journal.clinical.verdict_words import PERSON, headline, look_up_lines, rough_dates, threshold_when, trial_name

    lines = [headline(a, PERSON), "", f"Assessed as of {a.as_of.isoformat()}."]
    if a.episode is not None:
        ep = a.episode
        ends = f" to {ep.end.isoformat()}" if ep.end else ", ongoing"
        where = " (assumed: no episode recorded)" if ep.assumed else ""
        lines.append(f"Current episode: from {ep.start.isoformat()}{ends}{where}.")
    lines += ["", a.rule, ""]
    if a.threshold_met:
        if a.threshold_date_approximate:  # never a day the person did not give
            lines.append(f"Threshold reached {threshold_when(a)} (the second failed adequate trial, remembered roughly).")
        else:
            lines.append(f"Threshold date: {a.threshold_date.isoformat()} (the second failed adequate trial).")
    lines.append(f"Failed adequate trials that count: {a.failed_adequate_count}.")
    if a.possible_count > a.failed_adequate_count:
        lines.append(f"Could count once remembered details are confirmed: {a.possible_count} in all.")
    lines.append("")
    for t in a.trials:
        tick = "counts" if t.counts else "does not count"
        adequacy = "adequate" if t.adequate else "not adequate"
        memory = ", from memory" if t.source == "memory" else ""
        lines.append(f"- {trial_name(t, a)}{memory}: {adequacy}, {outcome_words(t.outcome)}; {tick}.")
        for reason in t.reasons:
            lines.append(f"    {rough_dates(reason, t)}")
        for caveat in t.caveats:
            lines.append(f"    note: {rough_dates(caveat, t)}")
    if not a.trials:
        lines.append("No trial is recorded in this episode yet.")
    for p in a.therapies:
        lines.append(f"- {therapy_line(p)} (psychotherapy: listed, never counted).")
    look_up = look_up_lines(a)
    if look_up:
        lines += ["", "What to look up (pharmacy records, old prescriptions, a clinic letter):"]
        lines += [f"- {line}" for line in look_up]
    lines.append("")
    m = a.maudsley
    if m.score is not None:
        lines.append(f"Maudsley Staging Method score: {m.score} of 15 ({m.band}).")
    else:
        lines.append(f"Maudsley Staging Method score: incomplete (missing: {', '.join(m.missing)}).")
    if a.general_caveats:
        lines.append("")
        lines += [f"Note: {c}" for c in a.general_caveats]
    lines += ["", NOT_A_DIAGNOSIS]
    return "\n".join(lines)


def _cmd_report(args: argparse.Namespace) -> int:
    from journal.reports.pdf import build_report

    if args.start and args.end and args.start > args.end:
        raise JournalError(f"--from ({args.start}) is after --to ({args.end})")
    _not_after_today("--from", args.start)
    _not_after_today("--to", args.end)
    if args.whole_history and args.start:
        raise JournalError("--whole-history covers every record: give it or --from, not both")
    _check_out(args)
    with open_journal(args) as journal:
        contents = journal.contents()
        out = build_report(
            contents, args.out, start=args.start, end=args.end, name_style=args.name, page_size=args.page_size,
            whole_history=args.whole_history,
        )
        # the next report's questions start after this one (the journal remembers the day)
        journal.report_made(date.today())
    print(f"Wrote {out}. The PDF is not encrypted: keep it somewhere private.")
    return EXIT_OK


def _cmd_due(args: argparse.Namespace) -> int:
    """`trial-journal due`: what is due on the day, read from the journal (nothing is written)."""
    from journal.reminders import due_items

    as_of = args.as_of or date.today()
    with open_journal(args) as journal:
        contents = journal.contents()
    items = due_items(contents, as_of)
    if args.json:
        print(json.dumps([item.to_json() for item in items], ensure_ascii=False, indent=2))
    else:
        print(format_due(items, as_of))
    return EXIT_OK


_DUE_NAMES = {"checkin": "check-in", "questionnaire": "questionnaire", "appointment": "appointment", "session": "session"}


def format_due(items, as_of: date) -> str:
    """What is due as a person reads it in their own terminal: one line per item, with why (never the discreet words)."""
    if not items:
        return f"Nothing is due on {as_of.isoformat()}."
    lines = []
    for item in items:
        what = item.scale or _DUE_NAMES[item.kind]
        if item.overdue_days == 0:
            when = "due today"
        else:
            when = f"overdue since {item.due.isoformat()} ({item.overdue_days} day{'s' if item.overdue_days != 1 else ''})"
        lines.append(f"{what}: {when}: {item.why}")
    return "\n".join(lines)


def _cmd_sync(args: argparse.Namespace) -> int:
    """`trial-journal sync`: one sync through the folder, or with --join a new journal made from it (with its passphrase, if it has one)."""
    from journal.safekeeping.keystore import read_passphrase
    from journal.syncing import folder_has_changes, join_with_passphrase, sync

    path = _journal_path(args)
    folder = Path(args.folder).expanduser()
    if not folder.is_dir():
        raise JournalError(f"The sync folder {folder} is not there (or is not a folder). Nothing was changed.")
    if args.join:
        if path.exists():
            raise JournalError(f"There is a journal at {path} already; --join makes a new one. Choose another --journal PATH.")
        if not folder_has_changes(folder):
            raise JournalError(f"The folder {folder} holds no journal's change files to join. Nothing was made.")
        if args.passphrase_file is not None:
            access, outcome = join_with_passphrase(folder, path, read_passphrase(args.passphrase_file))
        else:
            outcome, access = _store_in(
                path, None, None, existed=False, back_up=False, store=lambda journal, backup: sync(journal, folder, joining=True),
            )
        access.close(backup=False)
        verb = f"Joined the journal synced through {folder} at {path}"
    else:
        if not path.exists():
            raise JournalError(
                f"There is no journal at {path}. To start this computer from a synced journal: "
                f"trial-journal sync --folder {folder} --join --journal {path}"
            )
        access = open_access_for_cli(path, args.passphrase_file, create=False)
        try:
            assert access.journal is not None  # just opened, not locked
            sealing = access.sync_sealer()
            seal, unseal = sealing if sealing is not None else (None, None)
            outcome = sync(access.journal, folder, seal=seal, unseal=unseal)
        finally:
            access.close(backup=False)
        verb = f"Synced {path} through {folder}"
    for message in outcome.skipped:
        print(f"warning: {message}", file=sys.stderr)
    print(f"{verb}. {outcome.summary()}")
    return EXIT_OK


def _cmd_backup(args: argparse.Namespace) -> int:
    """`trial-journal backup [--list]`: make a verified backup now, or list the backups."""
    from journal.safekeeping.backups import list_backups

    path = _journal_path(args)
    if args.list:
        found = list_backups(path)
        if not found:
            print(f"There are no backups of {path} yet.")
        for b in found:
            print(f"{b.path}\t{b.describe()}\t{_size_words(b.size)}")
        return EXIT_OK
    if not path.exists():
        raise JournalError(f"There is no journal at {path} to back up.")
    access = open_access_for_cli(path, args.passphrase_file, create=False)
    try:
        made = access.backup("manual")
    finally:
        access.close(backup=False)
    print(f"Backup written and checked: {made.path}")
    return EXIT_OK


def _cmd_restore(args: argparse.Namespace) -> int:
    """`trial-journal restore BACKUP`: replace the journal with a backup, keeping the current one as a backup first."""
    from journal.opening import restore_journal
    from journal.safekeeping.keystore import read_passphrase
    from journal.safekeeping.wrong_tries import WrongTries

    path = _journal_path(args)
    passphrase = read_passphrase(args.passphrase_file) if args.passphrase_file is not None else None
    safety = restore_journal(path, args.backup, passphrase=passphrase, tries=WrongTries(path))
    print(f"Restored {Path(args.backup).name} into {path}.")
    if safety is not None:
        print(f"The journal as it was is kept in {safety.path}")
    return EXIT_OK


def _size_words(size: int) -> str:
    return f"{size / 1_048_576:.1f} MB" if size >= 1_048_576 else f"{max(1, size // 1024)} KB"


WindowRunner = Callable[..., int]


def _run_window(args: argparse.Namespace, run_window: WindowRunner | None) -> int:
    if run_window is None:
        print(
            f"{APP_NAME}: the window is not part of this command; these are:\n{commands_overview()}",
            file=sys.stderr,
        )
        return EXIT_PROBLEM
    return run_window(
        journal_path=_journal_path(args) if args.journal else None,
        demo=args.demo,
        passphrase_file=args.passphrase_file,
        **({"tray": True} if args.tray else {}),
    )


COMMANDS = {
    "import": _cmd_import,
    "import-app": _cmd_import_app,
    "export": _cmd_export,
    "assess": _cmd_assess,
    "report": _cmd_report,
    "due": _cmd_due,
    "backup": _cmd_backup,
    "restore": _cmd_restore,
    "sync": _cmd_sync,
}


def _desktop_entry(args: argparse.Namespace) -> int:
    """--install-desktop-entry / --remove-desktop-entry: say each file written or removed, and any left alone."""
    from journal import desktop

    if args.command is not None:
        raise JournalError(
            "--install-desktop-entry and --remove-desktop-entry are each given alone, without a command; "
            f"got the command {args.command!r} as well. Nothing was done."
        )
    if args.install_desktop_entry:
        for path in desktop.install():
            print(f"wrote {path}")
        print("Trial Journal is in the desktop's menu (some desktops show it after you log in again).")
        return EXIT_OK
    done = desktop.remove()
    for path in done.removed:
        print(f"removed {path}")
    for path in done.not_ours:
        print(f"left {path}: it was not written by Trial Journal")
    if not done.removed:
        print("There was no Trial Journal menu entry or icon to remove.")
    return EXIT_OK


def main(argv: Sequence[str] | None = None, run_window: WindowRunner | None = None) -> int:
    """The `trial-journal` command; returns the exit status. The window, being Qt, is handed in by `ui.entry`."""
    args = build_parser().parse_args(argv)
    args.journal = getattr(args, "journal", None) or args.top_journal
    args.passphrase_file = getattr(args, "passphrase_file", None) or args.top_passphrase_file
    try:
        if args.install_desktop_entry or args.remove_desktop_entry:
            return _desktop_entry(args)
        if args.command is None:
            return _run_window(args, run_window)
        return COMMANDS[args.command](args)
    except ValidationError as exc:
        count = len(exc.problems)
        print(f"{APP_NAME}: nothing was changed; {count} problem{'s' if count != 1 else ''} found:", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return EXIT_PROBLEM
    except JournalError as exc:
        print(f"{APP_NAME}: {exc}", file=sys.stderr)
        return EXIT_PROBLEM
    except KeyboardInterrupt:
        print(f"{APP_NAME}: stopped.", file=sys.stderr)
        return 130
    except OSError as exc:
        from journal.files.atomic import os_error_words

        print(f"{APP_NAME}: {os_error_words(exc)}", file=sys.stderr)
        return EXIT_PROBLEM


if __name__ == "__main__":
    sys.exit(main())
