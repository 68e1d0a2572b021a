"""Issue 14 target rules: medicines and potassium, sodium and water, the UL margin, fortified-food
ULs, vegetarian iron and zinc, B12 from fortified foods. One test (at least) per rule; each fails
without its rule."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from mealplan.cli.main import cli
from mealplan.errors import FoodDataError
from mealplan.food_data.reference import Intake, life_stages, reference_intakes
from mealplan.food_data.target_rules import TARGET_RULES_FILE, factor_rule_ids, load_target_rules
from mealplan.optimizer.planner import make_plan
from mealplan.optimizer.solve import solve
from mealplan.optimizer.upper_limits import ul_text
from mealplan.report.view import build_view
from mealplan.targets.adjustments import discourage_above, food_maximum
from mealplan.targets.compute import compute_targets
from mealplan.targets.profile_files import profile_from_dict
from mealplan.triage import load_knowledge
from mealplan.verify.verifier import verify_plan
from tests.optimizer.test_meals import NUTRIENTS, solved, spec, targets
from tests.optimizer.test_targets import person, triage_for


def patient(**fields):
    """A person; kidney disease comes with its stage (issue 27: without one the targets are refused)."""
    if "kidney-disease" in fields.get("factors", []):
        fields = {"weight_kg": 80, "conditions": {"ckd": {"stage": 2}}, **fields}
    return person(**fields)


RETAINING = ["potassium-sparing-diuretic", "ace-inhibitor-or-arb", "kidney-disease", "diuretics"]
WASTING = ["loop-diuretic", "thiazide-diuretic"]
ANY_DIURETIC = ["diuretics", "loop-diuretic", "thiazide-diuretic", "potassium-sparing-diuretic"]
# One age and sex per life-stage group (pregnancy and lactation at 25).
STAGES = [
    (2, "female", {}), (6, "male", {}), (11, "male", {}), (11, "female", {}), (16, "male", {}), (16, "female", {}),
    (25, "male", {}), (40, "male", {}), (60, "male", {}), (75, "male", {}), (25, "female", {}), (40, "female", {}),
    (60, "female", {}), (75, "female", {}), (25, "female", {"pregnant": True}), (25, "female", {"lactating": True}),
]  # fmt: skip


# --- the rules file -------------------------------------------------------------------------------


def test_every_factor_the_rules_name_is_a_triage_factor():
    known = set(load_knowledge().factors)
    assert factor_rule_ids(load_target_rules()) <= known


def test_a_damaged_rules_file_names_the_field(tmp_path):
    bad = tmp_path / "target_rules.yaml"
    bad.write_text(TARGET_RULES_FILE.read_text(encoding="utf-8").replace("share: 0.9", "share: 2"), encoding="utf-8")
    with pytest.raises(FoodDataError) as exc:
        load_target_rules.__wrapped__(bad)
    assert str(bad) in str(exc.value) and any("ul_margin.share" in p for p in exc.value.problems)


# --- potassium ------------------------------------------------------------------------------------


@pytest.mark.parametrize("factor", RETAINING)
def test_potassium_capped_near_the_ai_where_it_may_be_retained(factor):
    tg = compute_targets(patient(age=72, sex="male", factors=[factor]), triage_for({"potassium": 10}))
    k = tg.items["potassium"]
    assert (k.min, k.max) == (3400, pytest.approx(3740))  # AI, and 1.1 x AI
    assert k.max_source.startswith(f"1.1 x AI ({factor}): NASEM 2019")
    assert "goal kept" in k.min_source and k.priority == 5  # suspected: priority only, never raised
    assert any(n.startswith("Potassium:") and "prescriber" in n for n in tg.notes)
    assert ("unknown type" in k.max_source) == (factor == "diuretics")


@pytest.mark.parametrize("factor", WASTING)
def test_potassium_never_raised_for_loop_and_thiazide_diuretics(factor):
    tg = compute_targets(patient(age=72, sex="male", factors=[factor]), triage_for({"potassium": 10}))
    k = tg.items["potassium"]
    assert k.min == 3400 and k.priority == 5 and f"{factor}: ask the prescriber" in k.min_source
    assert k.max is None  # potassium-wasting: no hard cap, and no raise either
    assert k.soft_max == pytest.approx(4250) and k.max_source.startswith(
        f"no UL; above 1.25 x AI discouraged ({factor})"
    )
    assert any("check it" in n and factor in n for n in tg.notes)


def test_potassium_is_raised_and_uncapped_without_those_factors():
    k = compute_targets(patient(age=72, sex="male"), triage_for({"potassium": 10})).items["potassium"]
    assert k.min > 3400 and k.max is None
    assert not any(n.startswith("Potassium") for n in compute_targets(patient(age=72, sex="male")).notes)


# --- sodium and water -----------------------------------------------------------------------------


@pytest.mark.parametrize("keeper", [*ANY_DIURETIC, "ace-inhibitor-or-arb", "hypertension", "kidney-disease"])
@pytest.mark.parametrize("sweat", ["heavy-sweating", "endurance-exercise"])
def test_sweating_keeps_the_sodium_cdrr_with_a_diuretic_or_hypertension(sweat, keeper):
    na = compute_targets(patient(age=72, sex="male", factors=[sweat, keeper])).items["sodium"]
    assert na.max == 2300
    assert na.max_source.startswith("CDRR (sodium), men >70; ") and keeper in na.max_source and sweat in na.max_source


def test_sweating_alone_still_lifts_the_cdrr():
    na = compute_targets(patient(age=30, sex="male", factors=["heavy-sweating"])).items["sodium"]
    assert na.max is None and "not applied" in na.max_source


@pytest.mark.parametrize("factor", [*ANY_DIURETIC, "kidney-disease"])
def test_water_not_raised_with_a_diuretic_or_kidney_disease(factor):
    tg = compute_targets(patient(age=72, sex="male", factors=[factor]), triage_for({"water": 10}))
    w = tg.items["water"]
    assert w.min == 3700 and "not raised: IOM 2005" in w.min_source
    assert any(n.startswith("Fluids:") for n in tg.notes)


def test_water_is_raised_for_a_suspected_shortfall_otherwise():
    assert compute_targets(patient(age=72, sex="male"), triage_for({"water": 10})).items["water"].min > 3700


# --- upper limits ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("age", "sex", "extra"), STAGES)
def test_every_food_ul_becomes_a_maximum_at_90_percent(age, sex, extra):
    tg = compute_targets(patient(age=age, sex=sex, **extra))
    intakes = reference_intakes(age, sex, extra.get("pregnant", False), extra.get("lactating", False))
    capped = 0
    for nid, intake in intakes.items():
        t = tg.items[nid]
        if intake.ul is not None and intake.ul_limits_food and intake.ul_kind == "UL":
            assert t.ul == intake.ul and t.max == pytest.approx(0.9 * intake.ul), nid
            assert t.max_source.startswith("90 % of the UL") and "IOM 2003" in t.max_source
            capped += 1
        else:
            assert t.ul is None, nid
    assert capped >= 10


def test_a_minimum_above_the_margin_keeps_the_ul_and_says_so():
    intake = Intake(nutrient="zinc", unit="mg", amount=38, kind="RDA", ul=40, ul_kind="UL", ul_applies_to="food",
                    source="test", note="", per_kg=None, life_stage="men 19-30")  # fmt: skip
    assert food_maximum("zinc", intake, 38, "men 19-30", set()) == (
        40,
        "UL, men 19-30 (the minimum needs more than 90 % of it)",
        40,
    )


def test_intakes_far_above_the_target_are_discouraged_from_half_the_ul():
    iron = compute_targets(patient(age=34, sex="male")).items["iron"]
    assert iron.soft_max == pytest.approx(22.5)  # half the 45 mg UL, above the 8 mg RDA
    assert discourage_above(30, 40.5, 45) == 30  # never below the minimum
    assert discourage_above(8, None, None) is None


def _calcium(built, day) -> float:
    """grams of each dish ingredient (x) and pool food (n steps) x calcium per 100 g."""
    dishes, steps = {d.id: d for d in day.dishes}, {f.id: f.step_g for f in day.foods}
    grams = [(dishes[j].foods[i], v.value() or 0.0) for (j, _, i), v in built.x.items()]
    grams += [(f, (v.value() or 0.0) * steps[f]) for (f, _, _), v in built.n.items()]
    return sum(NUTRIENTS[f][4] * g / 100.0 for f, g in grams)


def _polished(built):
    built.polish_objective()  # as the planner's polish step: binaries fixed, an LP
    assert solve(built.prob, relax=True, time_limit=20).has_solution
    return built


def test_the_polish_pays_for_intake_above_a_uls_soft_maximum():
    day = spec(goals={"calcium": 300.0})
    plain = targets(calcium=300)
    ca = plain.items["calcium"].model_copy(update={"ul": 2500.0, "soft_max": 300.0})
    soft = plain.model_copy(update={"items": {"calcium": ca}})
    assert _calcium(_polished(solved(day, t=plain)), day) > 400  # nothing holds it down
    assert _calcium(_polished(solved(day, t=soft)), day) < 400  # amounts move down within the chosen meals


def test_the_day_model_pays_for_intake_above_a_soft_maximum_without_a_ul():
    day = spec(goals={"calcium": 300.0})
    plain = targets(calcium=300)
    ca = plain.items["calcium"].model_copy(update={"soft_max": 300.0})  # as potassium with a thiazide
    soft = plain.model_copy(update={"items": {"calcium": ca}})
    assert _calcium(solved(day, t=plain), day) > 400
    assert _calcium(solved(day, t=soft), day) == pytest.approx(300, abs=1)  # the MILP itself pays


@pytest.mark.parametrize(("column", "parent", "ul"), [("folic_acid", "folate", 1000), ("niacin_added", "niacin", 35),
                                                      ("vitamin_e_added", "vitamin_e", 1000)])  # fmt: skip
def test_fortified_food_uls_sit_on_the_added_columns(column, parent, ul):
    tg = compute_targets(patient(age=40, sex="female"))
    t = tg.items[column]
    assert (t.min, t.max, t.ul) == (None, pytest.approx(0.9 * ul), ul)
    assert tg.items[parent].max is None and f"counted on {column}" in tg.items[parent].max_source
    assert len({s for s in life_stages() if column in reference_intakes(*_any_person(s))}) == 20


def _any_person(stage: str) -> tuple[float, str, bool, bool]:
    """An age, sex and state that fall in ``stage`` (for reference_intakes)."""
    ages = {"children 1-3": 2, "children 4-8": 6}
    if stage in ages:
        return ages[stage], "female", False, False
    group, band = stage.split(" ", 1)
    age = 75 if band == ">70" else float(band.split("-")[0])
    sex = "male" if group in ("boys", "men") else "female"
    return age, sex, group == "pregnancy", group == "lactation"


# --- diets ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("diet", ["vegetarian", "vegan"])
def test_vegetarian_iron_and_zinc(diet):
    tg = compute_targets(patient(age=30, sex="female", diet=diet))
    assert tg.items["iron"].min == pytest.approx(18 * 1.8) and "x 1.8" in tg.items["iron"].min_source
    assert tg.items["zinc"].min == pytest.approx(8 * 1.5) and "x 1.5" in tg.items["zinc"].min_source
    assert "IOM 2001" in tg.items["iron"].min_source and "IOM 2001" in tg.items["zinc"].min_source


@pytest.mark.parametrize("diet", ["omnivore", "pescatarian"])
def test_other_diets_keep_the_rda(diet):
    tg = compute_targets(patient(age=30, sex="female", diet=diet))
    assert (tg.items["iron"].min, tg.items["zinc"].min) == (18, 8)


def test_a_pregnant_vegetarian_iron_minimum_is_held_at_the_margin():
    iron = compute_targets(patient(age=30, sex="female", diet="vegetarian", pregnant=True)).items["iron"]
    assert iron.min == pytest.approx(40.5) and iron.max == pytest.approx(40.5)  # 27 x 1.8 = 48.6 > 90 % of 45
    assert "held at 90 % of the UL" in iron.min_source and "ask the clinician" in iron.min_source


@pytest.mark.parametrize(
    ("age", "factors", "expected"),
    [(51, [], True), (50, [], False), (30, ["acid-reducers"], True), (30, ["metformin"], True), (30, [], False)],
)
def test_b12_from_fortified_foods(age, factors, expected):
    tg = compute_targets(patient(age=age, sex="male", factors=factors))
    t = tg.items.get("vitamin_b12_added")
    assert (t is not None) == expected
    if t is not None:
        assert t.min == 2.4 and t.weekly and "fortified foods" in t.min_source and "IOM 1998" in t.min_source
        assert any(n.startswith("Vitamin B12:") and "fortified foods" in n for n in tg.notes)
    else:
        assert not any(n.startswith("Vitamin B12:") for n in tg.notes)


# --- the targets command --------------------------------------------------------------------------


def test_targets_command_shows_the_rules_and_their_sources(tmp_path):
    profile = tmp_path / "p.yaml"
    profile.write_text("id: k\nage: 72\nsex: male\nfactors: [spironolactone, hot weather, hypertension]\n")
    result = CliRunner().invoke(cli, ["targets", "--profile", str(profile), "--format", "json"])
    assert result.exit_code == 0, result.output
    tg = json.loads(result.output)["targets"]
    assert tg["items"]["potassium"]["max"] == pytest.approx(3740)
    assert tg["items"]["sodium"]["max"] == 2300 and "hypertension" in tg["items"]["sodium"]["max_source"]
    assert any("prescriber" in n for n in tg["notes"])
    table = CliRunner().invoke(cli, ["targets", "--profile", str(profile)])
    assert table.exit_code == 0 and "Note: Potassium: kept near the AI" in " ".join(table.output.split())


# --- end to end on the bundled table --------------------------------------------------------------


@pytest.mark.solve
def test_a_diuretic_in_hot_weather_gets_a_verified_plan_within_the_rules(bundled):
    profile = profile_from_dict(
        {"id": "spiro", "age": 72, "sex": "male", "weight_kg": 80, "height_cm": 175, "activity": "low",
         "factors": ["spironolactone", "hot weather", "hypertension"], "symptoms": ["muscle-cramps"]}
    )  # fmt: skip
    plan = make_plan(profile, bundled, days=2)
    assert verify_plan(plan, bundled).problems == []
    k, na = plan.targets.items["potassium"], plan.targets.items["sodium"]
    assert (k.max, na.max) == (pytest.approx(3740), 2300)
    for day in plan.days:
        assert day.totals["potassium"].amount <= 3740 * 1.001
        assert day.totals["sodium"].amount <= 2300 * 1.001
    assert plan.highest_ul is not None and plan.highest_ul.pct_of_ul <= 90.1
    by_hand = max(
        (d.totals[n].amount / t.ul * 100, n, d.index) for d in plan.days for n, t in plan.targets.items.items() if t.ul
    )
    peak = plan.highest_ul
    assert peak.pct_of_ul == pytest.approx(by_hand[0], abs=0.05)  # ties may name another day or nutrient
    at = next(d for d in plan.days if d.index == peak.day).totals[peak.nutrient].amount
    assert peak.pct_of_ul == pytest.approx(at / plan.targets.items[peak.nutrient].ul * 100, abs=0.05)
    assert build_view(plan).ul_peak == ul_text(peak) and ul_text(peak).startswith(
        f"Highest share of an upper limit: {peak.name.lower()} {peak.pct_of_ul:.0f} % of the UL"
    )
    assert any("prescriber" in n and n.startswith("Potassium:") for n in plan.solve.notes)
    assert any(n.startswith("Vitamin B12:") for n in plan.solve.notes)
