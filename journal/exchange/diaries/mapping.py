"""From what another mood app's file holds to the journal's check-ins: the choices a person makes, and the plan of an import.

A `SourceFile` (journal.exchange.diaries.source) holds the rows as the app wrote them. Some of
their values need a choice before they mean anything on the journal's 0-10 scales: a Daylio
mood name (the person may have renamed "rad"), an eMoods anxiety severity, a Bearable rating
whose scale the file does not state, a T2 Mood Tracker group. `questions` says which choices a
file needs and what the journal proposes; `DiaryChoices` holds the answers; `plan_import` turns
the file and the answers into the check-ins (and, for a moment with words but no rating, the
notes) to add, leaving out every row the journal already holds (recognised by its origin).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from journal.clinical.catalog import load_catalog
from journal.exchange.diaries.source import APPS, Reading, Skipped, SourceFile, SourceProblem, SourceRow
from journal.limits import limit_for
from journal.records import DAILY_FIELDS, DailyCheckIn, JournalContents, Note, Origin

__all__ = [
    "DEFAULT_MOOD_LEVELS",
    "DEFAULT_SEVERITY_LEVELS",
    "SEVERITIES",
    "GROUP_TARGETS",
    "DiaryChoices",
    "Question",
    "MedicineHint",
    "DiaryPlan",
    "questions",
    "plan_import",
    "choices_from_maps",
    "map_hint",
    "held_origins",
    "NOTE_ONLY",
    "plainly_kept",
]

# Daylio's five default moods, in English and German, on the journal's 0-10 mood scale (the table).
DEFAULT_MOOD_LEVELS: Mapping[str, int] = {
    "rad": 10, "good": 8, "meh": 5, "bad": 2, "awful": 0,
    "super": 10, "gut": 8, "ok": 5, "schlecht": 2, "lausig": 0,
}
# eMoods' severities of anxiety on the journal's 0-10 anxiety scale, by default (changeable).
SEVERITIES = ("none", "mild", "moderate", "severe")
DEFAULT_SEVERITY_LEVELS: Mapping[str, int] = {"none": 0, "mild": 3, "moderate": 6, "severe": 9}
# What a T2 Mood Tracker group may become: a check-in rating, or words in the note only.
NOTE_ONLY = "note"
GROUP_TARGETS = (*DAILY_FIELDS, NOTE_ONLY)
# A T2 group whose title is a check-in rating's name goes there unless the person says otherwise.
_GROUP_DEFAULTS = {"mood": "mood", "anxiety": "anxiety", "sleep": "sleep_quality", "sleep quality": "sleep_quality",
                   "energy": "energy", "pain": "pain"}


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


@dataclass(frozen=True)
class DiaryChoices:
    """The person's answers: each mapping is keyed by the name as written in any case (folded when read)."""

    # Daylio mood name -> 0-10 over the defaults; None says the name has no level yet (even a default one)
    mood_levels: Mapping[str, int | None] = field(default_factory=dict)
    severity_levels: Mapping[str, int] = field(default_factory=dict)  # "none".."severe" -> 0-10 (over the defaults)
    scales: Mapping[str, tuple[float, float]] = field(default_factory=dict)  # Bearable category -> (lowest, highest)
    groups: Mapping[str, str] = field(default_factory=dict)  # T2 group title -> a GROUP_TARGETS entry

    def mood_level(self, name: str) -> int | None:
        given = {_fold(k): v for k, v in self.mood_levels.items()}
        folded = _fold(name)
        return given[folded] if folded in given else DEFAULT_MOOD_LEVELS.get(folded)

    def severity_level(self, name: str) -> int | None:
        given = {_fold(k): v for k, v in self.severity_levels.items()}
        folded = _fold(name)
        return given.get(folded, DEFAULT_SEVERITY_LEVELS.get(folded))

    def scale(self, category: str) -> tuple[float, float] | None:
        return {_fold(k): v for k, v in self.scales.items()}.get(_fold(category))

    def group(self, title: str) -> str | None:
        given = {_fold(k): v for k, v in self.groups.items()}
        folded = _fold(title)
        return given.get(folded, _GROUP_DEFAULTS.get(folded))


