"""`meldcode cases new|list|show`, run as a user would: a subprocess with `--data-dir`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

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
