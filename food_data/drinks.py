"""Drinks as people drink, as data (issue 25, point 2): water by default, one milk drink a day, juice by
the small glass, coffee and tea by habit, no milk drink beside a meal built on milk.

``data/drinks.yaml`` classifies every drink of the meal-pattern pools (kind, sweetened, caffeine) and
states the rules; :func:`drink_rules` gives them per food for a table, :func:`milk_based` says whether
a dish is built on milk, yogurt or a smoothie. Pure data: no solver, no printing.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal, get_args

from pydantic import Field, field_validator

from mealplan.errors import ConfigError
from mealplan.food_data.food_refs import (
    FoodSet,
    StrictModel,
    check_slots,
    read_yaml,
    ref_problems,
    table_names,
    validate,
)
from mealplan.food_data.table import DATA_DIR, FoodTable

if TYPE_CHECKING:
    from mealplan.food_data.dishes import Dish

DRINKS_FILE = DATA_DIR / "drinks.yaml"
WHAT = "drinks file"
Kind = Literal["water", "coffee", "tea", "milk", "plant_milk", "sweetened_milk", "juice", "vegetable_juice", "other"]
KINDS: tuple[str, ...] = get_args(Kind)
# A cup of a drink: its SR24 measure of one cup or 8 fl oz ("cup", "cup (8 fl oz)", "8 fl oz (... 1 serving)").
_CUP = re.compile(r"^(1 )?(cup\b|8 fl oz\b)")


class DrinkEntry(StrictModel):
    name: str = Field(min_length=1)
    kind: Kind
    sweetened: bool = False
    caffeine: bool = False


class KindRule(StrictModel):
    meals: list[str] = Field(min_length=1)
    milk_drink: bool = False
    habit: bool = False
    cups_per_day: float | None = Field(None, gt=0)
    why: str = Field(min_length=1)

    _meals = field_validator("meals")(check_slots)


class DayRules(StrictModel):
    default_kind: Kind
    milk_drinks_per_day: int = Field(ge=0)
    drinks_per_day: int | None = Field(None, ge=0)
    sweetened_milk_not_at: list[str] = []
    max_energy_share: float = Field(gt=0, lt=1)

    _meals = field_validator("sweetened_milk_not_at")(check_slots)


class MilkBased(FoodSet):
    min_g: float = Field(gt=0)
    words: list[str] = []
    pools: list[str] = []


class Poured(FoodSet):
    max_g: float = Field(gt=0)
    why: str = Field(min_length=1)


class DrinksFile(StrictModel):
    """The drinks file as written (its header documents each field)."""

    schema_version: int = Field(alias="schema")
    kinds: dict[Kind, KindRule]
    rules: DayRules
    milk_based: MilkBased
    poured: Poured
    drinks: dict[str, DrinkEntry] = Field(min_length=1)


@functools.lru_cache(maxsize=4)
def load_drinks(path: str | Path | None = None) -> DrinksFile:
    """The drinks file (default: the bundled one), checked: schema, fields, every kind has its rule.

    Raises:
        ConfigError: listing every problem (field, the bad value and what is allowed).
    """
    path = path or DRINKS_FILE
    doc: DrinksFile = validate(DrinksFile, read_yaml(path, WHAT), path, WHAT)
    problems = []
    if doc.schema_version != 1:
        problems.append(f"{path}: schema: {doc.schema_version} is unsupported; allowed: 1")
    used = {d.kind for d in doc.drinks.values()} | {doc.rules.default_kind}
    problems += [
        f"{path}: kinds: {k!r} is used but has no rule; allowed: a rule per kind" for k in sorted(used - set(doc.kinds))
    ]
    problems += [
        f"{path}: drinks.{fid}: id {fid!r} is not an SR24 id; allowed: 5 digits"
        for fid in doc.drinks
        if not re.fullmatch(r"\d{5}", fid)
    ]
    if problems:
        raise ConfigError(f"{path}: {len(problems)} problem(s) in the {WHAT}", problems)
    return doc


@dataclass(frozen=True, slots=True)
class DrinkFacts:
    """One drink: what it is and where it may be served.

    Attributes:
        kind: water, coffee, tea, milk, plant_milk, sweetened_milk, juice, vegetable_juice or other.
        sweetened: sugar is added.
        caffeine: a real dose of caffeine (10 mg or more a cup).
        milk_drink: counts toward ``DrinkRules.milk_drinks_per_day`` and never comes beside a milk-based meal.
        habit: served only when the profile's habit names it (coffee, tea).
        meals: the meal kinds it may be drunk at (sweetened milk drinks already kept from lunch and dinner).
        cup_g: grams of one cup of it (for the per-day limits in cups).
    """

    kind: str
    sweetened: bool
    caffeine: bool
    milk_drink: bool
    habit: bool
    meals: frozenset[str]
    cup_g: float


@dataclass(frozen=True)
class DrinkRules:
    """The drink rules for one table.

    Attributes:
        drinks: food id -> its facts, for the drinks the table holds (same id, same name).
        default: ids of the default drink (water) in the table.
        milk_drinks_per_day: milk drinks a day (``milk_drink`` foods served as a drink), unless the
            profile asks for more.
        drinks_per_day: drinks other than water a day, at most (None: no limit).
        cups_per_day: kind -> at most this many cups a day of the kind's drinks together:
            ``sum(grams[f] / drinks[f].cup_g for f of the kind) <= cups``.
        max_energy_share: a drink's share of its meal's energy, the drink included, at most.
        milk_pools: pattern pools whose foods make a pattern meal milk-based.
    """

    drinks: dict[str, DrinkFacts]
    default: tuple[str, ...]
    milk_drinks_per_day: int
    cups_per_day: dict[str, float]
    drinks_per_day: int | None
    max_energy_share: float
    milk_pools: frozenset[str]

    def of_kind(self, kind: str) -> list[str]:
        """Ids of the drinks of one kind."""
        return [f for f, d in self.drinks.items() if d.kind == kind]


def cup_grams(table: FoodTable, food_id: str) -> float | None:
    """Grams of one cup (or 8 fl oz) of a drink, from its household measures; None when it has none."""
    for text, grams in table.measures_of(food_id):
        if _CUP.match(text.strip().lower()) and grams > 0:
            return grams
    return None


def drink_rules(table: FoodTable, path: str | Path | None = None) -> DrinkRules:
    """The drink rules for the drinks ``table`` holds (an entry applies to the food with its id and name)."""
    doc = load_drinks(path)
    names = table_names(table)
    drinks = {}
    for fid, entry in doc.drinks.items():
        if names.get(fid) != entry.name:
            continue
        rule = doc.kinds[entry.kind]
        meals = set(rule.meals)
        if entry.sweetened and rule.milk_drink:
            meals -= set(doc.rules.sweetened_milk_not_at)
        cup = cup_grams(table, fid) or 240.0  # (every bundled drink has a cup: tests/food_data/test_drinks.py)
        drinks[fid] = DrinkFacts(
            entry.kind, entry.sweetened, entry.caffeine, rule.milk_drink, rule.habit, frozenset(meals), cup
        )
    return DrinkRules(
        drinks=drinks,
        default=tuple(f for f, d in drinks.items() if d.kind == doc.rules.default_kind),
        milk_drinks_per_day=doc.rules.milk_drinks_per_day,
        cups_per_day={k: r.cups_per_day for k, r in doc.kinds.items() if r.cups_per_day is not None},
        drinks_per_day=doc.rules.drinks_per_day,
        max_energy_share=doc.rules.max_energy_share,
        milk_pools=frozenset(doc.milk_based.pools),
    )


def check_drinks(table: FoodTable, drink_pool_ids: list[str], path: str | Path | None = None) -> list[str]:
    """Problems of the drinks file against the bundled table and the drink pools: ids the table lacks or
    names otherwise, pool drinks without an entry, drinks without a cup measure."""
    doc = load_drinks(path)
    where = str(path or DRINKS_FILE)
    out = ref_problems({f: d.name for f, d in doc.drinks.items()}, table, f"{where}: drinks")
    out += [
        f"{where}: drinks: pool drink {f!r} has no entry; allowed: an entry for every drink-pool food"
        for f in drink_pool_ids
        if f not in doc.drinks
    ]
    known = set(table_names(table))
    out += [
        f"{where}: drinks.{f}: no cup or 8 fl oz measure" for f in doc.drinks if f in known and not cup_grams(table, f)
    ]
    return out


def milk_based(dish: Dish, table: FoodTable, path: str | Path | None = None) -> bool:
    """Whether a dish is built on milk, yogurt or a smoothie (no milk drink comes beside it).

    True when its id or name holds one of the file's ``words`` (smoothie, lassi), or when the
    ingredients it cannot drop (min > 0) that are milk, plant-milk or yogurt foods weigh at least
    ``min_g`` in its default portion.
    """
    rule = load_drinks(path).milk_based
    text = f"{dish.id} {dish.name}".lower()
    if any(re.search(rf"\b{re.escape(w)}", text) for w in rule.words):
        return True
    required = [i for i in dish.ingredients if not i.optional]
    milky = rule.members(table, [i.food for i in required])
    return sum(i.grams for i in required if i.food in milky) >= rule.min_g
