"""Benchmark of the review screen: a case with 60 events opened from the overview (Enter) until
its first frame is on screen, and whether a key pressed meanwhile is kept.

Run it standalone: `python bench/bench_review.py [--runs N]`. Each run is a fresh process (as
each start of the app is: the first review of a session pays for its imports too) running the
app headless at 80×24 with a fictitious case of `EVENTS` events (two people taking turns). The
clock runs from Enter on the overview's row to the first frame Textual writes whose lines hold
the review's title; "t" (Tijdlijn) is sent right after Enter, and the run counts whether the
timeline tab is active once the screen settled. Goal (issue 16): ≤ 0.3 s, median of the runs,
and no key lost.

`run() -> list[dict]` gives the rows (name, value, unit, goal, ok) for `bench/run.py`.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from bytecode import compile_package
from figures import figure

EVENTS = 60
DEFAULT_RUNS = 7
OPEN_GOAL_S = 0.3

CHILD = r"""
import asyncio, json, sys, time
from textual import events
from textual.widgets import DataTable, TabbedContent
from meldcode_tui.tui.app import make_app
from meldcode_tui.tui.prefs import Prefs

data, case_id = sys.argv[1], sys.argv[2]
app = make_app(data_dir=data)
app.prefs = Prefs(name="Zorgcoördinator Smit", role="zorgcoördinator")
display = app._display
frames = []
timeline = []

def spy(screen, update):
    display(screen, update)
    rows = getattr(update, "strips", None) or [c.values() for c in getattr(update, "chops", ())]
    text = ["".join(s.text for s in row if s is not None) for row in rows]
    at = time.perf_counter()
    frames.append((at, any(f"zaak {case_id}" in line for line in text)))
    if any("Zaak aangemaakt" in line for line in text):
        timeline.append(at)

app._display = spy

async def main():
    async with app.run_test(size=(80, 24)) as pilot:
        await app.wait_until_loaded()
        await pilot.pause()
        app.action_overview()
        for _ in range(500):
            await pilot.pause(0.01)
            table = app.screen.query(DataTable)
            if getattr(app.screen, "loaded", False) and table and table.first().row_count:
                break
        await pilot.pause(0.2)
        started = time.perf_counter()
        app._driver.send_message(events.Key("enter", None))
        app._driver.send_message(events.Key("t", "t"))
        while not any(t > started and shown for t, shown in frames):
            if time.perf_counter() - started > 30:
                raise SystemExit("the review did not show")
            await asyncio.sleep(0.001)
        took = next(t for t, shown in frames if t > started and shown) - started
        for _ in range(10):
            await pilot.pause(0.05)
        tabs = app.screen.query(TabbedContent)
        kept = bool(tabs) and tabs.first().active == "review-timeline"
        key = (timeline[0] - started) if timeline else None
    print(json.dumps({"open": took, "kept": kept, "key": key}))

asyncio.run(main())
"""


def write_case(root: Path, events: int = EVENTS) -> str:
    """One fictitious case with `events` events, written through the store; returns its id."""
    from meldcode_tui.case.model import Actor, FlowRef
    from meldcode_tui.case.store import CaseStore
    from meldcode_tui.flow.validate import load_flow
    from meldcode_tui.locations import default_flow_path

    flow = load_flow(default_flow_path())
    store = CaseStore(root)
    people = [Actor(name="Mentor Jansen", role="mentor"), Actor(name="Intern Bakker", role="ib")]
    case = store.create(FlowRef.of(flow), "Leerling-4711", people[0], group="3A")
    signal = {"datum": "2026-02-23", "feiten": "Fictief signaal. " * 20, "bron": "eigen_waarneming"}
    with store.open(case.id, people[0]) as session:
        session.set_value("signalen", "signalen", [signal] * 8)
        session.set_value("gesprek", "gesprek_gevoerd", "ja")
        session.set_value("gesprek", "besproken", "Fictief gesprek. " * 40)
        session.set_answer("vermoeden", "ja", justification="Fictief. " * 30)
        session.set_answer("veiligheid", "nee", justification="Fictief. " * 30)
        session.set_decision("melden", False, reason="Fictief. " * 20)
        session.set_aftercare("evaluatie", due="2026-03-05", who="Intern Bakker")
    done = len(store.load(case.id).events)
    steps = [step.id for step in flow.steps]
    for number in range(events - done):
        by = people[(number // len(steps)) % 2]  # the other person each round: no coalescing
        with store.open(case.id, by) as session:
            session.set_notes(steps[number % len(steps)], f"Fictieve notitie {number}.")
    assert len(store.load(case.id).events) == events
    store.list()
    return case.id


def _child(root: Path, case_id: str, env: dict[str, str]) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, str(root), case_id],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"review run failed: {proc.stderr.strip()[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def run(runs: int = DEFAULT_RUNS) -> list[dict[str, Any]]:
    compile_package()
    with tempfile.TemporaryDirectory(prefix="bench-review-") as tmp:
        root = Path(tmp)
        case_id = write_case(root / "zaken")
        env = {
            **os.environ,
            "MELDCODE_CONFIG_DIR": str(root / "config"),
            "MELDCODE_CACHE_DIR": str(root / "cache"),
        }
        _child(root / "zaken", case_id, env)
        results = [_child(root / "zaken", case_id, env) for _ in range(runs)]
    lost = sum(not r["kept"] for r in results)
    return [
        figure(
            f"review of a {EVENTS}-event case: Enter → on screen (median)",
            statistics.median(r["open"] for r in results),
            "s",
            OPEN_GOAL_S,
        ),
        figure(
            "review: Enter, t → the timeline on screen (median)",
            statistics.median(r["key"] if r["key"] is not None else 99.0 for r in results),
            "s",
        ),
        figure(
            f"review: runs where the key pressed while it opened was lost (of {runs})",
            lost,
            "",
            0,
        ),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=DEFAULT_RUNS)
    args = parser.parse_args()
    rows = run(args.runs)
    for row in rows:
        verdict = {True: "meets goal", False: "MISSES goal", None: "—"}[row["ok"]]
        print(f"{row['name']}: {row['value']:.3f} {row['unit']} — {verdict}")
    return 0 if all(row["ok"] is not False for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
