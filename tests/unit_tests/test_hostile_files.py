"""Hostile files in every place the program reads one: a catalogue of inputs that once crashed,
hung or fooled it (issue 14 items 3, 4, 5, 8, 9; issue 16), each asserted to end in a clear
message naming the file, quickly, with the other cases still listed.

Every input is counted; `pytest -m reliability -s` runs the long forms (each input through the CLI
on its own, and generated variants) and prints "hostile inputs: N tried, N handled". The default
run keeps a fast subset.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from meldcode_tui.case import atomic, lock
from meldcode_tui.case.errors import DataFolderError, UnreadableCaseError, UnsafeFolderError
from meldcode_tui.case.folder import check_folder
from meldcode_tui.case.index import INDEX_NAME, list_cases
from meldcode_tui.case.lock import LockInfo, LockKind, classify
from meldcode_tui.case.migrate import SCHEMA_VERSION
from meldcode_tui.case.model import Actor, FlowRef
from meldcode_tui.case.store import CaseStore
from meldcode_tui.flow.errors import FlowError
from meldcode_tui.flow.validate import load_flow, parse_flow
from meldcode_tui.locations import default_flow_path
from meldcode_tui.safe_read import (
    CASE_FILE_LIMIT,
    MAX_DEPTH,
    BadContent,
    UnreadableFile,
    check_shape,
    parse_json,
    read_limited,
)
from meldcode_tui.tui.prefs import Prefs, load_prefs, save_prefs

ACTOR = Actor(name="Mentor Fictief", role="mentor")
POSIX = hasattr(os, "mkfifo")
needs_posix = pytest.mark.skipif(not POSIX, reason="FIFOs and modes are POSIX")
SECONDS = 10.0
"""No hostile input may take longer than this (a hang shows as a failure, not a stuck run)."""


class Tally:
    tried = 0
    handled = 0


@pytest.fixture(scope="module", autouse=True)
def report_tally() -> Iterator[None]:
    yield
    print(f"\nhostile inputs: {Tally.tried} tried, {Tally.handled} handled")


def within(seconds: float, function: Callable[[], Any]) -> Any:
    """Run `function` in a thread; fail if it takes longer than `seconds` (a hang)."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = function()
        except BaseException as exc:
            outcome["error"] = exc

    Tally.tried += 1
    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), f"hung for more than {seconds} s"
    Tally.handled += 1
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")


def flow_ref() -> FlowRef:
    flow = load_flow(default_flow_path())
    return FlowRef(id=flow.id, version=flow.version, content_hash=flow.content_hash)


@pytest.fixture
def store(tmp_path: Path) -> CaseStore:
    store = CaseStore(tmp_path / "zaken")
    ref = flow_ref()
    for number in range(3):
        store.create(ref, f"Leerling-{number}", ACTOR)
    return store


def good_ids(store: CaseStore) -> set[str]:
    return {p.stem for p in store.root.glob("*.json") if not p.name.startswith(".")}