@dataclass(frozen=True)
class Question:
    """A choice a file needs before it can be imported: what it is about, how often it occurs, what the journal proposes."""

    kind: str  # "mood_name", "severity", "rating" or "group", as Reading.kind
    key: str  # the name as the file first writes it
    count: int  # rows it occurs in
    proposed: int | tuple[float, float] | str | None  # the default level, scale or target; None: the person must say
    found: tuple[float, float] | None = None  # the lowest and highest value found (ratings and groups)


@dataclass(frozen=True)
class MedicineHint:
    """An activity or tag that looks like a medicine ("taking SSRI", "#wellbutrin 150mg"): offered as a trial, never made one."""

    tag: str  # as written, the first time
    drug: str | None  # the catalog's generic name when a drug is named, None when only a class is ("SSRI")
    drug_class: str | None
    first: date
    last: date
    count: int


@dataclass(frozen=True)
class DiaryPlan:
    """What an import would do: the records to add, the rows already in the journal, those left out and why, what is wrong."""

    app: str  # a key of APPS
    checkins: tuple[DailyCheckIn, ...] = ()
    notes: tuple[Note, ...] = ()  # moments with words and no rating at all (a T2 note on its own)
    already: int = 0  # rows the journal already holds (by their origin)
    skipped: tuple[Skipped, ...] = ()
    problems: tuple[SourceProblem, ...] = ()
    unanswered: tuple[Question, ...] = ()  # choices still to make: nothing can be imported until they are
    first: date | None = None
    last: date | None = None
    medicines: tuple[MedicineHint, ...] = ()
    rows: int = 0  # rows read

    @property
    def app_name(self) -> str:
        return APPS[self.app]

    @property
    def ready(self) -> bool:
        """Whether the import can go ahead: nothing wrong in the file and every choice made."""
        return not self.problems and not self.unanswered

    @property
    def added(self) -> int:
        return len(self.checkins) + len(self.notes)

    def summary(self, *, done: bool = True) -> str:
        """E.g. "312 check-ins added, 40 rows already imported, 3 empty rows skipped (3 nothing recorded on this day)".

        `done=False` speaks of an import still to come ("312 check-ins to add").
        """
        verb = "added" if done else "to add"
        parts = [f"{_n(len(self.checkins), 'check-in')} {verb}"]
        if self.notes:
            parts.append(f"{_n(len(self.notes), 'note')} {verb} (words with no rating)")
        parts.append(f"{_n(self.already, 'row')} already imported")
        if self.skipped:
            reasons = Counter(s.reason for s in self.skipped)
            said = "; ".join(f"{n} {reason}" for reason, n in reasons.most_common())
            parts.append(f"{_n(len(self.skipped), 'empty row')} skipped ({said})")
        else:
            parts.append("0 empty rows skipped")
        return ", ".join(parts)


def _n(n: int, word: str) -> str:
    return f"{n:,} {word}" + ("" if n == 1 else "s")


# --------------------------------------------------------------------------- what a file asks


def questions(source: SourceFile, choices: DiaryChoices | None = None) -> list[Question]:
    """Every choice the file's readings need, in the order first met, with the journal's proposal (or the person's answer)."""
    choices = choices or DiaryChoices()
    order: dict[tuple[str, str], str] = {}
    counts: Counter[tuple[str, str]] = Counter()
    ranges: dict[tuple[str, str], tuple[float, float]] = {}
    for row in source.rows:
        seen: set[tuple[str, str]] = set()
        for reading in row.readings:
            k = (reading.kind, _fold(reading.key))
            order.setdefault(k, reading.key.strip())
            if k not in seen:
                counts[k] += 1
                seen.add(k)
            if reading.value is not None:
                lo, hi = ranges.get(k, (reading.value, reading.value))
                ranges[k] = (min(lo, reading.value), max(hi, reading.value))
    found: list[Question] = []
    for (kind, _folded), key in order.items():
        proposed: int | tuple[float, float] | str | None
        if kind == "mood_name":
            proposed = choices.mood_level(key)
        elif kind == "severity":
            proposed = choices.severity_level(key)
        elif kind == "rating":
            proposed = choices.scale(key)
        else:
            proposed = choices.group(key)
        found.append(Question(kind, key, counts[(kind, _folded)], proposed, ranges.get((kind, _folded))))
    return found


