"""The guard of `meldcode serve`, against the real aiohttp app that textual-serve builds: no page,
static file or websocket without the per-run secret; Host and Origin checked; the session cookie
HttpOnly and SameSite=Strict; no app process for a refused request; nothing on the page loaded
from outside this computer.

textual-serve's `AppService` (which starts one app process per websocket) is replaced by a
recorder, so a test sees whether an app would have started without starting one."""

from __future__ import annotations

import logging
import re
import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from http.cookies import SimpleCookie
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestClient, TestServer

from meldcode_tui.commands import serve, serve_guard
from meldcode_tui.commands.serve_guard import Access, Guard, GuardedServer

TOKEN = "proef-token-0123456789abcdefghijklmnopqrstuvwxyz"
PASSWORD = "paard-batterij-nietje"
FOREIGN = "http://evil.example"


class RecordedApps:
    """Stands in for textual-serve's AppService: counts the apps that would have started."""

    started: list[str]

    def __init__(self) -> None:
        self.started = []

    def __call__(self, command: str, **kwargs: Any) -> RecordedApps:
        self.started.append(command)
        return self

    async def start(self, width: int, height: int) -> None:
        pass

    async def stop(self) -> None:
        pass


@pytest.fixture
def apps(monkeypatch: pytest.MonkeyPatch) -> RecordedApps:
    recorder = RecordedApps()
    monkeypatch.setattr("textual_serve.server.AppService", recorder)
    return recorder


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


Starter = Callable[..., Awaitable["TestClient[Any, Any]"]]


@pytest.fixture
async def start(apps: RecordedApps) -> AsyncIterator[Starter]:
    """Start the guarded server with the given access on a free local port; yields a client."""
    clients: list[TestClient[Any, Any]] = []

    async def starter(access: Access, secret: str = TOKEN) -> TestClient[Any, Any]:
        port = free_port()
        guard = Guard(f"http://127.0.0.1:{port}", access, secret)
        command = serve.app_command(demo=access is Access.OPEN, data_dir=None)
        server = GuardedServer(command, guard, host="127.0.0.1", port=port, title="Meldcode")
        server.failed_login_delay = 0
        client = TestClient(TestServer(await server._make_app(), port=port))
        await client.start_server()
        clients.append(client)
        return client

    yield starter
    for client in clients:
        await client.close()


def own_origin(client: TestClient[Any, Any]) -> str:
    return f"http://127.0.0.1:{client.port}"


async def log_in(client: TestClient[Any, Any]) -> None:
    response = await client.get(f"/?token={TOKEN}", allow_redirects=False)
    assert response.status == 303


async def websocket_status(client: TestClient[Any, Any], origin: str | None) -> int:
    """101 when the websocket was accepted, else the status of the refusal."""
    try:
        ws = await client.ws_connect("/ws?width=80&height=24", origin=origin)
    except aiohttp.WSServerHandshakeError as exc:
        return exc.status
    await ws.close()
    return 101


async def test_without_the_token_nothing_is_served_and_no_app_starts(
    start: Starter, apps: RecordedApps
) -> None:
    client = await start(Access.TOKEN)
    for path in ("/", "/static/js/textual.js", "/static/", "/download/abc"):
        response = await client.get(path)
        assert response.status == 401, path
        assert "case" not in (await response.text()).lower()
    assert await websocket_status(client, own_origin(client)) == 401
    assert apps.started == []


async def test_a_wrong_token_is_refused_without_a_cookie(
    start: Starter, apps: RecordedApps
) -> None:
    client = await start(Access.TOKEN)
    for wrong in ("", "x", TOKEN[:-1], TOKEN + "x", TOKEN.upper()):
        response = await client.get("/", params={"token": wrong}, allow_redirects=False)
        assert response.status == 401
        assert "Set-Cookie" not in response.headers
    assert len(client.session.cookie_jar) == 0
    assert await websocket_status(client, own_origin(client)) == 401
    assert apps.started == []


async def test_the_right_token_sets_a_strict_session_cookie_and_drops_the_token(
    start: Starter,
) -> None:
    client = await start(Access.TOKEN)
    response = await client.get(f"/?token={TOKEN}&fontsize=20", allow_redirects=False)

    assert response.status == 303
    assert response.headers["Location"] == "/?fontsize=20"
    raw = response.headers["Set-Cookie"]
    assert "HttpOnly" in raw and "SameSite=Strict" in raw and "Path=/" in raw
    cookie = SimpleCookie(raw)
    (morsel,) = cookie.values()
    assert morsel.key == f"meldcode-session-{client.port}"
    assert TOKEN not in morsel.value and len(morsel.value) >= 40
    assert "Max-Age" not in raw and "expires" not in raw.lower()  # gone with the browser

    page = await client.get("/")
    assert page.status == 200
    assert "Meldcode" in await page.text()
    assert (await client.get("/static/js/textual.js")).status == 200


