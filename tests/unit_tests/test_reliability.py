"""Reliability checks across the store and the CLI: bad files among many, and no case text in any
error or log. The default run keeps them short; `pytest -m reliability` runs the long forms."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from meldcode_tui.case.model import Actor, FlowRef
from meldcode_tui.case.store import CaseStore
from meldcode_tui.flow.validate import load_flow
from meldcode_tui.locations import default_flow_path

MARKER = "ZQX-geheim-7731"
ACTOR = Actor(name="Mentor Fictief", role="mentor")


def flow_ref() -> FlowRef:
    flow = load_flow(default_flow_path())
    return FlowRef(id=flow.id, version=flow.version, content_hash=flow.content_hash)


def fingerprint(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.suffix == ".json" and not p.name.startswith(".")
    }


def write_bad_files(root: Path, template: dict[str, object]) -> dict[str, str]:
    """One corrupt, one invalid and one newer-schema file; returns file name → kind."""
    corrupt = json.dumps(template)[: len(json.dumps(template)) // 2]
    (root / "kapot-001.json").write_text(corrupt, encoding="utf-8")
    invalid = {**template, "id": "ongeldig-001", "status": MARKER}
    (root / "ongeldig-001.json").write_text(json.dumps(invalid), encoding="utf-8")
    newer = {**template, "id": "nieuwer-001", "schema_version": 99, "toekomst": MARKER}
    (root / "nieuwer-001.json").write_text(json.dumps(newer), encoding="utf-8")
    for name in ("kapot-001.json", "ongeldig-001.json", "nieuwer-001.json"):
        os.chmod(root / name, 0o600)
    return {
        "kapot-001.json": "corrupt",
        "ongeldig-001.json": "invalid",
        "nieuwer-001.json": "newer",
    }


def make_folder(root: Path, good: int) -> tuple[CaseStore, list[str], dict[str, str]]:
    store = CaseStore(root)
    ref = flow_ref()
    ids = []
    for number in range(good):
        case = store.create(ref, f"Leerling-{number:03d}", ACTOR, group="2B")
        ids.append(case.id)
    with store.open(ids[0], ACTOR) as session:
        session.set_notes("signalen", f"Notitie {MARKER}")
        session.set_answer("vermoeden", "ja", justification=f"Toelichting {MARKER}")
    template = json.loads(store.path_of(ids[0]).read_text(encoding="utf-8"))
    return store, ids, write_bad_files(root, template)


@pytest.mark.parametrize("good", [97, pytest.param(997, marks=pytest.mark.reliability)])
def test_bad_files_among_many_are_reported_and_left_alone(tmp_path: Path, good: int) -> None:
    store, ids, bad = make_folder(tmp_path / "zaken", good)
    before = fingerprint(store.root)
    for _ in range(2):
        listing = store.list()
        assert sorted(c.id for c in listing.cases) == sorted(ids)
        assert sorted(Path(e.file).name for e in listing.errors) == sorted(bad)
        assert len({e.reason for e in listing.errors}) == 3
    assert fingerprint(store.root) == before


def run_cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MELDCODE_CACHE_DIR": str(data_dir.parent / "cache")}
    return subprocess.run(
        [sys.executable, "-m", "meldcode_tui", "--data-dir", str(data_dir), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def test_no_case_text_in_any_error_message_or_log(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    store, _, bad = make_folder(tmp_path / "zaken", 3)
    listing = store.list()
    assert MARKER not in json.dumps(listing.to_json())
    for name in bad:
        with pytest.raises(Exception) as raised:
            store.load(Path(name).stem)
        assert MARKER not in str(raised.value)
        assert MARKER not in repr(raised.value.__cause__)
    outputs = [
        run_cli(store.root, "cases", "list"),
        run_cli(store.root, "cases", "list", "--json"),
        *(run_cli(store.root, "cases", "show", Path(name).stem) for name in bad),
        *(run_cli(store.root, "cases", "export", Path(name).stem) for name in bad),
    ]
    for result in outputs:
        assert MARKER not in result.stdout + result.stderr
        assert "Traceback" not in result.stderr
    assert all(r.returncode != 0 for r in outputs[2:])
    assert MARKER not in caplog.text
