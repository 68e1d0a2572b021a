"""Shared vocabularies: food table columns, planner categories, diets, allergens, meal slots and food families."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Sequence

# Columns of a food table that describe a food rather than its nutrients (food_data.table.FoodTable).
# Curation (food_data.curation) adds the planner columns.
INFO_COLUMNS = ("name", "usda_group", "source", "deprecated")
CURATION_COLUMNS = (
    "category",  # one of CATEGORIES
    "diet",  # the most restrictive pattern the food fits: vegan < vegetarian < pescatarian < omnivore
    "allergens",  # ";"-joined allergen tags (ALLERGENS), "" for none
    "as_eaten",  # bool: in the form people eat it
    "serving_name",  # household measure of the default serving, e.g. "1 medium"
    "serving_g",  # grams in that serving
    "max_g",  # realistic maximum per day, grams
    "slots",  # ";"-joined meal slots it suits: breakfast;lunch;dinner;snack
    "planner",  # bool: in the curated planner set
    "price",  # price per 100 g (or per the table's declared unit); NaN when unknown
)

CATEGORIES: tuple[str, ...] = (
    "vegetables",
    "fruits",
    "grains",
    "legumes",
    "nuts and seeds",
    "meat",
    "poultry",
    "seafood",
    "eggs",
    "dairy and fortified alternatives",
    "fats and oils",
    "beverages",
    "sweets and snacks",
    "mixed dishes",
    "condiments and spices",
    "other",
)

# Diet patterns from most to least restrictive. A food's ``diet`` is the most restrictive pattern
# it fits; a person following pattern P may eat it when DIET_LEVEL[food] <= DIET_LEVEL[P].
DIETS: tuple[str, ...] = ("vegan", "vegetarian", "pescatarian", "omnivore")
DIET_LEVEL: dict[str, int] = {d: i for i, d in enumerate(DIETS)}

ALLERGENS: tuple[str, ...] = (
    "milk",
    "egg",
    "fish",
    "shellfish",
    "tree_nuts",
    "peanuts",
    "gluten",
    "soy",
    "sesame",
)
ALLERGEN_SYNONYMS: dict[str, str] = {
    "dairy": "milk",
    "lactose": "milk",
    "eggs": "egg",
    "tree-nuts": "tree_nuts",
    "tree nuts": "tree_nuts",
    "nuts": "tree_nuts",
    "peanut": "peanuts",
    "wheat": "gluten",
    "shellfish": "shellfish",
    "crustacean": "shellfish",
    "soya": "soy",
}

# The nutrients whose shortfalls cause twitching and cramps: the key nutrients every report, search
# and dish summary shows first.
KEY_NUTRIENTS: tuple[str, ...] = ("magnesium", "calcium", "potassium", "vitamin_d", "vitamin_b12")
SLOTS: tuple[str, ...] = ("breakfast", "lunch", "dinner", "snack")
MAIN_MEALS: tuple[str, ...] = ("lunch", "dinner")
LIGHT_MEALS: tuple[str, ...] = ("breakfast", "snack")


def members_of(allowed: Iterable[str], what: str) -> Callable[[list[str]], list[str]]:
    """A pydantic field validator: every element of the list is one of ``allowed`` (an error names the
    unknown ones and what is allowed)."""
    allowed = tuple(allowed)

    def check(value: list[str]) -> list[str]:
        bad = [v for v in value if v not in allowed]
        if bad:
            raise ValueError(f"unknown {what} {bad}; allowed: {', '.join(allowed)}")
        return value

    return check


def slot_names(meals: Sequence[str]) -> list[str]:
    """The plan's names of a profile's meals, in order: a meal given again is numbered (snack, snack2)."""
    seen: dict[str, int] = {}
    out = []
    for meal in meals:
        seen[meal] = seen.get(meal, 0) + 1
        out.append(meal if seen[meal] == 1 else f"{meal}{seen[meal]}")
    return out


def slot_kind(slot_name: str) -> str:
    """The meal a slot is (``snack2`` -> ``snack``): the inverse of :func:`slot_names`."""
    return slot_name.rstrip("0123456789")


@functools.lru_cache(maxsize=1 << 17)  # a big table's pool foods, asked again plan after plan
def family(name: str) -> str:
    """A food's family: the first part of its name without brackets, lower case (``one_per_family``).

    "Soymilk (all flavors), enhanced" and "Soymilk, original ..." are both "soymilk".
    """
    return re.sub(r"\([^)]*\)", "", name.split(",", 1)[0]).strip().lower()


def diet_allows(person_diet: str, food_diet: str) -> bool:
    """True when a person following ``person_diet`` may eat a food whose ``diet`` is ``food_diet``."""
    return DIET_LEVEL[food_diet] <= DIET_LEVEL[person_diet]


def split_tags(text: object) -> list[str]:
    """Split a ``;``-joined tag cell ("milk;egg") into tags; empty or NaN gives []."""
    if not isinstance(text, str):
        return []
    return [t for t in (p.strip() for p in text.split(";")) if t]
