"""The full protocol text for a step (F1 or `?`), or an overview of all steps on the home screen."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Markdown

from meldcode_tui.flow.model import Flow, Step


def step_heading(step: Step, total: int) -> str:
    if step.number is None:
        return step.title
    return f"Stap {step.number} van {total} — {step.title}"


def step_help_markdown(flow: Flow, step: Step) -> str:
    total = sum(1 for s in flow.steps if s.number is not None)
    parts = [f"# {step_heading(step, total)}"]
    if step.who:
        parts.append(f"**Wie:** {step.who}")
    parts.append(step.guidance or step.summary)
    if step.warning:
        parts.append(f"> **{step.warning}**")
    if flow.notice:
        parts.append(f"*{flow.notice}*")
    parts.append(_contacts_line(flow))
    return "\n\n".join(parts)


def overview_markdown(flow: Flow) -> str:
    parts = [f"# {flow.title}"]
    for step in flow.steps:
        label = f"Stap {step.number}" if step.number else "Daarna"
        parts.append(f"**{label}: {step.title}** — {step.summary}")
    if flow.notice:
        parts.append(f"*{flow.notice}*")
    parts.append(_contacts_line(flow))
    if flow.source:
        parts.append(flow.source)
    return "\n\n".join(parts)


def _contacts_line(flow: Flow) -> str:
    return " · ".join(f"**{c.name}: {c.phone}**" for c in flow.contacts)


class HelpScreen(ModalScreen[None]):
    """The protocol's own text, scrollable."""

    AUTO_FOCUS = "#help-scroll"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1,question_mark", "close", "Sluiten", id="close")
    ]

    def __init__(self, flow: Flow, step: Step | None) -> None:
        super().__init__()
        self.text = step_help_markdown(flow, step) if step else overview_markdown(flow)

    def compose(self) -> ComposeResult:
        with Vertical(id="help-dialog", classes="dialog"):
            with VerticalScroll(id="help-scroll"):
                yield Markdown(self.text, id="help-text")
            yield Button("Sluiten", id="help-close", compact=True)

    def on_button_pressed(self) -> None:
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)