async def test_an_unknown_session_value_is_refused(start: Starter) -> None:
    client = await start(Access.TOKEN)
    cookie = {f"meldcode-session-{client.port}": "geraden-waarde"}
    assert (await client.get("/", cookies=cookie)).status == 401


async def test_the_websocket_with_the_cookie_and_its_own_origin_starts_one_app(
    start: Starter, apps: RecordedApps
) -> None:
    client = await start(Access.TOKEN)
    await log_in(client)

    assert await websocket_status(client, own_origin(client)) == 101
    assert len(apps.started) == 1
    assert apps.started[0].endswith("--ask-actor")


@pytest.mark.parametrize("origin", [FOREIGN, "null", None, "http://localhost:{port}"])
async def test_the_websocket_from_another_origin_is_refused_even_with_the_cookie(
    start: Starter, apps: RecordedApps, origin: str | None
) -> None:
    client = await start(Access.TOKEN)
    await log_in(client)

    sent = origin.format(port=client.port) if origin else None
    assert await websocket_status(client, sent) == 403
    assert apps.started == []


@pytest.mark.parametrize(
    "host",
    [
        "evil.example",
        "evil.example:{port}",
        "localhost:{port}",
        "127.0.0.1:1",
        "127.0.0.1",
        "evil.example@127.0.0.1:{port}",
        "",
    ],
)
async def test_a_request_for_another_host_is_refused(
    start: Starter, apps: RecordedApps, host: str
) -> None:
    client = await start(Access.TOKEN)
    await log_in(client)
    headers = {"Host": host.format(port=client.port)}

    assert (await client.get("/", headers=headers)).status == 403
    assert (await client.get(f"/?token={TOKEN}", headers=headers)).status == 403
    assert (await client.get("/", headers={"Host": f"127.0.0.1:{client.port}"})).status == 200
    assert apps.started == []


async def test_a_post_from_another_origin_is_refused(start: Starter) -> None:
    client = await start(Access.PASSWORD, PASSWORD)
    for origin in (FOREIGN, None):
        headers = {"Origin": origin} if origin else {}
        response = await client.post(
            "/login", data={"password": PASSWORD}, headers=headers, allow_redirects=False
        )
        assert response.status == 403
        assert "Set-Cookie" not in response.headers


async def test_the_password_login_form(start: Starter, apps: RecordedApps) -> None:
    client = await start(Access.PASSWORD, PASSWORD)
    origin = {"Origin": own_origin(client)}

    form = await client.get("/")
    assert form.status == 401
    body = await form.text()
    assert 'type="password"' in body and 'action="/login"' in body
    assert (await client.get(f"/?token={PASSWORD}")).status == 401  # the password is no token
    assert (await client.get("/static/js/textual.js")).status == 401

    wrong = await client.post("/login", data={"password": "fout"}, headers=origin)
    assert wrong.status == 401
    assert "Onjuist wachtwoord" in await wrong.text()
    assert len(client.session.cookie_jar) == 0

    right = await client.post(
        "/login", data={"password": PASSWORD}, headers=origin, allow_redirects=False
    )
    assert right.status == 303 and right.headers["Location"] == "/"
    assert "SameSite=Strict" in right.headers["Set-Cookie"]
    assert PASSWORD not in right.headers["Set-Cookie"]
    assert (await client.get("/")).status == 200
    assert await websocket_status(client, own_origin(client)) == 101
    assert len(apps.started) == 1


async def test_the_demo_on_this_computer_is_open_but_checks_host_and_origin(
    start: Starter, apps: RecordedApps
) -> None:
    client = await start(Access.OPEN, "")

    assert (await client.get("/")).status == 200
    assert await websocket_status(client, own_origin(client)) == 101
    assert apps.started[0].endswith("--demo")
    assert await websocket_status(client, FOREIGN) == 403
    assert (await client.get("/", headers={"Host": "evil.example"})).status == 403
    assert len(apps.started) == 1


