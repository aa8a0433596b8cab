"""`meldcode serve`: the served page answers on a free local port, and listening beyond this
computer warns that case data would be reachable from the network."""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from meldcode_tui.commands import serve

START_TIMEOUT = 20.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_page(url: str, process: subprocess.Popen[bytes]) -> tuple[int, bytes]:
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.status, response.read()
        except (urllib.error.URLError, ConnectionError):
            if process.poll() is not None or time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_serve_demo_answers_on_a_local_port(tmp_path: Path) -> None:
    port = free_port()
    env = os.environ | {"MELDCODE_DATA_DIR": str(tmp_path / "real-data")}
    process = subprocess.Popen(
        [sys.executable, "-m", "meldcode_tui", "serve", "--demo", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    try:
        status, body = wait_for_page(f"http://127.0.0.1:{port}/", process)
    finally:
        process.terminate()
        out, err = process.communicate(timeout=10)
    assert status == 200
    assert b"Meldcode (demo)" in body
    assert f"ws://127.0.0.1:{port}/ws".encode() in body
    assert b"meldcode_tui --demo" in out
    assert b"warning" not in err
    assert not (tmp_path / "real-data").exists()


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "LOCALHOST", "::1", "127.0.0.2"])
def test_no_warning_on_this_computer(host: str) -> None:
    assert serve.is_local(host)
    assert serve.network_warning(host, 8000, demo=False) is None


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.20", "school-laptop.local"])
def test_warning_for_a_network_address(host: str) -> None:
    warning = serve.network_warning(host, 8000, demo=False)
    assert warning is not None
    assert "anyone who can reach this computer over the network" in warning
    assert "case files" in warning


def test_the_demo_warning_names_the_demo_cases() -> None:
    warning = serve.network_warning("0.0.0.0", 8123, demo=True)
    assert warning is not None
    assert "fictitious demo cases" in warning
    assert "--public-url http://<this computer's address>:8123" in warning


def test_run_serve_prints_the_warning_before_serving(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    started: list[dict[str, object]] = []

    class FakeServer:
        def __init__(self, command: str, **kwargs: object) -> None:
            started.append({"command": command, **kwargs})

        def serve(self) -> None:
            started.append({"served": True})

    monkeypatch.setattr("textual_serve.server.Server", FakeServer)
    args = argparse.Namespace(demo=True, host="0.0.0.0", port=8080, public_url=None)

    assert serve.run_serve(args) == 0

    err = capsys.readouterr().err
    assert err.startswith("meldcode: warning: serving on 0.0.0.0, port 8080")
    assert started[0]["host"] == "0.0.0.0" and started[0]["port"] == 8080
    assert str(started[0]["command"]).endswith("-m meldcode_tui --demo")
    assert started[1] == {"served": True}


def test_serve_without_textual_serve_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "textual_serve.server", None)
    args = argparse.Namespace(demo=True, host="127.0.0.1", port=8000, public_url=None)

    assert serve.run_serve(args) == 1
    assert 'pip install "meldcode-tui[serve]"' in capsys.readouterr().err


def test_the_app_command_names_the_data_folder(tmp_path: Path) -> None:
    folder = tmp_path / "team map"
    command = serve.app_command(demo=False, data_dir=folder)
    assert command.startswith(sys.executable)
    assert command.endswith(f"-m meldcode_tui --data-dir '{folder}'")
    assert serve.app_command(demo=True, data_dir=folder).endswith("-m meldcode_tui --demo")


def test_ipv6_public_url() -> None:
    assert serve.public_url("::1", 8000) == "http://[::1]:8000"
    assert serve.public_url("127.0.0.1", 80) == "http://127.0.0.1:80"
