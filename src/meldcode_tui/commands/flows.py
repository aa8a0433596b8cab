"""`meldcode flows check` and `meldcode flows run`: the protocol file, validated and routed."""

from __future__ import annotations

import argparse
from pathlib import Path

from meldcode_tui.commands.output import error, print_json, print_text

EXIT_INVALID = 1
EXIT_BAD_ANSWERS = 2


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("flows", help="check a flow file or route answers through it")
    sub = parser.add_subparsers(dest="flows_command", metavar="ACTION", required=True)

    check = sub.add_parser("check", help="validate flow files (default: the bundled flow)")
    check.add_argument("files", nargs="*", metavar="FILE", help="flow files (YAML)")
    check.set_defaults(run=run_check)

    run = sub.add_parser("run", help="route answers through a flow and print the result as JSON")
    run.add_argument("file", metavar="FILE", help="flow file (YAML)")
    run.add_argument(
        "--answers",
        required=True,
        metavar="ANSWERS.json",
        help="JSON object of question id -> option id",
    )
    run.set_defaults(run=run_route)


def run_check(args: argparse.Namespace) -> int:
    from meldcode_tui.flow.errors import FlowError
    from meldcode_tui.flow.validate import load_flow
    from meldcode_tui.inert import inert
    from meldcode_tui.locations import default_flow_path

    files = [Path(f) for f in args.files] or [default_flow_path()]
    failed = False
    for file in files:
        try:
            flow = load_flow(file)
        except FlowError as exc:
            failed = True
            for problem in exc.problems:
                print_text(f"{inert(str(problem))}\n")
        else:
            print_text(inert(f"{file}: ok ({flow.id} {flow.version})") + "\n")
    return EXIT_INVALID if failed else 0


def run_route(args: argparse.Namespace) -> int:
    from meldcode_tui.flow.cache import load_routing
    from meldcode_tui.flow.engine import AnswerError, route
    from meldcode_tui.flow.errors import FlowError

    try:
        table = load_routing(args.file)
    except FlowError as exc:
        for problem in exc.problems:
            error(str(problem))
        return EXIT_INVALID
    from meldcode_tui.safe_read import ANSWERS_LIMIT, BadContent, UnreadableFile, load_json

    try:
        answers = load_json(args.answers, ANSWERS_LIMIT, follow_symlinks=True)
    except OSError as exc:
        error(f"cannot read answers file {args.answers}: {exc.strerror}")
        return EXIT_BAD_ANSWERS
    except UnreadableFile as exc:
        error(f"cannot read answers file {args.answers}: {exc.reason}")
        return EXIT_BAD_ANSWERS
    except BadContent as exc:
        error(f"answers file {args.answers}: {exc.reason}")
        return EXIT_BAD_ANSWERS
    if not isinstance(answers, dict):
        error(f"answers file {args.answers} must hold a JSON object of question id -> option id")
        return EXIT_BAD_ANSWERS
    try:
        routing = route(table, answers)
    except AnswerError as exc:
        error(str(exc))
        return EXIT_BAD_ANSWERS
    print_json(routing.to_json(table))
    return 0
