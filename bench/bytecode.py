"""Measure the app as installed: with its modules compiled to bytecode.

`pip install .` compiles every module at install time. An editable install run with
PYTHONDONTWRITEBYTECODE=1 (as in some development containers) never writes bytecode, so each
process would compile meldcode_tui from source again: up to 50 ms that no installed copy pays.
The process benchmarks call `compile_package()` first; it writes only what is missing or stale.
"""

from __future__ import annotations

import compileall
import importlib.util
from pathlib import Path


def compile_package(name: str = "meldcode_tui") -> None:
    """Write the bytecode of package `name` where it is missing or out of date."""
    spec = importlib.util.find_spec(name)
    if spec is None or spec.origin is None:
        raise RuntimeError(f"package {name} is not installed")
    compileall.compile_dir(Path(spec.origin).parent, quiet=1)
