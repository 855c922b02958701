"""Rating scales, daily check-in fields, the item-9 crisis panel and the known workup (resources/scales.json)."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import NamedTuple

from journal.errors import JournalError
from journal.words import CONDITION_STATUS, form_words

__all__ = [
    "Answer",
    "ScaleItem",
    "DifficultyQuestion",
    "Band",
    "Scale",
    "UnknownScaleError",
    "load_scales",
    "get_scale",
    "severity_label",
    "remission_max",
    "crisis_answer_given",
    "CheckInField",
    "CHECKIN_FIELDS",
    "CrisisLine",
    "CrisisResources",
    "CRISIS_RESOURCES",
    "CRISIS_RESOURCES_FOR_CAREGIVER",
    "ExportCode",
    "LabTest",
    "WORKUP_LABS",
    "VitalSign",
    "VITAL_SIGNS",
    "DAILY_DOSE_UCUM",
    "workup_key_for",
    "ConditionKind",
    "WORKUP_CONDITIONS",
    "condition_key_for",
    "condition_kind_of",
    "CONDITION_STATUS_LABELS",
]


class UnknownScaleError(JournalError, LookupError):
    """A scale name the journal does not know."""


@dataclass(frozen=True)
class Answer:
    """One answer choice: its score, wording and LOINC answer code (when it has one)."""

    value: int
    text: str
    loinc: str | None = None


@dataclass(frozen=True)
class ScaleItem:
    """One question of a questionnaire, numbered from 1."""

    number: int
    text: str
    loinc: str


@dataclass(frozen=True)
class DifficultyQuestion:
    """The PHQ-9's unscored closing question about how hard the problems made daily life."""

    question: str
    answers: tuple[Answer, ...]
    loinc: str


class Band(NamedTuple):
    """A severity band: totals from `low` to `high`, both included."""

    low: int
    high: int
    label: str


@dataclass(frozen=True)
class Scale:
    """A rating scale: a questionnaire with items (PHQ-9, GAD-7) or a scale entered as a total."""

    name: str
    kind: str  # "questionnaire" | "total"
    about: str
    min_total: int
    max_total: int
    bands: tuple[Band, ...]
    remission_max: int | None = None
    question: str = ""
    answers: tuple[Answer, ...] = ()
    items: tuple[ScaleItem, ...] = ()
    credit: str = ""
    total_loinc: str | None = None
    panel_loinc: str | None = None
    difficulty: DifficultyQuestion | None = None
    crisis_item: int | None = None  # 1-based item whose answer above 0 shows the crisis panel
    note: str = ""

    @property
    def item_count(self) -> int:
        return len(self.items)

    def severity(self, total: int) -> str:
        """The severity band's label for a total; a total outside the scale's range is an error."""
        if isinstance(total, bool) or not isinstance(total, int) or not self.min_total <= total <= self.max_total:
            raise ValueError(f"{self.name} total must be a whole number from {self.min_total} to {self.max_total}, got {total!r}")
        for band in self.bands:
            if band.low <= total <= band.high:
                return band.label
        raise ValueError(f"{self.name} has no severity band for {total}")  # the resource's bands have a gap


@dataclass(frozen=True)
class CheckInField:
    """One field of the daily check-in, with its display label and allowed range."""

    key: str
    label: str
    min: float | None
    max: float | None
    kind: str  # "integer" | "number" | "text"


@dataclass(frozen=True)
class CrisisLine:
    """One place to reach help, e.g. label "US", contact "call or text 988"."""

    label: str
    contact: str

    def __str__(self) -> str:
        return f"{self.label}: {self.contact}"


@dataclass(frozen=True)
class CrisisResources:
    """What the item-9 panel shows, every time, the moment a PHQ-9 item 9 answer is above 0."""

    heading: str
    lines: tuple[CrisisLine, ...]
    safety_plan: str
    advice: str
    not_an_assessment: str
    offline: str

    def text_lines(self) -> list[str]:
        """The whole panel as plain lines, in the order it is shown."""
        return [self.heading, *(str(line) for line in self.lines), self.safety_plan, self.advice, self.not_an_assessment, self.offline]


@dataclass(frozen=True)
class ExportCode:
    """A LOINC code (or codes sent together) with its UCUM units, as scales.md gives them for exports."""

    what: str
    loinc: tuple[str, ...]
    ucum: tuple[str, ...]
    components: tuple[tuple[str, str], ...] = ()  # (what, LOINC), e.g. ("systolic", "8480-6")


