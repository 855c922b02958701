"""The journal's tables as SQLAlchemy models, with the conversions to and from plain records (private to storage)."""

from __future__ import annotations

import json
import datetime as dt

from sqlalchemy import Boolean, Date, Float, ForeignKey, Integer, MetaData, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from journal import records as r

# Named constraints let a later SQLite batch migration find and alter them by name.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class ProfileRow(Base):
    """The one row naming whose journal this is."""

    __tablename__ = "profile"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    display_name: Mapped[str | None] = mapped_column(Text)
    birth_year: Mapped[int | None] = mapped_column(Integer)

    def to_record(self) -> r.Profile:
        return r.Profile(display_name=self.display_name, birth_year=self.birth_year)


class SettingsRow(Base):
    """The one row of assessment settings (trd-rules.md)."""

    __tablename__ = "settings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    adequate_weeks: Mapped[int] = mapped_column(Integer)
    failure_threshold_pct: Mapped[int] = mapped_column(Integer)
    count_augmentation: Mapped[bool] = mapped_column(Boolean)
    primary_scale: Mapped[str] = mapped_column(String)

    def to_record(self) -> r.Settings:
        return r.Settings(
            adequate_weeks=self.adequate_weeks,
            failure_threshold_pct=self.failure_threshold_pct,
            count_augmentation=bool(self.count_augmentation),
            primary_scale=self.primary_scale,
        )


class EpisodeRow(Base):
    __tablename__ = "episodes"

    id: Mapped[str] = mapped_column(String, primary_key=True)
    start: Mapped[dt.date] = mapped_column(Date, index=True)
    end: Mapped[dt.date | None] = mapped_column(Date)
    severity: Mapped[str | None] = mapped_column(String)
    note: Mapped[str] = mapped_column(Text, default="")

    @staticmethod
    def values(e: r.Episode) -> dict:
        return {"id": e.id, "start": e.start, "end": e.end, "severity": e.severity, "note": e.note}

    def to_record(self) -> r.Episode:
        return r.Episode(id=self.id, start=self.start, end=self.end, severity=self.severity, note=self.note or "")


