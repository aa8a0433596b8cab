"""Step 4, the weighing: one question at a time, the answers so far, and the advice.

The engine (`route`) decides which question comes next and what it advises; this widget shows
that state and turns the user's choices into intents (`Weighing.AnswerChanged`, `Weighing.Moved`,
`Weighing.Decide`) that the screen saves through the case session.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, OptionList, Static
from textual.widgets.option_list import Option

from meldcode_tui.case.model import Case
from meldcode_tui.casework.rules import routing_of
from meldcode_tui.flow.engine import Advice, Routing
from meldcode_tui.flow.model import Flow, Question
from meldcode_tui.tui.fields import FieldContext, QuestionView

NOT_IN_FORCE = "telt niet meer mee"


def question_label(question: Question) -> str:
    """A short name for a question: its title (the afwegingskader's heading), else its text."""
    return question.title or question.text


def advice_text(flow: Flow, advice: Advice) -> str:
    """The advice of the whole weighing, in plain lines, in the flow's words
    (`Flow.texts.weighing`)."""
    words = flow.texts.weighing
    phone = _phone(flow)
    melden = words.of("melden", advice.melden)
    lines = [melden.replace("{phone}", phone) if phone else melden.replace(" ({phone})", "")]
    for lead, norms in ((words.meldnorm, advice.confirmed), (words.candidates, advice.candidates)):
        if norms:
            labels = [m.label if (m := flow.meldnorm(n)) else n for n in norms]
            listed = "; ".join(label.lower() for label in labels) + "."
            lines.append(f"{lead}: {listed}" if lead else listed)
    lines.append(words.of("hulp", advice.hulp))
    lines.extend(advice.texts)
    lines.append(words.closing_may_close if advice.may_close else words.closing)
    return "\n".join(line for line in lines if line)


class Weighing(Vertical):
    """The weighing questions of a step, driven by the engine."""

    BLANK = True  # nothing of its own to draw: Textual paints its background without rendering

    @dataclass
    class AnswerChanged(Message):
        """The user changed an answer; the screen saves it."""

        answer: QuestionView.Answered

    @dataclass
    class Moved(Message):
        """Another question (or the outcome, `question_id` "") is now shown."""

        question_id: str

    class Decide(Message):
        """The user wants to go on to the decisions (step 5)."""

    def __init__(self, flow: Flow, case: Case, read_only: bool, focus: str = "") -> None:
        super().__init__(id="weighing")
        self.flow = flow
        self.case = case
        self.context = FieldContext(flow=flow, read_only=read_only)
        self.routing: Routing | None = routing_of(flow, case)
        self.current: str | None = self._start(focus)
        self._view: QuestionView | None = None

    def _start(self, focus: str) -> str | None:
        known = focus and self.flow.question(focus) is not None
        if known and (focus in self.case.answers or (self.routing and focus == self.routing.next)):
            return focus
        return self.routing.next if self.routing is not None else self.flow.start

    def compose(self) -> ComposeResult:
        yield OptionList(id="answered")
        yield Static("", id="not-in-force", markup=False)
        first = self.flow.question(self.current or self.flow.start or "")
        first = first or self.flow.questions()[0]
        self._view = QuestionView(
            first, self.case.answers.get(first.id), self.context, id="question"
        )
        self._view.display = self.current is not None
        yield self._view
        yield Static("", id="weighing-advice", markup=False)
        with Horizontal(id="weighing-buttons"):
            yield Button("← Vorige vraag", id="previous-question", compact=True)
            yield Button("Volgende vraag →", id="next-question", variant="primary", compact=True)
            yield Button(
                "Naar stap 5: Beslissen →", id="to-decide", variant="primary", compact=True
            )

    def on_mount(self) -> None:
        self._show_question()

    @property
    def view(self) -> QuestionView | None:
        """The question on screen (one view shows each question in turn), or None at the
        outcome."""
        if self.current is None:
            return None
        return self._view

    def restart(self, focus: str = "") -> None:
        """Shown again: at `focus` when it may be shown, else where the engine says."""
        self.current = self._start(focus)
        if self.is_mounted:
            self._show_question()

    def update_case(self, case: Case) -> None:
        """The case changed (saved): route again and refresh the summary and buttons."""
        self.case = case
        self.routing = routing_of(self.flow, case)
        self._refresh_status()

    def can_advance(self) -> bool:
        """The shown question has a final answer and the engine leads elsewhere."""
        view = self.view
        if view is None or not view.ready() or self.routing is None:
            return False
        return self.routing.complete or self.routing.next != self.current

    def blocked_reason(self) -> str:
        """Why the weighing cannot go on from the shown question ("" when it can, or is done)."""
        view = self.view
        if view is None or self.can_advance():
            return ""
        if view.option is None:
            return "Beantwoord eerst deze vraag."
        if view.needs_meldnormen():
            return "Vink eerst aan welke meldnorm geldt (een of beide)."
        if view.needs_veilig_thuis():
            return (
                f"Bel eerst Veilig Thuis ({_phone(self.flow)}), noteer hun advies en beantwoord "
                "deze vraag daarna opnieuw."
            )
        missing = view.missing_fields()
        if missing:
            return f"Vul eerst in: {', '.join(missing)}."
        return ""

    def previous_question(self) -> str | None:
        """The question before the shown one on the route in force (the last one at the
        outcome), or None at the first question."""
        path = list(self.routing.path) if self.routing is not None else []
        if self.current in path:
            index = path.index(self.current)
            return path[index - 1] if index > 0 else None
        answered = [q for q in path if q in self.case.answers]
        return answered[-1] if answered else None

    async def back(self) -> bool:
        """Show the question before the shown one, to correct its answer."""
        previous = self.previous_question()
        if previous is None:
            return False
        await self.go_to(previous)
        return True

    async def advance(self) -> bool:
        """Show the question the engine names next, or the outcome when routing is complete."""
        if not self.can_advance():
            return False
        assert self.routing is not None
        await self.go_to(None if self.routing.complete else self.routing.next)
        return True

    async def go_to(self, question_id: str | None) -> None:
        if question_id == self.current:
            return
        self.current = question_id
        self._show_question()
        self.post_message(self.Moved(question_id or ""))

    def _show_question(self) -> None:
        view = self._view
        assert view is not None
        question = self.flow.question(self.current) if self.current is not None else None
        if question is not None:
            view.show(question, self.case.answers.get(question.id))
        if view.display != (question is not None):
            view.display = question is not None
        self._refresh_status()
        if question is not None:
            view.focus_input()
        else:
            self.query_one("#to-decide", Button).focus()

    def _refresh_status(self) -> None:
        routing = self.routing
        self._fill_answered(routing)
        outcome = self.query_one("#weighing-advice", Static)
        complete = routing is not None and routing.complete
        outcome.display = complete and self.current is None
        if complete and routing is not None:
            outcome.update(advice_text(self.flow, routing.advice))
        self.query_one("#next-question", Button).display = self.can_advance()
        next_button = self.query_one("#next-question", Button)
        next_button.label = "Naar de uitkomst →" if complete else "Volgende vraag →"
        self.query_one("#to-decide", Button).display = complete and self.current is None
        self.query_one("#previous-question", Button).display = self.previous_question() is not None
        stale = [q for q in (routing.not_in_force if routing else ()) if q in self.case.answers]
        note = self.query_one("#not-in-force", Static)
        note.display = bool(stale)
        if stale:
            names = ", ".join(_label_of(self.flow, q) for q in stale)
            note.update(
                f"Door een gewijzigd antwoord {NOT_IN_FORCE}: {names} (bewaard in de zaak)."
            )

    def _fill_answered(self, routing: Routing | None) -> None:
        options: list[Option] = []
        path = routing.path if routing is not None else ()
        for number, qid in enumerate(path, start=1):
            answer = self.case.answers.get(qid)
            question = self.flow.question(qid)
            if answer is None or question is None or qid == self.current:
                continue
            label = next((o.label for o in question.options if o.id == answer.value), answer.value)
            options.append(Option(f"{number}. {question_label(question)}: {label}", id=qid))
        answered = self.query_one("#answered", OptionList)
        ids = [o.id for o in options]
        if ids != [answered.get_option_at_index(i).id for i in range(answered.option_count)]:
            answered.set_options(options)
        answered.display = bool(options)

    @on(QuestionView.Answered)
    def _answered(self, event: QuestionView.Answered) -> None:
        event.stop()
        self.post_message(self.AnswerChanged(event))

    @on(events.DescendantFocus)
    def _focused(self, event: events.DescendantFocus) -> None:
        answered = event.widget
        if not isinstance(answered, OptionList) or answered.id != "answered":
            return
        if answered.highlighted is None and answered.option_count:
            answered.highlighted = 0

    @on(OptionList.OptionSelected, "#answered")
    async def _revisit(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            await self.go_to(event.option.id)

    @on(Button.Pressed, "#previous-question")
    async def _previous_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        await self.back()

    @on(Button.Pressed, "#next-question")
    async def _next_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        await self.advance()

    @on(Button.Pressed, "#to-decide")
    def _decide_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.Decide())

    def answered_labels(self) -> list[str]:
        answered = self.query_one("#answered", OptionList)
        return [str(answered.get_option_at_index(i).prompt) for i in range(answered.option_count)]

    def stored_answer(self, question_id: str) -> Any:
        return self.case.answers.get(question_id)


def _label_of(flow: Flow, question_id: str) -> str:
    question = flow.question(question_id)
    return question_label(question) if question is not None else question_id


def _phone(flow: Flow) -> str:
    contact = flow.contact("veilig_thuis")
    return contact.phone if contact is not None else ""
