"""The `choice` field and the `yesno` field: one option id from a `ChoiceList`.

`yesno` has the implicit options `ja`/`nee` unless the flow lists its own (e.g. with `twijfel`).
"""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult

from meldcode_tui.flow.model import Option
from meldcode_tui.tui.fields.base import FieldWidget
from meldcode_tui.tui.fields.choicelist import ChoiceList

YESNO_OPTIONS: tuple[Option, ...] = (Option(id="ja", label="Ja"), Option(id="nee", label="Nee"))


class ChoiceField(FieldWidget):
    """One of the field's options."""

    @property
    def options(self) -> list[Option]:
        return list(self.field.options)

    def coerce(self, value: Any) -> str:
        return value if isinstance(value, str) else ""

    def compose_input(self) -> ComposeResult:
        options = self.options
        yield ChoiceList(
            [option.label for option in options],
            next((i for i, option in enumerate(options) if option.id == self._value), -1),
            disabled=self.context.read_only,
            classes="field-input",
        )
        yield self.option_warning()

    @on(ChoiceList.Changed)
    def _chosen(self, event: ChoiceList.Changed) -> None:
        event.stop()
        if 0 <= event.index < len(self.options):
            self.set_value(self.options[event.index].id)
            self.update_option_warning()


class YesNoField(ChoiceField):
    """Ja or nee (or the field's own options)."""

    @property
    def options(self) -> list[Option]:
        return list(self.field.options) or list(YESNO_OPTIONS)
