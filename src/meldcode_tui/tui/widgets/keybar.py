"""`KeyBar`: the footer line of the screen's keys and what they do, drawn by one widget.

Textual's `Footer` is a container with a widget per key, which it unmounts and mounts again on
every focus change; each of those widgets is laid out and painted with the rest of the screen
on every frame. The key bar is rendered from the screen's active bindings: it is redrawn only
when the keys it shows change, and a click on a key presses that key. It looks like a compact
`Footer`, with the command palette key on the right; where the keys do not fit on one line it
takes a second line rather than cut keys off (a `Footer` clips them, F2 Veilig Thuis first).
Textual's own keys are described in Dutch (`tui.keys`): "Menu", not "palette".
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from textual import events
from textual.content import Content
from textual.geometry import Size
from textual.screen import Screen
from textual.widget import Widget

from meldcode_tui.tui.keys import describe

PALETTE_SEPARATOR = "▏"


@dataclass(frozen=True)
class _Key:
    key: str
    display: str
    description: str
    enabled: bool
    tooltip: str


class KeyBar(Widget, can_focus=False):
    """The keys of the screen (bindings with `show=True`, one per action, as `Footer` shows them),
    and the command palette key."""

    DEFAULT_CSS = Path(__file__).with_name("keybar.tcss").read_text(encoding="utf-8")
    """Its styles travel with it, as a Textual widget's do; they are written in `keybar.tcss`."""
    ALLOW_SELECT = False
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "keybar--key",
        "keybar--description",
        "keybar--disabled",
        "keybar--hover",
    }

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._keys: tuple[_Key, ...] = ()
        self._palette: _Key | None = None
        self._spans: list[tuple[int, int, int, _Key]] = []
        self._hover: _Key | None = None

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._bindings_changed(self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[Any]) -> None:
        if screen is not self.screen:
            return
        app = self.app
        keys: dict[str, _Key] = {}
        palette: _Key | None = None
        for _, binding, enabled, tooltip in screen.active_bindings.values():
            display = app.get_key_display(binding)
            key = _Key(binding.key, display, describe(binding), enabled, tooltip)
            if binding.action == "command_palette":
                if app.ENABLE_COMMAND_PALETTE and palette is None:
                    palette = key
            elif binding.show:
                keys.setdefault(binding.action, key)
        shown = tuple(keys.values())
        if (shown, palette) != (self._keys, self._palette):
            width = self.size.width
            lines = len(self._layout(width))
            self._keys, self._palette = shown, palette
            self.refresh(layout=len(self._layout(width)) != lines)

    def _key_content(self, key: _Key) -> Content:
        key_style = self.get_visual_style("keybar--key")
        text_style = self.get_visual_style("keybar--description")
        content = Content.assemble((key.display, key_style), (f" {key.description}", text_style))
        if not key.enabled:
            content = content.stylize(self.get_visual_style("keybar--disabled"))
        if key is self._hover:
            content = content.stylize(self.get_visual_style("keybar--hover"))
        return content

    def _layout(self, width: int) -> list[list[tuple[int, _Key]]]:
        """The keys packed into lines of `width` cells: (x, key) each. A key never breaks; keys
        that do not fit go to the next line, so none is cut off (F2 Veilig Thuis included)."""
        lines: list[list[tuple[int, _Key]]] = [[]]
        x = 0
        for key in self._keys:
            length = self._width_of(key)
            if x and x + length > width:
                lines.append([])
                x = 0
            lines[-1].append((x, key))
            x += length + 1
        return lines

    def _width_of(self, key: _Key) -> int:
        return Content(f"{key.display} {key.description}").cell_length

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._layout(width))

    def render(self) -> Content:
        width = self.size.width
        spans: list[tuple[int, int, int, _Key]] = []
        rows: list[Content] = []
        for y, line in enumerate(self._layout(width)):
            row = Content("")
            for x, key in line:
                part = self._key_content(key)
                row = Content.assemble(row, " " * (x - row.cell_length), part)
                spans.append((y, x, x + part.cell_length, key))
            rows.append(row)
        if self._palette is not None:
            palette = self._key_content(self._palette)
            start = width - palette.cell_length - 1
            last = rows[-1]
            if start > last.cell_length:
                separator = Content.styled(PALETTE_SEPARATOR, "$foreground 20%")
                gap = " " * (start - last.cell_length - 1)
                rows[-1] = Content.assemble(last, gap, separator, palette, " ")
                spans.append((len(rows) - 1, start, start + palette.cell_length, self._palette))
        self._spans = spans
        return Content("\n").join(rows)

    def _key_at(self, x: int, y: int) -> _Key | None:
        return next(
            (key for row, start, end, key in self._spans if row == y and start <= x < end), None
        )

    def on_mouse_move(self, event: events.MouseMove) -> None:
        key = self._key_at(event.x, event.y)
        if key is not self._hover:
            self._hover = key
            self.tooltip = key.tooltip if key is not None and key.tooltip else None
            self.refresh()

    def on_leave(self, event: events.Leave) -> None:
        if self._hover is not None:
            self._hover = None
            self.tooltip = None
            self.refresh()

    def on_mouse_down(self, event: events.MouseDown) -> None:
        key = self._key_at(event.x, event.y)
        if key is None:
            return
        if key.enabled:
            self.app.simulate_key(key.key)
        else:
            self.app.bell()

    @property
    def shown_keys(self) -> list[tuple[str, str]]:
        """(key as shown, description) of every key on the bar, palette last."""
        keys = [*self._keys, *([self._palette] if self._palette else [])]
        return [(key.display, key.description) for key in keys]
