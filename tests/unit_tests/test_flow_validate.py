"""Validation of flow files: each kind of broken file is rejected with its place and reason.

Broken flows are small: either a fixture file in `flow_fixtures/`, or the valid
`flow_fixtures/minimal.yaml` with one change made at a place written the way messages write it
(`steps[1].questions[0].options[0].goto`).
"""

from __future__ import annotations

import copy
import hashlib
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from meldcode_tui.flow.errors import FlowError, Problem
from meldcode_tui.flow.model import Flow
from meldcode_tui.flow.validate import load_flow, parse_flow
from meldcode_tui.locations import default_flow_path

FIXTURES = Path(__file__).parent / "flow_fixtures"
MINIMAL = FIXTURES / "minimal.yaml"

DELETE = object()
"""Value for `changed()`: remove the key or list item at the place."""

_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def parts_of(place: str) -> list[str | int]:
    return [name if name else int(index) for name, index in _PART.findall(place)]


def changed(doc: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """A copy of `doc` with each place set to its value; an index one past the end appends."""
    doc = copy.deepcopy(doc)
    for place, value in changes.items():
        *parents, last = parts_of(place)
        node: Any = doc
        for part in parents:
            node = node[part]
        if value is DELETE:
            del node[last]
        elif isinstance(last, int) and last == len(node):
            node.append(value)
        else:
            node[last] = value
    return doc


def dump(doc: Any) -> bytes:
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False).encode("utf-8")


def problems_of(data: bytes, file: str = "proef.yaml") -> list[Problem]:
    with pytest.raises(FlowError) as caught:
        parse_flow(data, file)
    return caught.value.problems


def assert_reported(problems: list[Problem], place: str, reason: str) -> None:
    """Some problem names exactly this place, and its reason contains `reason`."""
    at_place = [p for p in problems if p.place == place]
    assert at_place, f"no problem at {place!r}; got {[str(p) for p in problems]}"
    assert any(reason in p.reason for p in at_place), [str(p) for p in at_place]


@pytest.fixture(scope="module")
def minimal() -> dict[str, Any]:
    return yaml.safe_load(MINIMAL.read_bytes())


Q0 = "steps[1].questions[0]"
Q1 = "steps[1].questions[1]"

