"""Several journals on one computer account: each in its own folder named by a random id, chosen at start.

Layout, under the data folder (`default_root()`):

    profiles/
      index.json            {"format": "trial-journal-profiles", "version": 1,
                             "profiles": [{"id": "3f9a2c4b1d7e8a60", "label": "Journal 1"}]}
      3f9a2c4b1d7e8a60/     journal.db, journal.db.keys, journal.db.lock, backups/
    removed/
      3f9a2c4b1d7e8a60-20261127-101500/   the final copy of a removed profile's files

The folder name says nothing about the person. The index holds only ids and the labels
people choose for the chooser; it never holds health data, and the chooser says that the
label is visible without the passphrase. Folders are 0700, files 0600.
"""

from __future__ import annotations

import builtins
import json
import os
import secrets
import shutil
import time
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from journal.errors import JournalError, JournalLockedError, NotFoundError
from journal.files.atomic import atomic_write
from journal.files.hygiene import apply_private_umask, make_private_dir
from journal.safekeeping.backups import copy_files_aside
from journal.safekeeping.keystore import is_encrypted
from journal.safekeeping.locking import JournalLock

__all__ = [
    "JOURNAL_FILENAME",
    "LABEL_MAX",
    "ProfileEntry",
    "ProfileStore",
    "default_root",
    "label_problems",
]

JOURNAL_FILENAME = "journal.db"
LABEL_MAX = 40
_FORMAT = "trial-journal-profiles"
_VERSION = 1
_ID_HEX = 16  # 64 random bits: folders never collide, and say nothing


def default_root() -> Path:
    """The person's data folder for Trial Journal (the same one the command line uses)."""
    from platformdirs import user_data_path

    return user_data_path("TrialJournal", appauthor=False, roaming=False)


@dataclass(frozen=True)
class ProfileEntry:
    """One journal in the chooser: its random id, the label shown, and where its files are."""

    id: str
    label: str
    folder: Path

    @property
    def journal_path(self) -> Path:
        return self.folder / JOURNAL_FILENAME

    @property
    def encrypted(self) -> bool:
        """Whether it needs a passphrase to open."""
        return is_encrypted(self.journal_path)

    @property
    def exists(self) -> bool:
        """Whether the journal file has been made yet (a new profile's is made when first opened)."""
        return self.journal_path.exists()


def label_problems(label: str) -> list[str]:
    """What is wrong with a profile label, in plain words; empty when it is fine."""
    text = label.strip()
    if not text:
        return ["Give the journal a name for the list, such as \"Journal 1\"."]
    if len(text) > LABEL_MAX:
        return [f"The name is {len(text)} characters long; keep it to {LABEL_MAX}."]
    if any(unicodedata.category(ch).startswith("C") for ch in text):
        return ["The name holds a control character (such as a line break); use letters, digits and spaces."]
    return []


