"""Listing the data folder fast: case summaries, list errors, and the rebuildable `.index.json`.

The index maps a case file name to [mtime_ns, ctime_ns, size, inode, row], the row being the
summary's fields in `_ROW` order, or an English reason when the file cannot be listed. A file whose
stat differs, or that is missing from the index, is read and validated again; files changed in the
last two seconds are never cached, so a coarse file-system clock cannot hide a change. Deleting the
index only makes the next listing slower. A file is read by `case.header` (its summary fields,
no pydantic); pydantic is imported only for a file that read cannot vouch for.
"""

from __future__ import annotations

import json
import os
import stat
import time
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from meldcode_tui.case.atomic import is_temp_name, remove_if_stale_temp, write_atomic
from meldcode_tui.case.errors import CaseReadError, DataFolderError
from meldcode_tui.case.folder import check_folder
from meldcode_tui.case.ids import CASE_SUFFIX, is_valid_id
from meldcode_tui.case.lock import LOCK_SUFFIX, classify
from meldcode_tui.case.migrate import SCHEMA_VERSION
from meldcode_tui.safe_read import (
    CASE_FILE_LIMIT,
    INDEX_LIMIT,
    FileProblem,
    UnreadableFile,
    load_json,
    read_limited,
)

if TYPE_CHECKING:
    from meldcode_tui.case.model import Case

INDEX_NAME = ".index.json"
INDEX_FORMAT = 3
RACY_NS = 2_000_000_000
CLOSED = "gesloten"
"""The status of a closed case (`case.model.Status.GESLOTEN`, which imports pydantic)."""


class CaseSummary(NamedTuple):
    """One line of the case list."""

    id: str
    pupil: str
    group: str
    status: str
    step: str
    updated: str
    updated_by: str
    next_due: str | None
    overdue: bool
    created: str = ""
    flow: str = ""
    locked_by: str | None = None
    retain_until: str | None = None
    """The "bewaren tot" date (ISO) of a closed case, if one was recorded."""
    editors: tuple[str, ...] = ()
    """Everyone who created or changed the case, in the order they first did (for a search by
    name; `updated_by` is only the last)."""

    def to_json(self) -> dict[str, Any]:
        return self._asdict()


class ListError(NamedTuple):
    """A file in the data folder that is not listed, and why (English, no case content)."""

    file: str
    reason: str

    def to_json(self) -> dict[str, str]:
        return {"file": self.file, "reason": self.reason}


class Listing:
    """The result of listing a data folder."""

    __slots__ = ("cases", "errors")

    def __init__(
        self, cases: list[CaseSummary] | None = None, errors: list[ListError] | None = None
    ) -> None:
        self.cases: list[CaseSummary] = cases if cases is not None else []
        self.errors: list[ListError] = errors if errors is not None else []

    def __repr__(self) -> str:
        return f"Listing(cases={self.cases!r}, errors={self.errors!r})"

    def to_json(self) -> dict[str, Any]:
        return {
            "cases": [c.to_json() for c in self.cases],
            "errors": [e.to_json() for e in self.errors],
        }

    def not_closed_for(self, pupil: str) -> list[CaseSummary]:
        """The cases not closed whose pupil reference is `pupil`, case and spacing aside: a
        second case for the same pupil would split their dossier in two."""
        wanted = reference_key(pupil)
        return [c for c in self.cases if c.status != CLOSED and reference_key(c.pupil) == wanted]


def reference_key(pupil: str) -> str:
    """A pupil reference as compared: without case, and with runs of spaces as one."""
    return " ".join(pupil.casefold().split())


