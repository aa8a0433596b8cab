"""`meldcode cases export ID -o FILE`: a new regular file only, replaced only with `--force`,
written atomically and 0600; what an export killed halfway and a killed demo leave behind is
removed at the next start. Fictitious data only.
"""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from meldcode_tui import leftovers
from meldcode_tui.case import atomic, outfile
from meldcode_tui.case.model import Actor, FlowRef
from meldcode_tui.case.store import CaseStore
from meldcode_tui.flow.validate import load_flow
from meldcode_tui.locations import default_flow_path

MENTOR = Actor(name="Mentor Bakker", role="mentor")
posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX file types and signals")


def meldcode(data_dir: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "meldcode_tui", "--data-dir", str(data_dir), "cases", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
        check=False,
    )


@pytest.fixture
def case(tmp_path: Path) -> tuple[Path, str]:
    store = CaseStore(tmp_path / "zaken")
    created = store.create(FlowRef.of(load_flow(default_flow_path())), "Leerling-042", MENTOR)
    return store.root, created.id


def hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def dead_pid() -> int:
    """The pid of a process that has ended (and was reaped)."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


# --- what -o accepts and refuses ---------------------------------------------------------------


def test_an_existing_file_is_replaced_only_with_force(
    case: tuple[Path, str], tmp_path: Path
) -> None:
    data_dir, case_id = case
    target = tmp_path / "dossier.md"
    target.write_text("eerdere export", encoding="utf-8")

    refused = meldcode(data_dir, "export", case_id, "-o", str(target))
    assert refused.returncode == 1
    assert refused.stderr == (
        f"meldcode: cannot write {target}: the file already exists; use --force to replace it\n"
    )
    assert target.read_text(encoding="utf-8") == "eerdere export"

    forced = meldcode(data_dir, "export", case_id, "-o", str(target), "--force")
    assert forced.returncode == 0, forced.stderr
    assert target.read_text(encoding="utf-8").startswith("# Meldcode — Leerling-042")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600 or os.name != "posix"
    assert hidden(tmp_path) == []


def test_a_folder_is_refused_even_with_force(case: tuple[Path, str], tmp_path: Path) -> None:
    data_dir, case_id = case
    folder = tmp_path / "map"
    folder.mkdir()
    result = meldcode(data_dir, "export", case_id, "-o", str(folder), "--force")
    assert result.returncode == 1
    assert result.stderr == f"meldcode: cannot write {folder}: it is a folder\n"
    assert list(folder.iterdir()) == [] and hidden(tmp_path) == []


@posix_only
def test_a_symbolic_link_is_refused_and_its_target_untouched(
    case: tuple[Path, str], tmp_path: Path
) -> None:
    data_dir, case_id = case
    elsewhere = tmp_path / "elders.txt"
    elsewhere.write_text("niet van ons", encoding="utf-8")
    link = tmp_path / "dossier.md"
    link.symlink_to(elsewhere)
    for extra in ((), ("--force",)):
        result = meldcode(data_dir, "export", case_id, "-o", str(link), *extra)
        assert result.returncode == 1
        assert "it is a symbolic link; name the file itself" in result.stderr
    assert link.is_symlink() and elsewhere.read_text(encoding="utf-8") == "niet van ons"


@posix_only
@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_a_pipe_or_device_is_refused_without_waiting(
    case: tuple[Path, str], tmp_path: Path, kind: str
) -> None:
    data_dir, case_id = case
    if kind == "fifo":
        target = tmp_path / "pijp"
        os.mkfifo(target)
    else:
        target = Path("/dev/null")
    for extra in ((), ("--force",)):
        result = meldcode(data_dir, "export", case_id, "-o", str(target), *extra, timeout=20)
        assert result.returncode == 1
        assert result.stderr == (
            f"meldcode: cannot write {target}: it is not a regular file (a pipe, device or "
            "socket)\n"
        )
    assert hidden(tmp_path) == []


def test_a_file_that_appears_meanwhile_is_not_overwritten(tmp_path: Path) -> None:
    """The name is given by a hard link, which fails when the name exists by then."""
    target = tmp_path / "dossier.md"
    real_link = os.link

    def someone_else_first(src: object, dst: object) -> None:
        target.write_text("van iemand anders", encoding="utf-8")
        real_link(src, dst)  # type: ignore[arg-type]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(outfile.os, "link", someone_else_first)
        with pytest.raises(outfile.ExportTargetError, match="already exists"):
            outfile.write_export(target, b"export")
    assert target.read_text(encoding="utf-8") == "van iemand anders"
    assert hidden(tmp_path) == []


def test_without_hard_links_the_rename_still_refuses_an_existing_file(tmp_path: Path) -> None:
    def no_links(src: object, dst: object) -> None:
        raise OSError(1, "Operation not permitted")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(outfile.os, "link", no_links)
        outfile.write_export(tmp_path / "nieuw.md", b"export")
        (tmp_path / "bestaat.md").write_text("oud", encoding="utf-8")
        with pytest.raises(outfile.ExportTargetError):
            outfile.write_export(tmp_path / "bestaat.md", b"export")
    assert (tmp_path / "nieuw.md").read_bytes() == b"export"
    assert (tmp_path / "bestaat.md").read_text(encoding="utf-8") == "oud"
    assert hidden(tmp_path) == []


def test_a_finished_export_leaves_no_journal_entry(
    case: tuple[Path, str], tmp_path: Path, private_log_dir: Path
) -> None:
    data_dir, case_id = case
    assert meldcode(data_dir, "export", case_id, "-o", str(tmp_path / "d.md")).returncode == 0
    journal = private_log_dir / "exports"
    assert journal.is_dir() and list(journal.iterdir()) == []
    assert stat.S_IMODE(journal.stat().st_mode) == 0o700 or os.name != "posix"


# --- leftovers of killed processes ------------------------------------------------------------

KILLED_EXPORT = """
import os, sys, time
from pathlib import Path
from meldcode_tui.case import outfile

