"""`ChoiceList`: one of several options, drawn as radio buttons in a single widget.

Every choice in the wizard (a field's options, a weighing question, a besluit) is one of these.
A `RadioSet` is a widget per option, and every press or cursor move restyles some of them
through the stylesheet; the weighing shows a new question on each F8. So the options are one
`OptionList`: the chosen option carries a filled mark (◉, the others ○: told apart by shape,
not only by colour), the cursor is the list's highlight, and showing another question's options
is one `set_options`. A long label wraps under its own first word, not under the mark.

Keys as in a radio set: up/down move, enter or space choose; a click chooses too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList

MARK_ON = "◉"
MARK_OFF = "○"
_INDENT = "  "


class ChoiceList(OptionList):
    """Options with one chosen; `pressed_index` is -1 until the user chooses."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "select", "Kiezen", show=False),
    ]

    @dataclass
    class Changed(Message):
        """The user chose another option."""

        choice_list: ChoiceList
        index: int

        @property
        def control(self) -> ChoiceList:
            return self.choice_list

    def __init__(
        self,
        labels: list[str] | None = None,
        pressed: int = -1,
        *,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(id=id, classes=classes, disabled=disabled, compact=True)
        self._labels: list[str] = []
        self._pressed = -1
        self._wrap_width = 0
        self.show_options(labels or [], pressed)

    @property
    def pressed_index(self) -> int:
        return self._pressed

    @property
    def labels(self) -> list[str]:
        return list(self._labels)

    def show_options(self, labels: list[str], pressed: int) -> None:
        """Show `labels` with the one at `pressed` chosen (-1: none); posts nothing."""
        self._pressed = pressed if 0 <= pressed < len(labels) else -1
        if labels != self._labels:
            self._labels = list(labels)
            self.set_options(self._prompt(i) for i in range(len(labels)))
        else:
            for index in range(len(labels)):
                self.replace_option_prompt_at_index(index, self._prompt(index))
        with self.prevent(OptionList.OptionHighlighted):
            self.highlighted = max(self._pressed, 0) if labels else None

    def _prompt(self, index: int) -> Content:
        chosen = index == self._pressed
        mark = Content.styled(MARK_ON if chosen else MARK_OFF, "$text-success" if chosen else "")
        label = Content(self._labels[index])
        if 0 < self._wrap_width < label.cell_length:
            lines = label.wrap(self._wrap_width)
            label = Content("\n" + _INDENT).join(line.rstrip() for line in lines)
        return Content.assemble(mark, " ", label)

    def on_resize(self) -> None:
        width = max(1, self.scrollable_content_region.width - len(_INDENT) - 1)
        if width != self._wrap_width:
            self._wrap_width = width
            if any(Content(label).cell_length > width for label in self._labels):
                for index in range(len(self._labels)):
                    self.replace_option_prompt_at_index(index, self._prompt(index))

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_index == self._pressed:
            return
        previous, self._pressed = self._pressed, event.option_index
        for index in (previous, self._pressed):
            if 0 <= index < len(self._labels):
                self.replace_option_prompt_at_index(index, self._prompt(index))
        self.post_message(self.Changed(self, self._pressed))
