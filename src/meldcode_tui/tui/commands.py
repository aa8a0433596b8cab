"""The command palette in Dutch, and its entries: go to a step, Veilig Thuis and 112, help for
this step, a light or dark colour scheme.

Step titles and summaries come from the flow file, so every entry is handed to the palette as
plain `Content` (the palette reads a `str` prompt or help as markup; see `tui.plain`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import TYPE_CHECKING, Any

from rich.align import Align
from rich.text import Text
from textual.command import (
    CommandList,
    CommandListItem,
    CommandPalette,
    DiscoveryHit,
    Hit,
    Hits,
    Provider,
)
from textual.widgets.option_list import Option

from meldcode_tui.tui.plain import plain

if TYPE_CHECKING:
    from textual.content import Content
    from textual.fuzzy import Matcher

    from meldcode_tui.tui.app import MeldcodeApp

Command = tuple[str, Callable[[], object], str]

NO_MATCHES = "Niets gevonden"
THEMES = (("Donker", "textual-dark"), ("Licht", "textual-light"))
"""The colour schemes offered: (Dutch name, Textual theme)."""


class DutchCommandPalette(CommandPalette):
    """Textual's command palette, saying "Niets gevonden" where it says "No matches found"."""

    def _start_no_matches_countdown(self, search_value: str) -> None:
        # Textual's own countdown adds an English option; this one adds the same in Dutch.
        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            if search_value:
                self.query_one(CommandList).add_option(
                    Option(
                        Align.center(Text(NO_MATCHES, style="not bold")),
                        disabled=True,
                        id=self._NO_MATCHES,
                    )
                )
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)


def theme_choices(app: Any) -> list[CommandListItem]:
    """The colour schemes for `App.search_commands`, the one in use said so."""

    def choose(theme: str) -> Callable[[], None]:
        def set_theme() -> None:
            app.theme = theme

        return set_theme

    return [
        (name, choose(theme), "in gebruik" if app.theme == theme else "") for name, theme in THEMES
    ]


class MeldcodeCommands(Provider):
    """The app's own commands, in Dutch."""

    @property
    def meldcode(self) -> MeldcodeApp:
        return self.app  # type: ignore[return-value]

    def _commands(self) -> Iterator[Command]:
        app = self.meldcode
        flow = app.flow
        if flow is None:
            return
        yield "Veilig Thuis en 112", app.action_contacts, "Toon de telefoonnummers (F2)"
        yield "Help bij deze stap", app.action_help, "De volledige protocoltekst (F1)"
        yield "Afwegingskader", app.action_kader, "De vragen van stap 4 als boom (F4)"
        yield "Alle zaken", app.action_overview, "Overzicht, nazorg en export per zaak (Ctrl+O)"
        if app.work is None:
            return
        yield "Nazorg bijwerken", app.action_aftercare, "De nazorgpunten van deze zaak"
        for step in flow.steps:
            name = f"Ga naar stap {step.number}: {step.title}" if step.number else step.title
            yield name, partial(app.show_step, step.id), step.summary
        yield "Naar de lijst met zaken", app.go_home, "Sluit deze zaak (F10)"

    async def discover(self) -> Hits:
        for name, callback, help_text in self._commands():
            help_text_shown = _help(help_text)
            yield DiscoveryHit(
                plain(name),
                callback,
                text=name,
                help=help_text_shown,  # type: ignore[arg-type]
            )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, callback, help_text in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(
                    score,
                    _highlight(matcher, name),
                    callback,
                    text=name,
                    help=_help(help_text),  # type: ignore[arg-type]  # see _help
                )


def _highlight(matcher: Matcher, name: str) -> Content:
    """`name` with the matched letters styled, like `Matcher.highlight` but never read as markup."""
    content = plain(name)
    _, offsets = matcher.fuzzy_search.match(matcher.query, name)
    for offset in offsets:
        if not name[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


def _help(text: str) -> Content | None:
    """The help line as `Content`: the palette reads a `str` help as markup but keeps `Content`
    as it is (`Content.from_markup` returns it unchanged), although `Hit.help` says `str`."""
    return plain(text) if text else None
