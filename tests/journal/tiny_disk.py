"""A very small real filesystem (tmpfs) for full-disk tests: writes past its size fail with "no space left"."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


@contextmanager
def tiny_disk(mount_point: Path, size: str = "64k") -> Iterator[Path]:
    """Mount a `size` tmpfs at `mount_point` for the block; skips the test where mounting is not allowed."""
    mount_point.mkdir(parents=True, exist_ok=True)
    try:
        subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(mount_point)],
            check=True, capture_output=True,
        )
    except (OSError, subprocess.CalledProcessError) as exc:
        pytest.skip(f"cannot mount a small tmpfs here ({exc}); the simulated full-disk tests still run")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False, capture_output=True)
