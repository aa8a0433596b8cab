"""A data folder for the overview, review and aftercare tests: fictitious cases written through
`CaseStore` and its sessions with a fixed clock and fixed ids, plus one corrupt file; and a tiny
host app that shows one screen, so the tests do not depend on the app shell."""

from __future__ import annotations

import itertools
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.screen import Screen

from meldcode_tui.case import store as store_module
from meldcode_tui.case.model import Actor, FlowRef
from meldcode_tui.case.store import CaseStore
from meldcode_tui.casework.registry import FlowRegistry
from meldcode_tui.casework.work import CaseWork
from meldcode_tui.flow.model import Flow
from meldcode_tui.flow.validate import load_flow
from meldcode_tui.locations import default_flow_path
from meldcode_tui.tui import app as app_module
from meldcode_tui.tui.app import MeldcodeApp
from meldcode_tui.tui.prefs import Prefs
from meldcode_tui.tui.screens.aftercare import AftercareScreen
from meldcode_tui.tui.screens.review import ReviewScreen

FLOW: Flow = load_flow(default_flow_path())
SIZE = (80, 24)
TODAY = date(2026, 3, 10)
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
MENTOR = Actor(name="Mentor Jansen", role="mentor")
TEAMLEIDER = Actor(name="Teamleider Bakker", role="teamleider")
ZORG = Actor(name="Zorgcoördinator De Boer", role="zorgcoördinator")
CORRUPT_FILE = "20260301-kapot1.json"

VOS = "20260302-vos001"
MEREL = "20260302-mrl002"
UIL = "20260302-uil003"
DAS = "20260302-das004"

SIGNAL = {
    "datum": "2026-02-23",
    "feiten": "Blauwe plek op de arm, zegt gevallen te zijn.",
    "waarnemer": "Mentor Jansen",
    "bron": "eigen_waarneming",
}


class Clock:
    """A clock that moves ten minutes on every reading, so events never coalesce."""

    def __init__(self, start: datetime) -> None:
        self._ticks = itertools.count()
        self.start = start

    def __call__(self) -> datetime:
        return self.start + timedelta(minutes=10 * next(self._ticks))


@contextmanager
def amsterdam_time() -> Iterator[None]:
    """Local times on screen are Amsterdam times, whatever the machine's zone."""
    old = os.environ.get("TZ")
    os.environ["TZ"] = "Europe/Amsterdam"
    time.tzset()
    try:
        yield
    finally:
        if old is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = old
        time.tzset()


def write_cases(root: Path, monkeypatch: pytest.MonkeyPatch) -> CaseStore:
    """Vos (3A, open, at step 3), Merel (2B, gemeld then nazorg, both decisions, overdue aftercare),
    Uil (10A, hulp, only besluit 1), Das (1C, gesloten); and a corrupt file."""
    ids = iter((VOS, MEREL, UIL, DAS))
    with monkeypatch.context() as patch:
        patch.setattr(store_module, "now", Clock(START))
        patch.setattr(store_module, "new_id", lambda: next(ids))
        store = CaseStore(root)
        ref = FlowRef.of(FLOW)

        vos = store.create(ref, "Pseudoniem Vos", MENTOR, group="3A")
        with store.open(vos.id, MENTOR) as s:
            s.set_value("signalen", "signalen", [SIGNAL])
            s.set_value("gesprek", "gesprek_gevoerd", "ja")
            s.set_value("gesprek", "besproken", "De signalen zijn besproken met de ouders.")
            s.set_position("gesprek")

        merel = store.create(ref, "Leerling-2041", MENTOR, group="2B")
        with store.open(merel.id, MENTOR) as s:
            s.set_value("signalen", "signalen", [SIGNAL])
            s.set_answer("vermoeden", "ja", justification="Signalen uit stap 1 en 3.")
            s.set_answer("veiligheid", "ja", meldnormen=["structureel"])
        with store.open(merel.id, TEAMLEIDER) as s:
            s.set_decision(
                "melden", True, reason="Structurele onveiligheid.", checked=["structureel"]
            )
            s.set_decision("hulp", True, reason="Ouders werken mee.", checked=["meewerken"])
            s.record("melding")
            s.set_position("nazorg")
        with store.open(merel.id, ZORG) as s:
            s.set_aftercare("evaluatie", due="2026-03-05", who="De Boer")
            s.set_aftercare("informatie", due="2026-04-01")

        uil = store.create(ref, "Leerling-3307", MENTOR, group="10A")
        with store.open(uil.id, TEAMLEIDER) as s:
            s.set_decision("melden", False, reason="Geen meldnorm van toepassing.")
            s.record("hulp_gestart")
            s.set_position("besluiten")

        das = store.create(ref, "Pseudoniem Das", MENTOR, group="1C")
        with store.open(das.id, TEAMLEIDER) as s:
            s.set_decision("melden", False, reason="Geen vermoeden.")
            s.set_decision("hulp", False, reason="Niet nodig.")
            s.record("close", note="Geen vermoeden meer na gesprek.")
    (root / CORRUPT_FILE).write_text('{"id": "20260301-kapot1", "pupil": ', encoding="utf-8")
    return store


class ScreenHost(MeldcodeApp):
    """The real app on a fixture folder, loaded at once, showing the screen `make` builds over
    the home screen; the person acting is the zorgcoördinator. Records takeovers and new cases
    instead of acting on them."""

    CSS_PATH = str(Path(app_module.__file__).with_name("app.tcss"))

    def __init__(self, root: Path, make: Callable[[ScreenHost], Screen[Any] | None]) -> None:
        super().__init__(data_dir=root, flow_path=default_flow_path())
        self.prefs = Prefs(name=ZORG.name, role=ZORG.role)
        self._make = make
        self.taken_over: list[str] = []
        self.started: list[tuple[str, str]] = []

    def _start_loading(self) -> None:
        store = CaseStore(self.data_path)
        self.flow, self.store, self.registry = FLOW, store, FlowRegistry(FLOW, store.root)
        self._load_done.set()
        screen = self._make(self)
        if screen is not None:
            self.push_screen(screen)

    def review(self, case_id: str, today: date = TODAY) -> ReviewScreen:
        assert self.store is not None and self.registry is not None
        work = CaseWork.open(self.store, self.registry, case_id, ZORG, read_only=True)
        return ReviewScreen(work, today=today)

    def aftercare(self, case_id: str, today: date = TODAY) -> None:
        """The aftercare as the review opens it: the case opened for it, let go after."""
        self.run_worker(self.edit_aftercare(case_id, lambda: None, today=today))

    def on_review_screen_take_over(self, message: ReviewScreen.TakeOver) -> None:
        self.taken_over.append(message.case_id)

    def on_aftercare_items_case_started(self, message: AftercareScreen.CaseStarted) -> None:
        self.started.append((message.case_id, message.linked_to))


async def settle(pilot: Pilot[Any]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()
