"""Why a food is left out of a person's plans: every rule that keeps it out, with its source.

``food_rules(profile, table, food_id)`` returns plain data (JSON-ready): whether the planner may use
the food, the first rule that keeps it out as the planner records it (``optimizer.candidates``), and
every rule that applies: the planner set, diet (and the nutrient evidence behind a raised vegan
tag), allergy, life-stage food safety (with its guidance), exclusions, forbidden foods and
dislikes (naming the group word and what put the food in the group). ``mealplan foods show ID
--profile P`` prints it.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from mealplan.food_data.matching import food_group
from mealplan.food_data.safety import unsafe_rule
from mealplan.food_data.table import SR24_SOURCE, FoodTable
from mealplan.food_data.vocab import ALLERGEN_SYNONYMS, DIET_LEVEL, diet_allows, split_tags
from mealplan.optimizer.candidates import eligible_foods, pattern_mask
from mealplan.optimizer.rules import plan_rules
from mealplan.targets.compute import compute_targets
from mealplan.targets.profile import Profile


def _group_reason(pattern: str, name: str, category: str, allergens: str) -> str | None:
    """How a group word names this food ("group 'fish': allergen fish"), or None."""
    group = food_group(pattern)
    if group is None or not group.holds(name, category, allergens):
        return None
    from mealplan.food_data.matching import name_terms

    if category in group.categories:
        how = f"category {category}"
    elif tags := sorted(group.allergens.intersection(split_tags(allergens))):
        how = f"allergen {', '.join(tags)}"
    else:
        how = f"name word {', '.join(sorted(name_terms(name) & group.terms))}"
    return f"group word '{pattern}' ({how})"


def food_rules(profile: Profile, table: FoodTable, food_id: str) -> dict[str, Any]:
    """Every rule of ``profile`` that keeps ``food_id`` out of its plans.

    Returns:
        ``{profile_id, food_id, allowed, planner_reason, rules}``; ``rules`` is a list of
        ``{rule, why, source}`` (``source`` is the guidance or the profile field).
    """
    rules = plan_rules(profile, compute_targets(profile))
    rows = table.rows.take([food_id])
    one = {c: rows[c][0] for c in ("name", "category", "diet", "allergens") if c in rows}
    name, category = str(one.get("name", "")), str(one.get("category", ""))
    allergens = one.get("allergens", "")
    out: list[dict[str, str]] = []
    planner = bool(rows["planner"][0]) if "planner" in rows else True
    if not planner and rows["source"][0] == SR24_SOURCE:
        out.append(
            {
                "rule": "planner set",
                "why": "not in the planner set (not as eaten, or not an everyday food)",
                "source": "food_data/curation",
            }
        )
    diet = str(one.get("diet", ""))
    if diet not in DIET_LEVEL or not diet_allows(rules.diet, diet):
        why = f"tagged {diet}; the profile's diet is {rules.diet}"
        evidence = _diet_evidence(table, food_id, diet)
        out.append({"rule": "diet", "why": why + (f" ({evidence})" if evidence else ""), "source": "profile: diet"})
    allergy = {ALLERGEN_SYNONYMS.get(a.lower(), a.lower()) for a in rules.allergies}
    if hit := sorted(allergy.intersection(split_tags(allergens))):
        out.append({"rule": "allergy", "why": f"contains {', '.join(hit)}", "source": "profile: allergies"})
    if rule := unsafe_rule(rules.safety, name, category):
        out.append({"rule": "safety", "why": rule.why, "source": rule.source})
    for label, field, patterns in (
        ("exclude", "exclude", rules.exclude),
        ("forbid", "forbid", rules.forbid),
        ("dislike", "dislikes", rules.dislikes),
    ):
        for pattern in patterns:
            if pattern_mask([pattern], rows)[0]:
                how = _group_reason(pattern, name, category, str(allergens)) or f"matches '{pattern}'"
                out.append({"rule": label, "why": how, "source": f"profile: {field}"})
    blocked = eligible_foods(table, rules).blocked.get(food_id)
    return {
        "profile_id": profile.id,
        "food_id": food_id,
        "allowed": blocked is None,
        "planner_reason": blocked,
        "rules": out,
    }


def _diet_evidence(table: FoodTable, food_id: str, diet: str) -> str | None:
    """For a food whose name reads vegan but whose nutrients show an animal ingredient, what shows it."""
    from mealplan.food_data.curation import classify_names
    from mealplan.food_data.curation.evidence import animal_markers

    frame = table.foods.loc[[food_id]]
    groups = frame["usda_group"] if "usda_group" in frame else None
    if diet == "vegan" or classify_names(frame["name"], groups)["diet"].iloc[0] != "vegan":
        return None
    fortified = frame["fortified"].to_numpy(dtype=bool) if "fortified" in frame else np.zeros(1, dtype=bool)
    marker = animal_markers(frame, fortified)[0]
    return f"its name reads vegan, but {marker}" if marker else None
