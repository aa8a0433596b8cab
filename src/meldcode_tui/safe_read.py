"""Reading any file the program did not just write itself: the one defensive reader and the one
JSON parser, with their limits.

A file is opened without following a symbolic link (`O_NOFOLLOW`; where that flag does not exist,
as on Windows, the path is checked with `lstat` first) and without blocking (`O_NONBLOCK`, so a
FIFO cannot hang the open); only a regular file within the size limit of its kind is read, and
never more than limit + 1 bytes, so a file that grows while it is read is caught too. JSON is parsed
by the standard library and then checked for nesting depth and number size, so nothing downstream
(pydantic, `json.dumps`, `os.kill`, messages) ever meets a 5,000-digit number or a structure
nested a thousand levels deep. YAML flow files are checked with the same `check_shape`, which also
counts nodes, so an alias bomb cannot make validation walk a billion nodes.

Everything that goes wrong is one `FileProblem` with an English `reason` that never quotes the
file's content; the caller names the file and decides what a bad file means for it (a case that
is listed as unreadable, an index that is rebuilt, a lock that is shown as unreadable).

This module sits at the top of the package because both `flow/` and `case/` use it and `flow/`
may not import `case/`. It imports only the standard library.
"""

from __future__ import annotations

import errno
import json
import math
import os
import stat
from typing import Any, Final

KiB: Final = 1024
MiB: Final = 1024 * KiB

CASE_FILE_LIMIT: Final = 8 * MiB
"""A case file: a case with 500 events and long notes is about 0.2 MiB."""
INDEX_LIMIT: Final = 32 * MiB
"""The listing index: about 250 bytes a case, so some 130,000 cases; a larger one is rebuilt."""
LOCK_LIMIT: Final = 4 * KiB
"""A lock or takeover guard: about 250 bytes."""
PREFS_LIMIT: Final = 64 * KiB
"""The user's preferences (name and role)."""
FLOW_LIMIT: Final = 2 * MiB
"""A flow file: the bundled one is 21 KiB."""
ROUTING_CACHE_LIMIT: Final = 2 * MiB
"""A cached routing table, derived from a flow file."""
ANSWERS_LIMIT: Final = 1 * MiB
"""The answers file of `meldcode flows run`."""

MAX_DEPTH: Final = 32
"""Nesting of JSON or YAML containers; a case file nests 6 deep, the bundled flow 10."""
MAX_INTEGER: Final = 2**63 - 1
"""Whole numbers beyond a signed 64-bit integer are refused (nanosecond times fit)."""
MAX_FLOW_NODES: Final = 1_000_000
"""Containers and values in a YAML flow after expanding aliases; the bundled flow has ~2,500."""