def summary_fields(case: Case) -> dict[str, Any]:
    """What the index keeps of a case: everything in a `CaseSummary` that does not change with
    today's date or with locks."""
    step = (
        case.progress
        or case.position.step
        or next((sid for sid, rec in case.steps.items() if rec.values or rec.notes), "")
    )
    last = case.last_event()
    by = case.updated_by or (last.by if last else None) or case.created_by
    due = case.next_aftercare_due()
    return {
        "pupil": case.pupil,
        "group": case.group,
        "status": case.status.value,
        "step": step,
        "updated": case.updated_at.isoformat(),
        "updated_by": by.name,
        "next_due": due.isoformat() if due else None,
        "created": case.created_at.isoformat(),
        "flow": case.flow.id,
        "retain_until": case.retain_until.isoformat() if case.retain_until else None,
        "editors": EDITOR_SEPARATOR.join(editors_of(case)),
    }


def editors_of(case: Case) -> list[str]:
    """The names of everyone who created or changed the case, each once, first one first."""
    actors = [case.created_by, *(event.by for event in case.events), case.updated_by]
    return list(dict.fromkeys(a.name for a in actors if a is not None and a.name))


def summarize(case: Case, today: date | None = None) -> CaseSummary:
    return _summary(case.id, _row(summary_fields(case)), (today or date.today()).isoformat(), None)


_ROW = (
    "pupil",
    "group",
    "status",
    "step",
    "updated",
    "updated_by",
    "next_due",
    "created",
    "flow",
    "retain_until",
    "editors",
)
"""The order of a summary's fields in an index row (an index row of another length is read
again from its case file)."""
EDITOR_SEPARATOR = "\n"
"""Between the names in the index row's `editors` (a name is one line)."""


def _row(fields: dict[str, Any]) -> list[str | None]:
    return [fields[k] for k in _ROW]


def _row_ok(row: Any) -> bool:
    return (
        type(row) is list
        and len(row) == len(_ROW)
        and all(type(v) is str or v is None for v in row)
    )


def _summary(case_id: str, row: list[Any], today: str, locked_by: str | None) -> CaseSummary:
    (pupil, group, status, step, updated, updated_by, next_due, created, flow, retain_until) = row[
        :10
    ]
    editors = row[10]
    return CaseSummary(
        case_id,
        pupil,
        group,
        status,
        step,
        updated,
        updated_by,
        next_due,
        next_due is not None and next_due < today,
        created,
        flow,
        locked_by,
        retain_until,
        tuple(editors.split(EDITOR_SEPARATOR)) if editors else (),
    )


def list_cases(
    root: Path, *, use_index: bool = True, write_index: bool = True, today: date | None = None
) -> Listing:
    """Summaries of every readable case in `root`, newest first, and the files that failed.

    Never changes a case file; removes only stale temp files of this program. A missing folder
    lists as empty; an unreadable one raises `DataFolderError`, one open to others or owned by
    someone else `UnsafeFolderError`. A file that cannot be listed (damaged, too large, not a
    regular file) is one entry in `errors`; the other cases still list.
    """
    try:
        check_folder(root)
        with os.scandir(root) as it:
            entries = list(it)
    except FileNotFoundError:
        return Listing()
    except OSError as exc:
        raise DataFolderError(f"cannot read the data folder {root}: {exc.strerror}") from None
    today_iso = (today or date.today()).isoformat()
    now_ns = time.time_ns()
    settled_ns = now_ns - RACY_NS
    old = _read_index(root) if use_index else {}
    new: dict[str, list[Any]] = {}
    dirty = False
    found: list[tuple[str, list[Any]]] = []
    listing = Listing()
    locks: list[str] = []
    for entry in entries:
        name = entry.name
        if name.startswith("."):
            if is_temp_name(name):
                remove_if_stale_temp(root, name, now_ns / 1e9)
            continue
        if not name.endswith(CASE_SUFFIX):
            if name.endswith(LOCK_SUFFIX):
                locks.append(name[: -len(LOCK_SUFFIX)])
            continue
        case_id = name[: -len(CASE_SUFFIX)]
        if not is_valid_id(case_id):
            listing.errors.append(ListError(name, "the file name is not a case id"))
            continue
        try:
            st = entry.stat(follow_symlinks=False)
        except OSError as exc:
            listing.errors.append(ListError(name, f"cannot read the file ({exc.strerror})"))
            continue
        if not stat.S_ISREG(st.st_mode):
            listing.errors.append(ListError(name, "not a regular file"))
            continue
        key = [st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino]
        cached = old.get(name)
        if (
            cached is not None
            and cached[:4] == key
            and (type(cached[4]) is str or _row_ok(cached[4]))
        ):
            item = cached[4]
            fresh = False
        else:
            item = _read_item(root / name, name, case_id)
            fresh = True
        if st.st_mtime_ns < settled_ns and st.st_ctime_ns < settled_ns:
            key.append(item)
            new[name] = key
            dirty = dirty or fresh
        if type(item) is str:
            listing.errors.append(ListError(name, item))
        else:
            found.append((case_id, item))
    holders = {case_id: _lock_user(root, case_id) for case_id in locks}
    listing.cases = [_summary(cid, row, today_iso, holders.get(cid)) for cid, row in found]
    listing.cases.sort(key=_newest_first, reverse=True)
    listing.errors.sort(key=lambda e: e.file)
    if write_index and (dirty or new.keys() != old.keys()):
        _write_index(root, new)
    return listing


