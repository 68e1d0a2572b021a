"""Verifying a household plan (issue 30), independently of the planner that made it.

Each member's Plan is verified on its own (:func:`~mealplan.verify.verifier.verify_plan`: every rule of
that person: targets, upper limits, life stage, medicines, diet, variety). Then the household's rules
(``HOUSEHOLD_CHECKS``), recomputed from the members' plans:

- ``members``: one plan a member, each of the household's days, named by its member's id;
- ``shared_meals``: each shared meal of the rules has its record; everyone who eats it has the same dish
  that day, and everyone it is for either eats it or is named apart (having eaten something else);
- ``apart``: a member apart because they "cannot eat" the dish: their own hard rules (diet, allergies,
  exclusions, dislikes, forbidden foods, life-stage safety) would break with an eater's plate of it;
- ``leftovers``: a lunch recorded as a dinner's leftovers is that member's dinner dish, at its grams;
- ``shopping``: the household's needs are the sum of every member's portions by product as bought
  (cooked rice as dry rice: ``targets.pantry.bought``), the pantry's grams of it (at most the need) and
  the rest to buy; every product eaten is listed once, and nothing else;
- ``pantry``: each pantry row's used and left grams add up to what it held, and the rows' use of a
  product is what the shopping needs take from the pantry;
- ``household_budget``: each day's cost of every member's priced items is within the budget, as recorded.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from mealplan.food_data.table import FoodTable
from mealplan.household_plan import TAP_WATER, HouseholdPlan
from mealplan.plan import Plan, SlotPlan
from mealplan.targets.pantry import bought
from mealplan.verify.verifier import Problem, VerificationReport, verify_plan

HOUSEHOLD_CHECKS = ("members", "shared_meals", "apart", "leftovers", "shopping", "pantry", "household_budget")
HARD_FOOD_CHECKS = frozenset({"diet", "allergens", "exclude", "dislikes", "forbid", "safety"})
NO_RULE = "none of their diet, allergy, exclusion, dislike, forbid or safety rules keeps its foods out"
GRAMS_ABS = 0.01  # recorded grams are rounded to 3 decimals


class HouseholdReport(BaseModel):
    """The result of :func:`verify_household`: each member's report and the household's problems."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    ok: bool
    members: dict[str, VerificationReport]
    problems: list[Problem]
    checks_run: list[str]


def verify_household(hp: HouseholdPlan, foods: FoodTable, tolerance: float = 1e-6) -> HouseholdReport:
    """Check every member's plan and the household's rules (see the module docstring).

    Args:
        hp: The household plan.
        foods: The food table(s) the plans were made from.
        tolerance: As :func:`verify_plan`'s (recorded grams also get ``GRAMS_ABS``).
    """
    members = {m.id: verify_plan(m.plan, foods, tolerance) for m in hp.members}
    found: list[tuple[str, str, str]] = []
    found += _members(hp)
    plans = {m.id: m.plan for m in hp.members}
    found += _shared(hp, plans)
    found += _apart(hp, plans, foods, tolerance)
    found += _leftovers(plans)
    found += _shopping(hp, plans, foods, tolerance)
    found += _pantry(hp, tolerance)
    found += _budget(hp, plans, tolerance)
    problems = [Problem(check=c, where=w, message=m) for c, w, m in found]
    ok = not problems and all(r.ok for r in members.values())
    return HouseholdReport(ok=ok, members=members, problems=problems, checks_run=list(HOUSEHOLD_CHECKS))


def _near(a: float, b: float, tol: float) -> bool:
    return abs(a - b) <= tol * max(abs(a), abs(b)) + GRAMS_ABS


def _slot(plan: Plan, day: int, meal: str) -> SlotPlan | None:
    d = next((x for x in plan.days if x.index == day), None)
    return next((s for s in d.slots if s.name == meal), None) if d is not None else None


def _members(hp: HouseholdPlan) -> list[tuple[str, str, str]]:
    out = []
    ids = [m.id for m in hp.members]
    for dup in sorted({i for i in ids if ids.count(i) > 1}):
        out.append(("members", dup, "the member is listed more than once"))
    for m in hp.members:
        if m.plan.profile_id != m.id:
            out.append(("members", m.id, f"the plan is {m.plan.profile_id!r}'s, not the member's"))
        if len(m.plan.days) != hp.days:
            out.append(("members", m.id, f"the plan has {len(m.plan.days)} days; the household's has {hp.days}"))
    return out


