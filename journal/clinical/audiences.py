"""Who reads the clinical words: the person on screen or in the terminal, or the clinician reading the report.

The catalog words each dose's source for its reader, and the verdict's words are made for one;
both take the readers from here, so neither depends on the other.
"""

from __future__ import annotations

__all__ = ["PERSON", "CLINICIAN", "AUDIENCES", "check_audience"]

PERSON = "person"  # the person whose journal it is, reading the screen or the terminal
CLINICIAN = "clinician"  # the clinician reading the appointment report
AUDIENCES = (PERSON, CLINICIAN)


def check_audience(audience: str) -> None:
    """A ValueError naming the readers when `audience` is none of them."""
    if audience not in AUDIENCES:
        raise ValueError(f"audience must be one of {AUDIENCES}, got {audience!r}")
