"""Energy: the day within its hard range around the requirement, aiming within +-5 % of it (a goal
paid for when left), the food mass a poor appetite allows, and each meal's share of the day."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from mealplan.optimizer import expr
from mealplan.optimizer.model.weights import ENERGY_AIM_WEIGHT, ENERGY_NEAR_WEIGHT

if TYPE_CHECKING:
    from mealplan.optimizer.model.build import Build


def add_slot_energy(b: Build) -> None:
    """Each meal's energy as a variable of its own (``E_s = sum of its amounts' kcal``), so the rules on
    the day's energy and its shares read four variables, not every amount: rows of a few terms instead of
    hundreds (the day models' rows were 85 % dense rows, and every LP the solver makes pays for them)."""
    slot_of = np.array([a[3] for a in b.amounts], dtype=object)
    energy = b.coef["energy"]
    for slot in b.rules.slots:
        e = expr.continuous(b.prob, f"kcal_{slot.name}", 0.0, None)
        inside = (slot_of == slot.name).astype(float)
        expr.add_eq(b.prob, [*zip(b.qty, energy * inside, strict=True), (e, -1.0)], 0.0, f"kcal_{slot.name}")
        b.slot_energy[slot.name] = e


def add_energy(b: Build) -> None:
    """The hard range, the aim inside it, and a poor appetite's food mass."""
    rules, targets = b.rules, b.targets
    day = b.day_energy()
    b.rule(day, ">=", rules.energy_min, "energy_min", f"energy at least {rules.energy_min:.0f} kcal")
    b.rule(day, "<=", rules.energy_max, "energy_max", f"energy at most {rules.energy_max:.0f} kcal")
    # The energy aim (goal programming, like the shortfalls): the day's kcal beyond the +-5 % aim are
    # paid for, up to the hard range: E + near_lo + far_lo >= kcal, with near_lo free but at most the
    # aim's half-width, so far_lo is only paid for past the aim (the same above). The kcal inside the
    # aim are paid for lightly in the polish step only (``pull``): with the meals chosen, the LP moves
    # amounts toward the requirement. In the MILP that pull made days up to 3x slower (10x under a
    # poor appetite's food-mass cap) hunting a tie-break.
    aim_lo = max(rules.energy_min, targets.energy_goal_min or rules.energy_min)
    aim_hi = min(rules.energy_max, targets.energy_goal_max or rules.energy_max)
    mid = min(max(targets.energy_kcal, aim_lo), aim_hi)
    if aim_lo > rules.energy_min or aim_hi < rules.energy_max:
        below = [(mid - aim_lo, ENERGY_NEAR_WEIGHT), (aim_lo - rules.energy_min, ENERGY_AIM_WEIGHT)]
        above = [(aim_hi - mid, ENERGY_NEAR_WEIGHT), (rules.energy_max - aim_hi, ENERGY_AIM_WEIGHT)]
        for side, parts, sign in (("lo", below, 1.0), ("hi", above, -1.0)):
            terms = []
            for i, (width, weight) in enumerate(parts):
                if width > 1e-6:
                    v = expr.continuous(b.prob, f"energy_{side}_{i}", 0.0, width)
                    terms.append((v, sign))
                    (b.pull if i == 0 else b.objective).append((v, weight / width))
            if terms:
                add = expr.add_ge if sign > 0 else expr.add_le
                add(b.prob, day + terms, mid, f"energy_aim_{side}")
    # Poor appetite: the day's food and drink weigh at most this much (energy-dense foods, less volume).
    if targets.food_mass_max_g is not None:
        cap = targets.food_mass_max_g
        label = f"food and drink at most {cap:,.0f} g a day ({targets.food_mass_source})"
        water = b.spec.facts.water[0] if b.spec.facts.water else None  # (the default drink's water is not food)
        grams = np.array([0.0 if a[1] == water else g for a, g in zip(b.amounts, b.grams, strict=True)])
        b.rule(list(zip(b.qty, grams, strict=True)), "<=", cap, "food_mass_max", label)


def add_meal_shares(b: Build) -> None:
    """Each meal gives its share of the day's energy (``E_s - lo*E >= 0``, ``E_s - hi*E <= 0``)."""
    for slot in b.rules.slots:
        lo, hi = slot.energy_share
        e = b.slot_energy[slot.name]
        b.rule([(v, (1.0 if s == slot.name else 0.0) - lo) for s, v in b.slot_energy.items()], ">=", 0.0,
               f"share_lo_{slot.name}", f"{slot.name} gives at least {lo:.0%} of the day's energy")  # fmt: skip
        b.rule([(v, (1.0 if v is e else 0.0) - hi) for v in b.slot_energy.values()], "<=", 0.0,
               f"share_hi_{slot.name}", f"{slot.name} gives at most {hi:.0%} of the day's energy")  # fmt: skip
