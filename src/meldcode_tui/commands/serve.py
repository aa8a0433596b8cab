"""`meldcode serve`: the app in a web browser through textual-serve, e.g. on a projector.

Every browser tab starts its own `python -m meldcode_tui` process on this computer; with `--demo`
each of them runs on its own temporary folder of demo cases, else on the data folder, with
`--ask-actor` so that each browser session says who is acting. The server listens on 127.0.0.1
unless `--host` says otherwise, and any other address gets a warning on stderr. Who may open the
app is decided by `serve_guard` (a token printed once, or `$MELDCODE_SERVE_PASSWORD`; Host and
Origin checked); only the demo on this computer is open without a secret.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import shlex
import sys
from pathlib import Path

from meldcode_tui.commands.output import error

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
WILDCARD_HOSTS = frozenset({"0.0.0.0", "::", ""})
INSTALL_HINT = 'install the serve extra: pip install "meldcode-tui[serve]"'
PASSWORD_ENV = "MELDCODE_SERVE_PASSWORD"
ASK_ACTOR_FLAG = "--ask-actor"
EXIT_USAGE = 2


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "serve",
        help="serve the app in a web browser (localhost only unless --host says otherwise)",
        description=(
            "Serve the app in a web browser with textual-serve. Each browser tab runs its own "
            "app on this computer. Listens on 127.0.0.1 unless --host is given. Case files are "
            "served only to a browser that opened the address with the token printed at start, "
            f"or that logged in with the password in ${PASSWORD_ENV} when that is set; the "
            "demo on this computer is open."
        ),
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        default=argparse.SUPPRESS,
        help="serve fictitious demo cases (a fresh temporary folder per browser tab)",
    )
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="folder of case files (default: $MELDCODE_DATA_DIR, else the user data folder)",
    )
    parser.add_argument(
        "--host",
        default=DEFAULT_HOST,
        help=(
            f"address to listen on (default: {DEFAULT_HOST}, this computer only); any other "
            "address makes the app and its case data reachable from the network"
        ),
    )
    parser.add_argument("--port", type=port_number, default=DEFAULT_PORT, help="default: 8000")
    parser.add_argument(
        "--public-url",
        metavar="URL",
        help=(
            "the address browsers use to reach this server (default: http://HOST:PORT); "
            "requests for any other address are refused"
        ),
    )
    parser.set_defaults(run=run_serve)


def port_number(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"a port is 1-65535, not {port}")
    return port


def is_local(host: str) -> bool:
    """True when `host` is this computer only (localhost or a loopback address)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def network_warning(host: str, port: int, demo: bool) -> str | None:
    """The warning for listening on `host`, or None when it is this computer only."""
    if is_local(host):
        return None
    reached = (
        "the fictitious demo cases"
        if demo
        else "the case files in the data folder, to read and to change"
    )
    return (
        f"warning: serving on {host or 'all addresses'}, port {port}, not on this computer "
        f"only: anyone who can reach this computer over the network can reach the app, and "
        f"with the link or the password {reached}. The connection is not encrypted (http): "
        f"others on the network can read what is sent, the key included. Use this only on a "
        f"network you trust; without --host the app stays on this computer ({DEFAULT_HOST})."
    )


def public_url(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host and not host.startswith("[") else host
    return f"http://{shown}:{port}"


def app_command(demo: bool, data_dir: Path | None) -> str:
    """The shell command textual-serve runs for every browser tab: on real case files the app
    asks who is acting instead of taking the name saved by the server's user."""
    parts = [sys.executable, "-m", "meldcode_tui"]
    if demo:
        parts.append("--demo")
    else:
        if data_dir is not None:
            parts += ["--data-dir", str(data_dir)]
        parts.append(ASK_ACTOR_FLAG)
    return shlex.join(parts)


def take_password() -> str:
    """The password from the environment, removed from it so that no app process inherits it."""
    return os.environ.pop(PASSWORD_ENV, "").strip()


def announcement(start_url: str, access: str, command: str) -> str:
    """What the server prints once at start: the address to open and how access works."""
    lines = [f"meldcode serve: every browser tab runs {command}", ""]
    if access == "token":
        lines += [
            "Open this address in a browser (it is the key to the case files: share it with no",
            "one; it is valid until the server stops):",
        ]
    elif access == "password":
        lines.append(f"Open this address and log in with the password from ${PASSWORD_ENV}:")
    else:
        lines.append("Open this address in a browser on this computer (fictitious demo cases):")
    lines += ["", f"    {start_url}", "", "Stop the server with Ctrl+C."]
    return "\n".join(lines)


def run_serve(args: argparse.Namespace) -> int:
    try:
        from meldcode_tui.commands import serve_guard
    except ImportError:
        error(f"serving in a browser needs textual-serve, which is not installed; {INSTALL_HINT}")
        return 1
    demo = bool(getattr(args, "demo", False))
    if args.public_url is None and args.host in WILDCARD_HOSTS:
        error(
            f"serving on {args.host or 'all addresses'} needs --public-url http://<this "
            f"computer's address>:{args.port}, the address browsers use: the server answers "
            "only to that address"
        )
        return EXIT_USAGE
    url = args.public_url or public_url(args.host, args.port)
    if serve_guard.parse_address(url) is None:
        error(f"--public-url must be an http:// or https:// address, not {url!r}")
        return EXIT_USAGE
    data_dir: Path | None = None
    if not demo:
        from meldcode_tui.locations import data_dir as resolve_data_dir

        data_dir = resolve_data_dir(args.data_dir).resolve()
    warning = network_warning(args.host, args.port, demo)
    if warning is not None:
        error(warning)
    password = take_password()
    access = serve_guard.choose_access(demo=demo, local=is_local(args.host), password=password)
    secret = password if access is serve_guard.Access.PASSWORD else serve_guard.new_token()
    guard = serve_guard.Guard(url, access, secret)
    command = app_command(demo, data_dir)
    server = serve_guard.GuardedServer(
        command,
        guard,
        host=args.host,
        port=args.port,
        title="Meldcode (demo)" if demo else "Meldcode",
        announcement=announcement(guard.start_url(), access.value, command),
    )
    try:
        server.serve()
    except OSError as exc:
        error(f"cannot serve on {args.host} port {args.port}: {exc.strerror or exc}")
        return 1
    return 0
