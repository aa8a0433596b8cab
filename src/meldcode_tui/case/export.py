"""The verslag of a case: one document model, built once from the case and the flow, and its text
renderers (Markdown and plain text; the PDF renderer is `case.pdf`, imported only to make a PDF).

The document holds what the case holds and nothing else: who exported it and when, per step what
was recorded (entries such as signals sorted by date, each part on its own line, so facts and
interpretation stay apart), the weighing with its advice, both decisions with reasons and
meldnormen, the melding, the aftercare state, the flow version, and the timeline as an appendix.
Only labels, option labels, advice and values reach it: no screen hint (a field's `help`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from meldcode_tui.case.model import Actor, Case, Decision, Status, StepRecord
from meldcode_tui.case.route import close_offer, routing_of
from meldcode_tui.case.status import last_close
from meldcode_tui.case.wording import (
    AFTERCARE_LABELS,
    TimelineRow,
    actor_text,
    step_name,
    timeline_rows,
)
from meldcode_tui.flow.model import CloseCase, FieldKind, Flow, FormField, Step, shown_fields
from meldcode_tui.localtime import iso_date_text, local_date, local_datetime

Format = Literal["md", "txt"]

TIMELINE_TITLE = "Bijlage — Tijdlijn"


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 2


@dataclass(frozen=True)
class Line:
    label: str
    text: str


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Items:
    items: tuple[str, ...]
    numbered: bool = False


@dataclass(frozen=True)
class Record:
    """One numbered entry (a signal, a consultation): each part on its own line."""

    number: int
    lines: tuple[Line, ...]


@dataclass(frozen=True)
class Timeline:
    """The event log: when, who (role), what."""

    rows: tuple[TimelineRow, ...]


Block = Heading | Line | Paragraph | Items | Record | Timeline


@dataclass(frozen=True)
class Exported:
    """Who makes an export and when; `by` is None when nobody was named (the CLI without --by)."""

    at: datetime
    by: Actor | None = None


@dataclass(frozen=True)
class Verslag:
    """The document: what every page of a PDF repeats, and the blocks in order."""

    pupil: str
    case_id: str
    school: str = ""
    exported: str = ""
    blocks: tuple[Block, ...] = ()


def build_verslag(
    case: Case,
    flow: Flow,
    *,
    exported: Exported | None = None,
    school: str = "",
    timeline: bool = True,
) -> Verslag:
    """The case as one document; without `exported` it has no export line (the review screen),
    without `timeline` no appendix (the review screen shows the timeline in its own tab)."""
    stamp = _exported_text(exported) if exported is not None else ""
    blocks = list(case_blocks(case, flow, school=school, exported=stamp))
    if timeline:
        blocks.append(Heading(TIMELINE_TITLE))
        rows = tuple(timeline_rows(flow, case))
        blocks.append(Timeline(rows) if rows else Paragraph("Nog geen gebeurtenissen."))
    return Verslag(case.pupil, case.id, school.strip(), stamp, tuple(blocks))


def export_case(
    case: Case,
    flow: Flow,
    fmt: Format = "md",
    *,
    exported: Exported | None = None,
    school: str = "",
    timeline: bool = True,
) -> str:
    """The whole case as one text document."""
    verslag = build_verslag(case, flow, exported=exported, school=school, timeline=timeline)
    return render(verslag.blocks, fmt)


def step_summary(case: Case, flow: Flow, step_id: str) -> str:
    """A short plain-text summary of one step, for pasting into Magister's logbook."""
    step = flow.step(step_id)
    if step is None:
        raise KeyError(step_id)
    blocks = list(_step_blocks(case, flow, step, close_offer(flow, case)))
    return render([Heading(_step_title(step, case.pupil), 1), *blocks], "txt")


def _exported_text(exported: Exported) -> str:
    who = actor_text(exported.by) if exported.by is not None else "niet opgegeven"
    return f"{local_datetime(exported.at)} door {who}"