def _shared(hp: HouseholdPlan, plans: dict[str, Plan]) -> list[tuple[str, str, str]]:
    """Shared meals: one dish for everyone who eats it, and everyone it is for accounted for."""
    out = []
    records = {(r.day, r.slot): r for r in hp.shared}
    expected: dict[tuple[int, str], set[str]] = {}
    for rule in hp.shared_rules:
        for d in rule.days:
            expected.setdefault((d, rule.meal), set()).update(rule.members)
    for (d, meal), scope in sorted(expected.items()):
        if len(scope) < 2:
            continue
        rec = records.get((d, meal))
        where = f"day {d}, {meal}"
        if rec is None:
            out.append(("shared_meals", where, f"a shared meal of {', '.join(sorted(scope))} has no record"))
            continue
        apart = {a.member: a for a in rec.apart}
        missing = sorted(scope - set(rec.eaten_by) - set(apart))
        if missing:
            out.append(("shared_meals", where, f"{', '.join(missing)} neither eat the shared dish nor are named apart"))
        for m in sorted(set(rec.eaten_by) & set(apart)):
            out.append(("shared_meals", where, f"{m} is named both as eating the dish and apart"))
    for rec in hp.shared:
        where = f"day {rec.day}, {rec.slot}"
        if rec.dish_id is not None and not rec.eaten_by:
            out.append(("shared_meals", where, f"the shared dish {rec.dish_id!r} is eaten by nobody"))
        for m in [*rec.eaten_by, *(a.member for a in rec.apart)]:
            if m not in plans:
                out.append(("shared_meals", where, f"{m!r} is not a member"))
        for m in (m for m in rec.eaten_by if m in plans):
            slot = _slot(plans[m], rec.day, rec.slot)
            if slot is None or slot.dish_id != rec.dish_id:
                got = "no such meal" if slot is None else repr(slot.dish_id or slot.title)
                out.append(("shared_meals", where, f"{m} is said to eat {rec.dish_id!r} but has {got}"))
        for a in (a for a in rec.apart if a.member in plans):
            slot = _slot(plans[a.member], rec.day, rec.slot)
            if slot is not None and rec.dish_id is not None and slot.dish_id == rec.dish_id:
                out.append(("shared_meals", where, f"{a.member} is named apart but eats the shared dish"))
            if not a.reason.strip():
                out.append(("shared_meals", where, f"{a.member} is apart without a reason"))
    return out


def _apart(hp: HouseholdPlan, plans: dict[str, Plan], foods: FoodTable, tol: float) -> list[tuple[str, str, str]]:
    """A member who "cannot eat" the shared dish: with an eater's plate in their day, one of their own hard
    food rules breaks (checked by ``verify_plan`` on that day)."""
    out = []
    for rec in hp.shared:
        eater = next((m for m in rec.eaten_by if m in plans), None)
        plate = _slot(plans[eater], rec.day, rec.slot) if eater is not None else None
        for a in rec.apart:
            if not a.reason.startswith("cannot eat") or plate is None or a.member not in plans:
                continue
            plan = plans[a.member]
            days = [
                d.model_copy(update={"slots": [plate if s.name == rec.slot else s for s in d.slots]})
                if d.index == rec.day else d
                for d in plan.days
            ]  # fmt: skip
            report = verify_plan(plan.model_copy(update={"days": days}), foods, tol)
            here = f"day {rec.day}, {rec.slot}"
            if not any(p.check in HARD_FOOD_CHECKS and p.where.startswith(here) for p in report.problems):
                out.append(("apart", here, f"{a.member} is said not to be able to eat {rec.dish_id!r}, but {NO_RULE}"))
    return out


