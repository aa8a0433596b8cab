"""The user's preferences between runs: their name and role, in a small JSON file.

Preferences are a convenience: a file that cannot be read or written is ignored, never fatal.
They hold no case data.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from meldcode_tui.locations import config_dir

PREFS_NAME = "prefs.json"


@dataclass(frozen=True)
class Prefs:
    name: str = ""
    role: str = ""


def prefs_path() -> Path:
    return config_dir() / PREFS_NAME


def load_prefs(path: Path | None = None) -> Prefs:
    path = path or prefs_path()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Prefs()
    if not isinstance(raw, dict):
        return Prefs()
    return Prefs(name=str(raw.get("name", "")).strip(), role=str(raw.get("role", "")).strip())


def save_prefs(prefs: Prefs, path: Path | None = None) -> bool:
    """Write the preferences (write-new-then-rename); False when that failed."""
    path = path or prefs_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(asdict(prefs), ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        return False
    return True
