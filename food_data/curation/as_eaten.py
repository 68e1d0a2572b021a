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
from mealplan.food_data.curation.tokens import Tokens, t


def as_eaten(tok: Tokens, cat: dict[str, np.ndarray], groups: Groups, brand: np.ndarray) -> np.ndarray:
    """Whether each food is in the form people eat it (not a dry mix, raw meat, a spice, a supplement)."""
    W = rules().words
    prepared = tok.has(W["prepared"], unless=t("not reconstituted|unprepared"))
    raw_word = tok.has(t("raw|uncooked|ready to cook"))
    fruit_nut_sweet = cat[FRUIT] | cat[NUT] | cat[SWEET]
    not_eaten = tok.has(W["raw_forms"]) & ~prepared
    not_eaten |= tok.has(t("not reconstituted|unprepared|undiluted|frozen concentrate|separable fat|dry form"))
    dry_scope = cat[GRAIN] | cat[LEGUME] | cat[MIXED] | cat[BEV] | cat[DAIRY] | cat[EGGS] | cat[SWEET] | cat[COND]
    dry = tok.has(t("dry|dried|dehydrated"), unless=t("dry roasted|dry curd|dry heat|eat|dry white|sun dried"))
    not_eaten |= dry & dry_scope & ~prepared & ~tok.has(t("to eat|fruit|fruits|raisins|cereals ready"))
    # Grains named without a preparation ("Wheat, soft white", "Barley, pearled") are the dry grain.
    not_eaten |= (
        cat[GRAIN]
        & tok.has(W["raw_grains"], scope="first")
        & ~prepared
        & ~tok.has(t("puffed|popped|flakes|crispy|bread|cakes|cake|noodles|canned|to eat"))
    )
    dried = tok.has(t("dried|dehydrated|freeze dried"), unless=t("sun dried"))
    not_eaten |= dried & ~fruit_nut_sweet & ~cat[MEAT] & ~prepared
    animal = cat[MEAT] | cat[POULTRY] | cat[SEAFOOD] | cat[EGGS]
    not_eaten |= animal & raw_word
    not_eaten |= (cat[GRAIN] | cat[LEGUME]) & raw_word & ~tok.has(t("tofu|okara|natto|tempeh|sprouted|hummus"))
    not_eaten |= cat[VEG] & tok.has(t("raw")) & tok.has(W["cook_first"])
    not_eaten |= tok.has(W["supplements"]) | tok.has(W["cooking_fats"])
    not_eaten |= spice_rows(tok, groups)
    not_eaten |= groups.is_("Baby Foods", "Fast Foods", "Restaurant Foods") | cat[OTHER] | brand
    not_eaten |= tok.has(t("babyfood|babyfoods|baby food|infant|toddler|formula|fast foods|restaurant"))
    return ~not_eaten


def spice_rows(tok: Tokens, groups: Groups) -> np.ndarray:
    """Spices, salt, extracts and baking agents: ingredients, never a food of their own."""
    W = rules().words
    spice_group = groups.is_("Spices and Herbs") & ~tok.has(
        t("vinegar|mustard|horseradish|capers|fresh|basil|dill|rosemary|thyme|peppermint|spearmint")
    )
    return spice_group | tok.has(W["spices"], scope="first") | tok.has(t("cream of tartar|baking soda"))