def _leftovers(plans: dict[str, Plan]) -> list[tuple[str, str, str]]:
    out = []
    for m, plan in plans.items():
        for day in plan.days:
            for slot in day.slots:
                if slot.leftover_of is None:
                    continue
                dinner = _slot(plan, slot.leftover_of, "dinner")
                where = f"{m}, day {day.index}, {slot.name}"
                if dinner is None or dinner.dish_id != slot.dish_id:
                    out.append(("leftovers", where, f"recorded as day {slot.leftover_of}'s leftovers, but that "
                                "day's dinner is another dish"))  # fmt: skip
                    continue
                cooked = sorted((i.food_id, round(i.grams, 3)) for i in dinner.items if i.role != "drink")
                if sorted((i.food_id, round(i.grams, 3)) for i in slot.items if i.role != "drink") != cooked:
                    out.append(("leftovers", where, "the leftovers are not the dinner's amounts"))
    return out


def _shopping(hp: HouseholdPlan, plans: dict[str, Plan], foods: FoodTable, tol: float) -> list[tuple[str, str, str]]:
    """The shopping needs are every member's portions by product, minus the pantry."""
    needed: dict[str, float] = {}
    for plan in plans.values():
        for day in plan.days:
            for slot in day.slots:
                for item in slot.items:
                    if TAP_WATER.search(item.name):
                        continue
                    b = bought(item.food_id, foods)
                    needed[b.product] = needed.get(b.product, 0.0) + item.grams * b.factor
    held: dict[str, float] = {}
    for line in hp.pantry:
        held[line.product] = held.get(line.product, 0.0) + line.grams
    out = []
    listed = {n.product: n for n in hp.shopping}
    for product in sorted(set(needed) - set(listed)):
        out.append(("shopping", product, f"{needed[product]:,.1f} g are eaten but the product is not on the list"))
    for product in sorted(set(listed) - set(needed)):
        out.append(("shopping", product, "listed, but no member eats it"))
    for product in sorted(set(needed) & set(listed)):
        n, want = listed[product], needed[product]
        from_pantry = min(held.get(product, 0.0), want)
        for name, got, expect in (("needed", n.needed_g, want), ("pantry", n.pantry_g, from_pantry),
                                  ("to buy", n.buy_g, want - from_pantry)):  # fmt: skip
            if not _near(got, expect, tol):
                out.append(("shopping", product, f"{name} {got:,.3f} g; the members' portions and the pantry "
                            f"give {expect:,.3f} g"))  # fmt: skip
    return out


def _pantry(hp: HouseholdPlan, tol: float) -> list[tuple[str, str, str]]:
    out = []
    used: dict[str, float] = {}
    for line in hp.pantry:
        if line.used_g < -GRAMS_ABS or line.used_g > line.grams + GRAMS_ABS:
            out.append(("pantry", line.name, f"used {line.used_g:,.3f} g of the {line.grams:,.3f} g held"))
        if not _near(line.used_g + line.left_g, line.grams, tol):
            out.append(("pantry", line.name, f"used {line.used_g:,.3f} g and left {line.left_g:,.3f} g do not make "
                        f"the {line.grams:,.3f} g held"))  # fmt: skip
        used[line.product] = used.get(line.product, 0.0) + line.used_g
    for n in hp.shopping:
        if not _near(used.get(n.product, 0.0), n.pantry_g, tol):
            out.append(("pantry", n.product, f"the pantry's rows give {used.get(n.product, 0.0):,.3f} g; the "
                        f"shopping takes {n.pantry_g:,.3f} g from the pantry"))  # fmt: skip
    return out


def _budget(hp: HouseholdPlan, plans: dict[str, Plan], tol: float) -> list[tuple[str, str, str]]:
    if hp.cost_per_day is None:
        return []
    out = []
    for k in range(hp.days):
        cost = sum(i.cost or 0.0 for p in plans.values() if k < len(p.days) for s in p.days[k].slots for i in s.items)
        recorded = hp.cost_per_day[k] if k < len(hp.cost_per_day) else None
        if recorded is None or abs(recorded - cost) > 1e-3:
            out.append(("household_budget", f"day {k + 1}", f"the recorded cost {recorded} is not the members' "
                        f"{cost:.4f}"))  # fmt: skip
        if hp.budget is not None and cost > hp.budget * (1 + tol) + 1e-3:
            out.append(
                ("household_budget", f"day {k + 1}", f"costs {cost:.2f}; the household's budget is {hp.budget:g}")
            )
    return out
