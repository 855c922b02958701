"""Keeping one journal on two or three computers through a folder a sync tool carries: send this computer's changes, merge the others'.

A sync, in order:
1. what changed here since the last sync is found by hashing each record's journal-file JSON
   and comparing it with the digest remembered; each new or changed record gets a clock stamp,
   each record gone a deletion (a tombstone);
2. those changes are written as one change file of this computer's, whole (journal.sync);
3. every other computer's change file not read before is read, checked and its records
   validated as an imported journal file's are; a damaged, truncated, foreign or invalid file
   is skipped and named, and nothing of it is merged;
4. the merge (latest stamp wins) is stored in one transaction with what the journal remembers
   of the sync; a version that lost without its computer having seen the winner is kept in
   the journal's sync history, and counted.

Who entered a record in caregiver mode travels with each of its versions (the change's
"author") and is set with it on the other computers. Merging the same files again changes
nothing. A sync tool's conflict copy of a change file is read as an ordinary one, then removed
once it holds nothing its original does not.

Each sync also leaves this computer's manifest in the folder, `tj-<device>.seen`: the names of
the change files it has merged or written (names hold only computers' ids and stamps). When a
computer has more than COMPACT_AFTER files of its own there and every other computer known in
the folder (by a change file or a manifest) lists every one of them as seen, it writes one
snapshot change file holding the winner of every record as it holds them (deletions as
tombstones), and only once that is written whole removes its older files; a computer joining
later reads the snapshot and gets everything. A manifest that cannot be read counts as having
seen nothing, so it keeps every file.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from journal import records as r
from journal.errors import JournalError, ValidationError
from journal.exchange.jsonfile import FORMAT_NAME, contents_to_json, parse_contents, record_to_json
from journal.facade import Journal
from journal.files.atomic import atomic_write
from journal.files.hygiene import make_private_dir
from journal.kinds import KIND_NAMES, KINDS
from journal.opening import JournalAccess, open_journal
from journal.rules import storable_problems
from journal.safekeeping import folder_key, keystore
from journal.sync import (
    Change,
    ChangeFileError,
    Clock,
    MergeResult,
    Stamp,
    decode,
    encode,
    file_name,
    merge,
    new_device_id,
    parse_file_name,
    parse_stamp,
)
from journal.sync import write_change_file as _write_change_file
from journal.sync.hlc import DEVICE_PATTERN
from journal.sync.merge import Key

__all__ = [
    "SyncOutcome", "sync", "sync_history", "folder_has_changes", "join_with_passphrase", "NEEDS_KEY", "sync_folder", "set_sync_folder",
    "COMPACT_AFTER", "manifest_name",
]

# How many change files of its own a computer leaves in the folder before it compacts them into one snapshot.
COMPACT_AFTER = 20
_MANIFEST = re.compile(rf"tj-({DEVICE_PATTERN})\.seen")

NEEDS_KEY = (
    "This journal has a passphrase, so its changes are synced sealed with its key: open it with its passphrase to sync. "
    "Nothing was written to the folder and nothing in the journal changed."
)

Seal = Callable[[bytes], bytes]


@dataclass(frozen=True)
class SyncOutcome:
    """What one sync did: changes sent from here, records changed here from elsewhere, records changed on two computers, files skipped."""

    sent: int
    received: int
    conflicts: int
    skipped: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """The outcome in a person's words, e.g. 'Sent 3 changes; received 2; 1 record was changed on both computers ...'."""
        parts = [f"Sent {self.sent} change{'s' if self.sent != 1 else ''}", f"received {self.received}"]
        text = "; ".join(parts) + "."
        if self.conflicts:
            were = "record was" if self.conflicts == 1 else "records were"
            text += f" {self.conflicts} {were} changed on both computers; the earlier versions are kept."
        if self.skipped:
            one = len(self.skipped) == 1
            text += f" {len(self.skipped)} file{'' if one else 's'} in the folder could not be read and {'was' if one else 'were'} skipped."
        return text


