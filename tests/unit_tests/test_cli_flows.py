"""The `meldcode` command through a real subprocess: help, version, `flows check`, `flows run`.

Every run gets its own cache folder (`MELDCODE_CACHE_DIR`), so runs never share routing tables
unless a test means them to.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from meldcode_tui import __version__
from meldcode_tui.flow.errors import FlowError
from meldcode_tui.flow.validate import load_flow
from meldcode_tui.locations import default_flow_path

FIXTURES = Path(__file__).parent / "flow_fixtures"
FLOW = default_flow_path()
COMPLETE = {
    "vermoeden": "ja",
    "veiligheid": "nee",
    "hulp_aanbieden": "ja",
    "hulp_aanvaard": "ja",
    "resultaat": "nee",
}

Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture(scope="module")
def shared_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache the tests that are not about caching share, so most runs are warm."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    """A cache of this test's own."""
    return tmp_path / "cache"


def runner(cache: Path, data: Path) -> Run:
    env = {**os.environ, "MELDCODE_CACHE_DIR": str(cache), "MELDCODE_DATA_DIR": str(data)}

    def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "meldcode_tui", *map(str, args)],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
        )

    return run


@pytest.fixture
def meldcode(shared_cache: Path, tmp_path: Path) -> Run:
    return runner(shared_cache, tmp_path)


@pytest.fixture
def meldcode_fresh(cache: Path, tmp_path: Path) -> Run:
    return runner(cache, tmp_path)


@pytest.fixture
def write_answers(tmp_path: Path) -> Callable[[Any], Path]:
    def write(answers: Any) -> Path:
        path = tmp_path / "antwoorden.json"
        path.write_text(json.dumps(answers), encoding="utf-8")
        return path

    return write


def assert_one_line_error(proc: subprocess.CompletedProcess[str], code: int, *words: str) -> None:
    assert proc.returncode == code, proc.stderr
    assert proc.stdout == ""
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("meldcode: ")
    for word in words:
        assert word in lines[0]


# --- help and version ----------------------------------------------------------------------------


def test_help_lists_the_commands(meldcode: Run) -> None:
    proc = meldcode("--help")
    assert proc.returncode == 0
    assert proc.stdout.startswith("usage: meldcode")
    assert "flows" in proc.stdout
    assert proc.stderr == ""


def test_flows_help_lists_check_and_run(meldcode: Run) -> None:
    proc = meldcode("flows", "--help")
    assert proc.returncode == 0
    assert "check" in proc.stdout and "run" in proc.stdout


def test_version(meldcode: Run) -> None:
    proc = meldcode("--version")
    assert proc.returncode == 0
    assert proc.stdout.strip() == f"meldcode {__version__}"


# --- flows check ---------------------------------------------------------------------------------


def test_check_without_files_checks_the_bundled_flow(meldcode: Run) -> None:
    proc = meldcode("flows", "check")
    assert proc.returncode == 0, proc.stdout
    assert proc.stdout.splitlines() == [f"{FLOW}: ok (meldcode-school 1.2)"]
    assert proc.stderr == ""


def test_check_gives_one_ok_line_per_good_file(meldcode: Run) -> None:
    proc = meldcode("flows", "check", FLOW, FIXTURES / "minimal.yaml")
    assert proc.returncode == 0
    assert proc.stdout.splitlines() == [
        f"{FLOW}: ok (meldcode-school 1.2)",
        f"{FIXTURES / 'minimal.yaml'}: ok (proef 1)",
    ]


def problem_lines(path: Path) -> list[str]:
    with pytest.raises(FlowError) as caught:
        load_flow(path)
    return [str(p) for p in caught.value.problems]


