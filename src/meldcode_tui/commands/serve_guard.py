"""The guard in front of `meldcode serve`: who may open the served app, and from which page.

textual-serve's `Server` is an aiohttp app that starts one app process per websocket. The
`GuardedServer` subclass puts one middleware in front of every route it has (the page, the static
files, downloads and the websocket), in the way jupyter-server guards its handlers:

- Host: every request must name the server's own public address (against DNS rebinding).
- Origin: a request that carries an Origin must come from that address, and the websocket
  upgrade and every POST must carry one (against other web pages driving the app).
- Access: real case files are served only to a browser holding a session cookie, which it gets
  by proving the per-run secret: the token in the address printed at start, or the password from
  `$MELDCODE_SERVE_PASSWORD` on a small login form. The secret is compared in constant time; the
  cookie holds a random session value (never the secret) and is HttpOnly and SameSite=Strict.
  The demo on this computer is open (`Access.OPEN`), but Host and Origin are still checked.

A refused request is answered with 401 or 403 before any route's handler runs, so no app process
starts for it. The page is our own copy of textual-serve's template (`serve_page/app_index.html`):
in Dutch ("De sessie is beëindigd", "Opnieuw starten" where it says "Session ended", "Restart"),
and loading nothing from outside this computer (textual-serve's links a web font on a public
server; ours serves the same font from textual-serve's own static files).
"""

from __future__ import annotations

import asyncio
import enum
import hmac
import html
import logging
import re
import secrets
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlencode, urlsplit

from aiohttp import hdrs, web
from textual_serve.server import Server

TOKEN_PARAM = "token"
LOGIN_PATH = "/login"
PASSWORD_FIELD = "password"
FAILED_LOGIN_DELAY = 1.0
SAFE_METHODS = frozenset({"GET", "HEAD"})
DEFAULT_PORTS = {"http": 80, "https": 443}
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": "frame-ancestors 'none'",
}
PAGE_TEMPLATES = Path(__file__).with_name("serve_page")
"""The folder of the served page's template, in place of textual-serve's own."""

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
Middleware = Callable[
    [web.Request, Handler], Awaitable[web.StreamResponse]
]  # aiohttp: the same shape

log = logging.getLogger("meldcode.serve")


class Access(enum.Enum):
    """What a browser must prove before the app starts for it."""

    OPEN = "open"
    TOKEN = "token"
    PASSWORD = "password"


def choose_access(*, demo: bool, local: bool, password: str) -> Access:
    """Only the demo on this computer is open; anything else needs the password, if one is set,
    else the token."""
    if demo and local:
        return Access.OPEN
    return Access.PASSWORD if password else Access.TOKEN


def new_token() -> str:
    return secrets.token_urlsafe(32)


class Address(NamedTuple):
    scheme: str
    host: str
    port: int


def parse_address(url: str) -> Address | None:
    """Scheme, host and port of an http(s) URL or an Origin, or None when it is not one."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname or "@" in parts.netloc:
        return None
    return Address(scheme, parts.hostname.lower(), port or DEFAULT_PORTS[scheme])


class Guard:
    """The rules for one run of the server: its address, its secret and its sessions."""

    def __init__(self, public_url: str, access: Access, secret: str = "") -> None:
        address = parse_address(public_url)
        if address is None:
            raise ValueError(f"not an http(s) address: {public_url!r}")
        if access is not Access.OPEN and not secret:
            raise ValueError("a token or password is needed")
        self.public_url = public_url.rstrip("/")
        self.address = address
        self.access = access
        self._secret = secret.encode("utf-8")
        self._sessions: list[bytes] = []
        self.cookie_name = f"meldcode-session-{address.port}"
        self.secure_cookie = address.scheme == "https"

    def host_allowed(self, host: str) -> bool:
        """The Host header names this server's public address (and nothing else)."""
        if not host or any(c in host for c in "/?#@\\ "):
            return False
        return parse_address(f"{self.address.scheme}://{host}") == self.address

    def origin_allowed(self, origin: str) -> bool:
        return parse_address(origin) == self.address

    def secret_matches(self, presented: str) -> bool:
        return hmac.compare_digest(presented.encode("utf-8", "replace"), self._secret)

    def open_session(self) -> str:
        value = secrets.token_urlsafe(32)
        self._sessions.append(value.encode("ascii"))
        return value

    def has_session(self, value: str | None) -> bool:
        if not value:
            return False
        presented = value.encode("utf-8", "replace")
        return any([hmac.compare_digest(presented, known) for known in self._sessions])

    def start_url(self) -> str:
        """The address to open: with the token when the token is the key."""
        if self.access is Access.TOKEN:
            return f"{self.public_url}/?{urlencode({TOKEN_PARAM: self._secret.decode()})}"
        return f"{self.public_url}/"

    def set_session_cookie(self, response: web.StreamResponse) -> None:
        response.set_cookie(
            self.cookie_name,
            self.open_session(),
            path="/",
            httponly=True,
            samesite="Strict",
            secure=self.secure_cookie or None,
        )


