"""The case store: round trip, atomic saves, permissions, ids, bad files, full disk, read-only
folder, migration, changed flows, events and the listing index. No Textual."""

from __future__ import annotations

import errno
import json
import os
import stat
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from meldcode_tui.case import atomic, index, migrate
from meldcode_tui.case import store as store_module
from meldcode_tui.case.errors import (
    CaseError,
    CaseNotFound,
    CorruptCaseError,
    InvalidCaseError,
    InvalidCaseId,
    InvalidValueError,
    NewerSchemaError,
    ReadOnlyError,
    SaveError,
)
from meldcode_tui.case.model import Actor, Case, FlowRef, Status
from meldcode_tui.case.store import CaseSession, CaseStore
from meldcode_tui.flow.engine import route
from meldcode_tui.flow.model import Flow
from meldcode_tui.flow.validate import load_flow
from meldcode_tui.locations import default_flow_path

MENTOR = Actor(name="Mentor Bakker", role="mentor")
OTHER = Actor(name="Teamleider De Wit", role="teamleider")
SECRET = "Geheime Toelichting Over Pseudoniem Vos"


@pytest.fixture(scope="module")
def school_flow() -> Flow:
    return load_flow(default_flow_path())


@pytest.fixture
def case_store(tmp_path: Path) -> CaseStore:
    return CaseStore(tmp_path / "cases")


@pytest.fixture
def case_flow_ref(school_flow: Flow) -> FlowRef:
    return FlowRef.of(school_flow)


@pytest.fixture
def new_case(case_store: CaseStore, case_flow_ref: FlowRef) -> Case:
    return case_store.create(case_flow_ref, "Leerling-042", MENTOR, group="3B")


@pytest.fixture
def session(case_store: CaseStore, new_case: Case) -> CaseSession:
    s = case_store.open(new_case.id, MENTOR)
    yield s
    s.close()


class Clock:
    """A settable `now()` for the store, second resolution like the real one."""

    def __init__(self) -> None:
        self.at = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.at

    def advance(self, **kwargs: float) -> None:
        self.at += timedelta(**kwargs)


@pytest.fixture
def store_clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(store_module, "now", clock)
    return clock


def files_in(folder: Path) -> list[str]:
    return sorted(os.listdir(folder))


def write_case_file(folder: Path, name: str, data: bytes | dict[str, Any]) -> Path:
    path = folder / name
    path.write_bytes(data if isinstance(data, bytes) else json.dumps(data).encode())
    return path


# --- round trip, ids, permissions ----------------------------------------------------------


def test_round_trip_keeps_every_part_of_a_case(case_store: CaseStore, session: CaseSession) -> None:
    session.set_answer("vermoeden", "ja", justification=SECRET)
    session.set_answer("veiligheid", "ja", meldnormen=["acuut"], veilig_thuis_advice="bellen")
    session.set_value("signalen", "signalen", [{"datum": "2026-11-20", "feiten": "viel op"}])
    session.set_value("gesprek", "gesprek_gevoerd", "ja")
    session.set_value("gesprek", "datum", date(2026, 11, 21))
    session.set_value("consultatie", "vt_geraadpleegd", True)
    session.set_value("besluiten", "andere_gezinsleden", ["broer"])
    session.set_notes("gesprek", "notitie")
    session.set_decision("melden", True, "reden", ["juiste_hulp"])
    session.set_aftercare("evaluatie", due="2026-12-01", who="OT", note="n")
    session.record("melding")
    session.set_position("besluiten", "besluit_melden")
    loaded = case_store.load(session.case.id)
    assert loaded == session.case
    assert loaded.steps["gesprek"].values["datum"] == "2026-11-21"
    assert loaded.answer_values()["veiligheid"] == {"option": "ja", "meldnormen": ["acuut"]}
    assert loaded.status is Status.GEMELD
    assert loaded.next_aftercare_due() == date(2026, 12, 1)


