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
from mealplan.food_data.curation.tokens import Lexicon, Tokens
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
    r = rules()
    W = r.words
    n = tok.n
    category = category_codes(tok, groups)
    cat = {c: category == _CAT[c] for c in CATEGORIES}

    def grp(name: str) -> np.ndarray:
        return groups.is_(*r.group_lists[name])

    dairy_alt = tok.has(W["dairy_alt"])
    branded_analog = grp("branded_analogs") & brand
    not_animal = tok.has(W["analog"] | W["meatless_marks"]) | branded_analog
    analog = (tok.has(W["analog"]) | branded_analog) & ~tok.has(W["vegan_named"])
    shell_words = tok.has(W["shellfish"], unless=W["not_animal"]) & ~not_animal
    fish_words = tok.has(W["finfish"], unless=W["not_animal"]) & ~not_animal
    meat_words = tok.has(W["beef_pork"] | W["poultry"] | W["gelatin_foods"], unless=W["not_meat"])
    meat_words &= ~not_animal
    baked = tok.has(W["baked"], unless=W["not_baked"])
    milk = tok.has(W["milk"], unless=W["not_milk"]) | baked | (cat[DAIRY] & ~dairy_alt)
    egg = tok.has(W["egg"], unless=W["egg_free"]) | baked | cat[EGGS]
    honey = tok.has(W["honey"])

    # Diet: the highest level any evidence demands.
    level = np.zeros(n, dtype=np.int8)
    vegetarian = milk | egg | honey | analog | grp("dairy_and_egg")
    vegetarian |= grp("sweets") & ~tok.has(W["vegan_sweets"])
    unsure = grp("unsure_recipes") if groups.known else cat[MIXED]
    unsure &= ~tok.has(W["vegan_sauces"])
    vegetarian |= unsure | tok.has(W["may_be_fined"])
    level[vegetarian] = 1
    level[(fish_words | shell_words | (cat[SEAFOOD] & ~not_animal))] = 2
    level[(meat_words | ((cat[MEAT] | cat[POULTRY]) & ~not_animal))] = 3
    diet = np.array(DIETS, dtype=object)[level]

    # Allergens: conservative, a recipe type that usually holds one counts.
    gluten = tok.has(W["gluten"], unless=W["gluten_free"])
    gluten |= tok.has(W["gluten_doughs"]) & (cat[GRAIN] | cat[SWEET] | cat[MIXED])
    gluten |= cat[GRAIN] & tok.has(W["gluten_grain_products"])
    gluten |= cat[MIXED] & tok.has(W["gluten_dishes"])
    gluten |= baked
    gluten &= ~tok.has(W["gluten_free_named"])
    corn_only = tok.has(W["corn_wrappers"]) & tok.has(W["corn"]) & ~tok.has(W["wheat_marks"])
    gluten &= ~corn_only
    masks = {
        "milk": milk,
        "egg": egg,
        "fish": fish_words | (cat[SEAFOOD] & ~shell_words & ~not_animal),
        "shellfish": shell_words,
        "tree_nuts": tok.has(W["tree_nuts"], unless=W["not_tree_nuts"]),
        "peanuts": tok.has(W["peanuts"]),
        "gluten": gluten,
        "soy": tok.has(W["soy"], unless=W["non_soy"]) | (dairy_alt & tok.has(W["soy_drinks"])),
        "sesame": tok.has(W["sesame"]),
    }
    joined = np.full(n, "", dtype=object)
    for tag in ALLERGENS:
        joined = joined + np.where(masks[tag], tag + ";", "")
    allergens = np.array([a[:-1] for a in joined.tolist()], dtype=object)
    masks.update(dairy_alt=dairy_alt, analog=analog, honey=honey, baked=baked)
    return Names(np.array(CATEGORIES, dtype=object)[category], diet, allergens, masks)


def classify_names(
    names: pd.Series, usda_groups: pd.Series | None = None, nutrients: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Category, diet and allergen tags of foods from their names (and USDA groups when known).

    The same name rules ``curate`` uses, for tables whose foods lack tag columns.

    Args:
        names: Food names, e.g. "Beans, black, mature seeds, cooked, boiled, without salt".
        usda_groups: USDA food group names aligned with ``names`` (``food_data.groups``); None or
            missing values classify by name alone.
        nutrients: The foods' nutrient columns (per 100 g, registry ids), aligned with ``names``;
            when given, a vegan tag is checked against them as ``curate`` does
            (``evidence.vegan_evidence``: cholesterol, retinol unless fortified, lactose).

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
    if nutrients is not None:
        from mealplan.food_data.curation.evidence import vegan_evidence
        from mealplan.food_data.curation.fortified import fortification

        foods = nutrients.reset_index(drop=True).assign(name=names.reset_index(drop=True))
        if groups is not None:
            foods = foods.assign(usda_group=groups)
        fortified = fortification(foods, result.category, result.diet).fortified
        milk_or_egg = result.masks["milk"] | result.masks["egg"]
        result.diet = vegan_evidence(foods, result.diet, fortified, milk_or_egg).diet
    return pd.DataFrame(
        {"category": result.category, "diet": result.diet, "allergens": result.allergens}, index=names.index
    )