# --------------------------------------------------------------------------- the --map of the command line

# The scales a rating of another app is usually on, smallest first (offered for a Bearable rating).
_USUAL_SCALES = ((1.0, 5.0), (0.0, 5.0), (1.0, 10.0), (0.0, 10.0), (0.0, 100.0))
_LEVEL = re.compile(r"^\s*(\d{1,2})\s*$")
_RANGE = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*(?:-|–|to|\.\.)\s*(-?\d+(?:\.\d+)?)\s*$")


def choices_from_maps(app: str, maps: Iterable[str]) -> tuple[DiaryChoices, list[str]]:
    """The choices `--map "NAME=VALUE"` gives for a file of `app`; the problems, each naming the --map, when one cannot be read.

    Daylio: a mood name and its level 0-10 ("rad=10", "Sleepy=4"). eMoods: a severity and its
    anxiety level ("mild=3"). Bearable: a category and the range of its ratings ("Mood=1-5").
    T2 Mood Tracker: a group and the check-in rating it becomes ("Stress=anxiety"), or "note".
    """
    moods: dict[str, int | None] = {}
    severities: dict[str, int] = {}
    scales: dict[str, tuple[float, float]] = {}
    groups: dict[str, str] = {}
    problems: list[str] = []
    for given in maps:
        name, sep, value = given.partition("=")
        name = name.strip()
        if not sep or not name:
            problems.append(f'--map {given!r}: write it as NAME=VALUE, for example --map "{map_hint(app)}"')
            continue
        if app == "daylio" or app == "emoods":
            m = _LEVEL.match(value)
            level = int(m.group(1)) if m else -1
            if not 0 <= level <= 10:
                problems.append(f"--map {given!r}: the level must be a whole number from 0 to 10, got {value.strip()!r}")
            elif app == "daylio":
                moods[name] = level
            elif _fold(name) not in SEVERITIES:
                problems.append(f"--map {given!r}: eMoods' anxiety is one of {', '.join(SEVERITIES)}, got {name!r}")
            else:
                severities[name] = level
        elif app == "bearable":
            r = _RANGE.match(value)
            if r is None or float(r.group(1)) >= float(r.group(2)):
                problems.append(f"--map {given!r}: give the lowest and highest rating, for example --map \"{name}=1-5\"")
            else:
                scales[name] = (float(r.group(1)), float(r.group(2)))
        elif app == "t2":
            target = _fold(value).replace(" ", "_")
            if target not in GROUP_TARGETS:
                problems.append(f"--map {given!r}: a group becomes one of {', '.join(GROUP_TARGETS)}, got {value.strip()!r}")
            else:
                groups[name] = target
        else:
            problems.append(f"--map {given!r}: a file of {APPS.get(app, app)} needs no --map: its values map by themselves")
    return DiaryChoices(moods, severities, scales, groups), problems


def map_hint(app: str, key: str | None = None, found: tuple[float, float] | None = None) -> str:
    """An example of the --map a question needs, for messages ("Sleepy=LEVEL", "Mood=1-5")."""
    if app == "daylio":
        return f"{key or 'NAME'}=LEVEL"
    if app == "emoods":
        return f"{key or 'mild'}=LEVEL"
    if app == "bearable":
        lo, hi = found or (1.0, 5.0)
        # the smallest usual scale that holds every rating found, never the range itself ("Energy=4-4")
        scale = next(((a, b) for a, b in _USUAL_SCALES if a <= lo and hi <= b), (lo, hi))
        return f"{key or 'Mood'}={scale[0]:g}-{scale[1]:g}"
    if app == "t2":
        return f"{key or 'GROUP'}=FIELD"
    return "NAME=VALUE"


# --------------------------------------------------------------------------- the plan


def _level(value: float, lo: float, hi: float) -> int:
    """A rating on the scale lo..hi as a whole number 0-10, halves rounded up."""
    share = (min(max(value, lo), hi) - lo) / (hi - lo)
    return int(share * 10 + 0.5)