def closed_by(case: Case) -> str:
    """Who closed the case and when ("Naam (rol), dd-mm-jjjj hh:mm"); empty when it is open."""
    if case.status is not Status.GESLOTEN:
        return ""
    event = last_close(case.events)
    return f"{actor_text(event.by)}, {local_datetime(event.at)}" if event is not None else ""


def case_blocks(case: Case, flow: Flow, *, school: str = "", exported: str = "") -> Iterator[Block]:
    yield Heading(f"Meldcode — {case.pupil}", 1)
    if school.strip():
        yield Line("School", school.strip())
    yield Line("Leerling (pseudoniem of leerlingnummer)", case.pupil)
    if case.group:
        yield Line("Klas/groep", case.group)
    yield Line("Status", flow.status_label(case.status.value))
    if case.status_reason:
        yield Line("Reden van sluiten", case.status_reason)
    yield Line("Aangemaakt", f"{actor_text(case.created_by)}, {local_datetime(case.created_at)}")
    yield Line("Laatst gewijzigd", local_datetime(case.updated_at))
    closed = closed_by(case)
    if closed:
        yield Line("Gesloten door", closed)
    if case.retain_until is not None:
        yield Line("Bewaren tot", local_date(case.retain_until))
    yield Line("Protocol", f"{flow.title}, versie {case.flow.version} ({case.flow.id})")
    if case.flow.content_hash != flow.content_hash or case.flow.version != flow.version:
        yield Paragraph(
            f"Let op: deze zaak is begonnen met versie {case.flow.version} van het protocol; "
            f"dit overzicht gebruikt versie {flow.version}."
        )
    yield Line("Zaaknummer", case.id)
    if case.linked_case:
        yield Line("Vervolg op zaak", case.linked_case)
    if exported:
        yield Line("Geëxporteerd", exported)
    offer = close_offer(flow, case)
    for step in flow.steps:
        yield Heading(_step_title(step, None))
        yield from _step_blocks(case, flow, step, offer)


def _step_title(step: Step, pupil: str | None) -> str:
    title = step_name(step)
    return f"{title} ({pupil})" if pupil else title


def _step_blocks(case: Case, flow: Flow, step: Step, offer: CloseCase | None) -> Iterator[Block]:
    record = case.steps.get(step.id, StepRecord())
    empty = True
    skipped = offer is not None and step.id in offer.skips
    if offer is not None and skipped:
        empty = False
        yield Paragraph(f"Niet nodig na de afweging ({offer.label.lower()}).")
    if step.questions:
        blocks = list(_weighing_blocks(case, flow, step))
        empty = not blocks
        yield from blocks
    for field in step.fields:
        if skipped and field.kind is FieldKind.DECISION and field.decision not in case.decisions:
            continue
        blocks = list(_field_blocks(case, flow, step, field, record))
        empty = empty and not blocks
        yield from blocks
    unknown = list(_unknown_values(step, record))
    if unknown:
        empty = False
        yield Paragraph("Waarden die deze versie van het protocol niet (meer) kent:")
        yield Items(tuple(unknown))
    if record.notes:
        empty = False
        yield Line("Notities", record.notes)
    if record.updated_by is not None and record.updated_at is not None:
        yield Line(
            "Vastgelegd door",
            f"{actor_text(record.updated_by)}, {local_datetime(record.updated_at)}",
        )
    if empty:
        yield Paragraph("Nog niets vastgelegd.")


