"""Take the pictures of the user guide (`docs/handleiding.md`): the real app, headless at 80×24,
on the fictitious demo cases, driven with the Pilot by keys and widget ids to every screen a user
meets; each screen is saved as Textual's SVG screenshot in `docs/img/`.

Usage:
    python scripts/screenshots.py               # every picture
    python scripts/screenshots.py start f2      # only these
    python scripts/screenshots.py --list        # the names and what each shows
    python scripts/screenshots.py --out DIR     # somewhere else than docs/img
    python scripts/screenshots.py --check       # exit 1 when a picture is out of date

Every picture is taken in an app of its own, on a fresh temporary data, config, cache and log
folder seeded with the demo cases, so one picture never depends on another and the user's own
cases and preferences are never touched. The app runs as on real cases (no demo banner), except
for the picture `demo`. The pictures are the same on every run and every machine: the demo is
seeded for a fixed day, that day is "today" for the app, the clock of the saved-at line and of
every event is fixed, local times are Amsterdam times, and no cursor blinks. Textual's SVG names
a web font (`@font-face ... url(https://...)`); that reference is removed, so viewing the guide
fetches nothing from anywhere.

Run it again after a screen changed; `tests/functional_tests/test_handleiding.py` takes one
picture the same way and checks that every picture the guide links exists.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import importlib
import json
import os
import pkgutil
import re
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from textual.coordinate import Coordinate
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, TextArea

from meldcode_tui.demo.seed import load_bundled_flow, seed_demo
from meldcode_tui.demo.session import DEMO_ROLE, DEMO_USER
from meldcode_tui.locations import CONFIG_DIR_ENV, DATA_DIR_ENV
from meldcode_tui.tui.app import MeldcodeApp, make_app
from meldcode_tui.tui.prefs import PREFS_NAME, Prefs, save_prefs

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "img"
SIZE = (80, 24)
TODAY = dt.date(2026, 3, 16)
"""The day the demo is seeded for and the app takes as today (a Monday)."""
NOW = dt.datetime(2026, 3, 16, 9, 41, tzinfo=dt.UTC)
"""The moment every change made while taking a picture is recorded at."""
TIME_ZONE = "Europe/Amsterdam"
SHOT_SECONDS = 60.0
"""A picture whose screen has not settled by then is reported as not taken."""
HOME = "/home/juf-demo"
"""The home folder the export dialog offers (never the real one: it names a user)."""
TRAINER = (DEMO_USER, DEMO_ROLE)
ZORG = ("Demo-zorgcoördinator", "Zorgcoördinator")
CLOSE_REASON = "Melding gedaan; Veilig Thuis heeft de zaak overgenomen en de nazorg is afgerond."
FOREIGN_LOCK = {
    "user": "Juf Demo",
    "host": "LAPTOP-DEMO-07",
    "pid": 4242,
    "time": "2026-03-16T07:55:00+00:00",
}
SCHOOL_YAML = """\
# Fictieve school, alleen voor de plaatjes van de handleiding.
name: Demo-school De Verzonnen Eik
retention_years: 2
contacts:
  - role: Aandachtsfunctionaris
    name: Meester Proefpersoon
    phone: 010-0000000
    note: Bereikbaar op schooldagen
  - role: Zorgcoördinator
    name: Mevrouw Nepnaam
    phone: 010-0000001
"""
_FONT_FACE = re.compile(r"\s*@font-face\s*\{[^}]*\}")
_EXTERNAL = re.compile(r"(?:url\(|@import|href=)\s*['\"]?(?!#)", re.I)
"""What would make a browser fetch something: a `url(...)`, `@import` or `href` that does not
point inside the SVG itself (`url(#clip)`)."""

Drive = Callable[[Pilot[Any]], Awaitable[None]]


@dataclass(frozen=True)
class Shot:
    """One picture: the file name (without .svg), what it shows, how the app starts and the keys
    that bring it to the screen."""

    name: str
    shows: str
    drive: Drive
    case_id: str | None = None
    actor: tuple[str, str] = TRAINER
    locked: str | None = None
    """A case id that another computer holds open (a lock the app cannot check)."""
    demo: bool = False
    """The app as `meldcode --demo` shows it (with the demo banner)."""
    closed: str | None = None
    """A case id the zorgcoördinator closed (with `CLOSE_REASON`) before the app starts."""


# --- driving the app ---------------------------------------------------------------------------


async def settle(pilot: Pilot[Any]) -> None:
    """Until the app is idle: every worker done, every refresh drawn."""
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def press(pilot: Pilot[Any], *names: str) -> None:
    for name in names:
        await pilot.press(name)
        await settle(pilot)


async def focus(pilot: Pilot[Any], selector: str) -> None:
    """Focus the widget `selector` names, or the first focusable one inside it (scrolled into
    view, as the keyboard would bring it there)."""
    node = pilot.app.screen.query_one(selector)
    target = node if node.focusable else next(w for w in node.query("*") if w.focusable)
    target.focus()
    await settle(pilot)


async def type_into(pilot: Pilot[Any], selector: str, text: str) -> None:
    field = pilot.app.screen.query_one(selector, Input)
    field.focus()
    field.value = ""
    await settle(pilot)
    await pilot.press(*text)
    await settle(pilot)


async def open_review(pilot: Pilot[Any], case_id: str) -> None:
    """Alle zaken (Ctrl+O), the cursor on `case_id`'s row, Enter."""
    await press(pilot, "ctrl+o")
    table = pilot.app.screen.query_one("#overview-table", DataTable)
    table.focus()
    cells = (table.coordinate_to_cell_key(Coordinate(row, 0)) for row in range(table.row_count))
    rows = [cell.row_key.value for cell in cells]
    table.move_cursor(row=rows.index(case_id), animate=False)
    await press(pilot, "enter")


