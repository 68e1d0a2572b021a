"""Every file in examples/ is exercised here, through the CLI where a user would run it.

Planning the example profiles end to end is covered by the planner tests and benchmarks; here each
profile goes through ``mealplan targets`` (fast), the batch folder through ``load_jobs``, the custom
foods through ``mealplan foods``, the commodity table through ``mealplan basket`` (Stigler's known
optimum) and the price table through the dietitian's profile.
"""

from __future__ import annotations

import csv
import json
import re
from fnmatch import fnmatch
from pathlib import Path

import pytest
from click.testing import CliRunner

from mealplan.cli.main import cli

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
PROFILES = sorted((EXAMPLES / "profiles").glob("*.yaml"))
BATCH = EXAMPLES / "batch"
CUSTOM_FOODS = EXAMPLES / "foods" / "custom_foods.csv"
BASKET = EXAMPLES / "basket"

# Every file under examples/ and the test that exercises it (a new example needs a test here).
COVERED = {
    **{p.relative_to(EXAMPLES).as_posix(): "test_profile_targets" for p in PROFILES},
    **{p.relative_to(EXAMPLES).as_posix(): "test_batch_folder_loads" for p in BATCH.iterdir()},
    "foods/custom_foods.csv": "test_custom_foods_*",
    "basket/commodities.csv": "test_basket_gives_stiglers_optimum",
    "basket/targets.csv": "test_basket_gives_stiglers_optimum",
    "basket/README.md": "test_basket_gives_stiglers_optimum",
    "profiles/prices.csv": "test_dietitian_prices",
    **{
        f"households/{n}": "test_household_example_*"
        for n in ("home.yaml", "father.yaml", "daughter.yaml", "pantry.csv")
    },
}


def run(*args: str):
    result = CliRunner().invoke(cli, list(args), prog_name="mealplan")
    assert result.exit_code == 0, result.output
    return result


def test_every_example_file_is_exercised():
    files = {
        p.relative_to(EXAMPLES).as_posix()
        for p in EXAMPLES.rglob("*")
        if p.is_file() and p.name != "__init__.py" and "__pycache__" not in p.parts  # the package marker
    }
    assert files == set(COVERED)
    tests = [name for name in globals() if name.startswith("test_")]
    assert all(any(fnmatch(t, pattern) for t in tests) for pattern in COVERED.values())


@pytest.mark.parametrize("path", PROFILES, ids=lambda p: p.stem)
def test_profile_targets(path):
    from mealplan.targets.profile_files import load_profile

    profile = load_profile(path)
    data = json.loads(run("targets", "--profile", str(path), "--format", "json").stdout)
    targets = data["targets"]
    assert targets["profile_id"] == profile.id
    for nutrient in ("magnesium", "calcium", "potassium", "vitamin_d", "vitamin_b12"):
        item = targets["items"][nutrient]
        # a goal for each key nutrient, unless a condition makes it a limit (kidney disease: potassium)
        assert (item["min"] or 0) > 0 or item["min_source"].startswith("not a goal"), nutrient
    assert 900 <= targets["energy_kcal"] <= 4500  # a toddler's EER is about 1,000 kcal
    table = run("targets", "--profile", str(path)).stdout  # the table a user sees
    assert f"Profile {profile.id} (" in table and "For education only." in table


def test_profiles_cover_the_main_users():
    from mealplan.targets.profile_files import load_profile

    profiles = [load_profile(p) for p in PROFILES]
    assert len(profiles) >= 5
    assert {p.diet for p in profiles} >= {"vegan", "pescatarian", "omnivore"}
    assert any(p.pregnant for p in profiles) and any(p.nutrients for p in profiles)  # pregnancy, a dietitian
    assert any(p.age >= 65 for p in profiles) and {p.sex for p in profiles} == {"female", "male"}


def test_batch_folder_loads():
    from mealplan.batch import load_jobs
    from mealplan.targets.compute import compute_targets, run_profile_triage

    jobs = load_jobs(BATCH)
    assert [j.error for j in jobs if j.error] == []
    assert len(jobs) >= 10 and len({j.id for j in jobs}) == len(jobs)
    assert {Path(j.source).name for j in jobs} == {p.name for p in BATCH.iterdir()}  # every file is a profile
    profiles = [j.profile for j in jobs]
    # Varied: every diet, both sexes, teenagers to the very old, pregnancy and lactation, allergies,
    # people without symptoms, and all three file formats.
    assert {p.diet for p in profiles} == {"vegan", "vegetarian", "pescatarian", "omnivore"}
    assert {p.sex for p in profiles} == {"female", "male"}
    assert min(p.age for p in profiles) < 18 and max(p.age for p in profiles) >= 80
    assert any(p.pregnant for p in profiles) and any(p.lactating for p in profiles)
    assert any(p.allergies for p in profiles) and any(not p.symptoms for p in profiles)
    assert {Path(j.source).suffix for j in jobs} == {".yaml", ".toml", ".json"}
    stages = {compute_targets(p, run_profile_triage(p)).life_stage for p in profiles}
    assert len(stages) >= 6, stages


