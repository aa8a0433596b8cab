"""The `checklist` field: a checkbox per option, stored as the list of ticked option ids.

`options_from: meldnormen` takes the options from the flow's meldnormen.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Checkbox

from meldcode_tui.flow.model import Flow, FormField, Option
from meldcode_tui.tui.fields.base import FieldWidget
from meldcode_tui.tui.fields.toggles import WrappingCheckbox


def meldnorm_label(label: str, note: str) -> str:
    """A meldnorm with its note, as the protocol writes it: "... onveiligheid — ook als ..."."""
    return f"{label} — {note[:1].lower()}{note[1:]}" if note else label


def field_options(field: FormField, flow: Flow) -> list[Option]:
    """A field's options: its own, or the flow's meldnormen when `options_from` says so."""
    if field.options_from == "meldnormen":
        return [
            Option(id=norm.id, label=meldnorm_label(norm.label, norm.note))
            for norm in flow.meldnormen
        ]
    return list(field.options)


class CheckList(Vertical):
    """Checkboxes for options; `checked` lists the ticked ids in option order. ↑ and ↓ move the
    cursor from box to box within the list (they would else scroll the page under a cursor that
    stays put)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "move(1)", "Volgende", show=False),
        Binding("up", "move(-1)", "Vorige", show=False),
    ]

    def __init__(
        self, options: list[Option], checked: list[str], *, disabled: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(disabled=disabled, **kwargs)
        self.options = options
        self._initial = set(checked)

    def compose(self) -> ComposeResult:
        for option in self.options:
            yield WrappingCheckbox(
                option.label,
                value=option.id in self._initial,
                name=option.id,
                disabled=self.disabled,
            )

    def action_move(self, delta: int) -> None:
        boxes = [box for box in self.query(Checkbox) if box.focusable]
        focused = self.screen.focused
        if focused not in boxes:
            return
        index = boxes.index(focused) + delta
        if 0 <= index < len(boxes):
            boxes[index].focus()

    @property
    def checked(self) -> list[str]:
        return [box.name for box in self.query(Checkbox) if box.value and box.name]

    def set_checked(self, ids: list[str]) -> None:
        """Tick exactly `ids`, without posting `Checkbox.Changed`."""
        for box in self.query(Checkbox):
            with box.prevent(Checkbox.Changed):
                box.value = box.name in ids


class ChecklistField(FieldWidget):
    """Any number of the field's options."""

    def coerce(self, value: Any) -> list[str]:
        if not isinstance(value, list):
            return []
        return [item for item in value if isinstance(item, str)]

    def compose_input(self) -> ComposeResult:
        yield CheckList(
            field_options(self.field, self.context.flow),
            self._value,
            disabled=self.context.read_only,
            classes="field-input",
        )
        yield self.option_warning()

    @on(Checkbox.Changed)
    def _checkbox_changed(self, event: Checkbox.Changed) -> None:
        event.stop()
        self.set_value(self.query_one(CheckList).checked)
        self.update_option_warning()
