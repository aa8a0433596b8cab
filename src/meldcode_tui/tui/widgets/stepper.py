"""The stepper: every step of the flow (1–5 and Nazorg) marked done, current or still to do.

The marks are symbols as well as colours, so the state reads in any theme. It is one widget that
renders one line (a widget per step cost a restyle and re-layout of each on every step change).
Clicking a step posts `Stepper.Selected`; the screen decides what to do with it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar

from textual import events
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from meldcode_tui.casework.rules import StepState
from meldcode_tui.flow.model import Step
from meldcode_tui.tui.plain import plain
from meldcode_tui.tui.texts import short_step_label

MARKS = {StepState.DONE: "✓", StepState.CURRENT: "▶", StepState.TODO: "○"}
STATE_WORDS = {
    StepState.DONE: "klaar",
    StepState.CURRENT: "huidige stap",
    StepState.TODO: "nog te doen",
}


short_label = short_step_label
"""A step in a few words: "2 Consultatie"."""


def item_text(step: Step, state: StepState) -> str:
    """One step as the stepper shows it, with its one column of padding on the left."""
    return f" {MARKS[state]} {short_label(step)}"


class Stepper(Widget):
    """All steps in one row."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "stepper--done",
        "stepper--current",
        "stepper--todo",
        "stepper--hover",
    }

    hover_index: reactive[int] = reactive(-1, layout=False)

    @dataclass
    class Selected(Message):
        """The user clicked a step."""

        step_id: str

    def __init__(self, steps: list[Step], states: Mapping[str, StepState]) -> None:
        super().__init__(id="stepper")
        self.steps = steps
        self.states = dict(states)

    def state_of(self, step_id: str) -> StepState:
        return self.states.get(step_id, StepState.TODO)

    def _spans(self) -> list[tuple[int, int]]:
        """Start and end column of each step."""
        spans: list[tuple[int, int]] = []
        start = 0
        for step in self.steps:
            end = start + len(item_text(step, self.state_of(step.id)))
            spans.append((start, end))
            start = end
        return spans

    def _index_at(self, x: int) -> int:
        return next((i for i, (a, b) in enumerate(self._spans()) if a <= x < b), -1)

    def render(self) -> Content:
        parts: list[Content] = []
        for index, step in enumerate(self.steps):
            state = self.state_of(step.id)
            names = [f"stepper--{state.value}"]
            if index == self.hover_index:
                names.append("stepper--hover")
            style = self.get_visual_style(*names)
            parts.append(Content(item_text(step, state)).stylize(style))
        return Content("").join(parts)

    def update_states(self, states: Mapping[str, StepState]) -> None:
        if dict(states) == self.states:
            return
        self.states = dict(states)
        self.refresh()

    def _set_hover(self, index: int) -> None:
        self.hover_index = index
        if 0 <= index < len(self.steps):
            step = self.steps[index]
            self.tooltip = plain(f"{step.title} ({STATE_WORDS[self.state_of(step.id)]})")
        else:
            self.tooltip = None

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self._set_hover(self._index_at(event.x))

    def on_leave(self, event: events.Leave) -> None:
        self._set_hover(-1)

    def on_click(self, event: events.Click) -> None:
        event.stop()
        index = self._index_at(event.x)
        if 0 <= index < len(self.steps):
            self.post_message(self.Selected(self.steps[index].id))
