"""The drug catalog (resources/drug_catalog.json) and how a typed drug name resolves to it."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources

from journal.clinical.audiences import CLINICIAN, PERSON, check_audience

__all__ = [
    "Drug",
    "DrugCodes",
    "SessionTreatment",
    "Catalog",
    "load_catalog",
    "custom_drug_key",
    "FORMULATION_TAGS",
    "SALT_WORDS",
    "ROLES",
    "GRADES",
]

# trd-rules.md "Drug names": the only suffixes that may be dropped, one of each.
FORMULATION_TAGS = ("IR", "SR", "CR", "XR", "XL", "ER", "LA")
SALT_WORDS = ("hydrochloride", "HCl", "hydrobromide", "HBr", "carbonate", "citrate", "oxalate", "succinate", "maleate")
ROLES = ("antidepressant", "augmentation")
GRADES = ("A", "B", "C")

_TAGS = frozenset(t.casefold() for t in FORMULATION_TAGS)
_SALTS = frozenset(s.casefold() for s in SALT_WORDS)


@dataclass(frozen=True)
class DrugCodes:
    """The export codes drug-catalog.md gives a drug: WHO ATC and RxNorm ingredient (None = no code checked).

    A drug without a code goes out in exports with its name as text only, never a guessed code.
    """

    atc: str | None = None
    rxnorm: str | None = None
    atc_note: str = ""
    rxnorm_note: str = ""


@dataclass(frozen=True)
class Drug:
    """One catalog row: doses in mg per day, with how sure the minimum is (grade A/B/C)."""

    generic: str
    drug_class: str
    role: str
    min_adequate_mg: float | None
    min_grade: str
    min_source: str
    min_note: str = ""
    typical_max_mg: float | None = None
    brands: tuple[str, ...] = ()
    dose_note: str = ""
    no_min_label: str = ""
    codes: DrugCodes = DrugCodes()

    @property
    def is_augmentation(self) -> bool:
        return self.role == "augmentation"

    @property
    def names(self) -> tuple[str, ...]:
        return (self.generic, *self.brands)


@dataclass(frozen=True)
class SessionTreatment:
    """A treatment given in sessions (esketamine, IV ketamine, ECT, rTMS): logged as sessions, never a trial."""

    key: str
    name: str
    names: tuple[str, ...]
    note: str = ""
    codes: DrugCodes = DrugCodes()


def _fold(name: str) -> str:
    # Inner runs of spaces are collapsed too, so "paroxetine  CR" is "paroxetine CR".
    return " ".join(unicodedata.normalize("NFKC", name).split()).casefold()


def custom_drug_key(name: str) -> str:
    """Key for comparing custom drug names: case-insensitive, spaces and punctuation folded away."""
    text = unicodedata.normalize("NFKC", name).casefold()
    return "".join(ch for ch in text if ch.isalnum())


def _format_mg(mg: float) -> str:
    return f"{mg:g}"


def _candidates(folded: str) -> Iterator[str]:
    """Names to look up, in order, for a folded name (trd-rules.md "Drug names").

    The exact name first. Then one trailing salt word and one trailing formulation tag are
    dropped, whichever order they come in ("bupropion hydrochloride XL", "bupropion XL
    hydrochloride"). When the salt sits between the name and its tag, the name with its
    tag is tried before the bare name, so "paroxetine hydrochloride CR" finds the
    paroxetine CR row (minimum 25 mg) rather than immediate-release paroxetine (20 mg).
    """
    yield folded
    words = folded.split(" ")
    last = words[-1]
    if last in _SALTS:
        rest = words[:-1]
        yield " ".join(rest)  # "paroxetine CR hydrochloride" -> "paroxetine CR"
        if rest and rest[-1] in _TAGS:
            yield " ".join(rest[:-1])
    elif last in _TAGS:
        rest = words[:-1]
        if rest and rest[-1] in _SALTS:
            yield " ".join(rest[:-1] + [last])
            yield " ".join(rest[:-1])
        else:
            yield " ".join(rest)


class Catalog:
    """The drugs the journal knows, looked up by generic or brand name."""

    def __init__(
        self,
        drugs: tuple[Drug, ...],
        session_treatments: tuple[SessionTreatment, ...] = (),
        max_source: str = "a usual figure, not yet confirmed by a published source",
        code_systems: dict[str, str] | None = None,
    ):
        self.drugs = drugs
        # The FHIR system of each code kind ("atc", "rxnorm"), as drug-catalog.md names them.
        self.code_systems = dict(code_systems or {})
        self.session_treatments = session_treatments
        self.max_source = max_source
        self._by_name: dict[str, Drug] = {}
        for drug in drugs:
            for name in drug.names:
                key = _fold(name)
                other = self._by_name.get(key)
                if other is not None and other is not drug:
                    raise ValueError(f"drug catalog: the name {name!r} belongs to both {other.generic} and {drug.generic}")
                self._by_name[key] = drug
        self._sessions_by_name = {_fold(n): t for t in session_treatments for n in (t.name, *t.names)}

    def resolve(self, name: str) -> Drug | None:
        """The catalog drug a typed name means, or None for a custom drug."""
        folded = _fold(name or "")
        if not folded:
            return None
        for candidate in _candidates(folded):
            if candidate:
                drug = self._by_name.get(candidate)
                if drug is not None:
                    return drug
        return None

    def generic_name(self, name: str) -> str:
        """The generic name when the catalog knows the drug, else the name as entered, stripped."""
        drug = self.resolve(name)
        return drug.generic if drug is not None else (name or "").strip()

    def completion_names(self) -> list[str]:
        """Every generic and brand name, sorted without regard to case, for a drug picker."""
        names = {n for d in self.drugs for n in d.names}
        return sorted(names, key=lambda n: (n.casefold(), n))

    def minimum_label(self, drug: Drug) -> str:
        """The minimum adequate dose with its source, e.g. "50 mg/day, MGH-ATRQ list"."""
        if drug.min_adequate_mg is None:
            return drug.no_min_label or f"No catalog minimum for {drug.generic}: enter your own minimum."
        mg = drug.min_adequate_mg
        label = f"{_format_mg(mg)} mg/day"
        if mg < 1:
            # Liothyronine is prescribed in micrograms; show both so 0.025 is not misread.
            label += f" ({_format_mg(round(mg * 1000, 6))} micrograms)"
        label += f", {drug.min_source}"
        if drug.min_note:
            label += f" ({drug.min_note})"
        return label

    def maximum_label(self, drug: Drug) -> str:
        """The typical maximum with its source (always grade C), for a dose warning."""
        if drug.typical_max_mg is None:
            return ""
        mg = drug.typical_max_mg
        label = f"{_format_mg(mg)} mg/day"
        if mg < 1:
            label += f" ({_format_mg(round(mg * 1000, 6))} micrograms)"
        return f"{label}, typical maximum, {self.max_source}"

    def session_treatment_for(self, name: str) -> SessionTreatment | None:
        """The session treatment a typed drug name means (e.g. "Spravato"), so a form can say to log sessions."""
        folded = _fold(name or "")
        return self._sessions_by_name.get(folded) if folded else None


def _num(value: object, where: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"drug catalog: {where} must be a number, got {value!r}")
    return float(value)


def _code(value: object, where: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip() or value.strip() == "-":
        raise ValueError(f"drug catalog: {where} must be a code or null, got {value!r}")
    return value


def _codes(row: dict, where: str) -> DrugCodes:
    return DrugCodes(
        atc=_code(row.get("atc"), f"{where}.atc"),
        rxnorm=_code(row.get("rxnorm"), f"{where}.rxnorm"),
        atc_note=row.get("atc_note", ""),
        rxnorm_note=row.get("rxnorm_note", ""),
    )


def _parse(data: dict, audience: str = PERSON) -> Catalog:
    """The catalog with each figure's source in words for its reader: plain words for the person;
    for the clinician the source as graded in drug-catalog.md, with its grade letter."""
    if audience == CLINICIAN:
        described = data["grade_sources_for_clinicians"]
        sources = {grade: f"{text}, grade {grade}" for grade, text in described.items()}
    else:
        sources = data["grade_sources"]
    drugs = []
    for i, row in enumerate(data["drugs"]):
        where = f"drugs[{i}]"
        if row["role"] not in ROLES:
            raise ValueError(f"drug catalog: {where}.role must be one of {ROLES}, got {row['role']!r}")
        if row["min_grade"] not in GRADES:
            raise ValueError(f"drug catalog: {where}.min_grade must be one of {GRADES}, got {row['min_grade']!r}")
        drugs.append(
            Drug(
                generic=row["generic"],
                drug_class=row["class"],
                role=row["role"],
                min_adequate_mg=_num(row["min_adequate_mg"], f"{where}.min_adequate_mg"),
                min_grade=row["min_grade"],
                min_source=sources[row["min_grade"]],
                min_note=row.get("min_note", ""),
                typical_max_mg=_num(row.get("typical_max_mg"), f"{where}.typical_max_mg"),
                brands=tuple(row.get("brands", ())),
                dose_note=row.get("dose_note", ""),
                no_min_label=row.get("no_min_label", ""),
                codes=_codes(row, where),
            )
        )
    sessions = tuple(
        SessionTreatment(
            key=t["key"],
            name=t["name"],
            names=tuple(t.get("names", ())),
            note=t.get("note", ""),
            codes=_codes(t, f"session_treatments[{i}]"),
        )
        for i, t in enumerate(data.get("session_treatments", ()))
    )
    return Catalog(
        tuple(drugs),
        sessions,
        max_source=sources[data.get("max_grade", "C")],
        code_systems=data.get("code_systems"),
    )


def load_catalog(audience: str = PERSON) -> Catalog:
    """The shipped drug catalog, read once for each reader (journal.clinical.audiences.AUDIENCES)."""
    check_audience(audience)
    return _load(audience)


@cache
def _load(audience: str) -> Catalog:
    text = resources.files("resources").joinpath("drug_catalog.json").read_text(encoding="utf-8")
    return _parse(json.loads(text), audience)
