"""Meals as people read them: a title, a portion and a method for a dish, ingredients in household
measures, the drink on its own line and "leftovers from day N".

Every renderer (terminal, CSV, Markdown, HTML, shopping list) reads meals through ``meal_view`` so a
meal is described once. A 1.x plan (``meal_kind`` "foods") has no dish: its title is made from its
food names (see ``mealplan.plan``) and it shows its foods as ingredients.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from mealplan.food_data.household import FRACTION_VALUES
from mealplan.food_data.names import plural, short_name, singular

if TYPE_CHECKING:
    from mealplan.plan import DayPlan, Plan, PlanItem, SlotPlan

SLOT_LABELS = {"breakfast": "Breakfast", "lunch": "Lunch", "dinner": "Dinner", "snack": "Snack"}
_LEFTOVER_SUFFIX = re.compile(r"\s*\(leftovers? from day \d+\)\s*$", re.IGNORECASE)
_QUARTERS = {0: "", 1: "¼", 2: "½", 3: "¾"}


@dataclass(frozen=True)
class IngredientLine:
    """One item of a meal: ``household`` + ``name`` reads as "1⅔ cups rolled oats"."""

    food_id: str
    name: str  # short, readable: "rolled oats"
    full_name: str  # the food table's name
    household: str  # "1⅔ cups", without the grams
    grams: float
    role: str

    @property
    def text(self) -> str:
        return ingredient_text(self.household, self.name)


# Volume units a measure's qualifier follows ("1 cup slices", "2 tbsp chopped").
_VOLUME = re.compile(r"^(?P<amount>\S+) (?P<unit>cups?|tbsp|tsp|tablespoons?|teaspoons?|fl oz) (?P<how>.+)$")
# Sizes of counted things: the food's name agrees in number with the count ("½ medium banana").
_SIZES = frozenset({"small", "medium", "large", "extra large", "jumbo", "whole"})


def ingredient_text(household: str, name: str) -> str:
    """A measure and a food as a recipe says them.

    "⅔ cup, chunks" + "pineapple" -> "⅔ cup pineapple (chunks)"; "⅓ cup slices" + "carrots" ->
    "⅓ cup carrots (slices)"; "½ medium" + "bananas" -> "½ medium banana"; "2 large" + "egg" ->
    "2 large eggs"; "2 fruit" + "green kiwifruit" -> "2 green kiwifruits".
    """
    measure, _, how = household.partition(", ")
    volume = _VOLUME.match(measure)
    if volume and not how:
        measure, how = f"{volume['amount']} {volume['unit']}", volume["how"].strip("() ")
    amount, _, size = measure.partition(" ")
    if size == "fruit" and name:  # "2 fruit" of kiwifruit is "2 kiwifruits"
        measure, size = amount, "whole"
    size_word, _, noun = size.partition(" ")  # "1 medium bagel" of oat bran bagels: "1 medium oat bran bagel"
    if noun and size_word in _SIZES and name and singular(noun) == singular(name.split(" ")[-1]):
        measure, size = f"{amount} {size_word}", size_word
    elif size and not noun and name and _count(amount) and singular(size) == singular(name.split(" ")[-1]):
        measure, size = amount, "whole"  # "1½ roll" of hard rolls: "1½ hard rolls"
    if size in _SIZES and name:
        count = _count(amount)
        *rest, last = name.split(" ")
        if count is not None:
            name = " ".join([*rest, plural(singular(last), count)])
    if how and name.endswith(")"):  # "cucumber (with peel)" + "slices" -> "cucumber (with peel, slices)"
        return f"{measure} {name[:-1]}, {how})"
    return f"{measure} {name}" + (f" ({how})" if how else "")


def _count(text: str) -> float | None:
    """ "1½" -> 1.5, "½" -> 0.5, "2" -> 2.0; None when not a count."""
    m = re.fullmatch(r"(\d*)([^\d.]?)", text)
    if not m or not (m[1] or m[2]) or (m[2] and m[2] not in FRACTION_VALUES):
        return None
    return float(m[1] or 0) + FRACTION_VALUES.get(m[2], 0.0)


@dataclass(frozen=True)
class MealView:
    """One meal of a day as a person reads it."""

    slot: str
    label: str  # "Breakfast"
    title: str  # the meal's name, without any "(leftovers from day N)"
    kind: str  # dish | pattern | foods
    dish_id: str | None
    pattern_id: str | None
    portion: float | None
    portion_text: str  # "1 portion", "1¼ portions"; "" when the meal is not a dish
    method: str  # "" when none
    leftover_of: int | None  # the day number (1-based) the dish was cooked on
    kcal: float
    ingredients: list[IngredientLine]
    drinks: list[IngredientLine]

    @property
    def leftover_text(self) -> str:
        return f"leftovers from day {self.leftover_of}" if self.leftover_of is not None else ""

    @property
    def drink_text(self) -> str:
        return ("Drink: " + "; ".join(d.text for d in self.drinks)) if self.drinks else ""


def household_only(household: str, grams: float) -> str:
    """The household part of ``"1½ × 1 medium (177 g)"``; grams are shown on their own."""
    text = household.strip()
    text = re.sub(r"\s*\(\s*\d+(?:\.\d+)?\s*g\s*\)\s*$", "", text) if text.endswith("g)") else text
    return text or f"{grams:.0f} g"


def portion_text(portion: float | None) -> str:
    """A dish's portion in words, to the nearest quarter: "1 portion", "1¼ portions", "¾ portion"."""
    if portion is None or not math.isfinite(portion) or portion <= 0:
        return ""
    quarters = max(1, round(portion * 4))
    whole, rest = divmod(quarters, 4)
    text = (str(whole) if whole else "") + _QUARTERS[rest]
    return f"{text} portion{'s' if quarters > 4 else ''}"


