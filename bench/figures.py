"""The row every benchmark reports: a named figure, its unit, its goal and whether it meets it.

Imported by the `bench_*` scripts (run alone from this folder, or through `run.py`).
"""

from __future__ import annotations

from typing import Any


def figure(
    name: str, value: float, unit: str, goal: float | None = None, detail: str = ""
) -> dict[str, Any]:
    """One row of `run.py`'s table; `ok` is None where there is no goal."""
    row: dict[str, Any] = {
        "name": name,
        "value": value,
        "unit": unit,
        "goal": goal,
        "ok": None if goal is None else value <= goal,
    }
    if detail:
        row["detail"] = detail
    return row
