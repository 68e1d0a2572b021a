"""The targets while the clinical rules apply (:mod:`targets.clinical`, :mod:`targets.renal`,
:mod:`targets.bariatric`, :mod:`targets.supplements`): each rule reads and changes one :class:`Draft`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mealplan.food_data.reference import Intake
    from mealplan.targets.model import Target
    from mealplan.targets.profile import Profile

TOP_PRIORITY = 5.0  # the highest shortfall weight a suspected deficiency earns (targets.compute)


@dataclass
class Draft:
    """The targets while the clinical rules apply: each rule reads and changes them."""

    profile: Profile
    factors: set[str]
    intakes: dict[str, Intake]
    stage: str
    items: dict[str, Target]
    notes: list[str]
    kcal: float
    e_min: float
    e_max: float
    e_src: str
    make_target: Callable[..., Target]
    extra: dict[str, Any] = field(default_factory=dict)  # further Targets fields (meal_max, ...)
    problems: list[str] = field(default_factory=list)  # what a clinician must supply

    def target(self, nid: str) -> Target:
        """The nutrient's target, or an empty one (no RDA or AI, no UL) to be bounded."""
        found = self.items.get(nid)
        return found if found is not None else self.make_target(nid, None, None, "no RDA or AI", "no UL", 1.0, False)

    def update(self, nid: str, **changes: Any) -> None:
        self.items[nid] = self.target(nid).model_copy(update=changes)

    def cap(self, nid: str, value: float, source: str) -> None:
        """Lower the nutrient's maximum to ``value`` (never raise it), the minimum with it if needed."""
        t = self.target(nid)
        if t.max is not None and t.max <= value:
            return
        lo = t.min if t.min is None or t.min <= value else value
        self.update(nid, max=float(f"{value:.6g}"), max_source=source, min=lo)

    def condition(self, label: str) -> None:
        self.extra.setdefault("conditions", []).append(label)

    def kind_limit(self, field_name: str, kind: str, grams: float, source: str) -> None:
        """A grams limit on a food kind (``daily_max_g``, ``weekly_max_g``, ``weekly_min_g``), the
        lower of two maxima (the higher of two minima)."""
        limits = self.extra.setdefault(field_name, {})
        old = limits.get(kind)
        keep_old = old is not None and (old >= grams if field_name == "weekly_min_g" else old <= grams)
        if not keep_old:
            limits[kind] = grams
            prefix = {"daily_max_g": "daily", "weekly_max_g": "weekly", "weekly_min_g": "weekly_min"}[field_name]
            self.extra.setdefault("food_kind_source", {})[f"{prefix}:{kind}"] = source

    def has(self, factor: str) -> bool:
        return factor in self.factors
