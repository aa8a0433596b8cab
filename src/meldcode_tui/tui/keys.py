"""Keys in Dutch: the descriptions of the bindings that Textual's own widgets bring, how a key is
written, and the list of a screen's keys that the help screen (F1) shows.

Our own bindings are described in Dutch where they are made. Textual's widgets (Input, TextArea,
DataTable, Select, the command palette, ...) bring English descriptions ("Press button", "Focus
Next", "Dismiss menu"); every place that shows a binding's description asks `describe`, which
gives the Dutch text for such a binding. A binding is recognised by its action and its English
description together, so that one of ours with the same action name keeps its own text.
`tests/unit_tests/test_keys_dutch.py` checks that every binding of the widgets the app uses has
a Dutch text here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.binding import Binding
    from textual.dom import DOMNode
    from textual.screen import Screen

DUTCH: dict[tuple[str, str], str] = {
    # App and Screen
    ("quit", "Quit"): "Stoppen",
    ("command_palette", "palette"): "Menu",
    ("app.focus_next", "Focus Next"): "Naar het volgende veld",
    ("app.focus_previous", "Focus Previous"): "Naar het vorige veld",
    ("screen.copy_text", "Copy selected text"): "Geselecteerde tekst kopiëren",
    ("app.command_palette", "palette"): "Menu",
    # Scrollable containers
    ("scroll_up", "Scroll Up"): "Omhoog scrollen",
    ("scroll_down", "Scroll Down"): "Omlaag scrollen",
    ("scroll_left", "Scroll Left"): "Naar links scrollen",
    ("scroll_right", "Scroll Right"): "Naar rechts scrollen",
    ("scroll_home", "Scroll Home"): "Naar het begin",
    ("scroll_end", "Scroll End"): "Naar het eind",
    ("page_up", "Page Up"): "Een pagina omhoog",
    ("page_down", "Page Down"): "Een pagina omlaag",
    ("page_left", "Page Left"): "Een pagina naar links",
    ("page_right", "Page Right"): "Een pagina naar rechts",
    # Button, Checkbox
    ("press", "Press button"): "Knop indrukken",
    ("toggle_button", "Toggle"): "Aan- of uitvinken",
    # DataTable
    ("select_cursor", "Select"): "Kiezen",
    ("cursor_up", "Cursor up"): "Regel omhoog",
    ("cursor_down", "Cursor down"): "Regel omlaag",
    ("cursor_right", "Cursor right"): "Naar rechts",
    ("cursor_left", "Cursor left"): "Naar links",
    ("page_up", "Page up"): "Een pagina omhoog",
    ("page_down", "Page down"): "Een pagina omlaag",
    ("scroll_top", "Top"): "Naar de eerste regel",
    ("scroll_bottom", "Bottom"): "Naar de laatste regel",
    ("scroll_home", "Home"): "Naar het begin",
    ("scroll_end", "End"): "Naar het eind",
    # Input
    ("cursor_left", "Move cursor left"): "Cursor naar links",
    ("cursor_left(True)", "Move cursor left and select"): "Naar links selecteren",
    ("cursor_left_word", "Move cursor left a word"): "Een woord naar links",
    ("cursor_left_word(True)", "Move cursor left a word and select"): (
        "Een woord naar links selecteren"
    ),
    ("cursor_right", "Move cursor right or accept the completion suggestion"): (
        "Cursor naar rechts"
    ),
    ("cursor_right(True)", "Move cursor right and select"): "Naar rechts selecteren",
    ("cursor_right_word", "Move cursor right a word"): "Een woord naar rechts",
    ("cursor_right_word(True)", "Move cursor right a word and select"): (
        "Een woord naar rechts selecteren"
    ),
    ("delete_left", "Delete character left"): "Teken links wissen",
    ("select_all", "Select all"): "Alles selecteren",
    ("home", "Go to start"): "Naar het begin",
    ("end", "Go to end"): "Naar het eind",
    ("home(True)", "Select line start"): "Tot het begin selecteren",
    ("end(True)", "Select line end"): "Tot het eind selecteren",
    ("delete_right", "Delete character right"): "Teken rechts wissen",
    ("submit", "Submit"): "Bevestigen",
    ("delete_left_word", "Delete left to start of word"): "Woord links wissen",
    ("delete_left_all", "Delete all to the left"): "Alles links wissen",
    ("delete_right_word", "Delete right to start of word"): "Woord rechts wissen",
    ("delete_right_all", "Delete all to the right"): "Alles rechts wissen",
    ("cut", "Cut selected text"): "Knippen",
    ("copy", "Copy selected text"): "Kopiëren",
    ("paste", "Paste text from the clipboard"): "Plakken",
    # OptionList
    ("cursor_down", "Down"): "Omlaag",
    ("cursor_up", "Up"): "Omhoog",
    ("last", "Last"): "Naar de laatste",
    ("first", "First"): "Naar de eerste",
    ("select", "Select"): "Kiezen",
    # Select
    ("show_overlay", "Show menu"): "Keuzes tonen",
    ("dismiss", "Dismiss menu"): "Keuzes sluiten",
    # TextArea
    ("cursor_word_left", "Cursor word left"): "Een woord naar links",
    ("cursor_word_right", "Cursor word right"): "Een woord naar rechts",
    ("cursor_line_start", "Cursor line start"): "Naar het begin van de regel",
    ("cursor_line_end", "Cursor line end"): "Naar het eind van de regel",
    ("cursor_page_up", "Cursor page up"): "Een pagina omhoog",
    ("cursor_page_down", "Cursor page down"): "Een pagina omlaag",
    ("cursor_word_left(True)", "Cursor left word select"): "Een woord naar links selecteren",
    ("cursor_word_right(True)", "Cursor right word select"): "Een woord naar rechts selecteren",
    ("cursor_line_start(True)", "Cursor line start select"): "Tot het begin selecteren",
    ("cursor_line_end(True)", "Cursor line end select"): "Tot het eind selecteren",
    ("cursor_up(True)", "Cursor up select"): "Omhoog selecteren",
    ("cursor_down(True)", "Cursor down select"): "Omlaag selecteren",
    ("cursor_left(True)", "Cursor left select"): "Naar links selecteren",
    ("cursor_right(True)", "Cursor right select"): "Naar rechts selecteren",
    ("select_word", "select word"): "Woord selecteren",
    ("select_line", "Select line"): "Regel selecteren",
    ("delete_word_left", "Delete left to start of word"): "Woord links wissen",
    ("delete_word_right", "Delete right to start of word"): "Woord rechts wissen",
    ("cut", "Cut"): "Knippen",
    ("copy", "Copy"): "Kopiëren",
    ("paste", "Paste"): "Plakken",
    ("delete_to_start_of_line", "Delete to line start"): "Tot het begin van de regel wissen",
    ("delete_to_end_of_line_or_delete_line", "Delete to line end"): (
        "Tot het eind van de regel wissen"
    ),
    ("delete_line", "Delete line"): "Regel wissen",
    ("undo", "Undo"): "Ongedaan maken",
    ("redo", "Redo"): "Opnieuw",
    # Tree
    ("cursor_parent", "Cursor to parent"): "Naar de vraag erboven",
    ("cursor_parent_next_sibling", "Cursor to next ancestor"): "Naar de volgende tak",
    ("cursor_previous_sibling", "Cursor to previous sibling"): "Naar de vorige op dit niveau",
    ("cursor_next_sibling", "Cursor to next sibling"): "Naar de volgende op dit niveau",
    ("toggle_node", "Toggle"): "Open- of dichtklappen",
    ("toggle_expand_all", "Expand or collapse all"): "Alles open- of dichtklappen",
    ("cursor_up", "Cursor Up"): "Omhoog",
    ("cursor_down", "Cursor Down"): "Omlaag",
    # Tabs
    ("previous_tab", "Previous tab"): "Vorig tabblad",
    ("next_tab", "Next tab"): "Volgend tabblad",
    # The command palette
    ("command_list('last')", "Go to bottom"): "Naar de laatste opdracht",
    ("command_list('first')", "Go to top"): "Naar de eerste opdracht",
    ("cursor_down", "Next command"): "Volgende opdracht",
    ("escape", "Exit the command palette"): "Menu sluiten",
    ("command_list('page_down')", "Next page"): "Een pagina omlaag",
    ("command_list('page_up')", "Previous page"): "Een pagina omhoog",
    ("command_list('cursor_up')", "Previous command"): "Vorige opdracht",
}
"""Textual's own binding descriptions in Dutch, by (action, English description)."""

