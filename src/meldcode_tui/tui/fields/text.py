"""The `line` field (one-line `Input`) and the `text` field (multi-line `TextArea`), as str."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.widgets import Input, TextArea

from meldcode_tui.tui.fields.base import FieldWidget


class LineField(FieldWidget):
    """A single line of text."""

    def coerce(self, value: Any) -> str:
        return value if isinstance(value, str) else ""

    def is_blank(self) -> bool:
        return not self._value.strip()

    def compose_input(self) -> ComposeResult:
        yield Input(self._value, disabled=self.context.read_only, classes="field-input")

    @on(Input.Changed)
    def _input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.set_value(event.value)

    @on(Input.Submitted)
    def _input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.screen.focus_next()


class TextField(FieldWidget):
    """Several lines of text; Tab leaves the field."""

    def coerce(self, value: Any) -> str:
        return value if isinstance(value, str) else ""

    def is_blank(self) -> bool:
        return not self._value.strip()

    def compose_input(self) -> ComposeResult:
        yield TextArea(
            self._value,
            soft_wrap=True,
            tab_behavior="focus",
            disabled=self.context.read_only,
            classes="field-input",
        )

    @on(TextArea.Changed)
    def _text_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        self.set_value(event.text_area.text)
