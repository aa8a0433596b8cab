"""The `aftercare` field: in the wizard's Nazorg step, the editable nazorg items of the open case
(`AftercareItems`, the aftercare screen's editor); without an open case (a form shown on its own)
the flow's items as text.

Its value is not a step value: the items are stored in `Case.aftercare` by the editor itself.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.widgets import Label, Static

from meldcode_tui.tui.fields.base import FieldWidget
from meldcode_tui.tui.widgets.aftercare_items import AftercareItems


class AftercareField(FieldWidget):
    """The nazorg checklist."""

    def is_blank(self) -> bool:
        return False

    def coerce(self, value: Any) -> Any:
        return value

    def compose_input(self) -> ComposeResult:
        work = self.context.work
        if work is not None:
            yield AftercareItems(work, read_only=self.context.read_only)
            return
        for option in self.field.options:
            yield Label(f"• {option.label}", classes="aftercare-line", markup=False)
            if option.help:
                yield Static(option.help, classes="aftercare-help", markup=False)
