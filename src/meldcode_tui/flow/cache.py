"""Caches of what a validated flow file yields, keyed by the file's content hash: the routing
table, and the steps' ids, numbers, titles and short names (what a list of cases shows before
the flow loads).

Like a `.pyc` file: a flow file is validated in full once; afterwards, as long as its bytes are
unchanged, routing answers reads the stored table and needs neither YAML nor pydantic. A cache entry
that is missing, unreadable, inconsistent or from another program version is simply rebuilt. The
file is read once, so the table stored is the one for the bytes its name is keyed by.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from meldcode_tui import __version__
from meldcode_tui.flow.errors import read_flow_file
from meldcode_tui.flow.routing import FORMAT, RoutingTable
from meldcode_tui.locations import cache_dir
from meldcode_tui.safe_read import ROUTING_CACHE_LIMIT, load_json

if TYPE_CHECKING:
    from meldcode_tui.flow.model import Flow

STEPS_FORMAT = 2


class StepHead(NamedTuple):
    """A step as a list names it."""

    id: str
    number: int | None
    title: str
    short: str = ""


def load_routing(path: str | Path) -> RoutingTable:
    """The routing table of a flow file; raises `FlowError` when the file is not a valid flow."""
    path = Path(path)
    data = read_flow_file(path)
    digest = hashlib.sha256(data).hexdigest()
    entry = cache_dir() / f"routing-{__version__}-{FORMAT}-{digest}.json"
    try:
        table = RoutingTable.from_json(load_json(entry, ROUTING_CACHE_LIMIT))
    except Exception:
        pass
    else:
        if table.content_hash == digest:
            return table

    from meldcode_tui.flow.validate import parse_flow

    table = parse_flow(data, str(path)).routing
    _store(entry, table)
    return table


def _steps_entry(digest: str) -> Path:
    return cache_dir() / f"steps-{__version__}-{STEPS_FORMAT}-{digest}.json"


def cached_steps(path: str | Path) -> list[StepHead] | None:
    """The steps of the flow file at `path` as stored by `store_steps` for its current bytes;
    None when there is no usable entry (the flow was never validated in this form) or the file
    cannot be read. Needs neither YAML nor pydantic."""
    try:
        digest = hashlib.sha256(read_flow_file(Path(path))).hexdigest()
        data = load_json(_steps_entry(digest), ROUTING_CACHE_LIMIT)
        if data["content_hash"] != digest:
            return None
        heads = [
            StepHead(str(i), n if type(n) is int else None, str(t), str(s))
            for i, n, t, s in data["steps"]
        ]
    except Exception:
        return None
    return heads or None


def store_steps(flow: Flow) -> None:
    """Keep the steps of a validated flow for `cached_steps` (best effort)."""
    steps = [[step.id, step.number, step.title, step.short] for step in flow.steps]
    _store(_steps_entry(flow.content_hash), {"content_hash": flow.content_hash, "steps": steps})


def _store(entry: Path, data: RoutingTable | dict[str, object]) -> None:
    try:
        entry.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=entry.parent, prefix=".cache-", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(data.to_json() if isinstance(data, RoutingTable) else data, out)
        os.replace(tmp, entry)
    except OSError:
        pass
