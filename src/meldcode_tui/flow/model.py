"""Pydantic models of a flow file: steps, fields, routed questions, options and meldnormen.

The models describe the shape of a flow only; cross-references (routing targets, meldnorm ids,
reachability, cycles) are checked in `meldcode_tui.flow.validate`.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from meldcode_tui.flow.routing import END, REPEAT, RoutingTable

RESERVED_TARGETS = frozenset({END, REPEAT})

Identifier = str


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FieldKind(StrEnum):
    """The kinds of input a step can ask for; each kind has one generic widget in the app."""

    LINE = "line"
    TEXT = "text"
    CHOICE = "choice"
    YESNO = "yesno"
    DATE = "date"
    ENTRIES = "entries"
    CHECKLIST = "checklist"
    DECISION = "decision"
    AFTERCARE = "aftercare"


class Option(_Strict):
    """One answer to a choice field or checklist."""

    id: Identifier = Field(min_length=1)
    label: str = Field(min_length=1)
    help: str = ""


class Condition(_Strict):
    """Show a field only when another field of the same step has one of the given values."""

    field: Identifier
    equals: list[str] = Field(min_length=1)


class FormField(_Strict):
    """One thing a step records, rendered by the widget for its `kind`."""

    id: Identifier = Field(min_length=1)
    kind: FieldKind
    label: str = Field(min_length=1)
    help: str = ""
    required: bool = False
    options: list[Option] = Field(default_factory=list)
    options_from: Literal["meldnormen"] | None = None
    fields: list[FormField] = Field(default_factory=list)
    min_entries: int = 0
    min_entries_warning: str = ""
    show_if: Condition | None = None
    decision: Literal["melden", "hulp"] | None = None
    reason_label: str = ""
    deviation_warning: str = ""


class Contact(_Strict):
    """A number the app can always show (Veilig Thuis, 112)."""

    id: Identifier
    name: str
    phone: str
    note: str = ""


class Meldnorm(_Strict):
    """A norm that, when met, means the school reports to Veilig Thuis."""

    id: Identifier = Field(min_length=1)
    label: str = Field(min_length=1)
    note: str = ""


class Effect(_Strict):
    """What choosing an option means for the advice."""

    melden: bool | None = None
    hulp: bool | None = None
    meldnormen: list[Identifier] = Field(default_factory=list)
    veilig_thuis_raadplegen: bool = False


class QuestionOption(_Strict):
    """An answer to a weighing question, with where it leads and what it advises."""

    id: Identifier = Field(min_length=1)
    label: str = Field(min_length=1)
    goto: Identifier | None = None
    advice: str = ""
    effect: Effect = Field(default_factory=Effect)


class Question(_Strict):
    """A routed weighing question (step 4): answered with one of its options."""

    id: Identifier = Field(min_length=1)
    text: str = Field(min_length=1)
    help: str = ""
    justification_label: str = "Toelichting"
    options: list[QuestionOption] = Field(min_length=1)


class Step(_Strict):
    """One step of the protocol: who is involved, the protocol's text, and what it records."""

    id: Identifier = Field(min_length=1)
    number: int | None = None
    title: str = Field(min_length=1)
    who: str = ""
    summary: str = ""
    guidance: str = ""
    fields: list[FormField] = Field(default_factory=list)
    questions: list[Question] = Field(default_factory=list)
    warning: str = ""


class Flow(_Strict):
    """A whole protocol. `content_hash` is set by the loader from the file's bytes."""

    model_config = ConfigDict(extra="forbid", frozen=True, coerce_numbers_to_str=True)

    id: Identifier = Field(min_length=1)
    version: str = Field(min_length=1)
    title: str = Field(min_length=1)
    source: str = ""
    notice: str = ""
    contacts: list[Contact] = Field(default_factory=list)
    meldnormen: list[Meldnorm] = Field(default_factory=list)
    steps: list[Step] = Field(min_length=1)

    _content_hash: str = PrivateAttr(default="")
    _routing: RoutingTable | None = PrivateAttr(default=None)

    @property
    def content_hash(self) -> str:
        return self._content_hash

    @property
    def routing(self) -> RoutingTable:
        """The routing table the engine runs on, built once."""
        if self._routing is None:
            self._routing = RoutingTable.from_flow(self)
        return self._routing

    def questions(self) -> list[Question]:
        """Every routed question, in file order."""
        return [q for step in self.steps for q in step.questions]

    def question(self, question_id: str) -> Question | None:
        return self._question_index().get(question_id)

    def step(self, step_id: str) -> Step | None:
        return next((s for s in self.steps if s.id == step_id), None)

    def step_of_question(self, question_id: str) -> Step | None:
        return next((s for s in self.steps if any(q.id == question_id for q in s.questions)), None)

    def meldnorm(self, meldnorm_id: str) -> Meldnorm | None:
        return next((m for m in self.meldnormen if m.id == meldnorm_id), None)

    def contact(self, contact_id: str) -> Contact | None:
        return next((c for c in self.contacts if c.id == contact_id), None)

    @property
    def start(self) -> str | None:
        """The first routed question: where the weighing begins."""
        questions = self.questions()
        return questions[0].id if questions else None

    def _question_index(self) -> dict[str, Question]:
        return {q.id: q for q in self.questions()}
