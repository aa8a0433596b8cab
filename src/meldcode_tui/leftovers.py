"""What a killed process leaves behind, removed at the next start: the temp file of an export
that was being written (`case.outfile`) and the temporary folder of a demo.

A demo folder is named `meldcode-demo.HOST.PID.RANDOM` in the system's temp folder (made by
`tempfile.mkdtemp` with `demo_prefix()`), so the folder of a demo whose process is gone can be
told from one still in use. A demo folder is removed when it is ours (our user, our host) and its
process is gone, or when nothing in it changed for `DEMO_STALE_SECONDS` (where a process cannot be
checked, as on Windows). Temp files in the data folder are removed by the listing (`case.index`).

`remove_leftovers` runs when the app starts and before `meldcode cases export`; it costs a look
at two folders and imports nothing heavy.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

from meldcode_tui.case.atomic import host_tag, pid_alive

DEMO_PREFIX = "meldcode-demo."
DEMO_STALE_SECONDS = 7 * 24 * 3600.0
_DEMO_NAME = re.compile(r"^meldcode-demo\.(?P<host>[A-Za-z0-9-]{1,32})\.(?P<pid>\d{1,10})\.")


def demo_prefix() -> str:
    """The name prefix of this process's demo folder."""
    return f"{DEMO_PREFIX}{host_tag()}.{os.getpid()}."


def remove_leftovers() -> None:
    """Remove what killed processes of this user left behind; never raises."""
    from meldcode_tui.case.outfile import remove_interrupted_exports

    try:
        remove_interrupted_exports()
        remove_orphaned_demo_folders()
    except Exception:  # tidying up must never stop the program from starting
        pass


def remove_orphaned_demo_folders(folder: Path | None = None, now: float | None = None) -> int:
    """Remove the demo folders of processes that are gone; returns how many were removed."""
    import tempfile

    folder = Path(tempfile.gettempdir()) if folder is None else folder
    try:
        entries = [e for e in os.scandir(folder) if e.name.startswith(DEMO_PREFIX)]
    except OSError:
        return 0
    now = time.time() if now is None else now
    removed = 0
    for entry in entries:
        match = _DEMO_NAME.match(entry.name)
        if match is None:
            continue
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if not entry.is_dir(follow_symlinks=False):
            continue
        if hasattr(os, "getuid") and info.st_uid != os.getuid():
            continue
        pid = int(match["pid"])
        own = match["host"] == host_tag() and pid != os.getpid()
        if (own and not pid_alive(pid)) or now - info.st_mtime > DEMO_STALE_SECONDS:
            import shutil

            shutil.rmtree(entry.path, ignore_errors=True)
            removed += not os.path.lexists(entry.path)
    return removed
