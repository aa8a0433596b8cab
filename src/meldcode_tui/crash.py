"""Crash reports without case data: what a bug leaves behind instead of a traceback.

An unexpected exception (a bug) in the app or in a headless command is written to a private
file in `locations.log_dir()/crash/` (the folder 0700, the file 0600 and created with O_EXCL, so
no existing file or link is ever written through). The folder is the user's log folder rather
than the data folder: the data folder may be shared by a team, may be the very thing that
failed, and in demo mode is removed on exit.

The report holds only the program's version, Python's version and platform, the time, where it
happened (the app, or the sub-command's name — never its arguments), and for every exception of
the chain (cause, context, members of a group) its type name and the code locations of its
traceback: file (relative to its `sys.path` entry, so no home folder), line and function. Never
an exception message, a local variable, an argument or a source line: any of these may hold case
text. The user is told only that something went wrong and where the report is.

Imports nothing heavy: the headless commands import it only when they crash.
"""

from __future__ import annotations

import os
import sys
import time
import traceback
from collections.abc import Iterator
from pathlib import Path
from types import FrameType, TracebackType

CRASH_FOLDER = "crash"
EXIT_SOFTWARE = 70
"""The exit code of a command that failed through a bug (BSD's EX_SOFTWARE)."""

MAX_FRAMES = 60
"""Longer tracebacks (deep recursion) keep their first and last `MAX_FRAMES // 2` frames."""
MAX_EXCEPTIONS = 10


def crash_folder() -> Path:
    from meldcode_tui.locations import log_dir

    return log_dir() / CRASH_FOLDER


def write_report(error: BaseException, where: str, folder: Path | None = None) -> Path | None:
    """Write the report of `error` and return its path; None if it could not be written.
    Never raises: it runs while something has already gone wrong."""
    try:
        text = format_report(error, where)
        return _write_new(folder or crash_folder(), text.encode("utf-8"))
    except Exception:
        return None


def cli_message(report: Path | None) -> str:
    """The one line a headless command prints after a bug (English, without case data)."""
    from meldcode_tui.inert import inert

    if report is None:
        return "unexpected error (a bug in meldcode); no crash report could be written"
    return (
        "unexpected error (a bug in meldcode); a crash report without case data is in "
        f"{inert(str(report))}"
    )


def format_report(error: BaseException, where: str) -> str:
    from meldcode_tui import __version__

    lines = [
        "meldcode crash report (exception types and code locations only, no case data)",
        f"meldcode: {__version__}",
        f"python: {sys.version.split()[0]} ({sys.platform})",
        f"time: {time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())}",
        f"where: {where}",
        "",
    ]
    for number, (exc, link) in enumerate(_chain(error)):
        if number:
            lines.append(link)
            lines.append("")
        frames = list(_frames(exc.__traceback__))
        if frames:
            lines.append("Traceback (most recent call last):")
            lines.extend(frames)
        lines.append(type_name(exc))
        lines.append("")
    return "\n".join(lines)


def type_name(exc: BaseException) -> str:
    kind = type(exc)
    if kind.__module__ == "builtins":
        return kind.__qualname__
    return f"{kind.__module__}.{kind.__qualname__}"


def _chain(error: BaseException) -> list[tuple[BaseException, str]]:
    """The exceptions to report, in Python's order (the first cause first), each with the line
    that links it to the one before."""
    found: list[tuple[BaseException, str]] = []
    seen: set[int] = set()

    def visit(exc: BaseException, link: str) -> None:
        if id(exc) in seen or len(found) >= MAX_EXCEPTIONS:
            return
        seen.add(id(exc))
        if exc.__cause__ is not None:
            visit(exc.__cause__, "")
            link_here = "The above exception was the direct cause of the following exception:"
        elif exc.__context__ is not None and not exc.__suppress_context__:
            visit(exc.__context__, "")
            link_here = "During handling of the above exception, another exception occurred:"
        else:
            link_here = link
        found.append((exc, link_here))
        if isinstance(exc, BaseExceptionGroup):
            for member in exc.exceptions:
                visit(member, f"Member of the group {type_name(exc)}:")

    visit(error, "")
    return found


def _frames(tb: TracebackType | None) -> Iterator[str]:
    walked: list[tuple[FrameType | None, int]] = list(traceback.walk_tb(tb))
    if len(walked) > MAX_FRAMES:
        half = MAX_FRAMES // 2
        omitted = len(walked) - 2 * half
        walked = [*walked[:half], (None, omitted), *walked[-half:]]
    for frame, line in walked:
        if frame is None:
            yield f"  ... {line} frames left out ..."
            continue
        code = frame.f_code
        function = getattr(code, "co_qualname", code.co_name)
        yield f'  File "{short_path(code.co_filename)}", line {line}, in {function}'


def short_path(filename: str) -> str:
    """`filename` relative to the `sys.path` entry it lies in (`meldcode_tui/tui/app.py`,
    `textual/app.py`), so that no user's folder is named; else only its name."""
    if filename.startswith("<") and filename.endswith(">"):
        return filename
    path = os.path.abspath(filename)
    best = ""
    for entry in sys.path:
        root = os.path.abspath(entry or os.curdir)
        if path.startswith(root.rstrip(os.sep) + os.sep) and len(root) > len(best):
            best = root
    if best:
        return os.path.relpath(path, best).replace(os.sep, "/")
    return os.path.basename(path)


def _write_new(folder: Path, data: bytes) -> Path:
    from meldcode_tui.case.atomic import open_private, private_folder, write_all

    private_folder(folder)
    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime())
    while True:
        path = folder / f"crash-{stamp}-{os.getpid()}-{os.urandom(3).hex()}.txt"
        try:
            fd = open_private(path, os.O_WRONLY)
        except FileExistsError:
            continue
        try:
            write_all(fd, data)
        finally:
            os.close(fd)
        return path
