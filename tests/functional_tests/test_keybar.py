"""Pilot tests of the key bar: the screen's keys as one line, kept current, and clickable."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Input

from meldcode_tui.tui.widgets.keybar import KeyBar

SIZE = (80, 24)


class Host(App[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f7", "count('f7')", "Vorige", key_display="F7"),
        Binding("f8", "count('f8')", "Volgende", key_display="F8"),
        Binding("ctrl+n", "count('f8')", "Volgende"),
        Binding("f9", "count('f9')", "Verborgen", show=False),
        Binding("f6", "blocked", "Geblokkeerd", key_display="F6"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.pressed: list[str] = []

    def compose(self) -> ComposeResult:
        yield Input(id="field")
        yield KeyBar()

    def action_count(self, key: str) -> None:
        self.pressed.append(key)

    def action_blocked(self) -> None:
        self.pressed.append("f6")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return None if action == "blocked" else True


def line_of(bar: KeyBar) -> str:
    return str(bar.render().plain)


async def test_shows_the_screens_keys_and_the_palette_on_the_right() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        bar = app.query_one(KeyBar)
        shown = bar.shown_keys
        assert ("F7", "Vorige") in shown and ("F8", "Volgende") in shown
        assert all(description != "Verborgen" for _, description in shown)
        assert [description for _, description in shown].count("Volgende") == 1
        assert shown[-1] == ("^p", "Menu")
        line = line_of(bar)
        assert line.startswith("F7 Vorige F8 Volgende")
        assert len(line) == SIZE[0] and line.endswith("▏^p Menu ")


async def test_a_click_presses_the_key_and_a_disabled_key_does_nothing() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        bar = app.query_one(KeyBar)
        line = line_of(bar)
        await pilot.click(KeyBar, offset=(line.index("Volgende"), 0))
        await pilot.pause()
        assert app.pressed == ["f8"]
        await pilot.click(KeyBar, offset=(line.index("Geblokkeerd"), 0))
        await pilot.pause()
        assert app.pressed == ["f8"]
        await pilot.click(KeyBar, offset=(line.index("F7"), 0))
        await pilot.pause()
        assert app.pressed == ["f8", "f7"]


async def test_follows_the_focused_widgets_keys() -> None:
    class Focusable(Input):
        BINDINGS: ClassVar[list[BindingType]] = [Binding("f2", "app.count('f2')", "Extra")]

    class FocusHost(Host):
        def compose(self) -> ComposeResult:
            yield Input(id="field")
            yield Focusable(id="other")
            yield KeyBar()

    app: Any = FocusHost()
    async with app.run_test(size=SIZE) as pilot:
        app.query_one("#field").focus()
        await pilot.pause()
        bar = app.query_one(KeyBar)
        assert ("f2", "Extra") not in bar.shown_keys
        app.query_one("#other").focus()
        await pilot.pause()
        await pilot.pause()
        assert ("f2", "Extra") in bar.shown_keys


async def test_keys_that_do_not_fit_go_to_a_second_line_and_stay_clickable() -> None:
    app = Host()
    async with app.run_test(size=(24, 10)) as pilot:
        await pilot.pause()
        bar = app.query_one(KeyBar)
        lines = line_of(bar).split("\n")
        assert bar.size.height == len(lines) == 2
        assert lines[0].rstrip() == "F7 Vorige F8 Volgende"
        assert lines[1].startswith("F6 Geblokkeerd")
        assert all(len(line) <= 24 for line in lines)
        await pilot.click(KeyBar, offset=(lines[0].index("Vorige"), 0))
        await pilot.pause()
        assert app.pressed == ["f7"]
