"""Timing helpers: medians of several runs, with measured and baseline runs interleaved."""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Timing:
    """Medians (ms) of the measured code and of its baseline, with every run kept for the JSON."""

    median_ms: float
    baseline_ms: float | None = None
    runs_ms: list[float] = field(default_factory=list)
    baseline_runs_ms: list[float] = field(default_factory=list)

    @property
    def ratio(self) -> float | None:
        if self.baseline_ms is None or self.baseline_ms <= 0:
            return None
        return self.median_ms / self.baseline_ms


def _once(fn: Callable[[Any], Any], setup: Callable[[], Any] | None) -> float:
    state = setup() if setup is not None else None
    gc.collect()
    start = time.perf_counter()
    fn(state)
    return (time.perf_counter() - start) * 1000.0


def timed(
    fn: Callable[[Any], Any],
    *,
    runs: int,
    setup: Callable[[], Any] | None = None,
    baseline: Callable[[Any], Any] | None = None,
    baseline_setup: Callable[[], Any] | None = None,
    warmup: int = 1,
) -> Timing:
    """Median of `runs` timed calls of fn(setup()), baseline runs interleaved so drift hits both alike.

    `setup` (untimed) prepares each run's state, e.g. a fresh empty file to import into.
    """
    for _ in range(warmup):
        _once(fn, setup)
        if baseline is not None:
            _once(baseline, baseline_setup)
    runs_ms, base_ms = [], []
    for _ in range(runs):
        if baseline is not None:
            base_ms.append(_once(baseline, baseline_setup))
        runs_ms.append(_once(fn, setup))
    return Timing(
        median_ms=statistics.median(runs_ms),
        baseline_ms=statistics.median(base_ms) if base_ms else None,
        runs_ms=[round(x, 3) for x in runs_ms],
        baseline_runs_ms=[round(x, 3) for x in base_ms],
    )
