"""Text from case files, users and the flow file is shown literally (`tui.plain`): the helpers keep
every character, the wrapping toggles and the command palette never read markup, and no
notification with such a text is read as markup."""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.errors import MarkupError as RichMarkupError
from rich.text import Text
from textual.content import Content
from textual.fuzzy import Matcher
from textual.markup import MarkupError

from meldcode_tui.inert import UNSAFE_CODEPOINTS
from meldcode_tui.tui.commands import _highlight
from meldcode_tui.tui.fields.choicelist import ChoiceList
from meldcode_tui.tui.fields.toggles import WrappingCheckbox
from meldcode_tui.tui.plain import plain, plain_cell

HOSTILE = ["Leerling [/] x", "5[b]B", "[@click=app.quit]x[/]", "[red]", "[B]x[/B]", "a\\[b]", ":x:"]
TUI = Path(__file__).resolve().parents[2] / "src" / "meldcode_tui" / "tui"

printable = st.text(
    st.characters(
        blacklist_categories=("Cc", "Cs"),
        blacklist_characters="".join(chr(c) for c in UNSAFE_CODEPOINTS),  # drawn as U+FFFD
    ),
    max_size=40,
)


@given(printable)
def test_plain_keeps_every_character(text: str) -> None:
    assert plain(text).plain == text
    assert plain(text).spans == []


@given(printable)
def test_plain_cell_keeps_every_character_on_one_line(text: str) -> None:
    cell = plain_cell(text)
    assert cell.plain == text
    assert cell.spans == []
    assert cell.no_wrap


@pytest.mark.parametrize("text", HOSTILE)
def test_markup_would_have_changed_these_texts(text: str) -> None:
    """What the helpers are for: read as markup, these texts fail or change (":x:" is an emoji
    code for Rich, so only Rich changes it)."""

    def shown(parse: Callable[[str], Content | Text]) -> str | None:
        try:
            return parse(text).plain
        except (MarkupError, RichMarkupError):
            return None

    assert shown(Content.from_markup) != text or shown(Text.from_markup) != text
    assert plain(text).plain == text == plain_cell(text).plain


@pytest.mark.parametrize("text", HOSTILE)
def test_choices_and_wrapping_checkboxes_show_their_label_literally(text: str) -> None:
    assert ChoiceList([text], 0).get_option_at_index(0).prompt.plain == f"◉ {text}"
    assert WrappingCheckbox(text).label.plain == text


def test_a_command_is_highlighted_without_reading_markup() -> None:
    name = "Ga naar stap 1: [b]Signalen[/] in kaart"
    shown = _highlight(Matcher("sig"), name)
    assert shown.plain == name
    assert shown.spans


def _notify_calls_reading_text_as_markup(path: Path) -> list[str]:
    """`notify(...)` calls whose message is not a literal and that do not pass `markup=False`."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "notify"
            and node.args
        ):
            continue
        message = node.args[0]
        if isinstance(message, ast.Constant) and isinstance(message.value, str):
            continue
        markup = next((k.value for k in node.keywords if k.arg == "markup"), None)
        if not (isinstance(markup, ast.Constant) and markup.value is False):
            found.append(f"{path.relative_to(TUI)}:{node.lineno}")
    return found


@pytest.mark.parametrize(
    "path", sorted(TUI.rglob("*.py")), ids=lambda p: p.relative_to(TUI).as_posix()
)
def test_notifications_with_outside_text_are_not_read_as_markup(path: Path) -> None:
    assert _notify_calls_reading_text_as_markup(path) == []