def test_create_records_flow_author_and_event(
    case_store: CaseStore, new_case: Case, school_flow: Flow
) -> None:
    loaded = case_store.load(new_case.id)
    assert loaded.flow.id == school_flow.id
    assert loaded.flow.content_hash == school_flow.content_hash
    assert loaded.created_by == MENTOR and loaded.pupil == "Leerling-042"
    assert [(e.action, e.target) for e in loaded.events] == [("create", school_flow.id)]


def test_create_rejects_an_empty_pupil(case_store: CaseStore, case_flow_ref: FlowRef) -> None:
    with pytest.raises(InvalidValueError):
        case_store.create(case_flow_ref, "  ", MENTOR)


def test_generated_ids_are_unique_and_safe(case_store: CaseStore, case_flow_ref: FlowRef) -> None:
    ids = {case_store.create(case_flow_ref, f"Leerling-{i:03}", MENTOR).id for i in range(30)}
    assert len(ids) == 30
    for case_id in ids:
        assert case_id[:8].isdigit() and case_id[8] == "-"
        assert case_id.replace("-", "").isalnum() and case_id == case_id.lower()


def test_folder_is_0700_and_files_0600_whatever_the_umask(
    tmp_path: Path, case_flow_ref: FlowRef
) -> None:
    old = os.umask(0)
    try:
        store = CaseStore(tmp_path / "deep" / "cases")
        case = store.create(case_flow_ref, "Leerling-042", MENTOR)
        with store.open(case.id, MENTOR) as s:
            s.set_notes("signalen", "x")
            assert stat.S_IMODE(os.stat(store.root / f"{case.id}.lock").st_mode) == 0o600
        store.list()
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(store.root).st_mode) == 0o700
    for name in files_in(store.root):
        assert stat.S_IMODE(os.stat(store.root / name).st_mode) == 0o600, name


def test_existing_folder_keeps_its_mode(tmp_path: Path) -> None:
    shared = tmp_path / "team"
    shared.mkdir(mode=0o770)
    os.chmod(shared, 0o770)
    CaseStore(shared)
    assert stat.S_IMODE(os.stat(shared).st_mode) == 0o770


def test_data_dir_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MELDCODE_DATA_DIR", str(tmp_path / "env"))
    assert CaseStore().root == tmp_path / "env"
    assert CaseStore(tmp_path / "arg").root == tmp_path / "arg"


@pytest.mark.parametrize(
    "hostile",
    [
        "",
        ".",
        "..",
        "../x",
        "../../etc/passwd",
        "a/b",
        "/etc/passwd",
        "a\\b",
        "..\\x",
        "a\x00b",
        ".hidden",
        ".index",
        "x" * 65,
        "a b",
        "a.json",
        "-x",
        "ünïcode",
        "a\n",
        None,
        42,
    ],
)
def test_hostile_ids_are_rejected(case_store: CaseStore, hostile: Any) -> None:
    for action in (case_store.load, case_store.path_of, lambda i: case_store.open(i, MENTOR)):
        with pytest.raises(InvalidCaseId) as info:
            action(hostile)
        assert isinstance(info.value, CaseError)
    assert files_in(case_store.root) == []


def test_missing_case(case_store: CaseStore) -> None:
    with pytest.raises(CaseNotFound):
        case_store.load("20261124-zzzzzz")
    with pytest.raises(CaseNotFound):
        case_store.open("20261124-zzzzzz", MENTOR)


def test_a_copied_file_whose_id_differs_from_its_name_is_invalid(
    case_store: CaseStore, new_case: Case
) -> None:
    copy = case_store.root / "copy-of-case.json"
    copy.write_bytes(case_store.path_of(new_case.id).read_bytes())
    with pytest.raises(InvalidCaseError):
        case_store.load("copy-of-case")
    assert [e.file for e in case_store.list().errors] == ["copy-of-case.json"]


# --- atomic save -----------------------------------------------------------------------------


