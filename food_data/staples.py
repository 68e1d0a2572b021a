"""Everyday foods ("staples"): the planner's first choice when building meals.

The curated planner set holds about 2,000 foods a person eats; an optimizer left to itself still
favours odd but nutrient-dense ones (dried seeds, sun-dried tomatoes by the cup). The staples list
(``data/staples.txt``, one regular expression per line) marks the foods people eat every week.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pandas as pd

STAPLES_FILE = Path(__file__).parent / "data" / "staples.txt"


@functools.cache
def _patterns(path: Path = STAPLES_FILE) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
    keep: list[str] = []
    drop: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        # Groups in the file are for alternation only: make them non-capturing.
        pattern = re.sub(r"(?<!\\)\((?!\?)", "(?:", line.lstrip("-"))
        (drop if line.startswith("-") else keep).append(pattern)

    def join(parts: list[str]) -> re.Pattern[str] | None:
        return re.compile("|".join(f"(?:{p})" for p in parts)) if parts else None

    return join(keep), join(drop)


def staple_mask(names: pd.Series) -> pd.Series:
    """True for foods whose name matches the staples list (and none of its exclusions)."""
    keep, drop = _patterns()
    lower = names.astype(str).str.lower()
    mask = lower.str.contains(keep) if keep is not None else pd.Series(False, index=names.index)
    if drop is not None:
        mask &= ~lower.str.contains(drop)
    return mask.astype(bool)
