"""`meldcode cases ...`: create, list and show case files without starting the app.

Exit codes: 0 done; 1 the case or the data folder could not be read or written; 2 bad usage,
including an id that is not a case id.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from meldcode_tui.commands.output import error, print_json, print_text

if TYPE_CHECKING:
    from datetime import datetime

    from meldcode_tui.case.index import Listing
    from meldcode_tui.case.model import Actor, Case, FieldValue

EXIT_FAILED = 1
EXIT_USAGE = 2


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("cases", help="create, list and show case files")
    sub = parser.add_subparsers(dest="cases_command", metavar="ACTION", required=True)

    new = sub.add_parser("new", help="start a case and print its id")
    new.add_argument("--pupil", required=True, metavar="REF", help="pseudonym or pupil number")
    new.add_argument("--author", required=True, metavar="NAME", help="who starts the case")
    new.add_argument("--role", default="", help="the author's role (mentor, teamleider, ...)")
    new.add_argument("--group", default="", metavar="G", help="class or group")
    new.set_defaults(run=run_new)

    listing = sub.add_parser("list", help="list the cases in the data folder")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(run=run_list)

    show = sub.add_parser("show", help="show one case")
    show.add_argument("case_id", metavar="ID", help="the case id")
    show.add_argument("--json", action="store_true", help="print the case file's content as JSON")
    show.set_defaults(run=run_show)

    export = sub.add_parser("export", help="export one case as a Dutch document")
    export.add_argument("case_id", metavar="ID", help="the case id")
    export.add_argument(
        "--format", choices=("md", "txt"), default="md", help="Markdown (default) or plain text"
    )
    export.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help=(
            "write to FILE (a new regular file, 0600, written atomically) instead of stdout; "
            "text on stdout has its control characters escaped, the file holds them as they are"
        ),
    )
    export.add_argument(
        "--force", action="store_true", help="replace FILE if it exists (a regular file only)"
    )
    export.set_defaults(run=run_export)


def run_new(args: argparse.Namespace) -> int:
    from meldcode_tui.case.errors import CaseError
    from meldcode_tui.case.model import Actor, FlowRef
    from meldcode_tui.case.store import CaseStore
    from meldcode_tui.flow.errors import FlowError
    from meldcode_tui.flow.validate import load_flow
    from meldcode_tui.inert import has_control
    from meldcode_tui.locations import default_flow_path

    if not args.pupil.strip() or not args.author.strip():
        error("--pupil and --author must not be empty")
        return EXIT_USAGE
    for option in ("pupil", "author", "role", "group"):
        if has_control(getattr(args, option)):
            error(
                f"--{option} contains a control character (such as ESC, a tab, a line break or "
                "a direction override); type it without"
            )
            return EXIT_USAGE
    try:
        flow = load_flow(default_flow_path())
    except FlowError as exc:
        error(f"the bundled flow is not valid: {exc.problems[0]}")
        return EXIT_FAILED
    try:
        store = CaseStore(args.data_dir)
        case = store.create(
            FlowRef.of(flow),
            args.pupil,
            Actor(name=args.author.strip(), role=args.role.strip()),
            group=args.group,
        )
    except CaseError as exc:
        error(str(exc))
        return EXIT_FAILED
    print(case.id)
    return 0


def run_list(args: argparse.Namespace) -> int:
    from meldcode_tui.case.errors import CaseError
    from meldcode_tui.case.index import list_cases
    from meldcode_tui.locations import data_dir

    root = data_dir(args.data_dir)
    try:
        listing = list_cases(root)
    except CaseError as exc:
        error(str(exc))
        return EXIT_FAILED
    if args.json:
        print_json(listing.to_json())
    else:
        _print_table(listing, str(root))
    return 0


def _print_table(listing: Listing, root: str) -> None:
    from meldcode_tui.inert import inert

    if not listing.cases:
        print_text(f"No cases in {inert(root)}.\n")
    header = ("ID", "PUPIL", "GROUP", "STATUS", "STEP", "UPDATED", "BY", "NEXT DUE")
    rows = [
        (
            c.id,
            c.pupil,
            c.group,
            c.status,
            c.step,
            c.updated[:16].replace("T", " "),
            c.updated_by,
            (c.next_due or "") + (" overdue" if c.overdue else ""),
        )
        for c in listing.cases
    ]
    if rows:
        rows = [tuple(inert(value) for value in row) for row in rows]  # type: ignore[misc]
        widths = [max(len(r[i]) for r in (header, *rows)) for i in range(len(header))]
        print_text(
            "".join(
                "  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip() + "\n"
                for row in (header, *rows)
            )
        )
    for problem in listing.errors:
        error(f"skipped {problem.file}: {problem.reason}")


def _load(args: argparse.Namespace) -> Case | int:
    """The case named on the command line, or the exit code after a one-line error."""
    from meldcode_tui.case.errors import CaseError, InvalidCaseId
    from meldcode_tui.case.store import CaseStore

    try:
        return CaseStore(args.data_dir).load(args.case_id)
    except InvalidCaseId as exc:
        error(str(exc))
        return EXIT_USAGE
    except CaseError as exc:
        error(str(exc))
        return EXIT_FAILED


def run_show(args: argparse.Namespace) -> int:
    case = _load(args)
    if isinstance(case, int):
        return case
    if args.json:
        print_json(case.model_dump(mode="json"))
    else:
        _print_case(case)
    return 0


def run_export(args: argparse.Namespace) -> int:
    import errno
    from pathlib import Path

    from meldcode_tui.case.errors import CaseError
    from meldcode_tui.case.export import export_case
    from meldcode_tui.case.outfile import write_export
    from meldcode_tui.casework.registry import FlowRegistry
    from meldcode_tui.flow.errors import FlowError
    from meldcode_tui.flow.validate import load_flow
    from meldcode_tui.leftovers import remove_leftovers
    from meldcode_tui.locations import data_dir, default_flow_path

    remove_leftovers()
    case = _load(args)
    if isinstance(case, int):
        return case
    try:
        bundled = load_flow(default_flow_path())
    except FlowError as exc:
        error(f"the bundled flow is not valid: {exc.problems[0]}")
        return EXIT_FAILED
    resolved = FlowRegistry(bundled, data_dir(args.data_dir)).resolve(case)
    if resolved.problem:
        error(f"warning: {resolved.problem}; exported with flow {resolved.flow.version}")
    try:
        document = export_case(case, resolved.flow, args.format)
    except CaseError as exc:
        error(f"case {case.id} cannot be exported: {exc}")
        return EXIT_FAILED
    if not args.output:
        print_text(document)
        return 0
    target = Path(args.output).expanduser()
    try:
        write_export(target, document.encode("utf-8"), replace=args.force)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        if exc.errno == errno.EEXIST:
            reason += "; use --force to replace it"
        error(f"cannot write {target}: {reason}")
        return EXIT_FAILED
    return 0


def _print_case(case: Case) -> None:
    from meldcode_tui.inert import inert

    lines: list[str] = [
        f"Case {case.id}",
        f"  Pupil:    {_value(case.pupil)}"
        + (f" (group {_value(case.group)})" if case.group else ""),
        f"  Status:   {case.status.value}"
        + (f" - {_value(case.status_reason)}" if case.status_reason else ""),
        f"  Flow:     {case.flow.id} {case.flow.version}",
        f"  Created:  {_when(case.created_at)} by {_who(case.created_by)}",
        f"  Updated:  {_when(case.updated_at)}"
        + (f" by {_who(case.updated_by)}" if case.updated_by else ""),
    ]
    if case.position.step:
        lines.append(f"  At step:  {case.position.step}")
    for step_id, record in case.steps.items():
        lines.append(f"Step {step_id}:")
        lines.extend(f"  {fid}: {_value(v)}" for fid, v in record.values.items())
        if record.notes:
            lines.append(f"  notes: {_value(record.notes)}")
    if case.answers:
        lines.append("Answers:")
        for qid, answer in case.answers.items():
            extra = f" - {_value(answer.justification)}" if answer.justification else ""
            lines.append(f"  {qid}: {_value(answer.value)}{extra}")
    for key, decision in case.decisions.items():
        verdict = {True: "yes", False: "no", None: "open"}[decision.value]
        reason = f" - {_value(decision.reason)}" if decision.reason else ""
        lines.append(f"Decision {key}: {verdict}{reason}")
    if case.aftercare:
        lines.append("Aftercare:")
        for item in case.aftercare:
            due = f" due {item.due.isoformat()}" if item.due else ""
            who = f" ({_value(item.who)})" if item.who else ""
            lines.append(f"  {item.id}: {item.status.value}{due}{who}")
    lines.append(f"Events: {len(case.events)}")
    print_text("\n".join(inert(line) for line in lines) + "\n")


def _when(at: datetime) -> str:
    return at.strftime("%Y-%m-%d %H:%M UTC")


def _who(actor: Actor) -> str:
    return _value(f"{actor.name} ({actor.role})" if actor.role else actor.name)


def _value(value: FieldValue) -> str:
    if isinstance(value, str):
        text = value
    elif isinstance(value, bool):
        text = "yes" if value else "no"
    else:
        text = ", ".join(map(str, value or []))
    text = " ".join(str(text).split())
    return text if len(text) <= 70 else text[:67] + "..."
