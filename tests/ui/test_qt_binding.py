"""The installed Qt binding keeps Python's books straight: a broken release crashes the window at random, long after the cause."""

import sys


def test_calls_into_qt_do_not_use_up_references_to_none(qapp):
    # PySide6 6.12.0 drops one reference to None on every call that returns nothing; after a few
    # hours of use (or one test run) Python then aborts with "none_dealloc" or "bool_dealloc".
    # pyproject.toml excludes that release; this says so plainly if another one does the same.
    before = sys.getrefcount(None)
    for _ in range(2_000):
        qapp.processEvents()
    lost = before - sys.getrefcount(None)
    assert lost < 200, f"the Qt binding lost {lost} references to None in 2,000 calls: exclude this PySide6 release"
