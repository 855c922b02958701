"""File hygiene: private modes for everything the journal writes, and a warning for synced or network folders."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path, PurePath

__all__ = [
    "PRIVATE_DIR_MODE",
    "PRIVATE_FILE_MODE",
    "apply_private_umask",
    "make_private_dir",
    "make_private_file",
    "make_private",
    "fsync_dir",
    "folder_warning",
    "synced_service",
    "network_filesystem",
    "SYNCED_FOLDER_NAMES",
    "NETWORK_FILESYSTEMS",
]

PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600
_POSIX = os.name == "posix"

# Folder names that sync clients create by default; matched against each part of the path,
# case-insensitively. A person can rename these folders, so this is a best effort warning.
SYNCED_FOLDER_NAMES: dict[str, str] = {
    "dropbox": "Dropbox",
    "onedrive": "OneDrive",
    "icloud drive": "iCloud Drive",
    "iclouddrive": "iCloud Drive",
    "mobile documents": "iCloud Drive",
    "com~apple~clouddocs": "iCloud Drive",
    "google drive": "Google Drive",
    "googledrive": "Google Drive",
    "my drive": "Google Drive",
    "nextcloud": "Nextcloud",
    "owncloud": "ownCloud",
    "syncthing": "Syncthing",
    "box sync": "Box",
    "pcloud drive": "pCloud",
    "mega": "MEGA",
    "megasync": "MEGA",
}
# Markers a sync client leaves in the root of a folder it syncs, whatever the folder is called.
_SYNC_MARKERS: dict[str, str] = {
    ".stfolder": "Syncthing",
    ".dropbox": "Dropbox",
    ".dropbox.cache": "Dropbox",
    ".sync": "Resilio Sync",
}
# Filesystem types from /proc/mounts that live on another machine: SQLite's locking is not
# reliable there, and the file leaves this computer.
NETWORK_FILESYSTEMS: frozenset[str] = frozenset(
    {
        "nfs", "nfs4", "cifs", "smb", "smb2", "smb3", "smbfs", "ncpfs", "afs", "9p",
        "ceph", "glusterfs", "lustre", "gfs2", "ocfs2", "davfs", "fuse.sshfs", "sshfs",
        "fuse.rclone", "fuse.s3fs", "fuse.gcsfuse", "fuse.davfs2", "fuse.glusterfs",
        "fuse.cephfs", "fuse.onedriver", "fuse.google-drive-ocamlfuse", "fuse.dropbox",
    }
)


def apply_private_umask() -> int:
    """Make every file and folder this process creates private to the user (umask 077); returns the old mask."""
    return os.umask(0o077)


def make_private_dir(path: str | os.PathLike[str]) -> Path:
    """Create `path` (and missing parents) as 0700 folders; an existing folder is tightened to 0700."""
    path = Path(path)
    missing: list[Path] = []
    p = path
    while not p.exists():
        missing.append(p)
        if p.parent == p:
            break
        p = p.parent
    for folder in reversed(missing):
        with contextlib.suppress(FileExistsError):
            folder.mkdir(mode=PRIVATE_DIR_MODE)
        _chmod(folder, PRIVATE_DIR_MODE)
    _chmod(path, PRIVATE_DIR_MODE)
    return path


def make_private_file(path: str | os.PathLike[str]) -> Path:
    """Create `path` empty with mode 0600 if it does not exist; tighten it to 0600 if it does."""
    path = Path(path)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE)
        os.close(fd)
    except FileExistsError:
        pass
    _chmod(path, PRIVATE_FILE_MODE)
    return path


def make_private(path: str | os.PathLike[str]) -> None:
    """Tighten an existing file to 0600 or folder to 0700 (files SQLite made, say); missing paths are ignored."""
    path = Path(path)
    try:
        mode = PRIVATE_DIR_MODE if path.is_dir() else PRIVATE_FILE_MODE
        _chmod(path, mode)
    except FileNotFoundError:
        pass


def fsync_dir(path: str | os.PathLike[str]) -> None:
    """Flush a folder's entries to disk, so a rename inside it survives a power cut."""
    if not _POSIX:
        return  # Windows has no directory handles to flush; its renames are journalled by NTFS.
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_file(path: str | os.PathLike[str]) -> None:
    """Flush a file's contents to disk (for a file written and closed elsewhere, e.g. by SQLite)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def synced_service(path: str | os.PathLike[str]) -> str | None:
    """The sync service (Dropbox, OneDrive, iCloud Drive, ...) whose folder holds `path`, or None."""
    pure = PurePath(os.path.abspath(os.fspath(path)))
    for part in pure.parts:
        name = part.lower()
        if name in SYNCED_FOLDER_NAMES:
            return SYNCED_FOLDER_NAMES[name]
        # OneDrive for business folders are called "OneDrive - Company name".
        if name.startswith("onedrive -") or name.startswith("onedrive-"):
            return "OneDrive"
        if name.startswith("dropbox (") or name.startswith("google drive ("):
            return SYNCED_FOLDER_NAMES[name.split(" (")[0]]
    folder = Path(pure)
    for parent in (folder, *folder.parents):
        for marker, service in _SYNC_MARKERS.items():
            try:
                if (parent / marker).exists():
                    return service
            except OSError:
                continue
    return None


def _read_mounts(mounts_file: str | os.PathLike[str]) -> list[tuple[str, str]]:
    """(mount point, filesystem type) pairs from a /proc/mounts style file; empty where there is none."""
    try:
        text = Path(mounts_file).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    mounts = []
    for line in text.splitlines():
        fields = line.split()
        if len(fields) >= 3:
            mounts.append((_unescape_mount(fields[1]), fields[2]))
    return mounts


def _unescape_mount(text: str) -> str:
    # /proc/mounts writes space, tab, newline and backslash as three-digit octal escapes.
    for code in ("040", "011", "012", "134"):
        text = text.replace("\\" + code, chr(int(code, 8)))
    return text


def network_filesystem(path: str | os.PathLike[str], mounts_file: str | os.PathLike[str] = "/proc/mounts") -> str | None:
    """The network filesystem type (nfs, cifs, sshfs, ...) that `path` lies on, or None."""
    target = os.path.realpath(os.fspath(path))
    best_point, best_type = "", ""
    for point, fstype in _read_mounts(mounts_file):
        inside = target == point or target.startswith(point.rstrip("/") + "/") or point == "/"
        if inside and len(point) >= len(best_point):
            best_point, best_type = point, fstype
    if best_type in NETWORK_FILESYSTEMS or best_type.startswith("fuse.sshfs"):
        return best_type
    return None


def folder_warning(path: str | os.PathLike[str], mounts_file: str | os.PathLike[str] = "/proc/mounts") -> str | None:
    """A plain warning when `path` is in a synced or network folder, or None when the place looks local."""
    service = synced_service(path)
    if service:
        return (
            f"This folder looks like it is synced by {service}. A journal kept there is copied to other "
            "computers and can be damaged when two copies change at once. Keep the journal in a local "
            "folder and export a copy when you need one."
        )
    fstype = network_filesystem(path, mounts_file)
    if fstype:
        return (
            f"This folder is on a network drive ({fstype}). The journal can be damaged there if the "
            "connection drops, and the file leaves this computer. Keep the journal in a local folder."
        )
    return None


def _chmod(path: Path, mode: int) -> None:
    if _POSIX:
        os.chmod(path, mode)
