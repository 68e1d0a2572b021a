"""``mealplan foods search|show|stats`` through CliRunner, on the example custom table and the FDC fixture."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from mealplan.cli.main import cli
from mealplan.food_data.table import CACHE_ENV
from tests.food_data.test_importers import EXAMPLE, FDC, FIXTURES, fake_classifier

OWN = ["--no-bundled", "--foods", str(EXAMPLE)]


@pytest.fixture
def fake_curation(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "mealplan.food_data.curation", fake_classifier([]))
    monkeypatch.setenv(CACHE_ENV, "off")  # a table tagged by the stand-in must never reach the cache


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, ["foods", *args])


def search_json(*args: str) -> dict:
    result = run("search", *OWN, "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# --- search -------------------------------------------------------------------------------------


def test_search_words_must_all_match_the_name() -> None:
    doc = search_json("SALMON", "farmed")
    assert [f["id"] for f in doc["foods"]] == ["my_salmon"]
    assert search_json("salmon", "wild")["foods"] == []


def test_search_amounts_are_per_serving() -> None:
    (salmon,) = search_json("salmon")["foods"]
    assert salmon["serving"] == "3 oz (85 g)"
    assert salmon["energy"] == pytest.approx(206 * 0.85)
    assert salmon["vitamin_d"] == pytest.approx(13.1 * 0.85)
    assert salmon["vitamin_b12"] == pytest.approx(2.8 * 0.85)
    assert search_json("salmon")["units"]["vitamin_d"] == "µg"


def test_rich_in_sorts_by_amount_per_serving_and_drops_unknown() -> None:
    doc = search_json("--rich-in", "magnesium", "--limit", "3")
    assert [f["id"] for f in doc["foods"]] == ["my_pepitas", "my_almond_butter", "my_bran_flakes"]
    assert doc["matches"] == 16 and doc["shown"] == 3
    vit_d = search_json("--rich-in", "vitamin D", "--limit", "50")["foods"]
    assert "my_tofu" not in [f["id"] for f in vit_d]  # its vitamin D is unknown
    assert [f["id"] for f in vit_d[:2]] == ["my_salmon", "my_sardines"]
    amounts = [f["vitamin_d"] for f in vit_d]
    assert amounts == sorted(amounts, reverse=True)


def test_filters_diet_category_and_allergens() -> None:
    vegan = {f["id"] for f in search_json("--diet", "vegan", "--limit", "50")["foods"]}
    assert "my_sardines" not in vegan and "my_eggs" not in vegan and "my_tofu" in vegan
    vegetarian = {f["id"] for f in search_json("--diet", "vegetarian", "--limit", "50")["foods"]}
    assert vegan < vegetarian and "my_eggs" in vegetarian and "my_salmon" not in vegetarian
    nuts = search_json("--category", "Nuts and Seeds")["foods"]
    assert {f["id"] for f in nuts} == {"my_pepitas", "my_almond_butter"}
    free = {
        f["id"] for f in search_json("--allergen-free", "soya", "--allergen-free", "fish", "--limit", "50")["foods"]
    }
    assert not free & {"my_tofu", "my_soymilk", "my_salmon", "my_sardines"} and len(free) == 12


def test_planner_set_by_default_and_all_on_request(tmp_path: Path) -> None:
    path = tmp_path / "foods.csv"
    path.write_text(
        "id,name,category,diet,allergens,planner,magnesium\n"
        "a,Cocoa powder,sweets and snacks,vegan,none,false,499\nb,Cocoa drink,beverages,vegan,none,true,20\n"
    )
    result = run("search", "--no-bundled", "--foods", str(path), "cocoa")
    assert result.exit_code == 0, result.output
    assert "Cocoa drink" in result.stdout and "Cocoa powder" not in result.stdout
    assert "1 of 1 matching foods (planner foods only; --all searches every food)" in result.stdout
    result = run("search", "--no-bundled", "--foods", str(path), "cocoa", "--all")
    assert "Cocoa powder" in result.stdout and "2 of 2 matching foods (all foods)" in result.stdout


def test_search_table_and_csv_output(tmp_path: Path) -> None:
    result = run("search", *OWN, "sardines")
    assert result.exit_code == 0
    for text in ("my_sardines", "Mg mg", "Vit D µg", "B12 µg", "351", "8.22"):
        assert text in result.stdout, text
    out = tmp_path / "found.csv"
    result = run("search", *OWN, "--rich-in", "calcium", "--format", "csv", "-o", str(out))
    assert result.exit_code == 0 and result.stdout == ""
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert list(rows[0]) == [
        "id", "name", "category", "serving", "serving_g",
        "energy", "magnesium", "calcium", "potassium", "vitamin_d", "vitamin_b12",
    ]  # fmt: skip
    assert rows[0]["id"] == "my_tofu" and float(rows[0]["calcium"]) == pytest.approx(683 * 1.26)
    assert rows[0]["vitamin_d"] == ""  # unknown stays empty, not 0


def test_rich_in_a_nutrient_outside_the_key_set_adds_its_column() -> None:
    doc = search_json("--rich-in", "folate", "--limit", "1")
    assert doc["foods"][0]["id"] == "my_bran_flakes" and doc["foods"][0]["folate"] == pytest.approx(180)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--rich-in", "magnesum"],
            "Invalid value for --rich-in: 'magnesum' is not a known nutrient. Did you mean: magnesium",
        ),
        (
            ["--diet", "keto"],
            "Invalid value for --diet: 'keto' is not allowed; choose from: vegan, vegetarian, pescatarian, omnivore.",
        ),
        (
            ["--category", "nuts"],
            "Invalid value for --category: 'nuts' is not allowed; choose from: vegetables, fruits,",
        ),
        (
            ["--allergen-free", "pollen"],
            "Invalid value for --allergen-free: 'pollen' is not allowed; choose from: milk, egg,",
        ),
        (
            ["--rich-in", "selenium"],
            "Invalid value for --rich-in: 'selenium': no food table loaded has selenium values.",
        ),
        (["--limit", "0"], "Invalid value for '--limit': 0 is not in the range x>=1."),
    ],
)
def test_bad_option_values_exit_2_naming_flag_value_and_allowed(args: list[str], message: str) -> None:
    result = run("search", *OWN, *args)
    assert result.exit_code == 2
    assert message in " ".join(result.stderr.split())


def test_bad_food_table_exits_2(fake_curation: None) -> None:
    result = run("search", "--no-bundled", "--foods", str(FIXTURES / "user_foods_broken.csv"))
    assert result.exit_code == 2
    assert "'keto' is not a known diet" in result.stderr


# --- show ---------------------------------------------------------------------------------------


def test_show_json_has_every_known_nutrient_per_basis_serving_and_measure(fake_curation: None) -> None:
    result = run("show", "--no-bundled", "--foods", str(FDC), "--format", "json", "fdc:171688")
    assert result.exit_code == 0, result.output
    d = json.loads(result.stdout)
    assert d["name"].startswith("Apples, raw, with skin") and d["source"].startswith("FoodData Central")
    assert d["serving"] == {"name": "cup, quartered or chopped (125 g)", "grams": 125.0}
    mg = next(n for n in d["nutrients"] if n["id"] == "magnesium")
    assert mg == {"id": "magnesium", "name": "Magnesium", "unit": "mg", "per_basis": 5.0, "per_serving": 6.25}
    assert d["missing"] == []
    medium = next(m for m in d["measures"] if m["measure"] == 'medium (3" dia)')
    assert medium["grams"] == 182 and medium["nutrients"]["potassium"] == pytest.approx(107 * 1.82)
    assert d["as_eaten"] is True and d["planner"] is True
    almonds = json.loads(run("show", "--no-bundled", "--foods", str(FDC), "--format", "json", "fdc:170567").stdout)
    assert almonds["missing"] == ["vitamin_b12"]
    assert "vitamin_b12" not in [n["id"] for n in almonds["nutrients"]]


def test_show_table_and_csv() -> None:
    result = run("show", *OWN, "my_tofu")
    assert result.exit_code == 0, result.output
    for text in (
        "Tofu, firm, calcium-set (calcium sulfate) (my_tofu)",
        "allergens: soy",
        "per 1/2 cup (126 g)",
        "Calcium",
        "861",
        "unknown (missing is not zero): ",
        "Per household measure",
        "source: ",
    ):
        assert text in result.stdout, text
    result = run("show", *OWN, "--format", "csv", "my_tofu")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == ["nutrient", "name", "unit", "per 100 g", "per 1/2 cup (126 g)"]
    calcium = next(r for r in rows if r["nutrient"] == "calcium")
    assert float(calcium["per 1/2 cup (126 g)"]) == pytest.approx(683 * 1.26)


def test_show_unknown_id_suggests_closest() -> None:
    result = run("show", *OWN, "my_salmn")
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "Error: No food has id 'my_salmn'. Closest: my_salmon (Salmon, Atlantic, farmed, fillet, baked)"
    )
    result = run("show", *OWN, "spinach frozen")
    assert "my_spinach (Spinach, frozen chopped, boiled and drained)" in result.stderr


def test_show_suggests_ids_holding_what_was_typed_first() -> None:
    result = run("show", *OWN, "tofu")
    assert result.exit_code == 2
    assert "Closest: my_tofu (Tofu, firm, calcium-set (calcium sulfate))" in result.stderr


def test_show_by_exact_name() -> None:
    result = run("show", *OWN, "--format", "json", "bananas, raw, loose")
    assert json.loads(result.stdout)["id"] == "my_banana"


# --- stats --------------------------------------------------------------------------------------


def test_stats_counts_categories_and_coverage(fake_curation: None, tmp_path: Path) -> None:
    result = run("stats", *OWN, "--foods", str(FDC), "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["foods"] == 20 and doc["planner_foods"] == 20
    cats = {c["category"]: c["all"] for c in doc["categories"]}
    assert sum(cats.values()) == 20 and cats["seafood"] == 2 and cats["other"] == 4
    vit_d = next(n for n in doc["nutrients"] if n["id"] == "vitamin_d")
    assert vit_d["all"] == {"known": 19, "missing": 1, "percent_known": 95.0}
    water = next(n for n in doc["nutrients"] if n["id"] == "water")
    assert water["all"]["known"] == 4  # only the FDC foods give water
    out = tmp_path / "stats.csv"
    assert run("stats", *OWN, "--format", "csv", "-o", str(out)).exit_code == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert rows[0]["section"] == "category"
    b12 = [r for r in rows if r["name"] == "vitamin_b12"]
    assert [(r["scope"], r["count"], r["known"], r["missing"]) for r in b12] == [
        ("all", "16", "16", "0"),
        ("planner", "16", "16", "0"),
    ]


def test_stats_table() -> None:
    result = run("stats", *OWN)
    assert result.exit_code == 0
    assert "Foods per category" in result.stdout and "Nutrient coverage" in result.stdout
    assert "dairy and fortified alternatives" in result.stdout


# --- the real bundled table (needs the curation layer) ------------------------------------------


@pytest.fixture
def bundled() -> None:
    curation = pytest.importorskip("mealplan.food_data.curation", reason="no curation module")
    if not (hasattr(curation, "curate") and hasattr(curation, "classify_names")):
        pytest.skip("mealplan.food_data.curation has no curate/classify_names yet")


def test_bundled_show_bananas(bundled: None) -> None:
    result = run("show", "--format", "json", "09040")
    assert result.exit_code == 0, result.output
    d = json.loads(result.stdout)
    assert d["name"] == "Bananas, raw" and d["source"] == "USDA SR24"
    k = next(n for n in d["nutrients"] if n["id"] == "potassium")
    assert k["per_basis"] == 358
    assert ('medium (7" to 7-7/8" long)', 118.0) in [(m["measure"], m["grams"]) for m in d["measures"]]


def test_bundled_search_salmon_and_merge_with_custom_table(bundled: None) -> None:
    result = run("search", "salmon", "--all", "--format", "json", "--limit", "100")
    assert result.exit_code == 0, result.output
    foods = json.loads(result.stdout)["foods"]
    assert foods and all("salmon" in f["name"].lower() for f in foods)
    assert "15076" in [f["id"] for f in foods]
    result = run("search", "--foods", str(EXAMPLE), "salmon", "--all", "--format", "json", "--limit", "100")
    assert "my_salmon" in [f["id"] for f in json.loads(result.stdout)["foods"]]


def test_bundled_with_commodity_table_says_use_no_bundled(bundled: None) -> None:
    result = run("stats", "--foods", str(FIXTURES / "user_foods_commodities.csv"))
    assert result.exit_code == 2
    assert "use --no-bundled" in result.stderr
