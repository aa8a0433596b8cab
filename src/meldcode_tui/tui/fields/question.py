"""`QuestionView`: the weighing question on screen, with its options, advice and justification.

One view shows every question of the weighing in turn: `show` writes another question into the
same widgets (texts, a pool of radio buttons, the meldnormen boxes, the Veilig Thuis box and the
two text areas) instead of mounting a view per question. Nothing is mounted, hidden or focused
anew on F8, so the next question is one repaint away. What the user entered in a question that is
no longer shown stays in the view as a draft and comes back with it, also before it was saved.

Posts `QuestionView.Answered` whenever the chosen option, the justification, the ticked meldnormen
or the Veilig Thuis advice change (and an option is chosen); writing a question into the widgets
never posts. Routing is not done here: the screen passes the answers to the engine.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Checkbox, Label, Static, TextArea

from meldcode_tui.flow.model import Option, Question, QuestionOption
from meldcode_tui.tui.fields.base import FieldContext, required_label
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
        names = ("value", "justification", "meldnormen", "veilig_thuis_advice")
        answer = {name: getattr(answer, name, None) for name in names}
    norms = answer.get("meldnormen")
    return {
        "value": answer.get("value") or "",
        "justification": answer.get("justification") or "",
        "meldnormen": list(norms) if norms else None,
        "veilig_thuis_advice": answer.get("veilig_thuis_advice") or "",
    }


def ticks_meldnormen(option: QuestionOption) -> bool:
    """Does this option ask which of its meldnormen apply?"""
    return len(option.effect.meldnormen) >= 2


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
        )

    def posted(self) -> tuple[Any, ...]:
        return (self.option, self.justification, self.meldnormen, self.vt_advice)


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
        }

    def needs_veilig_thuis(self) -> bool:
        option = self.option
        return option is not None and option.effect.veilig_thuis_raadplegen

    def ready(self) -> bool:
        """An option is chosen and, if it asks to consult Veilig Thuis, its advice is written."""
        return self.option is not None and (
            not self.needs_veilig_thuis() or bool(self._draft.vt_advice.strip())
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
        read_only = self.context.read_only
        flow = self.context.flow
        yield Static("", classes="question-text")
        yield Static("", classes="question-help")
        yield ChoiceList(disabled=read_only, classes="question-options")
        yield Static("", classes="question-advice")
        for question in self._questions:
            for option in question.options:
                if ticks_meldnormen(option):
                    norms = [
                        Option(id=norm_id, label=norm.label if norm else norm_id)
                        for norm_id in option.effect.meldnormen
                        for norm in [flow.meldnorm(norm_id)]
                    ]
                    with Vertical(classes="question-meldnormen", name=_norms_key(question, option)):
                        yield Label(MELDNORMEN_TITLE, classes="question-meldnormen-title")
                        yield CheckList(norms, [], disabled=read_only)
        if any(o.effect.veilig_thuis_raadplegen for q in self._questions for o in q.options):
            contact = flow.contact("veilig_thuis")
            name, phone = (contact.name, contact.phone) if contact else VT_FALLBACK
            with Vertical(classes="question-vt"):
                yield Static(f"Bel {name}: {phone}", classes="vt-call")
                if contact and contact.note:
                    yield Static(contact.note, classes="vt-note")
                yield Label(required_label(VT_ADVICE_LABEL, True), classes="vt-advice-label")
                yield TextArea(
                    soft_wrap=True, tab_behavior="focus", disabled=read_only, classes="vt-advice"
                )
        yield Label("", classes="question-justification-label")
        yield TextArea(
            soft_wrap=True,
            tab_behavior="focus",
            disabled=read_only,
            classes="question-justification",
        )

    def on_mount(self) -> None:
        self._fill()

    def focus_input(self) -> None:
        self.query_one(".question-options", ChoiceList).focus()

    @contextmanager
    def _quiet(self) -> Iterator[None]:
        """Write into the widgets without their change messages reaching us as edits."""
        with self.prevent(ChoiceList.Changed, Checkbox.Changed, TextArea.Changed):
            yield

    def _fill(self) -> None:
        """Write the shown question and its draft into the widgets."""
        question, draft = self.question, self._draft
        _set_text(self.query_one(".question-text", Static), question.text)
        help_text = self.query_one(".question-help", Static)
        _set_text(help_text, question.help or "")
        help_text.display = bool(question.help)
        labels = [o.label for o in question.options]
        pressed = next((i for i, o in enumerate(question.options) if o.id == draft.option), -1)
        with self._quiet():
            self.query_one(".question-options", ChoiceList).show_options(labels, pressed)
            for box in self.query(".question-meldnormen"):
                if box.name and box.name.startswith(f"{question.id}/"):
                    ticked = draft.meldnormen if box.name.endswith(f"/{draft.option}") else None
                    box.query_one(CheckList).set_checked(list(ticked or ()))
            for area, text in (
                (".vt-advice", draft.vt_advice),
                (".question-justification", draft.justification),
            ):
                for text_area in self.query(area).results(TextArea):
                    if text_area.text != text:
                        text_area.load_text(text)
        _set_text(
            self.query_one(".question-justification-label", Label), question.justification_label
        )
        self._show_option()

    def _show_option(self) -> None:
        option = self.option
        advice = self.query_one(".question-advice", Static)
        _set_text(advice, option.advice if option and option.advice else "")
        advice.set_class(bool(option and option.advice), "-visible")
        key = _norms_key(self.question, option) if option is not None else ""
        for box in self.query(".question-meldnormen"):
            shown = box.name == key
            if box.display != shown:
                box.display = shown
        if self.needs_veilig_thuis() and not self._draft.vt_shown:
            self._draft = replace(self._draft, vt_shown=True)
        for box in self.query(".question-vt"):
            if box.display != self._draft.vt_shown:
                box.display = self._draft.vt_shown

    def _ticked_meldnormen(self) -> tuple[str, ...] | None:
        option = self.option
        if option is None or not ticks_meldnormen(option):
            return None
        key = _norms_key(self.question, option)
        for box in self.query(".question-meldnormen"):
            if box.name == key:
                return tuple(box.query_one(CheckList).checked) or None
        return None

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
            )
        )

    @on(ChoiceList.Changed, ".question-options")
    def _option_changed(self, event: ChoiceList.Changed) -> None:
        event.stop()
        options = self.question.options
        if not 0 <= event.index < len(options):
            return
        self._draft = replace(self._draft, option=options[event.index].id)
        self._show_option()
        self._edit(meldnormen=self._ticked_meldnormen())

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


def _set_text(widget: Static, text: str) -> None:
    """Update a Static only when its text changes (an update always re-lays out the screen)."""
    if widget.content != text:
        widget.update(text)
