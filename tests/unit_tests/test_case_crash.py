"""Crash safety: a child process saving in a loop is SIGKILLed at random moments; after every kill
the case file loads and holds every save the child reported as done.

The child is forked from a `python -c` server that has imported the store once, so a kill costs
milliseconds instead of an interpreter start-up.

The normal run kills 100 times; `pytest -m reliability` kills `MELDCODE_CRASH_KILLS` (default 1000)
times with a fresh seed.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import IO

import pytest

from meldcode_tui.case import atomic
from meldcode_tui.case.model import Actor, FlowRef
from meldcode_tui.case.store import CaseStore

KILLS = 100
KILLS_ENV = "MELDCODE_CRASH_KILLS"
EARLY_KILLS = 0.15
"""Share of kills aimed at the moment the child takes over the dead child's lock."""

SERVER = r"""
import os, sys, time
from meldcode_tui.case.model import Actor
from meldcode_tui.case.store import CaseStore

def say(line):
    os.write(1, (line + "\n").encode())

def work(store, case_id):
    deadline = time.monotonic() + 30
    while True:
        session = store.open(case_id, Actor(name="Kind"))
        if not session.read_only:
            break
        session.close()
        if time.monotonic() > deadline:
            say("error: the lock was never free")
            return
        time.sleep(0.01)
    record = session.case.steps.get("crash")
    done = list(record.values["done"]) if record else []
    say("ready")
    while True:
        done.append(str(len(done)))
        session.set_value("crash", "done", list(done))
        say("ack " + done[-1])

store = CaseStore(sys.argv[1])
for command in sys.stdin:
    if command != "go\n":
        break
    pid = os.fork()
    if pid == 0:
        try:
            work(store, sys.argv[2])
        finally:
            os._exit(1)
    say(f"pid {pid}")
    sys.stdin.readline()
    _, status = os.waitpid(pid, 0)
    say(f"reaped {os.WTERMSIG(status) if os.WIFSIGNALED(status) else -1}")
"""
"""Imports once, then forks one saving worker per "go"; its output shares the server's stdout, and
"reaped" comes after everything the worker wrote."""


def saved_counts(store: CaseStore, case_id: str) -> list[str]:
    record = store.load(case_id).steps.get("crash")
    return list(record.values["done"]) if record else []  # type: ignore[arg-type]


def next_line(stream: IO[str]) -> str:
    line = stream.readline()
    assert line, "the crash-test server died"
    assert not line.startswith("error"), line
    return line


def run_kills(root: Path, kills: int, seed: int) -> None:
    """Fork a worker, let it save for a random moment (or kill it while it takes over the dead
    worker's lock), SIGKILL it, and check the file against the saves it acknowledged."""
    rng = random.Random(seed)
    store = CaseStore(root)
    flow = FlowRef(id="f", version="1", content_hash="h")
    case_id = store.create(flow, "Leerling-042", Actor(name="Mentor Bakker")).id
    server = subprocess.Popen(
        [sys.executable, "-c", SERVER, str(root), case_id],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert server.stdin is not None and server.stdout is not None
    acknowledged = -1
    saved: list[str] = []
    try:
        for kill in range(kills):
            server.stdin.write("go\n")
            server.stdin.flush()
            lines = [next_line(server.stdout)]
            if rng.random() >= EARLY_KILLS:
                while "ready\n" not in lines:
                    lines.append(next_line(server.stdout))
                time.sleep(rng.uniform(0.0, 0.03))
            else:
                time.sleep(rng.uniform(0.0, 0.003))
            while not any(line.startswith("pid ") for line in lines):
                lines.append(next_line(server.stdout))
            pid = next(int(line.split()[1]) for line in lines if line.startswith("pid "))
            os.kill(pid, signal.SIGKILL)
            server.stdin.write("reap\n")
            server.stdin.flush()
            while not lines[-1].startswith("reaped"):
                lines.append(next_line(server.stdout))
            assert lines[-1] == f"reaped {signal.SIGKILL}\n", f"kill {kill}: {lines}"
            acks = [int(line.split()[1]) for line in lines if line.startswith("ack ")]
            if acks:
                acknowledged = acks[-1]
            before = saved
            saved = saved_counts(store, case_id)
            assert saved == [str(i) for i in range(len(saved))], f"kill {kill}: saves out of order"
            assert len(saved) - 1 >= acknowledged, f"kill {kill}: a reported save was lost"
            assert len(saved) >= len(before), f"kill {kill}: the file went back in time"
    finally:
        server.communicate(input="stop\n", timeout=30)
    assert acknowledged > kills, "the workers hardly saved: the test did not test much"
    store.list()
    assert [n for n in os.listdir(root) if atomic.is_temp_name(n)] == []
    assert store.lock_holder(case_id) is None


def test_sigkill_during_saves_never_loses_a_reported_save(tmp_path: Path) -> None:
    run_kills(tmp_path / "cases", KILLS, seed=20261124)


@pytest.mark.reliability
def test_sigkill_during_saves_many_times(tmp_path: Path) -> None:
    seed = int(time.time())
    print(f"crash test seed {seed}")
    run_kills(tmp_path / "cases", int(os.environ.get(KILLS_ENV, "1000")), seed=seed)
