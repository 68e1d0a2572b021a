"""The energy file (food_data/data/energy.yaml): checked at load, and the figures built on it."""

from __future__ import annotations

import pytest
import yaml

from mealplan.errors import FoodDataError
from mealplan.food_data import energy
from mealplan.food_data.energy import ENERGY_FILE, fibre_ceiling, food_mass_cap, load_energy


def _damaged(tmp_path, change) -> FoodDataError:
    doc = yaml.safe_load(ENERGY_FILE.read_text(encoding="utf-8"))
    change(doc)
    path = tmp_path / "energy.yaml"
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    with pytest.raises(FoodDataError) as info:
        load_energy(path)
    return info.value


def test_bundled_file_loads_and_maps_every_activity():
    data = load_energy()
    assert data.activity == {
        "sedentary": "inactive",
        "low": "low_active",
        "active": "active",
        "very_active": "very_active",
    }
    assert [b.ages for b in data.bands][0] == (1, 3) and data.bands[-1].ages[1] > 100


def test_missing_category_is_named(tmp_path):
    def drop(doc):
        del doc["equations"]["adult"]["female"]["very_active"]

    err = _damaged(tmp_path, drop)
    assert "the energy equations have problems" in str(err)
    assert any("equations.adult" in p and "very_active" in p for p in err.problems)


def test_gap_in_age_bands_is_named(tmp_path):
    def gap(doc):
        doc["bands"][2]["ages"] = [5, 9]

    err = _damaged(tmp_path, gap)
    assert any("bands" in p and "gap" in p for p in err.problems)


def test_unknown_field_is_named(tmp_path):
    def typo(doc):
        doc["poor_appetite"]["min_energy_densty"] = 1.5

    err = _damaged(tmp_path, typo)
    assert any("poor_appetite.min_energy_densty" in p for p in err.problems)


def test_unknown_activity_and_age_are_errors():
    with pytest.raises(ValueError, match="allowed sedentary, low, active, very_active"):
        energy.eer(30, "female", 60, 165, "couch")
    with pytest.raises(ValueError, match="cover ages 1-120"):
        energy.eer(130, "female", 60, 165, "low")


def test_food_mass_cap_is_energy_over_density():
    density = load_energy().poor_appetite.min_energy_density
    assert food_mass_cap(1800) == pytest.approx(1800 / density)


def test_fibre_ceiling_per_energy_and_never_below_the_ai():
    cap, src = fibre_ceiling(2000, 25, poor_appetite=False)
    assert cap == pytest.approx(56.0) and "28 g per 1000 kcal" in src
    cap, src = fibre_ceiling(1600, 21, poor_appetite=True)
    assert cap == pytest.approx(22.4) and "poor appetite" in src
    cap, src = fibre_ceiling(1600, 30, poor_appetite=True)
    assert cap == 30 and "raised to the AI" in src


def test_activity_mapped_to_an_unknown_category_is_named(tmp_path):
    def couch(doc):
        doc["activity"]["sedentary"] = "couch"

    err = _damaged(tmp_path, couch)
    assert any(p.startswith("activity.sedentary: Input should be 'inactive'") for p in err.problems)
