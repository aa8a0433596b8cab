"""No silent lost update: revisions, the save guard and exclusive create, in one process.
The multi-process forms are in test_reliability.py. No Textual."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from meldcode_tui.case import atomic, guard
from meldcode_tui.case import store as store_module
from meldcode_tui.case.errors import (
    LockLostError,
    ReadOnlyError,
    SaveError,
    StaleRevisionError,
)
from meldcode_tui.case.guard import SaveGuard, guard_path
from meldcode_tui.case.lock import LockInfo
from meldcode_tui.case.migrate import SCHEMA_VERSION
from meldcode_tui.case.model import Actor, Case, FlowRef

MENTOR = Actor(name="Mentor Bakker", role="mentor")
OTHER = Actor(name="Teamleider De Wit", role="teamleider")
REF = FlowRef(id="meldcode-school", version="1", content_hash="0" * 64)


@pytest.fixture
def case_store(tmp_path: Path) -> store_module.CaseStore:
    return store_module.CaseStore(tmp_path / "cases")


@pytest.fixture
def new_case(case_store: store_module.CaseStore) -> Case:
    return case_store.create(REF, "Leerling-042", MENTOR)


def on_disk(case_store: store_module.CaseStore, case_id: str) -> dict[str, object]:
    return json.loads(case_store.path_of(case_id).read_bytes())


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def guard_bytes(pid: int, host: str | None = None) -> bytes:
    info = LockInfo(
        user="Iemand",
        host=atomic.hostname() if host is None else host,
        pid=pid,
        time=LockInfo.mine("x").time,
        token="feedfeedfeedfeed",
    )
    return json.dumps(info.to_json()).encode()


# --- revisions ---------------------------------------------------------------------------------


def test_each_save_counts_the_revision_up(
    case_store: store_module.CaseStore, new_case: Case
) -> None:
    assert new_case.revision == 1 and on_disk(case_store, new_case.id)["revision"] == 1
    with case_store.open(new_case.id, MENTOR) as session:
        session.set_notes("signalen", "een")
        session.set_notes("signalen", "twee")
        assert session.case.revision == 3
    assert case_store.load(new_case.id).revision == 3
    raw = case_store.path_of(new_case.id).read_bytes()
    head = f'{{"schema_version":{SCHEMA_VERSION},"id":"{new_case.id}","revision":3,'
    assert raw.startswith(head.encode())


def test_a_file_from_before_revisions_loads_as_0_and_saves_as_1(
    case_store: store_module.CaseStore, new_case: Case
) -> None:
    path = case_store.path_of(new_case.id)
    raw = json.loads(path.read_bytes())
    del raw["revision"]
    path.write_text(json.dumps(raw, indent=2))
    case = case_store.load(new_case.id)
    assert case.revision == 0
    case_store.save(case)
    assert on_disk(case_store, new_case.id)["revision"] == 1


def test_load_load_save_save_refuses_the_second_and_keeps_the_first(
    case_store: store_module.CaseStore, new_case: Case
) -> None:
    first = case_store.load(new_case.id)
    second = case_store.load(new_case.id)
    first.group = "3A"
    case_store.save(first)
    kept = case_store.path_of(new_case.id).read_bytes()
    second.group = "3B"
    with pytest.raises(StaleRevisionError) as refused:
        case_store.save(second)
    message = str(refused.value)
    assert "someone else saved the case since it was read" in message
    assert "nothing was overwritten" in message and "3B" not in message
    assert isinstance(refused.value, SaveError)
    assert case_store.path_of(new_case.id).read_bytes() == kept
    assert second.revision == 1 and first.revision == 2
    again = case_store.load(new_case.id)
    again.group = "3B"
    case_store.save(again)
    assert case_store.load(new_case.id).group == "3B"


def test_saving_a_new_case_object_never_replaces_an_existing_file(
    case_store: store_module.CaseStore, new_case: Case
) -> None:
    kept = case_store.path_of(new_case.id).read_bytes()
    stranger = new_case.model_copy(update={"revision": 0, "pupil": "Iemand-anders"})
    with pytest.raises(StaleRevisionError):
        case_store.save(stranger)
    assert case_store.path_of(new_case.id).read_bytes() == kept
    fresh = new_case.model_copy(update={"id": "20261124-nieuw1", "revision": 0})
    case_store.save(fresh)
    assert fresh.revision == 1 and case_store.load("20261124-nieuw1").revision == 1


def test_a_removed_file_is_not_silently_recreated(
    case_store: store_module.CaseStore, new_case: Case
) -> None:
    case = case_store.load(new_case.id)
    case_store.path_of(new_case.id).unlink()
    with pytest.raises(StaleRevisionError, match="removed the case file"):
        case_store.save(case)
    assert not case_store.path_of(new_case.id).exists()


def test_a_session_refused_as_stale_turns_read_only_and_frees_the_lock(
    case_store: store_module.CaseStore, new_case: Case
) -> None:
    session = case_store.open(new_case.id, MENTOR)
    behind_its_back = case_store.load(new_case.id)
    behind_its_back.group = "4C"
    case_store.save(behind_its_back)
    with pytest.raises(StaleRevisionError):
        session.set_notes("signalen", "niet opgeslagen")
    assert session.read_only and session.unsaved
    assert case_store.lock_holder(new_case.id) is None
    with pytest.raises(ReadOnlyError, match="open it again"):
        session.set_notes("signalen", "nog eens")
    loaded = case_store.load(new_case.id)
    assert loaded.group == "4C" and "signalen" not in loaded.steps
    session.close()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"schema_version": 1, "id": "kap', "not a readable case file"),
        (b'{"schema_version": 9, "id": "x", "revision": 1}', "newer version of meldcode"),
        (b'{"schema_version": 1, "revision": "1"}', "not a readable case file"),
    ],
)
def test_a_file_on_disk_that_cannot_be_compared_is_left_alone(
    case_store: store_module.CaseStore, new_case: Case, content: bytes, message: str
) -> None:
    session = case_store.open(new_case.id, MENTOR)
    path = case_store.path_of(new_case.id)
    path.write_bytes(content)
    with pytest.raises(SaveError, match=message):
        session.set_notes("signalen", "x")
    assert path.read_bytes() == content and session.unsaved
    session.close()


# --- forced takeover -----------------------------------------------------------------------------


def test_the_holder_is_told_its_change_was_not_saved_after_a_takeover(
    case_store: store_module.CaseStore, new_case: Case
) -> None:
    holder = case_store.open(new_case.id, MENTOR)
    holder.set_notes("signalen", "bevestigd")
    taker = case_store.open(new_case.id, OTHER, force=True)
    assert taker.case.steps["signalen"].notes == "bevestigd"
    with pytest.raises(LockLostError) as lost:
        holder.set_notes("signalen", "te laat")
    assert "this change was not saved" in str(lost.value) and OTHER.name in str(lost.value)
    assert "te laat" not in str(lost.value) and holder.unsaved and holder.read_only
    taker.set_value("gesprek", "besproken", "ja")
    taker.close()
    holder.close()
    final = case_store.load(new_case.id)
    assert final.steps["signalen"].notes == "bevestigd" and final.revision == 3


def test_a_takeover_waits_for_a_save_in_progress(
    case_store: store_module.CaseStore, new_case: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The holder's lock check and write form one step: a takeover starting in between waits,
    then loads the saved change; the holder's save is acknowledged and on disk."""
    holder = case_store.open(new_case.id, MENTOR)
    in_write = threading.Event()
    proceed = threading.Event()
    real_write = store_module.write_atomic

    def slow_write(path: Path, data: bytes) -> None:
        in_write.set()
        assert proceed.wait(10)
        real_write(path, data)

    monkeypatch.setattr(store_module, "write_atomic", slow_write)
    saver = threading.Thread(target=holder.set_notes, args=("signalen", "bevestigd"))
    saver.start()
    assert in_write.wait(10)
    opened: list[store_module.CaseSession] = []
    taker = threading.Thread(
        target=lambda: opened.append(case_store.open(new_case.id, OTHER, force=True))
    )
    taker.start()
    time.sleep(0.1)
    waited = not opened
    proceed.set()
    assert waited, "the takeover did not wait for the save in progress"
    saver.join(10)
    taker.join(10)
    assert not holder.unsaved
    assert opened[0].case.steps["signalen"].notes == "bevestigd"
    with pytest.raises(LockLostError):
        holder.set_notes("signalen", "te laat")
    opened[0].close()
    assert case_store.load(new_case.id).steps["signalen"].notes == "bevestigd"


