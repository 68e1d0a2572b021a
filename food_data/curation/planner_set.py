"""The planner set: the everyday foods a plan chooses from (the rest stay in the table).

Left out: foods not as eaten, alcohol, condiments and sweets that are not a serving, exotic and
uncommon foods, processed and specialty meats but a few, sugary cereals, branded duplicates; and of
near-duplicate names (differing only in salt, grade, packing...) all but one preferred food.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from mealplan.food_data.curation.classify import BEV, COND, DAIRY, FAT, FRUIT, MEAT, OTHER, POULTRY, SWEET, VEG, Names
from mealplan.food_data.curation.rules import rules
from mealplan.food_data.curation.tokens import Tokens
from mealplan.food_data.vocab import CATEGORIES


def _representatives(tok: Tokens, names: list[str], candidates: np.ndarray) -> np.ndarray:
    """Keep one preferred food per group of near-duplicate names among ``candidates``."""
    idx = np.flatnonzero(candidates)
    if not len(idx):
        return candidates
    subset = [names[i] for i in idx]
    canonical = rules().variant_re.sub("", "\n".join(subset).lower()).split("\n")
    score = np.zeros(len(names))
    for terms, weight in rules().preferred:
        score += weight * tok.has(terms)
    table = pd.DataFrame({"key": canonical, "score": -score[idx], "pos": idx})
    best = table.sort_values(["key", "score", "pos"], kind="stable").drop_duplicates("key")["pos"]
    keep = np.zeros(len(names), dtype=bool)
    keep[best.to_numpy()] = True
    return keep


def planner_set(
    tok: Tokens,
    foods: pd.DataFrame,
    names: list[str],
    classified: Names,
    kind: np.ndarray,
    as_eaten: np.ndarray,
    serving_g: np.ndarray,
) -> np.ndarray:
    """The everyday planner set: foods as eaten, in a serving, not exotic, one per near-duplicate."""
    r = rules()
    W = r.words
    limits = r.planner
    cat = {c: classified.category == c for c in CATEGORIES}
    has = tok.has
    energy = pd.to_numeric(foods["energy"], errors="coerce").to_numpy() if "energy" in foods else None
    ok = as_eaten & ~cat[OTHER] & (kind != "other") & (kind != "spice") & (serving_g > 0)
    if energy is not None:
        ok &= ~np.isnan(energy)
    if "deprecated" in foods:
        ok &= ~foods["deprecated"].fillna(False).astype(bool).to_numpy()
    if "alcohol" in foods:
        ok &= ~(pd.to_numeric(foods["alcohol"], errors="coerce").fillna(0).to_numpy() > limits.alcohol_above)
    ok &= ~has(W["alcohol"], unless=W["not_alcohol"])
    ok &= ~(has(W["not_a_serving"]) & (cat[COND] | cat[SWEET] | cat[FAT] | cat[DAIRY] & ~classified.masks["dairy_alt"]))
    ok &= ~(cat[BEV] & has(W["sugary_drinks"]))
    ok &= ~has(W["not_everyday_products"])
    ok &= ~has(W["exotic"])
    ok &= ~has(W["uncommon_milks"])
    ok &= ~((cat[VEG] | cat[FRUIT]) & has(W["uncommon_plants"], scope="head"))
    if "usda_group" in foods:
        groups = foods["usda_group"]
        # Processed meats: a few everyday ones (sliced ham and poultry, bacon, plain sausages) suffice.
        processed = groups.isin(r.group_lists["processed_meats"]).to_numpy()
        ok &= ~(processed & ~has(W["everyday_processed_meats"]))
    ok &= ~(cat[COND] & has(W["diet_variants"]))
    ok &= ~(cat[SWEET] & has(W["rich_desserts"]))
    ok &= ~(cat[SWEET] & has(W["cookies"]) & ~has(W["plain_cookies"]))
    ok &= ~(cat[SWEET] & has(W["flavored_snacks"]))
    ok &= ~((cat[MEAT] | cat[POULTRY]) & has(W["specialty_meats"]))
    if "usda_group" in foods:
        # Traditional foods of American Indian and Alaska Native communities: plants only by default.
        native = foods["usda_group"].isin(r.group_lists["native_foods"]).to_numpy(dtype=bool)
        ok &= ~(native & ~(cat[FRUIT] | cat[VEG]))
    # Ready-to-eat cereals: the fortified ones without candy-level sugar.
    fortified_if = limits.cereal_fortified_if_any
    if {*fortified_if, "sugars"} <= set(foods.columns):
        fortified = np.logical_or.reduce(
            [(foods[n].fillna(0) >= floor).to_numpy() for n, floor in fortified_if.items()]
        )
        sugary = (foods["sugars"].fillna(0) > limits.cereal_sugars_above).to_numpy()
        ok &= ~((kind == "cereal") & ~(fortified & ~sugary))
    ok &= ~((kind == "cereal") & has(W["candy_cereals"]))
    # Branded products duplicate generic ones; some kinds are kept (ready-to-eat cereals: fortification differs).
    branded = tok.branded
    ok &= ~(branded & ~np.isin(kind, r.kind_lists["branded_kept"]))
    return ok & _representatives(tok, names, ok)
