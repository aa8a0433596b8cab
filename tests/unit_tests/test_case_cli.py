"""`meldcode cases new|list|show`, run as a user would: a subprocess with `--data-dir`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from meldcode_tui.case.model import StepRecord
from meldcode_tui.case.store import CaseStore
from meldcode_tui.flow.validate import load_flow
from meldcode_tui.locations import default_flow_path


def meldcode(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "meldcode_tui", "--data-dir", str(data_dir), "cases", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, "COLUMNS": "100"},  # the width `cases show` wraps to
    )


@pytest.fixture
def cli_data_dir(tmp_path: Path) -> Path:
    return tmp_path / "cases"


def new_case(data_dir: Path, pupil: str = "Leerling-042", *extra: str) -> str:
    result = meldcode(data_dir, "new", "--pupil", pupil, "--author", "Mentor Bakker", *extra)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return result.stdout.strip()


def test_new_prints_only_the_id_and_records_the_bundled_flow(cli_data_dir: Path) -> None:
    result = meldcode(
        cli_data_dir,
        "new",
        "--pupil",
        "Pseudoniem Vos",
        "--author",
        "Mentor Bakker",
        "--role",
        "mentor",
        "--group",
        "3B",
    )
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    case = CaseStore(cli_data_dir).load(lines[0])
    flow = load_flow(default_flow_path())
    assert (case.flow.id, case.flow.version, case.flow.content_hash) == (
        flow.id,
        flow.version,
        flow.content_hash,
    )
    assert case.pupil == "Pseudoniem Vos" and case.group == "3B"
    assert (case.created_by.name, case.created_by.role) == ("Mentor Bakker", "mentor")


def test_new_needs_pupil_and_author(cli_data_dir: Path) -> None:
    assert meldcode(cli_data_dir, "new", "--author", "A").returncode == 2
    result = meldcode(cli_data_dir, "new", "--pupil", " ", "--author", "A")
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_list_json(cli_data_dir: Path) -> None:
    first = new_case(cli_data_dir, "Leerling-001")
    second = new_case(cli_data_dir, "Leerling-002", "--group", "2A")
    (cli_data_dir / "kapot.json").write_bytes(b"{ not json")
    result = meldcode(cli_data_dir, "list", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {"cases", "errors"}
    assert {c["id"] for c in data["cases"]} == {first, second}
    for case in data["cases"]:
        assert {"id", "pupil", "status", "step", "updated"} <= case.keys()
        assert case["status"] == "open"
    assert data["errors"] == [{"file": "kapot.json", "reason": data["errors"][0]["reason"]}]
    assert (cli_data_dir / "kapot.json").read_bytes() == b"{ not json"


def test_list_table(cli_data_dir: Path) -> None:
    case_id = new_case(cli_data_dir, "Pseudoniem Vos")
    (cli_data_dir / "kapot.json").write_bytes(b"")
    result = meldcode(cli_data_dir, "list")
    assert result.returncode == 0
    assert case_id in result.stdout and "Pseudoniem Vos" in result.stdout
    assert "kapot.json" in result.stderr


def test_list_of_an_empty_or_missing_folder(cli_data_dir: Path) -> None:
    result = meldcode(cli_data_dir, "list", "--json")
    assert result.returncode == 0
    assert json.loads(result.stdout) == {"cases": [], "errors": []}
    assert "No cases" in meldcode(cli_data_dir, "list").stdout


def test_list_of_an_unreadable_folder_fails(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x")
    result = meldcode(not_a_folder, "list", "--json")
    assert result.returncode == 1
    assert result.stderr.startswith("meldcode: ") and len(result.stderr.splitlines()) == 1


def test_show(cli_data_dir: Path) -> None:
    case_id = new_case(cli_data_dir, "Pseudoniem Vos")
    result = meldcode(cli_data_dir, "show", case_id, "--json")
    assert result.returncode == 0
    assert json.loads(result.stdout) == json.loads((cli_data_dir / f"{case_id}.json").read_bytes())
    text = meldcode(cli_data_dir, "show", case_id)
    assert text.returncode == 0 and case_id in text.stdout and "Pseudoniem Vos" in text.stdout


@pytest.mark.parametrize(
    ("case_id", "code"),
    [("../../etc/passwd", 2), ("a/b", 2), (".index", 2), ("20261124-zzzzzz", 1), ("kapot", 1)],
)
def test_show_errors_are_one_line_without_traceback(
    cli_data_dir: Path, case_id: str, code: int
) -> None:
    new_case(cli_data_dir)
    (cli_data_dir / "kapot.json").write_bytes(b"\xff")
    result = meldcode(cli_data_dir, "show", case_id)
    assert result.returncode == code
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.stderr


def test_environment_variable_names_the_folder(tmp_path: Path) -> None:
    env_dir = tmp_path / "env-cases"
    result = subprocess.run(
        [sys.executable, "-m", "meldcode_tui", "cases", "new", "--pupil", "L-1", "--author", "A"],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "MELDCODE_DATA_DIR": str(env_dir)},
    )
    assert result.returncode == 0
    assert (env_dir / f"{result.stdout.strip()}.json").exists()


AMSTERDAM = {**os.environ, "TZ": "Europe/Amsterdam"}


def test_cli_times_are_local_with_their_zone(amsterdam_time: None) -> None:
    from meldcode_tui.commands.cases import _when, _when_iso

    assert _when(datetime(2026, 12, 3, 13, 5, tzinfo=UTC)) == "2026-12-03 14:05 CET"
    assert _when(datetime(2026, 7, 3, 13, 5, tzinfo=UTC)) == "2026-07-03 15:05 CEST"
    assert _when_iso("2026-12-03T13:05:00+00:00") == "2026-12-03 14:05 CET"
    assert _when(datetime(2026, 12, 3, 13, 5)) == "2026-12-03 14:05 CET"  # naive: stored UTC
    # 31-12-9999 23:30 UTC is past the calendar's end in Amsterdam: shown in UTC, and said so.
    last = datetime(9999, 12, 31, 23, 30, tzinfo=UTC)
    assert _when(last) == "9999-12-31 23:30 UTC (no local time)"


def _amsterdam(moment: datetime) -> str:
    shown = moment.astimezone(ZoneInfo("Europe/Amsterdam"))
    return f"{shown:%Y-%m-%d %H:%M} {shown.tzname()}"


def run_in_amsterdam(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "meldcode_tui", "--data-dir", str(data_dir), "cases", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**AMSTERDAM, "COLUMNS": "100"},
    )


@pytest.mark.skipif(sys.platform == "win32", reason="TZ names a zone on POSIX only")
def test_list_and_show_print_local_time_json_keeps_utc(cli_data_dir: Path) -> None:
    case_id = new_case(cli_data_dir, "Pseudoniem Vos")
    store = CaseStore(cli_data_dir)
    case = store.load(case_id)
    case.created_at = datetime(2026, 1, 15, 13, 5, tzinfo=UTC)
    store.save(case)
    case = store.load(case_id)

    table = run_in_amsterdam(cli_data_dir, "list")
    assert table.returncode == 0, table.stderr
    assert _amsterdam(case.updated_at) in table.stdout

    shown = run_in_amsterdam(cli_data_dir, "show", case_id)
    assert shown.returncode == 0, shown.stderr
    assert "  Created:  2026-01-15 14:05 CET by Mentor Bakker" in shown.stdout
    assert f"  Updated:  {_amsterdam(case.updated_at)}" in shown.stdout
    assert "UTC" not in shown.stdout

    listed = json.loads(run_in_amsterdam(cli_data_dir, "list", "--json").stdout)
    assert listed["cases"][0]["updated"] == case.updated_at.isoformat()
    dumped = json.loads(run_in_amsterdam(cli_data_dir, "show", case_id, "--json").stdout)
    assert dumped["created_at"] == "2026-01-15T13:05:00Z"


def test_show_prints_long_text_whole(cli_data_dir: Path) -> None:
    case_id = new_case(cli_data_dir, "Pseudoniem Vos")
    store = CaseStore(cli_data_dir)
    case = store.load(case_id)
    words = [f"woord{i}" for i in range(120)]
    case.steps["signalen"] = StepRecord(
        values={"beschrijving": " ".join(words) + " \x1b]0;titel\x07 EINDE"},
        notes="Eerste regel\nTweede regel " + "lang " * 40 + "slot\r\nderde regel",
    )
    store.save(case)

    result = meldcode(cli_data_dir, "show", case_id)
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout and "\r" not in result.stdout
    lines = result.stdout.splitlines()
    start = lines.index(next(line for line in lines if line.startswith("  beschrijving: ")))
    notes = lines.index(next(line for line in lines if line.startswith("  notes: ")))
    shown = " ".join(line.strip() for line in lines[start:notes]).removeprefix("beschrijving: ")
    assert shown == " ".join(words) + " \\x1b]0;titel\\x07 EINDE"
    assert notes - start > 1  # wrapped, not cut
    assert all(len(line) <= 100 for line in lines)
    assert all(line.startswith("      ") for line in lines[start + 1 : notes])
    note_lines = lines[notes : lines.index("Events: 1")]
    assert note_lines[0] == "  notes: Eerste regel"
    assert note_lines[1].startswith("      Tweede regel lang")
    assert note_lines[-1] == "      derde regel"
    assert " ".join(line.strip() for line in note_lines[1:-1]) == (
        "Tweede regel " + "lang " * 40 + "slot"
    )
    assert "..." not in result.stdout
