"""Food patterns: how ``exclude``, ``likes`` and ``dislikes`` entries name foods. One definition.

A pattern names a food when it is the food's id, or, with ``*``, ``?`` or ``[``, a glob matching
the whole name (case-insensitive), or else a case-insensitive substring of the name. A blank
pattern names no food.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable, Sequence

import numpy as np

_GLOB = "*?["


def food_matches(pattern: str, food_id: str, name: str) -> bool:
    """Whether ``pattern`` names the food with this id and name."""
    pat = pattern.strip()
    if not pat:
        return False
    if pat == str(food_id):
        return True
    if any(ch in pat for ch in _GLOB):
        return fnmatch.fnmatchcase(name.lower(), pat.lower())
    return pat.lower() in name.lower()


def pattern_mask(patterns: Iterable[str], ids: Sequence[str] | np.ndarray, names: Iterable[object]) -> np.ndarray:
    """One bool per food: does any of ``patterns`` name it (``food_matches``, vectorised)."""
    ids = np.asarray(ids, dtype=object)
    lowered = [str(n).lower() for n in names]
    mask = np.zeros(len(ids), dtype=bool)
    for p in patterns:
        pat = p.strip()
        if not pat:
            continue
        mask |= ids == pat
        if any(ch in pat for ch in _GLOB):
            rx = re.compile(fnmatch.translate(pat.lower()))
            mask |= np.array([rx.match(n) is not None for n in lowered], dtype=bool)
        else:
            needle = pat.lower()
            mask |= np.array([needle in n for n in lowered], dtype=bool)
    return mask
