"""Benchmark of the case overview with 10,000 cases: first paint and peak memory.

Run it standalone: `python bench/bench_overview.py [--runs N] [--cases N]`. It writes the
fictitious case files once into a temporary folder (in the store's file format, through
`dump_case`), lists them once so the listing index exists (as it does after the app's first
start), then measures each run in a fresh child process: a headless app (80×24) pushes
`OverviewScreen`, and the clock runs from the push until the table holds its first rows and the
screen has painted. Each child reports its peak RSS (`getrusage`), so memory is per run.

Goals (issue 6): first paint ≤ 1.0 s and peak RSS ≤ 200 MiB, medians of the runs. Issue 16: the
same first paint ≤ 1.0 s also without an index (each such run removes it first, so every file
is read: by `case.header`, without pydantic). The first listing without an index, in this
process, is reported without a goal.

`run() -> list[dict]` gives the rows (name, value, unit, goal, ok) for `bench/run.py`.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from bytecode import compile_package
from figures import figure

CASES = 10_000
DEFAULT_RUNS = 5
PAINT_GOAL_S = 1.0
RSS_GOAL_MIB = 200.0
TODAY = date(2026, 11, 24)

CHILD = r"""
import asyncio, json, resource, sys, time
from datetime import date
from pathlib import Path

from textual.app import App
from textual.widgets import DataTable

from meldcode_tui.case.store import CaseStore
from meldcode_tui.flow.validate import load_flow
from meldcode_tui.locations import default_flow_path
from meldcode_tui.tui.screens.overview import OverviewScreen

root, today = Path(sys.argv[1]), date.fromisoformat(sys.argv[2])
if sys.argv[3] == "cold":
    (root / ".index.json").unlink(missing_ok=True)
flow = load_flow(default_flow_path())
store = CaseStore(root)


class Host(App[None]):
    pass


async def main() -> None:
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = OverviewScreen(store, flow, today=today)
        started = time.perf_counter()
        await app.push_screen(screen)
        table = screen.query_one(DataTable)
        while not (screen.loaded and table.row_count):
            await asyncio.sleep(0.001)
        await pilot.pause()
        elapsed = time.perf_counter() - started
        rows, total = table.row_count, len(screen.shown_rows)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"paint": elapsed, "rss": rss, "rows": rows, "total": total}))


asyncio.run(main())
"""


def write_cases(root: Path, count: int = CASES, seed: int = 6) -> None:
    """`count` fictitious cases in the store's file format, with steps, decisions and aftercare."""
    from meldcode_tui.case.codec import dump_case
    from meldcode_tui.case.model import (
        Actor,
        AftercareItem,
        Case,
        Decision,
        Event,
        FlowRef,
        Position,
        Status,
        StepRecord,
    )
    from meldcode_tui.case.store import CaseStore
    from meldcode_tui.flow.validate import load_flow
    from meldcode_tui.locations import default_flow_path

    flow = load_flow(default_flow_path())
    ref = FlowRef.of(flow)
    CaseStore(root)
    rng = random.Random(seed)
    people = [Actor(name=f"Medewerker {n:02d}", role="mentor") for n in range(40)]
    steps = [step.id for step in flow.steps]
    statuses = list(Status)
    items = ["evaluatie", "informatie", "juiste_plek", "terugkoppeling"]
    start = datetime(2025, 1, 6, 8, 0, tzinfo=UTC)
    for number in range(count):
        by = rng.choice(people)
        created = start + timedelta(minutes=47 * number)
        updated = created + timedelta(days=rng.randint(0, 60))
        step = rng.choice(steps)
        case = Case(
            id=f"20250106-b{number:05d}",
            flow=ref,
            pupil=f"Leerling-{rng.randint(1000, 9999)}",
            group=f"{rng.randint(1, 6)}{rng.choice('ABCD')}",
            created_by=by,
            created_at=created,
            updated_at=updated,
            updated_by=by,
            status=rng.choice(statuses),
            steps={
                "signalen": StepRecord(
                    values={
                        "signalen": [
                            {
                                "datum": "2025-01-06",
                                "feiten": "Fictief signaal voor de benchmark.",
                                "bron": "eigen_waarneming",
                            }
                        ]
                    },
                    updated_by=by,
                    updated_at=created,
                )
            },
            decisions={"melden": Decision(value=rng.random() < 0.5, reason="Fictief.", by=by)},
            aftercare=[
                AftercareItem(id=item, due=TODAY + timedelta(days=rng.randint(-30, 60)))
                for item in rng.sample(items, rng.randint(0, 3))
            ],
            position=Position(step=step),
            events=[
                Event(at=created, by=by, action="create", target=flow.id, detail=flow.version),
                Event(at=updated, by=by, action="value", target="signalen.signalen"),
            ],
        )
        (root / f"{case.id}.json").write_bytes(dump_case(case))


def _child(root: Path, index: str = "warm") -> dict[str, Any]:
    """One run in a fresh process; `index="cold"`: without the listing index (removed first)."""
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, str(root), TODAY.isoformat(), index],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"overview run failed: {proc.stderr.strip()[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _first_listing(root: Path) -> float:
    from meldcode_tui.case.index import INDEX_NAME, list_cases

    (root / INDEX_NAME).unlink(missing_ok=True)
    started = time.perf_counter()
    listing = list_cases(root)
    elapsed = time.perf_counter() - started
    if listing.errors:
        raise RuntimeError(f"benchmark cases not readable: {listing.errors[:3]}")
    return elapsed


def run(runs: int = DEFAULT_RUNS, cases: int = CASES) -> list[dict[str, Any]]:
    compile_package()
    with tempfile.TemporaryDirectory(prefix="bench-overview-") as tmp:
        root = Path(tmp) / "zaken"
        write_cases(root, cases)
        time.sleep(2.1)
        cold = _first_listing(root)
        results = [_child(root) for _ in range(runs)]
        cold_results = [_child(root, "cold") for _ in range(runs)]
    label = f"{cases:,}".replace(",", ".")
    paint = _median(results, "paint")
    rss = _median(results, "rss")
    slowest = max(float(r["paint"]) for r in results)
    return [
        figure(f"overview first paint, {label} cases (median)", paint, "s", PAINT_GOAL_S),
        figure(f"overview first paint, {label} cases (slowest run)", slowest, "s", None),
        figure(f"overview peak RSS, {label} cases (median)", rss, "MiB", RSS_GOAL_MIB),
        figure(
            f"overview first paint without an index, {label} cases (median)",
            _median(cold_results, "paint"),
            "s",
            PAINT_GOAL_S,
        ),
        figure(
            f"overview peak RSS without an index, {label} cases (median)",
            _median(cold_results, "rss"),
            "MiB",
            RSS_GOAL_MIB,
        ),
        figure(f"first listing without index, {label} cases", cold, "s", None),
    ]


def _median(results: list[dict[str, Any]], key: str) -> float:
    return statistics.median(float(r[key]) for r in results)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=DEFAULT_RUNS)
    parser.add_argument("--cases", type=int, default=CASES)
    args = parser.parse_args()
    rows = run(args.runs, args.cases)
    for row in rows:
        goal = f"goal ≤ {row['goal']:g} {row['unit']}" if row["goal"] is not None else "no goal"
        verdict = {True: "meets goal", False: "MISSES goal", None: "—"}[row["ok"]]
        print(f"{row['name']}: {row['value']:.3f} {row['unit']} ({goal}) — {verdict}")
    return 0 if all(row["ok"] is not False for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