KEY_NAMES = {"space": "spatie", "super": "win"}
"""Key names Textual writes in English, as they are written here."""

FUNCTION_KEY = re.compile(r"f\d{1,2}")

WIDGET_KINDS = (
    ("Input", "Invoerveld"),
    ("TextArea", "Tekstvak"),
    ("DataTable", "Tabel"),
    ("SelectOverlay", "Keuzelijst"),
    ("Select", "Keuzelijst"),
    ("OptionList", "Lijst"),
    ("ToggleButton", "Vinkje"),
    ("Button", "Knop"),
    ("Tree", "Boom"),
    ("Tabs", "Tabbladen"),
    ("CommandInput", "Menu"),
    ("ScrollableContainer", "Scrollen"),
)
"""The Dutch word for the kind of widget whose keys are listed, by Textual class name."""

FIELD_KEYS = "Het veld met de focus"
SCREEN_KEYS = "Dit scherm"


def describe(binding: Binding) -> str:
    """What the binding does, in Dutch."""
    return DUTCH.get((binding.action, binding.description), binding.description)


def key_display(textual_display: str) -> str:
    """A key as Textual writes it ("^p", "shift+tab", "space", "f4"), with the English names
    Dutch and a function key as it is printed on the key ("F4")."""
    parts = textual_display.split("+")
    return "+".join(_key_name(part) for part in parts)


