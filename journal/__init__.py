"""Trial Journal's core: records, storage, the drug catalog, the TRD assessment and the command line. No Qt here.

The public names, for a script or a test that wants a journal without knowing the layout:

    from journal import open_journal, Trial
    access = open_journal(path, passphrase=..., create=True)  # a JournalAccess: the journal, its lock and key
    access.journal.trials.add(Trial(...))  # access.journal is a Journal

They are found the first time they are asked for, so `import journal` (and `import journal.records`)
stays light: SQLAlchemy, the drug catalog and the file format load only when a journal is opened.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.3.0"

if TYPE_CHECKING:
    from journal.facade import Journal
    from journal.opening import JournalAccess, open_journal
    from journal.records import (
        Condition,
        DailyCheckIn,
        DoseStep,
        EntryBy,
        Episode,
        JournalContents,
        Lab,
        Note,
        Profile,
        Rating,
        ScaleScore,
        Session,
        Settings,
        SideEffect,
        Trial,
    )

__all__ = [
    "__version__",
    "Journal",
    "JournalAccess",
    "open_journal",
    "Profile",
    "Settings",
    "Episode",
    "DoseStep",
    "SideEffect",
    "Rating",
    "Trial",
    "ScaleScore",
    "DailyCheckIn",
    "Lab",
    "Condition",
    "Session",
    "Note",
    "EntryBy",
    "JournalContents",
]
# The module each public name lives in: the journal and its opening, and the records for the rest.
_HOMES: dict[str, str] = {
    name: {"Journal": "journal.facade", "JournalAccess": "journal.opening", "open_journal": "journal.opening"}.get(
        name, "journal.records"
    )
    for name in __all__
    if name != "__version__"
}


def __getattr__(name: str) -> Any:
    """The public name `name`, imported from its module the first time it is asked for."""
    home = _HOMES.get(name)
    if home is None:
        # Not ours: `from journal import storage` then imports the subpackage as usual.
        raise AttributeError(f"module 'journal' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value  # asked once: later look-ups do not come here again
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_HOMES})
