"""Which pattern foods a day model gets: the best few of each pool, and from a big user table one per
family, so near-copies (twelve brands of one tofu) cannot crowd out everything else."""

from __future__ import annotations

import numpy as np
import pytest

from mealplan.optimizer.inputs import OWN_KEEP, POOL_KEEP, WIDER, _best_per_pool, _one_per_family
from tests.optimizer.conftest import TINY_FOODS, TINY_NUTRIENTS, table_from, tiny_targets


def test_one_per_family_skips_copies_and_keeps_order():
    families = ["tofu", "tofu", "lentils", "tofu", "beans", "peas"]
    assert _one_per_family([0, 1, 2, 3, 4, 5], families, 3) == [0, 2, 4]
    assert _one_per_family([0, 1, 2, 3, 4, 5], families, 3, skip={"lentils"}) == [0, 4, 5]


def _user_table(copies: int):
    """The tiny foods, plus ``copies`` user copies of tofu (the best protein) under new ids."""
    foods = dict(TINY_FOODS)
    for i in range(copies):
        foods[f"u_tofu{i}"] = (f"Tofu, firm (brand {i})", *TINY_FOODS["t_tofu"][1:])
    changes = {f"u_tofu{i}": {"source": "my_foods.csv"} for i in range(copies)}
    changes.update({f: {"source": "my_foods.csv"} for f in ("t_lentil", "t_salmon", "t_chicken")})
    from mealplan.food_data.nutrients import BY_ID

    return table_from(foods, TINY_NUTRIENTS, {n: BY_ID[n].unit for n in TINY_NUTRIENTS}, changes)


def test_a_user_table_of_copies_still_offers_other_families():
    table = _user_table(copies=12)
    own = ["t_lentil", "t_salmon", "t_chicken", *(f"u_tofu{i}" for i in range(12))]
    rows = table.rows.take(own)
    chosen, wide = _best_per_pool(rows, (["protein"], np.zeros(len(own), dtype=int)), tiny_targets(), keep=set())
    assert set(chosen) <= set(wide)
    assert sum(f.startswith("u_tofu") for f in wide) == 1  # the wider pick holds no copies either
    tofus = [f for f in chosen if f.startswith("u_tofu")]
    assert len(tofus) <= 2  # at most one per score ranking (per serving, per kcal)
    families = {"tofu" if f.startswith("u_tofu") else f for f in chosen}
    assert len(families) >= POOL_KEEP  # each ranking keeps three different foods, not three tofus
    assert len(chosen) <= 2 * POOL_KEEP


def test_beside_bundled_foods_a_user_table_adds_a_few_and_no_copies():
    """Where bundled foods fill the pool, a user's foods add OWN_KEEP per ranking, none of a family the
    bundled picks hold (a user's tofu beside the bundled tofu is a copy)."""
    table = _user_table(copies=12)
    ids = ["t_tofu", "t_lentil", "t_salmon", "t_chicken", *(f"u_tofu{i}" for i in range(12))]
    rows = table.rows.take(ids)
    chosen, wide = _best_per_pool(rows, (["protein"], np.zeros(len(ids), dtype=int)), tiny_targets(), keep=set())
    assert "t_tofu" in chosen and not any(f.startswith("u_tofu") for f in chosen)
    own = [f for f in chosen if f in ("t_lentil", "t_salmon", "t_chicken")]
    assert 1 <= len(own) <= 2 * OWN_KEEP  # per serving and per kcal