@dataclass(frozen=True)
class LabTest:
    """A test of the workup the journal knows by name; `aliases` catch free-typed names."""

    key: str
    name: str
    aliases: tuple[str, ...]
    units: tuple[str, ...]
    codes: tuple[ExportCode, ...] = ()  # CRP has two: the standard and the high-sensitivity test


@dataclass(frozen=True)
class VitalSign:
    """A vital sign the exports know a LOINC code for (blood pressure, heart rate, oxygen saturation)."""

    key: str
    code: ExportCode


@dataclass(frozen=True)
class ConditionKind:
    """A comorbid condition the journal knows by name; `aliases` catch free-typed names."""

    key: str
    name: str
    aliases: tuple[str, ...]


@cache
def _data() -> dict:
    text = resources.files("resources").joinpath("scales.json").read_text(encoding="utf-8")
    return json.loads(text)


def _answers(rows: Sequence[dict]) -> tuple[Answer, ...]:
    return tuple(Answer(value=a["value"], text=a["text"], loinc=a.get("loinc")) for a in rows)


def _scale(row: dict) -> Scale:
    difficulty = row.get("difficulty")
    bands = tuple(Band(b["low"], b["high"], b["label"]) for b in row["bands"])
    scale = Scale(
        name=row["name"],
        kind=row["kind"],
        about=row.get("about", ""),
        min_total=row["min_total"],
        max_total=row["max_total"],
        bands=bands,
        remission_max=row.get("remission_max"),
        question=row.get("question", ""),
        answers=_answers(row.get("answers", ())),
        items=tuple(ScaleItem(i["number"], i["text"], i["loinc"]) for i in row.get("items", ())),
        credit=row.get("credit", ""),
        total_loinc=row.get("total_loinc"),
        panel_loinc=row.get("panel_loinc"),
        difficulty=DifficultyQuestion(difficulty["question"], _answers(difficulty["answers"]), difficulty["loinc"])
        if difficulty
        else None,
        crisis_item=row.get("crisis_item"),
        note=row.get("note", ""),
    )
    # Bands must tile the range exactly, or some total would have no label.
    edges = [scale.min_total - 1] + [x for b in bands for x in (b.low - 1, b.high)] + [scale.max_total]
    if edges[0::2] != edges[1::2]:
        raise ValueError(f"scales.json: {scale.name} severity bands do not cover {scale.min_total}-{scale.max_total} without gaps")
    return scale


@cache
def load_scales() -> dict[str, Scale]:
    """Every scale the journal records, by name, in display order."""
    return {s.name: s for s in (_scale(row) for row in _data()["scales"])}


def get_scale(name: str) -> Scale:
    """The scale called `name` (case and surrounding spaces ignored)."""
    scales = load_scales()
    if name in scales:
        return scales[name]
    wanted = (name or "").strip().casefold()
    for scale in scales.values():
        if scale.name.casefold() == wanted:
            return scale
    raise UnknownScaleError(f"unknown scale {name!r}; the journal knows {', '.join(scales)}")


def severity_label(scale_name: str, total: int) -> str:
    """The severity band's label for a total, e.g. severity_label("PHQ-9", 12) == "moderate"."""
    return get_scale(scale_name).severity(total)


def remission_max(scale_name: str) -> int | None:
    """The highest total that counts as remission (PHQ-9 4), or None when the scale has no cut."""
    return get_scale(scale_name).remission_max


def crisis_answer_given(scale_name: str, items: Sequence[int] | None) -> bool:
    """True when the answers include one that must show the crisis panel (PHQ-9 item 9 above 0)."""
    scale = get_scale(scale_name)
    if scale.crisis_item is None or not items or len(items) < scale.crisis_item:
        return False
    answer = items[scale.crisis_item - 1]
    return answer is not None and answer > 0


def _match_key(text: str) -> str:
    # Free-typed test names vary in case, spacing, hyphens and brackets ("25(OH)D", "IL 6",
    # "Serum TSH level"); words that only say where the sample came from are ignored.
    words = unicodedata.normalize("NFKC", text or "").casefold().split()
    words = [w for w in words if w not in _FILLER_WORDS]
    return "".join(ch for ch in "".join(words) if ch.isalnum())


_FILLER_WORDS = frozenset({"serum", "plasma", "blood", "level", "levels", "test"})


