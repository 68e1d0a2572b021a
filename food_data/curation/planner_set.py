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
from mealplan.food_data.curation.tokens import Tokens, t
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
    W = rules().words
    cat = {c: classified.category == c for c in CATEGORIES}
    has = tok.has
    energy = pd.to_numeric(foods["energy"], errors="coerce").to_numpy() if "energy" in foods else None
    ok = as_eaten & ~cat[OTHER] & (kind != "other") & (kind != "spice") & (serving_g > 0)
    if energy is not None:
        ok &= ~np.isnan(energy)
    if "deprecated" in foods:
        ok &= ~foods["deprecated"].fillna(False).astype(bool).to_numpy()
    if "alcohol" in foods:
        ok &= ~(pd.to_numeric(foods["alcohol"], errors="coerce").fillna(0).to_numpy() > 0.5)
    ok &= ~has(W["alcohol"], unless=t("ginger ale|root beer|wine vinegar"))
    ok &= ~(has(W["not_a_serving"]) & (cat[COND] | cat[SWEET] | cat[FAT] | cat[DAIRY] & ~classified.masks["dairy_alt"]))
    ok &= ~(cat[BEV] & has(W["sugary_drinks"]))
    ok &= ~has(t("fast foods|restaurant|babyfood|infant|formula|meal supplement"))
    ok &= ~has(W["exotic"])
    ok &= ~has(t("milk human|human|producer|whey acid|whey sweet|filled|lauric|indian buffalo|sheep"))
    ok &= ~((cat[VEG] | cat[FRUIT]) & has(W["uncommon_plants"], scope="head"))
    # Processed meats: a few everyday ones (sliced ham and poultry, bacon, plain sausages) suffice.
    if "usda_group" in foods:
        processed = foods["usda_group"].eq("Sausages and Luncheon Meats").to_numpy()
        ok &= ~(processed & ~has(t("ham sliced|turkey breast|chicken breast|roast beef|pork sausage|turkey sausage")))
    ok &= ~(
        cat[COND]
        & has(
            t(
                "reduced calorie|low calorie|fat free|light|lite|diet|reduced fat|low fat|"
                "dietetic|cholesterol free|without salt|low sodium|reduced sodium"
            )
        )
    )
    ok &= ~(cat[SWEET] & has(W["rich_desserts"]))
    ok &= ~(cat[SWEET] & has(t("cookies|cookie|brownies")) & ~has(t("fig bars|oatmeal|graham|animal|vanilla wafers")))
    ok &= ~(
        cat[SWEET]
        & has(
            t(
                "flavor|flavored|barbecue|sour cream|ranch|nacho|cajun|cheese|onion|"
                "caramel coated|candy coated|coating|coated|frosted"
            )
        )
    )
    ok &= ~((cat[MEAT] | cat[POULTRY]) & has(W["specialty_meats"]))
    # Traditional foods of American Indian and Alaska Native communities: plants only by default.
    if "usda_group" in foods:
        native = foods["usda_group"].eq("American Indian/Alaska Native Foods").to_numpy(dtype=bool)
        ok &= ~(native & ~(cat[FRUIT] | cat[VEG]))
    # Ready-to-eat cereals: the fortified ones without candy-level sugar.
    if {"vitamin_b12", "vitamin_d", "calcium", "sugars"} <= set(foods.columns):
        fortified = (
            (foods["vitamin_b12"].fillna(0) >= 1.5)
            | (foods["vitamin_d"].fillna(0) >= 1.0)
            | (foods["calcium"].fillna(0) >= 300)
        )
        sugary = foods["sugars"].fillna(0) > 25
        ok &= ~((kind == "cereal") & ~(fortified & ~sugary).to_numpy())
    ok &= ~(
        (kind == "cereal")
        & has(
            t(
                "marshmallow|marshmallows|chocolate|chocolatey|cocoa|frosted|halloween|"
                "candy|cookie|cookies|fudge|s'mores|smores"
            )
        )
    )
    # Branded products duplicate generic ones; ready-to-eat cereals are kept (fortification differs).
    branded = tok.branded
    ok &= ~(branded & ~np.isin(kind, ["cereal", "hot_cereal"]))
    return ok & _representatives(tok, names, ok)
