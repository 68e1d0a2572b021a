"""Which foods a plan may use, why the others are out, and the candidate set given to the solver.

Eligibility and a tight candidate set matter more than the solver (see design.md): the day MILP
gets the best foods of every category for the person's targets, not the whole table.
"""

from __future__ import annotations

import fnmatch
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from food_data.table import SR24_SOURCE, FoodTable
from food_data.vocab import DIET_LEVEL, split_tags
from optimizer.plan import PlanRules
from optimizer.targets import Targets


def pattern_mask(patterns: list[str], foods: pd.DataFrame) -> pd.Series:
    """Foods that any of ``patterns`` names, vectorised over the table.

    The same rule as ``optimizer.profile.food_matches``: the food id itself, a glob on the name
    (case-insensitive), or a case-insensitive substring of the name.
    """
    mask = pd.Series(False, index=foods.index)
    names = foods["name"].astype(str).str.lower()
    ids = pd.Series(foods.index.astype(str), index=foods.index)
    for p in patterns:
        pat = p.strip()
        if not pat:
            continue
        mask |= ids == pat
        if any(ch in pat for ch in "*?["):
            mask |= names.str.match(fnmatch.translate(pat.lower()))
        else:
            mask |= names.str.contains(pat.lower(), regex=False)
    return mask


@dataclass
class Eligibility:
    """Allowed foods and, for every other food, the first rule that keeps it out."""

    allowed: pd.DataFrame
    blocked: pd.Series  # food id -> reason, e.g. "diet (vegan)"


def eligible_foods(table: FoodTable, rules: PlanRules) -> Eligibility:
    """Apply planner, diet, allergy, exclusion and dislike rules, recording why each food is out."""
    foods = table.foods
    reason = pd.Series("", index=foods.index, dtype=object)

    def block(mask: pd.Series, why) -> None:
        new = mask & (reason == "")
        if isinstance(why, pd.Series):
            reason[new] = why[new]
        else:
            reason[new] = why

    user_food = foods["source"] != SR24_SOURCE
    block(~foods["planner"].astype(bool) & ~user_food, "not in the planner set (not as eaten or not suitable)")
    block(foods["energy"].isna(), "no energy value")
    level = DIET_LEVEL[rules.diet]
    block(foods["diet"].map(DIET_LEVEL).fillna(99) > level, f"diet ({rules.diet})")
    if rules.allergies:
        allergy = set(rules.allergies)
        hit = foods["allergens"].map(lambda t: sorted(allergy.intersection(split_tags(t))))
        block(hit.map(bool), hit.map(lambda h: f"allergy ({', '.join(h)})"))
    for pattern in rules.exclude:
        block(pattern_mask([pattern], foods), f"excluded ('{pattern}')")
    for pattern in rules.dislikes:
        block(pattern_mask([pattern], foods), f"disliked ('{pattern}')")
    bad_serving = ~(foods["serving_g"] > 0) | ~(foods["max_g"] >= foods["serving_g"] * rules.min_portion_servings)
    block(bad_serving, "no usable serving size")
    allowed = foods[reason == ""]
    return Eligibility(allowed=allowed, blocked=reason[reason != ""])


def nutrient_matrix(foods: pd.DataFrame, nutrients: list[str]) -> np.ndarray:
    """Per-100 g amounts (rows: foods, columns: nutrients), unknown counted as 0."""
    cols = [foods[n] if n in foods.columns else pd.Series(0.0, index=foods.index) for n in nutrients]
    return np.nan_to_num(
        np.column_stack([c.to_numpy(dtype=float) for c in cols]) if cols else np.zeros((len(foods), 0))
    )


def coverage_scores(foods: pd.DataFrame, targets: Targets) -> tuple[np.ndarray, np.ndarray]:
    """Each food's target coverage per serving and per 100 kcal.

    The score is the priority-weighted sum over target nutrients of min(1, amount in one serving /
    daily minimum): how much of the day's targets one serving covers.
    """
    mins = {n: t for n, t in targets.items.items() if t.min and t.min > 0 and n in foods.columns}
    names = sorted(mins)
    if not names:
        return np.zeros(len(foods)), np.zeros(len(foods))
    serving = foods["serving_g"].to_numpy(dtype=float) / 100.0
    per_serving = nutrient_matrix(foods, names) * serving[:, None]
    weights = np.array([mins[n].priority for n in names])
    goal = np.array([mins[n].min for n in names])
    with np.errstate(over="ignore"):  # a minimum of 1e-308 overflows to inf, and min(inf, 1) is 1
        score = (np.minimum(per_serving / goal, 1.0) * weights).sum(axis=1)
    kcal = np.maximum(foods["energy"].to_numpy(dtype=float) * serving, 1.0)
    return score, score / kcal * 100.0


def preselect(
    allowed: pd.DataFrame,
    targets: Targets,
    *,
    per_category: int = 10,
    keep: set[str] | None = None,
    banned: set[str] | None = None,
) -> pd.DataFrame:
    """The candidate set: per category the foods that cover the targets best, per serving and per kcal.

    The best ``per_category`` foods of each category by coverage per serving and the best by
    coverage per 100 kcal are kept (ties broken by id, so the same input gives the same
    candidates), plus the ``keep`` foods that are not banned.
    """
    foods = allowed if not banned else allowed[~allowed.index.isin(banned)]
    score, density = coverage_scores(foods, targets)
    frame = pd.DataFrame({"cat": foods["category"].to_numpy(), "score": score, "density": density}, index=foods.index)
    frame = frame.sort_index()
    chosen: set[str] = set(keep or ()) & set(foods.index)
    for _, grp in frame.groupby("cat", sort=True):
        chosen.update(grp.sort_values("score", ascending=False, kind="mergesort").index[:per_category])
        chosen.update(grp.sort_values("density", ascending=False, kind="mergesort").index[:per_category])
    return foods.loc[sorted(chosen)]


def richest_blocked(
    table: FoodTable, blocked: pd.Series, nutrient: str, limit: int = 3
) -> list[tuple[str, str, float, str]]:
    """The blocked foods richest in ``nutrient`` per serving: (id, name, amount per serving, reason).

    Only foods people eat (planner foods) are suggested, so the answer is never "cod liver oil".
    """
    foods = table.foods
    if nutrient not in foods.columns or blocked.empty:
        return []
    cand = foods.loc[blocked.index]
    cand = cand[cand["planner"].astype(bool) & cand[nutrient].notna() & (cand["serving_g"] > 0)]
    per = cand[nutrient] * cand["serving_g"] / 100.0
    per = per[per > 0].sort_values(ascending=False, kind="mergesort")
    out = []
    for fid in per.index[:limit]:
        value = float(per[fid])
        if math.isfinite(value):
            out.append((fid, str(foods.at[fid, "name"]), value, str(blocked[fid])))
    return out
