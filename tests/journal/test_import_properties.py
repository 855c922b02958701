"""Thousands of damaged journal files: each is read whole or refused with named problems, and never half-imported."""

from __future__ import annotations

import copy
import json
import re
import shutil
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from journal.errors import JournalError, ValidationError
from journal.exchange.jsonfile import ImportResult, contents_to_json, dumps, parse_contents
from journal.records import EntryBy, replace
from journal.rules import episode_order_problems

FULL = Path(__file__).resolve().parents[1] / "fixtures" / "full_journal.json"
VALID: dict = json.loads(FULL.read_text(encoding="utf-8"))
# Version 2: every field version 2 adds (partial dates, doses not remembered, therapies, times, origins, reminders).
VALID_V2: dict = json.loads((FULL.parent / "full_journal_v2.json").read_text(encoding="utf-8"))
TODAY = date(2026, 11, 27)
# Late enough for anything `parse_contents(today=TODAY)` accepts (an export may be dated up to a day ahead).
REWRITE_AT = datetime(2026, 11, 28, 23, 0, tzinfo=UTC)

RECORD_LISTS = ("episodes", "trials", "scores", "labs", "conditions", "sessions", "notes", "therapies")

# --------------------------------------------------------------------------- strategies

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**20), max_value=10**20)
    | st.integers(min_value=-3, max_value=30)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
    | st.sampled_from(["", " ", "2025-02-30", "1899-12-31", "1900-01-01", "2026-11-28", "2099-01-01", "2025-01-01",
                       "2019-03", "2019", "1899", "2019-13", "2019-3", "07:30", "24:00", "memory", "cbt", "induction",
                       "2025-05-02T09:30:00", "2025-05-02T09:30:00+02:00", "PHQ-9", "daily", "esketamine", "t1", "s1",
                       "none", "good", "sertraline", "Zoloft", "Woke at 4 \ud800 again"])
    # Beyond what a float holds: JSON allows it, so a file may carry it.
    | st.sampled_from([10**400, -(10**400), 2**63, -(2**63) - 1])
)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=8,
)


def paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    """Every place in a JSON value, as a tuple of keys and indexes (the root is ())."""
    out = [prefix]
    if isinstance(node, dict):
        for k, v in node.items():
            out += paths(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += paths(v, prefix + (i,))
    return out


def get(node: Any, path: tuple) -> Any:
    for step in path:
        node = node[step]
    return node


@st.composite
def mutated_files(draw, valid: dict = VALID) -> Any:
    """The full fixture with one to four mistakes: any value replaced, a key deleted or added, dose dates shuffled."""
    data = copy.deepcopy(valid)
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        action = draw(st.sampled_from(["replace", "replace", "delete", "add", "shuffle_doses", "duplicate"]))
        every = paths(data)
        if action == "replace":
            where = draw(st.sampled_from(every))
            if where == ():
                data = draw(json_values)
                continue
            get(data, where[:-1])[where[-1]] = draw(json_values)
        elif action == "delete":
            keyed = [p for p in every if p and isinstance(get(data, p[:-1]), dict)]
            if keyed:
                where = draw(st.sampled_from(keyed))
                del get(data, where[:-1])[where[-1]]
        elif action == "add":
            dicts = [p for p in every if isinstance(get(data, p), dict)]
            if dicts:
                target = get(data, draw(st.sampled_from(dicts)))
                target[draw(st.text(min_size=1, max_size=10))] = draw(json_values)
        elif action == "shuffle_doses":
            trials = data.get("trials") if isinstance(data, dict) else None
            if isinstance(trials, list) and trials and isinstance(trials[0], dict):
                t = draw(st.sampled_from([t for t in trials if isinstance(t, dict)] or [{}]))
                doses = t.get("doses")
                if isinstance(doses, list) and all(isinstance(d, dict) and "start" in d for d in doses):
                    starts = draw(st.permutations([d["start"] for d in doses]))
                    for d, s in zip(doses, starts, strict=False):
                        d["start"] = s
        elif action == "duplicate":
            lists = [p for p in every if isinstance(get(data, p), list) and get(data, p)]
            if lists:
                target = get(data, draw(st.sampled_from(lists)))
                target.append(copy.deepcopy(draw(st.sampled_from(target))))
        if not isinstance(data, dict):
            break
    return data


# --------------------------------------------------------------------------- naming a real place


def names_a_real_place(data: Any, field: str) -> bool:
    """True if `field` (e.g. `trials[t3].doses[1].mg_per_day`) leads into `data`, its last key perhaps missing."""
    return _resolves(data, field, top=True)


_PLAIN_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _resolves(node: Any, rest: str, top: bool) -> bool:
    if rest == "":
        return True
    if isinstance(node, dict):
        if not top:
            if not rest.startswith("."):
                return False
            rest = rest[1:]
        for key in node:
            inside = rest == key or rest.startswith(key + ".") or rest.startswith(key + "[")
            if inside and _resolves(node[key], rest[len(key):], top=False):
                return True
        # A required key that is missing is named where it should have been.
        return bool(_PLAIN_NAME.fullmatch(rest))
    if isinstance(node, list):
        for i, item in enumerate(node):
            labels = [f"#{i + 1}", str(i)]
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                labels.append(item["id"])
            for label in labels:
                head = f"[{label}]"
                if rest.startswith(head) and _resolves(item, rest[len(head):], top=False):
                    return True
        return False
    return False


def check_outcome(data: Any) -> ImportResult | None:
    """parse_contents either reads the file or refuses it with well-named problems; nothing else."""
    try:
        result = parse_contents(data, today=TODAY)
    except ValidationError as exc:
        assert exc.problems, "a refusal with no problem listed"
        for p in exc.problems:
            assert isinstance(p.field, str) and isinstance(p.message, str)
            assert p.message.strip(), f"empty message for {p.field!r}"
            if p.field == "":
                assert not isinstance(data, dict), f"a whole-file problem for a file that is an object: {p.message}"
            else:
                assert names_a_real_place(data, p.field), f"{p.field!r} names no place in the file ({p.message})"
        return None
    assert isinstance(result, ImportResult)
    assert all(isinstance(w, str) and w for w in result.warnings)
    return result


# --------------------------------------------------------------------------- reading


def test_the_fixture_itself_is_accepted():
    assert check_outcome(copy.deepcopy(VALID)) is not None


def test_the_place_finder_finds_and_refuses():
    # The checker of field names must itself be able to say no.
    assert names_a_real_place(VALID, "trials[t1].doses[1].mg_per_day")
    assert names_a_real_place(VALID, "scores[s1].items[8]")
    assert names_a_real_place(VALID, "entries_by[0].record")
    assert names_a_real_place(VALID, "trials[t1].rating.date")
    assert names_a_real_place(VALID, "episodes[e1].colour")  # a missing key at the end
    assert not names_a_real_place(VALID, "trials[t9].doses[0].start")
    assert not names_a_real_place(VALID, "trials[t1].dose[1].mg_per_day")
    assert not names_a_real_place(VALID, ".doses[1].mg_per_day")
    assert not names_a_real_place(VALID, "trials[t1]..doses[1]")


def _with_score(score: dict) -> dict:
    data = copy.deepcopy(VALID)
    data["scores"].append(score)
    return data


# Once failed at random: a GAD-7 with id "0" on s1's date was written before s1 and read back in that order.
SAME_DAY_AS_S1 = _with_score({"id": "0", "date": VALID["scores"][0]["date"], "scale": "GAD-7", "total": 0})


def _reversed_lists(data: dict) -> dict:
    data = copy.deepcopy(data)
    for name in (*RECORD_LISTS, "entries_by"):
        if isinstance(data.get(name), list):
            data[name].reverse()
    return data


def check_round_trip(result: ImportResult, data: Any) -> None:
    """Whatever is accepted is written and read back unchanged, in any record order, to the same text.

    But for one thing: a version-1 file may hold episodes that overlap (read as before), which
    version 2, the one written, refuses; the written file is then refused naming exactly those.
    """
    written = contents_to_json(result.contents, REWRITE_AT)
    overlaps = episode_order_problems(result.contents.episodes, lambda e: f"episodes[{e.id}]")
    if overlaps:
        assert data.get("version") == 1, "a version-2 file with overlapping episodes was accepted"
        with pytest.raises(ValidationError) as caught:
            parse_contents(written, today=TODAY)
        assert caught.value.problems == overlaps
        return
    again = parse_contents(written, today=TODAY)
    assert again.contents == result.contents
    assert dumps(again.contents, REWRITE_AT) == dumps(result.contents, REWRITE_AT)
    # The order of the records in the file does not change what is read.
    assert parse_contents(_reversed_lists(data), today=TODAY).contents == result.contents
    assert parse_contents(_reversed_lists(written), today=TODAY).contents == result.contents


@pytest.mark.slow
@settings(max_examples=1200, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(mutated_files())
@example(SAME_DAY_AS_S1)
def test_a_mutated_file_is_read_or_refused_with_named_problems(data):
    result = check_outcome(data)
    if result is not None:
        check_round_trip(result, data)


@pytest.mark.slow
@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(mutated_files(VALID_V2))
def test_a_mutated_version_2_file_is_read_or_refused_with_named_problems(data):
    result = check_outcome(data)
    if result is not None:
        check_round_trip(result, data)


def test_the_version_2_fixture_itself_is_accepted_and_comes_back_the_same():
    result = check_outcome(copy.deepcopy(VALID_V2))
    assert result is not None and result.contents.therapies
    check_round_trip(result, VALID_V2)


def test_a_score_sharing_a_day_with_another_survives_the_round_trip():
    result = check_outcome(copy.deepcopy(SAME_DAY_AS_S1))
    assert result is not None
    check_round_trip(result, SAME_DAY_AS_S1)
    day = VALID["scores"][0]["date"]
    assert [s.id for s in result.contents.scores if s.date.isoformat() == day][:2] == ["0", "s1"]


# --------------------------------------------------------------------------- what an accepted file shows


def shows_everywhere(result: ImportResult) -> None:
    """An accepted file makes a report and fills the window's lists and the exports, none of them failing."""
    from journal.clinical.assessment import assess
    from journal.exchange.exports import csv_tables, fhir_bundle
    from journal.records import Settings
    from journal.reports.pdf import report_bytes
    from ui.tables import COLUMNS, _Context

    contents = replace(result.contents, settings=replace(Settings(), **result.settings_changes))
    pdf = report_bytes(contents, today=TODAY, name_style="full")
    assert pdf.startswith(b"%PDF")
    verdicts = {v.id: v for v in assess(contents, contents.settings, TODAY).trials}
    ctx = _Context(verdicts, None, {e.record: e.author for e in contents.entries_by})
    for kind, columns in COLUMNS.items():
        for record in getattr(contents, kind):
            for column in columns:
                assert isinstance(column.text(record, ctx), str)
                if column.sort is not None:
                    column.sort(record, ctx)
    assert set(csv_tables(contents))
    json.dumps(fhir_bundle(contents, timestamp=REWRITE_AT))


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(mutated_files())
def test_every_accepted_file_makes_a_report_and_fills_the_lists(data):
    result = check_outcome(data)
    event("accepted" if result is not None else "refused")
    if result is not None:
        shows_everywhere(result)


# Text as people and other apps write it: markup characters, several lines, scripts, no spaces for long stretches.
texts = st.one_of(
    st.text(max_size=60),
    st.sampled_from(["<b>bold</b> & <br/> more", "line one\nline two\n\nline four", "Zoë Ζωή Жукова 日本語", "\t \u200b\u00ad"]),
    st.builds(lambda word, n: " ".join([word] * n), st.sampled_from(["appointment", "w", "x" * 199]), st.integers(1, 1800)),
    st.builds(lambda ch, n: ch * n, st.sampled_from(["x", "W", "\u0301", "-"]), st.integers(1, 20_000)),
)
TEXT_FIELDS = {"drug": 200, "name": 200, "test": 200, "display_name": 200, "author": 200, "unit": 40, "note": 20_000, "text": 20_000}


@st.composite
def files_with_odd_text(draw) -> dict:
    """The full fixture with some of its text fields replaced by odd but allowed text."""
    data = copy.deepcopy(VALID)
    places = [p for p in paths(data) if p and p[-1] in TEXT_FIELDS and isinstance(get(data, p), str)]
    for where in draw(st.lists(st.sampled_from(places), min_size=1, max_size=8, unique=True)):
        text = draw(texts)[: TEXT_FIELDS[where[-1]]]
        if where[-1] not in ("note", "unit") and not text.strip():
            text = "x" + text
        get(data, where[:-1])[where[-1]] = text
    return data


@pytest.mark.slow
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(files_with_odd_text())
def test_long_and_odd_text_within_the_limits_makes_a_report_and_fills_the_lists(data):
    result = check_outcome(data)
    assert result is not None, "text within its limits was refused"
    shows_everywhere(result)


@pytest.mark.slow
@settings(max_examples=800, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(json_values)
def test_any_json_value_is_read_or_refused_with_named_problems(data):
    check_outcome(data)


@pytest.mark.slow
@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from([*RECORD_LISTS, "format", "version", "exported_at", "profile", "settings", "entries_by", "x"]),
                       json_values, max_size=6), st.sampled_from([1, 2]))
def test_a_file_of_random_parts_is_read_or_refused_with_named_problems(parts, version):
    data = {"format": "trial-journal", "version": version, **parts}
    check_outcome(data)


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(list(range(9))), min_size=0, max_size=9), st.integers(min_value=-5, max_value=40), st.booleans())
def test_questionnaire_items_and_total(items, total, give_total):
    score = {"id": "s1", "date": "2025-01-08", "scale": "PHQ-9", "items": [min(i, 3) for i in items]}
    if give_total:
        score["total"] = total
    result = check_outcome({"format": "trial-journal", "version": 1, "scores": [score]})
    if result is not None:
        (kept,) = result.contents.scores
        assert len(kept.items) == 9 and kept.total == sum(kept.items)