def _apply(row: SourceRow, choices: DiaryChoices) -> tuple[dict[str, float], list[str]]:
    """The row's check-in fields with its readings mapped, and any words a reading adds to the note."""
    values: dict[str, float] = dict(row.fields)
    words: list[str] = []
    for reading in row.readings:
        level: float | None = None
        target = "mood"
        if reading.kind == "mood_name":
            level = choices.mood_level(reading.key)
        elif reading.kind == "severity":
            level, target = choices.severity_level(reading.key), "anxiety"
        elif reading.kind == "rating" and reading.value is not None:
            scale = choices.scale(reading.key)
            target = "energy" if _fold(reading.key) == "energy" else "mood"
            level = None if scale is None else _level(reading.value, *scale)
        elif reading.kind == "group" and reading.value is not None:
            chosen = choices.group(reading.key)
            value = min(max(reading.value, 0.0), 100.0)
            ten = int((100.0 - value if reading.inverse else value) / 10 + 0.5)
            if chosen == NOTE_ONLY or chosen is None:
                words.append(f"{reading.key.strip()}: {ten} of 10")
                continue
            level, target = ten, chosen
        if level is None:
            continue
        if target in values:
            # a second value for one rating (two groups, two Mood ratings in one moment) keeps its value in words
            words.append(f"{reading.key.strip()}: {level} of 10")
            continue
        values[target] = level
    return values, words


def _unanswered(source: SourceFile, choices: DiaryChoices) -> list[Question]:
    return [q for q in questions(source, choices) if q.proposed is None]


def _hints(rows: Iterable[SourceRow]) -> list[MedicineHint]:
    catalog = load_catalog()
    classes = {_fold(d.drug_class): d.drug_class for d in catalog.drugs}
    found: dict[str, list] = {}
    named: dict[str, tuple[str | None, str | None]] = {}  # a diary repeats its few activities thousands of times
    for row in rows:
        for tag in row.tags:
            if tag not in named:
                named[tag] = _medicine_in(tag, catalog, classes)
            drug, drug_class = named[tag]
            if drug is None and drug_class is None:
                continue
            key = drug or f"class:{drug_class}"
            seen = found.get(key)
            if seen is None:
                found[key] = [tag, drug, drug_class, row.day, row.day, 1]
            else:
                seen[3], seen[4], seen[5] = min(seen[3], row.day), max(seen[4], row.day), seen[5] + 1
    return [MedicineHint(*v) for v in found.values()]


_WORD = re.compile(r"[^\W\d_][\w\-]*", re.UNICODE)


def _medicine_in(tag: str, catalog, classes: Mapping[str, str]) -> tuple[str | None, str | None]:
    """The catalog drug (generic name) or drug class a tag names, word by word ("#wellbutrin 150mg" -> bupropion)."""
    words = _WORD.findall(tag.replace("#", " "))
    for size in (3, 2, 1):
        for i in range(len(words) - size + 1):
            phrase = " ".join(words[i:i + size])
            drug = catalog.resolve(phrase)
            if drug is not None:
                return drug.generic, drug.drug_class
    for size in (2, 1):
        for i in range(len(words) - size + 1):
            phrase = _fold(" ".join(words[i:i + size]))
            if phrase in classes:
                return None, classes[phrase]
    return None, None


def _origin_key(app_name: str, raw: str) -> tuple[str, str]:
    return (app_name, raw)


_NOTE_MAX, _RAW_MAX, _APP_MAX = limit_for("note").max_chars, limit_for("raw").max_chars, limit_for("app").max_chars


def _text_ok(text: str) -> bool:
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate
        return False
    return True


def plainly_kept(record: DailyCheckIn | Note, today: date) -> bool:
    """A quick look: True when a check-in or note built from a diary keeps the journal's rules (ratings whole numbers
    0-10, hours 0-24, at least one rating, text within its limits, no date after today). False sends it to the rules,
    which name what is wrong."""
    o = record.origin
    if o is not None and not (0 < len(o.app.strip()) <= _APP_MAX and len(o.raw) <= _RAW_MAX and _text_ok(o.app) and _text_ok(o.raw)):
        return False
    if record.date > today:
        return False
    if isinstance(record, Note):
        return 0 < len(record.text) <= _NOTE_MAX and _text_ok(record.text)
    ratings = [getattr(record, f) for f in DAILY_FIELDS]
    if all(v is None for v in ratings) and record.hours_slept is None:
        return False
    if any(v is not None and (type(v) is not int or not 0 <= v <= 10) for v in ratings):
        return False
    if record.hours_slept is not None and not 0 <= record.hours_slept <= 24:
        return False
    return len(record.note) <= _NOTE_MAX and _text_ok(record.note)


