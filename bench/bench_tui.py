"""Benchmark of the app: start-up against a bare Textual app, and key press → screen updated.

Run it standalone: `python bench/bench_tui.py [--runs N] [--sessions N] [--presses N]
[--switches N] [--json]`.

1. Start to first interactive screen, as whole processes, headless: the app (home screen with
   its inputs ready) next to a bare Textual app with Header, Static and Footer, both exiting as
   soon as their first screen is ready (Textual's auto-pilot hook), interleaved, median of
   `--runs`. Goal (issue 5): ≤ 1.15× the bare app. Until the home list SHOWS the 50 cases (the
   first frame written whose lines hold a pupil), goal (issue 16) ≤ 1.3× the bare app measured
   the same way: until the first frame it writes (the auto-pilot hook alone runs before any
   frame is written). Beside it, as a reference, a plain Textual app with the same widgets and
   rows: what Textual costs for such a screen. Also
   reported without a goal: the time until the flow is loaded too (after the first frame).
2. In step 4, F8 → the next weighing question on screen at 80×24: `--sessions` sessions, each a
   fresh process running the app in-process with `--presses` presses; the figure is the median
   of the sessions' p95 (goal ≤ 30 ms), with the pooled p95 beside it. Each press waits until
   the app has written no frame for 50 ms, as a user reads before pressing. "On screen" is the
   first frame Textual writes to the terminal (its `_display`) whose lines hold the next
   question's text, so the wait for Textual's next frame, the re-layout and the rendering all
   count, not only our own handler. Each press starts from another answered question, so the
   list of answers changes too.
3. F7/F8 between the steps 1–4, measured alike (the first written frame whose layout holds the
   step's body), after one round that builds each step once; median and p95, no goal in the
   issue.

`run() -> list[dict]` gives the rows (name, value, unit, goal, ok) for `bench/run.py`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bytecode import compile_package
from figures import figure

START_RATIO_GOAL = 1.15
LIST_SHOWN_RATIO_GOAL = 1.3
NEXT_QUESTION_GOAL_MS = 30.0
DEFAULT_RUNS = 9
DEFAULT_PRESSES = 40
DEFAULT_SWITCHES = 5
DEFAULT_SESSIONS = 5
IDLE_S = 0.05
FIXTURE_CASES = 50

BARE_APP = """
from textual.app import App
from textual.widgets import Footer, Header, Static

class Bare(App):
    def compose(self):
        yield Header()
        yield Static("Meldcode")
        yield Footer()

async def first_screen(pilot):
    pilot.app.exit()

Bare().run(headless=True, size=(80, 24), auto_pilot=first_screen)
"""

UNTIL_SHOWN = """
import asyncio

def run_until_shown(app, text, ready=None):
    \"\"\"Run `app` headless at 80x24 and exit once a frame it writes holds `text` (with
    `text` None: once `ready(pilot)` returns, or at once).\"\"\"
    shown = asyncio.Event()
    display = app._display

    def spy(screen, update):
        display(screen, update)
        if text is None:
            return
        rows = getattr(update, "strips", None) or [c.values() for c in getattr(update, "chops", ())]
        if any(text in strip.text for row in rows for strip in row if strip is not None):
            shown.set()

    async def until(pilot):
        if ready is not None:
            await ready(pilot)
        if text is not None:
            await asyncio.wait_for(shown.wait(), 30)  # a failed start must not hang the bench
        pilot.app.exit()

    app._display = spy
    app.run(headless=True, size=(80, 24), auto_pilot=until)
    if app.return_code:  # a crash must not pass for a quick start
        raise SystemExit(app.return_code)
"""
"""The harness of the scripts below: a frame counts once Textual writes it (its `_display`)."""

BARE_APP_SHOWN = (
    UNTIL_SHOWN
    + """
from textual.app import App
from textual.widgets import Footer, Header, Static

class Bare(App):
    def compose(self):
        yield Header()
        yield Static("Meldcode")
        yield Footer()