def stall(fd):
    print("writing", flush=True)
    time.sleep(60)

outfile.os.fsync = stall
outfile.write_export(Path(sys.argv[1]), b"half an export")
"""


@posix_only
def test_an_export_killed_halfway_is_cleaned_up_at_the_next_start(
    case: tuple[Path, str], tmp_path: Path, private_log_dir: Path
) -> None:
    data_dir, case_id = case
    out = tmp_path / "uit"
    out.mkdir()
    child = subprocess.Popen(
        [sys.executable, "-c", KILLED_EXPORT, str(out / "dossier.md")],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None and child.stdout.readline() == "writing\n"
    child.send_signal(signal.SIGKILL)
    child.wait()
    (temp,) = hidden(out)
    assert temp.startswith(".dossier.md.") and temp.endswith(".tmp")  # as killed, half written
    assert len(list((private_log_dir / "exports").iterdir())) == 1
    innocent = out / ".dossier.md.notes.tmp"  # hidden and .tmp, but not one of our names
    innocent.write_text("van de gebruiker")

    result = meldcode(data_dir, "export", case_id)  # the next start
    assert result.returncode == 0, result.stderr
    assert hidden(out) == [innocent.name]
    assert list((private_log_dir / "exports").iterdir()) == []
    assert not (out / "dossier.md").exists()


def test_an_export_of_a_running_process_is_left_alone(tmp_path: Path) -> None:
    out = tmp_path / "uit"
    out.mkdir()
    journal = outfile.journal_folder()
    journal.mkdir(parents=True)
    running = os.getppid()  # alive, and not this process
    temp = out / f".d.md.{atomic.host_tag()}.{running}.0123abcd.tmp"
    temp.write_text("bezig")
    (journal / f"{atomic.host_tag()}.{running}.0123abcd.export").write_bytes(os.fsencode(temp))
    gone = dead_pid()
    stale = out / f".e.md.{atomic.host_tag()}.{gone}.89abcdef.tmp"
    stale.write_text("half")
    (journal / f"{atomic.host_tag()}.{gone}.89abcdef.export").write_bytes(os.fsencode(stale))

    assert outfile.remove_interrupted_exports() == (1 if os.name == "posix" else 0)
    assert temp.exists()
    assert stale.exists() == (os.name != "posix")
    later = time.time() + atomic.STALE_TEMP_SECONDS + 60
    assert outfile.remove_interrupted_exports(now=later) >= 1  # nothing lives that long
    assert not temp.exists() and list(journal.iterdir()) == []


def demo_folder(parent: Path, host: str, pid: int) -> Path:
    folder = parent / f"{leftovers.DEMO_PREFIX}{host}.{pid}.abc123"
    folder.mkdir()
    (folder / "demo-1-signalen.json").write_text("{}")
    return folder


def test_demo_folders_of_gone_processes_are_removed(tmp_path: Path) -> None:
    host = atomic.host_tag()
    gone = demo_folder(tmp_path, host, dead_pid())
    running = demo_folder(tmp_path, host, os.getppid())
    own = demo_folder(tmp_path, host, os.getpid())
    other_host = demo_folder(tmp_path, "andere-laptop", dead_pid())
    old_style = tmp_path / "meldcode-demo-abc123"
    old_style.mkdir()

    removed = leftovers.remove_orphaned_demo_folders(tmp_path)

    assert removed == (1 if os.name == "posix" else 0)
    assert gone.exists() == (os.name != "posix")
    assert running.exists() and own.exists() and other_host.exists() and old_style.exists()
    a_week_later = time.time() + leftovers.DEMO_STALE_SECONDS + 60
    leftovers.remove_orphaned_demo_folders(tmp_path, now=a_week_later)
    assert not other_host.exists() and not running.exists()
    assert old_style.exists()


def test_a_demo_folder_carries_host_and_pid(monkeypatch: pytest.MonkeyPatch) -> None:
    from meldcode_tui.demo.seed import demo_data_dir

    with demo_data_dir() as root:
        assert root.name.startswith(f"meldcode-demo.{atomic.host_tag()}.{os.getpid()}.")
        assert leftovers.remove_orphaned_demo_folders(root.parent) == 0
        assert root.exists()
    assert not root.exists()


def test_the_app_start_tidies_up_beside_the_app(monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    from meldcode_tui import cli

    tidied = threading.Event()
    monkeypatch.setattr(leftovers, "remove_leftovers", tidied.set)
    monkeypatch.setattr("meldcode_tui.tui.app.run", lambda **kwargs: 0)
    assert cli.main([]) == 0
    assert tidied.wait(timeout=10)