def test_check_reports_every_problem_of_every_file_one_per_line(meldcode: Run) -> None:
    broken = [
        FIXTURES / "several_reference_problems.yaml",
        FIXTURES / "several_structure_problems.yaml",
        FIXTURES / "bad_yaml.yaml",
    ]
    proc = meldcode("flows", "check", broken[0], FLOW, *broken[1:])
    assert proc.returncode == 1
    lines = proc.stdout.splitlines()
    expected = [line for path in broken for line in problem_lines(path)]
    assert len(expected) == 4 + 3 + 1
    assert sorted(line for line in lines if "ok (" not in line) == sorted(expected)
    assert f"{FLOW}: ok (meldcode-school 1.2)" in lines
    assert f"{broken[0]}: steps[0].questions[0].options[0].goto: routing target" in proc.stdout
    assert "Traceback" not in proc.stdout + proc.stderr


@pytest.mark.parametrize("name", ["empty.yaml", "not_mapping.yaml", "bestaat-niet.yaml"])
def test_check_refuses_a_file_that_is_no_flow_in_one_line(meldcode: Run, name: str) -> None:
    proc = meldcode("flows", "check", FIXTURES / name)
    assert proc.returncode == 1
    assert len(proc.stdout.splitlines()) == 1
    assert proc.stdout.startswith(f"{FIXTURES / name}: ")
    assert "Traceback" not in proc.stderr


# --- flows run -----------------------------------------------------------------------------------


def run_json(meldcode: Run, answers_file: Path, flow: Path = FLOW) -> dict[str, Any]:
    proc = meldcode("flows", "run", flow, "--answers", answers_file)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    data = json.loads(proc.stdout)
    assert set(data) == {"flow", "version", "path", "next", "complete", "advice"}
    assert set(data["advice"]) == {"melden", "meldnormen", "hulp", "veilig_thuis_raadplegen"}
    return data


def test_run_on_complete_answers(meldcode: Run, write_answers: Callable[[Any], Path]) -> None:
    data = run_json(meldcode, write_answers(COMPLETE))
    assert data == {
        "flow": "meldcode-school",
        "version": "1.2",
        "path": ["vermoeden", "veiligheid", "hulp_aanbieden", "hulp_aanvaard", "resultaat"],
        "next": None,
        "complete": True,
        "advice": {
            "melden": True,
            "meldnormen": ["onveiligheid_blijft"],
            "hulp": True,
            "veilig_thuis_raadplegen": False,
        },
    }


SAFE = {"vermoeden": "ja", "veiligheid": "nee"}


# The contract of `flows run` per route of the afwegingskader (DESIGN.md, step 4).
@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        (
            {"vermoeden": "ja", "veiligheid": "ja"},
            {"path": ["vermoeden", "veiligheid"], "complete": True, "melden": True, "hulp": None},
        ),
        (
            {**SAFE, "hulp_aanbieden": "nee"},
            {"complete": True, "melden": True, "hulp": None},
        ),
        (
            {**SAFE, "hulp_aanbieden": "ja", "hulp_aanvaard": "nee"},
            {"complete": True, "melden": True, "hulp": None},
        ),
        (
            {**SAFE, "hulp_aanbieden": "ja", "hulp_aanvaard": "ja", "resultaat": "nog_onbekend"},
            {"complete": False, "next": "resultaat", "melden": None, "hulp": True},
        ),
        ({"vermoeden": "nee"}, {"complete": True, "melden": False}),
    ],
    ids=["2=ja", "3=nee", "4=nee", "5=nog_onbekend", "1=nee"],
)
def test_run_keeps_the_contract_of_each_route(
    meldcode: Run,
    write_answers: Callable[[Any], Path],
    answers: dict[str, str],
    expected: dict[str, Any],
) -> None:
    data = run_json(meldcode, write_answers(answers))
    got = {**data, **data["advice"]}
    assert {key: got[key] for key in expected} == expected


