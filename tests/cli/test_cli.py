"""The real command refuses bad files and bad arguments with plain messages, and never harms a journal."""

from __future__ import annotations

import hashlib
import json
import os
import random
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from tests.cli.helpers import FULL, REPO, run_cli

pytestmark = pytest.mark.slow  # every test runs the command line in a new Python process


def refused(result: subprocess.CompletedProcess) -> str:
    """Asserts a plain refusal (exit 2, a message, no traceback) and gives its stderr."""
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 2, f"exit {result.returncode}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    assert result.stderr.strip(), "a refusal must say what is wrong"
    return result.stderr


def ok(result: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    assert result.returncode == 0, f"exit {result.returncode}\nstderr:\n{result.stderr}"
    assert "Traceback" not in result.stderr
    return result


def fingerprint(db: Path) -> dict[str, str]:
    """Hashes of the journal file and of its write-ahead log (if any): equal means byte-for-byte unchanged."""
    out = {}
    for suffix in ("", "-wal"):
        p = Path(f"{db}{suffix}")
        if p.exists():
            out[suffix or "db"] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def full_data() -> dict:
    return json.loads(FULL.read_text(encoding="utf-8"))


def write_json(path: Path, data) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def held_journal(tmp_path) -> Path:
    """A journal that already holds some records of its own (ids unlike the fixture's)."""
    older = {
        "format": "trial-journal",
        "version": 1,
        "episodes": [{"id": "old-e1", "start": "2018-03-01", "end": "2018-11-30", "severity": "mild"}],
        "trials": [{"id": "old-t1", "drug": "citalopram", "doses": [{"start": "2018-03-10", "mg_per_day": 20}], "end": "2018-10-01"}],
        "scores": [{"id": "old-s1", "date": "2018-03-05", "scale": "PHQ-9", "total": 14}],
        "notes": [{"id": "old-n1", "date": "2018-04-01", "text": "Felt better after six weeks."}],
    }
    db = tmp_path / "journal.db"
    ok(run_cli(tmp_path, "import", write_json(tmp_path / "older.json", older), "--journal", db))
    return db


# --------------------------------------------------------------------------- a file with many mistakes


def file_with_mistakes() -> tuple[dict, list[tuple[str, str]]]:
    """The full file with one mistake of each kind, and for each (field it names, words the message has)."""
    data = full_data()
    trials = {t["id"]: t for t in data["trials"]}
    trials["t1"]["doses"][1]["mg_per_day"] = -50  # a negative dose
    trials["t2"]["doses"][2]["start"] = "2025-03-20"  # before the step above it (2025-03-25)
    data["episodes"][0]["start"] = "2025-02-30"  # no such day
    data["labs"][0]["colour"] = "red"  # a key the format does not have
    data["sessions"][0]["treatment"] = "psilocybin"  # not an allowed treatment
    data["scores"][0]["total"] = 20  # items sum to 19
    data["entries_by"][0]["record"] = "zz9"  # no record has this id
    data["notes"][1]["id"] = "n1"  # the same id twice in notes
    data["conditions"][1]["since"] = "2026-10-20"  # after the export date 2026-10-15
    expected = [
        ("trials[t1].doses[1].mg_per_day", "greater than 0"),
        ("trials[t1].doses[1].mg_per_day", "-50"),
        ("trials[t2].doses[2].start", "2025-03-20"),
        ("episodes[e1].start", "2025-02-30"),
        ("labs[l1].colour", "unknown"),
        ("sessions[k1].treatment", "psilocybin"),
        ("scores[s1].total", "19"),
        ("entries_by[0].record", "zz9"),
        ("notes[n1].id", "unique"),
        ("conditions[c2].since", "2026-10-20"),
    ]
    return data, expected


def test_a_file_with_many_mistakes_names_each_one_and_changes_nothing(tmp_path, held_journal):
    data, expected = file_with_mistakes()
    before = fingerprint(held_journal)
    export_before = tmp_path / "before.json"
    ok(run_cli(tmp_path, "export", "--out", export_before, "--journal", held_journal))
    before = fingerprint(held_journal)  # the export itself only reads

    err = refused(run_cli(tmp_path, "import", write_json(tmp_path / "bad.json", data), "--journal", held_journal))

    lines = [ln.strip() for ln in err.splitlines()]
    for field, words in expected:
        matching = [ln for ln in lines if ln.startswith(field + ":")]
        assert matching, f"no line names {field}:\n{err}"
        assert any(words in ln for ln in matching), f"{field} does not say {words!r}:\n{err}"
    assert "nothing was changed" in err
    assert fingerprint(held_journal) == before

    # And the records it held are all still there.
    export_after = tmp_path / "after.json"
    ok(run_cli(tmp_path, "export", "--out", export_after, "--journal", held_journal))
    drop = lambda d: {k: v for k, v in d.items() if k != "exported_at"}  # noqa: E731
    assert drop(json.loads(export_after.read_text())) == drop(json.loads(export_before.read_text()))


def test_importing_the_same_file_twice_is_refused_and_changes_nothing(tmp_path):
    db = tmp_path / "journal.db"
    ok(run_cli(tmp_path, "import", FULL, "--journal", db))
    before = fingerprint(db)
    err = refused(run_cli(tmp_path, "import", FULL, "--journal", db))
    for field in ("episodes[e1].id", "trials[t1].id", "scores[s1].id", "scores[d1].id", "labs[l1].id",
                  "conditions[c1].id", "sessions[k1].id", "notes[n1].id"):
        assert any(ln.strip().startswith(field + ":") and "already" in ln for ln in err.splitlines()), f"{field}\n{err}"
    # The file does hold the records its entries_by names; saying otherwise would mislead.
    assert "does not hold" not in err, err
    assert fingerprint(db) == before


def test_a_failed_import_into_a_new_path_leaves_no_journal_behind(tmp_path):
    data, _ = file_with_mistakes()
    bad = write_json(tmp_path / "bad.json", data)
    folder = tmp_path / "journals"
    folder.mkdir()
    db = folder / "new.db"
    refused(run_cli(tmp_path, "import", bad, "--journal", db))
    assert list(folder.iterdir()) == []


def test_text_that_is_not_real_unicode_is_refused_by_name_and_leaves_no_journal(tmp_path):
    # JSON can spell a lone surrogate (\\ud800) that no journal can store as text: the file must be
    # refused naming the field, not crash half-way through making a new journal.
    text = FULL.read_text(encoding="utf-8").replace('"Woke at 4 again."', '"Woke at 4 \\ud800 again."')
    bad = tmp_path / "surrogate.json"
    bad.write_text(text, encoding="utf-8")
    folder = tmp_path / "journals"
    folder.mkdir()
    err = refused(run_cli(tmp_path, "import", bad, "--journal", folder / "new.db"))
    assert "scores[d1].note" in err, err
    assert list(folder.iterdir()) == []


def test_a_file_with_a_list_given_twice_is_refused_by_name_and_changes_nothing(tmp_path, held_journal):
    # Two "notes" lists: a plain JSON reader keeps the second and drops the first without a word.
    text = FULL.read_text(encoding="utf-8").rstrip().removesuffix("}").rstrip()
    text += ',\n  "notes": [{"id": "n9", "date": "2025-03-02", "text": "Slept better"}]\n}\n'
    bad = tmp_path / "twice.json"
    bad.write_text(text, encoding="utf-8")
    before = fingerprint(held_journal)
    err = refused(run_cli(tmp_path, "import", bad, "--journal", held_journal))
    assert any(ln.strip().startswith("notes: appears 2 times") for ln in err.splitlines()), err
    assert fingerprint(held_journal) == before


def test_an_import_of_a_good_file_into_a_journal_with_data_adds_to_it(tmp_path, held_journal):
    ok(run_cli(tmp_path, "import", FULL, "--journal", held_journal))
    out = tmp_path / "out.json"
    ok(run_cli(tmp_path, "export", "--out", out, "--journal", held_journal))
    data = json.loads(out.read_text())
    assert {t["id"] for t in data["trials"]} == {"old-t1", "t1", "t2", "t3", "t4", "t5"}
    assert {n["id"] for n in data["notes"]} == {"old-n1", "n1", "n2"}


# --------------------------------------------------------------------------- never a traceback


def _garbage(tmp_path: Path) -> Path:
    p = tmp_path / "garbage.json"
    p.write_bytes(random.Random(7).randbytes(4096))
    return p


BAD_FILES = {
    "missing": (lambda t: t / "no-such-file.json", "no-such-file.json"),
    "folder": (lambda t: t, "folder"),
    "not JSON": (lambda t: _text(t / "notjson.json", "{format: trial-journal"), "not valid JSON"),
    "binary garbage": (_garbage, "garbage.json"),
    "empty": (lambda t: _text(t / "empty.json", ""), "empty.json"),
    "a JSON array": (lambda t: _text(t / "array.json", "[1, 2, 3]"), "one JSON object"),
    "a JSON string": (lambda t: _text(t / "string.json", '"trial-journal"'), "one JSON object"),
    "newer version": (lambda t: _text(t / "v3.json", '{"format": "trial-journal", "version": 3}'), "version 3"),
    "another format": (lambda t: _text(t / "other.json", '{"format": "mood-app", "version": 1}'), "format"),
    "a 5000-digit number": (
        lambda t: _text(t / "bignum.json", '{"format": "trial-journal", "version": 1, "labs": [{"id": "l1", "date": "2025-01-01", "test": "CRP", "value": 1' + "0" * 5000 + "}]}"),
        "bignum.json",
    ),
    "a 400-digit lab value": (
        lambda t: _text(t / "big.json", '{"format": "trial-journal", "version": 1, "labs": [{"id": "l1", "date": "2025-01-01", "test": "CRP", "value": 1' + "0" * 400 + "}]}"),
        "labs[l1].value",
    ),
    "nested too deeply": (lambda t: _text(t / "deep.json", "[" * 100000 + "]" * 100000), "deep.json"),
}


def _text(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_a_bad_file_is_refused_with_a_message_naming_it(tmp_path, case):
    make, words = BAD_FILES[case]
    src = make(tmp_path)
    db = tmp_path / "journal.db"
    err = refused(run_cli(tmp_path, "import", src, "--journal", db))
    assert words in err, err
    assert len(err.strip().splitlines()) <= 4, err
    assert not db.exists()


def _damaged_journals(tmp_path: Path, good: Path) -> dict[str, Path]:
    rnd = tmp_path / "random.db"
    rnd.write_bytes(random.Random(11).randbytes(64 * 1024))
    cut = tmp_path / "truncated.db"
    data = good.read_bytes()
    cut.write_bytes(data[: len(data) // 3])
    header_only = tmp_path / "header.db"
    header_only.write_bytes(data[:100])
    text = tmp_path / "text.db"
    text.write_text("this is not a journal\n", encoding="utf-8")
    return {"random bytes": rnd, "truncated": cut, "header only": header_only, "a text file": text}


@pytest.fixture(scope="module")
def good_journal(tmp_path_factory) -> Path:
    home = tmp_path_factory.mktemp("good")
    db = home / "journal.db"
    ok(run_cli(home, "import", FULL, "--journal", db))
    return db


# Every kind of damage under one command, and the commands that write under one kind of damage.
DAMAGED_CASES = [
    *[(damage, ["assess"]) for damage in ("random bytes", "truncated", "header only", "a text file")],
    ("truncated", ["export", "--out", "OUT"]),
    ("random bytes", ["import", str(FULL)]),
]


@pytest.mark.parametrize(("damage", "command"), DAMAGED_CASES, ids=[f"{c[0]}-{d}" for d, c in DAMAGED_CASES])
def test_a_damaged_journal_is_named_and_left_as_it_was(tmp_path, good_journal, damage, command):
    db = _damaged_journals(tmp_path, good_journal)[damage]
    before = db.read_bytes()
    args = [str(tmp_path / "out.json") if a == "OUT" else a for a in command]
    err = refused(run_cli(tmp_path, *args, "--journal", db))
    assert db.name in err, err
    assert len(err.strip().splitlines()) <= 4, err
    assert db.read_bytes() == before
    assert not (tmp_path / "out.json").exists()


BAD_ARGUMENTS = {
    "unknown command": (["frobnicate"], "frobnicate"),
    "impossible --as-of": (["assess", "--as-of", "2025-13-01", "--journal", "J"], "2025-13-01"),
    "--as-of not a date": (["assess", "--as-of", "soon", "--journal", "J"], "--as-of"),
    "--as-of 30 February": (["assess", "--as-of", "2025-02-30", "--journal", "J"], "2025-02-30"),
    "unknown option": (["assess", "--colour", "--journal", "J"], "--colour"),
    "import without FILE": (["import", "--journal", "J"], "FILE"),
    "export without --out": (["export", "--journal", "J"], "--out"),
    "export in an unknown format": (["export", "--format", "xml", "--out", "x.xml", "--journal", "J"], "xml"),
    "no such journal": (["assess", "--journal", "NOJ"], "no-journal.db"),
    "a folder as journal": (["assess", "--journal", "DIR"], "folder"),
    "report --from after --to": (["report", "--out", "r.pdf", "--from", "2025-05-01", "--to", "2025-01-01", "--journal", "J"], "--from"),
}


@pytest.mark.parametrize("case", list(BAD_ARGUMENTS))
def test_bad_arguments_get_a_plain_message(tmp_path, good_journal, case):
    args, words = BAD_ARGUMENTS[case]
    (tmp_path / "dir").mkdir()
    swap = {"J": str(good_journal), "NOJ": str(tmp_path / "no-journal.db"), "DIR": str(tmp_path / "dir")}
    before = good_journal.read_bytes()
    err = refused(run_cli(tmp_path, *[swap.get(a, a) for a in args]))
    assert words in err, err
    assert len(err.strip().splitlines()) <= 5, err
    assert good_journal.read_bytes() == before
    assert not (tmp_path / "no-journal.db").exists()


def test_the_installed_entry_point_refuses_the_same_way(tmp_path):
    # `trial-journal` runs ui.entry:main, which hands the window to journal.cli; its commands
    # must behave exactly as `python -m journal.cli` does.
    env = {**os.environ, "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / ".local" / "share")}
    result = subprocess.run(
        [sys.executable, "-m", "ui.entry", "assess", "--as-of", "2025-13-01", "--journal", str(tmp_path / "j.db")],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=120,
    )
    err = refused(result)
    assert "2025-13-01" in err


def test_a_report_with_a_1300_word_appointment_note_is_written(tmp_path):
    # Once this stopped the report with a layout error: a note taller than a page.
    data = json.loads(FULL.read_text(encoding="utf-8"))
    letter = " ".join(f"word{i}" for i in range(1300))
    data["notes"].append({"id": "n-letter", "date": "2025-08-30", "text": letter, "for_appointment": True})
    db = tmp_path / "journal.db"
    ok(run_cli(tmp_path, "import", write_json(tmp_path / "letter.json", data), "--journal", db))
    out = tmp_path / "report.pdf"
    ok(run_cli(tmp_path, "report", "--out", out, "--journal", db))
    assert out.read_bytes().startswith(b"%PDF")


def test_a_report_remembers_its_day_and_the_whole_history_keeps_every_table(tmp_path):
    from pypdf import PdfReader

    from journal.opening import open_file

    db = tmp_path / "journal.db"
    ok(run_cli(tmp_path, "import", FULL, "--journal", db))
    short, whole = tmp_path / "report.pdf", tmp_path / "whole.pdf"
    ok(run_cli(tmp_path, "report", "--out", short, "--journal", db))
    ok(run_cli(tmp_path, "report", "--out", whole, "--whole-history", "--journal", db))
    with open_file(db, create=False) as journal:
        assert journal.state().last_report == date.today()
    text = " ".join(page.extract_text() for page in PdfReader(whole).pages)
    assert "Medication history, every trial" in text
    assert "Medication history, every trial" not in " ".join(page.extract_text() for page in PdfReader(short).pages)
    err = refused(run_cli(tmp_path, "report", "--out", tmp_path / "x.pdf", "--whole-history", "--from", "2025-01-01", "--journal", db))
    assert "--whole-history" in err and not (tmp_path / "x.pdf").exists()
