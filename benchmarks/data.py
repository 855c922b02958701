"""The benchmark journals: 1, 5 and 20 years of made-up data, as a JSON file and as an imported journal."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from journal.synthetic import synthetic_journal

SEED = 1


@dataclass
class BenchJournal:
    """One size of benchmark journal and the files made from it."""

    years: int
    data: dict
    json_path: Path
    db_path: Path
    counts: dict[str, int]


def make_journal(years: int, folder: Path, *, end: date | None = None) -> BenchJournal:
    """Writes the JSON file and imports it into a new journal the way `trial-journal import` does."""
    from journal.exchange.jsonfile import load_file
    from journal.facade import Journal

    data = synthetic_journal(years, seed=SEED, end=end)
    json_path = folder / f"journal-{years}y.json"
    json_path.write_text(json.dumps(data), encoding="utf-8")
    db_path = folder / f"journal-{years}y.db"
    result = load_file(json_path)
    with Journal.open(db_path) as journal:
        journal.import_contents(result.contents, result.settings_changes, validated=True)
    counts = {name: len(data.get(name, [])) for name in ("episodes", "trials", "scores", "labs", "conditions", "sessions", "notes")}
    return BenchJournal(years=years, data=data, json_path=json_path, db_path=db_path, counts=counts)


def table_rows(db_path: Path) -> tuple[list[str], dict[str, tuple[list[str], list[tuple]]]]:
    """The schema (CREATE statements) and every row of every table, read with plain sqlite3."""
    con = sqlite3.connect(db_path)
    try:
        schema = [sql for (sql,) in con.execute(
            "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' "
            "ORDER BY CASE type WHEN 'table' THEN 0 ELSE 1 END, name")]
        tables = [name for (name,) in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        rows = {}
        for name in tables:
            cur = con.execute(f'SELECT * FROM "{name}"')
            rows[name] = ([d[0] for d in cur.description], cur.fetchall())
        return schema, rows
    finally:
        con.close()