def test_closing_after_a_takeover_leaves_the_new_lock(
    case_store: store_module.CaseStore, new_case: Case
) -> None:
    holder = case_store.open(new_case.id, MENTOR)
    taker = case_store.open(new_case.id, OTHER, force=True)
    holder.close()
    assert case_store.lock_holder(new_case.id).user == OTHER.name  # type: ignore[union-attr]
    taker.set_notes("signalen", "nog van mij")
    taker.close()
    assert case_store.lock_holder(new_case.id) is None


# --- the save guard ------------------------------------------------------------------------------


def test_a_busy_guard_makes_a_save_wait_then_give_up_clearly(
    case_store: store_module.CaseStore, new_case: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(guard, "WAIT_SECONDS", 0.2)
    session = case_store.open(new_case.id, MENTOR)
    busy = guard_path(case_store.path_of(new_case.id))
    busy.write_bytes(guard_bytes(os.getpid()))
    started = time.monotonic()
    with pytest.raises(SaveError, match=r"another save of this case, by Iemand .* is still busy"):
        session.set_notes("signalen", "x")
    assert time.monotonic() - started >= 0.2
    assert session.unsaved and not session.read_only and busy.exists()
    busy.unlink()
    session.flush()
    assert not session.unsaved and not busy.exists()
    session.close()


def test_a_guard_left_by_a_dead_process_is_removed(
    case_store: store_module.CaseStore, new_case: Case
) -> None:
    busy = guard_path(case_store.path_of(new_case.id))
    busy.write_bytes(guard_bytes(dead_pid()))
    with case_store.open(new_case.id, MENTOR) as session:
        assert not session.read_only
        session.set_notes("signalen", "x")
    assert not busy.exists()


@pytest.mark.parametrize("kind", ["empty", "other host"])
def test_an_old_empty_or_foreign_guard_expires(
    case_store: store_module.CaseStore,
    new_case: Case,
    monkeypatch: pytest.MonkeyPatch,
    kind: str,
) -> None:
    monkeypatch.setattr(guard, "WAIT_SECONDS", 0.1)
    busy = guard_path(case_store.path_of(new_case.id))
    busy.write_bytes(b"" if kind == "empty" else guard_bytes(1, host="andere-laptop"))
    session = case_store.open(new_case.id, MENTOR)
    assert session.read_only and "still busy" in (session.lock_error or "")
    limit = guard.INCOMPLETE_GRACE_SECONDS if kind == "empty" else guard.STALE_SECONDS
    old = time.time() - limit - 1
    os.utime(busy, (old, old))
    with case_store.open(new_case.id, MENTOR) as session:
        assert not session.read_only
    assert not busy.exists()


def test_removing_a_stale_guard_never_removes_a_live_one(tmp_path: Path) -> None:
    path = tmp_path / "x.json.saving"
    live = guard_bytes(os.getpid())
    path.write_bytes(live)
    assert not atomic.remove_if(path, b"the stale bytes seen earlier".__eq__)
    assert path.read_bytes() == live
    assert os.listdir(tmp_path) == ["x.json.saving"]
    assert atomic.remove_if(path, live.__eq__)
    assert os.listdir(tmp_path) == []


def test_the_guard_is_gone_after_every_kind_of_save(
    case_store: store_module.CaseStore, new_case: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = case_store.open(new_case.id, MENTOR)
    session.set_notes("signalen", "ok")

    def full(*args: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(store_module, "write_atomic", full)
    with pytest.raises(SaveError, match="disk is full"):
        session.set_notes("signalen", "vol")
    assert session.case.revision == 2
    monkeypatch.undo()
    session.flush()
    assert session.case.revision == 3
    session.close()
    assert sorted(os.listdir(case_store.root)) == [f"{new_case.id}.json"]


def test_a_guard_is_released_only_by_its_owner(tmp_path: Path) -> None:
    target = tmp_path / "x.json"
    first = SaveGuard(target, "A")
    first.acquire()
    first.path.write_bytes(guard_bytes(os.getpid()))
    first.release()
    assert first.path.exists()


# --- exclusive create ----------------------------------------------------------------------------


def test_a_create_that_draws_a_taken_id_draws_another(
    case_store: store_module.CaseStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    drawn = iter(["20261124-aaaaaa", "20261124-aaaaaa", "20261124-aaaaaa", "20261124-bbbbbb"])
    monkeypatch.setattr(store_module, "new_id", lambda: next(drawn))
    first = case_store.create(REF, "Leerling-001", MENTOR)
    kept = case_store.path_of(first.id).read_bytes()
    second = case_store.create(REF, "Leerling-002", OTHER)
    assert (first.id, second.id) == ("20261124-aaaaaa", "20261124-bbbbbb")
    assert case_store.path_of(first.id).read_bytes() == kept
    assert case_store.load(second.id).pupil == "Leerling-002"


def test_a_create_that_only_draws_taken_ids_fails_clearly(
    case_store: store_module.CaseStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_module, "new_id", lambda: "20261124-aaaaaa")
    first = case_store.create(REF, "Leerling-001", MENTOR)
    kept = case_store.path_of(first.id).read_bytes()
    with pytest.raises(SaveError, match=r"fresh case ids were all taken.*nothing was overwritten"):
        case_store.create(REF, "Leerling-002", OTHER)
    assert case_store.path_of(first.id).read_bytes() == kept
    assert sorted(os.listdir(case_store.root)) == [f"{first.id}.json"]


def test_without_hard_links_create_uses_o_excl(
    case_store: store_module.CaseStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_links(src: object, dst: object) -> None:
        raise OSError(errno.EPERM, "hard links not supported")

    monkeypatch.setattr(atomic.os, "link", no_links)
    target = case_store.root / "x.json"
    assert atomic.write_new(target, b"first")
    assert not atomic.write_new(target, b"second")
    assert target.read_bytes() == b"first"
    assert oct(target.stat().st_mode & 0o777) == oct(atomic.FILE_MODE)
    case = case_store.create(REF, "Leerling-003", MENTOR)
    with pytest.raises(StaleRevisionError):
        case_store.save(case.model_copy(update={"revision": 0}))
    assert sorted(os.listdir(case_store.root)) == [f"{case.id}.json", "x.json"]