def _weighing_blocks(case: Case, flow: Flow, step: Step) -> Iterator[Block]:
    routing = routing_of(flow, case)
    if routing is None:
        yield Paragraph(
            "De antwoorden van deze zaak passen niet bij deze versie van het protocol; de route "
            "en het advies zijn daarom niet bepaald. Gegeven antwoorden:"
        )
        yield Items(tuple(_off_path_item(flow, case, qid) for qid in case.answers))
        return
    for number, qid in enumerate(routing.path, start=1):
        question = flow.question(qid)
        answer = case.answers.get(qid)
        if question is None or answer is None:
            continue
        option = next((o for o in question.options if o.id == answer.value), None)
        label = option.label if option else answer.value
        yield Paragraph(f"{number}. {question.text}")
        yield Line("Antwoord", f"{label} ({actor_text(answer.by)}, {local_datetime(answer.at)})")
        if answer.meldnormen:
            yield Line("Meldnormen", _meldnormen(flow, answer.meldnormen))
        for field in option.fields if option else ():
            value = answer.values.get(field.id)
            if value not in (None, "", []):
                yield Line(field.label, _display(flow, field, value))
        if answer.justification:
            yield Line(question.justification_label, answer.justification)
        if answer.veilig_thuis_advice:
            yield Line("Advies van Veilig Thuis", answer.veilig_thuis_advice)
        if option and option.advice:
            yield Line("Gevolg", option.advice)
    off_path = [qid for qid in (*routing.not_in_force, *routing.unknown) if qid in case.answers]
    if off_path:
        yield Paragraph("Eerder gegeven antwoorden die niet meer meetellen:")
        yield Items(tuple(_off_path_item(flow, case, qid) for qid in off_path))
    if not routing.path or routing.path[0] not in case.answers:
        return
    advice = routing.advice
    state = "afgerond" if routing.complete else "nog niet afgerond"
    yield Line("Afweging", state)
    yield Line("Advies melden", _yes_no(advice.melden))
    if advice.confirmed:
        yield Line("Meldnormen volgens de afweging", _meldnormen(flow, advice.confirmed))
    if advice.candidates:
        yield Line("Mogelijke meldnormen (niet aangevinkt)", _meldnormen(flow, advice.candidates))
    yield Line("Advies hulp", _yes_no(advice.hulp))
    if advice.veilig_thuis_raadplegen:
        contact = flow.contact("veilig_thuis")
        yield Line("Veilig Thuis raadplegen", f"ja ({contact.phone})" if contact else "ja")


def _off_path_item(flow: Flow, case: Case, qid: str) -> str:
    question = flow.question(qid)
    if question is None:
        return f"{qid} (deze vraag staat niet meer in het protocol): {case.answers[qid].value}"
    option = next((o for o in question.options if o.id == case.answers[qid].value), None)
    return f"{question.text} {option.label if option else case.answers[qid].value}"


def _field_blocks(
    case: Case, flow: Flow, step: Step, field: FormField, record: StepRecord
) -> Iterator[Block]:
    if field.kind is FieldKind.DECISION and field.decision is not None:
        decision = case.decisions.get(field.decision)
        yield from _decision_blocks(flow, field, decision)
        return
    if field.kind is FieldKind.AFTERCARE:
        yield from _aftercare_blocks(case, field)
        return
    value = record.values.get(field.id)
    if value in (None, "", []) or not _shown(case, step, field, record):
        return
    if field.kind is FieldKind.ENTRIES and isinstance(value, list):
        yield Paragraph(f"{field.label}:")
        entries = _by_date(field, [entry for entry in value if isinstance(entry, dict)])
        for number, entry in enumerate(entries, start=1):
            yield Record(number, _entry(field, entry))
        return
    yield Line(field.label, _display(flow, field, value))
    for warning in dict.fromkeys(field.chosen_warnings(value)):
        yield Line("Let op", warning)


def _unknown_values(step: Step, record: StepRecord) -> Iterator[str]:
    """Values the case holds for fields (or entry parts) this flow does not know: shown by id,
    never dropped."""
    fields = {f.id: f for f in step.fields}
    for field_id, value in record.values.items():
        field = fields.get(field_id)
        if field is None:
            if value not in (None, "", []):
                yield f"{field_id}: {_raw(value)}"
            continue
        if field.kind is not FieldKind.ENTRIES or not isinstance(value, list):
            continue
        known = {sub.id for sub in field.fields}
        for number, entry in enumerate(value, start=1):
            if not isinstance(entry, dict):
                continue
            for key, part in entry.items():
                if key not in known and part not in (None, ""):
                    yield f"{field.label} {number}, {key}: {_raw(part)}"


