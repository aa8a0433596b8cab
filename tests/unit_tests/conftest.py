"""Fixtures of every unit test: the log folder (crash reports, the journal of exports) is a
private folder per test, also for the commands a test runs as a subprocess; and, on request,
this process in Amsterdam time (`amsterdam_time`)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def private_log_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "log"
    monkeypatch.setenv("MELDCODE_LOG_DIR", str(folder))
    return folder


@pytest.fixture
def amsterdam_time(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """This process in Amsterdam time for one test, then back in its own."""
    if not hasattr(time, "tzset"):
        pytest.skip("time.tzset is POSIX only")
    monkeypatch.setenv("TZ", "Europe/Amsterdam")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()
