"""`meldcode serve`: the served page answers on a free local port, listening beyond this computer
warns that case data would be reachable from the network, and every browser session of real case
files asks who is acting instead of taking the server user's saved name.

The login, Host and Origin checks of the server are in tests/unit_tests/test_serve_auth.py."""

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
from typing import Any, ClassVar

import pytest
from driver import SIZE, read_case, ready, type_text
from textual.widgets import Input

from meldcode_tui.cli import build_parser
from meldcode_tui.commands import serve, serve_guard
from meldcode_tui.tui.app import make_app
from meldcode_tui.tui.screens.actor import ActorScreen
from meldcode_tui.tui.screens.home import HomeScreen

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
        except urllib.error.HTTPError:
            raise  # the server answered (a refusal is an answer): no waiting for another
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
    assert b"fonts.googleapis" not in body
    assert b"meldcode_tui --demo" in out
    assert f"http://127.0.0.1:{port}/\n".encode() in out  # open: no token in the address
    assert b"warning" not in err
    assert not (tmp_path / "real-data").exists()


def test_serve_on_real_cases_prints_a_token_and_refuses_without_it(tmp_path: Path) -> None:
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "meldcode_tui",
            "serve",
            "--data-dir",
            str(tmp_path),
            "--port",
            str(port),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        with pytest.raises(urllib.error.HTTPError) as refused:
            wait_for_page(f"http://127.0.0.1:{port}/", process)
    finally:
        process.terminate()
        out, _ = process.communicate(timeout=10)
    assert refused.value.code == 401
    (line,) = [x for x in out.decode().splitlines() if "?token=" in x]
    token = line.strip().removeprefix(f"http://127.0.0.1:{port}/?token=")
    assert len(token) >= 40
    assert b"--ask-actor" in out


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
    assert "not encrypted" in warning


class FakeServer:
    """Stands in for the guarded server: records how it was made, serves nothing."""

    started: ClassVar[list[dict[str, Any]]] = []

    def __init__(self, command: str, guard: Any, **kwargs: Any) -> None:
        self.started.append({"command": command, "guard": guard, **kwargs})

    def serve(self) -> None:
        self.started.append({"served": True})