def _raw(value: Any) -> str:
    if isinstance(value, list):
        return "; ".join(_raw(item) for item in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_raw(v)}" for k, v in value.items())
    return str(value)


def _decision_blocks(flow: Flow, field: FormField, decision: Decision | None) -> Iterator[Block]:
    if decision is None or decision.value is None:
        yield Line(field.label, "nog niet genomen")
        return
    yield Line(field.label, field.yes_label if decision.value else field.no_label)
    if decision.checked:
        options = _choices(flow, field)
        label = field.options_label.rstrip(":") or "Aangevinkt"
        yield Line(label, "; ".join(options.get(c, c) for c in decision.checked))
    if decision.reason:
        yield Line(field.reason_label or "Onderbouwing", decision.reason)
    if decision.by is not None and decision.at is not None:
        yield Line("Besloten door", f"{actor_text(decision.by)}, {local_datetime(decision.at)}")
    role = decision.by.role if decision.by is not None else ""
    if flow.outside_deciders(field, role):
        deciders = ", ".join(flow.role_label(r) for r in field.deciders)
        yield Line("Let op", f"besloten in een andere rol dan het protocol noemt ({deciders})")


def _aftercare_blocks(case: Case, field: FormField) -> Iterator[Block]:
    if not case.aftercare:
        return
    labels = {o.id: o.label for o in field.options}
    items = []
    for item in case.aftercare:
        parts = [labels.get(item.id, item.id), AFTERCARE_LABELS[item.status]]
        if item.due:
            parts.append(f"uiterlijk {local_date(item.due)}")
        if item.who:
            parts.append(f"door {item.who}")
        text = " — ".join(parts)
        items.append(f"{text}: {item.note}" if item.note else text)
    yield Paragraph(f"{field.label}:")
    yield Items(tuple(items))


def _shown(case: Case, step: Step, field: FormField, record: StepRecord) -> bool:
    decisions = {str(key): value for key, value in case.decisions.items()}
    return field.id in shown_fields(step.fields, record.values, decisions)


