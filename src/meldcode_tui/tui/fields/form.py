"""`StepForm`: every field of one flow step, `show_if` visibility (on fields and decisions), and
what is still missing.

Field widgets' `Changed` messages bubble through the form unchanged; the form only watches them to
show and hide dependent fields. Hidden fields keep their values. Put the form in a scrolling
container: it is as tall as its fields.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.widget import Widget

from meldcode_tui.casework.rules import shown_fields
from meldcode_tui.flow.model import FieldKind, FormField, Step
from meldcode_tui.tui.fields.base import FieldContext, FieldWidget, make_field

FIELD_ID_PREFIX = "field-"


def field_dom_id(field_id: str) -> str:
    """The DOM id `StepForm` gives the widget of a step field."""
    return f"{FIELD_ID_PREFIX}{field_id}"


class StepForm(Widget):
    """The fields of one step. `decisions` holds the stored decisions by key ("melden", "hulp")."""

    BLANK = True  # nothing of its own to draw: Textual paints its background without rendering

    def __init__(
        self,
        step: Step,
        values: Mapping[str, Any],
        decisions: Mapping[str, Any],
        context: FieldContext,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.step = step
        self.context = context
        self._values: dict[str, Any] = dict(values)
        self._decisions: dict[str, Any] = dict(decisions)

    def _initial_value(self, field: FormField) -> Any:
        if field.kind is FieldKind.DECISION:
            return self._decisions.get(field.decision or "")
        return self._values.get(field.id)

    def compose(self) -> ComposeResult:
        shown = shown_fields(self.step.fields, self._values, self._decisions)
        for field in self.step.fields:
            widget = make_field(
                field, self._initial_value(field), self.context, id=field_dom_id(field.id)
            )
            widget.display = field.id in shown
            yield widget

    @property
    def field_widgets(self) -> list[FieldWidget]:
        return list(self.query_children(FieldWidget))

    def field_widget(self, field_id: str) -> FieldWidget | None:
        return next((w for w in self.field_widgets if w.field.id == field_id), None)

    def visible_fields(self) -> list[FieldWidget]:
        return [widget for widget in self.field_widgets if widget.display]

    def missing(self) -> list[str]:
        """Labels of required, visible fields that are still empty (and required entry parts)."""
        return [label for widget in self.visible_fields() for label in widget.missing()]

    def focus_field(self, field_id: str) -> bool:
        """Focus the first input of a field; unknown or hidden field ids are ignored (False)."""
        widget = self.field_widget(field_id)
        return widget is not None and widget.display and widget.focus_input()

    def _update_visibility(self) -> None:
        shown = shown_fields(self.step.fields, self._values, self._decisions)
        for widget in self.field_widgets:
            widget.display = widget.field.id in shown

    @on(FieldWidget.Changed)
    def _field_changed(self, event: FieldWidget.Changed) -> None:
        if event.widget.parent is not self:
            return
        field = event.widget.field
        if field.kind is FieldKind.DECISION and field.decision is not None:
            self._decisions[field.decision] = event.value
        else:
            self._values[event.field_id] = event.value
        self._update_visibility()