# --------------------------------------------------------------------------- storing: all or nothing


@pytest.fixture(scope="module")
def template_journal(tmp_path_factory) -> Path:
    """A journal already holding the full fixture, closed, to be copied for each example."""
    from journal.opening import open_file

    path = tmp_path_factory.mktemp("template") / "journal.db"
    journal = open_file(path)
    try:
        result = parse_contents(copy.deepcopy(VALID), today=TODAY)
        journal.import_contents(result.contents, result.settings_changes)
    finally:
        journal.close()
    return path


def _renamed(data: Any, keep: set[str]) -> Any:
    """The file with its ids made new (so they do not collide with the journal's) except those in `keep`."""
    if not isinstance(data, dict):
        return data
    data = copy.deepcopy(data)
    renamed: dict[str, str] = {}
    for name in RECORD_LISTS:
        for rec in data.get(name) or [] if isinstance(data.get(name), list) else []:
            if isinstance(rec, dict) and isinstance(rec.get("id"), str) and rec["id"] not in keep:
                renamed[rec["id"]] = rec["id"] + "-new"
                rec["id"] = renamed[rec["id"]]
    entries = data.get("entries_by")
    if isinstance(entries, list):
        for e in entries:
            if isinstance(e, dict) and isinstance(e.get("record"), str) and e["record"] in renamed:
                e["record"] = renamed[e["record"]]
    return data