# kind → the change to the minimal flow, the place the message must name, and its reason.
BROKEN: dict[str, tuple[dict[str, Any], str, str]] = {
    "wrong type: steps is a number": ({"steps": 3}, "steps", "valid list"),
    "wrong type: option label is a list": (
        {f"{Q0}.options[0].label": ["Ja", "Nee"]},
        f"{Q0}.options[0].label",
        "valid string",
    ),
    "wrong type: step number is text": ({"steps[0].number": "een"}, "steps[0].number", "integer"),
    "wrong type: effect melden is text": (
        {f"{Q0}.options[1].effect.melden": "misschien"},
        f"{Q0}.options[1].effect.melden",
        "boolean",
    ),
    "unknown field kind": (
        {"steps[0].fields[0].kind": "schuifregelaar"},
        "steps[0].fields[0].kind",
        "unknown value 'schuifregelaar'",
    ),
    "unknown key": (
        {f"{Q0}.options[0].gotoo": "end"},
        f"{Q0}.options[0].gotoo",
        "unknown key",
    ),
    "unknown top-level key": ({"auteur": "Mr. X"}, "auteur", "unknown key"),
    "missing required key: question text": ({f"{Q0}.text": DELETE}, f"{Q0}.text", "missing"),
    "missing required key: flow id": ({"id": DELETE}, "id", "required key is missing"),
    "empty list where one item is needed": (
        {f"{Q0}.options": []},
        f"{Q0}.options",
        "at least 1 item",
    ),
    "duplicate question id": ({f"{Q1}.id": "vermoeden"}, f"{Q1}.id", "duplicate question id"),
    "duplicate option id": (
        {f"{Q1}.options[2].id": "ja"},
        f"{Q1}.options[2].id",
        "duplicate option id 'ja'",
    ),
    "duplicate step id": ({"steps[1].id": "signalen"}, "steps[1].id", "duplicate step id"),
    "duplicate field id": (
        {"steps[0].fields[1].id": "datum"},
        "steps[0].fields[1].id",
        "duplicate field id 'datum'",
    ),
    "duplicate choice option id": (
        {"steps[0].fields[1].options[1].id": "eigen"},
        "steps[0].fields[1].options[1].id",
        "duplicate option id 'eigen'",
    ),
    "duplicate meldnorm id": (
        {"meldnormen[1].id": "acuut"},
        "meldnormen[1].id",
        "duplicate meldnorm id 'acuut'",
    ),
    "reserved word as question id": ({f"{Q1}.id": "end"}, f"{Q1}.id", "reserved routing target"),
    "routing target does not exist": (
        {f"{Q0}.options[0].goto": "nergens"},
        f"{Q0}.options[0].goto",
        "routing target 'nergens' does not exist",
    ),
    "unreachable question": (
        {
            "steps[1].questions[2]": {
                "id": "los",
                "text": "Wie vraagt dit?",
                "options": [{"id": "ja", "label": "Ja", "goto": "end"}],
            }
        },
        "steps[1].questions[2]",
        "'los' cannot be reached from the first question 'vermoeden'",
    ),
    "routing cycle": (
        {f"{Q1}.options[2].goto": "vermoeden"},
        f"{Q1}.options[2].goto",
        "routing cycle: vermoeden → veiligheid → vermoeden",
    ),
    "question routes to itself": (
        {f"{Q1}.options[2].goto": "veiligheid"},
        f"{Q1}.options[2].goto",
        "routing cycle: veiligheid → veiligheid (use 'repeat'",
    ),
    "option without a route": (
        {f"{Q0}.options[1].goto": DELETE},
        f"{Q0}.options[1]",
        "option 'nee' has no route: add goto",
    ),
    "unknown meldnorm id": (
        {f"{Q1}.options[0].effect.meldnormen[1]": "structureel"},
        f"{Q1}.options[0].effect.meldnormen[1]",
        "unknown meldnorm id 'structureel'",
    ),
    "show_if refers to a later field": (
        {"steps[0].fields[0].show_if": {"field": "bron", "equals": ["eigen"]}},
        "steps[0].fields[0].show_if.field",
        "not an earlier field",
    ),
    "choice field without options": (
        {"steps[0].fields[1].options": DELETE},
        "steps[0].fields[1]",
        "needs options",
    ),
    "choose_meldnormen without meldnormen": (
        {f"{Q0}.options[1].effect.choose_meldnormen": True},
        f"{Q0}.options[1].effect.choose_meldnormen",
        "needs meldnormen to choose from",
    ),
    "close skips an unknown step": (
        {f"{Q0}.options[1].close": {"label": "Afsluiten", "reason_label": "Reden", "skips": ["x"]}},
        f"{Q0}.options[1].close.skips[0]",
        "unknown step id 'x'",
    ),
    "close without its label": (
        {f"{Q0}.options[1].close": {"reason_label": "Reden"}},
        f"{Q0}.options[1].close.label",
        "required key is missing",
    ),
    "sets_due on a field that is no date": (
        {"steps[0].fields[1].sets_due": "evaluatie"},
        "steps[0].fields[1].sets_due",
        "only a date field can set a due date",
    ),
    "sets_due names no aftercare item": (
        {"steps[0].fields[0].sets_due": "evaluatie"},
        "steps[0].fields[0].sets_due",
        "'evaluatie' is not an item of the flow's aftercare list",
    ),
    "decision field without its yes and no texts": (
        {
            "steps[0].fields[2]": {
                "id": "besluit",
                "kind": "decision",
                "decision": "melden",
                "label": "Besluit",
                "yes_label": "Ja",
            }
        },
        "steps[0].fields[2]",
        "a decision field needs yes_label and no_label",
    ),
    "duplicate status id": (
        {"statuses": [{"id": "open", "label": "open"}, {"id": "open", "label": "nog open"}]},
        "statuses[1].id",
        "duplicate status id 'open'",
    ),
    "an answer's fields are checked like a step's": (
        {
            f"{Q1}.options[1].fields": [
                {"id": "datum", "kind": "date", "label": "Datum"},
                {"id": "datum", "kind": "line", "label": "Wie"},
            ]
        },
        f"{Q1}.options[1].fields[1].id",
        "duplicate field id 'datum'",
    ),
}


def test_the_minimal_fixture_is_valid(minimal: dict[str, Any]) -> None:
    flow = parse_flow(dump(minimal), "minimal.yaml")
    assert flow.start == "vermoeden"
    assert set(flow.routing.questions) == {"vermoeden", "veiligheid"}


@pytest.mark.parametrize(("change", "place", "reason"), BROKEN.values(), ids=list(BROKEN))
def test_a_broken_flow_names_the_place_and_the_reason(
    minimal: dict[str, Any], change: dict[str, Any], place: str, reason: str
) -> None:
    problems = problems_of(dump(changed(minimal, change)))
    assert_reported(problems, place, reason)
    for problem in problems:
        assert problem.file == "proef.yaml"
        assert str(problem).startswith(f"proef.yaml: {problem.place}: ")


def test_an_answer_may_record_a_date_that_sets_an_aftercare_due_date(
    minimal: dict[str, Any],
) -> None:
    aftercare = {
        "id": "nazorg",
        "title": "Nazorg",
        "fields": [
            {
                "id": "nazorg",
                "kind": "aftercare",
                "label": "Nazorg",
                "options": [{"id": "evaluatie", "label": "Evalueren"}],
            }
        ],
    }
    date_field = {"id": "evaluatiedatum", "kind": "date", "label": "D", "sets_due": "evaluatie"}
    doc = changed(minimal, {"steps[2]": aftercare, f"{Q1}.options[1].fields": [date_field]})
    flow = parse_flow(dump(doc))
    option = flow.questions()[1].options[1]
    assert [(f.id, f.sets_due) for f in option.fields] == [("evaluatiedatum", "evaluatie")]
    assert [item.id for item in flow.aftercare_items()] == ["evaluatie"]


