"""The afwegingskader as a picture: the routing of the weighing questions drawn from the flow.

Every routed question of the flow is a node, every answer a child naming where it leads: the next
question, the end with its advice, or the same question again. The answers of the open case are
routed with the engine, and the path in force is marked: the chosen answers with "●", the
question still to answer with "▶", the rest dimmed. Nothing here knows the questions of a
particular flow; change the flow file and the picture changes with it.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.screen import Screen
from textual.style import Style as VisualStyle
from textual.widgets import OptionList, Static

from meldcode_tui.flow.engine import AnswerError, Routing, route
from meldcode_tui.flow.model import Flow, Question
from meldcode_tui.flow.routing import END, REPEAT, RouteOption
from meldcode_tui.tui.widgets.keybar import KeyBar

TARGET_WIDTH = 52
CHOSEN_MARKER = "●"
OPEN_MARKER = "○"
NEXT_MARKER = "▶"


class Mark(StrEnum):
    """How a node is drawn; each mark is a component class of `KaderTree` styled in kader.tcss."""

    CHOSEN = "chosen"
    PATH = "path"
    NEXT = "next"
    OFF = "off"


@dataclass(frozen=True)
class KaderItem:
    """What a node of the tree stands for: a question, or one answer (`option`) to it."""

    question: str
    option: str | None
    mark: Mark


def shorten(text: str, width: int) -> str:
    return textwrap.shorten(" ".join(text.split()), width, placeholder="…")


def _norms(flow: Flow, ids: tuple[str, ...] | list[str]) -> str:
    """Meldnormen by their short names in the flow (the id only for one it does not know)."""
    return ", ".join((m.short or m.label).lower() if (m := flow.meldnorm(n)) else n for n in ids)


def effect_summary(flow: Flow, option: RouteOption) -> str:
    """The advice an answer gives, in a few words (empty when it advises nothing)."""
    if option.melden:
        norms = f" ({_norms(flow, option.meldnormen)})" if option.meldnormen else ""
        return f"advies melden{norms}"
    if option.melden is False:
        summary = "hulp, niet melden" if option.hulp else "niet melden"
        return f"{summary}, zaak afsluiten" if option.close else summary
    if option.hulp:
        return "hulp"
    return ""


@dataclass(frozen=True)
class KaderLine:
    """One node as drawn: its item, its text, and the guides before its first and later lines."""

    item: KaderItem
    text: str
    first: str = ""
    rest: str = ""


class KaderTree(OptionList):
    """The questions and their answers as a tree, each node one option of a list: a long
    question wraps under its own text at any width (a `Tree` draws a node on one line and cut
    them at about 70 characters). Nodes are styled by their `Mark` through component classes."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {f"kader--{mark}" for mark in Mark}

    def __init__(self, lines: list[KaderLine], *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self.lines = lines
        self._wrap_width = 0

    @property
    def items(self) -> list[KaderItem]:
        return [line.item for line in self.lines]

    @property
    def labels(self) -> list[str]:
        """Every node's text, unwrapped and without guides (for tests)."""
        return [line.text for line in self.lines]

    @property
    def cursor_item(self) -> KaderItem | None:
        index = self.highlighted
        return self.lines[index].item if index is not None else None

    def move_to(self, item: KaderItem) -> None:
        self.highlighted = self.items.index(item)

    def on_mount(self) -> None:
        self.set_options(self._prompt(line) for line in self.lines)

    def on_resize(self) -> None:
        width = max(self.scrollable_content_region.width, 12)
        if width != self._wrap_width:
            self._wrap_width = width
            for index, line in enumerate(self.lines):
                self.replace_option_prompt_at_index(index, self._prompt(line))

    def _prompt(self, line: KaderLine) -> Content:
        try:
            style: VisualStyle | None = self.get_visual_style(f"kader--{line.item.mark}")
        except KeyError:  # not styled yet: measured without
            style = None
        hang = _hang(line.text)
        rest = line.rest + " " * hang
        width = self._wrap_width or 10_000
        rows = wrap_words(line.text, width - len(line.first), width - len(rest))
        parts: list[Content] = []
        for number, row in enumerate(rows):
            text = Content(row if number == 0 else row.lstrip())
            lead = line.first if number == 0 else rest
            parts.append(Content(lead) + (text.stylize(style) if style else text))
        return Content("\n").join(parts)


def wrap_words(text: str, first: int, rest: int) -> list[str]:
    """`text` in rows of at most `first` cells, then `rest` cells, broken between words."""
    rows: list[str] = []
    current = ""
    limit = max(first, 8)
    for word in text.split(" "):
        candidate = f"{current} {word}" if current else word
        if current and len(candidate) > limit:
            rows.append(current)
            current, limit = word, max(rest, 8)
        else:
            current = candidate
    rows.append(current)
    return rows


def _hang(text: str) -> int:
    """The indent of a node's later lines: under its text, past its marker and number."""
    indent = 0
    head, _, tail = text.partition(" ")
    if head in (NEXT_MARKER, CHOSEN_MARKER, OPEN_MARKER):
        indent, (head, _, tail) = len(head) + 1, tail.partition(" ")
    if head.rstrip(".").isdigit() and head.endswith("."):
        indent += len(head) + 1
    return indent


class AfwegingskaderScreen(Screen[str | None]):
    """The routing of the weighing questions with the path and outcome of the given answers.

    With `can_pick`, Enter on a question of the route (or one of its answers) closes the view
    with that question's id, for the step screen to show it; else it closes with None."""

    CSS_PATH = "kader.tcss"
    AUTO_FOCUS = "#kader-tree"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Sluiten", id="close"),
        Binding("enter", "pick", "Naar deze vraag", key_display="Enter", priority=True, id="pick"),
    ]

    def __init__(
        self, flow: Flow, answers: Mapping[str, object], *, can_pick: bool = False
    ) -> None:
        super().__init__()
        self.can_pick = can_pick
        self.flow = flow
        self.numbers = {q.id: n for n, q in enumerate(flow.questions(), start=1)}
        self.answer_problem = ""
        self.cursor_item: KaderItem | None = None
        try:
            self.routing: Routing = route(flow.routing, answers, strict=False)
        except AnswerError as exc:
            self.answer_problem = str(exc)
            self.routing = route(flow.routing, {})

    def compose(self) -> ComposeResult:
        yield Static(self.title_text(), id="kader-title", markup=False)
        yield Static(
            f"{CHOSEN_MARKER} gekozen antwoord   {NEXT_MARKER} nog te beantwoorden   "
            "grijs: niet op de route",
            id="kader-legend",
        )
        yield self.build_tree()
        yield Static(self.outcome_text(), id="kader-outcome", markup=False)
        advice = self.advice_text()
        if advice:
            yield Static(advice, id="kader-advice", markup=False)
        yield KeyBar()

    def title_text(self) -> str:
        step = self.flow.step_of_question(self.flow.start) if self.flow.start else None
        if step is None:
            return "Afwegingskader"
        number = f"stap {step.number}: " if step.number is not None else ""
        return f"Afwegingskader — {number}{step.title}"

    def build_tree(self) -> KaderTree:
        lines: list[KaderLine] = []
        cursor: KaderItem | None = None
        for question in self.flow.questions():
            mark = self.question_mark(question.id)
            item = KaderItem(question.id, None, mark)
            lines.append(KaderLine(item, self.question_label(question, mark).plain))
            if mark is Mark.NEXT:
                cursor = item
            chosen = self.routing.chosen.get(question.id)
            options = self.flow.routing.questions[question.id].options
            for number, option in enumerate(options, start=1):
                is_chosen = chosen is not None and chosen.id == option.id
                leaf = KaderItem(question.id, option.id, Mark.CHOSEN if is_chosen else Mark.OFF)
                last = number == len(options)
                lines.append(
                    KaderLine(
                        leaf,
                        self.option_label(question, option, is_chosen).plain,
                        first="└── " if last else "├── ",
                        rest="    " if last else "│   ",
                    )
                )
                if is_chosen and self.routing.next is None:
                    cursor = leaf
        self.cursor_item = cursor
        return KaderTree(lines, id="kader-tree")

    def on_mount(self) -> None:
        if self.cursor_item is not None:
            self.query_one(KaderTree).move_to(self.cursor_item)

    def question_mark(self, question_id: str) -> Mark:
        if question_id == self.routing.next:
            return Mark.NEXT
        if question_id in self.routing.chosen:
            return Mark.PATH
        return Mark.OFF

    def question_label(self, question: Question, mark: Mark) -> Text:
        """The question's heading (`title`) and its whole text, wrapped by the list."""
        marker = f"{NEXT_MARKER} " if mark is Mark.NEXT else ""
        title = f"{question.title} — " if question.title else ""
        text = " ".join(question.text.split())
        return Text(f"{marker}{self.numbers[question.id]}. {title}{text}")

    def option_label(self, question: Question, option: RouteOption, chosen: bool) -> Text:
        label = next((o.label for o in question.options if o.id == option.id), option.id)
        marker = CHOSEN_MARKER if chosen else OPEN_MARKER
        return Text(f"{marker} {label} → {self.target_text(option)}")

    def target_text(self, option: RouteOption) -> str:
        summary = effect_summary(self.flow, option)
        if option.goto == END:
            return f"einde: {summary}" if summary else "einde"
        if option.goto == REPEAT:
            return "opnieuw (bel Veilig Thuis)" if option.veilig_thuis_raadplegen else "opnieuw"
        question = self.flow.question(option.goto)
        text = (question.title or question.text) if question is not None else option.goto
        extra = f" · {summary}" if summary else ""
        room = max(TARGET_WIDTH - len(extra), 12)
        return f"{self.numbers.get(option.goto, '?')}. {shorten(text, room)}{extra}"

    def outcome_text(self) -> str:
        routing = self.routing
        advice = routing.advice
        if self.answer_problem:
            return "De antwoorden van deze zaak passen niet bij dit stroomschema."
        if routing.complete:
            if advice.melden:
                norms = (
                    f" (meldnormen: {_norms(self.flow, advice.meldnormen)})"
                    if advice.meldnormen
                    else ""
                )
                outcome = f"advies melden bij Veilig Thuis{norms}"
            elif advice.melden is False:
                outcome = "geen melding"
            else:
                outcome = "afweging afgerond"
            if advice.hulp is not None:
                outcome += f"; hulp: {'ja' if advice.hulp else 'nee'}"
            return f"Uitkomst: {outcome}."
        if routing.next is None:
            return "Dit stroomschema heeft geen afwegingsvragen."
        number = self.numbers.get(routing.next, "?")
        if not routing.chosen:
            return f"Nog geen antwoorden: de afweging begint bij vraag {number}."
        so_far = " Advies tot nu toe: melden." if advice.melden else ""
        again = routing.chosen.get(routing.next)
        if again is not None:
            consult = " (eerst Veilig Thuis raadplegen)" if again.veilig_thuis_raadplegen else ""
            return f"Vraag {number} opnieuw beantwoorden{consult}.{so_far}"
        return f"Nog niet afgerond: vraag {number} is aan de beurt.{so_far}"

    def advice_text(self) -> str:
        texts = self.routing.advice.texts
        return texts[-1] if texts else ""

    def marked(self, mark: Mark) -> list[KaderItem]:
        """The items drawn with `mark`, in tree order (for tests and for the outcome)."""
        return [item for item in self.query_one(KaderTree).items if item.mark is mark]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.can_pick if action == "pick" else True

    def focus_question(self, question_id: str) -> None:
        """Put the cursor on a question's node."""
        tree = self.query_one(KaderTree)
        for item in tree.items:
            if item.question == question_id and item.option is None:
                tree.move_to(item)
                return

    def action_pick(self) -> None:
        item = self.query_one(KaderTree).cursor_item
        if item is None:
            return
        question_id = item.question
        if self.question_mark(question_id) is Mark.OFF:
            self.notify(
                "Deze vraag is nog niet aan de beurt: kies een vraag op de route.",
                severity="warning",
                markup=False,
            )
            return
        self.dismiss(question_id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """A click on a node picks it as Enter does."""
        event.stop()
        if self.can_pick:
            self.action_pick()

    def action_close(self) -> None:
        self.dismiss(None)
