"""`meldcode cases ...`: create, list and show case files without starting the app.

Times are printed in the local time zone with the zone's name (`_when`); `--json` keeps the stored
ISO moments in UTC. `cases show` prints every text whole: its own line breaks kept, long lines
wrapped to the terminal and continued indented, control characters escaped.

Exit codes: 0 done; 1 the case or the data folder could not be read or written; 2 bad usage,
including an id that is not a case id.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from meldcode_tui.commands import cases_destroy
from meldcode_tui.commands.output import error, print_json, print_text, refuse_control_characters

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
    listing.add_argument(
        "--expired",
        action="store_true",
        help="only closed cases whose bewaartermijn has passed (to destroy)",
    )
    listing.set_defaults(run=run_list)

    cases_destroy.register(sub)

    show = sub.add_parser("show", help="show one case")
    show.add_argument("case_id", metavar="ID", help="the case id")
    show.add_argument("--json", action="store_true", help="print the case file's content as JSON")
    show.set_defaults(run=run_show)

    export = sub.add_parser("export", help="export one case as a Dutch document")
    export.add_argument("case_id", metavar="ID", help="the case id")
    export.add_argument(
        "--format",
        choices=("md", "txt", "pdf"),
        default="md",
        help="Markdown (default), plain text, or an A4 PDF (needs -o FILE)",
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
        "--by", default="", metavar="NAME", help="who exports (named in the document)"
    )
    export.add_argument("--role", default="", help="the exporter's role (zorgcoördinator, ...)")
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
    from meldcode_tui.locations import default_flow_path

    if not args.pupil.strip() or not args.author.strip():
        error("--pupil and --author must not be empty")
        return EXIT_USAGE
    if refuse_control_characters(args, ("pupil", "author", "role", "group")):
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
    if args.expired:
        from datetime import date

        from meldcode_tui.casework.retention import is_expired

        today = date.today()
        listing.cases = [c for c in listing.cases if is_expired(c.status, c.retain_until, today)]
    if args.json:
        print_json(listing.to_json())
    else:
        _print_table(listing, str(root), expired=args.expired)
    return 0


def _print_table(listing: Listing, root: str, *, expired: bool = False) -> None:
    from meldcode_tui.inert import inert

    if not listing.cases:
        what = "No cases whose bewaartermijn has passed" if expired else "No cases"
        print_text(f"{what} in {inert(root)}.\n")
    header: tuple[str, ...] = ("ID", "PUPIL", "GROUP", "STATUS", "STEP", "UPDATED", "BY")
    header += ("KEEP UNTIL",) if expired else ("NEXT DUE",)
    rows = [
        (
            c.id,
            c.pupil,
            c.group,
            c.status,
            c.step,
            _when_iso(c.updated),
            c.updated_by,
            (c.retain_until or "")
            if expired
            else (c.next_due or "") + (" overdue" if c.overdue else ""),
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
    from datetime import UTC, datetime
    from pathlib import Path

    from meldcode_tui.case.errors import CaseError
    from meldcode_tui.case.export import Exported, build_verslag, render
    from meldcode_tui.case.outfile import write_export
    from meldcode_tui.case.school import SchoolSettingsError, load_school
    from meldcode_tui.casework.registry import FlowRegistry
    from meldcode_tui.flow.errors import FlowError
    from meldcode_tui.flow.validate import load_flow
    from meldcode_tui.leftovers import remove_leftovers
    from meldcode_tui.locations import data_dir, default_flow_path

    if args.format == "pdf" and not args.output:
        error("--format pdf needs -o FILE: a PDF is not written to the terminal")
        return EXIT_USAGE
    exporter = _exporter(args)
    if isinstance(exporter, int):
        return exporter
    remove_leftovers()
    case = _load(args)
    if isinstance(case, int):
        return case
    try:
        bundled = load_flow(default_flow_path())
    except FlowError as exc:
        error(f"the bundled flow is not valid: {exc.problems[0]}")
        return EXIT_FAILED
    root = data_dir(args.data_dir)
    resolved = FlowRegistry(bundled, root).resolve(case)
    if resolved.problem:
        error(f"warning: {resolved.problem}; exported with flow {resolved.flow.version}")
    try:
        school = load_school(root).name
    except SchoolSettingsError as exc:
        error(f"warning: {exc.reason}; exported without the school's name")
        school = ""
    exported = Exported(at=datetime.now(UTC), by=exporter)
    try:
        verslag = build_verslag(case, resolved.flow, exported=exported, school=school)
        document = ""
        if args.format == "pdf":
            from meldcode_tui.case.pdf import render_pdf

            data = render_pdf(verslag)
        else:
            document = render(verslag.blocks, args.format)
            data = document.encode("utf-8")
    except CaseError as exc:
        error(f"case {case.id} cannot be exported: {exc}")
        return EXIT_FAILED
    if not args.output:
        print_text(document)
        return 0
    target = Path(args.output).expanduser()
    try:
        write_export(target, data, replace=args.force)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        if exc.errno == errno.EEXIST:
            reason += "; use --force to replace it"
        error(f"cannot write {target}: {reason}")
        return EXIT_FAILED
    return 0


def _exporter(args: argparse.Namespace) -> Actor | int | None:
    """Who exports, from --by and --role; None when not named; an exit code after an error."""
    from meldcode_tui.case.model import Actor

    if refuse_control_characters(args, ("by", "role")):
        return EXIT_USAGE
    if args.role.strip() and not args.by.strip():
        error("--role needs --by NAME")
        return EXIT_USAGE
    if not args.by.strip():
        return None
    return Actor(name=args.by.strip(), role=args.role.strip())


def _print_case(case: Case) -> None:
    import shutil

    width = max(40, shutil.get_terminal_size((100, 24)).columns)
    lines: list[str] = []

    def add(head: str, text: str = "") -> None:
        lines.extend(_block(head, text, width))

    add(f"Case {case.id}")
    add(
        "  Pupil:    ",
        _value(case.pupil) + (f" (group {_value(case.group)})" if case.group else ""),
    )
    add(
        "  Status:   ",
        case.status.value
        + (f" - {_value(case.status_reason)}" if case.status_reason else "")
        + (f" (keep until {case.retain_until.isoformat()})" if case.retain_until else ""),
    )
    add("  Flow:     ", f"{case.flow.id} {case.flow.version}")
    add("  Created:  ", f"{_when(case.created_at)} by {_who(case.created_by)}")
    add(
        "  Updated:  ",
        _when(case.updated_at) + (f" by {_who(case.updated_by)}" if case.updated_by else ""),
    )
    if case.position.step:
        add("  At step:  ", case.position.step)
    for step_id, record in case.steps.items():
        add(f"Step {step_id}:")
        for fid, v in record.values.items():
            add(f"  {fid}: ", _value(v))
        if record.notes:
            add("  notes: ", _value(record.notes))
    if case.answers:
        add("Answers:")
        for qid, answer in case.answers.items():
            extra = f" - {_value(answer.justification)}" if answer.justification else ""
            add(f"  {qid}: ", _value(answer.value) + extra)
    for key, decision in case.decisions.items():
        verdict = {True: "yes", False: "no", None: "open"}[decision.value]
        reason = f" - {_value(decision.reason)}" if decision.reason else ""
        add(f"Decision {key}: ", verdict + reason)
    if case.aftercare:
        add("Aftercare:")
        for item in case.aftercare:
            due = f" due {item.due.isoformat()}" if item.due else ""
            who = f" ({_value(item.who)})" if item.who else ""
            add(f"  {item.id}: ", f"{item.status.value}{due}{who}")
    add(f"Events: {len(case.events)}")
    print_text("".join(line + "\n" for line in lines))


_CONTINUATION = "    "
"""Continuation lines of a text start this much further in than its label."""

SHOW_LIMIT = 20_000
"""Characters of one text `cases show` prints: pages of typed notes, but not the megabytes of
a damaged or hostile file; beyond it a line says how long the text is (`--json` has it whole)."""


def _block(head: str, text: str, width: int) -> list[str]:
    """`head` and the whole of `text` as lines of `width` columns (a longer word on its own):
    the text's own line breaks kept, long lines wrapped and continued indented under the label,
    every control character (tabs and carriage returns too) escaped; the first `SHOW_LIMIT`
    characters of a longer text."""
    import re
    import textwrap

    from meldcode_tui.inert import inert

    head = inert(head)
    indent = " " * (len(head) - len(head.lstrip(" "))) + _CONTINUATION
    lines: list[str] = []
    total = len(text)
    for number, paragraph in enumerate(re.split(r"\r?\n", text[:SHOW_LIMIT])):
        first = head if number == 0 else indent
        wrapped = textwrap.wrap(
            inert(paragraph.expandtabs(4)),
            width,
            initial_indent=first,
            subsequent_indent=indent,
            break_long_words=False,  # an escape (\\x1b), a URL or an id stays whole
            break_on_hyphens=False,
        )
        lines.extend(wrapped or [first.rstrip()])
    if total > SHOW_LIMIT:
        lines.append(f"{indent}... ({total} characters in all; --json shows the whole text)")
    return lines


def _when(at: datetime) -> str:
    """A stored moment for a person: local time with the zone (`2026-12-03 14:05 CET`), or,
    for a moment with no local time, UTC saying so."""
    from datetime import UTC

    from meldcode_tui.localtime import local

    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)  # a stored moment is UTC
    shown = local(at)
    text = f"{shown:%Y-%m-%d %H:%M} {_zone(shown)}"
    return text + " (no local time)" if shown is at else text  # local() gives back `at` then


def _when_iso(stored: str) -> str:
    """`_when` for a moment stored as ISO text; text that is not one is shown as it is."""
    from datetime import datetime

    try:
        return _when(datetime.fromisoformat(stored))
    except ValueError:
        return stored


def _zone(at: datetime) -> str:
    """The zone's short name (CET, CEST, UTC), or its offset (+01:00) where the platform names
    it in words (Windows: "W. Europe Standard Time")."""
    name = at.tzname() or ""
    if name and len(name) <= 6 and " " not in name:
        return name
    offset = at.utcoffset()
    minutes = int(offset.total_seconds()) // 60 if offset else 0
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _who(actor: Actor) -> str:
    return _value(f"{actor.name} ({actor.role})" if actor.role else actor.name)


def _value(value: FieldValue) -> str:
    """A field's value as text, whole."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "yes" if value else "no"
    return ", ".join(map(str, value or []))
