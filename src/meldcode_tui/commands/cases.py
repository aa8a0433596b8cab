"""`meldcode cases ...`: create, list and show case files without starting the app."""

from __future__ import annotations

import argparse


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("cases", help="create, list and show case files")
    parser.add_subparsers(dest="cases_command", metavar="ACTION", required=True)