run_until_shown(Bare(), "Meldcode")
"""
)
"""The bare app until its first frame is written (as `OUR_APP shown` waits for the list's)."""

HOME_LIKE_APP = (
    UNTIL_SHOWN
    + """
from rich.text import Text
from textual.app import App
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, DataTable, Input, Label, Static

class HomeLike(App):
    def compose(self):
        yield Static("Je werkt als")
        yield Static("Meldcode huiselijk geweld en kindermishandeling")
        with Vertical():
            with Horizontal():
                yield Label("Leerling")
                yield Input(placeholder="pseudoniem of leerlingnummer", compact=True)
            yield Static("Geen volledige naam nodig")
            with Horizontal():
                yield Label("Klas/groep")
                yield Input(placeholder="bijv. 2B", compact=True)
            with Horizontal():
                yield Label("Je naam")
                yield Input("Mentor Jansen", compact=True)
                yield Label("Rol")
                yield Input("Mentor", compact=True)
            yield Button("Zaak starten", variant="primary", compact=True)
        yield Static("")
        with Vertical():
            yield Input(placeholder="Zoek", compact=True)
            yield DataTable()
            yield Static("")
        yield Static("Toetsen")

    def on_mount(self):
        table = self.query_one(DataTable)
        for label in ("Leerling", "Klas/groep", "Stap", "Bijgewerkt", "Zaak"):
            table.add_column(Text(label), width=12)
        for n in range(50):
            cells = (f"Leerling-{n:03d}", "5B", "3 Gesprek", "04-12-26 10:00", f"id-{n}")
            table.add_row(*(Text(c, no_wrap=True, end="") for c in cells))

run_until_shown(HomeLike(), "Leerling-")
"""
)
"""A plain Textual app with the widgets of our home screen and 50 rows, none of our code (no
files read), until its list is on screen: what Textual itself costs for such a screen, the floor
under the home-list ratio (a reference without a goal)."""

OUR_APP = (
    UNTIL_SHOWN
    + """
import sys
from meldcode_tui.tui.app import make_app

async def loaded(pilot):
    await pilot.app.wait_until_loaded()

app = make_app(data_dir=sys.argv[1])
mode = sys.argv[2]
run_until_shown(
    app, "Leerling-" if mode == "shown" else None, ready=loaded if mode == "loaded" else None
)
if app.startup_error:
    raise SystemExit(app.startup_error)
"""
)


def _wall(argv: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    proc = subprocess.run(argv, env=env, capture_output=True)
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        raise RuntimeError(f"{argv[:3]} failed: {proc.stderr.decode(errors='replace')[-2000:]}")
    return elapsed


def _fixture_folder(root: Path, count: int) -> Path:
    """A data folder with `count` fictitious cases, written through the store."""
    from meldcode_tui.case.model import Actor, FlowRef
    from meldcode_tui.case.store import CaseStore
    from meldcode_tui.flow.validate import load_flow
    from meldcode_tui.locations import default_flow_path

    flow = load_flow(default_flow_path())
    ref = FlowRef(id=flow.id, version=flow.version, content_hash=flow.content_hash)
    store = CaseStore(root / "zaken")
    mentor = Actor(name="Mentor Jansen", role="mentor")
    for number in range(count):
        case = store.create(flow=ref, pupil=f"Leerling-{number:03d}", actor=mentor, group="5B")
        with store.open(case.id, mentor) as session:
            session.set_answer("vermoeden", "ja", justification="bench")
            session.set_value("gesprek", "besproken", "bench")
    store.list()
    return store.root


def measure_start(runs: int) -> dict[str, float]:
    """Median whole-process seconds of the bare app, our first screen, and ours fully loaded."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        data = _fixture_folder(root, FIXTURE_CASES)
        env = {
            **os.environ,
            "MELDCODE_CONFIG_DIR": str(root / "config"),
            "MELDCODE_CACHE_DIR": str(root / "cache"),
        }
        python = sys.executable
        commands = {
            "bare": [python, "-c", BARE_APP],
            "bare_shown": [python, "-c", BARE_APP_SHOWN],
            "home_like": [python, "-c", HOME_LIKE_APP],
            "first": [python, "-c", OUR_APP, str(data), "first"],
            "loaded": [python, "-c", OUR_APP, str(data), "loaded"],
            "shown": [python, "-c", OUR_APP, str(data), "shown"],
        }
        for argv in commands.values():
            _wall(argv, env)
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(runs):
            for name, argv in commands.items():
                times[name].append(_wall(argv, env))
    return {name: statistics.median(values) for name, values in times.items()}


def _in_layout(widget: Any) -> Callable[[Any, Any], bool]:
    """Is `widget` in the layout of the frame just written (not merely marked to be shown)?"""
    return lambda screen, update: widget in screen._compositor.visible_widgets


def _in_lines(text: str) -> Callable[[Any, Any], bool]:
    """Does a line written in this frame hold `text`?"""
    return lambda screen, update: any(text in line for line in _written_lines(update))


def _written_lines(update: Any) -> list[str]:
    """The text of the lines a frame writes (a full `LayoutUpdate` or a partial `ChopsUpdate`)."""
    if update is None:
        return []
    rows = update.strips if hasattr(update, "strips") else [c.values() for c in update.chops]
    return ["".join(strip.text for strip in row if strip is not None) for row in rows]


async def _wizard_latencies(presses: int, switches: int) -> tuple[list[float], list[float]]:
    """Seconds from a key press to the first frame written whose layout holds what the key
    asked for: the next step-4 question (F8), or the step switched to (F7/F8 between steps)."""
    from textual import events

    from meldcode_tui.tui.app import make_app
    from meldcode_tui.tui.prefs import Prefs, save_prefs
    from meldcode_tui.tui.screens.step import StepScreen
    from meldcode_tui.tui.widgets.weighing import Weighing

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        os.environ["MELDCODE_CONFIG_DIR"] = str(root / "config")
        save_prefs(Prefs(name="Mentor Jansen", role="mentor"))
        data = _fixture_folder(root, 1)
        case_id = next(p.stem for p in data.glob("*.json"))
        app = make_app(data_dir=data, case_id=case_id)
        app.prefs = Prefs(name="Mentor Jansen", role="mentor")
        frames: list[tuple[float, bool]] = []
        display = app._display
        target: dict[str, Callable[[Any, Any], bool]] = {}

        def spy(screen: Any, renderable: Any) -> None:
            display(screen, renderable)
            written = time.perf_counter()
            shown = target.get("shown")
            frames.append((written, shown is not None and shown(screen, renderable)))

        async def settled(pilot: Any) -> None:
            """Until the app has written no frame for `IDLE_S` (as when a user presses a key
            after reading the screen), at most a second."""
            await pilot.pause()
            deadline = time.perf_counter() + 1.0
            while frames and time.perf_counter() - frames[-1][0] < IDLE_S:
                if time.perf_counter() > deadline:
                    break
                await asyncio.sleep(0.005)

        async def press(pilot: Any, key: str, shown: Callable[[Any, Any], bool]) -> float:
            """The key as a terminal driver delivers it (Pilot.press would also run a callback
            on every widget while the frame is due, which no terminal does)."""
            await settled(pilot)
            target["shown"] = shown
            started = time.perf_counter()
            app._driver.send_message(events.Key(key, None))
            while not any(t > started and shown for t, shown in frames):
                await asyncio.sleep(0.001)
            took = next(t for t, shown in frames if t > started and shown) - started
            await pilot.pause()
            return took

        app._display = spy  # type: ignore[method-assign]
        next_question: list[float] = []
        switch: list[float] = []
        async with app.run_test(size=(80, 24)) as pilot:
            await app.wait_until_loaded()
            await pilot.pause()
            answers = (("vermoeden", "ja"), ("veiligheid", "nee"), ("hulp_aanbieden", "ja"))
            for qid, option in answers:
                app.apply(lambda w, q=qid, o=option: w.answer(q, o, justification="bench"))
            app.show_step("afweging")
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, StepScreen)
            weighing = screen.query_one(Weighing)
            answered = [qid for qid, _ in answers]
            flow = app.flow
            assert flow is not None
            next_text = flow.question("hulp_aanvaard").text[:40]  # type: ignore[union-attr]
            for index in range(presses):
                await weighing.go_to(answered[index % len(answered)])
                next_question.append(await press(pilot, "f8", _in_lines(next_text)))
            # F7 / F8 between the steps 1-4 (step 4 is left with F7 only: there F8 goes on to
            # the next question). The first round builds each step once and is not counted.
            steps = ["signalen", "consultatie", "gesprek", "afweging"]
            app.show_step("signalen")
            await pilot.pause()
            for round_ in range(switches + 1):
                for key, route in (("f8", steps[1:]), ("f7", steps[-2::-1])):
                    for step_id in route:
                        if round_ == 0:
                            await pilot.press(key)
                            await pilot.pause()
                            await pilot.pause()
                            continue
                        switch.append(
                            await press(pilot, key, _in_layout(screen._scrollers[step_id]))
                        )
    return next_question, switch


def measure_wizard(presses: int, switches: int) -> tuple[list[float], list[float]]:
    """One session: a fresh app in this process."""
    return asyncio.run(_wizard_latencies(presses, switches))


def measure_next_question(presses: int) -> list[float]:
    return measure_wizard(presses, 0)[0]


def measure_sessions(
    sessions: int, presses: int, switches: int
) -> list[tuple[list[float], list[float]]]:
    """`sessions` sessions, each in a fresh Python process (as each start of the app is)."""
    results = []
    for _ in range(sessions):
        argv = [sys.executable, __file__, "--session", "--presses", str(presses)]
        proc = subprocess.run(
            [*argv, "--switches", str(switches)], capture_output=True, text=True, check=False
        )
        if proc.returncode != 0:
            raise RuntimeError(f"session failed: {proc.stderr[-2000:]}")
        data = json.loads(proc.stdout)
        results.append((data["next_question"], data["switch"]))
    return results


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def run(
    runs: int = DEFAULT_RUNS,
    presses: int = DEFAULT_PRESSES,
    switches: int = DEFAULT_SWITCHES,
    sessions: int = DEFAULT_SESSIONS,
) -> list[dict[str, Any]]:
    compile_package()
    start = measure_start(runs)
    results = measure_sessions(sessions, presses, switches)
    next_ms = [[t * 1000 for t in next_question] for next_question, _ in results]
    switch_ms = [[t * 1000 for t in switch] for _, switch in results]
    per = f"median of {sessions} sessions × {presses}"
    return [
        figure("tui: bare Textual app, start to exit (reference)", start["bare"], "s"),
        figure("tui: start to first interactive screen", start["first"], "s"),
        figure("tui: start to first screen / bare app", start["first"] / start["bare"], "x", 1.15),
        figure(
            "tui: bare Textual app, start to its first frame written (reference)",
            start["bare_shown"],
            "s",
        ),
        figure(
            f"tui: start until the home list shows {FIXTURE_CASES} cases / bare app's first frame",
            start["shown"] / start["bare_shown"],
            "x",
            LIST_SHOWN_RATIO_GOAL,
        ),
        figure(
            "tui: plain Textual app with the home screen's widgets, list shown / bare app's first "
            "frame (reference)",
            start["home_like"] / start["bare_shown"],
            "x",
        ),
        figure(
            f"tui: start until flow and {FIXTURE_CASES} cases are loaded / bare app",
            start["loaded"] / start["bare"],
            "x",
        ),
        figure(
            f"tui: F8 → next question rendered, p95 ({per})",
            statistics.median(p95(session) for session in next_ms),
            "ms",
            NEXT_QUESTION_GOAL_MS,
        ),
        figure(
            "tui: F8 → next question rendered, median",
            statistics.median(statistics.median(session) for session in next_ms),
            "ms",
        ),
        figure(
            "tui: F8 → next question rendered, p95 of all presses pooled",
            p95([t for session in next_ms for t in session]),
            "ms",
        ),
        figure(
            "tui: F7/F8 → other step rendered (steps 1-4), p95",
            statistics.median(p95(session) for session in switch_ms),
            "ms",
        ),
        figure(
            "tui: F7/F8 → other step rendered (steps 1-4), median",
            statistics.median(statistics.median(session) for session in switch_ms),
            "ms",
        ),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=DEFAULT_RUNS, help="start-up runs")
    parser.add_argument("--sessions", type=int, default=DEFAULT_SESSIONS)
    parser.add_argument("--presses", type=int, default=DEFAULT_PRESSES, help="F8 per session")
    parser.add_argument("--switches", type=int, default=DEFAULT_SWITCHES, help="rounds 1→4→1")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--session", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.session:
        next_question, switch = measure_wizard(args.presses, args.switches)
        print(json.dumps({"next_question": next_question, "switch": switch}))
        return 0
    rows = run(args.runs, args.presses, args.switches, args.sessions)
    if args.json:
        print(json.dumps(rows, indent=2))
    else:
        for row in rows:
            goal = f"(goal ≤ {row['goal']:g})" if row["goal"] is not None else ""
            verdict = "" if row["ok"] is None else ("ok" if row["ok"] else "MISSES GOAL")
            print(f"{row['name']:<70} {row['value']:8.3f} {row['unit']:<2} {goal} {verdict}")
    return 0 if all(row["ok"] is not False for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
