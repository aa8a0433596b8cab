"""`Listing.not_closed_for`: the running cases of a pupil, the one rule the app asks before it
starts a second case for the same pupil."""

from __future__ import annotations

from meldcode_tui.case.index import CaseSummary, Listing


def summary(case_id: str, pupil: str, status: str = "open") -> CaseSummary:
    return CaseSummary(
        id=case_id,
        pupil=pupil,
        group="3A",
        status=status,
        step="gesprek",
        updated="2026-03-02T09:00:00+00:00",
        updated_by="Mentor Fictief",
        next_due=None,
        overdue=False,
    )


def test_the_reference_matches_without_case_and_extra_spaces() -> None:
    listing = Listing(
        [
            summary("a", "Pseudoniem Vos"),
            summary("b", "pseudoniem  vos", status="gemeld"),
            summary("c", "Pseudoniem Vos", status="gesloten"),
            summary("d", "Pseudoniem Vossen"),
            summary("e", "Pseudoniem Vos", status="heropend"),
        ]
    )
    found = [c.id for c in listing.not_closed_for("  PSEUDONIEM vos ")]
    assert found == ["a", "b", "e"]
    assert listing.not_closed_for("Pseudoniem Uil") == []
