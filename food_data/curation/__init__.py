"""Planner curation of food tables: categories, diet and allergen tags, servings, portion limits.

``curate`` derives every column of ``food_data.vocab.CURATION_COLUMNS`` by rules from the USDA food
group and the food's name, then applies the reviewed override file
(``food_data/data/curation_overrides.csv``) last. ``classify_names`` exposes the name rules
(category, diet, allergens) for user food tables.

The rules' word lists and tables are data, checked when first read (``rules``):
``food_data/data/curation_words.yaml`` and ``curation_servings.yaml``. One module per step:

- ``tokens``: names split once into words; rules are set lookups over them
- ``classify``: category, diet and allergens
- ``as_eaten``: whether a food is in the form people eat it
- ``kinds``: the serving kind of each food, and its daily maximum
- ``servings``: the best household serving for the kind
- ``slots``: the meals a food suits
- ``fortified``: fortified foods and the nutrient amounts their makers add (derived nutrient columns)
- ``evidence``: tags checked against nutrients (animal markers in vegan foods, B12 artefacts)
- ``planner_set``: the everyday foods a plan chooses from
- ``overrides``: the reviewed hand corrections
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from mealplan.food_data.curation.as_eaten import as_eaten
from mealplan.food_data.curation.classify import Groups, classify, classify_names
from mealplan.food_data.curation.evidence import b12_artefacts, plant_foods, vegan_evidence
from mealplan.food_data.curation.fortified import Names, fortification
from mealplan.food_data.curation.kinds import kinds, max_g
from mealplan.food_data.curation.overrides import OVERRIDES_FILE, apply_overrides, load_overrides
from mealplan.food_data.curation.planner_set import planner_set
from mealplan.food_data.curation.servings import servings
from mealplan.food_data.curation.slots import slots
from mealplan.food_data.curation.tokens import Tokens
from mealplan.food_data.groups import UNGROUPED
from mealplan.food_data.vocab import CATEGORIES

__all__ = ["OVERRIDES_FILE", "apply_overrides", "classify_names", "curate", "load_overrides"]


def curate(foods: pd.DataFrame, measures: pd.DataFrame, overrides: Path | None = OVERRIDES_FILE) -> pd.DataFrame:
    """Add the planner curation columns (``food_data.table.CURATION_COLUMNS``) to a food table.

    Rules use the USDA group (``usda_group``) where known and the name; the override file is
    applied last.

    Args:
        foods: Foods indexed by id with at least ``name``; ``usda_group``, ``deprecated``,
            ``energy`` and ``alcohol`` are used when present.
        measures: Household measures (columns ``id``, ``measure``, ``grams``).
        overrides: Override file (id, column, value, reason); None applies none.

    Returns:
        ``foods`` (same index and columns) plus every curation column, the ``fortified`` tag and
        the added-nutrient columns of ``fortified.added_columns()`` (folic_acid, niacin_added,
        vitamin_e_added, vitamin_b12_added).

    Raises:
        FoodDataError: The override file is invalid (see ``load_overrides``).
    """
    names = foods["name"].fillna("").astype(str)
    name_list = [n.replace("\n", " ") for n in names.tolist()]
    tok = Tokens(names)
    groups = foods["usda_group"].fillna(UNGROUPED).astype(str).to_numpy(dtype=object) if "usda_group" in foods else None
    group_codes = Groups(groups, len(foods))
    brand = tok.brand_first
    classified = classify(tok, group_codes, brand)
    # Nutrients check the names' diet tags: a "vegan" food with cholesterol is not. Fortification
    # first (added retinol is no animal marker), then again on the corrected tags.
    searched = Names(foods["name"])  # name searches shared by both passes
    fort = fortification(foods, classified.category, classified.diet, names=searched)
    milk_or_egg = classified.masks["milk"] | classified.masks["egg"]
    checked = vegan_evidence(foods, classified.diet, fort.fortified, milk_or_egg)
    classified.diet = checked.diet
    plant = plant_foods(foods, classified.diet, fort.fortified)
    fort = fortification(foods, classified.category, classified.diet, plant, names=searched)
    cat = {c: classified.category == c for c in CATEGORIES}
    energy = (
        pd.to_numeric(foods["energy"], errors="coerce").to_numpy() if "energy" in foods else np.full(len(foods), np.nan)
    )
    eaten = as_eaten(tok, cat, group_codes, brand)
    if "deprecated" in foods:
        eaten &= ~foods["deprecated"].fillna(False).astype(bool).to_numpy()
    kind = kinds(tok, classified, group_codes, np.nan_to_num(energy, nan=1e9))
    serving_name, serving_g = servings(measures, foods.index, kind)
    planner = planner_set(tok, foods, name_list, classified, kind, eaten, serving_g)
    out = foods.copy(deep=False)  # copy-on-write: the caller's frame is never modified
    out["category"] = classified.category
    out["diet"] = classified.diet
    out["allergens"] = classified.allergens
    out["as_eaten"] = eaten
    out["serving_name"] = serving_name
    out["serving_g"] = serving_g
    out["max_g"] = max_g(tok, kind, serving_g)
    out["slots"] = slots(tok, kind, cat)
    out["planner"] = planner
    out["price"] = np.nan
    # Fortification: the ``fortified`` tag and the added-nutrient columns (folic_acid, ...), which
    # the targets count against the fortified-food upper limits.
    out["fortified"] = fort.fortified
    for column, amount in fort.added.items():
        out[column] = amount
    # B12 in a plant food nobody fortified is an artefact: never a source to plan on.
    if "vitamin_b12" in out:
        artefact = b12_artefacts(foods, plant, fort.added["vitamin_b12_added"])
        if artefact.any():
            out["vitamin_b12"] = np.where(artefact, 0.0, pd.to_numeric(out["vitamin_b12"], errors="coerce"))
    if overrides is not None and Path(overrides).exists():
        out = apply_overrides(out, load_overrides(overrides, out.index), overrides)
    return out
