"""The household file and the pantry CSV (targets/household.py, targets/pantry.py): strict schemas, every
problem named with its field, value and what is allowed; shared meals by day and weekday; pantry amounts
in grams, pieces, cups and packs, bought as the product."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from mealplan.errors import ConfigError
from mealplan.targets.household import household_from_dict, load_household
from mealplan.targets.pantry import bought, pantry_grams, read_pantry

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "households" / "home.yaml"
PROFILES = ROOT / "examples" / "profiles"


def household(tmp_path: Path, **fields):
    data = {"schema": 1, "id": "home", "members": [{"profile": str(PROFILES / "pregnant.yaml")},
                                                   {"profile": str(PROFILES / "older_diuretics.yaml")}]}  # fmt: skip
    data.update(fields)
    return household_from_dict(data, source="home.yaml", base_dir=tmp_path)


def problems(tmp_path: Path, **fields) -> list[str]:
    with pytest.raises(ConfigError) as err:
        household(tmp_path, **fields)
    assert err.value.message == "home.yaml: the household is not valid:"
    return err.value.problems


def test_the_example_household_reads_with_its_members_and_shared_meals():
    home = load_household(EXAMPLE)
    assert home.member_ids == ["pregnant", "father", "daughter", "child-toddler"]
    assert home.leftovers and home.pantry.name == "pantry.csv" and home.start == date(2026, 12, 14)
    slots = home.shared_slots(7, home.start)  # 2026-12-14 is a Monday: days 6 and 7 are the weekend
    assert sorted(slots) == [1, 2, 3, 4, 5, 6, 7]
    assert all(list(slots[d]) == ["dinner"] for d in range(1, 6))
    assert slots[6] == slots[7] == {"dinner": home.member_ids, "breakfast": home.member_ids}


def test_weekday_names_follow_the_start_date(tmp_path):
    home = household(tmp_path, shared=[{"meal": "dinner", "days": ["sat", "Sunday", 1]}])
    assert sorted(home.shared_slots(7, date(2026, 12, 17))) == [1, 3, 4]  # a Thursday: Sat, Sun are days 3, 4


def test_a_shared_meal_is_only_for_members_who_have_it(tmp_path):
    # the older man has breakfast, lunch and dinner: no snack to share
    assert problems(tmp_path, shared=[{"meal": "snack"}]) == [
        "shared[0].meal: 'snack' is a meal of 1 of its members (pregnant); a shared meal needs two; their meals: "
        "breakfast, dinner, lunch, snack"
    ]


def test_every_problem_is_named_with_field_value_and_what_is_allowed(tmp_path):
    found = problems(
        tmp_path,
        shared=[{"meal": "brunch"}, {"meal": "dinner", "days": ["funday", 30]}],
        members=[{"profile": "x.yaml", "client": "3"}],
        leftover=True,
    )
    assert "shared[0].meal: unknown meal 'brunch'; allowed: breakfast, lunch, dinner, snack, snack2, snack3 " \
           "(got 'brunch')" in found  # fmt: skip
    assert any(p.startswith("shared[1].days: 'funday' is not a day; allowed: day numbers 1-28") for p in found)
    assert any(p.startswith("members[0]: give one of profile (a profile file) or client") for p in found)
    assert "leftover: unknown field; did you mean leftovers?" in found


def test_members_are_checked_for_ids_clients_and_shared_names(tmp_path):
    same = {"profile": str(PROFILES / "pregnant.yaml")}
    found = problems(
        tmp_path, members=[same, same, {"client": 12}], shared=[{"meal": "dinner", "members": ["pregnat"]}]
    )
    assert found[0].startswith("members[2].client: '12' is a stored client; plan with the clients database")
    assert "members: the profile id 'pregnant' is given twice; every member needs their own profile id" in found


def test_a_stored_client_comes_from_the_lookup(tmp_path):
    from mealplan.targets.profile_files import load_profile

    father = load_profile(ROOT / "examples" / "households" / "father.yaml")
    home = household_from_dict(
        {"schema": 1, "id": "h", "members": [{"profile": str(PROFILES / "pregnant.yaml")}, {"client": "7"}]},
        client_profile=lambda cid: father if cid == "7" else None,
    )
    assert home.member_ids == ["pregnant", "father"]


def test_a_budget_needs_prices_and_paths_are_checked(tmp_path):
    found = problems(tmp_path, budget=30, pantry="missing.csv")
    assert f"pantry: file not found: {tmp_path / 'missing.csv'} (got 'missing.csv'; a relative path is taken from " \
           "the household file's folder)" in found  # fmt: skip
    assert "budget: 30 a day needs prices: give prices (a CSV of id,price per 100 g)" in found


# --- the pantry ------------------------------------------------------------------------------------


def test_the_example_pantry_in_grams_as_bought(bundled):
    pantry = read_pantry(EXAMPLE.parent / "pantry.csv", bundled)
    by_name = {i.name: i for i in pantry.items}
    assert by_name["eggs"].grams == pytest.approx(6 * 46, abs=6 * 5)  # six eggs by the table's egg
    assert by_name["Spinach, raw"].unit == "bag" and by_name["Spinach, raw"].use_by == date(2026, 12, 16)
    assert by_name["rolled oats"].food_id == "08120"  # several oats foods, one product: held as bought
    grams = pantry_grams(pantry, bundled)
    assert grams["brown rice"] == pytest.approx(by_name["Rice, brown, long-grain, raw"].grams)


def test_a_cooked_food_is_bought_dry(bundled):
    rice = bought("20037", bundled)  # brown rice, cooked
    assert (rice.product, rice.food_id) == ("brown rice", "20036")
    assert rice.factor == pytest.approx(0.30, abs=0.01)


def test_pantry_rows_are_checked_one_by_one(tmp_path, bundled):
    path = tmp_path / "pantry.csv"
    path.write_text(
        "food,amount,unit,use_by\n"
        "20037,2,cup,\n"
        "Spinach, raw,1,bag,\n"  # an unquoted comma: the name is "Spinach"
        "tofu,0,g,\n"
        '"Bananas, raw",3,crate,2026-13-01\n'
        "brown rice,1,kg,\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as err:
        read_pantry(path, bundled)
    found = err.value.problems
    assert len(found) == 3, found
    assert f'{path}, row 3: 5 cells but 4 columns; a name with a comma needs double quotes ("Spinach, raw")' in found
    assert f"{path}, row 4, column 'amount': '0' is not an amount; allowed: a number above 0" in found
    assert f"{path}, row 5, column 'use_by': '2026-13-01' is not a date; allowed: YYYY-MM-DD or empty" in found
    # 2 cups of cooked rice and "brown rice" (one product of several foods: held as bought) are fine


def test_a_unit_the_food_has_no_measure_for_lists_what_is_allowed(tmp_path, bundled):
    path = tmp_path / "pantry.csv"
    path.write_text('food,amount,unit\n"Bananas, raw",3,crate\n', encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        read_pantry(path, bundled)
    assert err.value.problems == [
        f"{path}, row 2, column 'unit': 'crate' is not a unit of Bananas, raw; allowed: g, kg, oz, lb, mL, L, cup, "
        "tbsp, tsp, fl oz, each, or a pack the product is sold in (can, jar, bag ...)"
    ]


def test_a_pantry_needs_food_and_amount_columns(tmp_path, bundled):
    path = tmp_path / "pantry.csv"
    path.write_text("item,grams\nrice,5\n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        read_pantry(path, bundled)
    assert err.value.message == (f"{path}: the pantry's header is item, grams; it needs the columns food and amount, "
                                 "and may have unit and use_by")  # fmt: skip
