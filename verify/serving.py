"""How a meal's foods are served (schema 2.1 meal rules): counted foods in whole units, and the parts
of a pattern meal that go together.

- ``whole_units`` (``meal_rules.whole_units``): every counted food (``food_data/data/counted_foods.csv``,
  read by ``counted_units``: an id with its USDA name, or a user's food by its family and measure) is
  served in a whole number of its steps (whole units, or halves for a step of 0.5), in dishes and
  pattern meals alike, within the verifier's relative tolerance plus 1e-6 g (plans round grams to 6
  decimals). An item a recorded edit set is trusted (``verify.edits.EDITABLE_CHECKS``).
- ``pairings`` (``meal_rules.pairings``): a pattern meal's foods, its drink apart, keep the rules of
  ``food_data/data/pairings.yaml`` for its meal kind (``pairing_rules(...).violations``). Tags are read
  from the foods' names and categories, so the check needs none of the planner's pools.
"""

from __future__ import annotations

import re

from mealplan.food_data.pairings import PairingRules, load_pairings, pairing_rules
from mealplan.food_data.vocab import slot_kind
from mealplan.plan import Plan
from mealplan.verify.lookup import Found, Lookup

SERVING_CHECKS: tuple[str, ...] = ("whole_units", "pairings")
ABS = 1e-6  # grams: plans round amounts to 6 decimals
# The words of PairingRules.violations, read to add the reason of a rule over one food.
_NOT_AT = re.compile(r"^(\S+) not at (\w+)$")
_NEEDS = re.compile(r"^(\S+) needs one of \d+ foods$")


def serving_problems(plan: Plan, look: Lookup, tol: float) -> Found:
    """Problems of the whole-unit and pairing rules, as ``(check, where, message)``."""
    rules = plan.rules.meal_rules
    if rules is None:
        return []
    out: Found = []
    if rules.whole_units:
        for day in plan.days:
            for slot in day.slots:
                for item in slot.items:
                    unit = look.counted.get(item.food_id)
                    if unit is None:
                        continue
                    steps = round(item.grams / unit.step_g)
                    if steps < 1 or abs(item.grams - steps * unit.step_g) > tol * item.grams + ABS:
                        served = "whole units" if unit.step == 1 else "whole units or halves"
                        out.append(("whole_units", f"day {day.index}, {slot.name}, {item.food_id} ({item.name})",
                                    f"{item.grams:g} g is {item.grams / unit.unit_g:.4g} x {unit.unit} "
                                    f"({unit.unit_g:g} g); served in {served} ({unit.step_g:g} g steps)"))  # fmt: skip
    if rules.pairings:
        out += _pairings(plan, look)
    return out


def _pairings(plan: Plan, look: Lookup) -> Found:
    meals = [(d.index, s) for d in plan.days for s in d.slots if s.meal_kind == "pattern"]
    ids = sorted({i.food_id for _, s in meals for i in s.items if i.role != "drink"})
    if not ids:
        return []
    rules = pairing_rules(ids, look.foods)
    out = []
    for day, slot in meals:
        foods = [i for i in slot.items if i.role != "drink"]
        labels = {i.food_id: look.label(i) for i in foods}
        for why in rules.violations(labels, slot_kind(slot.name)):
            out.append(("pairings", f"day {day}, {slot.name}", _named(_reason(why, rules), labels)))
    return out


def _reason(violation: str, rules: PairingRules) -> str:
    """A violation with the reason ``pairings.yaml`` gives: "09040 not at lunch" -> "09040 not at lunch: the
    breakfast breads are for breakfast and snacks"; "f needs one of 3 foods" -> "f needs a food of ... in the
    meal: why". Pairs already say why."""
    doc = load_pairings()
    if m := _NOT_AT.match(violation):
        food, kind = m[1], m[2]
        why = next((r.why for r in doc.not_at if food in rules.tags[r.tag] and kind in r.meals), "")
        return f"{violation}: {why}" if why else violation
    if m := _NEEDS.match(violation):
        rule = next((r for r in doc.needs if m[1] in rules.tags[r.tag]), None)
        if rule is not None:
            partners = " or ".join(t.replace("_", " ") for t in rule.any_of)
            return f"{m[1]} needs {partners} in the same meal: {rule.why}"
    return violation


def _named(text: str, labels: dict[str, str]) -> str:
    """``text`` with each food id written as its label: "09040 not at lunch" -> "09040 (Bananas, raw) not at lunch"."""
    ids = sorted(labels, key=len, reverse=True)
    pattern = re.compile("|".join(rf"(?<!\w){re.escape(f)}(?!\w)" for f in ids))
    return pattern.sub(lambda m: labels[m[0]], text)
