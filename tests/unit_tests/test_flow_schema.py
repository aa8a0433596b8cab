"""The JSON Schema of the flow format (`flows/flow.schema.json`): current, and a usable schema.

The file is generated from `Flow.model_json_schema()` by `scripts/write_flow_schema.py`; this fails
when the committed file drifts from the model. The schema is then run, by a small validator for the
keywords pydantic emits, over the bundled flow (accepted) and over broken ones (refused), so editor
completion describes the files `meldcode flows check` accepts.
"""

from __future__ import annotations

import copy
import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

from meldcode_tui.flow.model import Flow
from meldcode_tui.locations import default_flow_path

REPO = Path(__file__).resolve().parents[2]
SCHEMA_PATH = REPO / "flows" / "flow.schema.json"
FIX = "python scripts/write_flow_schema.py"

TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,),
    "array": (list,),
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "null": (type(None),),
}


def _load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "write_flow_schema", REPO / "scripts" / "write_flow_schema.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def errors(instance: Any, schema: dict[str, Any], root: dict[str, Any], at: str = "") -> list[str]:
    """Where `instance` breaks `schema`, for the keywords pydantic's schemas use."""
    if "$ref" in schema:
        name = schema["$ref"].removeprefix("#/$defs/")
        return errors(instance, root["$defs"][name], root, at)
    if "anyOf" in schema:
        branches = [errors(instance, s, root, at) for s in schema["anyOf"]]
        return [] if any(not b for b in branches) else min(branches, key=len)
    found: list[str] = []
    kind = schema.get("type")
    if kind is not None:
        is_bool = isinstance(instance, bool)
        if not isinstance(instance, TYPES[kind]) or (is_bool and kind in ("integer", "number")):
            return [f"{at}: not {kind}"]
    if "enum" in schema and instance not in schema["enum"]:
        found.append(f"{at}: not one of {schema['enum']}")
    if "const" in schema and instance != schema["const"]:
        found.append(f"{at}: not {schema['const']!r}")
    if isinstance(instance, str) and len(instance) < schema.get("minLength", 0):
        found.append(f"{at}: too short")
    if isinstance(instance, list):
        if len(instance) < schema.get("minItems", 0):
            found.append(f"{at}: too few items")
        for index, item in enumerate(instance):
            found += errors(item, schema.get("items", {}), root, f"{at}[{index}]")
    if isinstance(instance, dict):
        properties = schema.get("properties", {})
        found += [
            f"{at}.{key}: required" for key in schema.get("required", ()) if key not in instance
        ]
        for key, value in instance.items():
            if key in properties:
                found += errors(value, properties[key], root, f"{at}.{key}")
            elif schema.get("additionalProperties") is False:
                found.append(f"{at}.{key}: not allowed")
    return found


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def bundled() -> dict[str, Any]:
    return yaml.safe_load(default_flow_path().read_bytes())


def test_the_committed_schema_is_what_the_generator_writes() -> None:
    script = _load_script()
    committed = SCHEMA_PATH.read_text(encoding="utf-8")
    assert committed == script.render_schema(), f"flows/flow.schema.json is out of date: {FIX}"
    assert committed.endswith("}\n") and not committed.endswith("\n\n")


def test_the_generator_check_mode_agrees(capsys: pytest.CaptureFixture[str]) -> None:
    assert _load_script().main(["--check"]) == 0
    assert "up to date" in capsys.readouterr().out


def test_the_schema_describes_every_key_of_the_model(schema: dict[str, Any]) -> None:
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert set(schema["properties"]) == set(Flow.model_fields)
    assert schema["additionalProperties"] is False
    assert set(schema["required"]) == {"id", "version", "title", "steps"}
    assert "content_hash" not in schema["properties"]


def test_the_bundled_flow_points_editors_at_the_schema() -> None:
    first_line = default_flow_path().read_text(encoding="utf-8").splitlines()[0]
    assert first_line == "# yaml-language-server: $schema=flow.schema.json"
    assert (default_flow_path().parent / "flow.schema.json").is_file()


def test_the_bundled_flow_is_valid_under_the_schema(
    schema: dict[str, Any], bundled: dict[str, Any]
) -> None:
    assert errors(bundled, schema, schema) == []


@pytest.mark.parametrize(
    ("where", "value", "expected"),
    [
        (("steps", 3, "questions", 0, "options", 0), {"gotoo": "end"}, "not allowed"),
        (("steps", 0), {"fields": 3}, "not array"),
        (("steps", 0, "fields", 0), {"kind": "schuifregelaar"}, "not one of"),
        (("meldnormen", 0), {"label": ""}, "too short"),
        (("steps", 3, "questions", 0, "options", 1, "effect"), {"melden": "ja"}, "not boolean"),
    ],
)
def test_the_schema_refuses_what_the_loader_refuses(
    schema: dict[str, Any],
    bundled: dict[str, Any],
    where: tuple[str | int, ...],
    value: dict[str, Any],
    expected: str,
) -> None:
    doc = copy.deepcopy(bundled)
    node: Any = doc
    for part in where:
        node = node[part]
    node.update(value)
    found = errors(doc, schema, schema)
    assert any(expected in e for e in found), found


def test_a_flow_without_steps_is_refused(schema: dict[str, Any], bundled: dict[str, Any]) -> None:
    doc = {k: v for k, v in bundled.items() if k != "steps"}
    assert errors(doc, schema, schema) == [".steps: required"]