def _custom_rows() -> list[dict[str, str]]:
    with open(CUSTOM_FOODS, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_custom_foods_search_lists_every_food():
    rows = _custom_rows()
    out = run("foods", "search", "--foods", str(CUSTOM_FOODS), "--no-bundled", "--limit", "100", "--format", "json")
    doc = json.loads(out.stdout)
    assert doc["matches"] == len(rows) >= 10
    assert sorted(f["id"] for f in doc["foods"]) == sorted(r["id"] for r in rows)
    assert {f["id"]: f["category"] for f in doc["foods"]} == {r["id"]: r["category"] for r in rows}


def test_custom_foods_filters_use_their_tags():
    rows = _custom_rows()
    args = ["foods", "search", "--foods", str(CUSTOM_FOODS), "--no-bundled", "--limit", "100", "--format", "json"]
    vegan = json.loads(run(*args, "--diet", "vegan", "--allergen-free", "soy").stdout)
    expected = {r["id"] for r in rows if r["diet"] == "vegan" and "soy" not in r["allergens"]}
    assert {f["id"] for f in vegan["foods"]} == expected
    richest = json.loads(run(*args, "--rich-in", "vitamin_d").stdout)["foods"]
    per_serving = {r["id"]: float(r["vitamin_d"]) * float(r["serving_g"]) / 100 for r in rows if r["vitamin_d"]}
    names = {r["id"]: r["name"] for r in rows}
    expected = sorted(per_serving, key=lambda i: (-per_serving[i], names[i]))  # richest first, then by name
    assert [f["id"] for f in richest] == expected[: len(richest)] and len(richest) == len(per_serving)


def test_custom_foods_show_keeps_values_and_prices():
    out = run("foods", "show", "my_sardines", "--foods", str(CUSTOM_FOODS), "--no-bundled", "--format", "json")
    food = json.loads(out.stdout)
    row = next(r for r in _custom_rows() if r["id"] == "my_sardines")
    per_100g = {n["id"]: n["per_basis"] for n in food["nutrients"]}
    assert per_100g["vitamin_d"] == pytest.approx(float(row["vitamin_d"]))
    assert per_100g["calcium"] == pytest.approx(float(row["calcium"]))
    assert food["price"] == pytest.approx(float(row["price"]))
    assert food["serving"]["grams"] == pytest.approx(float(row["serving_g"]))
    assert food["allergens"] == ["fish"] and food["planner"] is True


def test_basket_gives_stiglers_optimum():
    out = run(
        *("basket", "--foods", str(BASKET / "commodities.csv"), "--targets", str(BASKET / "targets.csv")),
        *("--no-bundled", "--format", "json"),
    )
    result = json.loads(out.stdout)
    # The optimum that examples/basket/README.md states, read from it so the two cannot drift apart.
    readme = (BASKET / "README.md").read_text(encoding="utf-8")
    per_day, per_year = re.search(r"\*\*\$(\d\.\d+) a day \(\$(\d+\.\d+) a year\)\*\*", readme).groups()
    assert result["objective"] == "cost"
    assert result["objective_value"] == pytest.approx(float(per_day), abs=5e-6)
    assert result["objective_value"] * 365 == pytest.approx(float(per_year), abs=0.005)
    chosen = {f["food_id"] for f in result["foods"]}
    assert chosen == {"wheat_flour_enriched", "liver_beef", "cabbage", "spinach", "navy_beans_dried"}
    binding = {n["nutrient"] for n in result["nutrients"] if n["binding"]}
    assert binding == {"energy", "calcium", "vitamin_a_iu", "riboflavin", "vitamin_c"}


def test_dietitian_prices():
    from mealplan.food_data.table import load_bundled
    from mealplan.optimizer.prices import read_prices
    from mealplan.targets.profile_files import load_profile

    profile = load_profile(EXAMPLES / "profiles" / "dietitian_adjusted.yaml")
    assert profile.prices == (EXAMPLES / "profiles" / "prices.csv").resolve() and profile.budget
    prices = read_prices(profile.prices)
    table = load_bundled()
    assert len(prices) >= 10 and all(p > 0 for p in prices.values())
    assert set(prices) <= set(table.foods.index)
    run("targets", "--profile", str(EXAMPLES / "profiles" / "dietitian_adjusted.yaml"))  # the profile runs


def test_dietitian_prices_are_for_foods_the_planner_uses():
    from mealplan.food_data.table import load_bundled
    from mealplan.optimizer.prices import read_prices

    prices = read_prices(EXAMPLES / "profiles" / "prices.csv")
    assert set(prices) <= set(load_bundled().planner_foods().index)


@pytest.mark.solve
def test_household_example_plans_verifies_and_shops(tmp_path):
    """The family of four (examples/households/home.yaml): a day planned together, verified per member and
    for the household's rules, and its one shopping list."""
    out = tmp_path / "home.json"
    run("plan", "--household", str(EXAMPLES / "households" / "home.yaml"), "--format", "json", "-o", str(out))
    data = json.loads(out.read_text())
    assert data["kind"] == "household" and [m["id"] for m in data["members"]] == [
        "pregnant", "father", "daughter", "child-toddler"]  # fmt: skip
    assert data["shared"][0]["slot"] == "dinner" and len(data["pantry"]) == 7
    checked = run("verify", str(out)).stdout  # (exit 0)
    assert all(f"{m}: all checks passed" in checked for m in ("pregnant", "father", "daughter", "child-toddler"))
    assert "Shopping list: okafor-family (1 day)" in run("shopping", str(out)).stdout


def test_household_example_members_are_example_profiles():
    from mealplan.targets.household import load_household

    home = load_household(EXAMPLES / "households" / "home.yaml")
    ages = sorted(p.age for p in home.members)
    assert ages[0] <= 3 and any(p.pregnant for p in home.members) and len(home.members) == 4
