"""Amounts in the client's units: metric (g, kg, mL, L) or US (oz, lb, fl oz, cups, quarts).

Plans and shopping lists keep grams; household measures (cups, tablespoons, "1 medium") read the same
in both. :func:`weight` says grams in the chosen units, :func:`volume` millilitres, and
:func:`in_units` rewrites the weights and volumes of a text (a shopping line: "300 g mushrooms (about
0.75 lb)" is "0.75 lb mushrooms" in US units; "1 bottle olive oil (16.9 fl oz; uses about 35 mL)" is
"1 bottle olive oil (500 mL; uses about 35 mL)" in metric).
"""

from __future__ import annotations

import re
from typing import Literal

Units = Literal["metric", "us"]
UNITS: tuple[str, ...] = ("metric", "us")
OZ_G = 28.349523125
LB_G = 453.59237
FL_OZ_ML = 29.5735295625
CUP_ML = 236.5882365
QUART_ML = 946.352946


def _num(value: float, places: int = 1) -> str:
    """A number as people write it: whole from 20 up, else at most ``places`` decimals, no trailing zeros."""
    if value >= 100:
        return f"{round(value):,}"
    if value >= 20:
        return f"{value:.0f}"
    if value < 1 and places == 1:
        return f"{value:.2g}"
    return f"{value:.{places}f}".rstrip("0").rstrip(".")


def weight(grams: float, units: Units = "metric") -> str:
    """``grams`` in the client's units: "150 g", "1.2 kg"; "5.3 oz", "2.75 lb" (pounds to the quarter)."""
    if units == "us":
        if grams >= LB_G:
            return f"{_num(round(grams / LB_G * 4) / 4, 2)} lb"
        return f"{_num(grams / OZ_G)} oz"
    if grams >= 1000:
        return f"{_num(grams / 1000)} kg"
    return f"{_num(grams)} g"


def volume(ml: float, units: Units = "metric") -> str:
    """``ml`` millilitres in the client's units: "250 mL", "1.4 L"; "8 fl oz", "1.5 cups", "1.25 qt"."""
    if units == "us":
        if ml >= 4 * CUP_ML:
            return f"{_num(round(ml / QUART_ML * 4) / 4, 2)} qt"
        if ml >= CUP_ML * 0.75:
            cups = round(ml / CUP_ML * 4) / 4
            return f"{_num(cups, 2)} cup{'s' if cups != 1 else ''}"
        return f"{_num(ml / FL_OZ_ML)} fl oz"
    if ml >= 1000:
        return f"{_num(ml / 1000)} L"
    return f"{_num(ml)} mL"


_N = r"(\d+(?:[.,]\d+)?)"
_GRAMS_ABOUT_LB = re.compile(rf"^{_N} (g|kg) (.+?) \(about ([\d.]+) lb\)")
_ABOUT_LB = re.compile(r"\s*\(about [\d.]+ lb\)")
_METRIC = re.compile(rf"{_N} (kg|g|mL|L)\b")
_US = re.compile(rf"{_N} (fl oz|oz|lb)\b")


def _value(text: str) -> float:
    return float(text.replace(",", ""))


def in_units(text: str, units: Units = "metric") -> str:
    """``text`` with its weights and volumes in ``units`` (counts, packs and household measures kept)."""
    if units == "us":
        text = _GRAMS_ABOUT_LB.sub(lambda m: f"{m[4]} lb {m[3]}", text)

        def to_us(m: re.Match) -> str:
            value, unit = _value(m[1]), m[2]
            grams = {"g": 1.0, "kg": 1000.0}.get(unit)
            return weight(value * grams, "us") if grams else volume(value * (1000.0 if unit == "L" else 1.0), "us")

        return _METRIC.sub(to_us, text)
    text = _ABOUT_LB.sub("", text)

    def to_metric(m: re.Match) -> str:
        value, unit = _value(m[1]), m[2]
        if unit == "fl oz":
            return volume(value * FL_OZ_ML)
        return weight(value * (OZ_G if unit == "oz" else LB_G))

    return _US.sub(to_metric, text)
