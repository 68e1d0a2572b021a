"""Pattern meals whose parts go together (``food_data/data/pairings.yaml``): two pool foods that never
share a meal (no sweet bread with fish, no eggs with egg noodles), and a food that needs a partner (a
dressing needs a salad). A food's meals (no bagel as a dinner starch) are the meal spec's bans."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mealplan.optimizer import expr
from mealplan.optimizer.model.spec import MEAL_USE

if TYPE_CHECKING:
    from mealplan.optimizer.model.build import Build


def add_pairings(b: Build) -> None:
    """``y[a,s] + y[b,s] <= 1`` for a pair never together; ``y[a,s] <= sum of y[partner,s]`` for a need."""
    facts = b.spec.facts
    if not facts.never_together and not facts.needs:
        return
    for slot in b.rules.slots:
        s = slot.name
        here = {f: v for (f, ss, use), v in b.y.items() if ss == s and use == MEAL_USE}
        if len(here) < 2 and not facts.needs:
            continue
        for k, (f1, f2) in enumerate(facts.never_together):
            if f1 in here and f2 in here:
                expr.add_le(b.prob, [(here[f1], 1.0), (here[f2], 1.0)], 1.0, f"apart_{k}_{s}")
        for f, partners in sorted(facts.needs.items()):
            if f in here:
                terms = [(here[g], -1.0) for g in sorted(partners) if g in here]
                expr.add_le(b.prob, [(here[f], 1.0), *terms], 0.0, f"needs_{expr.safe_name(f)}_{s}")
