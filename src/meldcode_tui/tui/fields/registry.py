"""The one table from field kind to widget class that `make_field` uses."""

from __future__ import annotations

from meldcode_tui.flow.model import FieldKind
from meldcode_tui.tui.fields.aftercare import AftercareField
from meldcode_tui.tui.fields.base import FieldWidget
from meldcode_tui.tui.fields.checklist import ChecklistField
from meldcode_tui.tui.fields.choice import ChoiceField, YesNoField
from meldcode_tui.tui.fields.date import DateField
from meldcode_tui.tui.fields.decision import DecisionField
from meldcode_tui.tui.fields.entries import EntriesField
from meldcode_tui.tui.fields.text import LineField, TextField

FIELD_WIDGETS: dict[FieldKind, type[FieldWidget]] = {
    FieldKind.LINE: LineField,
    FieldKind.TEXT: TextField,
    FieldKind.CHOICE: ChoiceField,
    FieldKind.YESNO: YesNoField,
    FieldKind.DATE: DateField,
    FieldKind.ENTRIES: EntriesField,
    FieldKind.CHECKLIST: ChecklistField,
    FieldKind.DECISION: DecisionField,
    FieldKind.AFTERCARE: AftercareField,
}
