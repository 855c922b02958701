"""Storage: the schema is described once, and SQL is written only in journal/storage/ and the migrations."""

from __future__ import annotations

import io
import json
import re
import tokenize
from datetime import date, datetime, time
from pathlib import Path

import pytest

from journal import records as r
from journal.kinds import KINDS
from journal.storage import rows as rw
from journal.storage import tables as tb

REPO = Path(__file__).resolve().parents[2]
# Where SQL may be written: the storage package and the schema's migration scripts.
SQL_HOMES = (REPO / "journal" / "storage", REPO / "journal" / "migrations")
# SQL still sent from elsewhere, to move into journal/storage/ (each file named, so the list only shrinks).
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
        for line, text in _sql_strings(p)
    ]
    assert found == [], "SQL belongs in journal/storage/ (a function there the caller uses):\n" + "\n".join(found)


def test_the_search_for_sql_finds_what_it_looks_for(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        'a = f"SELECT {x} FROM t"\nb = sql.replace("INSERT", "INSERT OR REPLACE")\nc = "A plain sentence."\n', encoding="utf-8"
    )
    assert [line for line, _text in _sql_strings(sample)] == [1, 2, 2]


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
        r.DailyCheckIn(id="d3", date=date(2025, 1, 4), mood=6, time=time(7, 5), origin=r.Origin("Daylio", "mood=good")),
    ]
    rows = tb.ROWS["checkins"]
    assert rows.many is not None and rows.values is not None
    assert rows.many(checkins) == [rows.values(c) for c in checkins]
    assert rows.many(checkins)[1][1] == "2025-01-03"
    assert rows.from_rows([row[: len(rows.read)] for row in rows.many(checkins)]) == [
        r.replace(checkins[1], date=date(2025, 1, 3)) if c.id == "d2" else c for c in checkins
    ]
    assert rows.many(checkins)[2][-3:] == ("07:05", "Daylio", "mood=good")


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
            rw._items(text)
    else:
        assert rw._items(text) == expected


def test_the_statements_are_compiled_once_and_read_the_tables_columns():
    from journal.storage import store

    first = store._select("checkins", True, False, False)
    assert store._select("checkins", True, False, False) is first
    assert first.names == ("start",)
    assert store._insert("profile", replace=True).sql.startswith("INSERT OR REPLACE INTO profile ")


def test_the_generated_statements_are_the_ones_the_tables_compile_to_now():
    # The Core tables are the one description of the schema: after changing them (or a statement
    # in journal/storage/statements.py), run `python -m journal.storage.statements`.
    from journal.storage import statements

    assert statements.COMPILED_PATH.read_text(encoding="utf-8") == statements.render(), (
        "journal/storage/compiled.py is out of date: run `python -m journal.storage.statements`"
    )


def test_every_generated_statement_is_one_the_store_sends_and_reads_the_columns_it_converts():
    from journal.storage import compiled, statements, store

    assert set(compiled.STATEMENTS) == {key for key, _ in statements.every_statement()}
    for name, kind in tb.STORED.items():
        sql = store._select(name, False, False, False).sql
        assert sql.startswith("SELECT " + ", ".join(f"{name}.{c}" if c != "end" else f'{name}."end"' for c in kind.rows.read))
        if kind.sort_here:
            assert compiled.SORT_COLUMNS[name] == tuple(kind.rows.read.index(c) for c in KINDS[name].order)
        else:
            assert name not in compiled.SORT_COLUMNS
    for name, rows in tb.ROWS.items():
        assert rows.from_rows is rw.CONVERT[name].from_rows and rows.values is rw.CONVERT[name].values, name


_USE_WITHOUT_SQLALCHEMY = """
import sys
from datetime import date
from journal.opening import open_journal
from journal.records import JournalContents, Note, Profile
with open_journal(sys.argv[1]) as access:
    journal = access.journal
    contents = journal.contents()
    for kind in ("episodes", "trials", "scores", "checkins", "labs", "conditions", "sessions", "notes"):
        manager = getattr(journal, kind)
        manager.list(), manager.list(date(2025, 1, 1), date(2025, 12, 31)), manager.count()
    journal.counts(), journal.ids(), journal.notes.get("n1")
    added = journal.notes.add(Note(id="", date=date(2025, 1, 2), text="more"), author="Sam").record
    journal.notes.update(Note(id=added.id, date=date(2025, 1, 3), text="more, edited"))
    journal.set_author(added.id, None)
    journal.update_settings(adequate_weeks=8)
    journal.set_profile(Profile(display_name="Alex"))
    journal.import_contents(JournalContents(notes=(Note(id="n2", date=date(2025, 1, 4), text="imported"),)))
    journal.notes.delete("n2")
    assert [n.text for n in journal.contents().notes] == ["kept", "more, edited"]
print(" ".join(sorted(name for name in sys.modules if name.split(".")[0] in ("sqlalchemy", "alembic"))))
"""


@pytest.mark.parametrize("key", [None, b"k" * 32], ids=["plain", "encrypted"])
def test_opening_reading_and_writing_a_journal_that_is_up_to_date_never_loads_sqlalchemy(tmp_path, key):
    # SQLAlchemy is about 25 MB and a wait at every start: only building a new file and upgrading
    # an older one need it; everything else runs on the database driver (journal.storage.connection).
    import subprocess
    import sys

    from journal.opening import open_file

    path = tmp_path / "j.db"
    with open_file(path, key=key) as journal:
        journal.notes.add(r.Note(id="n1", date=date(2025, 1, 1), text="kept"))
    script = _USE_WITHOUT_SQLALCHEMY
    if key is not None:  # the key at hand, as the window has it once the passphrase is checked
        script = script.replace("open_journal(sys.argv[1])", f"open_journal(sys.argv[1], key={key!r})")
    done = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""


@pytest.mark.parametrize("key", [None, b"k" * 32], ids=["plain", "encrypted"])
def test_every_connection_of_an_open_journal_is_set_up_for_safety_and_privacy(tmp_path, key):
    from journal.opening import open_file

    with open_file(tmp_path / "j.db", key=key) as journal:
        assert journal._database is not None
        with journal._database.connect() as conn:
            driver = conn.driver()
            assert driver.execute("PRAGMA secure_delete").fetchone()[0] == 1
            assert driver.execute("PRAGMA temp_store").fetchone()[0] == 2  # memory
            assert driver.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            assert driver.execute("PRAGMA synchronous").fetchone()[0] == 2  # full
            assert driver.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_what_an_action_has_not_committed_is_rolled_back_and_its_connection_kept_for_the_next(tmp_path):
    from journal.opening import open_file
    from journal.storage import store

    with open_file(tmp_path / "j.db") as journal:
        database = journal._database
        assert database is not None
        with database.connect() as conn:
            store.insert_records(conn, "notes", [r.Note(id="n1", date=date(2025, 1, 1), text="not kept")])
            first = conn.driver()
        assert journal.counts()["notes"] == 0
        with database.connect() as conn:
            assert conn.driver() is first and conn.driver().in_transaction
        database.dispose()
        with database.connect() as conn:
            assert conn.driver() is not first
