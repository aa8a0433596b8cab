"""A cache of validated routing tables, keyed by the flow file's content hash.

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

from meldcode_tui import __version__
from meldcode_tui.flow.errors import read_flow_file
from meldcode_tui.flow.routing import FORMAT, RoutingTable
from meldcode_tui.locations import cache_dir
from meldcode_tui.safe_read import ROUTING_CACHE_LIMIT, load_json


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


def _store(entry: Path, table: RoutingTable) -> None:
    try:
        entry.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=entry.parent, prefix=".routing-", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(table.to_json(), out)
        os.replace(tmp, entry)
    except OSError:
        pass