def keys(*names: str) -> Drive:
    """Press these keys."""

    async def drive(pilot: Pilot[Any]) -> None:
        await press(pilot, *names)

    return drive


def focused(selector: str) -> Drive:
    """Bring the field `selector` into view, with the focus."""

    async def drive(pilot: Pilot[Any]) -> None:
        await focus(pilot, selector)

    return drive


def at_step(step_id: str, then: Drive | None = None) -> Drive:
    """F7 or F8 until the open case shows step `step_id` (wherever the case was saved), then
    `then`."""

    async def drive(pilot: Pilot[Any]) -> None:
        app = app_of(pilot)
        assert app.work is not None, "no case open"
        order = [step.id for step in app.work.flow.steps]
        for _ in range(MAX_PRESSES):
            current = getattr(app.screen, "step", None)
            if current is not None and current.id == step_id:
                break
            here = order.index(current.id) if current is not None else 0
            await press(pilot, "f7" if order.index(step_id) < here else "f8")
        else:
            raise RuntimeError(f"step {step_id} not reached with F7/F8")
        if then is not None:
            await then(pilot)

    return drive


def in_review(case_id: str, *names: str) -> Drive:
    """The review of `case_id` opened from Alle zaken, then these keys pressed there."""

    async def drive(pilot: Pilot[Any]) -> None:
        await open_review(pilot, case_id)
        await press(pilot, *names)

    return drive


async def new_case_form(pilot: Pilot[Any]) -> None:
    await type_into(pilot, "#pupil", "Demo-leerling Lies Voorbeeld")
    await type_into(pilot, "#group", "Demo 1A")
    await focus(pilot, "#create")


AS_IS = keys()
MAX_PRESSES = 12
SIGNALEN = "demo-1-signalen"
CONSULTATIE = "demo-2-consultatie"
ACUUT = "demo-3-melding-acuut"
NAZORG = "demo-4-nazorg"
TWIJFEL = "demo-5-twijfel"

SHOTS: tuple[Shot, ...] = (
    # the mentor
    Shot("start", "Het beginscherm met de recente zaken", AS_IS),
    Shot("nieuwe-zaak", "Een nieuwe zaak: leerling en groep ingevuld", new_case_form),
    Shot("stap1-signalen", "Stap 1: een signaal", at_step("signalen"), SIGNALEN),
    Shot(
        "stap2-consultatie", "Stap 2: collegiale consultatie", at_step("consultatie"), CONSULTATIE
    ),
    Shot(
        "stap4-advies",
        "Stap 4: twijfel, bel Veilig Thuis",
        at_step("afweging", focused(".vt-advice")),
        TWIJFEL,
    ),
    Shot("stap4-acuut", "Stap 4: acute onveiligheid, meld nu", at_step("afweging"), ACUUT),
    Shot(
        "stap5-besluiten",
        "Stap 5: de twee besluiten",
        at_step("besluiten", focused("#field-besluit_melden")),
        ACUUT,
    ),
    Shot(
        "stap5-melding",
        "Stap 5: de melding",
        at_step("besluiten", focused("#field-ouders_geinformeerd")),
        ACUUT,
    ),
    Shot("nazorg", "Nazorg en evaluatie", at_step("nazorg"), NAZORG),
    Shot("kader", "Het afwegingskader (F4)", keys("f4"), NAZORG),
    Shot("overnemen", "Elders open: overnemen?", AS_IS, CONSULTATIE, locked=CONSULTATIE),
    Shot(
        "alleen-lezen",
        "Elders open: alleen lezen",
        keys("escape"),
        CONSULTATIE,
        locked=CONSULTATIE,
    ),
    # the zorgcoördinator
    Shot("alle-zaken", "Alle zaken (Ctrl+O)", keys("ctrl+o"), actor=ZORG),
    Shot("review", "Een zaak nalezen", in_review(ACUUT), actor=ZORG),
    Shot("review-tijdlijn", "De tijdlijn (T)", in_review(ACUUT, "t", "end"), actor=ZORG),
    Shot("nazorg-bijhouden", "Nazorg bijhouden (N)", in_review(NAZORG, "n"), actor=ZORG),
    Shot("zaak-sluiten", "Een zaak sluiten (Z)", in_review(ACUUT, "z"), actor=ZORG),
    Shot("exporteren", "Een zaak exporteren (E)", in_review(ACUUT, "e"), actor=ZORG),
    Shot(
        "zaak-heropenen",
        "Een gesloten zaak heropenen (H)",
        in_review(ACUUT, "h"),
        actor=ZORG,
        closed=ACUUT,
    ),
    # every screen
    Shot("f1-help", "F1: help bij de stap", keys("f1"), SIGNALEN),
    Shot("f2-contacten", "F2: Veilig Thuis en contacten", keys("f2")),
    Shot("f3-wie", "F3: wie ben ik", keys("f3"), SIGNALEN),
    # the trainer
    Shot("demo", "De demomodus", AS_IS, demo=True),
)


