"""How long each kind of text in a journal may be: one table for the window's forms, the importer and the command line.

The limits are generous for anything a person writes by hand (a name of 200 characters, a
note of 20,000, about 3,000 words: a long letter), and keep out what only a damaged or
hostile file holds (a two-megabyte drug name), which would make the lists and the
appointment report crawl. The rules of typed records (journal.rules, which the forms, the file
reader and the command line all ask) apply them, so a form and a file are refused
alike, with a message naming the field and its limit.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["TextLimit", "NAME_LIMIT", "UNIT_LIMIT", "NOTE_LIMIT", "ID_LIMIT", "FIELD_LIMITS", "limit_for", "too_long_message"]


@dataclass(frozen=True)
class TextLimit:
    """The longest text a field may hold, and what the field is called in plain words."""

    what: str  # with its article: "a drug name"
    max_chars: int


NAME_LIMIT = 200  # a drug, side effect, test, condition or person's name
UNIT_LIMIT = 40  # a lab result's unit ("mmol/L", "ng/mL")
NOTE_LIMIT = 20_000  # free text: a note, a question for the appointment
ID_LIMIT = 200  # a record's id (the journal's own are short; another app's may be a long key)

# The field names of spec/journal-json.md that hold text, by the key the file gives them.
FIELD_LIMITS: dict[str, TextLimit] = {
    "drug": TextLimit("a drug name", NAME_LIMIT),
    "name": TextLimit("a name", NAME_LIMIT),
    "test": TextLimit("a test name", NAME_LIMIT),
    "display_name": TextLimit("a name", NAME_LIMIT),
    "author": TextLimit("a caregiver's name", NAME_LIMIT),
    "record": TextLimit("a record id", ID_LIMIT),
    "id": TextLimit("an id", ID_LIMIT),
    "unit": TextLimit("a unit", UNIT_LIMIT),
    "note": TextLimit("a note", NOTE_LIMIT),
    "text": TextLimit("a note", NOTE_LIMIT),
    # version 2: where an imported record came from
    "app": TextLimit("an app's name", NAME_LIMIT),
    "raw": TextLimit("the original values", NOTE_LIMIT),
}

_ANY_TEXT = TextLimit("this text", NOTE_LIMIT)


def limit_for(key: str) -> TextLimit:
    """The limit of the text field called `key` in the file (any other text field: the note limit)."""
    return FIELD_LIMITS.get(key, _ANY_TEXT)


def too_long_message(limit: TextLimit, length: int) -> str:
    """E.g. "is too long: a drug name may have at most 200 characters, this one has 2,000,000"."""
    return f"is too long: {limit.what} may have at most {limit.max_chars:,} characters, this one has {length:,}"
