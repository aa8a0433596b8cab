"""Starting the Textual app: bare `meldcode` and `meldcode open ID`, with `--demo` on the demo
cases in a temporary folder instead of the data folder. What killed runs left behind (a demo
folder, an export's temp file) is removed first (`meldcode_tui.leftovers`)."""

from __future__ import annotations

import argparse
from typing import Protocol


class AppRunner(Protocol):
    """Runs the app until it exits and returns the exit code (`meldcode_tui.tui.app.run`)."""

    def __call__(self, *, data_dir: str | None, case_id: str | None, demo: bool) -> int: ...


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("open", help="open a case in the app by its id")
    parser.add_argument("case_id", metavar="ID", help="the case id")
    parser.set_defaults(run=run_app)


def run_app(args: argparse.Namespace) -> int:
    import threading

    from meldcode_tui.tui.app import run

    threading.Thread(target=_tidy_up, name="meldcode-leftovers", daemon=True).start()
    case_id = getattr(args, "case_id", None)
    if getattr(args, "demo", False):
        return run_demo(run, case_id=case_id)
    ask_actor = bool(getattr(args, "ask_actor", False))
    return run(data_dir=args.data_dir, case_id=case_id, ask_actor=ask_actor)


def _tidy_up() -> None:
    """Beside the app's start, not before it: the look at two folders costs a few ms."""
    from meldcode_tui.leftovers import remove_leftovers

    remove_leftovers()


def run_demo(runner: AppRunner, case_id: str | None = None) -> int:
    """Run the app on freshly seeded demo cases; the real data folder is never read or written,
    and the temporary folder is gone when this returns or raises."""
    from meldcode_tui.demo.session import demo_session

    with demo_session() as data_dir:
        return runner(data_dir=str(data_dir), case_id=case_id, demo=True)
