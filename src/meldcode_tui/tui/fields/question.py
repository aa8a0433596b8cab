"""`QuestionView`: the weighing question on screen, with its options, advice and justification.

One view shows every question of the weighing in turn: `show` writes another question into the
same widgets (texts, a pool of radio buttons, the meldnormen boxes, the Veilig Thuis box and the
two text areas) instead of mounting a view per question. Nothing is mounted, hidden or focused
anew on F8, so the next question is one repaint away. What the user entered in a question that is
no longer shown stays in the view as a draft and comes back with it, also before it was saved.

The fields an option records with it (`QuestionOption.fields`, e.g. the evaluation date of "nog
onbekend") are field widgets from the one registry (`make_field`), built once per option and shown
while that option is chosen.

Posts `QuestionView.Answered` whenever the chosen option, the justification, the ticked meldnormen,
the Veilig Thuis advice or the option's field values change (and an option is chosen); writing a
question into the widgets never posts. Routing is not done here: the screen passes the answers to
the engine.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Checkbox, Label, Static, TextArea

from meldcode_tui.flow.model import Meldnorm, Option, Question, QuestionOption
from meldcode_tui.tui.fields.base import FieldContext, FieldWidget, make_field, required_label
from meldcode_tui.tui.fields.checklist import CheckList
from meldcode_tui.tui.fields.choicelist import ChoiceList

MELDNORMEN_TITLE = "Welke meldnormen zijn van toepassing?"
VT_ADVICE_LABEL = "Advies van Veilig Thuis"
VT_FALLBACK = ("Veilig Thuis", "0800-2000")


def answer_dict(answer: Any) -> dict[str, Any]:
    """A stored answer (pydantic `Answer`, a mapping or None) as plain values."""
    if answer is None:
        answer = {}
    elif not isinstance(answer, Mapping):
        names = ("value", "justification", "meldnormen", "veilig_thuis_advice", "values")
        answer = {name: getattr(answer, name, None) for name in names}
    norms = answer.get("meldnormen")
    values = answer.get("values")
    return {
        "value": answer.get("value") or "",
        "justification": answer.get("justification") or "",
        "meldnormen": list(norms) if norms else None,
        "veilig_thuis_advice": answer.get("veilig_thuis_advice") or "",
        "values": dict(values) if isinstance(values, Mapping) else {},
    }


def ticks_meldnormen(option: QuestionOption) -> bool:
    """Does this option ask which of its meldnormen apply?"""
    return option.effect.choose_meldnormen


def _norms_key(question: Question, option: QuestionOption) -> str:
    return f"{question.id}/{option.id}"


@dataclass(frozen=True)
class _Draft:
    """What the user sees and entered in one question."""

    option: str = ""
    justification: str = ""
    meldnormen: tuple[str, ...] | None = None
    vt_advice: str = ""
    vt_shown: bool = False
    values: tuple[tuple[str, Any], ...] = ()

    @classmethod
    def of(cls, question: Question, answer: Any) -> _Draft:
        stored = answer_dict(answer)
        known = any(o.id == stored["value"] for o in question.options)
        norms = stored["meldnormen"]
        return cls(
            option=stored["value"] if known else "",
            justification=stored["justification"],
            meldnormen=tuple(norms) if norms is not None else None,
            vt_advice=stored["veilig_thuis_advice"],
            vt_shown=bool(stored["veilig_thuis_advice"].strip()),
            values=tuple(sorted(stored["values"].items())) if known else (),
        )

    def posted(self) -> tuple[Any, ...]:
        return (self.option, self.justification, self.meldnormen, self.vt_advice, self.values)


class QuestionHeading(Widget):
    """The question and, below it, its help: one widget to lay out and draw on every F8."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"question-heading--text", "question-heading--help"}

    def __init__(self, *, classes: str | None = None) -> None:
        super().__init__(classes=classes)
        self._shown = ("", "")

    def show(self, text: str, help_text: str) -> None:
        if (text, help_text) != self._shown:
            self._shown = (text, help_text)
            self.refresh(layout=True)

    @property
    def plain(self) -> str:
        text, help_text = self._shown
        return f"{text}\n{help_text}" if help_text else text

    def render(self) -> Content:
        text, help_text = self._shown
        heading = Content.styled(text, self.get_visual_style("question-heading--text"))
        if not help_text:
            return heading
        help_style = self.get_visual_style("question-heading--help")
        return Content.assemble(heading, "\n", Content.styled(help_text, help_style))