def is_upgrade(request: web.Request) -> bool:
    return request.headers.get(hdrs.UPGRADE, "").lower() == "websocket" or request.path == "/ws"


def guard_middleware(guard: Guard) -> Middleware:
    """Host and Origin first, then the secret; the route's handler runs only after both."""

    @web.middleware
    async def guard_requests(request: web.Request, handler: Handler) -> web.StreamResponse:
        if not guard.host_allowed(request.host):
            log.warning("refused a request for another host")
            return page(403, "Onbekend adres", REFUSED_HOST)
        origin = request.headers.get(hdrs.ORIGIN)
        needs_origin = request.method not in SAFE_METHODS or is_upgrade(request)
        if (origin is None and needs_origin) or (
            origin is not None and not guard.origin_allowed(origin)
        ):
            log.warning("refused a request from another page (Origin)")
            return page(403, "Geweigerd", REFUSED_ORIGIN)
        if guard.access is not Access.OPEN:
            refusal = await _check_access(guard, request)
            if refusal is not None:
                return refusal
        response = await handler(request)
        if not response.prepared:
            response.headers.update(SECURITY_HEADERS)
        return response

    return guard_requests


async def _check_access(guard: Guard, request: web.Request) -> web.StreamResponse | None:
    """None when the request may go on; else the answer: a redirect that sets the session
    cookie after a right token, or a refusal (with the login form where it belongs)."""
    if guard.access is Access.TOKEN and TOKEN_PARAM in request.query:
        if request.method not in SAFE_METHODS or not guard.secret_matches(
            request.query[TOKEN_PARAM]
        ):
            return page(401, "Geen toegang", BAD_TOKEN)
        rest = [(key, value) for key, value in request.query.items() if key != TOKEN_PARAM]
        response = see_other("/?" + urlencode(rest) if rest else "/")
        guard.set_session_cookie(response)
        return response
    if guard.access is Access.PASSWORD and request.path == LOGIN_PATH:
        return None if request.method == "POST" else see_other("/")
    if guard.has_session(request.cookies.get(guard.cookie_name)):
        return None
    if guard.access is Access.PASSWORD and request.path == "/" and request.method == "GET":
        return login_page(401)
    text = NO_ACCESS_TOKEN if guard.access is Access.TOKEN else NO_ACCESS_PASSWORD
    return page(401, "Geen toegang", text)


def see_other(location: str) -> web.Response:
    response = web.Response(status=303, headers={hdrs.LOCATION: location})
    response.headers.update(SECURITY_HEADERS)
    response.headers[hdrs.CACHE_CONTROL] = "no-store"
    return response


REFUSED_HOST = (
    "Dit adres wordt hier niet bediend. Open Meldcode via het adres dat 'meldcode serve' bij "
    "het starten toonde."
)
REFUSED_ORIGIN = "Geweigerd: dit verzoek komt niet van de pagina van Meldcode zelf."
NO_ACCESS_TOKEN = (
    "Geen toegang. Open in deze browser de link met het token die 'meldcode serve' bij het "
    "starten toonde."
)
NO_ACCESS_PASSWORD = "Geen toegang. Log eerst in op de startpagina."
BAD_TOKEN = (
    "Deze link is niet geldig. Gebruik de link die 'meldcode serve' bij deze start toonde; na "
    "een herstart is er een nieuwe."
)
LOGIN_TEXT = "Vul het wachtwoord in dat voor deze Meldcode-server is ingesteld."
LOGIN_FAILED = "Onjuist wachtwoord."

