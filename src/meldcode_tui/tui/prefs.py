"""The user's preferences between runs: their name and role, in a small JSON file.

Preferences are a convenience: a file that cannot be read or written is ignored, never fatal
(it is read with `safe_read`, so a FIFO or a huge file in its place is ignored too). They hold no
case data, but a name: the file is written 0600.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from meldcode_tui.case.atomic import DIR_MODE, write_atomic
from meldcode_tui.locations import config_dir
from meldcode_tui.safe_read import PREFS_LIMIT, FileProblem, load_json

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
        raw = load_json(path, PREFS_LIMIT)
    except (OSError, FileProblem):
        return Prefs()
    if not isinstance(raw, dict):
        return Prefs()
    return Prefs(name=str(raw.get("name", "")).strip(), role=str(raw.get("role", "")).strip())


def save_prefs(prefs: Prefs, path: Path | None = None) -> bool:
    """Write the preferences (write-new-then-rename, the file 0600, a new folder 0700); False
    when that failed."""
    path = path or prefs_path()
    try:
        path.parent.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
        data = json.dumps(asdict(prefs), ensure_ascii=False).encode("utf-8")
        write_atomic(path, data, durable=False)
    except OSError:
        return False
    return True