class QuestionView(Widget):
    """A weighing question. `ready()` is False until an answer may count as final."""

    BLANK = True  # nothing of its own to draw: Textual paints its background without rendering

    @dataclass
    class Answered(Message):
        """The answer changed (bubbles)."""

        question_id: str
        value: str
        justification: str
        meldnormen: list[str] | None
        veilig_thuis_advice: str
        view: QuestionView | None = field(default=None, repr=False)
        values: dict[str, Any] = field(default_factory=dict)

        @property
        def control(self) -> QuestionView | None:
            return self.view

    def __init__(
        self, question: Question, answer: Any, context: FieldContext, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.question = question
        self.context = context
        others = [q for q in context.flow.questions() if q.id != question.id]
        self._questions: list[Question] = [question, *others]
        self._draft = _Draft.of(question, answer)
        self._drafts: dict[str, _Draft] = {}
        self._last_posted = self._draft.posted()
        self.set_class(context.read_only, "-read-only")
        self._build()

    def _find(self, option_id: str) -> QuestionOption | None:
        return next((o for o in self.question.options if o.id == option_id), None)

    @property
    def option(self) -> QuestionOption | None:
        """The chosen option, or None."""
        return self._find(self._draft.option)

    @property
    def answer(self) -> dict[str, Any] | None:
        """The answer as `CaseSession.set_answer` takes it, or None before an option is chosen."""
        draft = self._draft
        if not draft.option:
            return None
        return {
            "value": draft.option,
            "justification": draft.justification,
            "meldnormen": list(draft.meldnormen) if draft.meldnormen is not None else None,
            "veilig_thuis_advice": draft.vt_advice,
            "values": dict(draft.values),
        }

    def needs_veilig_thuis(self) -> bool:
        option = self.option
        return option is not None and option.effect.veilig_thuis_raadplegen

    def needs_meldnormen(self) -> bool:
        """The chosen option asks which of its meldnormen apply, and none is ticked yet."""
        option = self.option
        return option is not None and ticks_meldnormen(option) and not self._draft.meldnormen

    def missing_fields(self) -> list[str]:
        """Labels of what the chosen option's fields still need (the rule: casework.rules, as
        the stepper counts them)."""
        from meldcode_tui.casework.rules import fields_missing

        option = self.option
        if option is None:
            return []
        return fields_missing(option.fields, dict(self._draft.values))

    def ready(self) -> bool:
        """An option is chosen; if it asks which meldnormen apply, one is ticked; if it asks to
        consult Veilig Thuis, its advice is written; its required fields are filled."""
        return (
            self.option is not None
            and not self.needs_meldnormen()
            and (not self.needs_veilig_thuis() or bool(self._draft.vt_advice.strip()))
            and not self.missing_fields()
        )

    def show(self, question: Question, answer: Any = None) -> None:
        """Show `question`: as the user left it in this view, else with its stored `answer`."""
        if question.id == self.question.id:
            return
        self._drafts[self.question.id] = self._draft
        if all(q.id != question.id for q in self._questions):
            raise ValueError(f"question {question.id!r} is not one this view was built for")
        self.question = question
        self._draft = self._drafts.get(question.id) or _Draft.of(question, answer)
        self._last_posted = _Draft.of(question, answer).posted()
        if self.is_mounted:
            self._fill()

    def compose(self) -> ComposeResult:
        flow = self.context.flow
        yield self._text
        yield self._choices
        yield self._advice
        for box, checks in self._norm_boxes.values():
            box.display = False
            with box:
                yield Label(MELDNORMEN_TITLE, classes="question-meldnormen-title")
                yield checks
        for box, widgets in self._field_boxes.values():
            box.display = False
            with box:
                yield from widgets
        if self._vt_box is not None:
            contact = flow.contact("veilig_thuis")
            name, phone = (contact.name, contact.phone) if contact else VT_FALLBACK
            self._vt_box.display = False
            with self._vt_box:
                yield Static(f"Bel {name}: {phone}", classes="vt-call", markup=False)
                if contact and contact.note:
                    yield Static(contact.note, classes="vt-note", markup=False)
                yield Label(required_label(VT_ADVICE_LABEL, True), classes="vt-advice-label")
                yield self._vt_advice
        yield self._justification_label
        yield self._justification

    def _build(self) -> None:
        """The widgets every question is written into (`compose` places them)."""
        read_only, flow = self.context.read_only, self.context.flow
        self._text = QuestionHeading(classes="question-text")
        self._choices = ChoiceList(disabled=read_only, classes="question-options")
        self._advice = Static("", classes="question-advice", markup=False)
        self._advice.display = False
        self._norm_boxes: dict[str, tuple[Vertical, CheckList]] = {}
        for question in self._questions:
            for option in question.options:
                if ticks_meldnormen(option):
                    norms = [
                        Option(id=norm_id, label=_norm_text(norm) if norm else norm_id)
                        for norm_id in option.effect.meldnormen
                        for norm in [flow.meldnorm(norm_id)]
                    ]
                    key = _norms_key(question, option)
                    box = Vertical(classes="question-meldnormen", name=key)
                    self._norm_boxes[key] = (box, CheckList(norms, [], disabled=read_only))
        self._field_boxes: dict[str, tuple[Vertical, list[FieldWidget]]] = {}
        field_context = FieldContext(flow=flow, read_only=read_only)
        for question in self._questions:
            for option in question.options:
                if option.fields:
                    key = _norms_key(question, option)
                    widgets = [make_field(f, None, field_context) for f in option.fields]
                    box = Vertical(classes="question-fields", name=key)
                    self._field_boxes[key] = (box, widgets)
        asks_vt = any(o.effect.veilig_thuis_raadplegen for q in self._questions for o in q.options)
        self._vt_box = Vertical(classes="question-vt") if asks_vt else None
        self._vt_advice = TextArea(
            soft_wrap=True, tab_behavior="focus", disabled=read_only, classes="vt-advice"
        )
        self._justification_label = Label("", classes="question-justification-label", markup=False)
        self._justification = TextArea(
            soft_wrap=True,
            tab_behavior="focus",
            disabled=read_only,
            classes="question-justification",
        )

    def on_mount(self) -> None:
        self._fill()

    def focus_input(self) -> None:
        self._choices.focus()

    @contextmanager
    def _quiet(self) -> Iterator[None]:
        """Write into the widgets without their change messages reaching us as edits."""
        with self.prevent(ChoiceList.Changed, Checkbox.Changed, TextArea.Changed):
            yield

    def _fill(self) -> None:
        """Write the shown question and its draft into the widgets."""
        question, draft = self.question, self._draft
        self._text.show(question.text, question.help or "")
        labels = [o.label for o in question.options]
        pressed = next((i for i, o in enumerate(question.options) if o.id == draft.option), -1)
        with self._quiet():
            self._choices.show_options(labels, pressed)
            for option in question.options:
                entry = self._norm_boxes.get(_norms_key(question, option))
                if entry is not None:
                    ticked = draft.meldnormen if option.id == draft.option else None
                    entry[1].set_checked(list(ticked or ()))
            self._load_fields()
            areas = [(self._justification, draft.justification)]
            if self._vt_box is not None:
                areas.append((self._vt_advice, draft.vt_advice))
            for text_area, text in areas:
                if text_area.text != text:
                    text_area.load_text(text)
        _set_text(self._justification_label, question.justification_label)
        self._show_option()

    def _load_fields(self) -> None:
        """Write the draft's field values into the shown question's option fields (those of
        the options not chosen are emptied: choosing another option drops their values)."""
        question, draft = self.question, self._draft
        for option in question.options:
            fields = self._field_boxes.get(_norms_key(question, option))
            values = dict(draft.values) if option.id == draft.option else {}
            for widget in fields[1] if fields is not None else ():
                widget.load(values.get(widget.field.id))

    def _show_option(self) -> None:
        option = self.option
        advice = "\n".join(t for t in (option.advice, option.help) if t) if option else ""
        _set_text(self._advice, advice)
        if self._advice.display != bool(advice):
            self._advice.display = bool(advice)
        key = _norms_key(self.question, option) if option is not None else ""
        for box_key, (box, _) in self._norm_boxes.items():
            if box.display != (box_key == key):
                box.display = box_key == key
        for box_key, (box, _) in self._field_boxes.items():
            if box.display != (box_key == key):
                box.display = box_key == key
        if self.needs_veilig_thuis() and not self._draft.vt_shown:
            self._draft = replace(self._draft, vt_shown=True)
        if self._vt_box is not None and self._vt_box.display != self._draft.vt_shown:
            self._vt_box.display = self._draft.vt_shown

    def _ticked_meldnormen(self) -> tuple[str, ...] | None:
        option = self.option
        if option is None or not ticks_meldnormen(option):
            return None
        entry = self._norm_boxes.get(_norms_key(self.question, option))
        return (tuple(entry[1].checked) or None) if entry is not None else None

    def _edit(self, **changes: Any) -> None:
        self._draft = replace(self._draft, **changes)
        draft = self._draft
        if not draft.option or draft.posted() == self._last_posted:
            return
        self._last_posted = draft.posted()
        self.post_message(
            self.Answered(
                self.question.id,
                draft.option,
                draft.justification,
                list(draft.meldnormen) if draft.meldnormen is not None else None,
                draft.vt_advice,
                self,
                dict(draft.values),
            )
        )

    @on(ChoiceList.Changed, ".question-options")
    def _option_changed(self, event: ChoiceList.Changed) -> None:
        event.stop()
        options = self.question.options
        if not 0 <= event.index < len(options):
            return
        chosen = options[event.index].id
        values = self._draft.values if chosen == self._draft.option else ()
        self._draft = replace(self._draft, option=chosen, values=values)
        self._load_fields()
        self._show_option()
        self._edit(meldnormen=self._ticked_meldnormen())

    @on(FieldWidget.Changed)
    def _option_field_changed(self, event: FieldWidget.Changed) -> None:
        event.stop()
        values = dict(self._draft.values)
        if event.value in (None, "", []):
            values.pop(event.field_id, None)
        else:
            values[event.field_id] = event.value
        self._edit(values=tuple(sorted(values.items())))

    @on(Checkbox.Changed)
    def _meldnorm_changed(self, event: Checkbox.Changed) -> None:
        event.stop()
        self._edit(meldnormen=self._ticked_meldnormen())

    @on(TextArea.Changed, ".vt-advice")
    def _vt_advice_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        self._edit(vt_advice=event.text_area.text)

    @on(TextArea.Changed, ".question-justification")
    def _justification_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        self._edit(justification=event.text_area.text)


def _norm_text(norm: Meldnorm) -> str:
    """A meldnorm to tick: its definition, which names it, else its label."""
    return norm.definition or norm.label


def _set_text(widget: Static, text: str) -> None:
    """Update a Static only when its text changes (an update always re-lays out the screen)."""
    if widget.content != text:
        widget.update(text)
