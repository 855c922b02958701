"""Whole-journal clinical cases run through the real command line: import a case file, then assess it as of a date."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # every test runs the command line in a new Python process

REPO = Path(__file__).resolve().parents[2]
CASES = REPO / "tests" / "cases"
CASE_NAMES = sorted(p.name[: -len(".expected.json")] for p in CASES.glob("*.expected.json"))

# What `assess --json` prints (spec/journal-json.md, with version 2's additions), key for key.
TOP_KEYS = {"as_of", "settings", "episode", "maudsley", "failed_adequate_count", "threshold_met", "threshold_date",
            "trials", "caveats", "possible_count", "threshold_possible", "threshold_date_approximate", "therapies"}
TRIAL_KEYS = {"id", "drug", "adequate", "longest_adequate_run_days", "adequacy_date", "outcome", "improvement_pct",
              "failure_date", "counts", "reasons", "approximate", "could_count", "to_settle"}
TRIAL_FIELDS = ("drug", "adequate", "longest_adequate_run_days", "adequacy_date", "outcome", "improvement_pct",
                "failure_date", "counts")
# Version 2's fields, checked where a case gives them (the version-1 cases were written before them).
TRIAL_FIELDS_V2 = ("approximate", "could_count", "to_settle")
TOP_FIELDS_V2 = ("possible_count", "threshold_possible", "threshold_date_approximate", "therapies")


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "journal.cli", *args], cwd=REPO, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    """Each case imported once into its own new journal (the import is what a person would do)."""
    made: dict[str, Path] = {}

    def journal_for(name: str) -> Path:
        if name not in made:
            path = tmp_path_factory.mktemp(name) / "journal.db"
            done = cli("import", str(CASES / f"{name}.json"), "--journal", str(path))
            assert done.returncode == 0, f"import of {name} failed:\n{done.stderr}"
            made[name] = path
        return made[name]

    return journal_for


def test_there_are_enough_cases():
    assert len(CASE_NAMES) >= 15


@pytest.mark.parametrize("name", CASE_NAMES)
def test_case_files_are_valid_and_dated_in_the_past(name):
    doc = json.loads((CASES / f"{name}.json").read_text())
    assert doc["format"] == "trial-journal" and doc["version"] in (1, 2)
    assert doc.get("exported_at") is None or doc["exported_at"][:10] < "2026-11-27"
    for check in json.loads((CASES / f"{name}.expected.json").read_text())["checks"]:
        assert check["as_of"] < "2026-11-27"


def _checks():
    for name in CASE_NAMES:
        for check in json.loads((CASES / f"{name}.expected.json").read_text())["checks"]:
            yield pytest.param(name, check, id=f"{name}@{check['as_of']}")


@pytest.mark.parametrize("name,expect", list(_checks()))
def test_clinical_case(name, expect, imported):
    journal = imported(name)
    done = cli("assess", "--journal", str(journal), "--as-of", expect["as_of"], "--json")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)

    assert set(out) == TOP_KEYS
    assert out["as_of"] == expect["as_of"]
    for key in ("failed_adequate_count", "threshold_met", "threshold_date", *TOP_FIELDS_V2):
        if key in expect:
            assert out[key] == expect[key], f"{key}: expected {expect[key]!r}, got {out[key]!r}"
    if "episode" in expect:
        assert {k: out["episode"][k] for k in expect["episode"]} == expect["episode"]
    if "maudsley" in expect:
        want = dict(expect["maudsley"])
        missing_include = want.pop("missing_include", [])
        assert {k: out["maudsley"][k] for k in want} == want, out["maudsley"]
        for words in missing_include:
            assert any(words in m for m in out["maudsley"]["missing"]), out["maudsley"]

    if "trials" in expect:
        # Exactly the trials of the current episode are listed.
        assert sorted(t["id"] for t in out["trials"]) == sorted(t["id"] for t in expect["trials"])
        got = {t["id"]: t for t in out["trials"]}
        for want in expect["trials"]:
            t = got[want["id"]]
            assert set(t) == TRIAL_KEYS
            wrong = {f: (want[f], t[f]) for f in (*TRIAL_FIELDS, *TRIAL_FIELDS_V2) if f in want and want[f] != t[f]}
            assert not wrong, f"trial {want['id']} (expected, got): {wrong}; reasons: {t['reasons']}"
            assert t["reasons"], f"trial {want['id']} gives no reason"
            for reason in want.get("reasons_include", []):
                assert reason in t["reasons"], f"trial {want['id']}: {reason!r} not in {t['reasons']}"

    for words in expect.get("caveats_include", []):
        assert any(words in c for c in out["caveats"]), f"{words!r} not in caveats {out['caveats']}"
    for words in expect.get("caveats_exclude", []):
        assert not any(words in c for c in out["caveats"]), f"{words!r} is in caveats {out['caveats']}"
    if "caveats_include_any" in expect:
        assert any(w in c.lower() for c in out["caveats"] for w in expect["caveats_include_any"]), out["caveats"]