def _by_date(field: FormField, entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Entries with a date part (signals, consultations) in date order, undated ones last;
    the order they were entered in otherwise."""
    dated = next((sub.id for sub in field.fields if sub.kind is FieldKind.DATE), None)
    if dated is None:
        return entries

    def key(entry: dict[str, Any]) -> tuple[bool, str]:
        value = entry.get(dated)
        return (not isinstance(value, str) or not value, value if isinstance(value, str) else "")

    return sorted(entries, key=key)


def _entry(field: FormField, entry: dict[str, Any]) -> tuple[Line, ...]:
    shown = shown_fields(field.fields, entry)
    lines = tuple(
        Line(sub.label, _display(None, sub, entry[sub.id]))
        for sub in field.fields
        if entry.get(sub.id) not in (None, "", []) and sub.id in shown
    )
    return lines or (Line("Inhoud", "leeg"),)


def _display(flow: Flow | None, field: FormField, value: Any) -> str:
    if field.kind is FieldKind.DATE and isinstance(value, str):
        return iso_date_text(value)
    choices = _choices(flow, field)
    if isinstance(value, list):
        return "; ".join(choices.get(str(v), str(v)) for v in value)
    return choices.get(str(value), str(value))


def _choices(flow: Flow | None, field: FormField) -> dict[str, str]:
    if field.options_from == "meldnormen" and flow is not None:
        return {m.id: m.label for m in flow.meldnormen}
    if field.options:
        return {o.id: o.label for o in field.options}
    if field.kind is FieldKind.YESNO:
        return {"ja": "Ja", "nee": "Nee"}
    return {}


def _meldnormen(flow: Flow, ids: Sequence[str]) -> str:
    return "; ".join(m.label if (m := flow.meldnorm(i)) else i for i in ids)


def _yes_no(value: bool | None) -> str:
    return "nog open" if value is None else ("ja" if value else "nee")


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~!])")
_MD_BULLET = re.compile(r"^(\s*)([-+=])(?=\s|$)")
_MD_NUMBER = re.compile(r"^(\s*)(\d+)([.)])(?=\s|$)")


def md_escape(text: str) -> str:
    """Case and flow text as literal Markdown: every character Markdown gives a meaning is
    escaped, and a line that would start a list or a heading does not."""
    lines = _MD_SPECIAL.sub(r"\\\1", text).split("\n")
    lines = [_MD_BULLET.sub(r"\1\\\2", line) for line in lines]
    return "\n".join(_MD_NUMBER.sub(r"\1\2\\\3", line) for line in lines)


def render(blocks: Sequence[Block], fmt: Format) -> str:
    """Render blocks as Markdown (`md`, every text escaped) or plain text (`txt`: one item per
    line, no markup)."""
    if fmt == "md":
        blocks = [_escaped(block) for block in blocks]
    out: list[str] = []
    previous: type[Block] | None = None
    for block in blocks:
        apart = isinstance(block, Paragraph | Record)
        if out and out[-1] and (type(block) is not previous or apart):
            out.append("")
        previous = type(block)
        if isinstance(block, Heading):
            if fmt == "md":
                out.append(f"{'#' * block.level} {block.text}")
            else:
                out.append(block.text)
                out.append(("=" if block.level == 1 else "-") * len(block.text))
            out.append("")
        elif isinstance(block, Line):
            out.append(_line(block, fmt, ""))
        elif isinstance(block, Paragraph):
            out.append(block.text)
        elif isinstance(block, Record):
            if fmt == "md":
                out.extend((f"**{block.number}.**", ""))
                out.extend(_line(line, fmt, "") for line in block.lines)
            else:
                prefix = f"  {block.number}. "
                for index, line in enumerate(block.lines):
                    text = _line(line, fmt, " " * len(prefix))
                    out.append((prefix if index == 0 else " " * len(prefix)) + text)
        elif isinstance(block, Timeline):
            for row in block.rows:
                text = f"{row.when} — {row.person} — {row.what}"
                out.append(_indent_rest(f"- {text}" if fmt == "md" else text, "  "))
        else:
            for index, item in enumerate(block.items, start=1):
                bullet = f"{index}." if block.numbered else "-"
                entry = f"{bullet} {item}" if fmt == "md" else f"  {bullet} {item}"
                out.append(_indent_rest(entry, "     "))
    return "\n".join(out).rstrip() + "\n"


def _line(line: Line, fmt: Format, indent: str) -> str:
    label = line.label if line.label.endswith("?") else f"{line.label}:"
    label = f"- **{label}**" if fmt == "md" else label
    return _indent_rest(f"{label} {line.text}", indent + "  ")


def _indent_rest(text: str, indent: str) -> str:
    """Keep multi-line case text inside its list item."""
    first, *rest = text.splitlines() or [""]
    return "\n".join([first, *(indent + line for line in rest)])


def _escaped(block: Block) -> Block:
    if isinstance(block, Heading):
        return Heading(md_escape(block.text), block.level)
    if isinstance(block, Line):
        return _escaped_line(block)
    if isinstance(block, Paragraph):
        return Paragraph(md_escape(block.text))
    if isinstance(block, Record):
        return Record(block.number, tuple(_escaped_line(line) for line in block.lines))
    if isinstance(block, Timeline):
        return Timeline(
            tuple(
                TimelineRow(*(md_escape(part) for part in (row.when, row.who, row.role, row.what)))
                for row in block.rows
            )
        )
    return Items(tuple(md_escape(item) for item in block.items), block.numbered)


def _escaped_line(line: Line) -> Line:
    return Line(md_escape(line.label), md_escape(line.text))
