"""Protocol words come from the flow file, not from Python: the weighing's outcome and the
step-4 advice beside each besluit (`Flow.texts`), short names of steps, statuses and meldnormen,
and the aftercare items' hints. Changing the flow changes what the screens say."""

from __future__ import annotations

from meldcode_tui.flow.engine import Advice
from meldcode_tui.flow.model import AdviceTexts, Flow, FlowTexts, WeighingTexts
from meldcode_tui.flow.validate import load_flow
from meldcode_tui.locations import default_flow_path
from meldcode_tui.tui.texts import short_step_label
from meldcode_tui.tui.widgets.weighing import advice_text

FLOW = load_flow(default_flow_path())
MELDEN = Advice(melden=True, meldnormen=("geen_hulp",), hulp=None)


def _with_texts(texts: FlowTexts) -> Flow:
    return FLOW.model_copy(update={"texts": texts})


def test_the_outcome_reads_in_the_flows_words() -> None:
    text = advice_text(FLOW, MELDEN)
    assert text.splitlines()[0] == "Advies: melden bij Veilig Thuis (0800-2000)."
    assert "Meldnorm: bij een vermoeden van onveiligheid & betrokkenen willen geen hulp." in text
    assert text.splitlines()[-1].startswith("Dit is een advies: je beslist zelf in stap 5")
    own = _with_texts(
        FlowTexts(weighing=WeighingTexts(melden_ja="Melden: bel {phone}.", meldnorm="Norm"))
    )
    text = advice_text(own, MELDEN)
    assert text.splitlines() == [
        "Melden: bel 0800-2000.",
        "Norm: bij een vermoeden van onveiligheid & betrokkenen willen geen hulp.",
    ]


def test_the_decision_advice_is_the_flows() -> None:
    words = FLOW.texts.decision_advice
    assert words.of("melden", True) == "Advies uit stap 4: melden bij Veilig Thuis."
    assert words.of("hulp", False) == "Advies uit stap 4: geen hulp door school."
    assert "of mag" not in words.of("hulp", False)
    assert words.of("hulp", None) == ""
    assert AdviceTexts().of("melden", True) == ""


def test_short_names_come_from_the_flow() -> None:
    assert FLOW.status_short("gemeld") == "gemeld"
    assert FLOW.status_label("gemeld") == "gemeld bij Veilig Thuis"
    assert FLOW.status_short("gesloten") == "gesloten"
    steps = {s.id: short_step_label(s) for s in FLOW.steps}
    assert steps["afweging"] == "4 Afweging" and steps["nazorg"] == "Nazorg"
    acuut = FLOW.meldnorm("acuut")
    assert acuut is not None and acuut.short == "acute onveiligheid"


def test_aftercare_hints_and_restart_are_flow_data() -> None:
    items = {o.id: o for o in FLOW.aftercare_items()}
    assert items["terugkoppeling_veilig_thuis"].hint.endswith("0800-2000.")
    assert {i for i, o in items.items() if o.restart} == {
        "advies_niet_opgevolgd",
        "hulp_gestrand",
    }
