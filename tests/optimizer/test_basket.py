"""The diet problem: a hand-checked 3-food fixture, Stigler's 1939 table, infeasibility diagnosis."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pulp
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from mealplan.errors import ConfigError, ConflictError, FoodDataError, InputError
from mealplan.food_data.table import SR24_SOURCE, FoodTable
from mealplan.optimizer.basket import BasketResult, build_basket_model, solve_basket
from mealplan.optimizer.basket_targets import (
    BasketTargets,
    FoodBound,
    NutrientBound,
    load_basket_targets,
    parse_food_bound,
)

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
EXAMPLE = ROOT / "examples" / "basket"
UNITS = {"protein": "g", "calcium": "mg", "sodium": "mg", "energy": "kcal", "vitamin_d": "µg"}


def tiny_table(**overrides: list[float]) -> FoodTable:
    """Three foods per 100 g (the same numbers as tests/fixtures/basket_foods.csv).

    | food | price | protein g | calcium mg | sodium mg | energy kcal |
    | a    | 1     | 10        | 100        | 100       | 300         |
    | b    | 3     | 20        | 0          | 200       | 100         |
    | c    | 2     | 0         | 300        | 300       | 50          |
    """
    cols = {
        "name": ["Food A", "Food B", "Food C"],
        "source": ["fixture"] * 3,
        "price": [1.0, 3.0, 2.0],
        "protein": [10.0, 20.0, 0.0],
        "calcium": [100.0, 0.0, 300.0],
        "sodium": [100.0, 200.0, 300.0],
        "energy": [300.0, 100.0, 50.0],
        "vitamin_d": [0.0, 0.0, math.nan],
    }
    cols.update(overrides)
    foods = pd.DataFrame(cols, index=pd.Index(["a", "b", "c"], name="id"))
    return FoodTable(foods=foods, measures=pd.DataFrame(columns=["id", "measure", "grams"]), units=UNITS)


def targets(*bounds: NutrientBound, foods: tuple[FoodBound, ...] = ()) -> BasketTargets:
    return BasketTargets(nutrients=list(bounds), foods=list(foods))


BASE = (NutrientBound(nutrient="protein", min=20), NutrientBound(nutrient="calcium", min=300))


def amounts(result: BasketResult) -> dict[str, float]:
    return {f.food_id: f.amount for f in result.foods}


# --- the hand-checked fixture -------------------------------------------------------------------


def test_cost_optimum_matches_hand_solution():
    # min a + 3b + 2c  s.t.  10a + 20b >= 20,  100a + 300c >= 300.
    # Primal a = 2, c = 1/3 (cost 8/3); dual y_protein = 1/30, y_calcium = 1/150 (same 8/3).
    result = solve_basket(tiny_table(), targets(*BASE), "cost")
    assert result.objective_value == pytest.approx(8 / 3, rel=1e-9)
    assert result.cost == pytest.approx(8 / 3, rel=1e-9)
    assert amounts(result) == pytest.approx({"a": 2.0, "c": 1 / 3}, rel=1e-9)
    by = {n.nutrient: n for n in result.nutrients}
    assert by["protein"].binding == "min" and by["calcium"].binding == "min"
    assert by["protein"].shadow_price == pytest.approx(1 / 30, rel=1e-6)
    assert by["calcium"].shadow_price == pytest.approx(1 / 150, rel=1e-6)
    assert result.binding == ["protein min", "calcium min"]
    # Basis 100 g: grams are reported too.
    grams = {f.food_id: f.grams for f in result.foods}
    assert grams == pytest.approx({"a": 200.0, "c": 100 / 3})
    assert result.total_grams == pytest.approx(700 / 3)


def test_weight_objective_picks_the_lightest_mix():
    # Along the binding edge a + (1 - a/2) + (1 - a/3) = 2 + a/6 grows with a: a = 0, b = c = 1, 200 g.
    result = solve_basket(tiny_table(), targets(*BASE), "weight")
    assert result.objective_value == pytest.approx(200.0)
    assert result.objective_unit == "g"
    assert amounts(result) == pytest.approx({"b": 1.0, "c": 1.0})
    assert result.cost == pytest.approx(5.0)


def test_energy_objective():
    # 300a + 100(1 - a/2) + 50(1 - a/3) = 150 + 233.3a: a = 0, 150 kcal.
    result = solve_basket(tiny_table(), targets(*BASE), "energy")
    assert result.objective_value == pytest.approx(150.0)
    assert result.objective_unit == "kcal"


def test_food_bound_is_respected_and_reported():
    # a <= 1.5 then b = 0.25, c = 0.5: cost 1.5 + 0.75 + 1 = 3.25.
    result = solve_basket(tiny_table(), targets(*BASE, foods=(FoodBound(food_id="a", max=1.5),)))
    assert result.objective_value == pytest.approx(3.25)
    a = next(f for f in result.foods if f.food_id == "a")
    assert a.amount == pytest.approx(1.5) and a.at_bound == "max"


def test_binding_maximum_has_nonpositive_dual():
    # The cost optimum has 616.7 kcal; at most 400 kcal forces b and c in (fewest kcal: b = c = 1, 150).
    result = solve_basket(tiny_table(), targets(*BASE, NutrientBound(nutrient="energy", max=400)))
    by = {n.nutrient: n for n in result.nutrients}
    assert by["energy"].amount == pytest.approx(400.0)
    assert by["energy"].binding == "max"
    assert by["energy"].shadow_price < 0
    assert result.objective_value > 8 / 3
    # A maximum that the optimum does not reach changes nothing.
    loose = solve_basket(tiny_table(), targets(*BASE, NutrientBound(nutrient="energy", max=700)))
    assert loose.objective_value == pytest.approx(8 / 3)
    assert loose.binding == ["protein min", "calcium min"]


def test_target_units_are_converted_to_table_units():
    grams = targets(NutrientBound(nutrient="protein", min=20), NutrientBound(nutrient="calcium", min=0.3, unit="g"))
    assert solve_basket(tiny_table(), grams).objective_value == pytest.approx(8 / 3)


def test_target_unit_that_cannot_convert_is_an_error():
    bad = targets(NutrientBound(nutrient="energy", min=2, unit="kJ"), NutrientBound(nutrient="xyz", min=1))
    with pytest.raises(ConfigError) as err:
        solve_basket(tiny_table(), bad)
    text = str(err.value)
    assert "unit 'kJ' cannot be converted to the food table's unit 'kcal' for energy" in text
    assert "nutrient 'xyz' is not a column of the food table; its nutrient columns are: protein" in text


def test_nutrient_names_resolve_through_registry_aliases():
    result = solve_basket(tiny_table(), targets(NutrientBound(nutrient="Ca", min=300)))
    assert result.nutrients[0].nutrient == "calcium"
    assert result.objective_value == pytest.approx(2.0)  # 100 mg per $1 from a, 150 from c


def test_cost_needs_prices_and_names_the_foods_without():
    table = tiny_table(price=[1.0, math.nan, math.nan])
    with pytest.raises(InputError, match=r"objective cost: 2 foods have no price: b \(Food B\), c \(Food C\)"):
        solve_basket(table, targets(*BASE))
    # The weight objective needs no prices.
    assert solve_basket(table, targets(*BASE), "weight").objective_value == pytest.approx(200.0)


def test_bundled_foods_without_price_are_not_cost_candidates():
    table = tiny_table(price=[1.0, 3.0, math.nan], source=["fixture", "fixture", SR24_SOURCE])
    result = solve_basket(table, targets(*BASE))
    assert set(amounts(result)) == {"a"}  # c is out; a = 3 meets both
    assert result.objective_value == pytest.approx(3.0)
    assert result.excluded == 1


def test_unknown_value_under_a_maximum_excludes_the_food():
    # vitamin_d unknown for c: with a vitamin D maximum, c cannot be promised to respect it.
    bounded = targets(*BASE, NutrientBound(nutrient="vitamin_d", max=1))
    result = solve_basket(tiny_table(), bounded)
    assert "c" not in amounts(result)
    assert result.objective_value == pytest.approx(3.0)
    # Under a minimum an unknown value counts 0 and the food stays.
    assert solve_basket(tiny_table(), targets(*BASE)).excluded == 0


def test_result_is_json_serialisable_and_frozen():
    result = solve_basket(tiny_table(), targets(*BASE))
    again = BasketResult.model_validate(json.loads(result.model_dump_json()))
    assert again == result
    with pytest.raises(ValidationError):
        result.objective_value = 0  # type: ignore[misc]


def test_build_model_names_constraints_and_variables_from_ids():
    prob, xs = build_basket_model(tiny_table(), targets(*BASE, NutrientBound(nutrient="sodium", max=900)), "cost")
    assert isinstance(prob, pulp.LpProblem)
    assert [c.name for c in prob.constraints()] == ["min_n_protein", "min_n_calcium", "max_n_sodium"]
    assert [v.name for v in xs.values()] == ["x_a", "x_b", "x_c"]
    assert prob.status == pulp.LpStatusNotSolved


# --- monotonicity ---------------------------------------------------------------------------------


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    protein=st.floats(min_value=0, max_value=60),
    calcium=st.floats(min_value=0, max_value=900),
    extra=st.floats(min_value=0, max_value=30),
)
def test_tightening_a_minimum_never_lowers_the_optimum(protein, calcium, extra):
    ca = NutrientBound(nutrient="calcium", min=calcium)
    loose = solve_basket(tiny_table(), targets(NutrientBound(nutrient="protein", min=protein), ca))
    tight = solve_basket(tiny_table(), targets(NutrientBound(nutrient="protein", min=protein + extra), ca))
    assert tight.objective_value >= loose.objective_value - 1e-9
    for r in (loose, tight):
        assert all(f.amount >= 0 for f in r.foods)


# --- infeasibility ------------------------------------------------------------------------------


def test_infeasible_names_the_nutrient_and_the_reachable_amount():
    # With a <= 2 and c <= 1, calcium can reach at most 200 + 300 = 500 mg.
    bounds = (FoodBound(food_id="a", max=2), FoodBound(food_id="c", max=1))
    t = targets(NutrientBound(nutrient="protein", min=20), NutrientBound(nutrient="calcium", min=1000), foods=bounds)
    with pytest.raises(ConflictError) as err:
        solve_basket(tiny_table(), t)
    assert err.value.exit_code == 3
    assert err.value.problems == ["calcium minimum 1000 mg: at most 500 mg can be reached while the other bounds hold"]


def test_infeasible_when_no_food_has_the_nutrient():
    with pytest.raises(ConflictError) as err:
        solve_basket(tiny_table(), targets(*BASE, NutrientBound(nutrient="vitamin_d", min=5)))
    assert err.value.problems == [
        "vitamin_d minimum 5 µg: no food in the table has any vitamin_d (known values are all 0 or missing)"
    ]


def test_infeasible_maximum_names_the_least_reachable():
    # The least sodium that still meets protein and calcium is 300 mg (a = 3).
    # Calcium per mg of sodium is 1 in both a and c, so calcium >= 300 needs sodium >= 300; and with
    # sodium <= 250 (and protein >= 20), calcium reaches 250. Either bound alone is to blame.
    with pytest.raises(ConflictError) as err:
        solve_basket(tiny_table(), targets(*BASE, NutrientBound(nutrient="sodium", max=250)))
    assert err.value.message.endswith("Easing any one of these would fix it:")
    assert err.value.problems == [
        "calcium minimum 300 mg: at most 250 mg can be reached while the other bounds hold",
        "sodium maximum 250 mg: it cannot go below 300 mg while the other bounds hold",
    ]


def test_conflict_needing_two_bounds_eased_uses_the_elastic_model():
    # Neither vitamin D minimum nor the sodium maximum alone explains it: both must give.
    t = targets(*BASE, NutrientBound(nutrient="vitamin_d", min=5), NutrientBound(nutrient="sodium", max=250))
    with pytest.raises(ConflictError) as err:
        solve_basket(tiny_table(), t)
    assert err.value.message.endswith("These bounds have to be eased together:")
    assert "vitamin_d minimum 5 µg: eased to 0 µg in the smallest joint easing" in err.value.problems


# --- Stigler's diet problem ---------------------------------------------------------------------


def stigler_table() -> FoodTable:
    from mealplan.food_data.loading import load_tables

    return load_tables([EXAMPLE / "commodities.csv"], bundled=False)


def test_stigler_example_reaches_the_known_optimum():
    table = stigler_table()
    assert len(table) == 77 and table.basis == "$1"
    result = solve_basket(table, load_basket_targets(EXAMPLE / "targets.csv"), "cost")
    # $0.10866 a day, $39.66 a year (the exact LP optimum on Stigler's 1939 data).
    assert result.objective_value == pytest.approx(0.108662, rel=1e-3)
    assert result.objective_value * 365 == pytest.approx(39.66, rel=1e-3)
    assert set(amounts(result)) == {
        "wheat_flour_enriched",
        "liver_beef",
        "cabbage",
        "spinach",
        "navy_beans_dried",
    }
    by = {n.nutrient: n for n in result.nutrients}
    assert by["calcium"].unit == "mg" and by["calcium"].min == pytest.approx(800)  # 0.8 g converted
    for n in result.nutrients:
        assert n.amount >= n.min * (1 - 1e-9)
    assert {b.split()[0] for b in result.binding} == {
        "energy",
        "calcium",
        "vitamin_a_iu",
        "riboflavin",
        "vitamin_c",
    }


def test_stiglers_own_five_foods_cost_more_than_the_optimum():
    # Stigler's 1939 hand solution used evaporated milk instead of beef liver; restricted to his five
    # foods the exact LP costs $39.80 a year, above the $39.66 optimum.
    table = stigler_table()
    five = ["wheat_flour_enriched", "evaporated_milk_can", "cabbage", "spinach", "navy_beans_dried"]
    only = FoodTable(foods=table.foods.loc[five], measures=table.measures, units=table.units, basis=table.basis)
    result = solve_basket(only, load_basket_targets(EXAMPLE / "targets.csv"))
    assert result.objective_value * 365 == pytest.approx(39.80, rel=1e-3)
    assert set(amounts(result)) == set(five)


# --- targets files ------------------------------------------------------------------------------


def test_load_csv_targets():
    t = load_basket_targets(FIXTURES / "basket_targets.csv")
    assert [(b.nutrient, b.min, b.max, b.unit) for b in t.nutrients] == [
        ("protein", 20.0, None, "g"),
        ("calcium", 0.3, None, "g"),
    ]
    assert solve_basket(tiny_table(), t).objective_value == pytest.approx(8 / 3)


def test_load_yaml_targets_with_food_bounds():
    t = load_basket_targets(FIXTURES / "basket_targets.yaml")
    assert t.foods == [FoodBound(food_id="a", max=1.5)]
    assert solve_basket(tiny_table(), t).objective_value == pytest.approx(3.25)


def test_csv_targets_problems_are_collected(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text("nutrient,min,max\nprotein,abc,\ncalcium,,\n,1,\niron,5,2\n")
    with pytest.raises(ConfigError) as err:
        load_basket_targets(p)
    assert err.value.problems == [
        f"{p}: row 2, column 'min': 'abc' is not a number (leave the cell blank for no bound)",
        f"{p}: row 3: 'calcium' has neither a min nor a max",
        f"{p}: row 4, column 'nutrient': blank; name a nutrient column",
    ]
    p.write_text("nutrient,min,max\niron,5,2\niron,1,\n")
    with pytest.raises(ConfigError) as err:
        load_basket_targets(p)
    assert "iron: min 5 is above max 2" in str(err.value)


def test_csv_targets_bad_header(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text("nutrient,minimum,max\n")
    with pytest.raises(ConfigError, match="unknown column 'minimum', missing column 'min'"):
        load_basket_targets(p)


def test_duplicate_nutrients_rejected(tmp_path):
    p = tmp_path / "t.yaml"
    p.write_text("protein: {min: 1}\nProtein: {min: 2}\n")
    with pytest.raises(ConfigError, match="nutrient 'protein' is given more than once"):
        load_basket_targets(p)


def test_yaml_targets_typo_is_an_error(tmp_path):
    p = tmp_path / "t.yaml"
    p.write_text("protein: {minimum: 1}\n")
    with pytest.raises(ConfigError, match="protein: expected a mapping with min, max and optionally unit"):
        load_basket_targets(p)


def test_targets_file_suffix_checked(tmp_path):
    p = tmp_path / "t.txt"
    p.write_text("x")
    with pytest.raises(ConfigError, match="must end in .csv, .yaml, .yml or .json"):
        load_basket_targets(p)


def test_parse_food_bound():
    assert parse_food_bound("a=1:2") == FoodBound(food_id="a", min=1, max=2)
    assert parse_food_bound("wheat_flour=:0.5") == FoodBound(food_id="wheat_flour", max=0.5)
    assert parse_food_bound("x=0.25:") == FoodBound(food_id="x", min=0.25)
    for bad in ("a", "a=:", "a=x:1", "a=2:1", "a=-1:2"):
        with pytest.raises(InputError, match="^bound "):
            parse_food_bound(bad)


def test_unknown_food_in_bound_is_an_error():
    with pytest.raises(InputError, match="no food with id 'zz' in the food table"):
        solve_basket(tiny_table(), targets(*BASE, foods=(FoodBound(food_id="zz", max=1),)))


def test_empty_candidate_set_is_an_error():
    table = tiny_table(price=[np.nan] * 3, source=[SR24_SOURCE] * 3)
    with pytest.raises(InputError, match="no food in the tables has a price"):
        solve_basket(table, targets(*BASE))
    assert issubclass(FoodDataError, InputError)


def test_a_tiny_amount_of_a_food_with_huge_values_is_reported_not_rounded_away():
    """5e-10 units of a food with 3.7e6 mg calcium per unit is the 0.002 mg the bound asks for (found
    by hypothesis: the amount was zeroed as solver noise, leaving a reported total below the minimum)."""
    from tests.optimizer.conftest import tiny_table

    table = tiny_table(t_tofu={"calcium": 3.7e6})
    targets = BasketTargets(nutrients=[NutrientBound(nutrient="calcium", min=0.001953125)])
    result = solve_basket(table, targets, "weight")
    assert [f.food_id for f in result.foods] == ["t_tofu"]
    assert result.nutrients[0].amount == pytest.approx(0.001953125)


# --- tables as people write them ----------------------------------------------------------------


def stigler_as_published(tmp_path: Path) -> tuple[Path, Path]:
    """Stigler's table in the shape it is usually typed in: a text ``unit`` column (the 1939
    purchase unit), ``notes`` and ``source`` columns, and targets with no ``max`` column."""
    import csv

    with (EXAMPLE / "commodities.csv").open(newline="") as fh:
        rows = list(csv.reader(fh))
    foods = tmp_path / "stigler_foods.csv"
    with foods.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow([*rows[0][:2], "unit", *rows[0][2:], "notes", "source"])
        for i, r in enumerate(rows[1:]):
            unit = "10 lb." if r[0] == "wheat_flour_enriched" else "1 lb."  # text, e.g. "14.5 oz."
            w.writerow([*r[:2], unit, *r[2:], "typed in" if i % 2 else "", "Stigler 1945"])
    targets = tmp_path / "stigler_targets.csv"
    lines = (EXAMPLE / "targets.csv").read_text().splitlines()
    targets.write_text(
        "nutrient,min,unit\n" + "".join(f"{n},{lo},{u}\n" for n, lo, _, u in (x.split(",") for x in lines[1:]))
    )
    return foods, targets


def test_text_columns_and_a_targets_file_without_max_give_stiglers_optimum(tmp_path):
    from mealplan.food_data.loading import load_tables

    foods, target_file = stigler_as_published(tmp_path)
    table = load_tables([foods], bundled=False)
    assert table.rows["unit"][0] == "10 lb." and "unit" not in table.units and "notes" not in table.units
    t = load_basket_targets(target_file)
    assert all(b.max is None for b in t.nutrients) and len(t.nutrients) == 9
    result = solve_basket(table, t, "cost")
    assert result.objective_value == pytest.approx(0.108662, rel=1e-3)
    said = [n for n in result.notes if n.startswith("read as nutrients:")]
    assert said == [
        "read as nutrients: energy, protein, calcium, iron, vitamin_a_iu, thiamin, riboflavin, niacin, vitamin_c; "
        "kept as text: unit, notes, source_note"
    ]


def test_a_numeric_unknown_column_is_a_custom_nutrient_and_a_text_one_is_not(tmp_path):
    from mealplan.food_data.importers import read_user_csv

    p = tmp_path / "foods.csv"
    p.write_text("id,name,per,price,unit,fibre_score,protein\nx,X,$1,1,1 lb.,3,10\ny,Y,$1,2,14.5 oz.,,30\n")
    table = read_user_csv(p)
    assert table.nutrient_columns == ["protein", "fibre_score"]
    assert table.rows["unit"].tolist() == ["1 lb.", "14.5 oz."]
    t = BasketTargets(nutrients=[NutrientBound(nutrient="protein", min=30)])
    result = solve_basket(table, t)
    assert result.notes[0] == "read as nutrients: protein, fibre_score; kept as text: unit"


def test_text_in_a_known_nutrient_column_is_still_an_error(tmp_path):
    from mealplan.food_data.importers import read_user_csv

    p = tmp_path / "foods.csv"
    p.write_text("id,name,unit,protein\nx,X,1 lb.,lots\n")
    with pytest.raises(FoodDataError) as err:
        read_user_csv(p)
    assert err.value.problems == [
        f"{p}: row 2, column 'protein': 'lots' is not a number (leave the cell blank when unknown)"
    ]


def test_csv_targets_max_column_is_optional_but_min_is_not(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text("nutrient,min\nprotein,20\ncalcium,300\n")
    assert [(b.nutrient, b.min, b.max) for b in load_basket_targets(p).nutrients] == [
        ("protein", 20.0, None),
        ("calcium", 300.0, None),
    ]
    p.write_text("nutrient,max\nsodium,2000\n")
    with pytest.raises(ConfigError, match="missing column 'min'; the columns are nutrient, min and optionally max"):
        load_basket_targets(p)
