"""The case file: one JSON document per case, validated by pydantic on read and write.

A case refers to its pupil by a pseudonym or pupil number only. The event log is append-only and
holds ids, never case text.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from meldcode_tui.case.migrate import SCHEMA_VERSION as SCHEMA_VERSION

FieldValue = str | bool | list[str] | list[dict[str, str]] | None


def now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Status(StrEnum):
    """Where a case stands; derived from its events by `meldcode_tui.casework.status`."""

    OPEN = "open"
    GEMELD = "gemeld"
    HULP = "hulp"
    NAZORG = "nazorg"
    GESLOTEN = "gesloten"
    HEROPEND = "heropend"


class Actor(_Model):
    """Who did something, and in which role (mentor, teamleider, OT medewerker, ...)."""

    name: str = Field(min_length=1)
    role: str = ""


class FlowRef(_Model):
    """The flow a case was started with."""

    id: str
    version: str
    content_hash: str

    @classmethod
    def of(cls, flow: Any) -> FlowRef:
        """The reference to a loaded `meldcode_tui.flow.model.Flow`."""
        return cls(id=flow.id, version=flow.version, content_hash=flow.content_hash)


class Answer(_Model):
    """An answer to a weighing question (step 4) with its justification, and the values of the
    fields the chosen option asks for (`QuestionOption.fields`, e.g. an evaluation date)."""

    value: str
    justification: str = ""
    meldnormen: list[str] | None = None
    veilig_thuis_advice: str = ""
    values: dict[str, FieldValue] = Field(default_factory=dict)
    by: Actor
    at: datetime = Field(default_factory=now)


class StepRecord(_Model):
    """What a step recorded: field values by field id, and free notes."""

    values: dict[str, FieldValue] = Field(default_factory=dict)
    notes: str = ""
    updated_by: Actor | None = None
    updated_at: datetime | None = None


class Decision(_Model):
    """Besluit 1 (melden) or besluit 2 (hulp): yes/no, the reason, and what was ticked."""

    value: bool | None = None
    reason: str = ""
    checked: list[str] = Field(default_factory=list)
    by: Actor | None = None
    at: datetime | None = None


class AftercareStatus(StrEnum):
    OPEN = "open"
    GEDAAN = "gedaan"
    NVT = "nvt"


class AftercareItem(_Model):
    """One aftercare task from the flow's nazorg list."""

    id: str
    due: date | None = None
    who: str = ""
    status: AftercareStatus = AftercareStatus.OPEN
    note: str = ""

    def overdue(self, today: date) -> bool:
        return self.status is AftercareStatus.OPEN and self.due is not None and self.due < today


class Position(_Model):
    """Where the user was: resuming opens this step and focuses this field or question."""

    step: str = ""
    focus: str = ""


class Event(_Model):
    """An entry of the append-only log. `target` and `detail` hold ids, names or dates; `note`
    holds the reason a person typed for closing, reopening, taking over or keeping a closed case
    shorter than the school's bewaartermijn, and nothing else."""

    at: datetime = Field(default_factory=now)
    by: Actor
    action: str
    target: str = ""
    detail: str = ""
    note: str = ""


class Case(_Model):
    """A whole case file."""

    schema_version: Literal[2] = SCHEMA_VERSION
    id: str
    revision: int = Field(default=0, ge=0)
    """How many times the file was saved: each save names the revision it was based on and is
    refused when the file holds another (0: never saved, or a file from before revisions)."""
    flow: FlowRef
    pupil: str = Field(min_length=1)
    group: str = ""
    created_by: Actor
    created_at: datetime = Field(default_factory=now)
    updated_at: datetime = Field(default_factory=now)
    updated_by: Actor | None = None
    status: Status = Status.OPEN
    status_reason: str = ""
    retain_until: date | None = None
    """The "bewaren tot" date of a closed case (from its close event; none while it is open):
    after it the case is a candidate for destruction."""
    answers: dict[str, Answer] = Field(default_factory=dict)
    steps: dict[str, StepRecord] = Field(default_factory=dict)
    decisions: dict[Literal["melden", "hulp"], Decision] = Field(default_factory=dict)
    aftercare: list[AftercareItem] = Field(default_factory=list)
    position: Position = Field(default_factory=Position)
    progress: str = ""
    """The furthest step with work in it (derived by casework, kept for listing)."""
    linked_case: str | None = None
    events: list[Event] = Field(default_factory=list)

    def answer_values(self) -> dict[str, Any]:
        """Answers in the engine's input form: option id, or option with ticked meldnormen."""
        return {
            qid: a.value
            if a.meldnormen is None
            else {"option": a.value, "meldnormen": a.meldnormen}
            for qid, a in self.answers.items()
        }

    def both_decisions_taken(self) -> bool:
        return all(
            self.decisions.get(key) is not None and self.decisions[key].value is not None
            for key in ("melden", "hulp")
        )

    def last_event(self) -> Event | None:
        return self.events[-1] if self.events else None

    def next_aftercare_due(self) -> date | None:
        dues = [
            i.due for i in self.aftercare if i.due is not None and i.status is AftercareStatus.OPEN
        ]
        return min(dues) if dues else None
