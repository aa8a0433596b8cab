"""Fuzzing `parse_flow`: whatever the bytes, the only exception it raises is `FlowError`.

Three sources of input: random mutations of the bundled flow (the realistic case: an author's
edit gone wrong), YAML-looking text, and raw bytes. Every problem reported is one line naming the
file, and a flow that does validate routes any answers without crashing.
"""

from __future__ import annotations

import copy
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meldcode_tui.flow.engine import AnswerError, route
from meldcode_tui.flow.errors import FlowError
from meldcode_tui.flow.model import Flow
from meldcode_tui.flow.validate import parse_flow
from meldcode_tui.locations import default_flow_path

FILE = "fuzz.yaml"
DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
BUNDLED: dict[str, Any] = yaml.safe_load(default_flow_path().read_bytes())
IDS = sorted(
    {"end", "repeat", "", "acuut", "geen_hulp"}
    | {q["id"] for s in BUNDLED["steps"] for q in s.get("questions", [])}
)


def _places(node: Any, here: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    out = [here] if here else []
    if isinstance(node, dict):
        for key, value in node.items():
            out += _places(value, (*here, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            out += _places(value, (*here, index))
    return out


PLACES = _places(BUNDLED)

scalars = (
    st.none()
    | st.booleans()
    | st.integers(-3, 10**6)
    | st.floats(allow_nan=True)
    | st.text(max_size=12)
    | st.sampled_from(IDS)
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)
mutations = st.tuples(
    st.sampled_from(["set", "delete", "duplicate", "add_key"]), st.sampled_from(PLACES), values
)


def _mutate(doc: dict[str, Any], how: str, place: tuple[str | int, ...], value: Any) -> None:
    *parents, last = place
    node: Any = doc
    for part in parents:
        if not isinstance(node, (dict, list)):
            return
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return
    if not isinstance(node, (dict, list)):  # an earlier change replaced a parent by a scalar
        return
    if isinstance(node, list) and not (isinstance(last, int) and last < len(node)):
        return
    if isinstance(node, dict) and last not in node:
        return
    if how == "set":
        node[last] = value
    elif how == "delete":
        del node[last]
    elif how == "duplicate" and isinstance(node, list):
        node.insert(last, copy.deepcopy(node[last]))
    elif how == "add_key" and isinstance(node[last], dict):
        node[last][str(value)[:12] or "x"] = value


def _check(data: bytes) -> Flow | None:
    try:
        flow = parse_flow(data, FILE)
    except FlowError as exc:
        assert exc.problems
        for problem in exc.problems:
            text = str(problem)
            assert text.startswith(f"{FILE}: ")
            assert "\n" not in text and "\r" not in text
        return None
    return flow


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(changes=st.lists(mutations, min_size=1, max_size=4))
def test_a_mutated_bundled_flow_raises_only_flow_error(
    changes: list[tuple[str, tuple[str | int, ...], Any]],
) -> None:
    doc = copy.deepcopy(BUNDLED)
    for how, place, value in changes:
        _mutate(doc, how, place, value)
    flow = _check(
        yaml.dump(doc, Dumper=DUMPER, allow_unicode=True, sort_keys=False).encode("utf-8")
    )
    if flow is not None:
        for question in flow.routing.questions.values():
            for option in question.options:
                try:
                    route(flow.routing, {question.id: option.id})
                except AnswerError:
                    raise AssertionError("a valid option was refused") from None


yaml_text = st.text(alphabet="ab:-[]{}#&*!|>'\",.?% \n\t0123456789~", max_size=120)


@settings(max_examples=200, deadline=None)
@given(text=yaml_text)
def test_yaml_looking_text_raises_only_flow_error(text: str) -> None:
    _check(text.encode("utf-8"))


@settings(max_examples=200, deadline=None)
@given(data=st.binary(max_size=200))
def test_random_bytes_raise_only_flow_error(data: bytes) -> None:
    _check(data)


@settings(max_examples=50, deadline=None)
@given(value=values, key=st.sampled_from(["id", "version", "title", "steps", "meldnormen"]))
def test_a_flow_with_a_random_top_level_value_raises_only_flow_error(value: Any, key: str) -> None:
    doc = {k: v for k, v in BUNDLED.items() if k in ("id", "version", "title", "steps")}
    doc[key] = value
    _check(yaml.dump(doc, Dumper=DUMPER, allow_unicode=True).encode("utf-8"))
