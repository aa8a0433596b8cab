"""`meldcode cases destroy ID`: destroy a case once its bewaartermijn has passed.

The rules are casework's (`casework.retention`): only the zorgcoördinator; a closed case still
within its term needs `--force`; an open case needs `--force` and `--reason`. What is removed and
what the destruction log keeps: `case.destroy`. Nothing is asked interactively.

Exit codes: 0 destroyed; 1 refused, not found, open elsewhere, or not removed; 2 bad usage.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from meldcode_tui.commands.output import error, print_text, refuse_control_characters

if TYPE_CHECKING:
    from pathlib import Path

    from meldcode_tui.case.destroy import Destroyed


EXIT_FAILED = 1
EXIT_USAGE = 2


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    destroy = sub.add_parser(
        "destroy",
        help="destroy a case whose bewaartermijn has passed: remove its file and every file "
        "of it, and log that in vernietigd.log",
    )
    destroy.add_argument("case_id", metavar="ID", help="the case id")
    destroy.add_argument(
        "--author", required=True, metavar="NAME", help="who destroys it (goes in the log)"
    )
    destroy.add_argument(
        "--role", required=True, help="the author's role; only the zorgcoördinator may destroy"
    )
    destroy.add_argument(
        "--force",
        action="store_true",
        help="also destroy a closed case still within its bewaartermijn, or an open case "
        "(with --reason)",
    )
    destroy.add_argument(
        "--reason",
        default="",
        help="why an open case is destroyed; it goes in the destruction log, so write no case "
        "content in it (no names, no facts)",
    )
    destroy.set_defaults(run=run_destroy)


def run_destroy(args: argparse.Namespace) -> int:
    from meldcode_tui.case.errors import CaseError, InvalidCaseId
    from meldcode_tui.case.model import Actor
    from meldcode_tui.case.store import CaseStore
    from meldcode_tui.casework.retention import destroy

    if not args.author.strip():
        error("--author must not be empty")
        return EXIT_USAGE
    if refuse_control_characters(args, ("author", "role", "reason")):
        return EXIT_USAGE
    actor = Actor(name=args.author.strip(), role=args.role.strip())
    try:
        store = CaseStore(args.data_dir)
        done = destroy(store, args.case_id, actor, force=args.force, reason=args.reason)
    except InvalidCaseId as exc:
        error(str(exc))
        return EXIT_USAGE
    except CaseError as exc:
        error(str(exc))
        return EXIT_FAILED
    except OSError as exc:
        error(f"case {args.case_id} was not destroyed: {exc.strerror or type(exc).__name__}")
        return EXIT_FAILED
    print_text(_done_text(done, store.root))
    return 0


def _done_text(done: Destroyed, root: Path) -> str:
    from meldcode_tui.case.destroy import DESTROY_LOG

    parts = [f"created {done.created:%Y-%m-%d}"]
    if done.closed is not None:
        parts.append(f"closed {done.closed:%Y-%m-%d}")
    if done.retain_until is not None:
        parts.append(f"kept until {done.retain_until.isoformat()}")
    files = f"{done.files} file{'s' if done.files != 1 else ''}"
    return (
        f"Destroyed case {done.case_id} ({', '.join(parts)}): {files} removed; "
        f"logged in {root / DESTROY_LOG}.\n"
    )
