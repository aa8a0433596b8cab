"""The routing-table cache, in-process: round trip, keyed by content, any bad entry rebuilt.

`test_cli_flows.py` checks the same through the `meldcode` command; here the many ways an entry
can be damaged are tried without a subprocess each.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from meldcode_tui.flow.cache import StepHead, cached_steps, load_routing, store_steps
from meldcode_tui.flow.errors import FlowError
from meldcode_tui.flow.routing import RoutingTable
from meldcode_tui.flow.validate import load_flow
from meldcode_tui.locations import CACHE_DIR_ENV, default_flow_path

FLOW = default_flow_path()


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(CACHE_DIR_ENV, str(folder))
    return folder


@pytest.fixture(scope="module")
def validated() -> RoutingTable:
    return load_flow(FLOW).routing


def test_the_json_form_round_trips(validated: RoutingTable) -> None:
    assert RoutingTable.from_json(json.loads(json.dumps(validated.to_json()))) == validated


def test_a_cached_table_equals_the_validated_one(cache: Path, validated: RoutingTable) -> None:
    assert load_routing(FLOW) == validated
    [entry] = cache.glob("routing-*.json")
    assert validated.content_hash in entry.name
    assert load_routing(FLOW) == validated


def test_a_warm_cache_is_used_without_validating(
    cache: Path, validated: RoutingTable, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_routing(FLOW)

    def refuse(*args: object) -> None:
        raise AssertionError("validated again although the cache is warm")

    monkeypatch.setattr("meldcode_tui.flow.validate.parse_flow", refuse)
    assert load_routing(FLOW) == validated


def test_a_changed_file_gets_its_own_entry(cache: Path, tmp_path: Path) -> None:
    copy = tmp_path / "kopie.yaml"
    copy.write_bytes(FLOW.read_bytes())
    first = load_routing(copy)
    copy.write_bytes(FLOW.read_bytes().replace(b'version: "1.2"', b'version: "1.3"'))
    second = load_routing(copy)
    assert (first.version, second.version) == ("1.2", "1.3")
    assert first.content_hash != second.content_hash
    assert len(list(cache.glob("routing-*.json"))) == 2


def _inconsistent(data: dict[str, Any]) -> Any:
    data["questions"]["resultaat"]["options"][0]["goto"] = "nergens"
    return data


def _other_flow(data: dict[str, Any]) -> Any:
    data["content_hash"] = "0" * 64
    data["start"] = "resultaat"
    return data


def _renamed_question(data: dict[str, Any]) -> Any:
    data["questions"]["vermoeden"]["id"] = "iets_anders"
    return data


def _no_options(data: dict[str, Any]) -> Any:
    data["questions"]["vermoeden"]["options"] = []
    return data


def _unknown_start(data: dict[str, Any]) -> Any:
    data["start"] = "nergens"
    return data


def _extra_field(data: dict[str, Any]) -> Any:
    data["questions"]["vermoeden"]["options"][0]["kleur"] = "rood"
    return data


CORRUPTIONS: dict[str, Callable[[dict[str, Any]], Any] | bytes] = {
    "empty": b"",
    "truncated": b'{"flow_id": "meldcode-sch',
    "not UTF-8": b"\xff\xfe\x00",
    "a list": b"[]",
    "questions a list": b'{"questions": []}',
    "too deep": b"[" * 100_000,
    "a route to nowhere": _inconsistent,
    "another flow's table": _other_flow,
    "question under another id": _renamed_question,
    "question without options": _no_options,
    "start not a question": _unknown_start,
    "unknown option field": _extra_field,
}


@pytest.mark.parametrize("corruption", CORRUPTIONS.values(), ids=list(CORRUPTIONS))
def test_a_bad_entry_is_rebuilt(
    cache: Path,
    validated: RoutingTable,
    corruption: Callable[[dict[str, Any]], Any] | bytes,
) -> None:
    load_routing(FLOW)
    [entry] = cache.glob("routing-*.json")
    if isinstance(corruption, bytes):
        entry.write_bytes(corruption)
    else:
        entry.write_text(json.dumps(corruption(json.loads(entry.read_text()))), encoding="utf-8")
    assert load_routing(FLOW) == validated
    assert RoutingTable.from_json(json.loads(entry.read_text(encoding="utf-8"))) == validated


def test_a_cache_that_cannot_be_written_is_no_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, validated: RoutingTable
) -> None:
    blocker = tmp_path / "bestand"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv(CACHE_DIR_ENV, str(blocker / "cache"))
    assert load_routing(FLOW) == validated


def test_a_bad_flow_is_a_flow_error_and_is_not_cached(cache: Path, tmp_path: Path) -> None:
    broken = tmp_path / "kapot.yaml"
    broken.write_text("id: proef\n", encoding="utf-8")
    with pytest.raises(FlowError) as caught:
        load_routing(broken)
    assert caught.value.problems[0].file == str(broken)
    assert not list(cache.glob("routing-*.json"))


def test_a_missing_flow_is_a_flow_error(cache: Path, tmp_path: Path) -> None:
    with pytest.raises(FlowError) as caught:
        load_routing(tmp_path / "weg.yaml")
    assert caught.value.problems[0].reason.startswith("cannot read file: ")


def test_the_steps_are_known_without_the_flow_once_it_was_validated(
    cache: Path, tmp_path: Path
) -> None:
    flow_file = tmp_path / "flow.yaml"
    flow_file.write_bytes(FLOW.read_bytes())
    assert cached_steps(flow_file) is None
    flow = load_flow(flow_file)
    store_steps(flow)
    assert cached_steps(flow_file) == [
        StepHead(step.id, step.number, step.title, step.short) for step in flow.steps
    ]
    flow_file.write_bytes(FLOW.read_bytes() + b"\n# changed\n")
    assert cached_steps(flow_file) is None


@pytest.mark.parametrize("damage", ["{", '{"content_hash": "x", "steps": []}', '{"steps": 3}'])
def test_a_damaged_steps_entry_reads_as_unknown(cache: Path, damage: str) -> None:
    store_steps(load_flow(FLOW))
    (entry,) = cache.glob("steps-*.json")
    entry.write_text(damage)
    assert cached_steps(FLOW) is None
