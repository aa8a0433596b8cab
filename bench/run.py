"""One command for every performance figure: `python bench/run.py`.

Runs each benchmark module's `run()` (several runs, median, each with its reference measured in
the same run where one exists) and prints one table, each line saying whether it meets its goal.
`--json` prints the rows as JSON instead. The app is measured as installed: each benchmark
first compiles meldcode_tui to bytecode where it is missing, as `pip install .` does
(`bytecode.py`).
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import time
from pathlib import Path
from typing import Any

BENCHMARKS = ("bench_flows", "bench_store", "bench_tui", "bench_overview", "bench_review")


def collect(names: tuple[str, ...] = BENCHMARKS) -> list[dict[str, Any]]:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    rows: list[dict[str, Any]] = []
    for name in names:
        module = importlib.import_module(name)
        started = time.perf_counter()
        for row in module.run():
            rows.append({"bench": name, **row})
        print(f"  {name}: {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return rows


def table(rows: list[dict[str, Any]]) -> str:
    lines = [f"{'figure':<58} {'value':>12}  {'goal':>12}  result", "-" * 96]
    for row in rows:
        value = f"{row['value']:.3g} {row.get('unit', '')}".strip()
        goal = row.get("goal")
        goal_text = f"≤ {goal:g} {row.get('unit', '')}".strip() if goal is not None else ""
        ok = row.get("ok")
        result = "—" if ok is None else ("meets goal" if ok else "MISSES goal")
        lines.append(f"{row['name']:<58} {value:>12}  {goal_text:>12}  {result}")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description="Run every meldcode-tui benchmark.")
    parser.add_argument("--json", action="store_true", help="print the rows as JSON")
    parser.add_argument("--only", nargs="*", choices=BENCHMARKS, help="run only these")
    args = parser.parse_args()
    rows = collect(tuple(args.only) if args.only else BENCHMARKS)
    print(json.dumps(rows, indent=2) if args.json else table(rows))
    return 0 if all(row.get("ok") is not False for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