ALL_IDS = sorted({r["id"] for name in RECORD_LISTS for r in VALID.get(name, [])})
_VALID_RENAMED = {}


def _accepted(data: Any, keep: frozenset[str]) -> ImportResult:
    """What parse_contents accepts of the mutated file; if it refuses, the unmutated file (same collisions)."""
    try:
        return parse_contents(_renamed(data, keep=set(keep)), today=TODAY)
    except ValidationError:
        if keep not in _VALID_RENAMED:
            _VALID_RENAMED[keep] = parse_contents(_renamed(VALID, keep=set(keep)), today=TODAY)
        return _VALID_RENAMED[keep]


# Record-level mistakes a caller could hand the facade directly (right types, wrong values),
# so the journal's own checks are tried, not only the file reader's.
FUTURE = date(2099, 1, 1)


def _break_record(kind: str, record: Any, how: int) -> Any:
    if kind == "trials":
        if not record.doses:  # already broken by an earlier mistake in the same example
            return replace(record, drug=" ")
        step = record.doses[-1]
        return [
            replace(record, doses=()),
            replace(record, doses=(*record.doses[:-1], replace(step, mg_per_day=-50.0))),
            replace(record, doses=(*record.doses[:-1], replace(step, start=FUTURE))),
            replace(record, stop_reason="bored"),
            replace(record, drug=" "),
            replace(record, end=date(1950, 1, 1)),
        ][how % 6]
    if kind == "scores":
        return [replace(record, total=99), replace(record, scale="BDI-II"), replace(record, date=FUTURE)][how % 3]
    if kind == "checkins":
        return replace(record, mood=None, anxiety=None, sleep_quality=None, energy=None, pain=None, hours_slept=None)
    if kind == "episodes":
        return [replace(record, severity="awful"), replace(record, end=date(1901, 1, 1))][how % 2]
    if kind == "labs":
        return [replace(record, value=float("nan")), replace(record, test=""), replace(record, date=date(1899, 12, 31))][how % 3]
    if kind == "conditions":
        return replace(record, status="cured")
    if kind == "sessions":
        return [replace(record, treatment="yoga"), replace(record, datetime=record.datetime.replace(tzinfo=None)),
                replace(record, bp_before=(0, 80))][how % 3]
    return replace(record, text="   ")  # notes


