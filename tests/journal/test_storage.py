"""Storage: the schema is described once, and SQL is written only in journal/storage/ and the migrations."""

from __future__ import annotations

import io
import json
import re
import tokenize
from datetime import date, datetime
from pathlib import Path

import pytest

from journal import records as r
from journal.kinds import KINDS
from journal.storage import tables as tb

REPO = Path(__file__).resolve().parents[2]
# Where SQL may be written: the storage package and the schema's migration scripts.
SQL_HOMES = (REPO / "journal" / "storage", REPO / "journal" / "migrations")
# SQL still sent from elsewhere, to move into journal/storage/ (each file named, so the list only shrinks).
NOT_YET_MOVED = {
    "journal/safekeeping/backups.py",  # VACUUM INTO, integrity and foreign key checks, the schema version
    "journal/safekeeping/rekey.py",  # the cipher's log level and the WAL checkpoint before a new key
}
_SQL_START = re.compile(
    r"^[rRbBuUfF]*(\"\"\"|'''|\"|')\s*"
    r"(SELECT|INSERT|UPDATE|DELETE|REPLACE|CREATE|DROP|ALTER|PRAGMA|ATTACH|DETACH|VACUUM|BEGIN|COMMIT|ROLLBACK|SAVEPOINT|WITH)\b"
)
_SQL_ANYWHERE = re.compile(r"\b(INSERT OR REPLACE|INSERT INTO|DELETE FROM|SELECT \S+ FROM|CREATE TABLE)\b")


def _sql_strings(path: Path) -> list[tuple[int, str]]:
    """The string literals in the file at `path` that read as SQL, with their line numbers."""
    found = []
    for token in tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline):
        if token.type == tokenize.STRING and (_SQL_START.match(token.string) or _SQL_ANYWHERE.search(token.string)):
            found.append((token.start[0], token.string[:60]))
    return found


def test_no_sql_is_written_outside_journal_storage_and_the_migrations():
    sources = [p for folder in ("journal", "ui") for p in sorted((REPO / folder).rglob("*.py"))]
    elsewhere = [p for p in sources if not any(home in p.parents for home in SQL_HOMES)]
    assert len(elsewhere) > 20  # the search looked at the code, not at an empty folder
    found = [
        f"{p.relative_to(REPO)}:{line}: {text}"
        for p in elsewhere
        if str(p.relative_to(REPO)) not in NOT_YET_MOVED
        for line, text in _sql_strings(p)
    ]
    assert found == [], "SQL belongs in journal/storage/ (a function there the caller uses):\n" + "\n".join(found)


def test_the_search_for_sql_finds_what_it_looks_for(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        'a = f"SELECT {x} FROM t"\nb = sql.replace("INSERT", "INSERT OR REPLACE")\nc = "A plain sentence."\n', encoding="utf-8"
    )
    assert [line for line, _text in _sql_strings(sample)] == [1, 2, 2]


def test_the_files_not_yet_moved_still_hold_sql():
    # When one is moved, take it off NOT_YET_MOVED so the check covers it from then on.
    for name in NOT_YET_MOVED:
        assert _sql_strings(REPO / name), f"{name} holds no SQL any more: take it off NOT_YET_MOVED"


def test_every_record_kind_has_its_table_and_every_table_its_rows():
    assert set(tb.STORED) == set(KINDS)
    for name, stored in tb.STORED.items():
        assert stored.table.name == name
        assert (stored.span, stored.since, stored.day).count(None) == 2, f"{name}: one way to match a date range"
        if stored.sort_here:
            assert set(KINDS[name].order) <= set(stored.rows.read), f"{name} is sorted by columns it reads"


def test_many_check_ins_are_written_exactly_as_one_at_a_time():
    checkins = [
        r.DailyCheckIn(id="d1", date=date(2025, 1, 2), mood=3, anxiety=None, hours_slept=7.5, note="ok"),
        r.DailyCheckIn(id="d2", date=datetime(2025, 1, 3, 22, 0), pain=0),  # a datetime keeps only its date
    ]
    rows = tb.ROWS["checkins"]
    assert rows.many is not None and rows.values is not None
    assert rows.many(checkins) == [rows.values(c) for c in checkins]
    assert rows.many(checkins)[1][1] == "2025-01-03"


@pytest.mark.parametrize("items", [(), (0,), (1, 2, 3, 0, 1, 2, 3, 0, 3), (10, 0), (-1, 2)])
def test_a_scores_answers_read_back_exactly_as_written(items):
    rows = tb.ROWS["scores"]
    assert rows.values is not None
    score = r.ScaleScore(id="s1", date=date(2025, 1, 2), scale="PHQ-9", total=sum(items), items=items, difficulty=1)
    assert rows.from_rows([rows.values(score)]) == [score]
    assert rows.values(score)[4] == json.dumps(list(items))  # the stored form every release has written


@pytest.mark.parametrize("text", ["[1,2]", "[ 1, 2 ]", "[1, 2, ]", "[\u00b2]", "[1.0, 2]"])
def test_answers_stored_in_any_other_form_are_read_by_the_json_parser(text):
    try:
        expected = tuple(json.loads(text))
    except ValueError:
        with pytest.raises(ValueError):
            tb._items(text)
    else:
        assert tb._items(text) == expected


def test_the_statements_are_compiled_once_and_read_the_tables_columns():
    from journal.storage import store

    first = store._select("checkins", True, False, False)
    assert store._select("checkins", True, False, False) is first
    assert first.names == ("start",)
    assert store._insert("profile", replace=True).sql.startswith("INSERT OR REPLACE INTO profile ")