# --- a fixed world -----------------------------------------------------------------------------


class _Today(dt.date):
    """`date` whose `today()` is the guide's day."""

    @classmethod
    def today(cls) -> _Today:
        return cls(TODAY.year, TODAY.month, TODAY.day)


def _fixed_now() -> dt.datetime:
    return NOW


@contextlib.contextmanager
def fixed_world(folder: Path) -> Iterator[None]:
    """Private folders, Amsterdam time, a fixed today and a fixed now, for the app's modules;
    everything restored afterwards."""
    import meldcode_tui.case.model as model

    _import_all()
    env = {
        DATA_DIR_ENV: str(folder / "zaken"),
        CONFIG_DIR_ENV: str(folder / "config"),
        "MELDCODE_CACHE_DIR": str(folder / "cache"),
        "MELDCODE_LOG_DIR": str(folder / "log"),
        "TZ": TIME_ZONE,
        "HOME": HOME,
        "USERPROFILE": HOME,
    }
    saved_env = {name: os.environ.get(name) for name in env}
    patched: list[tuple[Any, str, Any]] = []
    os.environ.update(env)
    _tzset()
    try:
        for module in list(sys.modules.values()):
            name = getattr(module, "__name__", "")
            if not name.startswith("meldcode_tui"):
                continue
            if getattr(module, "date", None) is dt.date:
                patched.append((module, "date", dt.date))
                module.date = _Today  # type: ignore[attr-defined]
            if getattr(module, "now", None) is model.now:
                patched.append((module, "now", model.now))
                module.now = _fixed_now  # type: ignore[attr-defined]
        yield
    finally:
        for module, attribute, value in reversed(patched):
            setattr(module, attribute, value)
        for name, value in saved_env.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        _tzset()


def _import_all() -> None:
    """Import every module of the app now, so that none imported later misses the fixed day."""
    import meldcode_tui

    for module in pkgutil.walk_packages(meldcode_tui.__path__, "meldcode_tui."):
        if module.name.endswith(".__main__"):
            continue
        with contextlib.suppress(ImportError):  # an optional extra that is not installed
            importlib.import_module(module.name)


def _tzset() -> None:
    if hasattr(time, "tzset"):  # not on Windows: there the pictures show the machine's zone
        time.tzset()


def prepare(folder: Path, shot: Shot) -> Path:
    """The data folder of one picture: the demo cases, the school settings, a lock if asked; and
    the person acting in the preferences."""
    data = folder / "zaken"
    data.mkdir(mode=0o700)
    seed_demo(data, load_bundled_flow(), TODAY)
    _write_private(data / "school.yaml", SCHOOL_YAML)
    if shot.locked:
        _write_private(data / f"{shot.locked}.lock", json.dumps(FOREIGN_LOCK))
    if shot.closed:
        close_case(data, shot.closed)
    config = folder / "config"
    config.mkdir(mode=0o700)
    save_prefs(Prefs(name=shot.actor[0], role=shot.actor[1]), config / PREFS_NAME)
    return data


