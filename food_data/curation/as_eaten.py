"""As eaten: whether a food is in the form people eat it (the rest never enters a plan)."""

from __future__ import annotations

import numpy as np

from mealplan.food_data.curation.classify import (
    BEV,
    COND,
    DAIRY,
    EGGS,
    FRUIT,
    GRAIN,
    LEGUME,
    MEAT,
    MIXED,
    NUT,
    OTHER,
    POULTRY,
    SEAFOOD,
    SWEET,
    VEG,
    Groups,
)
from mealplan.food_data.curation.rules import rules
from mealplan.food_data.curation.tokens import Tokens


def as_eaten(tok: Tokens, cat: dict[str, np.ndarray], groups: Groups, brand: np.ndarray) -> np.ndarray:
    """Whether each food is in the form people eat it (not a dry mix, raw meat, a spice, a supplement)."""
    r = rules()
    W = r.words
    prepared = tok.has(W["prepared"], unless=W["not_prepared"])
    raw_word = tok.has(W["raw_or_uncooked"])
    fruit_nut_sweet = cat[FRUIT] | cat[NUT] | cat[SWEET]
    not_eaten = tok.has(W["raw_forms"]) & ~prepared
    not_eaten |= tok.has(W["never_eaten_forms"])
    dry_scope = cat[GRAIN] | cat[LEGUME] | cat[MIXED] | cat[BEV] | cat[DAIRY] | cat[EGGS] | cat[SWEET] | cat[COND]
    dry = tok.has(W["dry"], unless=W["not_dry_forms"])
    not_eaten |= dry & dry_scope & ~prepared & ~tok.has(W["eaten_dry"])
    # Grains named without a preparation ("Wheat, soft white", "Barley, pearled") are the dry grain.
    not_eaten |= cat[GRAIN] & tok.has(W["raw_grains"], scope="first") & ~prepared & ~tok.has(W["ready_grains"])
    dried = tok.has(W["dried"], unless=W["sun_dried"])
    not_eaten |= dried & ~fruit_nut_sweet & ~cat[MEAT] & ~prepared
    animal = cat[MEAT] | cat[POULTRY] | cat[SEAFOOD] | cat[EGGS]
    not_eaten |= animal & raw_word
    not_eaten |= (cat[GRAIN] | cat[LEGUME]) & raw_word & ~tok.has(W["eaten_raw_proteins"])
    not_eaten |= cat[VEG] & tok.has(W["named_raw"]) & tok.has(W["cook_first"])
    not_eaten |= tok.has(W["supplements"]) | tok.has(W["cooking_fats"])
    not_eaten |= spice_rows(tok, groups)
    not_eaten |= groups.is_(*r.group_lists["not_eaten"]) | cat[OTHER] | brand
    not_eaten |= tok.has(W["infant_and_restaurant_foods"])
    return ~not_eaten


def spice_rows(tok: Tokens, groups: Groups) -> np.ndarray:
    """Spices, salt, extracts and baking agents: ingredients, never a food of their own."""
    r = rules()
    W = r.words
    spice_group = groups.is_(*r.group_lists["herbs_and_spices"]) & ~tok.has(W["not_spices"])
    return spice_group | tok.has(W["spices"], scope="first") | tok.has(W["baking_agents"])
