"""Text made safe for each output (one definition each), below every layer: renderers, batch and CLI.

Food names, dish titles, profile ids, notes and file names come from people's files, so every renderer
passes them through the helper for its format:

- :func:`md_escape`: Markdown; links, images, emphasis, code, HTML tags and line-start syntax are
  escaped (``[x](javascript:...)`` and ``![](http://...)`` render as text).
- :func:`csv_cell` / :func:`csv_writer` / :func:`csv_dict_writer`: CSV; a cell that starts with
  ``= + - @``, a tab or a carriage return gets a leading ``'`` (OWASP's advice against formula
  injection), numbers stay numbers.
- :func:`term_text` and :func:`terminal_safe`: the terminal; control characters (escape sequences
  that retitle the window or clear the screen) are removed, Rich markup is escaped, and no hyperlink
  survives from user text.
- HTML is escaped by Jinja2's autoescaping (``mealplan.report.html``).
"""

from __future__ import annotations

import csv
import re
from typing import Any

# C0 controls except tab and newline, DEL, and C1 controls (CSI/OSC introducers in 8-bit form), and
# Unicode's bidirectional controls: an override (U+202E) or isolate reorders what the terminal shows
# ("Trojan Source": a name that reads "salmon" but is stored backwards, a file name whose extension
# seems to change). Right-to-left text needs none of them: its direction comes from its letters.
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_CONTROL = re.compile(f"[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f{_BIDI}]")
_CONTROL_ALL = re.compile(f"[\\x00-\\x1f\\x7f-\\x9f{_BIDI}]")
# Markdown syntax that can make a link, an image, emphasis, code, strikethrough or a table cell.
_MD_SPECIAL = re.compile(r"([\\`*\[\]~|])")
_MD_UNDERSCORE = re.compile(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")
_MD_LINE_START = re.compile(r"^(\s*)([#>+=-]|\d+[.)](?=\s|$))")  # "1. " starts a list; "0.5 L" does not
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# A plain number ("-0.12", "+3e-5") is data, not a formula: it keeps its sign and stays a number.
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


def strip_control(text: object, *, keep_newlines: bool = False) -> str:
    """``text`` without control characters (ESC, BEL, C1 codes, bidirectional overrides and isolates);
    newlines kept only if asked."""
    return (_CONTROL if keep_newlines else _CONTROL_ALL).sub("", str(text))


def md_escape(text: object) -> str:
    """Text safe inside a Markdown table cell, list item or heading: one line, no live syntax.

    Backslash, backtick, ``*``, ``[``, ``]``, ``~`` and ``|`` are backslash-escaped, ``_`` at a word's
    edge too (``vitamin_d`` stays readable), ``<`` becomes ``&lt;`` (no HTML tag), and a line-start
    ``#``, ``>``, ``-``, ``+``, ``=`` or ``1.`` is escaped, so user text never becomes a heading,
    quote, list, link or image. ``>`` inside text stays plain ("calcium > 1000 mg").
    """
    s = strip_control(str(text).replace("\r\n", " ").replace("\n", " ").replace("\r", " "))
    s = _MD_SPECIAL.sub(r"\\\1", s)
    s = _MD_UNDERSCORE.sub(r"\\_", s)
    s = s.replace("<", "&lt;")
    return _MD_LINE_START.sub(_escape_mark, s, count=1)


def _escape_mark(m: re.Match[str]) -> str:
    """A line-start mark escaped: ``1.`` -> ``1\\.`` (a backslash before a digit escapes nothing and
    would show), ``#`` -> ``\\#``."""
    lead, mark = m.groups()
    return lead + (f"{mark[:-1]}\\{mark[-1]}" if mark[0].isdigit() else f"\\{mark}")


def csv_cell(value: Any) -> Any:
    """A CSV cell that a spreadsheet will not run: text starting with ``= + - @``, tab or CR gets a
    leading ``'`` (a plain number such as ``-0.12`` does not); control characters other than tab and
    newline are removed; numbers pass through."""
    if not isinstance(value, str):
        return value
    text = strip_control(value, keep_newlines=True)
    if (value.startswith(_FORMULA_START) or text.startswith(_FORMULA_START)) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


class _SafeWriter:
    """A ``csv.writer`` whose every text cell goes through :func:`csv_cell`."""

    def __init__(self, writer: Any) -> None:
        self._writer = writer

    def writerow(self, row: Any) -> Any:
        return self._writer.writerow([csv_cell(v) for v in row])

    def writerows(self, rows: Any) -> None:
        for row in rows:
            self.writerow(row)


class _SafeDictWriter(csv.DictWriter):
    """A ``csv.DictWriter`` whose every text value goes through :func:`csv_cell`."""

    def writerow(self, rowdict: Any) -> Any:
        return super().writerow({k: csv_cell(v) for k, v in rowdict.items()})

    def writerows(self, rowdicts: Any) -> None:
        for row in rowdicts:
            self.writerow(row)


def csv_writer(buf: Any, **kwargs: Any) -> Any:
    """``csv.writer(buf, **kwargs)`` with formula injection neutralised (see :func:`csv_cell`)."""
    return _SafeWriter(csv.writer(buf, **kwargs))


def csv_dict_writer(buf: Any, fieldnames: Any, **kwargs: Any) -> csv.DictWriter:
    """``csv.DictWriter`` with formula injection neutralised (see :func:`csv_cell`); the header is ours."""
    return _SafeDictWriter(buf, fieldnames=fieldnames, **kwargs)


def term_text(text: object) -> str:
    """User text for a Rich string: control characters removed and markup escaped."""
    from rich.markup import escape

    return escape(strip_control(text, keep_newlines=True))


class _TerminalSafe:
    """Renders a Rich renderable with control characters stripped from its text and no hyperlinks.

    The last line of defence for the terminal: whatever user text reached a table cell unescaped, no
    escape sequence and no OSC 8 link leaves the program. Our own styles and Rich's own control
    segments (cursor moves of a progress bar) are kept.
    """

    def __init__(self, renderable: Any) -> None:
        self.renderable = renderable

    def __rich_console__(self, console: Any, options: Any) -> Any:
        from rich.segment import Segment

        for seg in console.render(self.renderable, options):
            if seg.control:
                yield seg
                continue
            style = seg.style.update_link(None) if seg.style is not None and seg.style.link else seg.style
            yield Segment(strip_control(seg.text, keep_newlines=True), style)


def terminal_safe(renderable: Any) -> Any:
    """``renderable`` wrapped so its output carries no control characters or hyperlinks (see above)."""
    return _TerminalSafe(renderable)
