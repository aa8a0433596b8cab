"""The case list keeps every editor of a case, not only the last, from the case file and from the
index alike (for the name search of Alle zaken)."""

from __future__ import annotations

from pathlib import Path

import pytest

from meldcode_tui.case import index
from meldcode_tui.case.index import INDEX_NAME, list_cases
from meldcode_tui.case.model import Actor, FlowRef
from meldcode_tui.case.store import CaseStore
from meldcode_tui.flow.validate import load_flow
from meldcode_tui.locations import default_flow_path

MENTOR = Actor(name="Mentor Jansen", role="mentor")
TEAMLEIDER = Actor(name="Teamleider Bakker", role="teamleider")
ZORG = Actor(name="Zorgcoördinator De Boer", role="zorgcoördinator")


def test_every_editor_is_listed_once_in_order_also_from_the_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "zaken"
    store = CaseStore(root)
    case = store.create(FlowRef.of(load_flow(default_flow_path())), "Leerling-042", MENTOR)
    for actor, text in ((TEAMLEIDER, "Eerste notitie"), (ZORG, "Tweede"), (MENTOR, "Derde")):
        with store.open(case.id, actor) as session:
            session.set_notes("signalen", text)
    expected = ("Mentor Jansen", "Teamleider Bakker", "Zorgcoördinator De Boer")
    (first,) = list_cases(root, use_index=False).cases
    assert first.updated_by == "Mentor Jansen"
    assert first.editors == expected
    monkeypatch.setattr(index, "RACY_NS", -(10**12))  # every file counts as settled: indexed
    list_cases(root)
    assert "Teamleider Bakker" in (root / INDEX_NAME).read_text(encoding="utf-8")
    (indexed,) = list_cases(root).cases
    assert indexed.editors == expected