class FileProblem(Exception):
    """A file that is not used; `reason` is English and never quotes the file's content."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class UnreadableFile(FileProblem):
    """The file could not or may not be read: not a regular file, too large, a symbolic link,
    no permission."""


class BadContent(FileProblem):
    """The bytes were read but are not acceptable text, JSON or shape."""


_OPEN_FLAGS: Final = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)

_LINK_ERRNOS: Final = frozenset({errno.ELOOP, errno.EMLINK})
"""Opening a symbolic link with O_NOFOLLOW fails with ELOOP (Linux, macOS) or EMLINK (FreeBSD)."""


def size_text(size: int) -> str:
    """`8 MiB`, `142.5 MiB`, `4 KiB`, `17 bytes`."""
    for unit, name in ((MiB, "MiB"), (KiB, "KiB")):
        if size >= unit:
            return f"{size / unit:.1f}".removesuffix(".0") + f" {name}"
    return f"{size} bytes"


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    return "not a regular file"


def _not_regular(mode: int) -> UnreadableFile:
    return UnreadableFile(f"not a regular file but {_kind(mode)}; it is not read")


def _too_large(size: int | None, limit: int) -> UnreadableFile:
    seen = f" ({size_text(size)})" if size is not None else ""
    return UnreadableFile(f"too large{seen}; the limit for this kind of file is {size_text(limit)}")


def _cannot_read(exc: OSError) -> UnreadableFile:
    return UnreadableFile(f"cannot read the file ({exc.strerror or type(exc).__name__})")


def read_limited(
    path: str | os.PathLike[str], limit: int, *, follow_symlinks: bool = False
) -> bytes:
    """The bytes of the regular file at `path`, at most `limit` of them.

    Raises `FileNotFoundError` when there is no file (callers often treat that as normal) and
    `UnreadableFile` for everything else. `follow_symlinks=True` is for a file the user named on
    the command line; files in the data folder are never read through a link.
    """
    flags = _OPEN_FLAGS
    if not follow_symlinks:
        nofollow = getattr(os, "O_NOFOLLOW", 0)
        if nofollow:
            flags |= nofollow
        else:
            try:
                before = os.lstat(path)
            except FileNotFoundError:
                raise
            except OSError as exc:
                raise _cannot_read(exc) from None
            if stat.S_ISLNK(before.st_mode):
                raise _not_regular(before.st_mode)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise
    except OSError as exc:
        if not follow_symlinks and exc.errno in _LINK_ERRNOS:
            raise _not_regular(stat.S_IFLNK) from None
        raise _cannot_read(exc) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise _not_regular(info.st_mode)
        if info.st_size > limit:
            raise _too_large(info.st_size, limit)
        chunks: list[bytes] = []
        total = 0
        while total <= limit:
            chunk = os.read(fd, limit + 1 - total)
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > limit:
            raise _too_large(None, limit)
        return b"".join(chunks)
    except BlockingIOError:
        raise UnreadableFile("the file is busy (it would block); it is not read") from None
    except OSError as exc:
        raise _cannot_read(exc) from None
    finally:
        os.close(fd)


def parse_json(data: bytes) -> Any:
    """The JSON value in `data`, checked by `check_shape`; raises `BadContent`.

    The standard library's parser raises `RecursionError` on deep nesting and `ValueError` on a
    whole number of more than 4,300 digits; both become a `BadContent` here, as do NaN and
    Infinity, which JSON does not have.
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadContent(f"not valid UTF-8 text (byte {exc.start}); the file is damaged") from None
    try:
        value = json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        problem = f"not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})"
    except RecursionError:
        problem = f"not valid JSON (nested too deeply: more than {MAX_DEPTH} levels)"
    except _NotJson:
        problem = "not valid JSON (NaN and Infinity are not JSON values)"
    except ValueError:
        problem = "not valid JSON (a number in it is too large)"
    else:
        check_shape(value)
        return value
    raise BadContent(problem)


class _NotJson(ValueError):
    pass


def _no_constant(name: str) -> Any:
    raise _NotJson(name)


def check_shape(value: Any, *, max_depth: int = MAX_DEPTH, max_nodes: int | None = None) -> None:
    """Raise `BadContent` if `value` nests deeper than `max_depth` containers, holds a whole
    number beyond `MAX_INTEGER`, a float that is not finite, or (with `max_nodes`) more nodes
    than that, counting a node reached twice (a YAML alias) twice. Iterative: no recursion."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    pop, push = stack.pop, stack.append
    nodes = 0
    limit = max_nodes if max_nodes is not None else math.inf
    while stack:
        item, depth = pop()
        kind = type(item)
        if kind is dict:
            children: Any = item.values()
        elif kind is list:
            children = item
        else:
            _check_scalar(item)
            continue
        if depth > max_depth:
            raise BadContent(f"nested too deeply (more than {max_depth} levels)")
        nodes += len(children)
        if nodes > limit:
            raise BadContent(f"too many values (more than {max_nodes:,}, aliases counted)")
        for child in children:
            ckind = type(child)
            if ckind is dict or ckind is list:
                push((child, depth + 1))
            elif ckind is not str:
                _check_scalar(child)


def _check_scalar(item: Any) -> None:
    if type(item) is int:
        if not -MAX_INTEGER <= item <= MAX_INTEGER:
            raise BadContent("a number in it is too large")
    elif type(item) is float and not math.isfinite(item):
        raise BadContent("a number in it is not finite")


def load_json(path: str | os.PathLike[str], limit: int, *, follow_symlinks: bool = False) -> Any:
    """`read_limited` then `parse_json`: raises `FileNotFoundError` or a `FileProblem`."""
    return parse_json(read_limited(path, limit, follow_symlinks=follow_symlinks))