def test_bad_yaml_names_line_and_column() -> None:
    problems = problems_of((FIXTURES / "bad_yaml.yaml").read_bytes(), "bad_yaml.yaml")
    assert len(problems) == 1
    assert re.fullmatch(r"line 4, column \d+", problems[0].place), problems[0].place
    assert problems[0].reason.startswith("not valid YAML: ")
    assert str(problems[0]).startswith("bad_yaml.yaml: line 4, column ")


@pytest.mark.parametrize(
    ("fixture", "reason"),
    [
        ("empty.yaml", "a flow file must be a mapping, not empty"),
        ("not_mapping.yaml", "a flow file must be a mapping, not list"),
    ],
)
def test_a_file_that_is_not_a_mapping_is_rejected(fixture: str, reason: str) -> None:
    problems = problems_of((FIXTURES / fixture).read_bytes(), fixture)
    assert [(p.place, p.reason) for p in problems] == [("", reason)]
    assert str(problems[0]) == f"{fixture}: {reason}"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"id: \xff\xfe proef\n", "not valid YAML"),
        (b"id: proef\x00\n", "not valid YAML"),
        (b"just a sentence", "must be a mapping, not str"),
        (b"42", "must be a mapping, not int"),
        (b"id: !!python/object:os.system x\n", "could not determine a constructor"),
    ],
)
def test_bytes_that_are_not_a_flow_are_rejected(data: bytes, reason: str) -> None:
    problems = problems_of(data)
    assert len(problems) == 1
    assert reason in problems[0].reason


def test_an_unreadable_file_is_a_flow_error(tmp_path: Path) -> None:
    missing = tmp_path / "bestaat-niet.yaml"
    with pytest.raises(FlowError) as caught:
        load_flow(missing)
    [problem] = caught.value.problems
    assert problem.file == str(missing)
    assert problem.reason.startswith("cannot read file: ")
    with pytest.raises(FlowError) as caught:
        load_flow(tmp_path)
    assert caught.value.problems[0].reason.startswith("cannot read file: ")


def test_several_problems_of_shape_are_all_reported() -> None:
    problems = problems_of((FIXTURES / "several_structure_problems.yaml").read_bytes())
    assert {p.place: p.reason for p in problems} == {
        "steps[0].colour": "unknown key",
        "steps[0].questions[0].options[0].label": "Input should be a valid string",
        "steps[0].questions[0].options[1].label": "required key is missing",
    }


def test_several_broken_references_are_all_reported() -> None:
    problems = problems_of((FIXTURES / "several_reference_problems.yaml").read_bytes())
    options = "steps[0].questions[0].options"
    assert sorted((p.place, p.reason) for p in problems) == sorted(
        [
            (f"{options}[0].goto", "routing target 'veiligheid' does not exist"),
            (f"{options}[1].id", "duplicate option id 'ja'"),
            (f"{options}[2].effect.meldnormen[0]", "unknown meldnorm id 'structureel'"),
            (f"{options}[3]", "option 'weet_niet' has no route: add goto"),
        ]
    )
    assert str(FlowError(problems)).count("\n") == len(problems) - 1


def test_an_id_with_a_line_break_still_gives_one_line_per_problem(
    minimal: dict[str, Any],
) -> None:
    problems = problems_of(dump(changed(minimal, {f"{Q0}.options[0].goto": "ner\ngens"})))
    assert_reported(problems, f"{Q0}.options[0].goto", "'ner\ngens' does not exist")
    assert all("\n" not in str(p) for p in problems)
    assert "'ner\\ngens'" in str(problems[0])


# --- the bundled flow ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def bundled() -> Flow:
    return load_flow(default_flow_path())


def test_the_bundled_flow_is_valid_and_hashed(bundled: Flow) -> None:
    data = default_flow_path().read_bytes()
    assert data.startswith(b"# yaml-language-server: $schema=flow.schema.json\n")
    assert bundled.content_hash == hashlib.sha256(data).hexdigest()
    assert bundled.routing.content_hash == bundled.content_hash
    assert parse_flow(data, "again").content_hash == bundled.content_hash


def test_the_bundled_flow_has_the_stable_ids(bundled: Flow) -> None:
    assert bundled.id == "meldcode-school"
    assert [q.id for q in bundled.questions()] == [
        "vermoeden",
        "veiligheid",
        "hulp_aanbieden",
        "hulp_aanvaard",
        "resultaat",
    ]
    assert [m.id for m in bundled.meldnormen] == [
        "acuut",
        "structureel",
        "geen_effectieve_hulp",
        "geen_hulp",
        "nieuwe_signalen",
        "onveiligheid_blijft",
    ]
    assert [s.number for s in bundled.steps if s.number] == [1, 2, 3, 4, 5]
    phones = {c.phone for c in bundled.contacts}
    assert {"0800-2000", "112"} <= phones


def test_a_changed_byte_changes_the_hash(bundled: Flow) -> None:
    data = default_flow_path().read_bytes() + b"\n# nog een regel\n"
    assert parse_flow(data).content_hash != bundled.content_hash