def _digest(data: Mapping[str, Any] | None, author: str | None = None) -> str:
    """A record version's fingerprint; who entered it (caregiver mode) is part of it, so a new author is a change to send."""
    text = json.dumps(data if author is None else [data, author], sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _settings_json(settings: r.Settings) -> dict[str, Any]:
    return contents_to_json(r.JournalContents(settings=settings))["settings"]


def _profile_json(profile: r.Profile) -> dict[str, Any]:
    return {"display_name": profile.display_name, "birth_year": profile.birth_year}


def _snapshot(contents: r.JournalContents) -> dict[Key, dict[str, Any]]:
    """Every record the journal holds, and its settings and profile, as the journal file writes them."""
    found: dict[Key, dict[str, Any]] = {}
    for kind in KIND_NAMES:
        for record in getattr(contents, kind):
            found[(kind, record.id)] = record_to_json(record)
    found[("settings", "settings")] = _settings_json(contents.settings)
    found[("profile", "profile")] = _profile_json(contents.profile)
    return found


def _authors(contents: r.JournalContents) -> dict[str, str]:
    """Who entered each record that its owner did not (caregiver mode), by record id."""
    return {entry.record: entry.author for entry in contents.entries_by}


def _stored_records(state: Mapping[str, Any]) -> dict[Key, dict[str, Any]]:
    return {(kind, rid): entry for kind, by_id in state.get("records", {}).items() for rid, entry in by_id.items()}


def _entry(change: Change, digest: str | None) -> dict[str, Any]:
    return {
        "stamp": str(change.stamp),
        "base": None if change.base is None else str(change.base),
        "deleted": change.deleted,
        "digest": digest,
    }


def _local_changes(
    snapshot: Mapping[Key, dict[str, Any]], stored: Mapping[Key, dict[str, Any]], clock: Clock, authors: Mapping[str, str] | None = None
) -> list[Change]:
    """This computer's changes since the last sync: new or changed records stamped now, records gone as deletions."""
    changes = []
    untouched = {("settings", "settings"): _settings_json(r.Settings()), ("profile", "profile"): _profile_json(r.Profile())}
    for key, data in snapshot.items():
        was = stored.get(key)
        if was is None and untouched.get(key) == data:
            continue  # settings or a profile never changed from the defaults are nothing typed: they never win over another's
        author = _author_of(key, authors)
        if was is None or was["deleted"] or was["digest"] != _digest(data, author):
            base = None if was is None else parse_stamp(was["stamp"])
            changes.append(Change(key[0], key[1], clock.tick(), data, base, author))
    for key, was in stored.items():
        if key not in snapshot and not was["deleted"]:
            changes.append(Change(key[0], key[1], clock.tick(), None, parse_stamp(was["stamp"])))
    return changes


def _author_of(key: Key, authors: Mapping[str, str] | None) -> str | None:
    return None if authors is None or key[0] not in KINDS else authors.get(key[1])


def _current(
    snapshot: Mapping[Key, dict[str, Any]], stored: Mapping[Key, dict[str, Any]], authors: Mapping[str, str] | None = None
) -> dict[Key, Change]:
    """The journal's winners as the merge sees them: each record's remembered stamp with the version (and author) the journal holds."""
    current = {}
    for key, was in stored.items():
        base = None if was.get("base") is None else parse_stamp(was["base"])
        gone = was["deleted"]
        data, author = (None, None) if gone else (snapshot.get(key), _author_of(key, authors))
        current[key] = Change(key[0], key[1], parse_stamp(was["stamp"]), data, base, author)
    return current


# ------------------------------------------------------------------ reading the others' files


@dataclass
class _Read:
    """One other computer's file, checked: its changes and, for each version it carries, the record it becomes."""

    name: str
    digest: str
    changes: tuple[Change, ...]
    built: dict[tuple[Key, Stamp], Any]
    snapshot: bool = False


def _file_lists() -> dict[str, str]:
    return {kind: KINDS[kind].file_list for kind in KIND_NAMES}


def _build(changes: tuple[Change, ...], name: str) -> dict[tuple[Key, Stamp], Any]:
    """The record (or settings, or profile) each version in a file becomes, validated as a journal file's; a problem refuses the file."""
    built: dict[tuple[Key, Stamp], Any] = {}
    lists = _file_lists()
    rounds: list[list[Change]] = []  # a record changed twice in one file is read in a second round, so no id is given twice
    for change in changes:
        if change.data is None:
            continue
        if change.author is not None and storable_problems(change.author):
            raise ChangeFileError(f"The change file {name} names who entered a {change.kind} in a way the journal cannot hold.")
        for batch in rounds:
            if all(c.key != change.key for c in batch):
                batch.append(change)
                break
        else:
            rounds.append([change])
    for batch in rounds:
        data: dict[str, Any] = {"format": FORMAT_NAME, "version": 2}
        for change in batch:
            if change.kind in lists:
                data.setdefault(lists[change.kind], []).append(dict(change.data or {}))
            else:
                data[change.kind] = dict(change.data or {})
        try:
            result = parse_contents(data)
        except ValidationError as exc:
            shown = "; ".join(str(p) for p in exc.problems[:3])
            raise ChangeFileError(f"The change file {name} holds a record the journal cannot take: {shown}.") from None
        by_key: dict[Key, Any] = {(kind, rec.id): rec for kind in KIND_NAMES for rec in getattr(result.contents, kind)}
        by_key[("settings", "settings")] = r.replace(r.Settings(), **result.settings_changes)
        by_key[("profile", "profile")] = result.contents.profile
        for change in batch:
            if change.key not in by_key:
                raise ChangeFileError(f"The change file {name} holds a {change.kind} change whose record does not match its kind.")
            built[(change.key, change.stamp)] = by_key[change.key]
    return built


def _read_others(folder: Path, device: str, files_read: Mapping[str, str], unseal: Seal | None) -> tuple[list[_Read], list[str]]:
    """The other computers' change files not read before, each checked whole; and a message for each that was skipped."""
    read: list[_Read] = []
    skipped: list[str] = []
    for path in sorted(folder.iterdir()):
        name = path.name
        if not path.is_file() or name.startswith("."):
            continue  # the sync tool's own folders and files (.stfolder, .stversions, temporary names)
        parsed = parse_file_name(name)
        if parsed is None:
            if name.endswith(".tjsync"):
                skipped.append(f"The file {name} in the sync folder is not named as a change file; it was skipped.")
            continue  # anything else the person keeps there is theirs
        if parsed.device == device and not parsed.conflict_copy:
            continue  # this computer's own files; a sync tool's copy of one is read, in case it differs
        try:
            data = path.read_bytes()
        except OSError as exc:
            skipped.append(f"The change file {name} could not be read ({exc.strerror or exc}); it was skipped.")
            continue
        digest = hashlib.sha256(data).hexdigest()
        if files_read.get(name) == digest:
            continue
        try:
            change_file = decode(data, unseal=unseal, name=name)
            if change_file.device != parsed.device:
                raise ChangeFileError(f"The change file {name} says it was written by another computer than its name does.")
            built = _build(change_file.changes, name)
        except ChangeFileError as exc:
            skipped.append(f"{exc} It was skipped; nothing of it was merged.")
            continue
        read.append(_Read(name, digest, change_file.changes, built, change_file.snapshot))
    return read, skipped


def _own_unrecorded(folder: Path, device: str, clock: Clock, unseal: Seal | None) -> list[Change]:
    """This computer's changes in its own files made after the last sync it stored: what a sync cut off (kill -9, power)
    between writing its file and storing its state had sent. Unreadable ones are passed over (the others skip them too)."""
    last = clock.last
    found: list[Change] = []
    for path in sorted(folder.glob(f"tj-{device}-*.tjsync")):
        parsed = parse_file_name(path.name)
        if parsed is None or parsed.device != device or parsed.conflict_copy or (last is not None and parsed.last <= last):
            continue
        try:
            found += decode(path.read_bytes(), unseal=unseal, name=path.name).changes
        except (ChangeFileError, OSError):
            continue
    return found


def _remove_own_leftovers(folder: Path, device: str) -> None:
    """Remove what a sync of this computer's left half-written when it was cut off (the temporary '.tj-<device>-....part' files).

    A change file is written under a temporary name and renamed when whole; only one sync of a
    journal runs at a time, so such a file of this computer's is one a killed sync left behind.
    """
    for path in [*folder.glob(f".tj-{device}-*.part"), *folder.glob(f".{manifest_name(device)}.*.part")]:
        with contextlib.suppress(OSError):
            path.unlink()


def _tidy_conflict_copies(folder: Path, unseal: Seal | None) -> None:
    """Remove the sync tools' conflict copies that hold nothing their original does not, once the sync is stored.

    A copy (`*.sync-conflict-*`, `* (conflicted copy) *`, `*(1).tjsync`) is nearly always the
    same file twice, and then every computer gets its changes from the original. A copy that
    holds a change its original does not (two journals that share a computer's id, say) is
    kept: every computer reads it as an ordinary change file, and removing it could take that
    change from a computer that has not read it yet. A copy or original that cannot be read is
    left as it is.
    """
    for path in sorted(folder.iterdir()):
        parsed = parse_file_name(path.name)
        if parsed is None or not parsed.conflict_copy:
            continue
        original = folder / file_name(parsed.device, parsed.first, parsed.last)
        try:
            copy = decode(path.read_bytes(), unseal=unseal, name=path.name)
            held = decode(original.read_bytes(), unseal=unseal, name=original.name)
        except (OSError, ChangeFileError):
            continue
        if copy.device == held.device and set(copy.changes) <= set(held.changes):
            with contextlib.suppress(OSError):  # a read-only folder or a file the sync tool holds: tried again next sync
                path.unlink(missing_ok=True)


# --------------------------------------------------------------------- manifests and compaction


def manifest_name(device: str) -> str:
    """The name of a computer's manifest in the sync folder, e.g. 'tj-3f9a2c41.seen': the change files it has merged or written."""
    return f"tj-{device}.seen"


def _is_own(name: str, device: str) -> bool:
    """Whether `name` is one of this computer's change files (not a sync tool's copy of one)."""
    parsed = parse_file_name(name)
    return parsed is not None and parsed.device == device and not parsed.conflict_copy


def _write_manifest(folder: Path, device: str, files_read: Mapping[str, str]) -> None:
    """Say in the folder which change files there this computer holds: its own, and the others' it has merged (after they are stored).

    Written whole under a temporary name and renamed; a folder that cannot take it keeps the
    old one (or none), which only keeps the other computers from compacting.
    """
    present = set(os.listdir(folder))
    own = {name for name in present if _is_own(name, device)}
    seen = sorted(own | (set(files_read) & present))
    data = json.dumps({"device": device, "seen": seen}, indent=0, separators=(",", ":")).encode("utf-8") + b"\n"
    with contextlib.suppress(OSError):  # CannotWriteError is one too: a read-only or full folder
        atomic_write(folder / manifest_name(device), data)


def _read_manifest(path: Path, device: str) -> set[str] | None:
    """The file names another computer's manifest lists as seen, or None when it cannot be read or is not that computer's."""
    try:
        value = json.loads(path.read_bytes().decode("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    if not isinstance(value, dict) or value.get("device") != device:
        return None
    seen = value.get("seen")
    if not isinstance(seen, list) or not all(isinstance(name, str) for name in seen):
        return None
    return set(seen)


def _compactable(folder: Path, device: str, compact_after: int) -> list[str]:
    """This computer's change files a snapshot may take the place of: all of them, when there are more than `compact_after`
    and every other computer known in the folder (by a change file or a manifest) has a manifest listing each; otherwise none."""
    own: list[str] = []
    others: set[str] = set()
    manifests: dict[str, Path] = {}
    for name in os.listdir(folder):
        parsed = parse_file_name(name)
        if parsed is not None:
            if parsed.device != device:
                others.add(parsed.device)
            elif not parsed.conflict_copy:
                own.append(name)
            continue
        found = _MANIFEST.fullmatch(name)
        if found is not None and found.group(1) != device:
            others.add(found.group(1))
            manifests[found.group(1)] = folder / name
    if len(own) <= compact_after:
        return []
    for other in others:
        seen = _read_manifest(manifests[other], other) if other in manifests else None
        if seen is None or not seen.issuperset(own):
            return []
    return sorted(own)


def _compact(folder: Path, device: str, older: list[str], winners: Mapping[Key, Change], stamp: Stamp, seal: Seal | None) -> None:
    """Write one snapshot of every record's winner (each with its own stamp, base and author), then remove `older`, this computer's files.

    `stamp` is one this computer's clock made for the snapshot's name (and the journal keeps),
    so no later change file of its own can take that name. If the snapshot cannot be written
    whole, nothing is removed.
    """
    changes = sorted(winners.values(), key=lambda change: change.stamp)
    if not changes:
        return
    name = file_name(device, min(changes[0].stamp, stamp), stamp)
    try:
        _write_change_file(folder, name, encode(changes, device=device, seal=seal, snapshot=True))
    except OSError:  # a full or read-only folder: the older files stay, and compaction is tried again next sync
        return
    for old in older:
        if old != name:
            with contextlib.suppress(OSError):
                (folder / old).unlink(missing_ok=True)


def _drop_snapshot_losers(result: MergeResult, read: list[_Read], current: Mapping[Key, Change]) -> None:
    """Take out of the versions listed as lost those that come only from a snapshot and were not this journal's own.

    A snapshot carries versions every computer known when it was written had merged already
    (and listed then if they lost unseen), or that are in their own computer's file too; read
    again, one overtaken since would be listed as changed on both computers when it was not.
    """
    snapshot_only = {c.stamp for f in read if f.snapshot for c in f.changes} - {c.stamp for f in read if not f.snapshot for c in f.changes}
    if not snapshot_only:
        return
    result.superseded = [
        (loser, winner)
        for loser, winner in result.superseded
        if loser.stamp not in snapshot_only or (loser.key in current and current[loser.key].stamp == loser.stamp)
    ]


# ------------------------------------------------------------------------------------ the sync


def _check_places(journal: Journal, folder: Path) -> None:
    if not folder.is_dir():
        raise JournalError(f"The sync folder {folder} is not there (or is not a folder). Nothing was changed.")
    held = Path(journal.path).resolve().parent
    if held == folder.resolve() or folder.resolve() in held.parents:
        raise JournalError(
            f"The sync folder {folder} holds the journal itself; a sync tool would damage it. "
            "Choose a folder of its own. Nothing was changed."
        )


def _check_sealing(journal: Journal, folder: Path, seal: Seal | None, unseal: Seal | None, joining: bool) -> None:
    """An encrypted journal syncs sealed, through a folder holding its own key header; a plain one never through a sealed folder."""
    if keystore.is_encrypted(journal.path):
        if seal is None or unseal is None:
            raise JournalError(NEEDS_KEY)
        folder_key.share_header(journal.path, folder)
        return
    if seal is not None or unseal is not None:
        raise JournalError("This journal has no passphrase, so there is no key to seal its changes with. Nothing was changed.")
    folder_key.refuse_if_sealed(folder, joining=joining)


def sync(  # long: the four steps of a sync (the module's docstring) read best in one place
    journal: Journal,
    folder: Path,
    *,
    seal: Seal | None = None,
    unseal: Seal | None = None,
    now: Callable[[], float] | None = None,
    joining: bool = False,
    compact_after: int = COMPACT_AFTER,
) -> SyncOutcome:
    """Sync the journal through `folder`: write this computer's changes there, merge every other computer's.

    `joining`: the journal was made just now to join the journal in the folder; it sends
    nothing of its own (its empty settings would otherwise win over the folder's). A journal
    with a passphrase needs `seal` and `unseal` (journal.sync.sealer of its data key; refused
    with NEEDS_KEY without them): its key header goes into the folder, and a folder of another
    journal, or of one without a passphrase, is refused; a journal without one is never given them.
    `compact_after`: how many change files of its own this computer leaves in the folder before
    it compacts them (the module's docstring says when it may).
    """
    folder = Path(folder)
    _check_places(journal, folder)
    _check_sealing(journal, folder, seal, unseal, joining)
    state = dict(journal.sync_state())
    device = state.get("device") or new_device_id()
    _remove_own_leftovers(folder, device)
    clock = Clock(device, now or time.time, start=parse_stamp(state["clock"]) if state.get("clock") else None)
    stored = _stored_records(state)
    for change in _own_unrecorded(folder, device, clock, unseal):
        # sent by a sync cut off before it stored what it sent: known now, so a later edit or deletion of it is sent too
        stored[change.key] = _entry(change, None if change.data is None else _digest(change.data, change.author))
        clock.observe(change.stamp)
    contents = journal.contents()
    snapshot, authors = _snapshot(contents), _authors(contents)

    local = [] if joining else _local_changes(snapshot, stored, clock, authors)
    if local:
        data = encode(local, device=device, seal=seal)
        _write_change_file(folder, file_name(device, local[0].stamp, local[-1].stamp), data)
    entries = dict(stored)
    for change in local:
        entries[change.key] = _entry(change, None if change.data is None else _digest(change.data, change.author))
    current = _current(snapshot, entries, authors)

    files_read = dict(state.get("files", {}))
    read, skipped = _read_others(folder, device, files_read, unseal)
    history = list(state.get("history", []))
    kept = {parse_stamp(h["stamp"]) for h in history}
    result = merge(current, (c for f in read for c in f.changes), already_kept=kept)
    _drop_snapshot_losers(result, read, current)
    for f in read:
        for change in f.changes:
            clock.observe(change.stamp)
        files_read[f.name] = f.digest
    built = {key: value for f in read for key, value in f.built.items()}

    upserts: dict[str, list[Any]] = {}
    deletes: dict[str, list[str]] = {}
    settings: r.Settings | None = None
    profile: r.Profile | None = None
    record_authors: dict[str, str | None] = {}
    for winner in result.replaced:
        kind, rid = winner.key
        if winner.deleted:
            if kind in KINDS:
                deletes.setdefault(kind, []).append(rid)
            entries[winner.key] = _entry(winner, None)
            continue
        value = built[(winner.key, winner.stamp)]
        if kind == "settings":
            settings, digest = value, _digest(_settings_json(value))
        elif kind == "profile":
            profile, digest = value, _digest(_profile_json(value))
        else:
            upserts.setdefault(kind, []).append(value)
            record_authors[rid] = winner.author
            digest = _digest(record_to_json(value), winner.author)
        entries[winner.key] = _entry(winner, digest)
    for loser, winner in result.superseded:
        kept_version = {"kind": loser.kind, "id": loser.record_id, "stamp": str(loser.stamp), "data": dict(loser.data or {})}
        if loser.author is not None:
            kept_version["author"] = loser.author
        history.append({**kept_version, "lost_to": str(winner.stamp)})

    # a sync that sent changes has a file no other computer has seen yet, so only a sync that sent none may compact
    older = [] if local or joining else _compactable(folder, device, compact_after)
    snapshot_stamp = clock.tick() if older else None  # taken before the clock is kept, so no later file of this computer's takes its name
    records: dict[str, dict[str, Any]] = {}
    for (kind, rid), entry in entries.items():
        records.setdefault(kind, {})[rid] = entry
    last = None if clock.last is None else str(clock.last)
    # what else the journal keeps with its sync (the window's folder) stays as it was
    new_state = {**state, "device": device, "clock": last, "records": records, "files": files_read, "history": history}
    journal.apply_sync(upserts, deletes, settings, profile, sync_state=new_state, authors=record_authors)
    _tidy_conflict_copies(folder, unseal)
    if snapshot_stamp is not None:
        _compact(folder, device, older, result.winners, snapshot_stamp, seal)
    _write_manifest(folder, device, files_read)
    return SyncOutcome(sent=len(local), received=len(result.replaced), conflicts=result.conflicts, skipped=skipped)


def sync_history(journal: Journal) -> list[dict[str, Any]]:
    """The versions that lost a merge without their computer having seen the winner, oldest first: nothing typed is lost."""
    return list(journal.sync_state().get("history", []))


def folder_has_changes(folder: Path) -> bool:
    """Whether the folder holds any change file (what joining a synced journal starts from)."""
    return any(parse_file_name(name) is not None for name in os.listdir(folder))


def sync_folder(journal: Journal) -> Path | None:
    """The folder the window syncs this journal through, kept in the journal itself (never in the window's settings)."""
    folder = journal.sync_state().get("folder")
    return Path(folder) if isinstance(folder, str) and folder else None


def set_sync_folder(journal: Journal, folder: Path | None) -> None:
    """Keep (or, with None, forget) the folder the window syncs this journal through; what was synced stays known."""
    state = dict(journal.sync_state())
    if folder is None:
        state.pop("folder", None)
    else:
        _check_places(journal, Path(folder))
        state["folder"] = str(Path(folder).expanduser().resolve())
    journal.write_sync_state(state)


def join_with_passphrase(
    folder: Path, path: Path, passphrase: str, *, now: Callable[[], float] | None = None
) -> tuple[JournalAccess, SyncOutcome]:
    """Make a new journal at `path` from the folder of a journal with a passphrase, and fill it; the caller closes the access.

    The folder's key header (tj-key.json) is opened with the passphrase and the new journal gets
    that header and that data key, so it opens with the same passphrase (and recovery code) and
    reads the other computers' sealed files. A journal already at `path` or a wrong passphrase
    is refused; if anything fails, nothing is left at `path`.
    """
    folder, path = Path(folder), Path(path).expanduser().absolute()
    if path.exists() or keystore.is_encrypted(path):
        raise JournalError(f"There is a journal at {path} already; joining makes a new one. Choose another place. Nothing was changed.")
    if not path.parent.exists():
        make_private_dir(path.parent)
    key = folder_key.join_header(folder, path, passphrase)  # a wrong passphrase stops here, with nothing made
    access: JournalAccess | None = None
    try:
        access = open_journal(path, key=key, create=True)
        sealing = access.sync_sealer()
        assert sealing is not None and access.journal is not None  # just made with a key
        outcome = sync(access.journal, folder, seal=sealing[0], unseal=sealing[1], now=now, joining=True)
    except BaseException:
        if access is not None:
            access.close(backup=False)
        for suffix in ("", "-wal", "-shm", "-journal", keystore.KEYFILE_SUFFIX, ".lock"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        raise
    return access, outcome
