"""Servings: the best household measure of each food for its serving kind.

A serving must weigh what its kind allows (``food_data/data/curation_servings.yaml``); among the
food's measures (and 2x, 3x countable units and half cups) the one with the preferred unit nearest
the kind's target size wins; a food with none gets the kind's fallback serving.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from mealplan.food_data.curation.rules import rules

_MEASURE_RE = re.compile(r"^(?:(\d+(?:\.\d+)?)\s+)?(.*)$")
_PAREN_RE = re.compile(r"\s*\([^)]*\)?")
_WORD_RE = re.compile(r"[A-Za-z]+")


def _parse_measure(text: str) -> tuple[str, str, float, bool, str]:
    """Unit, display name, size bonus, single (no amount), and the text after the unit word."""
    amount, rest = _MEASURE_RE.match(text).groups()  # type: ignore[union-attr]
    clean = " ".join(_PAREN_RE.sub("", rest).split()).strip(" ,")
    for old, new in rules().measure_renames:
        if clean.startswith(old):
            clean = new + clean[len(old) :]
            break
    lower = clean.lower()
    first = _WORD_RE.match(lower)
    unit = first.group(0) if first else ""
    tail = clean[first.end() :] if first else clean
    for phrase, phrase_unit in rules().unit_phrases:  # units of two words ("fl oz", "fluid ounce")
        if lower.startswith(phrase):
            unit, tail = phrase_unit, clean[len(phrase) :]
            break
    unit = rules().unit_synonyms.get(unit, unit)
    bonus = next((value for word, value in rules().size_bonus if word in lower), 0.0)
    name = f"1 {clean}" if amount is None else f"{float(amount):g} {clean}"
    return unit, name, bonus, amount is None, tail


def servings(measures: pd.DataFrame, food_ids: pd.Index, kind: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Best household serving per food: in the kind's gram range, preferred unit, near the target.

    Candidates are the food's measures, 2x and 3x countable units ("2 tbsp", "3 oz") and half cups.
    """
    multiples = rules().multiples
    kind_names = list(rules().kinds)
    kinds = [rules().kinds[k] for k in kind_names]
    food_kind = pd.Index(kind_names).get_indexer(pd.Index(kind))
    default_name = np.array([k.serving[0] for k in kinds], dtype=object)[food_kind]
    default_g = np.array([k.serving[1] for k in kinds])[food_kind]
    food_pos = pd.Index(food_ids).get_indexer(measures["id"])
    grams = pd.to_numeric(measures["grams"], errors="coerce").to_numpy(dtype=float)
    usable = (food_pos >= 0) & (grams > 0)
    if not usable.any():
        return default_name, default_g
    food_pos, grams = food_pos[usable], grams[usable]
    text_code, texts = pd.factorize(measures["measure"].astype(str).to_numpy()[usable])
    parsed = [_parse_measure(t) for t in texts]
    units = sorted({u for k in kinds for u in k.units})
    unit_index = {u: i for i, u in enumerate(units)}
    t_unit = np.array([unit_index.get(p[0], len(units)) for p in parsed], dtype=np.int64)[text_code]
    t_bonus = np.array([p[2] for p in parsed])[text_code]
    t_single = np.array([p[3] for p in parsed], dtype=bool)[text_code]
    t_multi = np.array([p[0] in multiples for p in parsed], dtype=bool)[text_code]
    t_cup = np.array([p[0] == "cup" for p in parsed], dtype=bool)[text_code]
    # Variants: 1 = as listed, 2 and 3 = multiples, 0.5 = half a cup.
    parts = [(np.arange(len(grams)), 1.0, 0.0)]
    for count in (2.0, 3.0):
        parts.append((np.flatnonzero(t_single & t_multi), count, 0.4 * (count - 1)))
    parts.append((np.flatnonzero(t_single & t_cup), 0.5, 0.4))
    row = np.concatenate([p[0] for p in parts])
    factor = np.concatenate([np.full(len(p[0]), p[1]) for p in parts])
    penalty = np.concatenate([np.full(len(p[0]), p[2]) for p in parts])
    food, g = food_pos[row], grams[row] * factor
    code = food_kind[food]
    lo = np.array([k.lo for k in kinds])[code]
    hi = np.array([k.hi for k in kinds])[code]
    target = np.array([k.target for k in kinds])[code]
    prefs = np.full((len(kinds), len(units) + 1), -3.0)
    for i, k in enumerate(kinds):
        for u, v in k.units.items():
            prefs[i, unit_index[u]] = v
    score = prefs[code, t_unit[row]] + t_bonus[row] - penalty - 3.0 * np.abs(np.log(g / target))
    ok = (g >= lo) & (g <= hi)
    row, food, g, score, factor = row[ok], food[ok], g[ok], score[ok], factor[ok]
    order = np.lexsort((-score, food))
    first = order[np.r_[True, food[order][1:] != food[order][:-1]]] if len(order) else order
    name = default_name.copy()
    out_g = default_g.astype(float).copy()
    for i in first.tolist():  # one winner per food with a measure; names built only for winners
        unit, text_name, _, _, tail = parsed[text_code[row[i]]]
        f = factor[i]
        if f == 1.0:
            name[food[i]] = text_name
        elif f == 0.5:
            name[food[i]] = "0.5 " + text_name[2:]
        else:
            name[food[i]] = f"{f:g} {multiples[unit]}{tail}"
        out_g[food[i]] = g[i]
    return name, np.round(out_g, 1)
