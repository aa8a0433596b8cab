"""Fixtures of every unit test: the log folder (crash reports, the journal of exports) is a
private folder per test, also for the commands a test runs as a subprocess."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def private_log_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "log"
    monkeypatch.setenv("MELDCODE_LOG_DIR", str(folder))
    return folder