@pytest.mark.parametrize(
    ("answers", "norms"),
    [
        ({"vermoeden": "ja", "veiligheid": "ja"}, {"acuut", "structureel"}),
        ({**SAFE, "hulp_aanbieden": "nee"}, {"geen_effectieve_hulp"}),
        ({**SAFE, "hulp_aanbieden": "ja", "hulp_aanvaard": "nee"}, {"geen_hulp"}),
    ],
    ids=["2=ja", "3=nee", "4=nee"],
)
def test_run_names_the_meldnormen_of_each_reporting_route(
    meldcode: Run, write_answers: Callable[[Any], Path], answers: dict[str, str], norms: set[str]
) -> None:
    data = run_json(meldcode, write_answers(answers))
    assert norms <= set(data["advice"]["meldnormen"])


@pytest.mark.parametrize(
    ("answers", "path", "next_id", "melden", "consult"),
    [
        ({}, ["vermoeden"], "vermoeden", None, False),
        ({"vermoeden": "ja"}, ["vermoeden", "veiligheid"], "veiligheid", None, False),
        (
            {"vermoeden": "ja", "veiligheid": "twijfel", "hulp_aanbieden": "ja"},
            ["vermoeden", "veiligheid"],
            "veiligheid",
            None,
            True,
        ),
    ],
)
def test_run_on_partial_answers(
    meldcode: Run,
    write_answers: Callable[[Any], Path],
    answers: dict[str, str],
    path: list[str],
    next_id: str,
    melden: bool | None,
    consult: bool,
) -> None:
    data = run_json(meldcode, write_answers(answers))
    assert data["path"] == path
    assert data["next"] == next_id
    assert data["complete"] is False
    assert data["advice"]["melden"] is melden
    assert data["advice"]["veilig_thuis_raadplegen"] is consult


@pytest.mark.parametrize(
    ("answers", "words"),
    [
        ({"bestaat_niet": "ja"}, ("no question 'bestaat_niet'",)),
        ({"vermoeden": "misschien"}, ("'vermoeden'", "no option 'misschien'")),
        ({"vermoeden": 3}, ("must be an option id",)),
        ([], ("must hold a JSON object",)),
        ("vermoeden", ("must hold a JSON object",)),
        (None, ("must hold a JSON object",)),
    ],
)
def test_run_exits_2_on_bad_answers(
    meldcode: Run, write_answers: Callable[[Any], Path], answers: Any, words: tuple[str, ...]
) -> None:
    proc = meldcode("flows", "run", FLOW, "--answers", write_answers(answers))
    assert_one_line_error(proc, 2, *words)


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (None, ("cannot read answers file",)),
        (b"{vermoeden: ja}", ("not valid JSON",)),
        (b"\xff\xfe\x00", ("not valid UTF-8",)),
        (b"[" * 100_000, ("nested too deeply",)),
    ],
    ids=["missing", "not JSON", "not UTF-8", "too deep"],
)
def test_run_exits_2_on_an_unusable_answers_file(
    meldcode: Run, tmp_path: Path, content: bytes | None, words: tuple[str, ...]
) -> None:
    path = tmp_path / "antwoorden.json"
    if content is not None:
        path.write_bytes(content)
    proc = meldcode("flows", "run", FLOW, "--answers", path)
    assert_one_line_error(proc, 2, *words)


def test_run_on_a_broken_flow_exits_1_with_its_problems(
    meldcode: Run, write_answers: Callable[[Any], Path]
) -> None:
    broken = FIXTURES / "several_reference_problems.yaml"
    proc = meldcode("flows", "run", broken, "--answers", write_answers({}))
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert proc.stderr.splitlines() == [f"meldcode: {line}" for line in problem_lines(broken)]


def test_run_on_a_missing_flow_exits_1_in_one_line(
    meldcode: Run, write_answers: Callable[[Any], Path], tmp_path: Path
) -> None:
    proc = meldcode("flows", "run", tmp_path / "weg.yaml", "--answers", write_answers({}))
    assert_one_line_error(proc, 1, "weg.yaml", "cannot read file")


def test_run_without_answers_is_a_usage_error(meldcode: Run) -> None:
    proc = meldcode("flows", "run", FLOW)
    assert proc.returncode == 2
    assert "--answers" in proc.stderr
    assert "Traceback" not in proc.stderr


