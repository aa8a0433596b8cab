"""`meldcode cases list --expired` and `meldcode cases destroy`, run as a user would: a subprocess
with `--data-dir`; the refusals with their exit codes (1 refused or not found, 2 usage)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from meldcode_tui.case.destroy import DESTROY_LOG
from meldcode_tui.case.model import Actor
from meldcode_tui.case.store import CaseStore
from meldcode_tui.casework.work import CaseWork
from meldcode_tui.flow.validate import load_flow
from meldcode_tui.locations import default_flow_path

FLOW = load_flow(default_flow_path())
ZORG = Actor(name="Zorgcoördinator Smit", role="zorgcoördinator")
PUPIL = "Pseudoniem Boomklever"


def meldcode(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "meldcode_tui", "--data-dir", str(data_dir), "cases", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, "COLUMNS": "120", "HOME": str(data_dir.parent)},
    )


def make_case(store: CaseStore, pupil: str, closed_on: date | None) -> str:
    work = CaseWork.create(store, FLOW, pupil=pupil, actor=ZORG)
    work.set_notes("signalen", "Notitie Goudvink")
    work.decide("melden", False, reason="Reden Grutto")
    work.decide("hulp", False, reason="Reden Tureluur")
    if closed_on is not None:
        work.close("Sluitreden Wielewaal" if pupil == PUPIL else "Sluitreden", today=closed_on)
    work.release()
    return work.case_id


@pytest.fixture
def folder(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """An expired case, a closed one still within its term, and an open one."""
    root = tmp_path / "cases"
    store = CaseStore(root)
    ids = {
        "expired": make_case(store, PUPIL, date(2020, 1, 1)),
        "kept": make_case(store, "Pseudoniem Kept", date.today()),
        "open": make_case(store, "Pseudoniem Open", None),
    }
    return root, ids


def destroy(root: Path, case_id: str, *extra: str) -> subprocess.CompletedProcess[str]:
    return meldcode(
        root, "destroy", case_id, "--author", "Zorgcoördinator Smit", "--role", "zorgcoördinator",
        *extra,
    )  # fmt: skip


def test_list_expired_shows_only_closed_cases_past_their_date(
    folder: tuple[Path, dict[str, str]],
) -> None:
    root, ids = folder
    table = meldcode(root, "list", "--expired")
    assert table.returncode == 0, table.stderr
    assert ids["expired"] in table.stdout and "KEEP UNTIL" in table.stdout
    assert "2022-01-01" in table.stdout
    assert ids["kept"] not in table.stdout and ids["open"] not in table.stdout
    listed = meldcode(root, "list", "--expired", "--json")
    rows = json.loads(listed.stdout)["cases"]
    assert [row["id"] for row in rows] == [ids["expired"]]
    everything = json.loads(meldcode(root, "list", "--json").stdout)["cases"]
    full = next(row for row in everything if row["id"] == ids["expired"])
    assert rows[0] == full and full["retain_until"] == "2022-01-01"
    assert set(full) >= {"id", "pupil", "status", "updated", "next_due", "retain_until"}


def test_list_expired_says_when_there_are_none(tmp_path: Path) -> None:
    root = tmp_path / "cases"
    make_case(CaseStore(root), "Pseudoniem Vers", date.today())
    result = meldcode(root, "list", "--expired")
    assert result.returncode == 0
    assert result.stdout.startswith("No cases whose bewaartermijn has passed in ")


def test_destroy_an_expired_case(folder: tuple[Path, dict[str, str]]) -> None:
    root, ids = folder
    result = destroy(root, ids["expired"])
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"Destroyed case {ids['expired']} (created ")
    assert "kept until 2022-01-01" in result.stdout and DESTROY_LOG in result.stdout
    assert PUPIL not in result.stdout + result.stderr
    assert not (root / f"{ids['expired']}.json").exists()
    for path in root.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert PUPIL.encode() not in data and b"Wielewaal" not in data, path.name
    entry = json.loads((root / DESTROY_LOG).read_text(encoding="utf-8"))
    assert entry["id"] == ids["expired"]
    assert entry["by"] == {"name": "Zorgcoördinator Smit", "role": "zorgcoördinator"}
    again = destroy(root, ids["expired"])
    assert again.returncode == 1 and "no case with id" in again.stderr


def test_destroy_refusals_and_their_exit_codes(folder: tuple[Path, dict[str, str]]) -> None:
    root, ids = folder
    kept = destroy(root, ids["kept"])
    assert kept.returncode == 1 and "needs --force" in kept.stderr
    opened = destroy(root, ids["open"], "--force")
    assert opened.returncode == 1 and "--force and --reason" in opened.stderr
    mentor = meldcode(
        root, "destroy", ids["expired"], "--author", "Mentor Bakker", "--role", "mentor"
    )
    assert mentor.returncode == 1 and "only the zorgcoördinator" in mentor.stderr
    assert destroy(root, "../elders").returncode == 2
    assert meldcode(root, "destroy", ids["expired"]).returncode == 2  # no --author, --role
    control = destroy(root, ids["open"], "--force", "--reason", "fout\x1b[2J")
    assert control.returncode == 2
    assert all((root / f"{case_id}.json").exists() for case_id in ids.values())
    assert not (root / DESTROY_LOG).exists()


def test_destroy_with_force(folder: tuple[Path, dict[str, str]]) -> None:
    root, ids = folder
    assert destroy(root, ids["kept"], "--force").returncode == 0
    done = destroy(root, ids["open"], "--force", "--reason", "Per vergissing aangemaakt")
    assert done.returncode == 0, done.stderr
    lines = (root / DESTROY_LOG).read_text(encoding="utf-8").splitlines()
    entries = [json.loads(line) for line in lines]
    assert [e["id"] for e in entries] == [ids["kept"], ids["open"]]
    assert entries[1]["reason"] == "Per vergissing aangemaakt" and entries[1]["closed"] is None


def test_a_case_open_in_the_app_is_not_destroyed(folder: tuple[Path, dict[str, str]]) -> None:
    root, ids = folder
    with CaseStore(root).open(ids["open"], ZORG) as editing:
        assert not editing.read_only
        result = destroy(root, ids["open"], "--force", "--reason", "Per vergissing")
    assert result.returncode == 1 and "open for editing by Zorgcoördinator Smit" in result.stderr
    assert (root / f"{ids['open']}.json").exists()