def _key_name(part: str) -> str:
    if FUNCTION_KEY.fullmatch(part):
        return part.upper()
    return KEY_NAMES.get(part, part)


@dataclass(frozen=True)
class KeyGroup:
    """The keys of one part of the screen: a title, then (keys, description) pairs."""

    title: str
    keys: tuple[tuple[str, str], ...]


def screen_keys(screen: Screen[Any]) -> list[KeyGroup]:
    """The active keys of `screen`, grouped: the screen's and the app's keys first (those the key
    bar shows at the top, in its order), then those of the focused widget and of the widgets
    around it. System keys and keys without a description are left out; the keys of one action
    are written together ("esc F1")."""
    app = screen.app
    groups: dict[DOMNode, dict[str, _Entry]] = {}
    for namespace, binding, _enabled, _tooltip in screen.active_bindings.values():
        if binding.system or not binding.description:
            continue
        actions = groups.setdefault(namespace, {})
        entry = actions.setdefault(binding.action, _Entry([], describe(binding), binding.show))
        shown = app.get_key_display(binding)
        if shown not in entry.keys:
            entry.keys.append(shown)
    screen_part: list[_Entry] = []
    field_parts: list[KeyGroup] = []
    for namespace, actions in groups.items():
        if namespace is app or namespace is screen:
            screen_part.extend(actions.values())
        else:
            pairs = tuple(entry.pair for entry in actions.values())
            field_parts.append(KeyGroup(_kind_of(type(namespace).__mro__), pairs))
    screen_part.sort(key=lambda entry: not entry.on_key_bar)
    result = [KeyGroup(SCREEN_KEYS, tuple(e.pair for e in screen_part))] if screen_part else []
    return result + field_parts


@dataclass
class _Entry:
    keys: list[str]
    description: str
    on_key_bar: bool

    @property
    def pair(self) -> tuple[str, str]:
        return " ".join(self.keys), self.description


def _kind_of(classes: Iterable[type]) -> str:
    names = [cls.__name__ for cls in classes]
    for name, kind in WIDGET_KINDS:
        if name in names:
            return kind
    return FIELD_KEYS
