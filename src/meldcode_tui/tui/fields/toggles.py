"""A checkbox that fits 80 columns and reads without colour.

Textual's toggle buttons render one line and cut long labels off; flow option labels are often
whole sentences, so this one wraps with a hanging indent. Textual draws an X in every box and
tells ticked from not by colour alone; this box holds an X only when ticked. A `str` label is
shown literally, never read as markup (see `tui.plain`). (One of several options is a
`ChoiceList`.)
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual.binding import Binding, BindingType
from textual.content import Content, ContentText
from textual.geometry import Size
from textual.widgets import Checkbox

_BUTTON_WIDTH = 3
_INDENT = " " * _BUTTON_WIDTH


class WrappingCheckbox(Checkbox, inherit_bindings=False):
    """A `Checkbox` whose label wraps (`_label` and `_button` are Textual's).

    Only Space ticks, and only the box with the visible cursor; the key bar says so. Enter does
    not: in a form it means "done here", and a meldnorm must never be ticked on the way."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "toggle_button", "Aan/uit vinken", key_display="Spatie"),
    ]

    @property  # Textual reads its class constant BUTTON_INNER through self
    def BUTTON_INNER(self) -> str:  # type: ignore[override]
        return "X" if self.value else " "

    def _make_label(self, label: ContentText) -> Content:
        return Content.from_text(label, markup=False).first_line.rstrip()

    def _label_lines(self, width: int) -> list[Content]:
        # Wrapped once per label and width: layout and every repaint ask again.
        key = (self._label, width)
        cached: tuple[Any, list[Content]] | None = getattr(self, "_wrapped", None)
        if cached is None or cached[0] != key:
            lines = self._label.wrap(max(1, width - _BUTTON_WIDTH - 2)) or [Content("")]
            cached = (key, lines)
            self._wrapped = cached
        return cached[1]

    def render(self) -> Content:
        style = self.get_visual_style("toggle--label")
        lines = [
            line.pad(1, 1).stylize_before(style)
            for line in self._label_lines(self.content_region.width)
        ]
        first = Content.assemble(self._button, lines[0])
        return Content("\n").join([first, *(Content(_INDENT) + line for line in lines[1:])])

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._label_lines(width))
