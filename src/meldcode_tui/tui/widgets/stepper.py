"""The stepper: every step of the flow (1–5 and Nazorg) marked done, current or still to do.

The marks are symbols as well as colours, so the state reads in any theme. Clicking a step posts
`Stepper.Selected`; the screen decides what to do with it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Static

from meldcode_tui.flow.model import Step
from meldcode_tui.tui.progress import StepState

MARKS = {StepState.DONE: "✓", StepState.CURRENT: "▶", StepState.TODO: "○"}
STATE_WORDS = {
    StepState.DONE: "klaar",
    StepState.CURRENT: "huidige stap",
    StepState.TODO: "nog te doen",
}


def short_label(step: Step) -> str:
    first = step.title.split()[0]
    return f"{step.number} {first}" if step.number is not None else first


class StepperItem(Static):
    """One step in the stepper."""

    def __init__(self, step: Step, state: StepState) -> None:
        super().__init__(classes="stepper-item", id=f"stepper-{step.id}")
        self.step = step
        self.tooltip = step.title
        self.set_state(state)

    def set_state(self, state: StepState) -> None:
        self.update(f"{MARKS[state]} {short_label(self.step)}")
        for other in StepState:
            self.set_class(other is state, f"-{other.value}")
        self.tooltip = f"{self.step.title} ({STATE_WORDS[state]})"

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.post_message(Stepper.Selected(self.step.id))


class Stepper(Horizontal):
    """All steps in one row."""

    @dataclass
    class Selected(Message):
        """The user clicked a step."""

        step_id: str

    def __init__(self, steps: list[Step], states: Mapping[str, StepState]) -> None:
        super().__init__(id="stepper")
        self.steps = steps
        self.states = dict(states)

    def compose(self) -> ComposeResult:
        for step in self.steps:
            yield StepperItem(step, self.states.get(step.id, StepState.TODO))

    def update_states(self, states: Mapping[str, StepState]) -> None:
        if dict(states) == self.states:
            return
        self.states = dict(states)
        for item in self.query(StepperItem):
            item.set_state(self.states.get(item.step.id, StepState.TODO))
