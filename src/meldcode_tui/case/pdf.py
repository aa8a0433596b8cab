"""The verslag as a print-ready PDF (A4), drawn from the same `export.Verslag` the text exports
render, with fpdf2 and the bundled DejaVu Sans (`meldcode_tui/fonts`, embedded as a subset).

Every page carries "Vertrouwelijk", the school's name, the pupil reference and the case id at the
top, and who exported it when and "pagina N van M" at the bottom. Nothing is fetched: the fonts
come from the package, the PDF is returned as bytes for `case.outfile.write_export`.

This module imports fpdf2 (and through it Pillow and fontTools); import it only to make a PDF.
"""

from __future__ import annotations

import logging
from contextlib import ExitStack
from importlib.resources import as_file, files

from fpdf import FPDF
from fpdf.enums import TableBordersLayout, XPos, YPos
from fpdf.fonts import FontFace, TTFFont

from meldcode_tui.case.export import (
    Block,
    Heading,
    Items,
    Line,
    Paragraph,
    Record,
    Timeline,
    Verslag,
)
from meldcode_tui.inert import inert

FONT = "dejavu"
CONFIDENTIAL = "Vertrouwelijk"
_FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
_TEXT = 10.0
_LINE = 5.0
_INDENT = 7.0
_DARK = (30, 30, 30)
_GREY = (90, 90, 90)
_RED = (160, 0, 0)


def render_pdf(verslag: Verslag) -> bytes:
    """The verslag as the bytes of a PDF file. Drawn twice: the first time counts the pages
    for "pagina 1 van N" (fpdf's page-count alias would also replace "{nb}" in case text)."""
    logging.getLogger("fpdf").setLevel(logging.ERROR)  # its warnings may quote case text
    with ExitStack() as stack:
        fonts = {
            style: stack.enter_context(as_file(files("meldcode_tui") / "fonts" / name))
            for style, name in _FONT_FILES.items()
        }

        def drawn(total_pages: int) -> _Verslag:
            pdf = _Verslag(verslag, total_pages)
            for style, path in fonts.items():
                pdf.add_font(FONT, style, str(path))
            pdf.draw()
            return pdf

        return bytes(drawn(drawn(0).pages_count).output())


