"""Text from outside the program, shown exactly as written: the one rule for putting it on screen.

Pupil references, groups, names, notes and reasons come from case files and what users type;
question texts, labels, hints and phone numbers from the flow file; user and host from lock files;
folders and file names from the user and the disk. Textual reads a `str` handed to most widgets as
content markup, so such a text could crash the app ("Leerling [/] x" raises a MarkupError), lose
characters ("5[b]B") or become a clickable action ("[@click=app.quit]x[/]"). Escaping does not
help: `textual.markup.escape` leaves texts such as "[B]", "[$accent]" or "a\\[b]" changed.

So the app never builds markup from such a text:

- a `Static` or `Label` that can show it is made with `markup=False` (which also covers later
  `update` calls);
- a `DataTable` cell is `plain_cell(text)` (a `str` cell is read as Rich markup, emoji codes too);
- where a widget has no such switch (toggle-button labels, tooltips, option prompts, entries of the
  command palette), it gets `plain(text)`; an `OptionList` is made with `markup=False`;
- `notify(...)` gets `markup=False` when its message holds such a text (the title is never read as
  markup);
- styling our own part of a line is done with `Content.assemble` or `Text.assemble`, not markup.

Control characters are a second danger: Textual and Rich drop only BEL, BS, VT, FF and CR from
what they draw, so an ESC in a pupil reference or a note reached the terminal as the start of an
escape sequence (retitle the window, clear the screen), and C1 controls, DEL and direction
overrides (U+202E) reached it too; characters that show as nothing (a zero-width space) made a
pupil reference look like another's. Importing this module makes both libraries draw each of those
(`meldcode_tui.inert.UNSAFE_CODEPOINTS` but line feed and tab) as "\ufffd" instead: in every
widget, editable ones included, since both libraries filter every text through one table
(`textual.content._CONTROL_STRIP_TRANSLATE`, `rich.control._CONTROL_STRIP_TRANSLATE`) when they
make it into content. One character for one keeps the offsets of styled spans; the case files
keep the text as it is. `tests/functional_tests/test_inert_screen.py` checks what reaches the
terminal.
"""

from __future__ import annotations

import rich.control
import textual.content
from rich.text import Text
from textual.content import Content

from meldcode_tui.inert import UNSAFE_CODEPOINTS

REPLACEMENT = "\ufffd"


def _draw_control_characters_inert() -> None:
    for table in (
        textual.content._CONTROL_STRIP_TRANSLATE,
        rich.control._CONTROL_STRIP_TRANSLATE,
    ):
        for code in UNSAFE_CODEPOINTS:
            if code not in (0x09, 0x0A):
                table.setdefault(code, REPLACEMENT)  # type: ignore[call-overload]


_draw_control_characters_inert()


def plain(text: str) -> Content:
    """`text` as Textual content, every character literal."""
    return Content(text)


def plain_cell(text: str) -> Text:
    """`text` as a one-line `DataTable` cell, every character literal."""
    return Text(text, no_wrap=True, end="")
