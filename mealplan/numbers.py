"""Numbers as text: the one home of how mealplan writes a number.

- :func:`fmt_amount` is for people (reports, tables, the terminal): ``1,234 mg``, ``17.4 µg``,
  ``2.88 µg``, ``0.9 mg``; a missing value is ``–``.
- :func:`fmt_exact` is for messages that must show the figure a file or a solver holds (verification,
  the diet problem's optimum, the targets CSV): ``0.108662``, ``2.5e+20``; a missing value is empty.
- :func:`cell_float` reads a number from a food table's cell: ``None`` when it is missing.
"""

from __future__ import annotations

import math
import numbers


def fmt_amount(value: float | None, unit: str = "") -> str:
    """A nutrient amount for people: ``1,234 mg``, ``17.4 µg``, ``2.88 µg``, ``0.9 mg``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    a = abs(value)
    if a >= 100:
        text = f"{value:,.0f}"
    elif a >= 10:
        text = f"{value:.1f}".rstrip("0").rstrip(".")
    elif a == 0:
        text = "0"
    else:
        text = f"{value:.3g}"
    return f"{text} {unit}".strip()


def fmt_exact(value: float | None, digits: int = 6) -> str:
    """A number with ``digits`` significant digits and no grouping (``0.108662``); ``""`` for None."""
    return "" if value is None else f"{value:.{digits}g}"


def cell_float(value: object) -> float | None:
    """A food table's cell (a Python or numpy number, NaN, ``None`` or ``pd.NA``) as a float, or ``None``
    when the value is missing. Text is read as a number (``"1.5"``); text that is none raises ValueError."""
    if value is None:
        return None
    if isinstance(value, numbers.Real):
        number = float(value)
    elif isinstance(value, str | bytes):
        number = float(value)
    else:  # pd.NA, pd.NaT and other missing markers
        return None
    return None if math.isnan(number) else number
