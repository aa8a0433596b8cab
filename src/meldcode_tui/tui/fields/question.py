"""`QuestionView`: one step-4 weighing question with its options, advice and justification.

Posts `QuestionView.Answered` whenever the chosen option, the justification, the ticked meldnormen
or the Veilig Thuis advice change (and an option is chosen). Routing is not done here: the screen
passes the answers to the engine.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Checkbox, Label, RadioSet, Static, TextArea

from meldcode_tui.flow.model import Option, Question, QuestionOption
from meldcode_tui.tui.fields.base import FieldContext, required_label
from meldcode_tui.tui.fields.checklist import CheckList
from meldcode_tui.tui.fields.toggles import OptionRadioSet, WrappingRadioButton

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


class QuestionView(Widget):
    """A weighing question. `ready()` is False until an answer may count as final."""

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
        stored = answer_dict(answer)
        self._option: str = stored["value"] if self._find(stored["value"]) else ""
        self._justification: str = stored["justification"]
        self._meldnormen: list[str] | None = stored["meldnormen"]
        self._vt_advice: str = stored["veilig_thuis_advice"]
        self._last_posted = self._answer_tuple()
        self._vt_shown = bool(self._vt_advice.strip())
        self.set_class(context.read_only, "-read-only")

    def _find(self, option_id: str) -> QuestionOption | None:
        return next((o for o in self.question.options if o.id == option_id), None)

    @property
    def option(self) -> QuestionOption | None:
        """The chosen option, or None."""
        return self._find(self._option)

    @property
    def answer(self) -> dict[str, Any] | None:
        """The answer as `CaseSession.set_answer` takes it, or None before an option is chosen."""
        if not self._option:
            return None
        return {
            "value": self._option,
            "justification": self._justification,
            "meldnormen": self._meldnormen,
            "veilig_thuis_advice": self._vt_advice,
        }

    def needs_veilig_thuis(self) -> bool:
        option = self.option
        return option is not None and option.effect.veilig_thuis_raadplegen

    def ready(self) -> bool:
        """An option is chosen and, if it asks to consult Veilig Thuis, its advice is written."""
        return self.option is not None and (
            not self.needs_veilig_thuis() or bool(self._vt_advice.strip())
        )

    def _answer_tuple(self) -> tuple[Any, ...]:
        norms = tuple(self._meldnormen) if self._meldnormen is not None else None
        return (self._option, self._justification, norms, self._vt_advice)

    def compose(self) -> ComposeResult:
        read_only = self.context.read_only
        flow = self.context.flow
        yield Static(self.question.text, classes="question-text")
        if self.question.help:
            yield Static(self.question.help, classes="question-help")
        with OptionRadioSet(disabled=read_only, classes="question-options"):
            for option in self.question.options:
                yield WrappingRadioButton(option.label, value=option.id == self._option)
        yield Static("", classes="question-advice")
        for option in self.question.options:
            if ticks_meldnormen(option):
                norms = [
                    Option(id=norm_id, label=norm.label if norm else norm_id)
                    for norm_id in option.effect.meldnormen
                    for norm in [flow.meldnorm(norm_id)]
                ]
                checked = self._meldnormen if option.id == self._option else None
                with Vertical(classes="question-meldnormen", name=option.id):
                    yield Label(MELDNORMEN_TITLE, classes="question-meldnormen-title")
                    yield CheckList(norms, checked or [], disabled=read_only)
        if any(o.effect.veilig_thuis_raadplegen for o in self.question.options):
            contact = flow.contact("veilig_thuis")
            name, phone = (contact.name, contact.phone) if contact else VT_FALLBACK
            with Vertical(classes="question-vt"):
                yield Static(f"Bel {name}: {phone}", classes="vt-call")
                if contact and contact.note:
                    yield Static(contact.note, classes="vt-note")
                yield Label(required_label(VT_ADVICE_LABEL, True), classes="vt-advice-label")
                yield TextArea(
                    self._vt_advice,
                    soft_wrap=True,
                    tab_behavior="focus",
                    disabled=read_only,
                    classes="vt-advice",
                )
        yield Label(self.question.justification_label, classes="question-justification-label")
        yield TextArea(
            self._justification,
            soft_wrap=True,
            tab_behavior="focus",
            disabled=read_only,
            classes="question-justification",
        )

    def on_mount(self) -> None:
        self._show_option()

    def focus_input(self) -> None:
        self.query_one(".question-options", RadioSet).focus()

    def _show_option(self) -> None:
        option = self.option
        advice = self.query_one(".question-advice", Static)
        advice.update(option.advice if option else "")
        advice.set_class(bool(option and option.advice), "-visible")
        for box in self.query(".question-meldnormen"):
            box.display = option is not None and box.name == option.id
        self._vt_shown = self._vt_shown or self.needs_veilig_thuis()
        for box in self.query(".question-vt"):
            box.display = self._vt_shown

    def _ticked_meldnormen(self) -> list[str] | None:
        option = self.option
        if option is None or not ticks_meldnormen(option):
            return None
        for box in self.query(".question-meldnormen"):
            if box.name == option.id:
                return box.query_one(CheckList).checked or None
        return None

    def _post(self) -> None:
        if not self._option or self._answer_tuple() == self._last_posted:
            return
        self._last_posted = self._answer_tuple()
        self.post_message(
            self.Answered(
                self.question.id,
                self._option,
                self._justification,
                list(self._meldnormen) if self._meldnormen is not None else None,
                self._vt_advice,
                self,
            )
        )

    @on(RadioSet.Changed, ".question-options")
    def _option_changed(self, event: RadioSet.Changed) -> None:
        event.stop()
        options = self.question.options
        if not 0 <= event.index < len(options):
            return
        self._option = options[event.index].id
        self._meldnormen = self._ticked_meldnormen()
        self._show_option()
        self._post()

    @on(Checkbox.Changed)
    def _meldnorm_changed(self, event: Checkbox.Changed) -> None:
        event.stop()
        self._meldnormen = self._ticked_meldnormen()
        self._post()

    @on(TextArea.Changed, ".vt-advice")
    def _vt_advice_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        self._vt_advice = event.text_area.text
        self._post()

    @on(TextArea.Changed, ".question-justification")
    def _justification_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        self._justification = event.text_area.text
        self._post()