@pytest.fixture
def fake_server(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    FakeServer.started = []
    monkeypatch.setattr("meldcode_tui.commands.serve_guard.GuardedServer", FakeServer)
    return FakeServer.started


def test_run_serve_prints_the_warning_before_serving(
    fake_server: list[dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    args = argparse.Namespace(
        demo=True, host="0.0.0.0", port=8080, public_url="http://192.168.1.20:8080"
    )

    assert serve.run_serve(args) == 0

    err = capsys.readouterr().err
    assert err.startswith("meldcode: warning: serving on 0.0.0.0, port 8080")
    assert fake_server[0]["host"] == "0.0.0.0" and fake_server[0]["port"] == 8080
    assert str(fake_server[0]["command"]).endswith("-m meldcode_tui --demo")
    guard = fake_server[0]["guard"]
    assert guard.access is serve_guard.Access.TOKEN  # the demo on the network is not open
    assert guard.public_url == "http://192.168.1.20:8080"
    assert "?token=" in fake_server[0]["announcement"]
    assert fake_server[1] == {"served": True}


def test_all_addresses_need_the_public_url(
    fake_server: list[dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    args = argparse.Namespace(demo=True, host="0.0.0.0", port=8123, public_url=None)

    assert serve.run_serve(args) == 2

    assert "--public-url http://<this computer's address>:8123" in capsys.readouterr().err
    assert fake_server == []


def test_a_public_url_must_be_http(
    fake_server: list[dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    args = argparse.Namespace(demo=True, host="127.0.0.1", port=8000, public_url="ftp://x")

    assert serve.run_serve(args) == 2
    assert "must be an http:// or https:// address" in capsys.readouterr().err
    assert fake_server == []


def test_the_password_comes_from_the_environment_and_leaves_it(
    fake_server: list[dict[str, Any]],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv(serve.PASSWORD_ENV, "paard-batterij-nietje")
    args = argparse.Namespace(host="127.0.0.1", port=8000, public_url=None, data_dir=tmp_path)

    assert serve.run_serve(args) == 0

    guard = fake_server[0]["guard"]
    assert guard.access is serve_guard.Access.PASSWORD
    assert guard.secret_matches("paard-batterij-nietje")
    assert serve.PASSWORD_ENV not in os.environ  # no app process inherits it
    assert "paard-batterij-nietje" not in fake_server[0]["announcement"]
    assert "paard-batterij-nietje" not in capsys.readouterr().out
    assert fake_server[0]["command"].endswith("--ask-actor")


def test_the_demo_on_this_computer_is_open(fake_server: list[dict[str, Any]]) -> None:
    args = argparse.Namespace(demo=True, host="127.0.0.1", port=8000, public_url=None)

    assert serve.run_serve(args) == 0

    assert fake_server[0]["guard"].access is serve_guard.Access.OPEN


def refuse_to_serve(self: object) -> None:
    raise AssertionError("the test must not start a server")


def test_serve_without_textual_serve_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # as on an install without the serve extra: the guard is not loaded, textual-serve is absent
    monkeypatch.delitem(sys.modules, "meldcode_tui.commands.serve_guard", raising=False)
    monkeypatch.delattr("meldcode_tui.commands.serve_guard", raising=False)
    monkeypatch.setitem(sys.modules, "textual_serve.server", None)
    monkeypatch.setattr(serve_guard.GuardedServer, "serve", refuse_to_serve)
    args = argparse.Namespace(demo=True, host="127.0.0.1", port=8000, public_url=None)

    assert serve.run_serve(args) == 1
    assert 'pip install "meldcode-tui[serve]"' in capsys.readouterr().err


def test_the_app_command_names_the_data_folder_and_asks_who_acts(tmp_path: Path) -> None:
    folder = tmp_path / "team map"
    command = serve.app_command(demo=False, data_dir=folder)
    assert command.startswith(sys.executable)
    assert command.endswith(f"-m meldcode_tui --data-dir '{folder}' --ask-actor")
    assert serve.app_command(demo=True, data_dir=folder).endswith("-m meldcode_tui --demo")


def test_the_ask_actor_flag_reaches_the_app_and_stays_out_of_the_help() -> None:
    parser = build_parser()
    args = parser.parse_args(["--data-dir", "x", "--ask-actor"])
    assert args.ask_actor is True
    assert "--ask-actor" not in parser.format_help()


async def test_a_served_session_asks_who_acts_and_the_timeline_names_them(
    data_dir: Path, tmp_path: Path, known_user: None
) -> None:
    prefs_file = tmp_path / "config" / "prefs.json"
    saved = prefs_file.read_text()
    app = make_app(data_dir=data_dir, ask_actor=True)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert isinstance(app.screen, ActorScreen)
        assert app.screen.query_one("#actor-name", Input).value == ""  # not the server's user
        await type_text(pilot, "Juf Proef")
        await pilot.press("tab", "down", "down", "enter")  # Teamleider from the role list
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen)
        assert home.query_one("#name", Input).value == "Juf Proef"
        assert home.query_one("#role", Input).value == "Teamleider"
        home.query_one("#pupil", Input).focus()
        await type_text(pilot, "Leerling-007")
        await pilot.press("tab")
        await type_text(pilot, "3A")
        await pilot.press("enter", "enter", "enter")
        await pilot.pause()
        await pilot.pause()
    events = read_case(data_dir)["events"]
    assert events and {e["by"]["name"] for e in events} == {"Juf Proef"}
    assert events[0]["by"]["role"] == "Teamleider"
    assert prefs_file.read_text() == saved


async def test_without_the_flag_the_saved_name_is_used(data_dir: Path, known_user: None) -> None:
    app = make_app(data_dir=data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert app.screen.query_one("#name", Input).value == "Mentor Jansen"


def test_ipv6_public_url() -> None:
    assert serve.public_url("::1", 8000) == "http://[::1]:8000"
    assert serve.public_url("127.0.0.1", 80) == "http://127.0.0.1:80"
