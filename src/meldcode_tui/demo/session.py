"""A demo session: the app runs on a seeded temporary folder and never on the user's own folders.

While `demo_session()` is active, `$MELDCODE_DATA_DIR` and `$MELDCODE_CONFIG_DIR` point into the
temporary folder, so neither the case store nor the saved name and role can reach the real data
folder or preferences, even through code that resolves the folders itself; `--data-dir` is not
consulted at all. The demo user is preset ("Demo-trainer", Mentor) so a trainer is not asked for
a name; no demo case was last changed by that name, so the case list shows all of them. SIGTERM
and SIGHUP (SIGBREAK on Windows, which has no SIGHUP) end the program through `SystemExit`, so
the folder is removed also when the terminal closes or the process is stopped.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

from meldcode_tui.demo.seed import demo_data_dir
from meldcode_tui.locations import CONFIG_DIR_ENV, DATA_DIR_ENV

DEMO_USER = "Demo-trainer"
DEMO_ROLE = "Mentor"
"""A role is kept as the flow's label for it, as the actor dialog keeps it."""
CONFIG_FOLDER = ".demo-config"
EXIT_SIGNAL_NAMES = ("SIGTERM", "SIGHUP", "SIGBREAK")
"""The signals that end a demo run, as far as the platform has them."""


@contextmanager
def demo_session() -> Iterator[Path]:
    """Yield the seeded temporary data folder with the environment pointed at it; on exit the
    environment is restored and the folder removed, also after an exception or a signal."""
    with demo_data_dir() as root, _environment(root), _exit_on_signals():
        _preset_user(root / CONFIG_FOLDER)
        yield root


@contextmanager
def _environment(root: Path) -> Iterator[None]:
    changes = {DATA_DIR_ENV: str(root), CONFIG_DIR_ENV: str(root / CONFIG_FOLDER)}
    saved = {name: os.environ.get(name) for name in changes}
    os.environ.update(changes)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _preset_user(config: Path) -> None:
    from meldcode_tui.tui.prefs import PREFS_NAME, Prefs, save_prefs

    config.mkdir(mode=0o700, exist_ok=True)
    save_prefs(Prefs(name=DEMO_USER, role=DEMO_ROLE), config / PREFS_NAME)


def _exit(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)


@contextmanager
def _exit_on_signals() -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    signals = [getattr(signal, name) for name in EXIT_SIGNAL_NAMES if hasattr(signal, name)]
    previous = {sig: signal.signal(sig, _exit) for sig in signals}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            if handler is not None:
                signal.signal(sig, handler)
