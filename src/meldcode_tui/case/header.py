"""The listing's fast read of a case file: the fields of its summary, checked by hand, without
pydantic.

`summary_row` gives the index row (`case.index`) of a well-formed current-format file, exactly
as `summary_fields` of the validated `Case` would, or None whenever it is not sure (bad JSON,
an older format, a field of another type or format, an unknown key at the top): the listing
then validates the file in full, with the error that says why. What this read does not look at
(answers, step values, the events before the last) is validated when the case is opened, so a
file damaged deep inside lists, and says what is wrong when it is opened.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from meldcode_tui.case.index import CLOSED, EDITOR_SEPARATOR
from meldcode_tui.case.migrate import SCHEMA_VERSION

CASE_KEYS = frozenset(
    {
        "schema_version",
        "id",
        "revision",
        "flow",
        "pupil",
        "group",
        "created_by",
        "created_at",
        "updated_at",
        "updated_by",
        "status",
        "status_reason",
        "answers",
        "steps",
        "decisions",
        "aftercare",
        "position",
        "progress",
        "linked_case",
        "retain_until",
        "events",
    }
)
"""The top-level keys of a case file (`Case.model_fields`; a unit test keeps them equal)."""

STATUSES = frozenset({"open", "gemeld", "hulp", "nazorg", CLOSED, "heropend"})
"""The values of `case.model.Status` (a unit test keeps them equal)."""


class _Unsure(Exception):
    """The fast read cannot vouch for this file: validate it in full."""


def summary_row(data: bytes, case_id: str) -> list[str | None] | None:
    """The index row of the case file `data` named for `case_id`, or None (validate in full)."""
    try:
        raw = json.loads(data)
        return _row(raw, case_id)
    except (_Unsure, ValueError, RecursionError, TypeError, KeyError, AttributeError):
        return None


def _row(raw: Any, case_id: str) -> list[str | None]:
    if type(raw) is not dict or not raw.keys() <= CASE_KEYS:
        raise _Unsure
    if raw.get("schema_version", SCHEMA_VERSION) != SCHEMA_VERSION or raw.get("id") != case_id:
        raise _Unsure
    pupil = _text(raw["pupil"])
    if not pupil:
        raise _Unsure
    status = raw.get("status", "open")
    if status not in STATUSES:
        raise _Unsure
    for key in ("revision",):
        if key in raw and (type(raw[key]) is not int or raw[key] < 0):
            raise _Unsure
    flow = raw["flow"]
    if type(flow) is not dict or flow.keys() != {"id", "version", "content_hash"}:
        raise _Unsure
    for value in flow.values():
        _text(value)
    created_by = _actor(raw["created_by"])
    updated_by = _actor(raw["updated_by"]) if raw.get("updated_by") is not None else None
    events = raw.get("events", [])
    if type(events) is not list:
        raise _Unsure
    event_by = [_actor(_dict(event)["by"]) for event in events]
    last_by = event_by[-1] if event_by else None
    position = _dict(raw.get("position", {}))
    step = _text(raw.get("progress", "")) or _text(position.get("step", ""))
    if not step:
        step = _first_worked_step(_dict(raw.get("steps", {})))
    by = updated_by or last_by or created_by
    due = _next_due(raw.get("aftercare", []))
    retain_until = raw.get("retain_until")
    if retain_until is not None and (type(retain_until) is not str or len(retain_until) != 10):
        raise _Unsure
    if retain_until is not None:
        retain_until = date.fromisoformat(retain_until).isoformat()
    editors = [created_by, *event_by, *([updated_by] if updated_by else [])]
    return [
        pupil,
        _text(raw.get("group", "")),
        status,
        step,
        _moment(raw["updated_at"]),
        by,
        due,
        _moment(raw["created_at"]),
        _text(flow["id"]),
        retain_until,
        EDITOR_SEPARATOR.join(dict.fromkeys(editors)),
    ]


def _text(value: Any) -> str:
    if type(value) is not str:
        raise _Unsure
    return value


def _dict(value: Any) -> dict[str, Any]:
    if type(value) is not dict:
        raise _Unsure
    return value


def _actor(value: Any) -> str:
    """The name of an `Actor` object."""
    actor = _dict(value)
    if not actor.keys() <= {"name", "role"}:
        raise _Unsure
    name = _text(actor["name"])
    _text(actor.get("role", ""))
    if not name:
        raise _Unsure
    return name


def _moment(value: Any) -> str:
    """An ISO time with its zone, as the validated case gives it back (`isoformat`)."""
    text = _text(value)
    if len(text) < 20 or text[10] != "T":
        raise _Unsure  # pydantic reads more forms than this; those are validated in full
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise _Unsure
    return moment.isoformat()


def _first_worked_step(steps: dict[str, Any]) -> str:
    for step_id, record in steps.items():
        record = _dict(record)
        if record.get("values") or record.get("notes"):
            return step_id
    return ""


def _next_due(items: Any) -> str | None:
    if type(items) is not list:
        raise _Unsure
    dues: list[date] = []
    for item in items:
        item = _dict(item)
        due, status = item.get("due"), item.get("status", "open")
        if status not in ("open", "gedaan", "nvt"):
            raise _Unsure
        if due is None:
            continue
        text = _text(due)
        if len(text) != 10:
            raise _Unsure
        if status == "open":
            dues.append(date.fromisoformat(text))
    return min(dues).isoformat() if dues else None
