"""Starting the Textual app: bare `meldcode` and `meldcode open ID`."""

from __future__ import annotations

import argparse


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("open", help="open a case in the app by its id")
    parser.add_argument("case_id", metavar="ID", help="the case id")
    parser.set_defaults(run=run_app)


def run_app(args: argparse.Namespace) -> int:
    from meldcode_tui.tui.app import run

    return run(data_dir=args.data_dir, case_id=getattr(args, "case_id", None))