def _rule_problems(record: DailyCheckIn | Note, row: SourceRow, today: date) -> list[SourceProblem]:
    """What the journal's rules say of a record a row made, named by the row's line (the field as the column)."""
    from journal import rules

    found = rules.problems(record, today=today)
    return [
        SourceProblem(row.line, p.field or None, _shown(getattr(record, p.field, None)) if p.field else None, p.message)
        for p in found
    ]


def _shown(value: object) -> str | None:
    if value is None:
        return None
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def held_origins(contents: JournalContents) -> Counter[tuple[str, str]]:
    """How many check-ins and notes the journal holds of each origin: what a later import of the same rows leaves out."""
    held: Counter[tuple[str, str]] = Counter()
    origins = [c.origin for c in contents.checkins] + [n.origin for n in contents.notes]
    for origin in origins:
        if origin is not None:
            held[_origin_key(origin.app, origin.raw)] += 1
    return held


def plan_import(
    source: SourceFile, choices: DiaryChoices, held: Counter[tuple[str, str]] | None = None, *, medicines: bool = True
) -> DiaryPlan:
    """What importing the file would add, given the choices and how many of each origin the journal holds.

    A row is left out when the journal already holds as many records of its origin as the file
    has rows of it up to this one, so importing the same file twice adds nothing, a later
    export that repeats old rows adds only the new ones, and two identical rows are both kept.
    A row whose readings all wait for a choice adds nothing yet: the plan names the choices.
    `medicines=False` leaves out the search for activities that name a medicine (they do not
    change with the choices, so a window asking again after each choice looks once).
    """
    held = held if held is not None else Counter()
    today = date.today()
    problems: list[SourceProblem] = list(source.problems)
    name = source.app_name
    unanswered = _unanswered(source, choices)
    seen: Counter[tuple[str, str]] = Counter()
    checkins: list[DailyCheckIn] = []
    notes: list[Note] = []
    skipped = list(source.skipped)
    already = 0
    days = [row.day for row in source.rows]
    for row in source.rows:
        key = _origin_key(name, row.raw)
        seen[key] += 1
        if seen[key] <= held[key]:
            already += 1
            continue
        values, words = _apply(row, choices)
        note = "\n".join(part for part in (row.note.strip(), *words) if part)
        origin = Origin(app=name, raw=row.raw)
        ratings = {f: int(values[f]) for f in DAILY_FIELDS if f in values}
        hours = values.get("hours_slept")
        made: DailyCheckIn | Note | None = None
        if ratings or hours is not None:
            made = DailyCheckIn(id="", date=row.day, time=row.time, note=note, origin=origin, hours_slept=hours, **ratings)
        elif note and not row.readings:
            made = Note(id="", date=row.day, text=note, origin=origin)
        if made is not None:
            if not plainly_kept(made, today):
                wrong = _rule_problems(made, row, today)
                if wrong:
                    problems.extend(wrong)
                    continue
            (checkins if isinstance(made, DailyCheckIn) else notes).append(made)  # type: ignore[arg-type]
        elif not row.readings:
            skipped.append(Skipped(row.line, "nothing recorded in this row"))
        # else: its readings wait for a choice (named in `unanswered`)
    return DiaryPlan(
        app=source.app,
        checkins=tuple(checkins),
        notes=tuple(notes),
        already=already,
        skipped=tuple(sorted(skipped, key=lambda s: s.line)),
        problems=tuple(sorted(problems, key=lambda p: (p.line is not None, p.line or 0))),
        unanswered=tuple(unanswered),
        first=min(days) if days else None,
        last=max(days) if days else None,
        medicines=tuple(_hints(source.rows)) if medicines else (),
        rows=len(source.rows),
    )


def reading_words(reading: Reading) -> str:
    """A reading as a person would say it, for the preview ("mood: rad", "Mood 4")."""
    if reading.value is None:
        return f"{reading.key}"
    return f"{reading.key} {reading.value:g}"
