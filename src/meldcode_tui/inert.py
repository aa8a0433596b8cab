"""Text from outside the program made inert for a terminal, and quoted short in error messages.

Case files, flow files, answers files, names and file names can hold characters a terminal acts
on instead of showing: C0 controls (ESC starts a sequence that can retitle the window, move the
cursor or clear the screen), DEL, the C1 controls U+0080-U+009F (U+009B is a one-character CSI on
some terminals), the bidirectional formatting characters (U+202E turns the rest of the line
around, which can make a line read differently from what it holds), and the line and paragraph
separators U+2028/U+2029; and characters that show as nothing (a zero-width space), which make
two texts that look the same differ ("Leerling-042" and another pupil's "Leer\\u200bling-042").
`inert` shows each of them as a visible escape (`\\x1b`, `\\u202e`); the CLI passes every text it
prints through it, and the app draws each as "\\ufffd" (`tui/plain.py`). `has_unsafe` is also the
rule for the one-line labels (pupil reference, group, name, role, reason) that the store, the CLI
and the app refuse. `excerpt` quotes at most `EXCERPT_LENGTH` characters of a value.

Imports nothing: the fast headless commands and every layer may use it.
"""

from __future__ import annotations

import re
from functools import cache

BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
"""Arabic letter mark, LRM/RLM, the embeddings and overrides, and the isolates."""

INVISIBLE = "\u00ad\u180e\u200b\u2060\u2061\u2062\u2063\u2064\ufeff"
"""Characters that show as nothing and join nothing: soft hyphen, Mongolian vowel separator, zero
width space, word joiner, the invisible operators, zero width no-break space (BOM). (The zero
width joiner and non-joiner are left alone: words and names in some scripts need them.)"""

UNSAFE_CODEPOINTS: tuple[int, ...] = (
    *range(0x00, 0x20),
    *range(0x7F, 0xA0),
    0x2028,
    0x2029,
    *(ord(c) for c in BIDI_CONTROLS),
    *(ord(c) for c in INVISIBLE),
)
"""Every code point `inert` escapes (line feed and tab too, unless the text is multi-line)."""

EXCERPT_LENGTH = 60

_OTHERS = "\x7f-\x9f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069" + INVISIBLE


@cache
def _pattern(multiline: bool) -> re.Pattern[str]:
    """Compiled on first use: the headless commands print mostly JSON."""
    if multiline:
        return re.compile(f"[\x00-\x08\x0b-\x1f{_OTHERS}]")
    return re.compile(f"[\x00-\x1f{_OTHERS}]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def has_unsafe(text: str) -> bool:
    """Whether `text` holds a character `inert` would escape (line feeds and tabs included)."""
    return _pattern(False).search(text) is not None


LABEL_FAULT = (
    "a control or invisible character (such as ESC, a tab, a line break, a direction override "
    "or a zero-width space)"
)
"""What `has_unsafe` finds, as the CLI and the store say it when they refuse a label."""


def inert(text: str, *, multiline: bool = False) -> str:
    """`text` with every control character shown as an escape; `multiline` keeps line feeds and
    tabs (a document's own layout), everything else is escaped, carriage returns too."""
    pattern = _pattern(multiline)
    if pattern.search(text) is None:
        return text
    return pattern.sub(_escape, text)


def excerpt(value: object, limit: int = EXCERPT_LENGTH) -> str:
    """A value quoted for an error message: at most `limit` characters of it, inert, in quotes
    for text (`'abc'`, `'abcd…' (10485760 characters)`), bare for anything else."""
    if isinstance(value, str):
        text, quote = value, "'"
    elif isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**limit:
        return f"a number of more than {limit} digits"
    else:
        try:
            text = repr(value)
        except Exception:  # a value whose repr fails is still reported
            text = f"<{type(value).__name__}>"
        quote = ""
    if len(text) <= limit:
        return f"{quote}{inert(text)}{quote}"
    return f"{quote}{inert(text[:limit])}…{quote} ({len(text)} characters)"
