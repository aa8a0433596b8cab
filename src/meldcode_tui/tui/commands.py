"""Command palette entries: go to a step, Veilig Thuis and 112, help for this step."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from meldcode_tui.tui.app import MeldcodeApp

Command = tuple[str, Callable[[], object], str]


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
        if app.session is None:
            return
        yield "Nazorg bijwerken", app.action_aftercare, "De nazorgpunten van deze zaak"
        for step in flow.steps:
            name = f"Ga naar stap {step.number}: {step.title}" if step.number else step.title
            yield name, partial(app.show_step, step.id), step.summary
        yield "Naar de lijst met zaken", app.go_home, "Sluit deze zaak (F10)"

    async def discover(self) -> Hits:
        for name, callback, help_text in self._commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, callback, help_text in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)
