"""Keeping one journal on two or three computers through a shared folder: the clock, the merge and the change files (no storage, no Qt)."""

from journal.sync.changefile import (
    ChangeFile,
    ChangeFileError,
    ChangeFileName,
    decode,
    encode,
    file_name,
    parse_file_name,
    write_change_file,
)
from journal.sync.hlc import Clock, Stamp, new_device_id, parse_stamp
from journal.sync.merge import CHANGE_KINDS, Change, MergeResult, merge
from journal.sync.sealing import sealer

__all__ = [
    "CHANGE_KINDS",
    "Change",
    "ChangeFile",
    "ChangeFileError",
    "ChangeFileName",
    "Clock",
    "MergeResult",
    "Stamp",
    "decode",
    "encode",
    "file_name",
    "merge",
    "new_device_id",
    "parse_file_name",
    "parse_stamp",
    "sealer",
    "write_change_file",
]
