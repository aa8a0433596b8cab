"""`meldcode serve`: the app in a web browser through textual-serve, e.g. on a projector.

Every browser tab starts its own `python -m meldcode_tui` process on this computer; with `--demo`
each of them runs on its own temporary folder of demo cases. The server listens on 127.0.0.1
unless `--host` says otherwise, and any other address gets a warning on stderr, because then
everyone who can reach this computer can open the app and its case data.
"""

from __future__ import annotations

import argparse
import ipaddress
import shlex
import sys
from pathlib import Path

from meldcode_tui.commands.output import error

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
WILDCARD_HOSTS = frozenset({"0.0.0.0", "::", ""})
INSTALL_HINT = 'install the serve extra: pip install "meldcode-tui[serve]"'


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "serve",
        help="serve the app in a web browser (localhost only unless --host says otherwise)",
        description=(
            "Serve the app in a web browser with textual-serve. Each browser tab runs its own "
            "app on this computer. Listens on 127.0.0.1 unless --host is given."
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
        help="the address browsers use to reach this server (default: http://HOST:PORT)",
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
    lines = [
        f"warning: serving on {host or 'all addresses'}, port {port}, not on this computer "
        f"only: anyone who can reach this computer over the network can open the app and "
        f"{reached}. Use this only on a network you trust; without --host the app stays on "
        f"this computer ({DEFAULT_HOST}).",
    ]
    if host in WILDCARD_HOSTS:
        lines.append(
            "Browsers on other computers need --public-url http://<this computer's address>:"
            f"{port}."
        )
    return "\n".join(lines)


def public_url(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host and not host.startswith("[") else host
    return f"http://{shown}:{port}"


def app_command(demo: bool, data_dir: Path | None) -> str:
    """The shell command textual-serve runs for every browser tab."""
    parts = [sys.executable, "-m", "meldcode_tui"]
    if demo:
        parts.append("--demo")
    elif data_dir is not None:
        parts += ["--data-dir", str(data_dir)]
    return shlex.join(parts)


def run_serve(args: argparse.Namespace) -> int:
    try:
        from textual_serve.server import Server
    except ImportError:
        error(f"serving in a browser needs textual-serve, which is not installed; {INSTALL_HINT}")
        return 1
    demo = bool(getattr(args, "demo", False))
    data_dir: Path | None = None
    if not demo:
        from meldcode_tui.locations import data_dir as resolve_data_dir

        data_dir = resolve_data_dir(args.data_dir).resolve()
    warning = network_warning(args.host, args.port, demo)
    if warning is not None:
        for line in warning.splitlines():
            error(line)
    server = Server(
        app_command(demo, data_dir),
        host=args.host,
        port=args.port,
        title="Meldcode (demo)" if demo else "Meldcode",
        public_url=args.public_url or public_url(args.host, args.port),
    )
    try:
        server.serve()
    except OSError as exc:
        error(f"cannot serve on {args.host} port {args.port}: {exc.strerror or exc}")
        return 1
    return 0
