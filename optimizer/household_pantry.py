"""The pantry through a household plan: what is left of each product day by day, the day's soft aims (a
product near its use-by date is used first), what the plan used up, and the household's shopping needs.

Everything is counted as bought (``targets.pantry.bought``): a product is one shopping line (cooked and
raw spinach are spinach), and a food eaten cooked counts its raw or dry grams (cooked brown rice as dry
brown rice). A product's need is every member's portions of it; the pantry covers it up to what it
holds; the rest is bought. A pantry row is near its use-by when the date falls within the plan: on the
days up to it, the household model earns its grams used (``household.PANTRY_WEIGHT``).
"""

from __future__ import annotations

from datetime import date, timedelta

from mealplan.food_data.table import FoodTable
from mealplan.household_plan import TAP_WATER, PantryLine, ShoppingNeed
from mealplan.optimizer.context import PlanContext
from mealplan.optimizer.household import PantryAim
from mealplan.plan import DayPlan
from mealplan.targets.pantry import Bought, Pantry, bought


class PantryBook:
    """A household plan's pantry, kept day by day (see the module docstring)."""

    def __init__(self, pantry: Pantry | None, foods: FoodTable, contexts: list[PlanContext], start: date, days: int):
        self.pantry = pantry
        self.foods = foods
        self.start = start
        self.last = start + timedelta(days=days - 1)
        self._bought: dict[str, Bought] = {}
        self.items = list(pantry.items) if pantry is not None else []
        self.have: dict[str, float] = {}  # product -> grams as bought
        for item in self.items:
            b = self.of(item.food_id)
            self.have[b.product] = self.have.get(b.product, 0.0) + item.grams * b.factor
        self.left = dict(self.have)
        self.needed: dict[str, float] = {}  # product -> grams as bought, every member's portions
        self.used_on: dict[str, list[int]] = {}
        # near its use-by: the product's latest such date within the plan
        self.near: dict[str, date] = {}
        for item in self.items:
            if item.use_by is not None and start <= item.use_by <= self.last:
                p = self.of(item.food_id).product
                self.near[p] = max(self.near.get(p, item.use_by), item.use_by)
        self.model_foods: dict[str, dict[str, float]] = {p: {} for p in self.near}
        if self.near:
            for ctx in contexts:
                for fid in ctx.inputs.names:
                    b = self.of(fid)
                    if b.product in self.model_foods:
                        self.model_foods[b.product][fid] = b.factor

    def of(self, food_id: str) -> Bought:
        """What a food is bought as (kept: a plan asks for the same foods day after day)."""
        if food_id not in self._bought:
            self._bought[food_id] = bought(food_id, self.foods)
        return self._bought[food_id]

    def aims(self, day: int) -> list[PantryAim]:
        """Day ``day``'s aims: each product near its use-by, on the days up to it, with grams left."""
        today = self.start + timedelta(days=day - 1)
        return [
            PantryAim(p, round(self.left[p], 3), self.model_foods[p])
            for p, use_by in sorted(self.near.items())
            if today <= use_by and round(self.left.get(p, 0.0), 3) > 0 and self.model_foods[p]
        ]

    def eaten(self, day: int, plans: list[DayPlan]) -> None:
        """Count a planned day: every member's portions, taken from the pantry first."""
        for plan in plans:
            for slot in plan.slots:
                for item in slot.items:
                    if TAP_WATER.search(item.name):
                        continue
                    b = self.of(item.food_id)
                    grams = item.grams * b.factor
                    self.needed[b.product] = self.needed.get(b.product, 0.0) + grams
                    if self.left.get(b.product, 0.0) > 1e-6:
                        self.left[b.product] = max(self.left[b.product] - grams, 0.0)
                        days = self.used_on.setdefault(b.product, [])
                        days += [] if day in days else [day]

    def lines(self) -> list[PantryLine]:
        """Each pantry row with what the plan used of it: a product's use goes to its rows earliest use-by
        first (a row without a date last), in file order among equals."""
        use = {p: min(self.have[p], self.needed.get(p, 0.0)) for p in self.have}
        order = sorted(range(len(self.items)), key=lambda i: (self.items[i].use_by or date.max, i))
        used: dict[int, float] = {}
        for i in order:
            b = self.of(self.items[i].food_id)
            grams = self.items[i].grams * b.factor
            used[i] = min(grams, use[b.product])
            use[b.product] -= used[i]
        out = []
        for i, item in enumerate(self.items):
            b = self.of(item.food_id)
            grams = item.grams * b.factor
            out.append(
                PantryLine(
                    food_id=item.food_id,
                    name=item.name,
                    product=b.product,
                    grams=round(grams, 3),
                    use_by=item.use_by,
                    near_use_by=b.product in self.near and item.use_by is not None and item.use_by <= self.last,
                    used_g=round(used[i], 3),
                    left_g=round(grams - used[i], 3),
                )
            )
        return out

    def shopping(self, member_days: list[list[DayPlan]]) -> list[ShoppingNeed]:
        """The household's needs by product, in order of first use: needed, from the pantry, to buy."""
        needed: dict[str, float] = {}
        ids: dict[str, list[str]] = {}
        for days in member_days:
            for plan in days:
                for slot in plan.slots:
                    for item in slot.items:
                        if TAP_WATER.search(item.name):
                            continue
                        b = self.of(item.food_id)
                        needed[b.product] = needed.get(b.product, 0.0) + item.grams * b.factor
                        ids.setdefault(b.product, [])
                        ids[b.product] += [] if b.food_id in ids[b.product] else [b.food_id]
        out = []
        for product, grams in needed.items():
            pantry = min(self.have.get(product, 0.0), grams)
            out.append(
                ShoppingNeed(
                    product=product,
                    name=product,
                    food_ids=ids[product],
                    needed_g=round(grams, 3),
                    pantry_g=round(pantry, 3),
                    buy_g=round(grams - pantry, 3),
                )
            )
        return out

    def notes(self) -> list[str]:
        """What the plan did with the pantry's food near its use-by: used up, partly used or not used."""
        out = []
        for line in self.lines():
            if not line.near_use_by:
                continue
            when = f"use by {line.use_by.isoformat()}" if line.use_by else ""
            days = self.used_on.get(line.product, [])
            on = f" on day{'s' if len(days) > 1 else ''} {', '.join(map(str, days))}" if days else ""
            if line.left_g <= 0.5:
                out.append(f"pantry: used up {line.name} ({line.grams:.0f} g, {when}){on}")
            elif line.used_g > 0.5:
                out.append(f"pantry: used {line.used_g:.0f} of {line.grams:.0f} g of {line.name} ({when}){on}")
            else:
                out.append(f"pantry: {line.name} ({when}) is not in the plan: no member's meals took it (it is "
                           "among the options of those whose rules allow it)")  # fmt: skip
        return out
