"""Named diet patterns as data: the macronutrient ranges low-carb, Mediterranean, DASH and high-protein
set in place of the AMDR, each with its source (``food_data/data/diet_patterns.yaml``, checked at load).

``macro_ranges`` gives a profile's ranges: the AMDR, then the pattern's, then the dietitian's own
``macros``, with a label for every range that is not the AMDR.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from mealplan.errors import ConfigError
from mealplan.fileio import load_data_file

PATTERNS_FILE = Path(__file__).parent / "data" / "diet_patterns.yaml"
Macro = Literal["protein", "fat", "carbohydrate"]


class DietPattern(BaseModel):
    """One named pattern: its macro ranges (percent of energy), a note and its source."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    macros: dict[Macro, tuple[float, float]]
    note: str
    source: str = Field(min_length=20)

    @model_validator(mode="after")
    def _ranges(self) -> DietPattern:
        for macro, (lo, hi) in self.macros.items():
            if not 0 <= lo <= hi <= 100:
                raise ValueError(f"{macro}: {lo:g}-{hi:g} % is not a range within 0-100 %")
        if sum(lo for lo, _ in self.macros.values()) > 100 or sum(hi for _, hi in self.macros.values()) < 100:
            raise ValueError("the macro ranges cannot add up to 100 % of energy")
        return self


class _File(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    patterns: dict[str, DietPattern]


@functools.cache
def load_diet_patterns(path: Path = PATTERNS_FILE) -> dict[str, DietPattern]:
    """The named diet patterns by id (``low-carb``, ``mediterranean``, ``dash``, ``high-protein``).

    Raises:
        ConfigError: the file is missing or not valid (every problem named).
    """
    return dict(load_data_file(path, _File, "diet patterns", error=ConfigError).patterns)


def macro_ranges(
    base: dict[str, tuple[float, float]],
    pattern: str | None,
    explicit: Mapping[Macro, tuple[float, float]],
) -> tuple[dict[str, tuple[float, float]], dict[str, str]]:
    """The macro ranges a plan holds, and a label for each range that overrides the AMDR.

    Args:
        base: The AMDR by macronutrient (percent of energy).
        pattern: A diet pattern id, or None.
        explicit: The dietitian's own ranges (they win over the pattern).
    """
    ranges = dict(base)
    labels: dict[str, str] = {}
    if pattern is not None:
        p = load_diet_patterns()[pattern]
        for macro, (lo, hi) in p.macros.items():
            ranges[macro] = (lo, hi)
            labels[macro] = f"override: {p.name} pattern ({p.source.split(';')[0]})"
    for name, (lo, hi) in explicit.items():
        ranges[name] = (lo, hi)
        labels[name] = "override: the dietitian's range (profile macros)"
    return ranges, labels
