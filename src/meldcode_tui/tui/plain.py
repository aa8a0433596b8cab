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
"""

from __future__ import annotations

from rich.text import Text
from textual.content import Content


def plain(text: str) -> Content:
    """`text` as Textual content, every character literal."""
    return Content(text)


def plain_cell(text: str) -> Text:
    """`text` as a one-line `DataTable` cell, every character literal."""
    return Text(text, no_wrap=True, end="")
