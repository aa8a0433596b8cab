"""The contract every field widget keeps: its context, its `Changed` message, and `make_field`.

A field widget renders one `FormField` of a flow step: its label (with " *" when required), its
help text, its input controls and an inline message line. It keeps its value in the shape of
docs/internals.md and posts `FieldWidget.Changed` only when that value really changes, so setting
values while composing never echoes back as an edit.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, Label, Static, TextArea

from meldcode_tui.flow.engine import Advice
from meldcode_tui.flow.model import Flow, FormField

if TYPE_CHECKING:
    from meldcode_tui.casework.work import CaseWork

FIELDS_CSS_PATH: Path = Path(__file__).with_name("fields.tcss")
"""The styles of every field widget; the app adds this to its `CSS_PATH` list."""

REQUIRED_MARK = " *"


@dataclass(frozen=True)
class FieldContext:
    """What a field may need beyond its own definition. `work`: the open case, for a field that
    edits the case itself rather than a step value (the nazorg items)."""

    flow: Flow
    advice: Advice | None = None
    read_only: bool = False
    actor_role: str = ""
    """The role of the person acting now (a decision field warns when it is not a decider)."""
    work: CaseWork | None = None


def required_label(label: str, required: bool) -> str:
    return f"{label}{REQUIRED_MARK}" if required else label


class FieldWidget(Widget):
    """Base of the widget for one field kind."""

    @dataclass
    class Changed(Message):
        """The user changed the field's value (bubbles)."""

        widget: FieldWidget
        field_id: str
        value: Any

        @property
        def control(self) -> FieldWidget:
            return self.widget

    def __init__(self, field: FormField, value: Any, context: FieldContext, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.field = field
        self.context = context
        self._value: Any = self.coerce(value)
        self.add_class(f"-kind-{field.kind.value}")
        self.set_class(context.read_only, "-read-only")

    def coerce(self, value: Any) -> Any:
        """The stored value in this kind's shape; anything unusable becomes the empty value."""
        return copy.deepcopy(value)

    @property
    def value(self) -> Any:
        return copy.deepcopy(self._value)

    def is_blank(self) -> bool:
        return self._value in ("", None, [], {})

    def missing(self) -> list[str]:
        """Labels of what this field still needs before the step is complete."""
        return [self.field.label] if self.field.required and self.is_blank() else []

    def compose(self) -> ComposeResult:
        yield Label(
            required_label(self.field.label, self.field.required),
            classes="field-label",
            markup=False,
        )
        if self.field.help:
            yield Static(self.field.help, classes="field-help", markup=False)
        yield from self.compose_input()
        yield Static("", classes="field-message", markup=False)

    def compose_input(self) -> ComposeResult:
        """The controls of this kind."""
        yield from ()

    def focus_input(self, *, scroll: bool = True) -> bool:
        """Focus the first control of the field that can take focus, its cursor after its text;
        with `scroll`, once laid out, scroll the field (label first) and that control into view.
        False when there is none."""
        for widget in self.query("*"):
            if widget.focusable:
                widget.focus(scroll_visible=False)
                self.call_after_refresh(_cursor_to_end, widget)
                if scroll:
                    self.call_after_refresh(self.scroll_visible, animate=False)
                    self.call_after_refresh(widget.scroll_visible, animate=False)
                return True
        return False

    def set_value(self, value: Any) -> None:
        """Store a new value and post `Changed` when it differs from the stored one."""
        if value == self._value:
            return
        self._value = copy.deepcopy(value)
        self.post_message(self.Changed(self, self.field.id, self.value))

    def option_warning(self) -> Static:
        """The line that shows the warnings of the chosen options (`Option.warning`), filled
        for the value it is composed with (also when `load` composes the field anew)."""
        texts = self._warnings()
        line = Static("\n".join(texts), classes="option-warning", markup=False)
        line.set_class(bool(texts), "-visible")
        return line

    def update_option_warning(self) -> None:
        texts = self._warnings()
        line = self.query_one(".option-warning", Static)
        line.update("\n".join(texts))
        line.set_class(bool(texts), "-visible")

    def _warnings(self) -> list[str]:
        return list(dict.fromkeys(self.field.chosen_warnings(self._value)))

    def load(self, value: Any) -> None:
        """Show another stored value without posting `Changed` (the controls are composed
        anew only when it differs)."""
        new = self.coerce(value)
        if new == self._value:
            return
        self._value = new
        if self.is_mounted:
            self.refresh(recompose=True)

    def show_message(self, text: str) -> None:
        message = self.query_one(".field-message", Static)
        message.update(text)
        message.set_class(bool(text), "-visible")


def make_field(field: FormField, value: Any, context: FieldContext, **kwargs: Any) -> FieldWidget:
    """The widget for `field`'s kind, from the one registry of kinds."""
    from meldcode_tui.tui.fields.registry import FIELD_WIDGETS

    return FIELD_WIDGETS[field.kind](field, value, context, **kwargs)


def _cursor_to_end(widget: Widget) -> None:
    """The cursor after the text, so what the user types next goes after what is there (an
    `Input` focused by the program would else have all its text selected)."""
    if isinstance(widget, TextArea):
        widget.move_cursor(widget.document.end)
    elif isinstance(widget, Input):
        widget.action_end()
