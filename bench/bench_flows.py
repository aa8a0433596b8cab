"""Benchmark of the flow layer: `meldcode flows run` as a whole process, and load + validate.

Run it standalone: `python bench/bench_flows.py [--runs N]`. Each figure is the median of several
runs. The whole-process figures are measured next to `python -c pass` in the same run, so the
ratio says how much the command costs over a bare interpreter on this machine today.

Goals (issue 3, DESIGN §3a): `meldcode flows run` ≤ 0.15 s (the everyday run: warm cache);
loading and validating the bundled flow ≤ 30 ms in-process. The cold-cache run — the first run
after the flow file changed, which imports YAML and pydantic and validates — is reported without a
goal, as are the reference and the import cost that the in-process figure leaves out.

`run() -> list[dict]` gives the rows (name, value, unit, goal, ok) for `bench/run.py`.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
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

REPO = Path(__file__).resolve().parents[1]
FLOW = REPO / "flows" / "meldcode-school.yaml"
ANSWERS = {
    "vermoeden": "ja",
    "veiligheid": "nee",
    "hulp_aanbieden": "ja",
    "hulp_aanvaard": "ja",
    "resultaat": "nee",
}
RUN_GOAL_S = 0.15
LOAD_GOAL_MS = 30.0
DEFAULT_RUNS = 15


def _meldcode() -> list[str]:
    """The installed console script beside this interpreter, else `python -m meldcode_tui`."""
    script = Path(sys.executable).with_name("meldcode")
    return [str(script)] if script.exists() else [sys.executable, "-m", "meldcode_tui"]


def _wall(argv: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    proc = subprocess.run(argv, env=env, capture_output=True)
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed: {proc.stderr.decode(errors='replace')}")
    return elapsed


def _median(measure: Callable[[], float], runs: int) -> float:
    return statistics.median(measure() for _ in range(runs))


def bench_process(runs: int = DEFAULT_RUNS) -> list[dict[str, Any]]:
    """Whole-process medians: `python -c pass`, then `flows run` warm and cold.

    The cache goes to a temporary `XDG_CACHE_HOME`, so the command finds its cache folder as a
    user's would (through platformdirs) without touching the user's own cache.
    """
    with tempfile.TemporaryDirectory(prefix="bench-flows-") as tmp:
        home = Path(tmp)
        answers = home / "answers.json"
        answers.write_text(json.dumps(ANSWERS), encoding="utf-8")
        env = {k: v for k, v in os.environ.items() if k != "MELDCODE_CACHE_DIR"}
        env["XDG_CACHE_HOME"] = str(home / "xdg-cache")
        command = [*_meldcode(), "flows", "run", str(FLOW), "--answers", str(answers)]

        bare = [sys.executable, "-c", "pass"]
        references = [_wall(bare, env) for _ in range(runs)]
        _wall(command, env)
        warm = _median(lambda: _wall(command, env), runs)

        def cold() -> float:
            shutil.rmtree(home / "xdg-cache", ignore_errors=True)
            return _wall(command, env)

        cold_median = _median(cold, runs)
        references += [_wall(bare, env) for _ in range(runs)]

    reference = statistics.median(references)
    return [
        figure("python -c pass (reference)", reference, "s", None),
        figure("meldcode flows run, warm cache", warm, "s", RUN_GOAL_S),
        figure("meldcode flows run, warm cache / python -c pass", warm / reference, "×", None),
        figure("meldcode flows run, cold cache (after a flow change)", cold_median, "s", None),
    ]


def bench_load(runs: int = 50) -> list[dict[str, Any]]:
    """In-process: load_flow (read, YAML, pydantic, references) of the bundled flow, median."""
    started = time.perf_counter()
    from meldcode_tui.flow.validate import load_flow

    imports_ms = (time.perf_counter() - started) * 1000

    def once() -> float:
        started = time.perf_counter()
        load_flow(FLOW)
        return (time.perf_counter() - started) * 1000

    first = once()
    median = _median(once, runs)
    return [
        figure("load + validate bundled flow (in-process)", median, "ms", LOAD_GOAL_MS),
        figure("load + validate bundled flow, first call", first, "ms", None),
        figure("import meldcode_tui.flow.validate (yaml, pydantic)", imports_ms, "ms", None),
    ]


def run(runs: int = DEFAULT_RUNS) -> list[dict[str, Any]]:
    """Every figure of this benchmark, as rows for `bench/run.py`."""
    compile_package()
    return [*bench_process(runs), *bench_load()]


def format_figure(row: dict[str, Any]) -> str:
    value = row["value"]
    text = f"{value:.3f} {row['unit']}" if row["unit"] == "s" else f"{value:.1f} {row['unit']}"
    if row["goal"] is None:
        verdict = ""
    else:
        result = "meets goal" if row["ok"] else "MISSES goal"
        verdict = f"goal ≤ {row['goal']:g} {row['unit']}: {result}"
    return f"{row['name']:<52} {text:>10}   {verdict}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark meldcode flows run and load_flow.")
    parser.add_argument("--runs", type=int, default=DEFAULT_RUNS, help="runs per figure")
    parser.add_argument("--json", action="store_true", help="print the rows as JSON")
    args = parser.parse_args(argv)
    rows = run(args.runs)
    if args.json:
        print(json.dumps(rows, indent=2))
    else:
        print(f"median of {args.runs} runs; {sys.executable}")
        for row in rows:
            print(format_figure(row))
    return 0 if all(row["ok"] is not False for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
