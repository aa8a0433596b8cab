"""The `aftercare` field, shown as a read-only list of the flow's nazorg items (label and help).

The aftercare screen with due dates and status edits the items; this field only shows them.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.widgets import Label, Static

from meldcode_tui.tui.fields.base import FieldWidget


class AftercareField(FieldWidget):
    """The nazorg checklist as text."""

    def is_blank(self) -> bool:
        return False

    def coerce(self, value: Any) -> Any:
        return value

    def compose_input(self) -> ComposeResult:
        for option in self.field.options:
            yield Label(f"• {option.label}", classes="aftercare-item", markup=False)
            if option.help:
                yield Static(option.help, classes="aftercare-help", markup=False)