class ProfileStore:
    """The profiles under one data folder: list, create, rename and remove them."""

    def __init__(self, root: str | os.PathLike[str] | None = None):
        self.root = Path(root) if root is not None else default_root()
        self.folder = self.root / "profiles"
        self.removed_folder = self.root / "removed"
        self._index = self.folder / "index.json"

    # -- reading -------------------------------------------------------------------------

    def list(self) -> list[ProfileEntry]:
        """Every profile, by label. A folder missing from the index still shows, so no journal is ever hidden."""
        labels = self._read_labels()
        entries = []
        try:
            folders = [p for p in self.folder.iterdir() if p.is_dir() and _is_profile_id(p.name)]
        except FileNotFoundError:
            folders = []
        for folder in folders:
            label = labels.get(folder.name) or f"Unnamed journal ({folder.name[:6]})"
            entries.append(ProfileEntry(folder.name, label, folder))
        entries.sort(key=lambda e: (e.label.casefold(), e.id))
        return entries

    def get(self, profile_id: str) -> ProfileEntry:
        for entry in self.list():
            if entry.id == profile_id:
                return entry
        raise NotFoundError(f"There is no journal with id {profile_id!r} in {self.folder}.")

    def only_journal_path(self) -> Path | None:
        """The journal file when exactly one profile exists (a default for the command line), else None."""
        entries = self.list()
        return entries[0].journal_path if len(entries) == 1 else None

    # -- changing ------------------------------------------------------------------------

    def create(self, label: str) -> ProfileEntry:
        """A new profile with its own private folder; the journal file is made when it is first opened."""
        label = self._check_label(label)
        apply_private_umask()
        with self._index_lock():
            labels = self._read_labels()
            self._refuse_duplicate(label, labels)
            make_private_dir(self.folder)
            while True:
                profile_id = secrets.token_hex(_ID_HEX // 2)
                if not (self.folder / profile_id).exists():
                    break
            folder = make_private_dir(self.folder / profile_id)
            labels[profile_id] = label
            self._write_labels(labels)
        return ProfileEntry(profile_id, label, folder)

    def rename(self, profile_id: str, label: str) -> ProfileEntry:
        """Give a profile a new label; its folder and journal stay as they are."""
        label = self._check_label(label)
        entry = self.get(profile_id)
        with self._index_lock():
            labels = self._read_labels()
            self._refuse_duplicate(label, {k: v for k, v in labels.items() if k != profile_id})
            labels[profile_id] = label
            self._write_labels(labels)
        return ProfileEntry(entry.id, label, entry.folder)

    def remove(self, profile_id: str, *, now: datetime | None = None) -> Path:
        """Remove a profile after copying its files aside; returns the folder holding that final copy.

        Refused while the journal is open anywhere. The copy needs no passphrase (the files are
        copied as they are, still encrypted) and stays until the person deletes it
        (`delete_final_copy`).
        """
        entry = self.get(profile_id)
        now = now or datetime.now(UTC)
        lock = JournalLock(entry.journal_path)
        try:
            lock.acquire()
        except JournalLockedError:
            raise JournalLockedError(
                f"\"{entry.label}\" is open in a window or program; close it there before removing it."
            ) from None
        try:
            final = self.removed_folder / f"{entry.id}-{now.astimezone(UTC):%Y%m%d-%H%M%S}"
            make_private_dir(self.removed_folder)
            copy_files_aside(entry.journal_path, final)
            backups = entry.folder / "backups"
            if backups.is_dir():
                # The backups go along with the final copy: removing a profile loses nothing yet.
                shutil.copytree(backups, final / "backups", copy_function=shutil.copy2)
            with self._index_lock():
                labels = self._read_labels()
                labels.pop(entry.id, None)
                self._write_labels(labels)
        finally:
            lock.release()
        shutil.rmtree(entry.folder)
        return final

    def final_copies(self) -> builtins.list[Path]:  # `list` here is ProfileStore.list
        """Folders holding the final copies of removed profiles, newest first."""
        try:
            found = [p for p in self.removed_folder.iterdir() if p.is_dir() and not p.name.startswith(".")]
        except FileNotFoundError:
            return []
        return sorted(found, key=lambda p: p.name.split("-", 1)[-1], reverse=True)

    def delete_final_copy(self, path: str | os.PathLike[str]) -> None:
        """Delete a removed profile's final copy for good (only folders inside `removed/`)."""
        path = Path(path)
        if path.resolve().parent != self.removed_folder.resolve() or not path.is_dir():
            raise JournalError(f"{path} is not a final copy of a removed journal; nothing was deleted.")
        shutil.rmtree(path)

    # -- the index -----------------------------------------------------------------------

    def _check_label(self, label: str) -> str:
        problems = label_problems(label)
        if problems:
            raise JournalError(problems[0])
        return label.strip()

    @staticmethod
    def _refuse_duplicate(label: str, labels: dict[str, str]) -> None:
        if any(v.casefold() == label.casefold() for v in labels.values()):
            raise JournalError(f"A journal called \"{label}\" is already in the list; choose another name.")

    def _read_labels(self) -> dict[str, str]:
        try:
            body = json.loads(self._index.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError):
            return {}  # a damaged index only loses labels: every folder still shows, unnamed
        if not isinstance(body, dict) or body.get("format") != _FORMAT:
            return {}
        labels = {}
        for item in body.get("profiles", []):
            if isinstance(item, dict) and _is_profile_id(str(item.get("id", ""))) and isinstance(item.get("label"), str):
                labels[item["id"]] = item["label"]
        return labels

    def _write_labels(self, labels: dict[str, str]) -> None:
        body = {
            "format": _FORMAT,
            "version": _VERSION,
            "profiles": [{"id": k, "label": v} for k, v in sorted(labels.items())],
        }
        make_private_dir(self.folder)
        atomic_write(self._index, (json.dumps(body, indent=1, ensure_ascii=False) + "\n").encode("utf-8"), mode=0o600)

    def _index_lock(self) -> _IndexLock:
        return _IndexLock(self.folder / "index.json")


class _IndexLock:
    """Waits (briefly) for another window that is changing the index at the same moment."""

    def __init__(self, index_path: Path):
        self._lock = JournalLock(index_path)

    def __enter__(self) -> None:
        make_private_dir(self._lock.path.parent)
        deadline = time.monotonic() + 5
        while True:
            try:
                self._lock.acquire()
                return
            except JournalLockedError:
                if time.monotonic() > deadline:
                    raise JournalLockedError(
                        "The list of journals is being changed in another window; try again in a moment."
                    ) from None
                time.sleep(0.05)

    def __exit__(self, *exc: object) -> None:
        self._lock.release()


def _is_profile_id(name: str) -> bool:
    return len(name) == _ID_HEX and all(c in "0123456789abcdef" for c in name)
