"""Pydantic models of a flow file: steps, fields, routed questions, options and meldnormen.

The models describe the shape of a flow only; cross-references (routing targets, meldnorm ids,
reachability, cycles) are checked in `meldcode_tui.flow.validate`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, model_validator

from meldcode_tui.flow.routing import END, REPEAT, RoutingTable

RESERVED_TARGETS = frozenset({END, REPEAT})
OTHER_ROLE = "anders"
"""The id of the role option that asks the user to type their role."""

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
    """One answer to a choice field or checklist, or one item of an `aftercare` field.

    `warning` is shown prominently on the screen while the option is chosen (e.g. "Raadpleeg
    altijd eerst Veilig Thuis"); the export names it with the value. An aftercare item's `help`
    is the protocol's full text of the item; `hint` says what to do (screen only) and `restart`
    offers to run the protocol again as a new, linked case.
    """

    id: Identifier = Field(min_length=1)
    label: str = Field(min_length=1)
    help: str = ""
    warning: str = Field(
        default="", description="Shown prominently while this option is chosen or ticked."
    )
    hint: str = Field(
        default="", description="An aftercare item: what to do, shown under it (screen only)."
    )
    restart: bool = Field(
        default=False,
        description="An aftercare item: offers to run the protocol again as a new linked case.",
    )
    short: str = Field(
        default="", description="A short label where space is tight (the case list's columns)."
    )


def decision_word(decision: Any) -> str | None:
    """A stored decision (`Decision`, its dict form, or a bool) as `ja` / `nee`; None if open."""
    value = decision.get("value") if isinstance(decision, Mapping) else decision
    value = getattr(value, "value", value)
    if isinstance(value, bool):
        return "ja" if value else "nee"
    return None


class Condition(_Strict):
    """Show a field only when another field of the same step (`field`), or a step-5 decision
    (`decision`: `melden` or `hulp`, read as `ja` / `nee`), has one of the given values."""

    field: Identifier | None = None
    decision: Literal["melden", "hulp"] | None = None
    equals: list[str] = Field(min_length=1)

    @model_validator(mode="after")
    def _one_subject(self) -> Condition:
        if (self.field is None) == (self.decision is None):
            raise ValueError("a condition names either a field or a decision")
        return self

    def holds(self, values: Mapping[str, Any], decisions: Mapping[str, Any] | None = None) -> bool:
        """The one `show_if` evaluator: a list value meets the condition when any item does."""
        if self.decision is not None:
            return decision_word((decisions or {}).get(self.decision)) in self.equals
        value = values.get(self.field or "")
        if isinstance(value, list):
            return any(isinstance(item, str) and item in self.equals for item in value)
        return isinstance(value, str) and value in self.equals


class DueDate(_Strict):
    """Which aftercare item a date field's value makes due, and how many working days later."""

    item: Identifier = Field(min_length=1)
    working_days: int = Field(default=0, ge=0, le=366)


class FormField(_Strict):
    """One thing a step (or an answer) records, rendered by the widget for its `kind`.

    `label` names the value in the record and the export; hints for the screen only ("optioneel",
    "vink aan ...") belong in `help`, which is never exported.
    """

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
    yes_label: str = Field(default="", description="A decision field: the text of deciding yes.")
    no_label: str = Field(default="", description="A decision field: the text of deciding no.")
    options_label: str = Field(
        default="", description="A decision field: the heading of its checklist of options."
    )
    reason_label: str = ""
    deviation_warning: str = ""
    deciders: list[Identifier] = Field(
        default_factory=list,
        description=(
            "A decision field: the roles (ids of the flow's `roles`) that take this decision by "
            "the protocol. Decided in another role, the field shows `decider_warning` and the "
            "reason is required."
        ),
    )
    decider_warning: str = ""
    sets_due: Identifier | DueDate | None = Field(
        default=None,
        description=(
            "A date field only: the aftercare item (an option id of the flow's aftercare field) "
            "whose due date this date becomes, or {item, working_days}: that many working days "
            "(Monday to Friday) after this date."
        ),
    )
    records: Literal["melding", "hulp_gestart"] | None = Field(
        default=None,
        description=(
            "The event this field records when it first gets a value; the case status follows "
            "it (melding: gemeld)."
        ),
    )
    requires: list[Identifier] = Field(
        default_factory=list,
        description=(
            "Earlier fields of the same step that must be filled (those shown) before this "
            "field may get a value."
        ),
    )

    def chosen_warnings(self, value: Any) -> list[str]:
        """The warnings of the options chosen in `value` (an option id or a list of them)."""
        chosen = value if isinstance(value, list) else [value]
        return [o.warning for o in self.options if o.warning and o.id in chosen]

    @property
    def due(self) -> DueDate | None:
        """`sets_due` in one form."""
        if isinstance(self.sets_due, str):
            return DueDate(item=self.sets_due)
        return self.sets_due


def shown_fields(
    fields: list[FormField], values: Mapping[str, Any], decisions: Mapping[str, Any] | None = None
) -> set[str]:
    """The ids of the fields shown: a field whose condition names a hidden field is hidden too."""
    shown: set[str] = set()
    for field in fields:
        condition = field.show_if
        if condition is not None and condition.field is not None and condition.field not in shown:
            continue
        if condition is None or condition.holds(values, decisions):
            shown.add(field.id)
    return shown


class Contact(_Strict):
    """A number the app can always show (Veilig Thuis, 112)."""

    id: Identifier
    name: str
    phone: str
    note: str = ""


class Meldnorm(_Strict):
    """A norm that, when met, means the school reports to Veilig Thuis.

    `definition` says what the norm means; it is shown where the norm is ticked.
    """

    id: Identifier = Field(min_length=1)
    label: str = Field(min_length=1)
    note: str = ""
    definition: str = ""
    short: str = Field(
        default="", description="A few words where space is tight (the afwegingskader)."
    )


class Effect(_Strict):
    """What choosing an option means for the advice."""

    melden: bool | None = None
    hulp: bool | None = None
    meldnormen: list[Identifier] = Field(default_factory=list)
    choose_meldnormen: bool = Field(
        default=False,
        description=(
            "The professional ticks at least one of `meldnormen`; none is ticked in advance, and "
            "until one is they are advised as candidates only."
        ),
    )
    veilig_thuis_raadplegen: bool = False


class CloseCase(_Strict):
    """After this answer the case may be closed at once, with a written reason."""

    label: str = Field(min_length=1, description="The action, e.g. 'Afsluiten en vastleggen'.")
    reason_label: str = Field(min_length=1)
    skips: list[Identifier] = Field(
        default_factory=list, description="Ids of the steps that are then not required."
    )


class QuestionOption(_Strict):
    """An answer to a weighing question, with where it leads and what it advises.

    `advice` is part of the record (the export shows it as the answer's consequence); `help` is
    guidance for the screen only. `fields` are recorded with this answer (e.g. an evaluation
    date); `close` says the case may be closed at once after it.
    """

    id: Identifier = Field(min_length=1)
    label: str = Field(min_length=1)
    goto: Identifier | None = None
    advice: str = ""
    help: str = ""
    effect: Effect = Field(default_factory=Effect)
    fields: list[FormField] = Field(default_factory=list)
    close: CloseCase | None = None


class Question(_Strict):
    """A routed weighing question (step 4): answered with one of its options.

    `title` is the question's short name (the heading of the afwegingskader, e.g. "Vermoeden"),
    used where the question is listed with its answer.
    """

    id: Identifier = Field(min_length=1)
    title: str = ""
    text: str = Field(min_length=1)
    help: str = ""
    justification_label: str = "Toelichting"
    options: list[QuestionOption] = Field(min_length=1)

    def option(self, option_id: str) -> QuestionOption | None:
        return next((o for o in self.options if o.id == option_id), None)


class Step(_Strict):
    """One step of the protocol: who is involved, the protocol's text, and what it records."""

    id: Identifier = Field(min_length=1)
    number: int | None = None
    title: str = Field(min_length=1)
    short: str = Field(
        default="",
        description=(
            "The step's name where space is tight (the stepper, the case list); else the first "
            "word of its title."
        ),
    )
    who: str = ""
    summary: str = ""
    guidance: str = ""
    fields: list[FormField] = Field(default_factory=list)
    questions: list[Question] = Field(default_factory=list)
    warning: str = ""

    @property
    def holds_aftercare(self) -> bool:
        """Is this the nazorg step (it has an `aftercare` field)?"""
        return any(field.kind is FieldKind.AFTERCARE for field in self.fields)


class AdviceTexts(_Strict):
    """How an advice of the weighing reads: to report or not, to help or not (an empty text is
    left out)."""

    melden_ja: str = ""
    melden_nee: str = ""
    hulp_ja: str = ""
    hulp_nee: str = ""

    def of(self, key: str, value: bool | None) -> str:
        """The text for advice `key` (melden, hulp) being `value`; "" when none is given."""
        if value is None:
            return ""
        return str(getattr(self, f"{key}_{'ja' if value else 'nee'}", ""))


class WeighingTexts(AdviceTexts):
    """The outcome of the weighing: the advice, its meldnormen and a closing line. `melden_ja`
    may name the Veilig Thuis number as {phone}."""

    meldnorm: str = Field(default="", description="Lead of the meldnormen in force.")
    candidates: str = Field(default="", description="Lead of the meldnormen still to be ticked.")
    closing: str = Field(default="", description="The last line, e.g. that step 5 decides.")
    closing_may_close: str = Field(
        default="",
        description="The last line instead when the case may be closed at once (`close`).",
    )


class FlowTexts(_Strict):
    """Protocol texts the screens show around the data (not UI chrome): the advice of step 4 as
    the weighing's outcome and as the advice beside each besluit of step 5."""

    weighing: WeighingTexts = Field(default_factory=WeighingTexts)
    decision_advice: AdviceTexts = Field(
        default_factory=AdviceTexts,
        description="Beside a decision of step 5: what step 4 advised (melden_ja, hulp_nee, ...).",
    )


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
    statuses: list[Option] = Field(
        default_factory=list,
        description=(
            "How a case's status (open, gemeld, hulp, gesloten) reads in the record (`label`) "
            "and in the case list (`short`)."
        ),
    )
    roles: list[Option] = Field(
        default_factory=list,
        description=(
            "The roles a user picks from when saying who is acting (an option `anders` lets "
            "them type another); decision fields name theirs in `deciders`."
        ),
    )
    texts: FlowTexts = Field(default_factory=FlowTexts)
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

    def aftercare_items(self) -> list[Option]:
        """The items of the flow's aftercare checklists, in file order."""
        return [
            option
            for step in self.steps
            for field in step.fields
            if field.kind is FieldKind.AFTERCARE
            for option in field.options
        ]

    def close_on(self, path: Iterable[str], answers: Mapping[str, str]) -> CloseCase | None:
        """The early close an answer on the route in force offers (vermoeden = nee), or None:
        the one evaluator of `close`, used by casework and the export. `answers`: question id
        → chosen option id."""
        for qid in path:
            question = self.question(qid)
            option = question.option(answers.get(qid, "")) if question is not None else None
            if option is not None and option.close is not None:
                return option.close
        return None

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

    def status_label(self, status: str) -> str:
        """The flow's name for a case status; the status id itself when the flow has none."""
        return next((o.label for o in self.statuses if o.id == status), status)

    @property
    def named_roles(self) -> list[Option]:
        """The roles that name themselves: every role but `OTHER_ROLE`, which asks for text."""
        return [o for o in self.roles if o.id != OTHER_ROLE]

    def role_label(self, role_id: str) -> str:
        return next((o.label for o in self.roles if o.id == role_id), role_id)

    def is_role(self, actor_role: str, role_ids: list[str]) -> bool:
        """Does a stored actor role (a role's label, its id, or typed text) name one of
        `role_ids`? Case, spaces and punctuation do not count ("OT medewerker")."""
        wanted = _role_key(actor_role)
        if not wanted:
            return False
        for role_id in role_ids:
            if wanted in (_role_key(role_id), _role_key(self.role_label(role_id))):
                return True
        return False

    def outside_deciders(self, field: FormField, actor_role: str) -> bool:
        """Is `actor_role` not one this flow names to take the decision of `field` (its
        `deciders`)? A field that names none has no outside."""
        return bool(field.deciders) and not self.is_role(actor_role, field.deciders)

    def status_short(self, status: str) -> str:
        """The flow's short name for a case status (a column); else its label."""
        return next((o.short or o.label for o in self.statuses if o.id == status), status)

    def contact(self, contact_id: str) -> Contact | None:
        return next((c for c in self.contacts if c.id == contact_id), None)

    @property
    def start(self) -> str | None:
        """The first routed question: where the weighing begins."""
        questions = self.questions()
        return questions[0].id if questions else None

    def _question_index(self) -> dict[str, Question]:
        return {q.id: q for q in self.questions()}


def _role_key(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())