@st.composite
def record_mistakes(draw) -> list[tuple[str, int, int]]:
    kinds = ("episodes", "trials", "scores", "checkins", "labs", "conditions", "sessions", "notes", "duplicate", "entry", "setting")
    return draw(st.lists(st.tuples(st.sampled_from(kinds), st.integers(0, 20), st.integers(0, 20)), max_size=3))


def _apply(contents: Any, settings_changes: dict, mistakes: list[tuple[str, int, int]]) -> tuple[Any, dict, int]:
    """The contents with the mistakes made, and how many were made (one on an empty list is not)."""
    settings_changes = dict(settings_changes)
    applied = 0
    for kind, which, how in mistakes:
        applied += 1
        if kind == "entry":
            contents = replace(contents, entries_by=(*contents.entries_by, EntryBy(record="nobody-holds-this", author="Alex")))
        elif kind == "setting":
            settings_changes[["adequate_weeks", "failure_threshold_pct", "primary_scale", "dark_mode"][how % 4]] = 7
        elif kind == "duplicate":
            lists = [n for n in ("episodes", "trials", "scores", "labs", "notes") if getattr(contents, n)]
            if lists:
                name = lists[which % len(lists)]
                records = getattr(contents, name)
                contents = replace(contents, **{name: (*records, records[how % len(records)])})
            else:
                applied -= 1
        else:
            records = getattr(contents, kind)
            if records:
                i = which % len(records)
                broken = _break_record(kind, records[i], how)
                contents = replace(contents, **{kind: (*records[:i], broken, *records[i + 1:])})
            else:
                applied -= 1
    return contents, settings_changes, applied


@pytest.mark.slow
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(mutated_files(), st.frozensets(st.sampled_from(ALL_IDS), max_size=2), record_mistakes())
def test_the_journal_takes_all_of_an_import_or_none_of_it(template_journal, data, colliding, mistakes):
    from journal.opening import open_file

    result = _accepted(data, colliding)
    contents, settings_changes, applied = _apply(result.contents, result.settings_changes, mistakes)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "journal.db"
        shutil.copy(template_journal, path)
        journal = open_file(path, create=False)
        try:
            before = journal.contents()
            try:
                journal.import_contents(contents, settings_changes)
            except JournalError as exc:
                assert str(exc).strip()
                if isinstance(exc, ValidationError):
                    for p in exc.problems:
                        assert p.field and p.message, exc.problems
                        # Named like the file's own problems, e.g. trials[t1].doses[1].mg_per_day.
                        assert not p.field.startswith(".") and "].." not in p.field, p.field
                assert journal.contents() == before, "a refused import changed the journal"
                event("refused")
                return
            after = journal.contents()
            event("accepted")
        finally:
            journal.close()
    # Accepted: only if nothing was wrong, and then every record is stored as given.
    assert not colliding, f"ids the journal holds ({sorted(colliding)}) were imported again"
    assert applied == 0, f"a journal took records or settings with mistakes in them: {mistakes}"
    for name in ("episodes", "trials", "scores", "checkins", "labs", "conditions", "sessions", "notes"):
        held = {r.id for r in getattr(before, name)}
        given_ids = [r.id for r in getattr(contents, name)]
        assert len(set(given_ids)) == len(given_ids), f"{name}: an id given twice was accepted"
        assert {r.id for r in getattr(after, name)} == held | set(given_ids)
        stored = {r.id: r for r in getattr(after, name)}
        for record in getattr(contents, name):
            assert stored[record.id] == record
    for key, value in settings_changes.items():
        assert getattr(after.settings, key) == value


def test_a_file_reads_in_the_order_the_journal_lists_its_records(tmp_path):
    from journal.opening import open_file

    result = parse_contents(_reversed_lists(VALID), today=TODAY)
    journal = open_file(tmp_path / "journal.db")
    try:
        journal.import_contents(result.contents, result.settings_changes)
        held = journal.contents()
    finally:
        journal.close()
    for name in ("episodes", "trials", "scores", "checkins", "labs", "conditions", "sessions", "notes", "entries_by"):
        assert getattr(held, name) == getattr(result.contents, name), name
