"""Category, diet and allergen tags of foods, from their names and USDA groups.

Conservative by design: a food is tagged with an allergen when a name or a recipe type commonly
implies it (bread: gluten; cakes: milk, egg, gluten), and is not vegan when unsure. The word lists
and the category lexicons are data (``food_data/data/curation_words.yaml``, see ``rules``).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import pandas as pd

from mealplan.food_data.curation.rules import rules
from mealplan.food_data.curation.tokens import Lexicon, Tokens, t
from mealplan.food_data.groups import UNGROUPED
from mealplan.food_data.vocab import ALLERGENS, CATEGORIES, DIETS

VEG, FRUIT, GRAIN, LEGUME, NUT = "vegetables", "fruits", "grains", "legumes", "nuts and seeds"
MEAT, POULTRY, SEAFOOD, EGGS = "meat", "poultry", "seafood", "eggs"
DAIRY, FAT, BEV, SWEET = "dairy and fortified alternatives", "fats and oils", "beverages", "sweets and snacks"
MIXED, COND, OTHER = "mixed dishes", "condiments and spices", "other"


@functools.cache
def _lexicons() -> tuple[Lexicon, Lexicon, Lexicon]:
    """The head-marker, first-word and any-word category lexicons, in the order they decide."""
    r = rules()
    return Lexicon.build(r.head_markers), Lexicon.build(r.first_word), Lexicon.build(r.any_word)


_UNSURE_GROUPS = frozenset(
    {"Soups, Sauces, and Gravies", "Meals, Entrees, and Side Dishes", "Fast Foods", "Restaurant Foods"}
)
_SWEET_GROUPS = frozenset({"Sweets", "Snacks"})
_CAT = {c: i for i, c in enumerate(CATEGORIES)}


@dataclass
class Names:
    """Name-derived classification, with the word masks later rules reuse."""

    category: np.ndarray
    diet: np.ndarray
    allergens: np.ndarray
    masks: dict[str, np.ndarray]


class Groups:
    """USDA group of each name as small integer codes (fast membership tests)."""

    def __init__(self, groups: np.ndarray | None, n: int) -> None:
        self.known = groups is not None
        if groups is None:
            groups = np.full(n, UNGROUPED, dtype=object)
        self.codes, names = pd.factorize(groups)
        self.names = list(names)

    def is_(self, *groups: str) -> np.ndarray:
        wanted = [i for i, g in enumerate(self.names) if g in groups]
        return np.isin(self.codes, wanted)


def category_codes(tok: Tokens, groups: Groups) -> np.ndarray:
    """Category code per name: name rules, limited by the USDA group where it is known."""
    by_name = np.full(tok.n, _CAT[OTHER], dtype=np.int8)
    decided = np.zeros(tok.n, dtype=bool)
    lexicons = _lexicons()
    for lexicon, scope in zip(lexicons, ("head", "first", "any"), strict=True):
        rank = tok.rank(lexicon, scope)
        hit = (rank >= 0) & ~decided
        by_name[hit] = np.array([_CAT[label] for label in lexicon.labels], dtype=np.int8)[rank[hit]]
        decided |= hit
    # Meat analogues named after the meat they imitate ("Chicken, meatless").
    analog = tok.has(rules().words["analog"]) & np.isin(by_name, [_CAT[MEAT], _CAT[POULTRY], _CAT[SEAFOOD]])
    by_name[analog] = _CAT[LEGUME]
    allowed = np.ones((len(groups.names), len(CATEGORIES)), dtype=bool)
    default = np.full(len(groups.names), -1, dtype=np.int8)
    for j, group in enumerate(groups.names):
        if group in rules().groups:
            fallback, ok = rules().groups[group]
            allowed[j] = [c in ok for c in CATEGORIES]
            default[j] = _CAT[fallback]
    keep = (allowed[groups.codes, by_name] & decided) | (default[groups.codes] < 0)
    return np.where(keep, by_name, default[groups.codes]).astype(np.int8)


def classify(tok: Tokens, groups: Groups, brand: np.ndarray) -> Names:
    """Category, diet and allergens of every name, with the word masks later rules reuse."""
    W = rules().words
    n = tok.n
    category = category_codes(tok, groups)
    cat = {c: category == _CAT[c] for c in CATEGORIES}
    grp = groups.is_
    dairy_alt = tok.has(W["dairy_alt"])
    not_animal = tok.has(W["analog"] | t("vegetarian|vegan|imitation bacon|imitation ham|fish sticks meatless"))
    not_animal |= grp("Legumes and Legume Products") & brand
    analog = (tok.has(W["analog"]) | (grp("Legumes and Legume Products") & brand)) & ~tok.has(t("vegan"))
    shell_words = tok.has(W["shellfish"], unless=W["not_animal"]) & ~not_animal
    fish_words = tok.has(W["finfish"], unless=W["not_animal"]) & ~not_animal
    meat_words = tok.has(W["beef_pork"] | W["poultry"] | t("mini wheats|gummy|gummies"), unless=W["not_meat"])
    meat_words &= ~not_animal
    baked = tok.has(
        W["baked"],
        unless=t("english muffins|english muffin|rice cake|rice cakes|corn cakes|pie mix|pie fillings|pie filling"),
    )
    milk = tok.has(W["milk"], unless=W["not_milk"]) | baked | (cat[DAIRY] & ~dairy_alt)
    egg = tok.has(W["egg"], unless=t("egg free|eggless")) | baked | cat[EGGS]
    honey = tok.has(W["honey"])

    # Diet: the highest level any evidence demands.
    level = np.zeros(n, dtype=np.int8)
    vegetarian = milk | egg | honey | analog | grp("Dairy and Egg Products")
    vegetarian |= grp(*_SWEET_GROUPS) & ~tok.has(W["vegan_sweets"])
    unsure = grp(*_UNSURE_GROUPS) if groups.known else cat[MIXED]
    unsure &= ~tok.has(W["vegan_sauces"])
    vegetarian |= unsure | tok.has(t("beer|ale|wine|liqueur|alcoholic|stout|porter"))
    level[vegetarian] = 1
    level[(fish_words | shell_words | (cat[SEAFOOD] & ~not_animal))] = 2
    level[(meat_words | ((cat[MEAT] | cat[POULTRY]) & ~not_animal))] = 3
    diet = np.array(DIETS, dtype=object)[level]

    # Allergens: conservative, a recipe type that usually holds one counts.
    nuts_cancel = t("water chestnuts|grape nuts|acorn squash|winter acorn|nutmeg|butternut squash|doughnut")
    gluten = tok.has(W["gluten"], unless=W["gluten_free"])
    gluten |= tok.has(t("roll|rolls|bun|buns|crust|dough|crisp|cereal|cereals")) & (
        cat[GRAIN] | cat[SWEET] | cat[MIXED]
    )
    gluten |= cat[GRAIN] & tok.has(t("eat|granola|muesli|flakes|puffs"))
    gluten |= cat[MIXED] & tok.has(t("cream|creamy|chowder|bisque|noodle|noodles"))
    gluten |= baked
    gluten &= ~tok.has(t("gluten free"))
    corn_only = (
        tok.has(t("tortilla|tortillas|taco|tostada|shells"))
        & tok.has(t("corn"))
        & ~tok.has(t("wheat|flour|bread|bun|breaded|batter|sandwich|pizza|burrito|burritos"))
    )
    gluten &= ~corn_only
    masks = {
        "milk": milk,
        "egg": egg,
        "fish": fish_words | (cat[SEAFOOD] & ~shell_words & ~not_animal),
        "shellfish": shell_words,
        "tree_nuts": tok.has(W["tree_nuts"], unless=nuts_cancel),
        "peanuts": tok.has(W["peanuts"]),
        "gluten": gluten,
        "soy": tok.has(W["soy"], unless=t("non soy")) | (dairy_alt & tok.has(t("soy|soymilk|tofu"))),
        "sesame": tok.has(W["sesame"]),
    }
    joined = np.full(n, "", dtype=object)
    for tag in ALLERGENS:
        joined = joined + np.where(masks[tag], tag + ";", "")
    allergens = np.array([a[:-1] for a in joined.tolist()], dtype=object)
    masks.update(dairy_alt=dairy_alt, analog=analog, honey=honey, baked=baked)
    return Names(np.array(CATEGORIES, dtype=object)[category], diet, allergens, masks)


def classify_names(names: pd.Series, usda_groups: pd.Series | None = None) -> pd.DataFrame:
    """Category, diet and allergen tags of foods from their names (and USDA groups when known).

    The same name rules ``curate`` uses, for tables whose foods lack tag columns.

    Args:
        names: Food names, e.g. "Beans, black, mature seeds, cooked, boiled, without salt".
        usda_groups: USDA food group names aligned with ``names`` (``food_data.groups``); None or
            missing values classify by name alone.

    Returns:
        A DataFrame indexed like ``names`` with columns ``category`` (one of
        ``food_data.vocab.CATEGORIES``), ``diet`` (one of ``DIETS``) and ``allergens``
        (";"-joined ``ALLERGENS`` tags, "" for none).
    """
    tok = Tokens(names)
    groups = None
    if usda_groups is not None:
        groups = usda_groups.reindex(names.index).fillna(UNGROUPED).astype(str).to_numpy(dtype=object)
    result = classify(tok, Groups(groups, len(names)), tok.brand_first)
    return pd.DataFrame(
        {"category": result.category, "diet": result.diet, "allergens": result.allergens}, index=names.index
    )
