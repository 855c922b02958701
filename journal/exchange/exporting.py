"""Exporting a journal: the one way the window and the command line write the journal out to a file.

Three forms, each written atomically (a failure leaves any earlier file as it was) and readable
by the owner only: the journal JSON file (spec/journal-json.md, always version 2, which imports back whole), CSV
tables for a spreadsheet, and a FHIR R4 bundle for another health app. None of them is
encrypted, which the caller says to the person.
"""

from __future__ import annotations

import os
from pathlib import Path

from journal.exchange.exports import write_csv, write_fhir
from journal.exchange.jsonfile import dumps
from journal.files.atomic import atomic_write
from journal.records import JournalContents

__all__ = ["EXPORT_FORMATS", "export_contents"]

EXPORT_FORMATS = ("json", "csv", "fhir")


def export_contents(contents: JournalContents, out: str | os.PathLike[str], export_format: str = "json") -> Path:
    """Writes the journal's contents to `out` in `export_format`; returns where it was written.

    JournalError (naming the file and why) when it cannot be written; nothing else changes.
    """
    if export_format == "json":
        return atomic_write(Path(out), dumps(contents).encode("utf-8"))
    if export_format == "csv":
        return write_csv(contents, out)
    if export_format == "fhir":
        return write_fhir(contents, out)
    raise ValueError(f"unknown export format {export_format!r} (the formats are {', '.join(EXPORT_FORMATS)})")