def clean_title(title: str) -> str:
    """A meal's title without the planner's "(leftovers from day N)" suffix (said on its own line)."""
    return _LEFTOVER_SUFFIX.sub("", title).strip()


# A measured amount of a cooked food is the cooked amount: "1½ cups cooked long-grain rice", never
# read as a cup and a half of dry rice (a counted "1 medium onion" needs no word).
_COOKED = re.compile(r"\bcooked\b", re.IGNORECASE)
_MEASURED = re.compile(r"^\S+ (?:cups?|tbsp|tsp|fl oz|oz|g)\b")


def _line(item: PlanItem) -> IngredientLine:
    name, measure = short_name(item.name), household_only(item.household, item.grams)
    if _COOKED.search(item.name) and "cooked" not in name and _MEASURED.match(measure):
        name = f"cooked {name}"
    return IngredientLine(
        food_id=item.food_id,
        name=name,
        full_name=item.name,
        household=measure,
        grams=item.grams,
        role=item.role,
    )


def day_offset(plan: Plan) -> int:
    """Add to a day index for the 1-based day number people see (plans count from 0 or from 1)."""
    return 1 if plan.days and min(d.index for d in plan.days) == 0 else 0


def day_number(plan: Plan, day: DayPlan) -> int:
    """The 1-based day number people see, whether the plan counts days from 0 or 1."""
    return day.index + day_offset(plan)


def meal_view(slot: SlotPlan, offset: int = 0) -> MealView:
    """A meal as people read it. ``offset`` turns day indexes (``leftover_of``) into day numbers."""
    drinks = [i for i in slot.items if i.role == "drink"]
    food = [i for i in slot.items if i.role != "drink"]
    is_dish = slot.meal_kind == "dish"
    return MealView(
        slot=slot.name,
        label=SLOT_LABELS.get(slot.name, slot.name.replace("_", " ").title()),
        title=clean_title(slot.title) or ", ".join(short_name(i.name) for i in food),
        kind=slot.meal_kind,
        dish_id=slot.dish_id,
        pattern_id=slot.pattern_id,
        portion=slot.portion,
        portion_text=portion_text(slot.portion if slot.portion is not None else 1.0) if is_dish else "",
        method=(slot.method or "").strip() if is_dish else "",
        leftover_of=None if slot.leftover_of is None else slot.leftover_of + offset,
        kcal=slot.energy_kcal,
        ingredients=[_line(i) for i in food],
        drinks=[_line(i) for i in drinks],
    )


def day_meals(plan: Plan, day: DayPlan) -> list[MealView]:
    """The meals of one day of a plan, in slot order."""
    offset = day_offset(plan)
    return [meal_view(s, offset) for s in day.slots]
