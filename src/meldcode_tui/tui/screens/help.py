"""The help screen (F1 or `?`): the full protocol text for a step, or an overview of all steps on
the home screen, beside the keys of the screen the user came from ("Toetsen")."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Markdown, Static

from meldcode_tui.flow.model import Flow, Step
from meldcode_tui.tui.keys import KeyGroup

KEYS_TITLE = "Toetsen"


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


def keys_table(group: KeyGroup) -> Table:
    """One group of keys as two columns, the key right-aligned; the texts are never markup."""
    table = Table.grid(padding=(0, 1))
    table.add_column(justify="right", style="bold", no_wrap=True)
    table.add_column()
    for keys, description in group.keys:
        table.add_row(Text(keys), Text(description))
    return table


class HelpScreen(ModalScreen[None]):
    """The protocol's own text and the keys of the screen below, each scrollable: side by side
    on a wide screen, the keys under the text on a narrow one."""

    CSS_PATH = "info_dialogs.tcss"
    AUTO_FOCUS = "#help-scroll"
    HORIZONTAL_BREAKPOINTS = [  # noqa: RUF012  # Screen declares it, as an instance variable
        (0, "-narrow"),
        (100, "-wide"),
    ]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1,question_mark", "close", "Sluiten", id="close")
    ]

    def __init__(self, flow: Flow, step: Step | None, keys: Sequence[KeyGroup] = ()) -> None:
        super().__init__()
        self.text = step_help_markdown(flow, step) if step else overview_markdown(flow)
        self.keys = list(keys)
        """The keys of the screen F1 was pressed on, as `keys.screen_keys` gave them."""

    def compose(self) -> ComposeResult:
        with Vertical(id="help-dialog", classes="dialog"):
            with Horizontal(id="help-body"):
                with VerticalScroll(id="help-scroll"):
                    yield Markdown(self.text, id="help-text")
                if self.keys:
                    with VerticalScroll(id="help-keys"):
                        yield Static(KEYS_TITLE, id="help-keys-title")
                        for group in self.keys:
                            yield Static(group.title, classes="help-keys-group", markup=False)
                            yield Static(keys_table(group), classes="help-keys-table")
            yield Button("Sluiten", id="help-close", compact=True)

    def on_button_pressed(self) -> None:
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)