PAGE = """<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8"><title>{title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body {{ background: #0c181f; color: #f2f2f2; font-family: system-ui, sans-serif;
  display: flex; justify-content: center; padding-top: 15vh; margin: 0; }}
main {{ background: #12232d; padding: 2em 2.5em; max-width: 32em; }}
input, button {{ font: inherit; padding: 0.4em 0.6em; margin-top: 0.6em; }}
button {{ background: #5e0ba7; color: #fff; border: none; cursor: pointer; }}
.error {{ color: #ffb4a8; }}
</style></head>
<body><main><h1>{title}</h1>{body}</main></body></html>
"""

LOGIN_FORM = """<form method="post" action="{action}">
<label for="password">Wachtwoord</label><br>
<input type="password" id="password" name="{field}" autocomplete="current-password" required
 autofocus> <button type="submit">Inloggen</button></form>"""


def page(status: int, title: str, text: str, extra: str = "") -> web.Response:
    """A small self-contained Dutch page: no script, nothing loaded from anywhere."""
    body = f"<p>{html.escape(text)}</p>{extra}"
    response = web.Response(
        status=status,
        text=PAGE.format(title=html.escape(title), body=body),
        content_type="text/html",
        charset="utf-8",
    )
    response.headers.update(SECURITY_HEADERS)
    response.headers[hdrs.CACHE_CONTROL] = "no-store"
    return response


def login_page(status: int, failed: bool = False) -> web.Response:
    form = LOGIN_FORM.format(action=LOGIN_PATH, field=PASSWORD_FIELD)
    if failed:
        form = f'<p class="error">{html.escape(LOGIN_FAILED)}</p>{form}'
    return page(status, "Meldcode — inloggen", LOGIN_TEXT, form)


TOKEN_IN_LOG = re.compile(rf"([?&]{TOKEN_PARAM}=)[^&\s\"]*")


class RedactToken(logging.Filter):
    """The access log shows request lines: never with the token in them."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if f"{TOKEN_PARAM}=" in message:
            record.msg = TOKEN_IN_LOG.sub(r"\1…", message)
            record.args = None
        return True


class GuardedServer(Server):
    """textual-serve's server with the guard in front of every route and a login route."""

    def __init__(
        self,
        command: str,
        guard: Guard,
        *,
        host: str,
        port: int,
        title: str,
        announcement: str = "",
    ) -> None:
        super().__init__(
            command,
            host=host,
            port=port,
            title=title,
            public_url=guard.public_url,
            templates_path=PAGE_TEMPLATES,
        )
        self.guard = guard
        self.announcement = announcement
        self.failed_login_delay = FAILED_LOGIN_DELAY
        self._login_lock = asyncio.Lock()

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.middlewares.append(guard_middleware(self.guard))  # type: ignore[arg-type]
        if self.guard.access is Access.PASSWORD:
            app.router.add_post(LOGIN_PATH, self.handle_login, name="login")
        return app

    def initialize_logging(self) -> None:
        super().initialize_logging()
        logging.getLogger("aiohttp.access").addFilter(RedactToken())

    async def on_startup(self, app: web.Application) -> None:
        if self.announcement:
            sys.stdout.write(self.announcement + "\n")
            sys.stdout.flush()

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        response: web.StreamResponse = await super().handle_index(request)
        response.headers[hdrs.CACHE_CONTROL] = "no-store"
        return response

    async def handle_login(self, request: web.Request) -> web.StreamResponse:
        """The password from the login form: right, a session cookie; wrong, the form again,
        after a pause (one try at a time, so guessing is slow)."""
        form = await request.post()
        presented = form.get(PASSWORD_FIELD)
        async with self._login_lock:
            right = isinstance(presented, str) and self.guard.secret_matches(presented)
            if not right:
                await asyncio.sleep(self.failed_login_delay)
        if not right:
            log.warning("a wrong password was given")
            return login_page(401, failed=True)
        response = see_other("/")
        self.guard.set_session_cookie(response)
        return response