async def test_the_token_and_the_password_are_compared_in_constant_time(
    start: Starter, monkeypatch: pytest.MonkeyPatch
) -> None:
    compared: list[tuple[bytes, bytes]] = []
    real = serve_guard.hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        compared.append((a, b))
        return real(a, b)

    monkeypatch.setattr(serve_guard.hmac, "compare_digest", spy)
    client = await start(Access.TOKEN)
    await client.get("/?token=geraden")
    assert (b"geraden", TOKEN.encode()) in compared

    compared.clear()
    guard = Guard("http://127.0.0.1:8000", Access.PASSWORD, PASSWORD)
    assert guard.secret_matches(PASSWORD) and not guard.secret_matches("bijna")
    assert (b"bijna", PASSWORD.encode()) in compared


URL = re.compile(r"""(?:https?|wss?)://[^\s"'<>)]+""")


async def test_the_served_page_loads_nothing_from_outside_this_computer(start: Starter) -> None:
    client = await start(Access.TOKEN)
    await log_in(client)
    page = await (await client.get("/")).text()

    own = f"127.0.0.1:{client.port}"
    namespaces = set(re.findall(r'xmlns="([^"]+)"', page))  # names, never fetched
    urls = [url for url in URL.findall(page) if url not in namespaces]
    assert urls, "the page names its own static files"
    outside = [url for url in urls if url.split("/")[2] != own]
    assert outside == []
    assert "googleapis" not in page
    (font,) = re.findall(r'url\("([^"]+RobotoMono-VariableFont_wght\.ttf)"\)', page)
    assert (await client.get(font.split(own, 1)[1])).status == 200


def test_the_access_log_never_shows_the_token() -> None:
    record = logging.LogRecord(
        "aiohttp.access", logging.INFO, __file__, 1, f'"GET /?token={TOKEN}&x=1 HTTP/1.1"', (), None
    )
    assert serve_guard.RedactToken().filter(record)
    assert TOKEN not in record.getMessage()
    assert "token=…&x=1" in record.getMessage()


@pytest.mark.parametrize(
    ("public_url", "host", "allowed"),
    [
        ("http://127.0.0.1:8000", "127.0.0.1:8000", True),
        ("http://127.0.0.1:8000", "127.0.0.1:8001", False),
        ("http://127.0.0.1:8000", "localhost:8000", False),
        ("http://[::1]:8000", "[::1]:8000", True),
        ("http://School-Laptop.local:8000", "school-laptop.LOCAL:8000", True),
        ("http://meldcode.school.nl", "meldcode.school.nl", True),
        ("http://meldcode.school.nl", "meldcode.school.nl:80", True),
        ("https://meldcode.school.nl", "meldcode.school.nl:443", True),
        ("http://127.0.0.1:8000", "127.0.0.1:8000/x", False),
        ("http://127.0.0.1:8000", "127.0.0.1:notaport", False),
    ],
)
def test_host_header(public_url: str, host: str, allowed: bool) -> None:
    assert Guard(public_url, Access.OPEN).host_allowed(host) is allowed


def test_the_cookie_is_secure_behind_https() -> None:
    assert Guard("https://meldcode.school.nl", Access.TOKEN, TOKEN).secure_cookie
    assert not Guard("http://127.0.0.1:8000", Access.TOKEN, TOKEN).secure_cookie


@pytest.mark.parametrize(
    ("demo", "local", "password", "access"),
    [
        (True, True, "", Access.OPEN),
        (True, True, PASSWORD, Access.OPEN),
        (True, False, "", Access.TOKEN),
        (True, False, PASSWORD, Access.PASSWORD),
        (False, True, "", Access.TOKEN),
        (False, True, PASSWORD, Access.PASSWORD),
    ],
)
def test_which_access(demo: bool, local: bool, password: str, access: Access) -> None:
    assert serve_guard.choose_access(demo=demo, local=local, password=password) is access


def test_a_guard_needs_a_secret_unless_open() -> None:
    with pytest.raises(ValueError):
        Guard("http://127.0.0.1:8000", Access.TOKEN, "")
    with pytest.raises(ValueError):
        Guard("ftp://127.0.0.1", Access.OPEN)


async def test_the_served_page_is_dutch(start: Starter) -> None:
    client = await start(Access.TOKEN)
    await log_in(client)
    page = await (await client.get("/")).text()

    assert '<html lang="nl">' in page
    assert "<title>Meldcode</title>" in page
    assert ">De sessie is beëindigd.<" in page
    assert ">Opnieuw starten<" in page
    assert ">Starten<" in page
    visible = re.sub(r"<(script|style)\b.*?</\1>|<[^>]+>", " ", page, flags=re.DOTALL)
    for english in ("Session", "ended", "Restart", "Start", "Textual Application"):
        assert not re.search(rf"\b{english}\b", visible), english