class TrialRow(Base):
    __tablename__ = "trials"

    id: Mapped[str] = mapped_column(String, primary_key=True)
    drug: Mapped[str] = mapped_column(String)
    # The first dose step's start, kept here so listing by span needs no join.
    start: Mapped[dt.date] = mapped_column(Date, index=True)
    end: Mapped[dt.date | None] = mapped_column(Date)
    augmentation: Mapped[bool] = mapped_column(Boolean, default=False)
    min_adequate_mg: Mapped[float | None] = mapped_column(Float)
    stop_reason: Mapped[str | None] = mapped_column(String)
    adherence: Mapped[str | None] = mapped_column(String)
    # A trial has at most one rating; a null response means none was given.
    rating_response: Mapped[str | None] = mapped_column(String)
    rating_improvement_pct: Mapped[float | None] = mapped_column(Float)
    rating_date: Mapped[dt.date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")

    doses: Mapped[list[DoseStepRow]] = relationship(
        order_by="DoseStepRow.position", cascade="all, delete-orphan", passive_deletes=True
    )
    side_effects: Mapped[list[SideEffectRow]] = relationship(
        order_by="SideEffectRow.position", cascade="all, delete-orphan", passive_deletes=True
    )

    @staticmethod
    def values(t: r.Trial) -> dict:
        rating = t.rating
        return {
            "id": t.id,
            "drug": t.drug,
            "start": t.doses[0].start,
            "end": t.end,
            "augmentation": bool(t.augmentation),
            "min_adequate_mg": t.min_adequate_mg,
            "stop_reason": t.stop_reason,
            "adherence": t.adherence,
            "rating_response": rating.response if rating else None,
            "rating_improvement_pct": rating.improvement_pct if rating else None,
            "rating_date": rating.date if rating else None,
            "note": t.note,
        }

    @staticmethod
    def child_values(t: r.Trial) -> tuple[list[dict], list[dict]]:
        doses = [
            {"trial_id": t.id, "position": i, "start": d.start, "mg_per_day": d.mg_per_day}
            for i, d in enumerate(t.doses)
        ]
        effects = [
            {"trial_id": t.id, "position": i, "name": s.name, "severity": s.severity, "start": s.start, "end": s.end}
            for i, s in enumerate(t.side_effects)
        ]
        return doses, effects

    def to_record(self) -> r.Trial:
        rating = None
        if self.rating_response is not None:
            rating = r.Rating(
                response=self.rating_response, improvement_pct=self.rating_improvement_pct, date=self.rating_date
            )
        return r.Trial(
            id=self.id,
            drug=self.drug,
            doses=tuple(r.DoseStep(start=d.start, mg_per_day=d.mg_per_day) for d in self.doses),
            augmentation=bool(self.augmentation),
            min_adequate_mg=self.min_adequate_mg,
            end=self.end,
            stop_reason=self.stop_reason,
            adherence=self.adherence,
            rating=rating,
            side_effects=tuple(
                r.SideEffect(name=s.name, severity=s.severity, start=s.start, end=s.end) for s in self.side_effects
            ),
            note=self.note or "",
        )


class DoseStepRow(Base):
    __tablename__ = "dose_steps"

    trial_id: Mapped[str] = mapped_column(ForeignKey("trials.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    start: Mapped[dt.date] = mapped_column(Date)
    mg_per_day: Mapped[float] = mapped_column(Float)


class SideEffectRow(Base):
    __tablename__ = "side_effects"

    trial_id: Mapped[str] = mapped_column(ForeignKey("trials.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    severity: Mapped[int | None] = mapped_column(Integer)
    start: Mapped[dt.date | None] = mapped_column(Date)
    end: Mapped[dt.date | None] = mapped_column(Date)


class ScoreRow(Base):
    __tablename__ = "scores"

    id: Mapped[str] = mapped_column(String, primary_key=True)
    date: Mapped[dt.date] = mapped_column(Date, index=True)
    scale: Mapped[str] = mapped_column(String)
    total: Mapped[int] = mapped_column(Integer)
    # Questionnaire answers in order, as a JSON list, exactly as given (null for total-only scales).
    items: Mapped[str | None] = mapped_column(Text)
    difficulty: Mapped[int | None] = mapped_column(Integer)

    @staticmethod
    def values(s: r.ScaleScore) -> dict:
        return {
            "id": s.id,
            "date": s.date,
            "scale": s.scale,
            "total": s.total,
            "items": None if s.items is None else json.dumps([int(i) for i in s.items]),
            "difficulty": s.difficulty,
        }

    def to_record(self) -> r.ScaleScore:
        return r.ScaleScore(
            id=self.id,
            date=self.date,
            scale=self.scale,
            total=self.total,
            items=None if self.items is None else tuple(json.loads(self.items)),
            difficulty=self.difficulty,
        )


class CheckInRow(Base):
    __tablename__ = "checkins"

    id: Mapped[str] = mapped_column(String, primary_key=True)
    date: Mapped[dt.date] = mapped_column(Date, index=True)
    mood: Mapped[int | None] = mapped_column(Integer)
    anxiety: Mapped[int | None] = mapped_column(Integer)
    sleep_quality: Mapped[int | None] = mapped_column(Integer)
    energy: Mapped[int | None] = mapped_column(Integer)
    pain: Mapped[int | None] = mapped_column(Integer)
    hours_slept: Mapped[float | None] = mapped_column(Float)
    note: Mapped[str] = mapped_column(Text, default="")

    @staticmethod
    def values(c: r.DailyCheckIn) -> dict:
        return {
            "id": c.id,
            "date": c.date,
            "mood": c.mood,
            "anxiety": c.anxiety,
            "sleep_quality": c.sleep_quality,
            "energy": c.energy,
            "pain": c.pain,
            "hours_slept": c.hours_slept,
            "note": c.note,
        }

    def to_record(self) -> r.DailyCheckIn:
        return r.DailyCheckIn(
            id=self.id,
            date=self.date,
            mood=self.mood,
            anxiety=self.anxiety,
            sleep_quality=self.sleep_quality,
            energy=self.energy,
            pain=self.pain,
            hours_slept=self.hours_slept,
            note=self.note or "",
        )


class LabRow(Base):
    __tablename__ = "labs"

    id: Mapped[str] = mapped_column(String, primary_key=True)
    date: Mapped[dt.date] = mapped_column(Date, index=True)
    test: Mapped[str] = mapped_column(String)
    value: Mapped[float] = mapped_column(Float)
    unit: Mapped[str | None] = mapped_column(String)
    note: Mapped[str] = mapped_column(Text, default="")

    @staticmethod
    def values(lab: r.Lab) -> dict:
        return {"id": lab.id, "date": lab.date, "test": lab.test, "value": lab.value, "unit": lab.unit, "note": lab.note}

    def to_record(self) -> r.Lab:
        return r.Lab(id=self.id, date=self.date, test=self.test, value=self.value, unit=self.unit, note=self.note or "")


class ConditionRow(Base):
    __tablename__ = "conditions"

    id: Mapped[str] = mapped_column(String, primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    status: Mapped[str | None] = mapped_column(String)
    since: Mapped[dt.date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")

    @staticmethod
    def values(c: r.Condition) -> dict:
        return {"id": c.id, "name": c.name, "status": c.status, "since": c.since, "note": c.note}

    def to_record(self) -> r.Condition:
        return r.Condition(id=self.id, name=self.name, status=self.status, since=self.since, note=self.note or "")


class SessionRow(Base):
    __tablename__ = "sessions"

    id: Mapped[str] = mapped_column(String, primary_key=True)
    # ISO 8601 text exactly as given, so the person's own UTC offset survives the round trip.
    at: Mapped[str] = mapped_column(String)
    # The calendar date of `at` in its own offset: what date-range listings match on.
    day: Mapped[dt.date] = mapped_column(Date, index=True)
    treatment: Mapped[str] = mapped_column(String)
    dose_mg: Mapped[float | None] = mapped_column(Float)
    number_in_course: Mapped[int | None] = mapped_column(Integer)
    bp_before_systolic: Mapped[int | None] = mapped_column(Integer)
    bp_before_diastolic: Mapped[int | None] = mapped_column(Integer)
    bp_after_systolic: Mapped[int | None] = mapped_column(Integer)
    bp_after_diastolic: Mapped[int | None] = mapped_column(Integer)
    dissociation: Mapped[int | None] = mapped_column(Integer)
    sedation: Mapped[int | None] = mapped_column(Integer)
    nausea: Mapped[int | None] = mapped_column(Integer)
    transport_arranged: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(Text, default="")

    @staticmethod
    def values(s: r.Session) -> dict:
        before = s.bp_before or (None, None)
        after = s.bp_after or (None, None)
        return {
            "id": s.id,
            "at": s.datetime.isoformat(),
            "day": s.datetime.date(),
            "treatment": s.treatment,
            "dose_mg": s.dose_mg,
            "number_in_course": s.number_in_course,
            "bp_before_systolic": before[0],
            "bp_before_diastolic": before[1],
            "bp_after_systolic": after[0],
            "bp_after_diastolic": after[1],
            "dissociation": s.dissociation,
            "sedation": s.sedation,
            "nausea": s.nausea,
            "transport_arranged": bool(s.transport_arranged),
            "note": s.note,
        }

    def to_record(self) -> r.Session:
        before = None
        if self.bp_before_systolic is not None and self.bp_before_diastolic is not None:
            before = (self.bp_before_systolic, self.bp_before_diastolic)
        after = None
        if self.bp_after_systolic is not None and self.bp_after_diastolic is not None:
            after = (self.bp_after_systolic, self.bp_after_diastolic)
        return r.Session(
            id=self.id,
            datetime=dt.datetime.fromisoformat(self.at),
            treatment=self.treatment,
            dose_mg=self.dose_mg,
            number_in_course=self.number_in_course,
            bp_before=before,
            bp_after=after,
            dissociation=self.dissociation,
            sedation=self.sedation,
            nausea=self.nausea,
            transport_arranged=bool(self.transport_arranged),
            note=self.note or "",
        )


class NoteRow(Base):
    __tablename__ = "notes"

    id: Mapped[str] = mapped_column(String, primary_key=True)
    date: Mapped[dt.date] = mapped_column(Date, index=True)
    text: Mapped[str] = mapped_column(Text)
    for_appointment: Mapped[bool] = mapped_column(Boolean, default=False)

    @staticmethod
    def values(n: r.Note) -> dict:
        return {"id": n.id, "date": n.date, "text": n.text, "for_appointment": bool(n.for_appointment)}

    def to_record(self) -> r.Note:
        return r.Note(id=self.id, date=self.date, text=self.text, for_appointment=bool(self.for_appointment))


class EntryByRow(Base):
    """Who entered a record when it was not the journal's owner (caregiver mode)."""

    __tablename__ = "entries_by"

    record: Mapped[str] = mapped_column(String, primary_key=True)
    author: Mapped[str] = mapped_column(Text)

    def to_record(self) -> r.EntryBy:
        return r.EntryBy(record=self.record, author=self.author)
