"""Generic form widgets: one widget per flow field kind, the step form and the step-4 question.

A new field or question in the flow file needs no Python: `make_field` picks the widget for a
field's kind from one table (`registry.FIELD_WIDGETS`). The app adds `FIELDS_CSS_PATH` to its
`CSS_PATH`.
"""

from meldcode_tui.tui.fields.base import FIELDS_CSS_PATH, FieldContext, FieldWidget, make_field
from meldcode_tui.tui.fields.form import StepForm
from meldcode_tui.tui.fields.question import QuestionView

__all__ = [
    "FIELDS_CSS_PATH",
    "FieldContext",
    "FieldWidget",
    "QuestionView",
    "StepForm",
    "make_field",
]
