"""Small text helpers every renderer shares (one definition each): Markdown escaping."""

from __future__ import annotations


def md_escape(text: object) -> str:
    """Text safe inside a Markdown table cell or list item: one line, pipes escaped, ``<`` neutralised.

    ``<`` could open an HTML tag; ``>`` inside a cell is plain text, so it stays readable
    ("calcium > 1000 mg").
    """
    return str(text).replace("|", "\\|").replace("\n", " ").replace("<", "&lt;")