def test_crash_between_temp_write_and_replace_keeps_the_old_file(
    case_store: CaseStore, session: CaseSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    session.set_notes("signalen", "first")
    path = case_store.path_of(session.case.id)
    before = path.read_bytes()
    written: list[bytes] = []

    def crash(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        written.append(Path(src).read_bytes())
        raise OSError(errno.EIO, "simulated crash before the rename")

    monkeypatch.setattr(atomic.os, "replace", crash)
    with pytest.raises(SaveError) as info:
        session.set_notes("signalen", "second")
    monkeypatch.undo()
    assert b"second" in written[0] and json.loads(written[0])
    assert path.read_bytes() == before
    assert not [n for n in files_in(case_store.root) if n.endswith(".tmp")]
    assert "previous version is kept" in str(info.value)
    assert session.unsaved
    session.flush()
    assert case_store.load(session.case.id).steps["signalen"].notes == "second"


def test_killed_before_the_rename_leaves_old_file_and_a_temp_file_that_list_removes(
    case_store: CaseStore, new_case: Case
) -> None:
    import subprocess
    import sys

    before = case_store.path_of(new_case.id).read_bytes()
    code = (
        "import os, signal, sys\n"
        "from meldcode_tui.case import atomic\n"
        "from meldcode_tui.case.store import CaseStore\n"
        "from meldcode_tui.case.model import Actor\n"
        "atomic.os.replace = lambda a, b: os.kill(os.getpid(), signal.SIGKILL)\n"
        "s = CaseStore(sys.argv[1]).open(sys.argv[2], Actor(name='Kind'))\n"
        "s.set_notes('signalen', 'never saved')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(case_store.root), new_case.id], check=False
    )
    assert result.returncode == -9
    temps = [n for n in files_in(case_store.root) if atomic.is_temp_name(n)]
    assert len(temps) == 1
    assert case_store.path_of(new_case.id).read_bytes() == before
    listing = case_store.list()
    assert [c.id for c in listing.cases] == [new_case.id] and listing.errors == []
    assert not [n for n in files_in(case_store.root) if atomic.is_temp_name(n)]


def test_list_leaves_temp_files_of_live_processes_and_other_hosts_alone(
    case_store: CaseStore,
) -> None:
    own_live = f".x.json.{atomic.host_tag()}.{os.getpid()}.0123abcd.tmp"
    other_host = ".x.json.elsewhere.1.0123abcd.tmp"
    not_ours = ".something.tmp"
    for name in (own_live, other_host, not_ours):
        (case_store.root / name).write_bytes(b"{")
    case_store.list()
    assert set(files_in(case_store.root)) >= {own_live, other_host, not_ours}
    old = time.time() - atomic.STALE_TEMP_SECONDS - 10
    os.utime(case_store.root / other_host, (old, old))
    case_store.list()
    assert other_host not in files_in(case_store.root)


# --- full disk, read-only folder -------------------------------------------------------------


@pytest.mark.parametrize("failing", ["write", "fsync"])
def test_disk_full_during_save(
    case_store: CaseStore,
    session: CaseSession,
    monkeypatch: pytest.MonkeyPatch,
    failing: str,
) -> None:
    session.set_notes("signalen", "kept")
    path = case_store.path_of(session.case.id)
    before = path.read_bytes()

    def full(*args: Any) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(atomic.os, failing, full)
    with pytest.raises(SaveError, match="disk is full"):
        session.set_notes("signalen", "lost")
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert not [n for n in files_in(case_store.root) if atomic.is_temp_name(n)]


def _make_folder_read_only(folder: Path, monkeypatch: pytest.MonkeyPatch, code: int) -> None:
    """chmod 0500; where that does not stop writes (root), refuse creating files in it."""
    os.chmod(folder, 0o500)
    probe = folder / "probe"
    try:
        probe.touch()
    except PermissionError:
        return
    probe.unlink()
    real_open = os.open

    def refusing_open(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if flags & os.O_CREAT and Path(path).parent == folder:
            raise OSError(code, os.strerror(code), str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(atomic.os, "open", refusing_open)


@pytest.mark.parametrize(
    ("code", "message"),
    [(errno.EACCES, "no permission"), (errno.EROFS, "read-only disk")],
)
def test_read_only_folder_during_save(
    case_store: CaseStore,
    session: CaseSession,
    monkeypatch: pytest.MonkeyPatch,
    code: int,
    message: str,
) -> None:
    path = case_store.path_of(session.case.id)
    before = path.read_bytes()
    _make_folder_read_only(case_store.root, monkeypatch, code)
    try:
        with pytest.raises(SaveError, match=message if os.geteuid() == 0 else "permission"):
            session.set_notes("signalen", "lost")
    finally:
        monkeypatch.undo()
        os.chmod(case_store.root, 0o700)
    assert path.read_bytes() == before
    assert not [n for n in files_in(case_store.root) if atomic.is_temp_name(n)]


def test_open_in_a_read_only_folder_is_read_only(
    case_store: CaseStore, new_case: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    _make_folder_read_only(case_store.root, monkeypatch, errno.EACCES)
    try:
        s = case_store.open(new_case.id, MENTOR)
        assert s.read_only and s.lock_error
        with pytest.raises(ReadOnlyError):
            s.set_notes("signalen", "x")
    finally:
        monkeypatch.undo()
        os.chmod(case_store.root, 0o700)


# --- corrupt, invalid, newer files -----------------------------------------------------------


def _good_case_data(case_store: CaseStore, new_case: Case) -> dict[str, Any]:
    return json.loads(case_store.path_of(new_case.id).read_bytes())


BAD_FILES: dict[str, tuple[type[CaseError], Any]] = {
    "truncated": (CorruptCaseError, b'{"schema_version": 1, "id": "trunc'),
    "not-utf8": (CorruptCaseError, b'{"pupil": "\xff\xfe Vos"}'),
    "empty": (CorruptCaseError, b""),
    "binary": (CorruptCaseError, bytes(range(256))),
    "a-list": (InvalidCaseError, b"[1, 2, 3]"),
}


@pytest.mark.parametrize("kind", sorted(BAD_FILES))
def test_corrupt_files_raise_and_are_listed_untouched(
    case_store: CaseStore, new_case: Case, kind: str
) -> None:
    error, data = BAD_FILES[kind]
    path = write_case_file(case_store.root, f"{kind}.json", data)
    with pytest.raises(error):
        case_store.load(kind)
    with pytest.raises(error):
        case_store.open(kind, MENTOR)
    listing = case_store.list()
    assert [c.id for c in listing.cases] == [new_case.id]
    assert [e.file for e in listing.errors] == [f"{kind}.json"]
    assert path.read_bytes() == data
    assert not (case_store.root / f"{kind}.lock").exists()


def test_invalid_case_error_names_places_not_contents(
    case_store: CaseStore, new_case: Case
) -> None:
    data = _good_case_data(case_store, new_case)
    data["id"] = "invalid"
    data["status"] = SECRET
    data["answers"] = {"veiligheid": {"value": SECRET}}
    data[SECRET] = SECRET
    raw = json.dumps(data).encode()
    path = write_case_file(case_store.root, "invalid.json", raw)
    with pytest.raises(InvalidCaseError) as info:
        case_store.load("invalid")
    message = str(info.value)
    assert "Geheime" not in message and "Vos" not in message
    assert "status" in message and "answers.veiligheid" in message
    assert info.value.__context__ is None and info.value.__cause__ is None
    (problem,) = case_store.list().errors
    assert problem.file == "invalid.json" and "Geheime" not in problem.reason
    assert path.read_bytes() == raw


def test_newer_schema_version(case_store: CaseStore, new_case: Case) -> None:
    data = _good_case_data(case_store, new_case)
    data.update(id="newer", schema_version=migrate.SCHEMA_VERSION + 1, new_field=1)
    raw = json.dumps(data).encode()
    path = write_case_file(case_store.root, "newer.json", raw)
    with pytest.raises(NewerSchemaError) as info:
        case_store.load("newer")
    assert "newer version" in str(info.value)
    assert info.value.version == migrate.SCHEMA_VERSION + 1
    (problem,) = case_store.list().errors
    assert problem.file == "newer.json" and "newer version" in problem.reason
    assert path.read_bytes() == raw


def test_the_three_read_errors_are_distinct() -> None:
    kinds = {CorruptCaseError, InvalidCaseError, NewerSchemaError}
    for kind in kinds:
        assert issubclass(kind, CaseError)
        assert not any(issubclass(kind, other) for other in kinds - {kind})


def test_older_schema_migrates_on_read_through_the_hook(
    case_store: CaseStore, new_case: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = _good_case_data(case_store, new_case)
    data.update(id="oud", schema_version=0, leerling=data.pop("pupil"))
    raw = json.dumps(data).encode()
    path = write_case_file(case_store.root, "oud.json", raw)
    with pytest.raises(InvalidCaseError, match="too old"):
        case_store.load("oud")

    def v0_to_v1(old: dict[str, Any]) -> dict[str, Any]:
        old["pupil"] = old.pop("leerling")
        return old

    monkeypatch.setitem(migrate.MIGRATIONS, 0, v0_to_v1)
    loaded = case_store.load("oud")
    assert loaded.pupil == "Leerling-042" and loaded.schema_version == migrate.SCHEMA_VERSION
    assert path.read_bytes() == raw
    assert "oud" in {c.id for c in case_store.list().cases}
    with case_store.open("oud", MENTOR) as s:
        s.set_notes("signalen", "x")
    assert json.loads(path.read_bytes())["schema_version"] == migrate.SCHEMA_VERSION


def test_migration_decorator_registers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(migrate, "MIGRATIONS", {})

    last = migrate.SCHEMA_VERSION - 1

    @migrate.migration(last)
    def step(data: dict[str, Any]) -> dict[str, Any]:
        return data

    assert dict(migrate.MIGRATIONS) == {last: step}
    assert migrate.migrate({"schema_version": last}, "f")["schema_version"] == last + 1


def test_a_version_1_case_opens_with_empty_answer_values(
    case_store: CaseStore, new_case: Case
) -> None:
    data = _good_case_data(case_store, new_case)
    data.update(id="versie1", schema_version=1)
    data["answers"] = {
        "vermoeden": {"value": "ja", "by": {"name": "Mentor Test", "role": "mentor"}}
    }
    write_case_file(case_store.root, "versie1.json", json.dumps(data).encode())
    loaded = case_store.load("versie1")
    assert loaded.schema_version == 2
    assert loaded.answers["vermoeden"].value == "ja"
    assert loaded.answers["vermoeden"].values == {}
    assert loaded.retain_until is None


# --- a flow that changed since the case began ------------------------------------------------


def test_case_with_answers_to_questions_the_flow_no_longer_has(
    case_store: CaseStore, new_case: Case, school_flow: Flow
) -> None:
    with case_store.open(new_case.id, MENTOR) as s:
        s.set_answer("vermoeden", "ja")
        s.set_answer("oude_vraag", "ja", justification="x")
    data = _good_case_data(case_store, new_case)
    data["flow"] = {"id": school_flow.id, "version": "0.9", "content_hash": "0" * 64}
    write_case_file(case_store.root, f"{new_case.id}.json", data)
    loaded = case_store.load(new_case.id)
    assert school_flow.question("oude_vraag") is None
    assert loaded.answers["oude_vraag"].value == "ja"
    routing = route(school_flow.routing, loaded.answer_values(), strict=False)
    assert routing.unknown == ("oude_vraag",)
    assert routing.path[0] == "vermoeden"
    with case_store.open(new_case.id, MENTOR) as s:
        s.set_answer("veiligheid", "nee")
    assert "oude_vraag" in case_store.load(new_case.id).answers


# --- sessions, values and the event log ------------------------------------------------------


def _events(case: Case) -> list[tuple[str, str, str, str]]:
    return [(e.by.name, e.action, e.target, e.detail) for e in case.events[1:]]


def test_each_change_saves_at_once_with_an_id_only_event(
    case_store: CaseStore, session: CaseSession
) -> None:
    session.set_answer("veiligheid", "ja", justification=SECRET)
    session.set_value("gesprek", "besproken", SECRET)
    session.set_notes("gesprek", SECRET)
    session.set_decision("melden", False, reason=SECRET)
    session.set_aftercare("evaluatie", note=SECRET)
    session.clear_answer("veiligheid")
    loaded = case_store.load(session.case.id)
    assert _events(loaded) == [
        (MENTOR.name, "answer", "veiligheid", "ja"),
        (MENTOR.name, "value", "gesprek.besproken", ""),
        (MENTOR.name, "notes", "gesprek", ""),
        (MENTOR.name, "decision", "melden", "nee"),
        (MENTOR.name, "aftercare", "evaluatie", "open"),
        (MENTOR.name, "clear_answer", "veiligheid", ""),
    ]
    events_json = json.dumps([e.model_dump(mode="json") for e in loaded.events])
    assert "Geheime" not in events_json


def test_unchanged_values_neither_save_nor_log(case_store: CaseStore, session: CaseSession) -> None:
    session.set_value("gesprek", "besproken", "tekst")
    session.set_answer("veiligheid", "ja", justification="j")
    session.set_decision("melden", True)
    session.set_position("gesprek", "besproken")
    path = case_store.path_of(session.case.id)
    before = (path.read_bytes(), os.stat(path).st_ino)
    session.set_value("gesprek", "besproken", "tekst")
    session.set_value("gesprek", "nooit", None)
    session.set_answer("veiligheid", "ja")
    session.set_answer("veiligheid", "ja", justification="j")
    session.set_decision("melden", True, reason="")
    session.set_notes("gesprek", "")
    session.clear_answer("vermoeden")
    session.set_position("gesprek", "besproken")
    assert (path.read_bytes(), os.stat(path).st_ino) == before


def test_repeated_edits_within_five_minutes_add_no_event(
    case_store: CaseStore, session: CaseSession, store_clock: Clock
) -> None:
    for text in ("V", "Vo", "Vos"):
        session.set_value("gesprek", "besproken", text)
        store_clock.advance(seconds=20)
    assert case_store.load(session.case.id).steps["gesprek"].values["besproken"] == "Vos"
    store_clock.advance(minutes=5)
    session.set_value("gesprek", "besproken", "Vos.")
    other = CaseSession(case_store, session.case, OTHER, lock=session._lock)
    other.set_value("gesprek", "besproken", "Vos!")
    loaded = case_store.load(session.case.id)
    assert _events(loaded) == [
        (MENTOR.name, "value", "gesprek.besproken", ""),
        (MENTOR.name, "value", "gesprek.besproken", ""),
        (OTHER.name, "value", "gesprek.besproken", ""),
    ]
    assert loaded.updated_at == store_clock.at and loaded.updated_by == OTHER


def test_a_different_option_is_a_new_event_even_within_five_minutes(
    case_store: CaseStore, session: CaseSession, store_clock: Clock
) -> None:
    session.set_answer("veiligheid", "ja", meldnormen=["acuut"])
    session.set_answer("veiligheid", "ja", justification="typing")
    store_clock.advance(seconds=5)
    session.set_answer("veiligheid", "twijfel")
    loaded = case_store.load(session.case.id)
    assert [e.detail for e in loaded.events if e.action == "answer"] == ["ja", "twijfel"]
    answer = loaded.answers["veiligheid"]
    assert answer.justification == "typing" and answer.meldnormen is None


def test_position_is_saved_without_an_event(case_store: CaseStore, session: CaseSession) -> None:
    session.set_position("gesprek", "besproken")
    loaded = case_store.load(session.case.id)
    assert (loaded.position.step, loaded.position.focus) == ("gesprek", "besproken")
    assert len(loaded.events) == 1
    assert session.saved_at == loaded.updated_at


def test_values_must_be_json_shaped(session: CaseSession) -> None:
    for bad in (3, 1.5, {"a": "b"}, [1], [{"a": 1}], object(), datetime.now(UTC)):
        with pytest.raises(InvalidValueError):
            session.set_value("gesprek", "besproken", bad)
    for bad_id in ("", "met spatie", "a\nb", 5):
        with pytest.raises(InvalidValueError):
            session.set_value(bad_id, "x", "y")  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError):
        session.set_decision("anders", True)
    with pytest.raises(InvalidValueError):
        session.record("not an id")
    with pytest.raises(InvalidValueError):
        session.set_aftercare("evaluatie", due="morgen")
    with pytest.raises(InvalidValueError):
        session.set_aftercare("evaluatie", status="klaar")
    assert len(session.case.events) == 1


def test_clearing_a_value(case_store: CaseStore, session: CaseSession) -> None:
    session.set_value("gesprek", "datum", "2026-11-20")
    session.set_value("gesprek", "datum", None)
    assert "datum" not in case_store.load(session.case.id).steps["gesprek"].values


def test_aftercare_keeps_omitted_parts(case_store: CaseStore, session: CaseSession) -> None:
    session.set_aftercare("evaluatie", due=date(2026, 12, 1), who="OT")
    session.set_aftercare("evaluatie", status="gedaan")
    (item,) = case_store.load(session.case.id).aftercare
    assert (item.due, item.who, item.status.value) == (date(2026, 12, 1), "OT", "gedaan")


def test_read_only_and_closed_sessions_refuse_changes(
    case_store: CaseStore, new_case: Case
) -> None:
    reader = case_store.open(new_case.id, OTHER, read_only=True)
    assert reader.read_only and not (case_store.root / f"{new_case.id}.lock").exists()
    with pytest.raises(ReadOnlyError):
        reader.set_notes("signalen", "x")
    writer = case_store.open(new_case.id, MENTOR)
    writer.close()
    for change in (
        lambda s: s.set_answer("veiligheid", "ja"),
        lambda s: s.clear_answer("veiligheid"),
        lambda s: s.set_value("a", "b", "c"),
        lambda s: s.set_decision("melden", True),
        lambda s: s.set_aftercare("evaluatie", who="x"),
        lambda s: s.record("close", note="reden"),
        lambda s: s.set_position("a", "b"),
    ):
        with pytest.raises(ReadOnlyError):
            change(writer)
    assert case_store.load(new_case.id) == new_case


def test_a_session_that_fails_to_save_retries_on_the_next_change(
    case_store: CaseStore, session: CaseSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(*args: Any) -> int:
        raise OSError(errno.ENOSPC, "full")

    monkeypatch.setattr(atomic.os, "write", full)
    with pytest.raises(SaveError):
        session.set_notes("signalen", "typed while the disk was full")
    monkeypatch.undo()
    session.set_notes("signalen", "typed while the disk was full")
    assert case_store.load(session.case.id).steps["signalen"].notes.startswith("typed")
    assert not session.unsaved


# --- listing and the index -------------------------------------------------------------------


def test_summary_fields(case_store: CaseStore, case_flow_ref: FlowRef, store_clock: Clock) -> None:
    case = case_store.create(case_flow_ref, "Pseudoniem Vos", MENTOR, group="2A")
    with case_store.open(case.id, OTHER) as s:
        s.set_value("consultatie", "vt_geraadpleegd", "ja")
        s.set_aftercare("evaluatie", due=date.today() - timedelta(days=1))
        s.set_aftercare("informatie", due=date.today() - timedelta(days=3), status="gedaan")
        s.set_aftercare("juiste_plek", due=date.today() + timedelta(days=3))
    (summary,) = case_store.list().cases
    assert summary.id == case.id and summary.pupil == "Pseudoniem Vos" and summary.group == "2A"
    assert summary.status == "open" and summary.step == "consultatie"
    assert summary.updated_by == OTHER.name and summary.updated == store_clock.at.isoformat()
    assert summary.next_due == (date.today() - timedelta(days=1)).isoformat()
    assert summary.overdue
    assert set(summary.to_json()) >= {"id", "pupil", "status", "step", "updated"}


def test_files_changed_in_the_last_seconds_are_not_cached(
    case_store: CaseStore, new_case: Case
) -> None:
    assert [c.id for c in case_store.list().cases] == [new_case.id]
    assert not (case_store.root / index.INDEX_NAME).exists()


@pytest.fixture
def no_racy_window(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let the index cache files changed just now (the tests cannot wait two seconds)."""
    monkeypatch.setattr(index, "RACY_NS", -(10**12))


@pytest.mark.usefixtures("no_racy_window")
def test_index_is_used_refreshed_and_rebuildable(
    case_store: CaseStore, case_flow_ref: FlowRef, monkeypatch: pytest.MonkeyPatch
) -> None:
    cases = [case_store.create(case_flow_ref, f"Leerling-{i:03}", MENTOR) for i in range(5)]
    index_path = case_store.root / index.INDEX_NAME
    first = case_store.list()
    assert {c.id for c in first.cases} == {c.id for c in cases}
    assert index_path.exists() and stat.S_IMODE(os.stat(index_path).st_mode) == 0o600
    reads: list[str] = []
    real = index._read_item
    monkeypatch.setattr(
        index, "_read_item", lambda path, name, cid: reads.append(name) or real(path, name, cid)
    )
    assert case_store.list().cases == first.cases and reads == []
    with case_store.open(cases[0].id, MENTOR) as s:
        s.record("close", note="klaar")
    case_store.path_of(cases[1].id).unlink()
    listing = case_store.list()
    assert reads == [f"{cases[0].id}.json"]
    assert {c.id: c.status for c in listing.cases}[cases[0].id] == "gesloten"
    assert len(listing.cases) == 4
    index_path.write_bytes(b"\x00 broken index")
    reads.clear()
    assert case_store.list().cases == listing.cases and len(reads) == 4
    assert json.loads(index_path.read_bytes())["format"] == index.INDEX_FORMAT


@pytest.mark.usefixtures("no_racy_window")
def test_index_notices_a_file_restored_with_its_old_mtime(
    case_store: CaseStore, new_case: Case
) -> None:
    path = case_store.path_of(new_case.id)
    st = os.stat(path)
    assert case_store.list().cases[0].status == "open"
    raw = path.read_bytes()
    assert raw.count(b'"status":"open"') == 1
    with open(path, "r+b") as file:
        file.write(raw.replace(b'"status":"open"', b'"status":"hulp"'))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert os.stat(path).st_mtime_ns == st.st_mtime_ns and os.stat(path).st_ino == st.st_ino
    assert case_store.list().cases[0].status == "hulp"


def test_list_reports_odd_names_and_ignores_other_files(
    case_store: CaseStore, new_case: Case
) -> None:
    (case_store.root / "notes.txt").write_text("x")
    (case_store.root / "Kopie van zaak.json").write_text("{}")
    (case_store.root / "adir.json").mkdir()
    listing = case_store.list()
    assert [c.id for c in listing.cases] == [new_case.id]
    assert {e.file for e in listing.errors} == {"Kopie van zaak.json", "adir.json"}
    assert listing.to_json()["errors"][0].keys() == {"file", "reason"}


def test_list_of_a_missing_folder_is_empty(tmp_path: Path) -> None:
    listing = index.list_cases(tmp_path / "nothing")
    assert listing.cases == [] and listing.errors == []


def test_list_shows_who_holds_a_lock(case_store: CaseStore, new_case: Case) -> None:
    with case_store.open(new_case.id, MENTOR):
        assert case_store.list().cases[0].locked_by == MENTOR.name
    assert case_store.list().cases[0].locked_by is None


def test_case_package_imports_neither_textual_nor_pydantic_for_listing() -> None:
    import subprocess
    import sys

    code = (
        "import sys, meldcode_tui.case.index, meldcode_tui.case\n"
        "assert 'pydantic' not in sys.modules, 'pydantic'\n"
        "import meldcode_tui.case.store\n"
        "assert not [m for m in sys.modules if m.startswith('textual')], 'textual'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_a_linked_case_records_the_link_at_creation(tmp_path: Path) -> None:
    store = CaseStore(tmp_path / "zaken")
    actor = Actor(name="Zorgcoördinator Fictief", role="zorgcoördinator")
    ref = FlowRef(id="meldcode-school", version="1.0", content_hash="0" * 64)
    first = store.create(ref, "Leerling-042", actor)
    again = store.create(ref, "Leerling-042", actor, linked_case=first.id)
    loaded = store.load(again.id)
    assert loaded.linked_case == first.id
    assert [(e.action, e.target) for e in loaded.events][-1] == ("link", first.id)