class _Verslag(FPDF):
    def __init__(self, verslag: Verslag, total_pages: int = 0) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.verslag = verslag
        self.set_margins(20, 28, 20)
        self.set_auto_page_break(True, margin=20)
        self.set_title("Meldcode-verslag (vertrouwelijk)")
        self.set_creator("meldcode-tui")
        self.set_lang("nl")
        self.glyphs: set[int] = set()
        self.total_pages = total_pages
        self.alias_nb_pages(None)  # type: ignore[arg-type]  # no "{nb}" replaced in case text

    def draw(self) -> None:
        self.glyphs = set.intersection(
            *(set(font.cmap) for font in self.fonts.values() if isinstance(font, TTFFont))
        )
        self.add_page()
        for block in self.verslag.blocks:
            self._block(block)

    def clean(self, text: str) -> str:
        """`text` as the page can show it: control characters as escapes (`inert`), a
        character the font lacks as U+FFFD."""
        shown = inert(text, multiline=True)
        return "".join(c if c == "\n" or ord(c) in self.glyphs else "\ufffd" for c in shown)

    def fit(self, text: str, width: float) -> str:
        """`text` cleaned and, if wider than `width` in the current font, cut with "…"."""
        text = " ".join(self.clean(text).split())
        if self.get_string_width(text) <= width:
            return text
        while text and self.get_string_width(text + "…") > width:
            text = text[: max(0, len(text) - max(1, len(text) // 20))]
        return text + "…"

    def header(self) -> None:
        top = self.t_margin - 14
        self.set_y(top)
        self._font("B", 9, _RED)
        self.cell(40, 4.5, CONFIDENTIAL.upper())
        if self.verslag.school:
            self._font("", 9, _GREY)
            self.set_xy(self.l_margin + 40, top)
            self.cell(0, 4.5, self.fit(self.verslag.school, self.epw - 40), align="R")
        self.set_xy(self.l_margin, top + 5)
        self._font("", 9, _GREY)
        case = f" · zaak {self.verslag.case_id}"
        pupil = self.fit(f"Leerling: {self.verslag.pupil}", self.epw - self.get_string_width(case))
        self.cell(0, 4.5, pupil + self.clean(case))
        self.set_draw_color(*_GREY)
        self.set_line_width(0.2)
        self.line(self.l_margin, top + 11, self.w - self.r_margin, top + 11)
        self.set_xy(self.l_margin, self.t_margin)

    def footer(self) -> None:
        self.set_y(-14)
        self._font("", 8, _GREY)
        if self.verslag.exported:
            self.cell(0, 4, self.fit(f"Geëxporteerd: {self.verslag.exported}", self.epw - 30))
            self.set_x(self.l_margin)
        self.cell(0, 4, f"pagina {self.page_no()} van {self.total_pages}", align="R")

    def _font(self, style: str, size: float, color: tuple[int, int, int] = _DARK) -> None:
        self.set_font(FONT, style, size)
        self.set_text_color(*color)

    def _room(self, height: float) -> None:
        """Start a new page when less than `height` is left on this one (no lone heading)."""
        if self.get_y() + height > self.page_break_trigger:
            self.add_page()

    def _block(self, block: Block) -> None:
        if isinstance(block, Heading):
            self._heading(block)
        elif isinstance(block, Line):
            self._line(block)
        elif isinstance(block, Paragraph):
            self._room(4 * _LINE)  # a question or a list's title stays with what follows it
            self._font("", _TEXT)
            self.ln(1.5)
            self.multi_cell(
                0, _LINE, self.clean(block.text), new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L"
            )
            self.ln(1)
        elif isinstance(block, Record):
            self._record(block)
        elif isinstance(block, Items):
            self._items(block)
        else:
            self._timeline(block)

    def _heading(self, block: Heading) -> None:
        if block.level == 1:
            self._font("B", 16)
            self.multi_cell(
                0, 8, self.clean(block.text), new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L"
            )
            self.ln(3)
            return
        self._room(16 + 4 * _LINE)  # the heading with the start of its section
        self.ln(4)
        self._font("B", 12.5)
        self.multi_cell(
            0, 6.5, self.clean(block.text), new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L"
        )
        y = self.get_y() + 0.5
        self.set_draw_color(*_GREY)
        self.line(self.l_margin, y, self.w - self.r_margin, y)
        self.ln(2.5)

    def _line(self, line: Line, indent: float = 0) -> None:
        """The label in bold, the text after it, wrapped under the label's start."""
        margin = self.l_margin
        self.set_left_margin(margin + indent)
        self.set_x(margin + indent)
        label = line.label if line.label.endswith("?") else f"{line.label}:"
        self._font("B", _TEXT)
        self.write(_LINE, self.clean(label) + " ")
        self._font("", _TEXT)
        self.write(_LINE, self.clean(line.text))
        self.ln(_LINE + 0.8)
        self.set_left_margin(margin)

    def _record(self, record: Record) -> None:
        self._room(2 * _LINE)
        self.ln(1)
        self._font("B", _TEXT)
        top = self.get_y()
        self.cell(_INDENT, _LINE, f"{record.number}.")
        self.set_y(top)
        for line in record.lines:
            self._line(line, _INDENT)
        self.ln(1)

    def _items(self, block: Items) -> None:
        margin = self.l_margin
        for number, item in enumerate(block.items, start=1):
            self._font("", _TEXT)
            self.set_x(margin)
            self.cell(_INDENT, _LINE, f"{number}." if block.numbered else "–")
            self.set_left_margin(margin + _INDENT)
            self.write(_LINE, self.clean(item))
            self.ln(_LINE + 0.8)
            self.set_left_margin(margin)

    def _timeline(self, block: Timeline) -> None:
        self._font("", 9)
        heading = FontFace(family=FONT, emphasis="BOLD", size_pt=9, fill_color=(235, 235, 235))
        with self.table(
            col_widths=(34, 44, 92),
            text_align="LEFT",
            v_align="TOP",
            borders_layout=TableBordersLayout.HORIZONTAL_LINES,
            headings_style=heading,
            line_height=4.6,
            padding=1.2,
        ) as table:
            row = table.row()
            for title in ("Wanneer", "Wie (rol)", "Wat"):
                row.cell(title)
            for event in block.rows:
                row = table.row()
                row.cell(self.clean(event.when))
                row.cell(self.clean(event.person))
                row.cell(self.clean(event.what))