def run_cli(data_dir: Path, *args: str, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    Tally.tried += 1
    env = {**os.environ, "MELDCODE_CACHE_DIR": str(data_dir.parent / "cache")}
    proc = subprocess.run(
        [sys.executable, "-m", "meldcode_tui", "--data-dir", str(data_dir), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
    )
    assert "Traceback" not in proc.stderr, proc.stderr
    Tally.handled += 1
    return proc


# --- the bytes of hostile files ------------------------------------------------------------------


def huge_number(template: dict[str, Any]) -> bytes:
    version = f'"schema_version": {SCHEMA_VERSION}'
    return json.dumps(template).replace(version, '"schema_version": ' + "7" * 5000)


BAD_CASE_BYTES: dict[str, Callable[[dict[str, Any]], bytes | str]] = {
    "5000-digit number": huge_number,
    "30-digit number": lambda t: json.dumps({**t, "schema_version": 10**30}),
    "nested 100,000 deep": lambda t: "[" * 100_000 + "]" * 100_000,
    "nested 500 deep": lambda t: (
        json.dumps({**t, "notes": None})[:-1] + ', "x": ' + "[" * 500 + "]" * 500 + "}"
    ),
    "NaN": lambda t: json.dumps({**t, "schema_version": float("nan")}),
    "1e999": lambda t: json.dumps(t).replace(
        f'"schema_version": {SCHEMA_VERSION}', '"schema_version": 1e999'
    ),
    "not UTF-8": lambda t: b"\xff\xfe" + json.dumps(t).encode(),
    "a JSON list": lambda t: "[1, 2, 3]",
}


def plant_case(root: Path, kind: str, make: Callable[[dict[str, Any]], bytes | str]) -> str:
    """A hostile case file among good ones; returns its file name."""
    good = next(p for p in root.glob("*.json") if not p.stem.startswith("20260101-"))
    template = json.loads(good.read_bytes())
    case_id = f"20260101-bad{sorted(BAD_CASE_BYTES).index(kind):03d}"
    template["id"] = case_id
    data = make(template)
    (root / f"{case_id}.json").write_bytes(data if isinstance(data, bytes) else data.encode())
    return f"{case_id}.json"


@pytest.mark.parametrize("kind", sorted(BAD_CASE_BYTES))
def test_a_bad_case_file_is_one_error_and_the_rest_still_list(store: CaseStore, kind: str) -> None:
    good = good_ids(store)
    name = plant_case(store.root, kind, BAD_CASE_BYTES[kind])
    listing = within(SECONDS, store.list)
    assert {c.id for c in listing.cases} == good
    assert [e.file for e in listing.errors] == [name]
    with pytest.raises(Exception) as raised:
        within(SECONDS, lambda: store.load(name[:-5]))
    assert name in str(raised.value) and "Traceback" not in str(raised.value)


# --- not a regular file: FIFOs, devices, links, folders, huge files ------------------------------


def fifo(path: Path) -> None:
    os.mkfifo(path)


def dev_zero(path: Path) -> None:
    os.symlink("/dev/zero", path)


def link_to_good_case(path: Path) -> None:
    good = next(p for p in path.parent.glob("*.json") if not p.is_symlink())
    os.symlink(good, path)


def folder(path: Path) -> None:
    path.mkdir()


def oversize(path: Path) -> None:
    with open(path, "wb") as file:
        file.truncate(142 * 1024 * 1024)


NOT_A_FILE: dict[str, Callable[[Path], None]] = {
    "FIFO": fifo,
    "link to /dev/zero": dev_zero,
    "link to another case": link_to_good_case,
    "folder": folder,
    "142 MB (sparse)": oversize,
}


@needs_posix
@pytest.mark.parametrize("kind", sorted(NOT_A_FILE))
def test_a_case_file_that_is_not_a_regular_file(store: CaseStore, kind: str) -> None:
    good = good_ids(store)
    name = "20260101-odd001.json"
    NOT_A_FILE[kind](store.root / name)
    listing = within(SECONDS, store.list)
    assert {c.id for c in listing.cases} == good
    [error] = listing.errors
    assert error.file == name
    assert any(w in error.reason for w in ("not a regular file", "too large")), error.reason
    with pytest.raises(UnreadableCaseError) as raised:
        within(SECONDS, lambda: store.load("20260101-odd001"))
    assert name in str(raised.value)


@needs_posix
@pytest.mark.parametrize("kind", sorted(set(NOT_A_FILE) - {"link to another case"}))
def test_a_lock_index_or_guard_that_is_not_a_regular_file(store: CaseStore, kind: str) -> None:
    case_id = sorted(good_ids(store))[0]
    for path in (
        store.root / f"{case_id}.lock",
        store.root / INDEX_NAME,
        store.root / f"{case_id}.lock.takeover",
    ):
        NOT_A_FILE[kind](path)
    listing = within(SECONDS, store.list)
    assert {c.id for c in listing.cases} == good_ids(store)
    state = within(SECONDS, lambda: store.lock_state(case_id))
    assert state.kind is LockKind.UNREADABLE
    assert any(words in state.reason for words in ("not a regular file", "too large"))
    session = within(SECONDS, lambda: store.open(case_id, ACTOR))
    assert session.read_only and session.lock_state == state
    session.close()


def test_a_huge_case_file_is_refused_without_reading_it(store: CaseStore) -> None:
    good = good_ids(store)
    path = store.root / "20260101-groot01.json"
    path.write_bytes(b'{"notes": "' + b"a" * CASE_FILE_LIMIT + b'"}')
    started = time.perf_counter()
    listing = within(SECONDS, store.list)
    assert time.perf_counter() - started < 2.0
    assert {c.id for c in listing.cases} == good
    [error] = listing.errors
    assert error.file == path.name and "too large" in error.reason and "8 MiB" in error.reason


# --- locks ----------------------------------------------------------------------------------------


def lock_json(**changes: Any) -> bytes:
    info = LockInfo(
        user="Teamleider Fictief",
        host=atomic.hostname(),
        pid=os.getpid(),
        time=datetime.now(UTC).replace(microsecond=0),
        token="feedfeedfeedfeed",
    ).to_json()
    info.update(changes)
    return json.dumps(info).encode()


BAD_LOCKS: dict[str, bytes] = {
    "nested brackets": b"[" * 50_000 + b"]" * 50_000,
    "unclosed brackets": b"[" * 3000,
    "huge pid": lock_json(pid=10**30),
    "5000-digit pid": lock_json(pid=0).replace(b'"pid": 0', b'"pid": ' + b"9" * 5000),
    "negative pid": lock_json(pid=-1),
    "pid as text": lock_json(pid="123"),
    "time without zone": lock_json(time="2026-01-01T08:00:00"),
    "time out of range": lock_json(time="0001-01-01T00:00:00+23:59"),
    "time is a number": lock_json(time=12),
    "escape codes in the name": lock_json(user="\x1b[31mrood\x1b[0m"),
    "a list": b"[1, 2]",
    "garbage": os.urandom(512).replace(b"{", b"("),
    "100 KiB": b'{"user": "' + b"x" * 100_000 + b'"}',
}


@pytest.mark.parametrize("kind", sorted(BAD_LOCKS))
def test_an_unreadable_lock_keeps_the_case_read_only_until_confirmed(
    store: CaseStore, kind: str
) -> None:
    case_id = sorted(good_ids(store))[0]
    path = store.root / f"{case_id}.lock"
    path.write_bytes(BAD_LOCKS[kind])
    old = time.time() - 60
    os.utime(path, (old, old))
    listing = within(SECONDS, store.list)
    assert {c.id for c in listing.cases} == good_ids(store)
    assert {c.id: c.locked_by for c in listing.cases}[case_id] == "unknown"
    state = within(SECONDS, lambda: store.lock_state(case_id))
    assert state.kind is LockKind.UNREADABLE and state.reason
    assert state.holder is not None and state.holder.user == ""
    session = within(SECONDS, lambda: store.open(case_id, ACTOR))
    assert session.read_only and session.lock_holder is not None
    taken = within(SECONDS, lambda: store.open(case_id, ACTOR, take_over=state))
    assert not taken.read_only and taken.taken_over is not None
    assert taken.lock_state == state
    taken.close()
    assert not path.exists()


def test_a_crash_leftover_lock_is_still_taken_over_silently(store: CaseStore) -> None:
    case_id = sorted(good_ids(store))[0]
    path = store.root / f"{case_id}.lock"
    path.write_bytes(b'{"user": "Teamleider Fic')
    assert classify(path).kind is LockKind.UNREADABLE
    old = time.time() - lock.INCOMPLETE_GRACE_SECONDS - 1
    os.utime(path, (old, old))
    assert classify(path).kind is LockKind.STALE
    with store.open(case_id, ACTOR) as session:
        assert not session.read_only


LOCK_TIMES = {
    "foreign host": ("andere-laptop", timedelta(0), LockKind.FOREIGN_HOST),
    "foreign host, days old": ("andere-laptop", timedelta(days=-3), LockKind.FOREIGN_HOST),
    "foreign host, future": ("andere-laptop", timedelta(days=2), LockKind.FUTURE),
    "this host, live, future": (None, timedelta(hours=5), LockKind.FUTURE),
    "this host, live, small skew": (None, timedelta(minutes=2), LockKind.LIVE),
}


@pytest.mark.parametrize("kind", sorted(LOCK_TIMES))
def test_foreign_and_future_locks_can_be_taken_over_after_confirmation(
    store: CaseStore, kind: str
) -> None:
    host, offset, expected = LOCK_TIMES[kind]
    case_id = sorted(good_ids(store))[0]
    path = store.root / f"{case_id}.lock"
    when = (datetime.now(UTC) + offset).replace(microsecond=0)
    path.write_bytes(
        lock_json(host=host or atomic.hostname(), time=when.isoformat(), pid=os.getppid())
    )
    state = within(SECONDS, lambda: store.lock_state(case_id))
    assert state.kind is expected and state.held
    assert "Teamleider Fictief" in state.describe()
    reader = store.open(case_id, ACTOR)
    assert reader.read_only and reader.lock_state == state
    taken = store.open(case_id, ACTOR, take_over=state)
    assert not taken.read_only
    assert taken.taken_over is not None and taken.taken_over.user == "Teamleider Fictief"
    assert taken.taken_over.time == when
    taken.set_notes("signalen", "na overname")
    taken.close()


def test_a_confirmed_takeover_does_not_replace_a_lock_that_changed_meanwhile(
    store: CaseStore,
) -> None:
    case_id = sorted(good_ids(store))[0]
    path = store.root / f"{case_id}.lock"
    path.write_bytes(lock_json(host="andere-laptop"))
    shown = store.lock_state(case_id)
    newer = lock_json(host="derde-laptop", user="Zorgcoördinator Fictief")
    path.write_bytes(newer)
    session = store.open(case_id, ACTOR, take_over=shown)
    assert session.read_only and session.lock_holder is not None
    assert session.lock_holder.host == "derde-laptop"
    assert path.read_bytes() == newer


def test_a_lock_folder_in_the_way_is_a_message_not_a_crash(store: CaseStore) -> None:
    case_id = sorted(good_ids(store))[0]
    (store.root / f"{case_id}.lock").mkdir()
    state = store.lock_state(case_id)
    session = store.open(case_id, ACTOR, take_over=state)
    assert session.read_only and session.lock_error is not None


# --- the data folder -----------------------------------------------------------------------------


@needs_posix
@pytest.mark.parametrize("mode", [0o777, 0o755, 0o705, 0o701, 0o773])
def test_a_data_folder_open_to_others_is_refused_with_the_fix(tmp_path: Path, mode: int) -> None:
    root = tmp_path / "zaken"
    CaseStore(root)
    os.chmod(root, mode)
    Tally.tried += 1
    with pytest.raises(UnsafeFolderError) as raised:
        CaseStore(root)
    assert f"chmod 700 {root}" in str(raised.value) and raised.value.problem == "others"
    with pytest.raises(UnsafeFolderError):
        list_cases(root)
    Tally.handled += 1
    assert stat.S_IMODE(root.stat().st_mode) == mode


@needs_posix
@pytest.mark.parametrize("mode", [0o700, 0o770, 0o750])
def test_a_private_or_team_folder_is_used(tmp_path: Path, mode: int) -> None:
    root = tmp_path / "zaken"
    root.mkdir()
    os.chmod(root, mode)
    CaseStore(root).create(flow_ref(), "Leerling-1", ACTOR)
    assert len(list_cases(root).cases) == 1


@needs_posix
def test_a_folder_of_another_user_is_refused_unless_shared_with_my_group(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "zaken"
    root.mkdir(mode=0o700)
    os.chmod(root, 0o700)
    monkeypatch.setattr(os, "getuid", lambda: root.stat().st_uid + 1)
    Tally.tried += 1
    with pytest.raises(UnsafeFolderError) as raised:
        check_folder(root)
    assert raised.value.problem == "owner" and "chmod 770" in str(raised.value)
    os.chmod(root, 0o770)
    check_folder(root)
    monkeypatch.setattr(os, "getgroups", lambda: [])
    monkeypatch.setattr(os, "getgid", lambda: root.stat().st_gid + 1)
    with pytest.raises(UnsafeFolderError):
        check_folder(root)
    Tally.handled += 1


def test_on_windows_the_folder_modes_are_not_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "zaken"
    root.mkdir()
    os.chmod(root, 0o777)
    monkeypatch.delattr(os, "getuid")
    check_folder(root)
    CaseStore(root)


def test_a_data_folder_that_is_a_file_is_a_data_folder_error(tmp_path: Path) -> None:
    (tmp_path / "zaken").write_text("geen map")
    with pytest.raises(DataFolderError):
        CaseStore(tmp_path / "zaken")


@needs_posix
def test_cli_refuses_an_open_folder_in_one_line(tmp_path: Path) -> None:
    root = tmp_path / "zaken"
    root.mkdir()
    os.chmod(root, 0o777)
    proc = run_cli(root, "cases", "list")
    assert proc.returncode == 1
    assert proc.stderr.count("\n") == 1 and f"chmod 700 {root}" in proc.stderr


# --- prefs ----------------------------------------------------------------------------------------


@needs_posix
@pytest.mark.parametrize("kind", sorted(NOT_A_FILE))
def test_hostile_prefs_are_ignored(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "prefs.json"
    (tmp_path / "andere.json").write_text('{"name": "Iemand", "role": "mentor"}')
    NOT_A_FILE[kind](path)
    assert within(SECONDS, lambda: load_prefs(path)) == Prefs()


def test_prefs_are_written_0600_in_a_0700_folder(tmp_path: Path) -> None:
    path = tmp_path / "config" / "prefs.json"
    old = os.umask(0)
    try:
        assert save_prefs(Prefs(name="Mentor Fictief", role="mentor"), path)
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert load_prefs(path) == Prefs(name="Mentor Fictief", role="mentor")


# --- flows and answers ----------------------------------------------------------------------------


def alias_bomb() -> bytes:
    lines = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for level in range(1, 9):
        refs = ", ".join([f"*a{level - 1}"] * 10)
        lines.append(f"a{level}: &a{level} [{refs}]")
    return ("\n".join(lines) + "\nid: bom\n").encode()


BAD_FLOW_BYTES: dict[str, bytes] = {
    "alias bomb (10^9 nodes)": alias_bomb(),
    "nested 5,000 deep": b"id: x\nsteps: " + b"[" * 5000 + b"]" * 5000 + b"\n",
    "nested 200 deep": b"id: x\nsteps: " + b"[" * 200 + b"]" * 200 + b"\n",
    "5000-digit number": b"id: x\nversion: " + b"9" * 5000 + b"\n",
    "recursive alias": b"id: x\nsteps: &s [*s]\n",
}


@pytest.mark.parametrize("kind", sorted(BAD_FLOW_BYTES))
def test_a_hostile_flow_is_a_flow_error(kind: str) -> None:
    with pytest.raises(FlowError) as raised:
        within(SECONDS, lambda: parse_flow(BAD_FLOW_BYTES[kind], "boos.yaml"))
    assert raised.value.problems and raised.value.problems[0].file == "boos.yaml"


def test_the_bundled_flow_is_well_within_the_limits() -> None:
    import yaml

    raw = yaml.safe_load(default_flow_path().read_bytes())
    check_shape(raw, max_depth=MAX_DEPTH // 2, max_nodes=20_000)


@needs_posix
@pytest.mark.parametrize("kind", ["FIFO", "link to /dev/zero", "142 MB (sparse)", "folder"])
def test_cli_flows_check_and_run_on_a_hostile_flow_file(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "boos.yaml"
    NOT_A_FILE[kind](path)
    answers = tmp_path / "antwoorden.json"
    answers.write_text("{}")
    for args in (
        ("flows", "check", str(path)),
        ("flows", "run", str(path), "--answers", str(answers)),
    ):
        proc = run_cli(tmp_path / "zaken", *args)
        assert proc.returncode == 1
        assert "boos.yaml" in proc.stdout + proc.stderr


@needs_posix
@pytest.mark.parametrize(
    "kind", ["FIFO", "link to /dev/zero", "142 MB (sparse)", "folder", "5000-digit", "deep"]
)
def test_cli_flows_run_on_a_hostile_answers_file(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "antwoorden.json"
    if kind == "5000-digit":
        path.write_text('{"vermoeden": ' + "1" * 5000 + "}")
    elif kind == "deep":
        path.write_text('{"vermoeden": ' + "[" * 900 + "]" * 900 + "}")
    else:
        NOT_A_FILE[kind](path)
    proc = run_cli(
        tmp_path / "zaken", "flows", "run", str(default_flow_path()), "--answers", str(path)
    )
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "antwoorden.json" in proc.stderr


# --- the whole catalogue in one folder, through the CLI -------------------------------------------


@needs_posix
def test_cli_lists_shows_and_exports_around_every_hostile_file_at_once(store: CaseStore) -> None:
    good = good_ids(store)
    locked = sorted(good)[0]
    bad = {plant_case(store.root, kind, make) for kind, make in BAD_CASE_BYTES.items()}
    for number, (_, make_file) in enumerate(sorted(NOT_A_FILE.items())):
        name = f"20260101-odd{number:03d}.json"
        make_file(store.root / name)
        bad.add(name)
    os.mkfifo(store.root / f"{locked}.lock")
    os.mkfifo(store.root / f"{locked}.lock.takeover")
    os.mkfifo(store.root / INDEX_NAME)
    proc = run_cli(store.root, "cases", "list", "--json")
    assert proc.returncode == 0
    listing = json.loads(proc.stdout)
    assert {c["id"] for c in listing["cases"]} == good
    assert {e["file"] for e in listing["errors"]} == bad
    for name in sorted(bad)[:3]:
        shown = run_cli(store.root, "cases", "show", name[:-5])
        assert shown.returncode == 1 and name in shown.stderr
    assert run_cli(store.root, "cases", "show", locked).returncode == 0
    assert run_cli(store.root, "cases", "export", locked).returncode == 0


# --- the reader and the parser themselves --------------------------------------------------------


def test_read_limited_reads_at_most_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "x"
    path.write_bytes(b"a" * 100)
    assert read_limited(path, 100) == b"a" * 100
    with pytest.raises(UnreadableFile, match="too large"):
        read_limited(path, 99)
    with pytest.raises(FileNotFoundError):
        read_limited(tmp_path / "weg", 10)


def test_without_o_nofollow_a_link_is_still_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Windows has no O_NOFOLLOW: the reader checks with lstat first."""
    target = tmp_path / "echt.json"
    target.write_text("{}")
    link = tmp_path / "link.json"
    try:
        link.symlink_to(target)
    except OSError:
        pytest.skip("no symbolic links here")
    monkeypatch.delattr(os, "O_NOFOLLOW", raising=False)
    with pytest.raises(UnreadableFile, match="symbolic link"):
        read_limited(link, 100)
    assert read_limited(link, 100, follow_symlinks=True) == b"{}"


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        (b"[" * (MAX_DEPTH + 1) + b"]" * (MAX_DEPTH + 1), "nested too deeply"),
        (b"[" + b"1" * 5000 + b"]", "too large"),
        (b"[" + b"1" * 25 + b"]", "too large"),
        (b"[1e999]", "not finite"),
        (b"[-Infinity]", "NaN and Infinity"),
        (b"\xff", "UTF-8"),
        (b'{"a": 1', "not valid JSON"),
    ],
)
def test_parse_json_refuses_with_a_reason(data: bytes, words: str) -> None:
    with pytest.raises(BadContent, match=words):
        within(SECONDS, lambda: parse_json(data))


def test_parse_json_accepts_what_the_program_writes() -> None:
    value = {"a": [1, 2.5, None, True, "x"], "b": {"c": [[2**63 - 1]]}}
    assert parse_json(json.dumps(value).encode()) == value
    nested: Any = []
    for _ in range(MAX_DEPTH - 1):
        nested = [nested]
    assert parse_json(json.dumps(nested).encode()) == nested


# --- process liveness on Windows (simulated) -----------------------------------------------------


class FakeKernel32:
    """kernel32 as `atomic` uses it, with one process table."""

    def __init__(self, processes: dict[int, tuple[int, int]], denied: set[int] = frozenset()):
        self.processes = processes  # pid -> (exit code, creation time)
        self.denied = denied
        self.error = 0
        self.open_handles: set[int] = set()

    def OpenProcess(self, access: int, inherit: bool, pid: int) -> int:
        assert access == 0x1000  # PROCESS_QUERY_LIMITED_INFORMATION, nothing that can end it
        if pid in self.denied:
            self.error = 5
            return 0
        if pid not in self.processes:
            self.error = 87
            return 0
        self.open_handles.add(pid + 10_000)
        return pid + 10_000

    def GetExitCodeProcess(self, handle: int, code: Any) -> int:
        code._obj.value = self.processes[handle - 10_000][0]
        return 1

    def GetProcessTimes(self, handle: int, created: Any, *rest: Any) -> int:
        pid = os.getpid() if handle == -1 else handle - 10_000
        value = self.processes[pid][1]
        created._obj.dwHighDateTime, created._obj.dwLowDateTime = value >> 32, value & 0xFFFFFFFF
        return 1

    def GetCurrentProcess(self) -> int:
        return -1

    def CloseHandle(self, handle: int) -> int:
        self.open_handles.discard(handle)
        return 1


@pytest.fixture
def windows(monkeypatch: pytest.MonkeyPatch) -> FakeKernel32:
    fake = FakeKernel32(
        {os.getpid(): (259, 5 << 32 | 7), 4242: (259, 111), 4343: (0, 222)}, denied={4444}
    )
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(atomic, "_kernel32", lambda: fake)
    monkeypatch.setattr(atomic, "_last_error", lambda: fake.error)

    def no_kill(pid: int, signal: int) -> None:
        raise AssertionError("os.kill on Windows ends the process")

    monkeypatch.setattr(os, "kill", no_kill)
    return fake


def test_windows_liveness_asks_kernel32_and_never_kills(windows: FakeKernel32) -> None:
    assert atomic.pid_alive(4242)
    assert atomic.pid_alive(4242, started="111")
    assert not atomic.pid_alive(4242, started="999")  # the pid was reused
    assert not atomic.pid_alive(4343)  # exited
    assert not atomic.pid_alive(5000)  # no such process
    assert atomic.pid_alive(4444)  # another user's: exists
    assert not atomic.pid_alive(2**40)
    assert atomic.own_start() == str(5 << 32 | 7)
    assert windows.open_handles == set()


def test_windows_stale_lock_is_taken_over_and_live_one_respected(
    windows: FakeKernel32, store: CaseStore
) -> None:
    case_id = sorted(good_ids(store))[0]
    path = store.root / f"{case_id}.lock"
    path.write_bytes(lock_json(pid=4343))
    assert classify(path).kind is LockKind.STALE
    path.write_bytes(lock_json(pid=4242, started="111"))
    assert classify(path).kind is LockKind.LIVE
    with store.open(case_id, ACTOR) as session:
        assert session.read_only
    path.write_bytes(lock_json(pid=5000))
    with store.open(case_id, ACTOR) as session:
        assert not session.read_only and session.taken_over is not None


def test_posix_liveness_survives_a_pid_os_kill_cannot_take() -> None:
    assert not atomic.pid_alive(10**30)
    assert not atomic.pid_alive(2**31)
    assert not atomic.pid_alive(-5)


# --- the long forms ------------------------------------------------------------------------------


@pytest.mark.reliability
@needs_posix
def test_every_hostile_case_file_alone_through_the_cli(store: CaseStore) -> None:
    good = good_ids(store)
    planted: list[Path] = []
    for kind, make in sorted(BAD_CASE_BYTES.items()):
        planted.append(store.root / plant_case(store.root, kind, make))
    for number, (_, make_file) in enumerate(sorted(NOT_A_FILE.items())):
        planted.append(store.root / f"20260101-odd{number:03d}.json")
        make_file(planted[-1])
    for path in planted:
        others = [p for p in planted if p != path]
        hidden = [p.rename(p.with_name("." + p.name)) for p in others]
        try:
            proc = run_cli(store.root, "cases", "list")
            assert proc.returncode == 0 and path.name in proc.stderr
            assert all(case_id in proc.stdout for case_id in good)
            shown = run_cli(store.root, "cases", "show", path.stem)
            assert shown.returncode == 1 and path.name in shown.stderr
            exported = run_cli(store.root, "cases", "export", path.stem)
            assert exported.returncode == 1 and path.name in exported.stderr
        finally:
            for moved in hidden:
                moved.rename(moved.with_name(moved.name[1:]))


@pytest.mark.reliability
def test_generated_hostile_json_never_escapes_parse_json() -> None:
    import random

    rng = random.Random(14)
    pieces = [b"[", b"]", b"{", b"}", b'"a":', b"1", b"9" * 400, b"1e999", b",", b"NaN", b"\xff"]
    for _ in range(3000):
        data = b"".join(rng.choice(pieces) for _ in range(rng.randint(1, 3000)))
        with contextlib.suppress(BadContent):
            within(SECONDS, lambda data=data: parse_json(data))


@pytest.mark.reliability
def test_generated_hostile_locks_never_crash_classify(tmp_path: Path) -> None:
    import random

    rng = random.Random(9)
    path = tmp_path / "x.lock"
    fields: list[tuple[str, Any]] = [
        ("pid", 10 ** rng.randint(0, 40)),
        ("pid", -3),
        ("pid", None),
        ("time", "9999-12-31T23:59:59+00:00"),
        ("time", "0001-01-01T00:00:00+14:00"),
        ("time", []),
        ("user", {"a": 1}),
        ("host", "andere-laptop"),
        ("started", 5),
    ]
    for _ in range(500):
        changes = dict(rng.sample(fields, rng.randint(1, 4)))
        path.write_bytes(lock_json(**changes))
        state = within(SECONDS, lambda: classify(path))
        assert state.kind in set(LockKind) - {LockKind.FREE}
