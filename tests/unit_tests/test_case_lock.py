"""Edit locks: held, stale, incomplete, taken over, lost, released on close and at exit."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from meldcode_tui.case import lock as lock_module
from meldcode_tui.case.errors import LockLostError, ReadOnlyError
from meldcode_tui.case.lock import LockInfo, acquire
from meldcode_tui.case.model import Actor, Case, FlowRef
from meldcode_tui.case.store import CaseStore

MENTOR = Actor(name="Mentor Bakker", role="mentor")
OTHER = Actor(name="Teamleider De Wit", role="teamleider")


@pytest.fixture
def lock_store(tmp_path: Path) -> CaseStore:
    return CaseStore(tmp_path / "cases")


@pytest.fixture
def locked_case(lock_store: CaseStore) -> Case:
    return lock_store.create(FlowRef(id="f", version="1", content_hash="h"), "Leerling-007", MENTOR)


def lock_path(store: CaseStore, case: Case) -> Path:
    return store.root / f"{case.id}.lock"


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def write_lock(path: Path, *, pid: int, host: str | None = None, user: str = "Vorige") -> bytes:
    info = LockInfo(
        user=user,
        host=lock_module.hostname() if host is None else host,
        pid=pid,
        time=datetime(2026, 11, 24, 8, 0, tzinfo=UTC),
        token="feedfeedfeedfeed",
    )
    data = json.dumps(info.to_json()).encode()
    path.write_bytes(data)
    return data


def test_lock_file_holds_who_where_and_when(lock_store: CaseStore, locked_case: Case) -> None:
    with lock_store.open(locked_case.id, MENTOR) as session:
        assert not session.read_only and session.lock_holder is None
        data = json.loads(lock_path(lock_store, locked_case).read_bytes())
        assert {"user", "host", "pid", "time"} <= data.keys()
        assert data["user"] == MENTOR.name and data["pid"] == os.getpid()
        assert data["host"] == lock_module.hostname()
        assert datetime.fromisoformat(data["time"]).tzinfo is not None
    assert not lock_path(lock_store, locked_case).exists()


def test_second_opener_is_read_only_and_told_who(lock_store: CaseStore, locked_case: Case) -> None:
    first = lock_store.open(locked_case.id, MENTOR)
    second = lock_store.open(locked_case.id, OTHER)
    assert second.read_only and second.lock_holder is not None
    assert second.lock_holder.user == MENTOR.name and second.lock_holder.pid == os.getpid()
    assert MENTOR.name in second.lock_holder.describe()
    with pytest.raises(ReadOnlyError, match=MENTOR.name):
        second.set_notes("signalen", "x")
    assert lock_store.lock_holder(locked_case.id).user == MENTOR.name  # type: ignore[union-attr]
    second.close()
    assert lock_path(lock_store, locked_case).exists()
    first.set_notes("signalen", "still editable")
    first.close()
    third = lock_store.open(locked_case.id, OTHER)
    assert not third.read_only
    third.close()


def test_a_lock_held_by_another_live_process_is_respected(
    lock_store: CaseStore, locked_case: Case
) -> None:
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        write_lock(lock_path(lock_store, locked_case), pid=sleeper.pid)
        session = lock_store.open(locked_case.id, OTHER)
        assert session.read_only and session.lock_holder.pid == sleeper.pid  # type: ignore[union-attr]
    finally:
        sleeper.kill()
        sleeper.wait()
    taken = lock_store.open(locked_case.id, OTHER)
    assert not taken.read_only and taken.taken_over is not None
    taken.close()


def test_stale_lock_of_a_dead_process_is_taken_over(
    lock_store: CaseStore, locked_case: Case
) -> None:
    path = lock_path(lock_store, locked_case)
    pid = dead_pid()
    write_lock(path, pid=pid)
    assert lock_store.lock_holder(locked_case.id) is None
    with lock_store.open(locked_case.id, OTHER) as session:
        assert not session.read_only
        assert session.taken_over is not None and session.taken_over.pid == pid
        assert json.loads(path.read_bytes())["pid"] == os.getpid()
        session.set_notes("signalen", "na overname")
    assert not path.exists()


def test_lock_of_another_host_is_not_stale_but_can_be_forced(
    lock_store: CaseStore, locked_case: Case
) -> None:
    path = lock_path(lock_store, locked_case)
    write_lock(path, pid=dead_pid(), host="andere-laptop")
    session = lock_store.open(locked_case.id, OTHER)
    assert session.read_only and session.lock_holder.host == "andere-laptop"  # type: ignore[union-attr]
    forced = lock_store.open(locked_case.id, OTHER, force=True)
    assert not forced.read_only and forced.taken_over.host == "andere-laptop"  # type: ignore[union-attr]
    forced.close()


def test_incomplete_lock_file_is_stale_only_after_a_grace_period(
    lock_store: CaseStore, locked_case: Case
) -> None:
    path = lock_path(lock_store, locked_case)
    path.write_bytes(b'{"user": "hal')
    fresh = lock_store.open(locked_case.id, OTHER)
    assert fresh.read_only and fresh.lock_holder is not None
    old = time.time() - lock_module.INCOMPLETE_GRACE_SECONDS - 5
    os.utime(path, (old, old))
    with lock_store.open(locked_case.id, OTHER) as session:
        assert not session.read_only


def test_a_busy_takeover_guard_makes_others_back_off(
    lock_store: CaseStore, locked_case: Case
) -> None:
    path = lock_path(lock_store, locked_case)
    stale = write_lock(path, pid=dead_pid())
    guard = path.with_name(path.name + lock_module.GUARD_SUFFIX)
    write_lock(guard, pid=os.getpid(), user="iemand anders")
    session = lock_store.open(locked_case.id, OTHER)
    assert session.read_only and path.read_bytes() == stale
    old = time.time() - lock_module.STALE_GUARD_SECONDS - 5
    os.utime(guard, (old, old))
    with lock_store.open(locked_case.id, OTHER) as session:
        assert not session.read_only
    assert not guard.exists()


def test_only_one_of_many_racing_openers_gets_the_lock(
    lock_store: CaseStore, locked_case: Case
) -> None:
    write_lock(lock_path(lock_store, locked_case), pid=dead_pid())
    code = (
        "import sys\n"
        "from meldcode_tui.case.store import CaseStore\n"
        "from meldcode_tui.case.model import Actor\n"
        "store = CaseStore(sys.argv[1])\n"
        "print('ready', flush=True)\n"
        "sys.stdin.readline()\n"
        "s = store.open(sys.argv[2], Actor(name='Racer'))\n"
        "print('editor' if not s.read_only else 'reader', flush=True)\n"
        "sys.stdin.read()\n"
        "s.close()\n"
    )
    racers = [
        subprocess.Popen(
            [sys.executable, "-c", code, str(lock_store.root), locked_case.id],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(6)
    ]
    for racer in racers:
        assert racer.stdout.readline() == "ready\n"  # type: ignore[union-attr]
    for racer in racers:
        racer.stdin.write("go\n")  # type: ignore[union-attr]
        racer.stdin.flush()  # type: ignore[union-attr]
    outcomes = [racer.stdout.readline().strip() for racer in racers]  # type: ignore[union-attr]
    for racer in racers:
        racer.communicate(input="", timeout=30)
    assert outcomes.count("editor") == 1, outcomes


def test_lock_lost_to_a_forced_takeover_stops_saving(
    lock_store: CaseStore, locked_case: Case
) -> None:
    first = lock_store.open(locked_case.id, MENTOR)
    forced = lock_store.open(locked_case.id, OTHER, force=True)
    assert not forced.read_only
    with pytest.raises(LockLostError):
        first.set_notes("signalen", "overwrite")
    assert first.read_only and first.lock_holder.user == OTHER.name  # type: ignore[union-attr]
    forced.set_notes("signalen", "wins")
    first.close()
    assert lock_path(lock_store, locked_case).exists()
    forced.close()
    assert lock_store.load(locked_case.id).steps["signalen"].notes == "wins"


def test_release_is_idempotent_and_leaves_a_foreign_lock(tmp_path: Path) -> None:
    path = tmp_path / "x.lock"
    result = acquire(path, "Mentor")
    assert result.lock is not None and result.holder is None
    result.lock.release()
    result.lock.release()
    assert not path.exists()
    write_lock(path, pid=os.getpid())
    result.lock.release()
    assert path.exists()


def test_locks_are_released_at_normal_exit_but_not_after_sigkill(
    lock_store: CaseStore, locked_case: Case
) -> None:
    code = (
        "import os, signal, sys\n"
        "from meldcode_tui.case.store import CaseStore\n"
        "from meldcode_tui.case.model import Actor\n"
        "s = CaseStore(sys.argv[1]).open(sys.argv[2], Actor(name='Kind'))\n"
        "assert not s.read_only\n"
        "s.set_notes('signalen', sys.argv[3])\n"
        "if sys.argv[3] == 'kill':\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
        "sys.exit(0)\n"
    )
    path = lock_path(lock_store, locked_case)
    args = [sys.executable, "-c", code, str(lock_store.root), locked_case.id]
    assert subprocess.run([*args, "exit"], check=False).returncode == 0
    assert not path.exists()
    assert subprocess.run([*args, "kill"], check=False).returncode == -9
    assert path.exists()
    assert lock_store.lock_holder(locked_case.id) is None
    assert subprocess.run([*args, "again"], check=False).returncode == 0
    assert not path.exists()
    assert lock_store.load(locked_case.id).steps["signalen"].notes == "again"


def test_read_only_open_takes_no_lock_but_says_who_edits(
    lock_store: CaseStore, locked_case: Case
) -> None:
    with lock_store.open(locked_case.id, MENTOR):
        reader = lock_store.open(locked_case.id, OTHER, read_only=True)
        assert reader.read_only and reader.lock_holder.user == MENTOR.name  # type: ignore[union-attr]
        reader.close()
        assert lock_path(lock_store, locked_case).exists()


def test_an_empty_takeover_guard_left_by_a_crash_expires_quickly(
    lock_store: CaseStore, locked_case: Case
) -> None:
    path = lock_path(lock_store, locked_case)
    write_lock(path, pid=dead_pid())
    guard = path.with_name(path.name + lock_module.GUARD_SUFFIX)
    guard.write_bytes(b"")
    assert lock_store.open(locked_case.id, OTHER).read_only
    old = time.time() - lock_module.INCOMPLETE_GRACE_SECONDS - 1
    os.utime(guard, (old, old))
    with lock_store.open(locked_case.id, OTHER) as session:
        assert not session.read_only


def test_without_hard_links_the_lock_is_created_with_o_excl(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_links(src: object, dst: object) -> None:
        raise OSError(errno.EPERM, "hard links not supported")

    monkeypatch.setattr(lock_module.os, "link", no_links)
    path = tmp_path / "x.lock"
    first = acquire(path, "Mentor")
    second = acquire(path, "Ander")
    assert first.lock is not None and second.lock is None
    assert second.holder is not None and second.holder.user == "Mentor"
    assert sorted(os.listdir(tmp_path)) == ["x.lock"]
    first.lock.release()
    assert os.listdir(tmp_path) == []
