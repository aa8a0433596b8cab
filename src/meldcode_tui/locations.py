"""Every path the program uses: the bundled flow, the data folder for case files, the cache, the
small preferences folder and the log folder (crash reports, exports being written)."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "meldcode-tui"
DATA_DIR_ENV = "MELDCODE_DATA_DIR"
CACHE_DIR_ENV = "MELDCODE_CACHE_DIR"
CONFIG_DIR_ENV = "MELDCODE_CONFIG_DIR"
LOG_DIR_ENV = "MELDCODE_LOG_DIR"
DEFAULT_FLOW_NAME = "meldcode-school.yaml"

_PACKAGE_DIR = Path(__file__).resolve().parent


def flows_dir() -> Path:
    """The folder of bundled flows: inside the installed package, or `flows/` in a source tree."""
    packaged = _PACKAGE_DIR / "flows"
    if packaged.is_dir():
        return packaged
    return _PACKAGE_DIR.parent.parent / "flows"


def default_flow_path() -> Path:
    return flows_dir() / DEFAULT_FLOW_NAME


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The folder of case files: `--data-dir`, else `$MELDCODE_DATA_DIR`, else the user data dir."""
    if override:
        return Path(override).expanduser()
    env = os.environ.get(DATA_DIR_ENV)
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def cache_dir() -> Path:
    """Folder for derived, rebuildable data (validated routing tables): never case data."""
    env = os.environ.get(CACHE_DIR_ENV)
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    """Folder of the user's preferences (name and role): `$MELDCODE_CONFIG_DIR`, else the user's
    config folder. Never case data."""
    env = os.environ.get(CONFIG_DIR_ENV)
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def log_dir() -> Path:
    """Folder of the program's own records, one per user whichever data folder is used:
    `crash/` (crash reports) and `exports/` (exports being written, so that the temp file of an
    interrupted one is removed at the next start). `$MELDCODE_LOG_DIR`, else the user's log
    folder. Never case data."""
    env = os.environ.get(LOG_DIR_ENV)
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))