def test_the_wider_pick_holds_every_bundled_food_and_a_few_more_of_the_users():
    """A day's last attempt gets every bundled pool food, but of a big user table only WIDER times the
    first pick's quota per ranking (not thousands of foods)."""
    families = {f"u_food{i}": (f"Bean kind {i}, cooked", *TINY_FOODS["t_lentil"][1:]) for i in range(30)}
    from mealplan.food_data.nutrients import BY_ID

    foods = {**TINY_FOODS, **families}
    changes = {f: {"source": "my_foods.csv"} for f in families}
    table = table_from(foods, TINY_NUTRIENTS, {n: BY_ID[n].unit for n in TINY_NUTRIENTS}, changes)
    bundled = ["t_tofu", "t_salmon", "t_chicken", "t_lentil"]
    ids = [*bundled, *families]
    chosen, wide = _best_per_pool(
        table.rows.take(ids), (["protein"], np.zeros(len(ids), dtype=int)), tiny_targets(), keep=set()
    )
    assert set(bundled) <= set(wide)
    own_wide = [f for f in wide if f in families]
    assert len([f for f in chosen if f in families]) <= 2 * OWN_KEEP
    assert OWN_KEEP < len(own_wide) <= 2 * OWN_KEEP * WIDER


def test_ranking_only_the_best_few_gives_the_full_rankings_first_places():
    """``_ranked`` with ``first`` (a partial sort) agrees with the full sort on its first places, ties
    broken in id order as there, unknown scores last."""
    from mealplan.optimizer.inputs import _ranked

    rng = np.random.default_rng(7)
    for _ in range(50):
        n = int(rng.integers(1, 400))
        score = rng.integers(0, 6, n).astype(float)  # many ties
        score[rng.random(n) < 0.1] = -np.inf
        id_rank = rng.permutation(n)
        at = np.flatnonzero(rng.random(n) < 0.8)
        full = _ranked(at, score, id_rank)
        for first in (1, 3, 20):
            part = _ranked(at, score, id_rank, first)
            assert part[:first] == full[:first]


@pytest.mark.solve
def test_a_like_counts_any_food_it_names_not_only_the_kept_few(tmp_path):
    """A user's table of salmon copies fills a like's kept few (the candidates it adds); a dish that
    names the bundled salmon still honours the like, so the plan's objective is the bundled table's
    (it counted the like as missed: 2 units more, issue 18)."""
    from mealplan import profile_from_dict
    from mealplan.food_data.loading import load_tables
    from mealplan.food_data.nutrients import NUTRIENT_IDS
    from mealplan.food_data.table import load_bundled, read_sr24
    from mealplan.optimizer.candidates import eligible_foods
    from mealplan.optimizer.context import LIKED_PER_PATTERN, liked_foods, liked_keep
    from mealplan.optimizer.day import ABS_GAP_MEALS
    from mealplan.optimizer.planner import make_plan
    from mealplan.optimizer.rules import plan_rules
    from mealplan.targets.compute import compute_targets
    from mealplan.verify.verifier import verify_plan

    sr, _ = read_sr24()
    salmon = sr[sr["name"].str.contains("salmon", case=False)]
    cols = ["name", *[c for c in NUTRIENT_IDS if c in sr.columns]]
    copies = salmon[cols].reset_index(drop=True)
    copies.insert(0, "id", [f"u_salmon{i}" for i in range(len(copies))])
    copies["name"] += " (my table)"
    copies.to_csv(tmp_path / "mine.csv", index=False)
    profile = profile_from_dict({"id": "pesca", "age": 45, "sex": "female", "weight_kg": 63,
                                 "diet": "pescatarian", "likes": ["salmon"]})  # fmt: skip
    objectives = {}
    for name, table in {"bundled": load_bundled(), "with copies": load_tables([tmp_path / "mine.csv"])}.items():
        targets = compute_targets(profile, None)
        rules = plan_rules(profile, targets)
        liked = liked_foods(rules.likes, eligible_foods(table, rules).allowed, targets)
        assert len(liked["salmon"]) > LIKED_PER_PATTERN and len(liked_keep(liked)) == LIKED_PER_PATTERN
        plan = make_plan(profile, table, days=1)
        assert verify_plan(plan, table).ok
        objectives[name] = plan.solve.objective
    # (no worse within the accepted gap: the solver stops within ABS_GAP_MEALS of the best)
    assert objectives["with copies"] <= objectives["bundled"] + ABS_GAP_MEALS
