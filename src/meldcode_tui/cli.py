"""The `meldcode` command: starts the app, or runs a headless sub-command.

Sub-commands live in `meldcode_tui.commands`; each registers its parser and imports what it needs
only when it runs, so the headless commands never import Textual.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from meldcode_tui import __version__
from meldcode_tui.commands import cases, flows, serve, tui

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2

DEMO_COMMANDS = (tui.run_app, serve.run_serve)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="meldcode",
        description=(
            "Walk a case through the Meldcode huiselijk geweld en kindermishandeling, keep it as "
            "a local case file, and review or export it. Without a command, starts the app."
        ),
    )
    parser.add_argument("--version", action="version", version=f"meldcode {__version__}")
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help="folder of case files (default: $MELDCODE_DATA_DIR, else the user data folder)",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help=(
            "trainer mode: run on fictitious demo cases in a temporary folder that is removed on "
            "exit; the data folder is not used (with the app and with serve only)"
        ),
    )
    parser.add_argument(
        serve.ASK_ACTOR_FLAG,
        action="store_true",
        help=argparse.SUPPRESS,  # set by `meldcode serve`: ask who acts, leave prefs.json alone
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in (flows, cases, tui, serve):
        module.register(commands)
    parser.set_defaults(run=tui.run_app)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.demo and args.run not in DEMO_COMMANDS:
        parser.error(
            "--demo works with the app (meldcode --demo, meldcode --demo open ID) and serve"
        )
    try:
        return int(args.run(args) or EXIT_OK)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_FAILED
    except Exception as exc:
        return _crashed(exc, args)


def _crashed(exc: Exception, args: argparse.Namespace) -> int:
    """A bug: a crash report without case data instead of a traceback (which may quote case
    text in its message), one English line, exit code 70."""
    from meldcode_tui.commands.output import error
    from meldcode_tui.crash import EXIT_SOFTWARE, cli_message, write_report

    names = (
        args.command,
        getattr(args, "cases_command", None),
        getattr(args, "flows_command", None),
    )
    where = " ".join(str(name) for name in names if name)
    error(cli_message(write_report(exc, f"command: {where or 'app'}")))
    return EXIT_SOFTWARE


if __name__ == "__main__":
    sys.exit(main())
