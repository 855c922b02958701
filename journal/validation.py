"""Checks one record from a form by the same rules the importer applies to a file."""

from __future__ import annotations

from datetime import date
from typing import Any

from journal.errors import Problem
from journal.exchange.jsonfile import record_problems


def validate_record(kind: str, record: Any, *, today: date | None = None) -> list[Problem]:
    """Every problem with `record`, each naming its field relative to the record (e.g. `doses[1].mg_per_day`)."""
    return record_problems(kind, record, today=today)[0]


def warnings_for(kind: str, record: Any, *, today: date | None = None) -> list[str]:
    """What is allowed but worth a confirmation, e.g. a dose above the catalog's typical maximum."""
    return record_problems(kind, record, today=today)[1]
