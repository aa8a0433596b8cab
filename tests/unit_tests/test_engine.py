"""The routing engine on the bundled school flow: every branch of step 4, twijfel, going back.

No Textual and no case store: `route(table, answers)` is called directly with the routing table of
the bundled flow, loaded once for the module.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from meldcode_tui.flow.engine import END, REPEAT, AnswerError, Routing, route
from meldcode_tui.flow.routing import RoutingTable
from meldcode_tui.flow.validate import load_flow
from meldcode_tui.locations import default_flow_path

QUESTIONS = ("vermoeden", "veiligheid", "hulp_aanbieden", "hulp_aanvaard", "resultaat")
NORMS = ("acuut", "structureel")


@pytest.fixture(scope="module")
def table() -> RoutingTable:
    return load_flow(default_flow_path()).routing


def advice(
    melden: bool | None = None,
    meldnormen: tuple[str, ...] = (),
    hulp: bool | None = None,
    vt: bool = False,
) -> dict[str, Any]:
    return {
        "melden": melden,
        "meldnormen": list(meldnormen),
        "hulp": hulp,
        "veilig_thuis_raadplegen": vt,
    }


def answers_of(spec: str) -> dict[str, str]:
    """`"vermoeden=ja veiligheid=nee"` → `{"vermoeden": "ja", "veiligheid": "nee"}`."""
    return dict(pair.split("=") for pair in spec.split())


def path_of(*names: str) -> list[str]:
    return list(names)


V, VH, HB, HA, R = QUESTIONS
SAFE = "vermoeden=ja veiligheid=nee"
UNSAFE = "vermoeden=ja veiligheid=ja"

# answers → path, next, complete, advice. One row per branch of step 4.
BRANCHES: list[tuple[str, list[str], str | None, bool, dict[str, Any]]] = [
    ("", path_of(V), V, False, advice()),
    ("vermoeden=nee", path_of(V), None, True, advice(melden=False)),
    ("vermoeden=ja", path_of(V, VH), VH, False, advice()),
    # Acute and/or structural unsafety: report now; questions 3-5 are for Veilig Thuis.
    (UNSAFE, path_of(V, VH), None, True, advice(True, NORMS)),
    ("vermoeden=ja veiligheid=twijfel", path_of(V, VH), VH, False, advice(vt=True)),
    (SAFE, path_of(V, VH, HB), HB, False, advice()),
    (
        f"{SAFE} hulp_aanbieden=nee",
        path_of(V, VH, HB),
        None,
        True,
        advice(True, ("geen_effectieve_hulp",)),
    ),
    (f"{SAFE} hulp_aanbieden=ja", path_of(V, VH, HB, HA), HA, False, advice()),
    (
        f"{SAFE} hulp_aanbieden=ja hulp_aanvaard=nee",
        path_of(V, VH, HB, HA),
        None,
        True,
        advice(True, ("geen_hulp",)),
    ),
    (
        f"{SAFE} hulp_aanbieden=ja hulp_aanvaard=ja",
        path_of(V, VH, HB, HA, R),
        R,
        False,
        advice(hulp=True),
    ),
    (
        f"{SAFE} hulp_aanbieden=ja hulp_aanvaard=ja resultaat=ja",
        path_of(*QUESTIONS),
        None,
        True,
        advice(False, hulp=True),
    ),
    (
        f"{SAFE} hulp_aanbieden=ja hulp_aanvaard=ja resultaat=nee",
        path_of(*QUESTIONS),
        None,
        True,
        advice(True, ("onveiligheid_blijft",), True),
    ),
    # Not an end: the weighing waits for the evaluation and asks resultaat again.
    (
        f"{SAFE} hulp_aanbieden=ja hulp_aanvaard=ja resultaat=nog_onbekend",
        path_of(*QUESTIONS),
        R,
        False,
        advice(hulp=True),
    ),
]


@pytest.mark.parametrize(
    ("spec", "path", "next_id", "complete", "expected"),
    BRANCHES,
    ids=[row[0] or "no answers" for row in BRANCHES],
)
def test_branch(
    table: RoutingTable,
    spec: str,
    path: list[str],
    next_id: str | None,
    complete: bool,
    expected: dict[str, Any],
) -> None:
    routing = route(table, answers_of(spec))
    assert list(routing.path) == path
    assert routing.next == next_id
    assert routing.complete is complete
    assert routing.advice.to_json() == expected
    assert routing.not_in_force == ()
    assert set(routing.chosen) == set(answers_of(spec))


def test_the_branch_table_covers_every_option_of_every_question(table: RoutingTable) -> None:
    assert tuple(table.questions) == QUESTIONS
    covered = {(q, o) for spec, *_ in BRANCHES for q, o in answers_of(spec).items()}
    every = {(q.id, o.id) for q in table.questions.values() for o in q.options}
    assert every - covered == set()


def test_an_answer_that_ends_the_weighing_carries_its_advice_text(table: RoutingTable) -> None:
    routing = route(table, answers_of("vermoeden=nee"))
    assert len(routing.advice.texts) == 1
    assert "Geen melding" in routing.advice.texts[0]


def test_json_form_has_exactly_the_contract_keys(table: RoutingTable) -> None:
    data = route(table, answers_of(UNSAFE)).to_json(table)
    assert data == {
        "flow": "meldcode-school",
        "version": table.version,
        "path": [V, VH],
        "next": None,
        "complete": True,
        "advice": advice(True, NORMS),
    }


# --- veiligheid=ja: report now, the weighing ends ------------------------------------------------


def test_after_veiligheid_ja_the_later_questions_are_not_asked(table: RoutingTable) -> None:
    answers = answers_of(f"{UNSAFE} hulp_aanbieden=ja hulp_aanvaard=nee resultaat=ja")
    routing = route(table, answers)
    assert list(routing.path) == [V, VH]
    assert routing.complete and routing.next is None
    assert routing.not_in_force == (HB, HA, R)
    assert routing.advice.to_json() == advice(True, NORMS)


def test_veiligheid_ja_advises_reporting_now_with_both_numbers(table: RoutingTable) -> None:
    [text] = route(table, answers_of(UNSAFE)).advice.texts
    assert "Meld nu bij Veilig Thuis, 0800-2000; bij direct gevaar 112" in text
    assert "samen met Veilig Thuis" in text


def test_acuut_and_structureel_are_candidates_until_one_is_ticked(table: RoutingTable) -> None:
    unticked = route(table, answers_of(UNSAFE)).advice
    assert unticked.candidates == NORMS
    assert unticked.confirmed == ()
    ticked = route(table, {V: "ja", VH: {"option": "ja", "meldnormen": ["structureel"]}}).advice
    assert ticked.meldnormen == ("structureel",)
    assert ticked.candidates == ()
    assert ticked.confirmed == ("structureel",)


@pytest.mark.parametrize(
    ("spec", "norm"),
    [
        (f"{SAFE} hulp_aanbieden=nee", "geen_effectieve_hulp"),
        (f"{SAFE} hulp_aanbieden=ja hulp_aanvaard=nee", "geen_hulp"),
        (f"{SAFE} hulp_aanbieden=ja hulp_aanvaard=ja resultaat=nee", "onveiligheid_blijft"),
    ],
)
def test_an_answer_with_one_meldnorm_establishes_it(
    table: RoutingTable, spec: str, norm: str
) -> None:
    got = route(table, answers_of(spec)).advice
    assert got.meldnormen == (norm,)
    assert got.confirmed == (norm,)
    assert got.candidates == ()


@pytest.mark.parametrize(
    "spec", [f"{SAFE} hulp_aanbieden=nee", f"{SAFE} hulp_aanbieden=ja hulp_aanvaard=nee"]
)
def test_after_melden_besluit_2_stays_open_for_veilig_thuis(table: RoutingTable, spec: str) -> None:
    got = route(table, answers_of(spec)).advice
    assert got.melden is True
    assert got.hulp is None
    assert not any("of mag" in text for text in got.texts)
    assert any("samen met Veilig Thuis" in text for text in got.texts)


# --- vermoeden=nee: the case may be closed at once ----------------------------------------------


def test_only_vermoeden_nee_says_the_case_may_be_closed(table: RoutingTable) -> None:
    assert route(table, answers_of("vermoeden=nee")).advice.may_close is True
    for spec, *_ in BRANCHES:
        if spec != "vermoeden=nee":
            assert route(table, answers_of(spec)).advice.may_close is False, spec


def test_going_back_from_vermoeden_nee_takes_back_the_close(table: RoutingTable) -> None:
    answers = answers_of("vermoeden=nee")
    answers[V] = "ja"
    assert route(table, answers).advice.may_close is False


# --- nog_onbekend: the weighing waits for the evaluation -----------------------------------------


def test_nog_onbekend_waits_and_answering_again_ends_the_weighing(table: RoutingTable) -> None:
    answers = answers_of(f"{SAFE} hulp_aanbieden=ja hulp_aanvaard=ja resultaat=nog_onbekend")
    waiting = route(table, answers)
    assert (waiting.complete, waiting.next) == (False, R)
    assert waiting.advice.melden is None
    assert table.questions[R].option("nog_onbekend").goto == REPEAT  # type: ignore[union-attr]
    answers[R] = "ja"
    done = route(table, answers)
    assert (done.complete, done.next) == (True, None)
    assert done.advice.melden is False


# --- twijfel: consult Veilig Thuis, then answer again ------------------------------------------


def test_twijfel_keeps_veiligheid_open_and_advises_consulting_veilig_thuis(
    table: RoutingTable,
) -> None:
    routing = route(table, answers_of("vermoeden=ja veiligheid=twijfel"))
    assert table.questions[VH].option("twijfel").goto == REPEAT  # type: ignore[union-attr]
    assert routing.next == VH
    assert routing.complete is False
    assert routing.advice.veilig_thuis_raadplegen is True
    assert routing.advice.melden is None
    assert any("0800-2000" in text for text in routing.advice.texts)


def test_twijfel_puts_later_answers_out_of_force(table: RoutingTable) -> None:
    answers = answers_of("vermoeden=ja veiligheid=twijfel hulp_aanbieden=nee")
    routing = route(table, answers)
    assert list(routing.path) == [V, VH]
    assert routing.not_in_force == (HB,)
    assert routing.advice.melden is None
    assert routing.advice.hulp is None


@pytest.mark.parametrize(
    ("again", "path", "next_id", "melden"),
    [
        ("ja", [V, VH], None, True),
        ("nee", [V, VH, HB], HB, None),
        ("twijfel", [V, VH], VH, None),
    ],
)
def test_answering_veiligheid_again_after_twijfel_reroutes(
    table: RoutingTable, again: str, path: list[str], next_id: str | None, melden: bool | None
) -> None:
    answers = answers_of("vermoeden=ja veiligheid=twijfel")
    assert route(table, answers).next == VH
    answers[VH] = again
    routing = route(table, answers)
    assert list(routing.path) == path
    assert routing.next == next_id
    assert routing.advice.melden is melden
    assert routing.advice.veilig_thuis_raadplegen is (again == "twijfel")


# --- going back and changing an earlier answer -------------------------------------------------


FULL = f"{SAFE} hulp_aanbieden=ja hulp_aanvaard=ja resultaat=nee"

# (answer changed, new value) → path, not in force, advice.
CHANGES: list[tuple[str, str, list[str], set[str], dict[str, Any]]] = [
    (V, "nee", [V], {VH, HB, HA, R}, advice(melden=False)),
    (VH, "twijfel", [V, VH], {HB, HA, R}, advice(vt=True)),
    (VH, "ja", [V, VH], {HB, HA, R}, advice(True, NORMS)),
    (HB, "nee", [V, VH, HB], {HA, R}, advice(True, ("geen_effectieve_hulp",))),
    (HA, "nee", [V, VH, HB, HA], {R}, advice(True, ("geen_hulp",))),
    (R, "ja", [*QUESTIONS], set(), advice(False, hulp=True)),
    (R, "nog_onbekend", [*QUESTIONS], set(), advice(hulp=True)),
]


@pytest.mark.parametrize(
    ("changed", "value", "path", "off", "expected"),
    CHANGES,
    ids=[f"{c[0]}={c[1]}" for c in CHANGES],
)
def test_changing_an_earlier_answer_reroutes(
    table: RoutingTable,
    changed: str,
    value: str,
    path: list[str],
    off: set[str],
    expected: dict[str, Any],
) -> None:
    answers = answers_of(FULL)
    assert route(table, answers).complete
    answers[changed] = value
    routing = route(table, answers)
    assert list(routing.path) == path
    assert set(routing.not_in_force) == off
    assert set(routing.chosen) == set(answers) - off
    assert routing.advice.to_json() == expected


def test_going_back_to_vermoeden_nee_drops_every_later_answer_from_the_advice(
    table: RoutingTable,
) -> None:
    answers = answers_of(FULL)
    before = route(table, answers)
    assert "onveiligheid_blijft" in before.advice.meldnormen
    answers[V] = "nee"
    after = route(table, answers)
    assert after.complete and after.next is None
    assert after.advice.meldnormen == ()
    assert after.advice.hulp is None
    assert not any("onveiligheid" in text for text in after.advice.texts)


# --- ticked meldnormen ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ticked", "expected", "candidates"),
    [
        (["acuut"], ("acuut",), ()),
        (["structureel"], ("structureel",), ()),
        (["structureel", "acuut"], ("structureel", "acuut"), ()),
        (["acuut", "acuut"], ("acuut",), ()),
        ([], NORMS, NORMS),
        (None, NORMS, NORMS),
    ],
)
def test_ticked_meldnormen_replace_the_candidates(
    table: RoutingTable,
    ticked: list[str] | None,
    expected: tuple[str, ...],
    candidates: tuple[str, ...],
) -> None:
    answers: dict[str, object] = {V: "ja"}
    answers[VH] = {"option": "ja"} if ticked is None else {"option": "ja", "meldnormen": ticked}
    routing = route(table, answers)
    assert routing.advice.meldnormen == expected
    assert routing.advice.candidates == candidates
    assert routing.advice.melden is True
    assert routing.complete


def test_ticked_meldnormen_off_the_path_do_not_count(table: RoutingTable) -> None:
    answers = {V: "nee", VH: {"option": "ja", "meldnormen": ["acuut"]}}
    routing = route(table, answers)
    assert routing.advice.meldnormen == ()
    assert routing.not_in_force == (VH,)


# --- bad answers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"bestaat_niet": "ja"}, "no question 'bestaat_niet'"),
        ({V: "misschien"}, "has no option 'misschien' (options: ja, nee)"),
        ({V: "Ja"}, "has no option 'Ja'"),
        ({V: "nee", R: "misschien"}, "'resultaat' has no option 'misschien'"),
        ({V: 1}, "must be an option id"),
        ({V: None}, "must be an option id"),
        ({V: True}, "must be an option id"),
        ({V: ["ja"]}, "must be an option id"),
        ({V: {"meldnormen": []}}, "must be an option id"),
        ({VH: {"option": "ja", "meldnormen": "acuut"}}, "must be a list of ids"),
        ({VH: {"option": "ja", "meldnormen": [1]}}, "must be a list of ids"),
        ({VH: {"option": "ja", "meldnormen": ["geen_hulp"]}}, "'geen_hulp' does not belong"),
        ({VH: {"option": "ja", "meldnormen": ["onbekend"]}}, "'onbekend' does not belong"),
        ({VH: {"option": "nee", "meldnormen": ["acuut"]}}, "'acuut' does not belong"),
    ],
)
def test_a_bad_answer_is_an_answer_error(
    table: RoutingTable, answers: dict[str, object], message: str
) -> None:
    with pytest.raises(AnswerError) as caught:
        route(table, answers)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_an_answer_error_message_stays_on_one_line(table: RoutingTable) -> None:
    with pytest.raises(AnswerError) as caught:
        route(table, {"a\nb": "ja"})
    assert "\n" not in str(caught.value)


def test_not_strict_keeps_unknown_questions_apart(table: RoutingTable) -> None:
    answers = {V: "ja", "oude_vraag": "ja", "nog_een": "x"}
    routing = route(table, answers, strict=False)
    assert routing.unknown == ("oude_vraag", "nog_een")
    assert list(routing.path) == [V, VH]
    assert routing.not_in_force == ()
    with pytest.raises(AnswerError):
        route(table, answers)


def test_not_strict_still_rejects_a_bad_option(table: RoutingTable) -> None:
    with pytest.raises(AnswerError):
        route(table, {V: "misschien", "oude_vraag": "ja"}, strict=False)


# --- properties over any set of valid answers ---------------------------------------------------


def _answer_sets(table: RoutingTable) -> st.SearchStrategy[dict[str, object]]:
    per_question = {
        qid: st.sampled_from([o.id for o in q.options]) for qid, q in table.questions.items()
    }
    return st.fixed_dictionaries({}, optional=per_question)  # type: ignore[arg-type]


def _check_invariants(table: RoutingTable, answers: Mapping[str, object], got: Routing) -> None:
    assert got.path and got.path[0] == table.start
    assert len(set(got.path)) == len(got.path)
    assert set(got.chosen) | set(got.not_in_force) == set(answers)
    assert not set(got.not_in_force) & set(got.path)
    assert set(got.chosen) <= set(got.path)
    if got.complete:
        assert got.next is None
        assert got.chosen[got.path[-1]].goto == END
    else:
        assert got.next == got.path[-1]
    for qid, option in got.chosen.items():
        assert answers[qid] == option.id
    allowed = {n for option in got.chosen.values() for n in option.meldnormen}
    assert set(got.advice.meldnormen) <= allowed
    assert set(got.advice.candidates) <= set(got.advice.meldnormen)
    assert got.advice.may_close == any(o.close for o in got.chosen.values())
    assert got.advice.veilig_thuis_raadplegen == any(
        o.veilig_thuis_raadplegen for o in got.chosen.values()
    )
    if any(o.melden for o in got.chosen.values()):
        assert got.advice.melden is True


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_invariants_hold_for_any_answers(table: RoutingTable, data: st.DataObject) -> None:
    answers = data.draw(_answer_sets(table))
    frozen = MappingProxyType(copy.deepcopy(answers))
    got = route(table, frozen)
    assert dict(frozen) == answers
    assert route(table, answers) == got
    _check_invariants(table, answers, got)
