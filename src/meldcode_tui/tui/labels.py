"""The one-line labels typed in the app (pupil reference, group, name, role): refused, with a
Dutch message at the field, when they hold a character the case store would refuse
(`inert.has_unsafe`: a control character, or one that shows as nothing)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from textual.screen import Screen
from textual.widgets import Input

from meldcode_tui.inert import has_unsafe


def label_fault_text(label: str) -> str:
    return (
        f"{label}: hierin staat een teken dat je niet ziet of dat het scherm verstoort (zoals "
        "een tab, een regeleinde of een onzichtbare spatie). Typ het opnieuw, zonder dat teken."
    )


def refuse_unfit_labels(screen: Screen[Any], fields: Iterable[tuple[str, str]]) -> bool:
    """True (after saying so and focusing the field) when one of the `fields` (widget id,
    Dutch label) holds a character `has_unsafe` finds."""
    for field_id, label in fields:
        field = screen.query_one(field_id, Input)
        if has_unsafe(field.value):
            screen.notify(label_fault_text(label), severity="warning", timeout=10, markup=False)
            field.focus()
            return True
    return False