def _export_code(row: dict) -> ExportCode:
    return ExportCode(
        what=row["what"],
        loinc=tuple(row["loinc"]),
        ucum=tuple(row["ucum"]),
        components=tuple((c["what"], c["loinc"]) for c in row.get("components", ())),
    )


def _lab_tests() -> tuple[LabTest, ...]:
    return tuple(
        LabTest(
            key=r["key"],
            name=r["name"],
            aliases=tuple(r["aliases"]),
            units=tuple(r["units"]),
            codes=tuple(_export_code(c) for c in r.get("codes", ())),
        )
        for r in _data()["workup_labs"]
    )


def _vital_signs() -> tuple[VitalSign, ...]:
    return tuple(VitalSign(key=r["key"], code=_export_code(r)) for r in _data().get("vital_signs", ()))


def _condition_kinds() -> tuple[ConditionKind, ...]:
    return tuple(ConditionKind(key=r["key"], name=r["name"], aliases=tuple(r["aliases"])) for r in _data()["workup_conditions"])


def _index(entries: Sequence[LabTest] | Sequence[ConditionKind]) -> dict[str, str]:
    index: dict[str, str] = {}
    for entry in entries:
        for alias in (entry.key, entry.name, *entry.aliases):
            key = _match_key(alias)
            if index.setdefault(key, entry.key) != entry.key:
                raise ValueError(f"scales.json: {alias!r} is an alias of both {index[key]} and {entry.key}")
    return index


def _crisis(*, for_caregiver: bool = False) -> CrisisResources:
    c = _data()["crisis"]
    # caregiver mode: the same lines, worded for the person entering the answers of someone they care for
    words = {**c, **c["for_caregiver"]} if for_caregiver else c
    return CrisisResources(
        heading=words["heading"],
        lines=tuple(CrisisLine(line["label"], line["contact"]) for line in c["lines"]),
        safety_plan=words["safety_plan"],
        advice=words["advice"],
        not_an_assessment=c["not_an_assessment"],
        offline=c["offline"],
    )


CHECKIN_FIELDS: tuple[CheckInField, ...] = tuple(
    CheckInField(key=r["key"], label=r["label"], min=r["min"], max=r["max"], kind=r["kind"]) for r in _data()["checkin_fields"]
)
CRISIS_RESOURCES: CrisisResources = _crisis()
CRISIS_RESOURCES_FOR_CAREGIVER: CrisisResources = _crisis(for_caregiver=True)
WORKUP_LABS: tuple[LabTest, ...] = _lab_tests()
VITAL_SIGNS: tuple[VitalSign, ...] = _vital_signs()
# The UCUM unit of a daily dose in exports (UCUM's day is "d").
DAILY_DOSE_UCUM: str = _data().get("export_codes", {}).get("daily_dose_ucum", "mg/d")
WORKUP_CONDITIONS: tuple[ConditionKind, ...] = _condition_kinds()
# A condition's status as a form offers it ("Diagnosed"): the words are journal.words' one vocabulary.
CONDITION_STATUS_LABELS: dict[str, str] = form_words(CONDITION_STATUS)
_LAB_INDEX = _index(WORKUP_LABS)
_CONDITION_INDEX = _index(WORKUP_CONDITIONS)


def workup_key_for(test_name: str) -> str | None:
    """The workup test a free-typed lab name means ("hs-CRP" -> "crp"), or None for any other test."""
    key = _match_key(test_name)
    return _LAB_INDEX.get(key) if key else None


def condition_key_for(name: str) -> str | None:
    """The workup condition a free-typed name means ("insomnia" -> "sleep_disorder"), or None."""
    key = _match_key(name)
    return _CONDITION_INDEX.get(key) if key else None


def condition_kind_of(name: str) -> str | None:
    """The workup condition a recorded name is about: an exact alias, else a one-word alias
    standing as a whole word in it ("generalised anxiety" is about anxiety)."""
    key = condition_key_for(name)
    if key:
        return key
    words = {w.strip("()[],.;:").casefold() for w in name.split()}
    for kind in WORKUP_CONDITIONS:
        # Short aliases ("ADD", "GAD") are ordinary words or letters too often to match loosely.
        if any(len(a) >= 4 and " " not in a and "-" not in a and a.casefold() in words for a in (kind.name, *kind.aliases)):
            return kind.key
    return None
