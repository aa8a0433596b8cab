"""A Footer that rebuilds its keys only when the keys it shows change.

Textual's `Footer` recomposes (unmounts and mounts every key, then re-lays out the screen) on
every focus change, because the active bindings may depend on the focused widget. In the wizard
they almost never do, so this footer compares what it would show and keeps its keys otherwise.
It looks and behaves exactly like `Footer`.
"""

from __future__ import annotations

from typing import Any

from textual.screen import Screen
from textual.widgets import Footer


class StableFooter(Footer):
    """`Footer`, without the re-composition when the shown keys stay the same."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._shown: tuple[Any, ...] | None = None

    def _signature(self, screen: Screen[Any]) -> tuple[Any, ...]:
        return tuple(
            (binding.key, binding.action, binding.description, binding.group, enabled, tooltip)
            for (_, binding, enabled, tooltip) in screen.active_bindings.values()
            if binding.show or binding.action == "command_palette"
        )

    def bindings_changed(self, screen: Screen[Any]) -> None:
        if self.is_attached and screen is self.screen and screen.app.app_focus:
            signature = self._signature(screen)
            if signature == self._shown and self._bindings_ready:
                return
            self._shown = signature
        super().bindings_changed(screen)
