"""Benchmark of the case store: autosave latency and listing 10,000 cases.

Run `python bench/bench_store.py`. Figures (median of several repetitions):
- autosave p50/p95 of `CaseSession.set_value` on a case with 500 events, fsync included
  (goal p95 <= 10 ms);
- listing 10,000 cases in a fresh process, cold (no index) and warm (index), wall time and peak
  RSS (goal <= 1.0 s and <= 200 MiB each).

`run()` returns the figures as dicts for `bench/run.py`.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from bytecode import compile_package
from figures import figure

AUTOSAVE_EVENTS = 500
AUTOSAVE_SAVES = 100
AUTOSAVE_REPEATS = 5
AUTOSAVE_GOAL_MS = 10.0
LIST_CASES = 10_000
LIST_REPEATS = 3
LIST_GOAL_S = 1.0
RSS_GOAL_MIB = 200.0
RACY_WAIT_S = 2.1

_LIST_CHILD = """
import json, resource, sys, time
from pathlib import Path
started = time.perf_counter()
from meldcode_tui.case.index import list_cases
listing = list_cases(Path(sys.argv[1]))
seconds = time.perf_counter() - started
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "cases": len(listing.cases), "rss_mib": rss}))
"""


def _sample_case(case_id: str, pupil: str, events: int) -> Any:
    """A realistic case: answers, step values and notes, aftercare, `events` log entries."""
    from meldcode_tui.case.model import (
        Actor,
        AftercareItem,
        Answer,
        Case,
        Decision,
        Event,
        FlowRef,
        Position,
        StepRecord,
    )

    mentor = Actor(name="Mentor Bakker", role="mentor")
    text = "Fictieve observatie voor de benchmark, een paar zinnen lang. " * 4
    case = Case(
        id=case_id,
        flow=FlowRef(id="meldcode-school", version="1.0", content_hash="0" * 64),
        pupil=pupil,
        group="3B",
        created_by=mentor,
        updated_by=mentor,
        answers={
            q: Answer(value="ja", justification=text, by=mentor)
            for q in ("vermoeden", "veiligheid", "hulp_aanbieden")
        },
        steps={
            "signalen": StepRecord(
                values={"signalen": [{"datum": "2026-11-20", "feiten": text}] * 3}, notes=text
            ),
            "gesprek": StepRecord(values={"gesprek_gevoerd": "ja", "besproken": text}),
        },
        decisions={"melden": Decision(value=False, reason=text, by=mentor)},
        aftercare=[AftercareItem(id="evaluatie", due=date.today() + timedelta(days=30))],
        position=Position(step="gesprek", focus="besproken"),
        events=[
            Event(by=mentor, action="value", target=f"gesprek.veld{i}", detail="")
            for i in range(events)
        ],
    )
    return case


def _percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def bench_autosave(folder: Path) -> list[dict[str, Any]]:
    from meldcode_tui.case.codec import dump_case
    from meldcode_tui.case.model import Actor
    from meldcode_tui.case.store import CaseStore

    store = CaseStore(folder)
    case = _sample_case("20261124-bench1", "Leerling-042", AUTOSAVE_EVENTS)
    store.save(case)
    size_kib = len(dump_case(case)) / 1024
    p50s: list[float] = []
    p95s: list[float] = []
    with store.open(case.id, Actor(name="Mentor Bakker", role="mentor")) as session:
        for repeat in range(AUTOSAVE_REPEATS):
            samples = []
            for i in range(AUTOSAVE_SAVES):
                started = time.perf_counter()
                session.set_value("gesprek", "besproken", f"typed text {repeat}-{i}")
                samples.append((time.perf_counter() - started) * 1000)
            p50s.append(_percentile(samples, 0.50))
            p95s.append(_percentile(samples, 0.95))
    p95 = statistics.median(p95s)
    detail = f"case of {AUTOSAVE_EVENTS} events, {size_kib:.0f} KiB, fsync on"
    floor = _fsync_floor(folder)
    return [
        figure("autosave p50", statistics.median(p50s), "ms", None, detail),
        figure("autosave p95", p95, "ms", AUTOSAVE_GOAL_MS, detail),
        figure("reference: atomic write of 100 bytes p50", floor[0], "ms", None, "disk floor"),
        figure("reference: atomic write of 100 bytes p95", floor[1], "ms", None, "disk floor"),
    ]


def _fsync_floor(folder: Path) -> tuple[float, float]:
    """What the disk alone costs: the same atomic write (two fsyncs) of a tiny file."""
    from meldcode_tui.case.atomic import write_atomic

    p50s, p95s = [], []
    for _ in range(AUTOSAVE_REPEATS):
        samples = []
        for _ in range(AUTOSAVE_SAVES):
            started = time.perf_counter()
            write_atomic(folder / "floor.json", b"{}" * 50)
            samples.append((time.perf_counter() - started) * 1000)
        p50s.append(_percentile(samples, 0.50))
        p95s.append(_percentile(samples, 0.95))
    return statistics.median(p50s), statistics.median(p95s)


def _make_cases(folder: Path, count: int) -> None:
    from meldcode_tui.case.atomic import write_atomic
    from meldcode_tui.case.codec import dump_case
    from meldcode_tui.case.store import ensure_folder

    ensure_folder(folder)
    template = _sample_case("20261124-0", "Leerling-0", 20)
    for i in range(count):
        template.id = f"20261124-{i:06d}"
        template.pupil = f"Leerling-{i:05d}"
        write_atomic(folder / f"{template.id}.json", dump_case(template), durable=False)


def _list_in_child(folder: Path) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, "-c", _LIST_CHILD, str(folder)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out)


def bench_listing(folder: Path) -> list[dict[str, Any]]:
    from meldcode_tui.case.index import INDEX_NAME

    _make_cases(folder, LIST_CASES)
    time.sleep(RACY_WAIT_S)
    index = folder / INDEX_NAME
    figures = []
    for label, prepare in (
        ("cold, no index", lambda: index.unlink(missing_ok=True)),
        ("warm, index", lambda: None),
    ):
        runs = []
        for _ in range(LIST_REPEATS):
            prepare()
            result = _list_in_child(folder)
            assert result["cases"] == LIST_CASES, result
            runs.append(result)
        detail = f"{LIST_CASES} cases, fresh process, imports included"
        figures.append(
            figure(
                f"list {label}",
                statistics.median(r["seconds"] for r in runs),
                "s",
                LIST_GOAL_S,
                detail,
            )
        )
        figures.append(
            figure(
                f"list {label} peak RSS",
                statistics.median(r["rss_mib"] for r in runs),
                "MiB",
                RSS_GOAL_MIB,
                detail,
            )
        )
    return figures


def run() -> list[dict[str, Any]]:
    """Every figure of this benchmark, measured in temporary folders."""
    compile_package()
    figures: list[dict[str, Any]] = []
    benches: list[Callable[[Path], list[dict[str, Any]]]] = [bench_autosave, bench_listing]
    for bench in benches:
        with tempfile.TemporaryDirectory(prefix="meldcode-bench-") as tmp:
            figures.extend(bench(Path(tmp) / "cases"))
    return figures


def main() -> int:
    figures = run()
    for f in figures:
        verdict = (
            ""
            if f["goal"] is None
            else (f"  goal <= {f['goal']:g} {f['unit']}: {'MET' if f['ok'] else 'MISSED'}")
        )
        print(
            f"{f['name']:<28} {f['value']:>9.3f} {f['unit']:<3}{verdict}  ({f.get('detail', '')})"
        )
    return 0 if all(f["ok"] is not False for f in figures) else 1


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    sys.exit(main())
