"""Household plans made from saved single plans, for the report, verify and CLI tests (no solver).

``household_of`` puts several Plans at one table as the planner records them: dinner shared every day
(eaten by those whose dinner is the first member's dish, the others apart), the pantry and the shopping
needs counted by the planner's own book (``optimizer/household_pantry.py``).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from mealplan.household_plan import Apart, HouseholdMember, HouseholdPlan, HouseholdSolve, SharedMeal, SharedRule
from mealplan.optimizer.household_pantry import PantryBook
from mealplan.plan import Plan
from mealplan.targets.pantry import Pantry, PantryItem

FIXTURES = Path(__file__).resolve().parent / "fixtures"
START = date(2026, 12, 14)


def saved_week() -> Plan:
    """The saved week of dishes (schema 2.0, vegan-twitching)."""
    return Plan.model_validate_json((FIXTURES / "plan_week_dishes.json").read_text())


def pantry_of(foods, *rows: tuple[str, float, date | None]) -> Pantry:
    """A pantry of (food id, grams, use-by) rows."""
    items = [
        PantryItem(row=k + 2, food_id=f, name=str(foods.foods.at[f, "name"]), amount=g, unit="g", grams=g, use_by=u)
        for k, (f, g, u) in enumerate(rows)
    ]
    return Pantry(source="pantry.csv", items=items)


def household_of(plans: dict[str, Plan], foods, pantry: Pantry | None = None, reason: str = "") -> HouseholdPlan:
    """The household plan of ``plans`` (member id -> their plan), dinner shared every day."""
    ids = list(plans)
    plans = {m: p.model_copy(update={"profile_id": m}) for m, p in plans.items()}
    days = len(plans[ids[0]].days)
    book = PantryBook(pantry, foods, [], START, days)
    for k in range(days):
        book.eaten(k + 1, [p.days[k] for p in plans.values()])
    shared = []
    for k in range(days):
        dinner = {m: next(s for s in p.days[k].slots if s.name == "dinner") for m, p in plans.items()}
        dish = dinner[ids[0]].dish_id
        eaten = [m for m in ids if dinner[m].dish_id == dish]
        apart = [
            Apart(member=m, title=dinner[m].title, reason=reason or "their own rules") for m in ids if m not in eaten
        ]
        shared.append(SharedMeal(day=k + 1, slot="dinner", dish_id=dish, title=dinner[ids[0]].title, eaten_by=eaten,
                                 apart=apart))  # fmt: skip
    return HouseholdPlan(
        household_id="test-home",
        created_with="tests",
        disclaimer="For education only.",
        start_date=START,
        days=days,
        members=[HouseholdMember(id=m, plan=p) for m, p in plans.items()],
        shared_rules=[SharedRule(meal="dinner", days=list(range(1, days + 1)), members=ids)],
        shared=shared,
        pantry=book.lines(),
        shopping=book.shopping([p.days for p in plans.values()]),
        solve=HouseholdSolve(total_seconds=0.0, build_seconds=0.0, solve_seconds=0.0, days=[]),
    )


EXAMPLES = FIXTURES.parents[1] / "examples" / "households"


def pair_file(folder: Path, *, pantry: bool = True, household_id: str = "pair") -> Path:
    """A household file of two members (the example father and daughter, by profile path), dinner shared,
    starting on a Monday; with the example pantry CSV unless ``pantry`` is False."""
    lines = [
        "schema: 1",
        f"id: {household_id}",
        "name: Father and daughter",
        "members:",
        f"  - profile: {EXAMPLES / 'father.yaml'}",
        f"  - profile: {EXAMPLES / 'daughter.yaml'}",
        "shared:",
        "  - meal: dinner",
        "start: 2026-12-14",
    ]
    if pantry:
        lines.append(f"pantry: {EXAMPLES / 'pantry.csv'}")
    path = folder / f"{household_id}.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