def _newest_first(summary: CaseSummary) -> tuple[str, str]:
    return summary.updated, summary.id


def _read_item(path: Path, name: str, case_id: str) -> list[Any] | str:
    """The index row of a case file, or why it cannot be listed: read by `case.header` where it
    can vouch for the file, else validated in full."""
    from meldcode_tui.case.header import summary_row

    try:
        data = read_limited(path, CASE_FILE_LIMIT)
    except FileNotFoundError:
        return _GONE
    except UnreadableFile as exc:
        return exc.reason
    row = summary_row(data, case_id)
    if row is not None:
        return row
    from meldcode_tui.case.codec import parse_case

    try:
        case = parse_case(data, name, case_id)
    except CaseReadError as exc:
        return exc.reason
    return _row(summary_fields(case))


_GONE = "the file disappeared while listing"


def _lock_user(root: Path, case_id: str) -> str | None:
    state = classify(root / f"{case_id}{LOCK_SUFFIX}")
    if not state.held or state.holder is None:
        return None
    return state.holder.user or "unknown"


def _read_index(root: Path) -> dict[str, list[Any]]:
    """The index's entries; an index that is missing or not usable reads as empty (rebuilt)."""
    try:
        raw = load_json(root / INDEX_NAME, INDEX_LIMIT)
    except (OSError, FileProblem):
        return {}
    if not _index_ok(raw):
        return {}
    return {
        name: value
        for name, value in raw["entries"].items()
        if type(value) is list and len(value) == 5
    }


def forget(root: Path, case_id: str) -> None:
    """Drop a case's row from the index at once (a destroyed case: its row names the pupil); an
    index that is not usable is replaced by one without it. Raises `OSError`."""
    if not os.path.lexists(root / INDEX_NAME):
        return
    entries = _read_index(root)
    entries.pop(f"{case_id}{CASE_SUFFIX}", None)
    _write_index(root, entries, strict=True)


def _index_ok(raw: Any) -> bool:
    return (
        isinstance(raw, dict)
        and raw.get("format") == INDEX_FORMAT
        and raw.get("schema") == SCHEMA_VERSION
        and isinstance(raw.get("entries"), dict)
    )


def _write_index(root: Path, entries: dict[str, list[Any]], *, strict: bool = False) -> None:
    """Replace the index; an error is ignored (the index is rebuildable) unless `strict`."""
    data = {"format": INDEX_FORMAT, "schema": SCHEMA_VERSION, "entries": entries}
    encoded = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    try:
        write_atomic(root / INDEX_NAME, encoded, durable=strict)
    except OSError:
        if strict:
            raise