def close_case(data: Path, case_id: str) -> None:
    """Close a case as the zorgcoördinator does, through the one owner of an open case."""
    from meldcode_tui.case.model import Actor
    from meldcode_tui.case.store import CaseStore
    from meldcode_tui.casework.registry import FlowRegistry
    from meldcode_tui.casework.work import CaseWork

    store = CaseStore(data)
    registry = FlowRegistry(load_bundled_flow(), store.root)
    work = CaseWork.open(store, registry, case_id, Actor(name=ZORG[0], role=ZORG[1]))
    try:
        work.close(CLOSE_REASON)
    finally:
        work.release()


def _write_private(path: Path, text: str) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(text)


# --- taking a picture --------------------------------------------------------------------------


def local_only(svg: str) -> str:
    """The SVG without the web font it names (`@font-face` with a `url(https://...)`): a browser
    showing it then fetches nothing and draws the text in its own monospace font. Raises
    ValueError if anything else in it still points outside the file."""
    svg = _FONT_FACE.sub("", svg)
    outside = external_references(svg)
    if outside:
        raise ValueError(f"the screenshot still refers outside itself: {outside[:3]}")
    return svg


def external_references(svg: str) -> list[str]:
    """Every place in `svg` that would make a browser fetch something."""
    return [svg[m.start() : m.start() + 60] for m in _EXTERNAL.finditer(svg)]


async def take(shot: Shot, out: Path) -> Path:
    """Take one picture into `out/<name>.svg`; returns its path."""
    with tempfile.TemporaryDirectory(prefix="meldcode-shot-") as temp:
        folder = Path(temp)
        with fixed_world(folder):
            data = prepare(folder, shot)
            app = make_app(data_dir=data, case_id=shot.case_id, clock=_fixed_now, demo=shot.demo)
            async with app.run_test(size=SIZE) as pilot:
                await app_of(pilot).wait_until_loaded()
                await settle(pilot)
                await shot.drive(pilot)
                await still(pilot)
                svg = app.export_screenshot(title=f"Meldcode — {shot.shows}")
                app.close_case()
    target = out / f"{shot.name}.svg"
    target.write_text(local_only(svg), encoding="utf-8")
    return target


async def still(pilot: Pilot[Any]) -> None:
    """No blinking cursor: every text field shows its cursor steadily."""
    for screen in pilot.app.screen_stack:
        for widget in screen.query("Input, TextArea"):
            if isinstance(widget, Input | TextArea):
                widget.cursor_blink = False
    await settle(pilot)


def app_of(pilot: Pilot[Any]) -> MeldcodeApp:
    app = pilot.app
    assert isinstance(app, MeldcodeApp)
    return app


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="take only these pictures")
    parser.add_argument("--out", type=Path, default=OUT, help="folder for the SVG files")
    parser.add_argument("--list", action="store_true", help="list the pictures and stop")
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 when a picture in --out differs from the screen today",
    )
    args = parser.parse_args(argv)
    known = {shot.name: shot for shot in SHOTS}
    if args.list:
        for shot in SHOTS:
            print(f"{shot.name:20} {shot.shows}")
        return 0
    unknown = [name for name in args.names if name not in known]
    if unknown:
        parser.error(f"unknown picture: {', '.join(unknown)} (see --list)")
    shots = [known[name] for name in args.names] or list(SHOTS)
    if args.check:
        with tempfile.TemporaryDirectory(prefix="meldcode-shots-") as temp:
            return check(shots, args.out, Path(temp))
    args.out.mkdir(parents=True, exist_ok=True)
    return 1 if take_all(shots, args.out) else 0


def take_all(shots: list[Shot], out: Path) -> list[str]:
    """Take the pictures into `out`; returns the names of those that could not be taken."""
    failed: list[str] = []
    for shot in shots:
        try:
            path = asyncio.run(asyncio.wait_for(take(shot, out), SHOT_SECONDS))
        except Exception as exc:  # a screen that changed must not keep the other pictures back
            failed.append(shot.name)
            reason = str(exc) or "it did not settle in time"
            print(f"{shot.name}: not taken: {type(exc).__name__}: {reason}", file=sys.stderr)
            continue
        print(path)
    if failed:
        print(f"{len(failed)} of {len(shots)} pictures not taken: {', '.join(failed)}")
    return failed


def check(shots: list[Shot], out: Path, temp: Path) -> int:
    """Compare the pictures in `out` with the screens as they are now."""
    failed = take_all(shots, temp)
    stale = [
        shot.name
        for shot in shots
        if shot.name not in failed
        and (
            not (out / f"{shot.name}.svg").is_file()
            or (out / f"{shot.name}.svg").read_bytes() != (temp / f"{shot.name}.svg").read_bytes()
        )
    ]
    if stale:
        print(f"out of date (run scripts/screenshots.py): {', '.join(stale)}")
    return 1 if stale or failed else 0


if __name__ == "__main__":
    sys.exit(main())
