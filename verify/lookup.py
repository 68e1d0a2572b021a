"""The food table as the schema 2.1 checks read it: names, categories and per-100 g values by food id,
and the shared meal-rule data (drinks, counted foods, everyday foods, the dish library) for this table.

Foods are recognised by the table's USDA names and categories and by the data files of
``mealplan.food_data`` (which match ids together with names, or name patterns), never by the
planner's pools. Each piece of data is read once per verification, and only when a rule needs it.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any

import pandas as pd

from mealplan.errors import MealplanError
from mealplan.food_data.clinical_rules import kind_mask
from mealplan.food_data.counted import CountedUnit, counted_units
from mealplan.food_data.dishes import Dish, DishLibrary, load_dishes
from mealplan.food_data.drinks import DrinkFacts, DrinkRules, cup_grams, drink_rules
from mealplan.food_data.everyday import everyday_ids
from mealplan.food_data.lactose import lactose_per_100g
from mealplan.food_data.table import FoodTable
from mealplan.numbers import cell_float
from mealplan.plan import PlanItem

Found = list[tuple[str, str, str]]  # problems as (check, where, message)
DEFAULT_CUP_G = 240.0  # a drink with no cup measure: 8 fl oz


class Lookup:
    """Food facts by id for the checks (names and categories from the table, else the plan's own)."""

    def __init__(self, foods: FoodTable) -> None:
        self.foods = foods
        self.table = foods.foods
        self._kinds: dict[tuple[str, str], bool] = {}

    def known(self, food_id: str) -> bool:
        return food_id in self.table.index

    def name(self, item: PlanItem) -> str:
        return str(self.table.at[item.food_id, "name"]) if self.known(item.food_id) else item.name

    def category(self, item: PlanItem) -> str:
        return str(self.table.at[item.food_id, "category"]) if self.known(item.food_id) else item.category

    def label(self, item: PlanItem) -> str:
        """``"01085 (Milk, nonfat, ...)"``: how a problem names a food."""
        return f"{item.food_id} ({self.name(item)})"

    def value(self, food_id: str, column: str) -> float | None:
        """Per-100 g value, or None when unknown (no such food or column, or a missing value)."""
        if not self.known(food_id) or column not in self.table.columns:
            return None
        return cell_float(self.table.at[food_id, column])

    def amount(self, items: Iterable[PlanItem], column: str) -> float:
        """A nutrient over items (an unknown value counts 0, as the totals count it)."""
        return sum((self.value(i.food_id, column) or 0.0) * i.grams / 100.0 for i in items)

    def is_kind(self, kind: str, item: PlanItem) -> bool:
        """Whether the item's food is of a clinical food kind (``clinical_rules.kind_mask``).

        Raises:
            KeyError: an unknown kind.
        """
        key = (kind, item.food_id)
        if key not in self._kinds:
            self._kinds[key] = bool(kind_mask(kind, [self.name(item)], [self.category(item)])[0])
        return self._kinds[key]

    def lactose(self, items: Iterable[PlanItem]) -> float:
        """Grams of lactose in items (``food_data.lactose``: a measured value, else the rules)."""
        items = [i for i in items if self.known(i.food_id)]
        if not items:
            return 0.0
        rows = self.table.loc[[i.food_id for i in items]]

        def column(name: str) -> list[Any] | None:
            return rows[name].tolist() if name in rows.columns else None

        per_100g = lactose_per_100g(
            [self.name(i) for i in items],
            column("allergens") or [""] * len(items),
            [float("nan") if pd.isna(v) else float(v) for v in (column("sugars") or [float("nan")] * len(items))],
            column("usda_group"),
            [float("nan") if pd.isna(v) else float(v) for v in column("lactose") or []] if "lactose" in rows else None,
        )
        return float(sum(v * i.grams / 100.0 for v, i in zip(per_100g, items, strict=True)))

    # shared meal-rule data, read on first use ---------------------------------------------------

    @functools.cached_property
    def drinks(self) -> DrinkRules:
        return drink_rules(self.foods)

    def drink(self, food_id: str) -> DrinkFacts | None:
        """What ``drinks.yaml`` says of this drink (None: not a drink the file names, by id and name)."""
        return self.drinks.drinks.get(food_id)

    def cup_g(self, food_id: str) -> float:
        facts = self.drink(food_id)
        if facts is not None:
            return facts.cup_g
        return (cup_grams(self.foods, food_id) if self.known(food_id) else None) or DEFAULT_CUP_G

    @functools.cached_property
    def counted(self) -> dict[str, CountedUnit]:
        return counted_units(self.foods)

    @functools.cached_property
    def everyday(self) -> set[str]:
        """Everyday foods and water: exempt from the days-per-food rule."""
        return everyday_ids(self.foods) | set(self.drinks.default)

    @functools.cached_property
    def dishes(self) -> DishLibrary | None:
        """The bundled dish library on this table (None when it cannot be read against it)."""
        try:
            return load_dishes(foods=self.foods)
        except MealplanError:
            return None

    def dish(self, dish_id: str) -> Dish | None:
        """The library's dish with this id (None: not in the bundled library, e.g. a user's dish)."""
        library = self.dishes
        return library.dishes.get(dish_id) if library is not None else None