# --- imports and the routing cache ---------------------------------------------------------------

PROBE = """
import json, sys
from meldcode_tui.cli import main
code = main(["flows", "run", sys.argv[1], "--answers", sys.argv[2]])
heavy = ("textual", "pydantic", "yaml", "rich", "platformdirs")
sys.stderr.write(json.dumps({"code": code, "loaded": [m for m in heavy if m in sys.modules]}))
"""


def probe(cache: Path, answers: Path) -> dict[str, Any]:
    env = {**os.environ, "MELDCODE_CACHE_DIR": str(cache)}
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, str(FLOW), str(answers)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    return json.loads(proc.stderr)


def test_run_never_imports_textual_and_on_a_warm_cache_not_pydantic_nor_yaml(
    cache: Path, write_answers: Callable[[Any], Path]
) -> None:
    answers = write_answers(COMPLETE)
    cold = probe(cache, answers)
    assert cold["code"] == 0
    assert "textual" not in cold["loaded"]
    assert "pydantic" in cold["loaded"]
    warm = probe(cache, answers)
    assert warm == {"code": 0, "loaded": []}


def test_the_cache_is_rebuilt_when_the_flow_file_changes(
    meldcode_fresh: Run, write_answers: Callable[[Any], Path], tmp_path: Path, cache: Path
) -> None:
    flow = tmp_path / "kopie.yaml"
    shutil.copyfile(FLOW, flow)
    answers = write_answers({"vermoeden": "ja", "veiligheid": "nee", "hulp_aanbieden": "nee"})
    before = run_json(meldcode_fresh, answers, flow)
    assert before["complete"] is True
    assert len(list(cache.glob("routing-*.json"))) == 1

    doc = yaml.safe_load(flow.read_bytes())
    [hulp_aanbieden] = [q for q in doc["steps"][3]["questions"] if q["id"] == "hulp_aanbieden"]
    [nee] = [o for o in hulp_aanbieden["options"] if o["id"] == "nee"]
    nee["goto"] = "hulp_aanvaard"
    flow.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")

    after = run_json(meldcode_fresh, answers, flow)
    assert after["complete"] is False
    assert after["next"] == "hulp_aanvaard"
    assert len(list(cache.glob("routing-*.json"))) == 2


def _tampered(entry: Path) -> bytes:
    data = json.loads(entry.read_text(encoding="utf-8"))
    data["start"] = "resultaat"
    data["questions"]["resultaat"]["options"][0]["goto"] = "nergens"
    return json.dumps(data).encode()


@pytest.mark.parametrize(
    "corrupt",
    [lambda entry: b'{"flow_id": "meldcode-sch', _tampered],
    ids=["truncated", "inconsistent"],
)
def test_a_corrupt_cache_entry_is_ignored(
    meldcode_fresh: Run,
    write_answers: Callable[[Any], Path],
    cache: Path,
    corrupt: Callable[[Path], bytes],
) -> None:
    """More kinds of corruption are tried in-process in `test_flow_cache.py`."""
    answers = write_answers(COMPLETE)
    expected = run_json(meldcode_fresh, answers)
    [entry] = cache.glob("routing-*.json")
    entry.write_bytes(corrupt(entry))
    assert run_json(meldcode_fresh, answers) == expected
    assert json.loads(entry.read_text(encoding="utf-8"))["start"] == "vermoeden"


def test_run_works_when_the_cache_cannot_be_written(
    write_answers: Callable[[Any], Path], tmp_path: Path
) -> None:
    not_a_folder = tmp_path / "bestand"
    not_a_folder.write_text("x", encoding="utf-8")
    answers = write_answers(COMPLETE)
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "meldcode_tui",
            "flows",
            "run",
            str(FLOW),
            "--answers",
            str(answers),
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "MELDCODE_CACHE_DIR": str(not_a_folder)},
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["complete"] is True
