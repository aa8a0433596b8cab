"""Seeding the demo cases: `cases/*.yaml` become case files in a data folder.

Each YAML file is one case in the case-file shape (`meldcode_tui.case.model.Case`) without `id`
and `flow`: the id is the file name without `.yaml`, and the flow reference (id, version,
content hash) is taken from the flow the demo is seeded with. A `create` event gets the flow's id
and version as its target and detail unless it names them.

Dates are relative to the day of seeding, so the demo looks the same every day. Anywhere in a
file, a string that is exactly an offset in days is replaced:

- `-14d`, `+7d`, `0d` — a date (`YYYY-MM-DD`): fourteen days ago, in a week, today;
- `-14d 09:30` — a moment: that day at 09:30 local time (stored in UTC).

Any other string is left alone. All names, schools and events in the files are invented.
"""

from __future__ import annotations

import re
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

if TYPE_CHECKING:
    from meldcode_tui.case.model import Case
    from meldcode_tui.flow.model import Flow

CASE_SUFFIX = ".yaml"

_OFFSET = re.compile(r"([+-]?\d{1,4})d(?: ([01]\d|2[0-3]):([0-5]\d))?")

_Loader: type[yaml.CSafeLoader] | type[yaml.SafeLoader]
try:
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML without libyaml
    _Loader = yaml.SafeLoader


class DemoDataError(ValueError):
    """A demo case file does not fit the case format (a bug in the bundled demo data)."""


def case_files() -> list[Traversable]:
    """The bundled demo case files, in name order."""
    folder = files("meldcode_tui.demo") / "cases"
    return sorted(
        (f for f in folder.iterdir() if f.name.endswith(CASE_SUFFIX)), key=lambda f: f.name
    )


def resolve_dates(value: Any, today: date) -> Any:
    """`value` with every day-offset string replaced by an ISO date or UTC date-time."""
    if isinstance(value, dict):
        return {key: resolve_dates(item, today) for key, item in value.items()}
    if isinstance(value, list):
        return [resolve_dates(item, today) for item in value]
    if isinstance(value, str):
        match = _OFFSET.fullmatch(value)
        if match is not None:
            day = today + timedelta(days=int(match[1]))
            if match[2] is None:
                return day.isoformat()
            local = datetime.combine(day, time(int(match[2]), int(match[3]))).astimezone()
            return local.astimezone(UTC).isoformat()
    return value


def read_case_data(file: Traversable) -> dict[str, Any]:
    """The raw mapping of one demo file, dates not yet resolved."""
    data = yaml.load(file.read_text(encoding="utf-8"), Loader=_Loader)
    if not isinstance(data, dict):
        raise DemoDataError(f"{file.name}: not a mapping")
    return data


def build_case(case_id: str, data: dict[str, Any], flow: Flow, today: date) -> Case:
    """The case of one demo file, with its id, the flow reference and real dates."""
    from pydantic import ValidationError

    from meldcode_tui.case.model import Case

    raw = resolve_dates(data, today)
    raw["id"] = case_id
    raw["flow"] = {"id": flow.id, "version": flow.version, "content_hash": flow.content_hash}
    for event in raw.get("events", []):
        if isinstance(event, dict) and event.get("action") == "create":
            event.setdefault("target", flow.id)
            event.setdefault("detail", flow.version)
    try:
        return Case.model_validate(raw)
    except ValidationError as exc:
        raise DemoDataError(f"{case_id}{CASE_SUFFIX}: {exc}") from None


def demo_cases(flow: Flow, today: date | None = None) -> list[Case]:
    """Every bundled demo case, as it would be seeded today."""
    today = today or date.today()
    return [
        build_case(file.name.removesuffix(CASE_SUFFIX), read_case_data(file), flow, today)
        for file in case_files()
    ]


def seed_demo(root: Path, flow: Flow, today: date | None = None) -> list[str]:
    """Write the demo cases into the data folder `root`; returns their ids.

    Files are written atomically through the store's folder and id checks; the times in the files
    (created, updated, events) are kept as the demo data gives them, not stamped with now.
    """
    from meldcode_tui.case.atomic import write_atomic
    from meldcode_tui.case.codec import dump_case
    from meldcode_tui.case.store import CaseStore

    store = CaseStore(root)
    ids: list[str] = []
    for case in demo_cases(flow, today):
        write_atomic(store.path_of(case.id), dump_case(case), durable=False)
        ids.append(case.id)
    return ids


def load_bundled_flow() -> Flow:
    from meldcode_tui.flow.validate import load_flow
    from meldcode_tui.locations import default_flow_path

    return load_flow(default_flow_path())


@contextmanager
def demo_data_dir(flow: Flow | None = None, today: date | None = None) -> Iterator[Path]:
    """A fresh temporary data folder (0700) seeded with the demo cases, removed on exit, also
    when the body raises."""
    from meldcode_tui.leftovers import demo_prefix

    root = Path(tempfile.mkdtemp(prefix=demo_prefix()))
    try:
        seed_demo(root, flow or load_bundled_flow(), today)
        yield root
    finally:
        shutil.rmtree(root, ignore_errors=True)
        if root.exists():
            sys.stderr.write(f"meldcode: could not remove the demo folder {root}\n")
