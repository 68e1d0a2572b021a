"""Profiles: who a person is, what they eat and what they feel, read from YAML, TOML or JSON.

A profile file is validated strictly: unknown keys are errors (with the closest valid key
suggested), every value is checked against what is allowed, and all problems are reported together
in one :class:`~mealplan.errors.ConfigError`, each naming the file, the field path, the bad value
and what is allowed.

Field notes:

- ``activity``: ``sedentary``, ``low`` (the default), ``active``, ``very_active``: the NASEM 2023 EER
  equations' physical-activity categories inactive, low active, active and very active
  (``food_data/data/energy.yaml``).
- ``appetite``: ``normal`` (the default) or ``poor``: smaller volume, energy-dense foods, a cap on the
  day's grams of food and drink and a lower fibre ceiling (see :mod:`targets.compute`); the triage
  symptom ``poor-appetite`` implies it.
- ``allergies``: ids from ``food_data.vocab.ALLERGENS``; synonyms such as ``dairy``, ``lactose`` or
  ``nuts`` are accepted and stored as their id.
- ``exclude``, ``likes``, ``dislikes``: food ids (``09040``) or name patterns; a pattern with ``*``,
  ``?`` or ``[`` is a case-insensitive glob on the food name, otherwise a case-insensitive substring
  (see :func:`food_matches`). A group word (``fish``, ``seafood``, ``shellfish``, ``meat``, ``red
  meat``, ``beef``, ``pork``, ``poultry``, ``dairy``, ``eggs``, ``nuts``, ``mushrooms``, ``legumes``;
  ``food_data/data/curation_food_groups.yaml``) also names the group's foods by their category,
  allergen tags and name words: ``fish`` names "Salmon, sockeye, canned".
- ``meals``: slots from ``food_data.vocab.SLOTS``, each at most once, in the order given.
- ``nutrients``: the dietitian's bounds per day, ``{min: .., max: ..}`` or a bare number meaning a
  minimum, keyed by nutrient id, name or alias (stored under the registry id); ``energy`` here
  overrides the energy range.
- ``symptoms``, ``factors``: triage vocabulary ids or synonyms, stored as ids.
- ``prices``: a CSV of ``id,price`` per 100 g, relative to the profile file's folder.
- ``trimester`` (1-3) refines the pregnancy energy increment; it is optional.
- ``dish_max_per_week`` (1-7, default 1): a lunch or dinner dish is cooked at most this many times in
  a week, a leftover lunch being the same cooking (a breakfast on at most three days, a snack three
  times: the plan's meal rules).
- ``leftovers``: a dinner dish is cooked for two portions and the second is the next day's lunch.
- ``require``: foods (id) or dishes (dish id) the plan must serve, each ``{food, days, meal, grams}``
  or the short form ``ID[@DAYS][:MEAL][=GRAMS]`` (``12166@2,4:lunch=30``); without days, on the
  plan's first day; without grams, at least a quarter serving of a food. Hard rules.
- ``forbid``: food ids, name patterns (as ``exclude``) or dish ids the plan never serves. Hard.
- ``meals`` may list up to six occasions: breakfast, lunch and dinner once, and up to three snacks
  (``morning snack``, ``afternoon snack``, ``evening snack`` are snacks), named snack, snack2, snack3.
- ``diet_pattern``: ``low-carb``, ``mediterranean``, ``dash`` or ``high-protein``
  (``food_data/data/diet_patterns.yaml``, with sources): its macro ranges replace the AMDR.
- ``macros``: the dietitian's own ranges in percent of energy (``{carbohydrate: [20, 30]}``); they
  override the AMDR and the pattern. The plan's rules label every override.
- ``meal_shares``: a meal's share of the day's energy by its plan name (``{breakfast: 0.25,
  snack2: 0.1}``); the meal is held within 5 points of it. At most 1 in all.
- ``conditions``: chronic kidney disease (``ckd``: stage or eGFR, dialysis, potassium and phosphate
  blood results, the renal team's limits), bariatric surgery (``bariatric``: procedure, months
  since), ``lactose_intolerance`` (a lactose limit per sitting, 12 g unless given) and
  ``heavy_menstrual_bleeding`` (see :mod:`targets.profile_clinical`; docs/clinical-scope.md).
- ``medicines``: medicines as triage vocabulary (``warfarin``, ``furosemide``, ``lisinopril``): the
  same ids as ``factors``, listed apart for the clinician.
- ``usual_vitamin_k_ug``, ``vitamin_k_band_pct``: with warfarin, vitamin K is kept every day within
  ``vitamin_k_band_pct`` (20) percent of the usual intake (the AI when not given).
- ``hot_drinks``: the coffee and tea the person drinks (``coffee``, ``tea``, ``decaf``, ``herbal tea``;
  ``none``); not given: no restriction for adults, none under 18.
- ``supplements``: supplements already taken, as the clinician set them (``{nutrient, amount, unit,
  name, counts_toward_target}``): counted against upper limits, never suggested or dosed.
- ``units``: ``metric`` (g, mL; the default) or ``us`` (oz, lb, fl oz) in the client's handout.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from mealplan.errors import InputError
from mealplan.food_data.vocab import ALLERGEN_SYNONYMS, ALLERGENS, slot_names, split_tags
from mealplan.targets.profile_clinical import (
    HOT_DRINKS,
    Conditions,
    HotDrink,
    Supplement,
    hot_drinks_list,
    nutrient_id,
)

PROFILE_SUFFIXES = {".yaml": "yaml", ".yml": "yaml", ".toml": "toml", ".json": "json"}
DEFAULT_MEALS: tuple[Literal["breakfast", "lunch", "dinner", "snack"], ...] = ("breakfast", "lunch", "dinner", "snack")

# Ages for which pregnancy or lactation is plausible; the DRI groups cover 14-50 and the nearest
# group is used outside it.
PREGNANCY_AGES = (10, 60)
# A profile is a few hundred bytes; a file far larger is not a profile (and is not read into memory).
MAX_PROFILE_BYTES = 1024 * 1024


def _split_list(value: Any) -> Any:
    """Accept ``"milk; egg"`` (batch rows, command lines) as well as a list."""
    if isinstance(value, str):
        return split_tags(value)
    return value


def _allergen(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    key = value.strip().lower()
    key = ALLERGEN_SYNONYMS.get(key, key).replace("-", "_").replace(" ", "_")
    if key not in ALLERGENS:
        raise ValueError(
            f"unknown allergen {value!r}; allowed: {', '.join(ALLERGENS)} "
            f"(synonyms: {', '.join(sorted(ALLERGEN_SYNONYMS))})"
        )
    return key


def _lower(value: Any) -> Any:
    return value.strip().lower() if isinstance(value, str) else value


# Up to six eating occasions: breakfast, lunch and dinner once each, and up to three snacks; a snack's
# time of day may be named ("morning snack") and the plan calls them snack, snack2, snack3 in order.
SNACK_WORDS = ("morning snack", "afternoon snack", "evening snack", "morning_snack", "afternoon_snack", "evening_snack")
MAX_SNACKS = 3


def _meal(value: Any) -> Any:
    value = _lower(value)
    return "snack" if value in SNACK_WORDS else value


def _diet_pattern(value: str | None) -> str | None:
    from mealplan.food_data.diet_patterns import load_diet_patterns

    known = load_diet_patterns()
    if value is not None and value not in known:
        raise ValueError(f"unknown diet pattern {value!r}; allowed: {', '.join(known)}")
    return value


def _range(value: tuple[float, float]) -> tuple[float, float]:
    lo, hi = value
    if not 0 <= lo <= hi <= 100:
        raise ValueError(f"{lo:g}-{hi:g} is not a range of percent of energy: give [low, high] within 0-100")
    return value


def _no_bool(value: Any) -> Any:
    # YAML reads yes/no/true/on as booleans, and pydantic would take True as the number 1 (``age: yes``
    # gave a one-year-old's targets); a number field takes numbers only.
    if isinstance(value, bool):
        word = str(value).lower()
        raise PydanticCustomError("not_a_number", "a number is needed, not {word} (yes/no/true/false are not numbers)",
                                  {"word": word})  # fmt: skip
    return value


_NUMBER_FIELDS: tuple[str, ...] = ("age", "trimester", "weight_kg", "height_cm", "energy_kcal", "budget")
_NUMBER_FIELDS += ("symptom_days", "dish_max_per_week", "usual_vitamin_k_ug", "vitamin_k_band_pct")


def _sex(value: Any) -> Any:
    if isinstance(value, str):
        key = value.strip().lower()
        return {"f": "female", "m": "male", "woman": "female", "man": "male"}.get(key, key)
    return value


def _triage_term(kind: Literal["symptom", "factor"], value: str) -> str:
    # Resolved through the triage vocabulary so synonyms ("charley horse", "PPI") are accepted and
    # stored as ids; an unknown term is reported with the closest id.
    from mealplan.triage import normalize_terms

    try:
        return normalize_terms(kind, [value])[0]
    except InputError as exc:
        detail = "; ".join(exc.problems) or str(exc)
        raise ValueError(f"{detail} ('mealplan triage --list' shows them all)") from None


def _profile_id(value: str) -> str:
    if not _ID_RE.fullmatch(value):
        raise ValueError(
            "an id is 1-64 letters, digits, '_', '.' or '-', starting with a letter or digit (it names output files)"
        )
    return value


_ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}")

Allergen = Annotated[str, BeforeValidator(_allergen)]
Symptom = Annotated[str, AfterValidator(lambda v: _triage_term("symptom", v))]
Factor = Annotated[str, AfterValidator(lambda v: _triage_term("factor", v))]
NutrientId = Annotated[str, BeforeValidator(nutrient_id)]
Pattern = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Slot = Annotated[Literal["breakfast", "lunch", "dinner", "snack"], BeforeValidator(_meal)]
StrList = Annotated[list[Pattern], BeforeValidator(_split_list)]
Activity = Annotated[Literal["sedentary", "low", "active", "very_active"], BeforeValidator(_lower)]
Diet = Annotated[Literal["vegan", "vegetarian", "pescatarian", "omnivore"], BeforeValidator(_lower)]


class NutrientBound(BaseModel):
    """A dietitian's per-day bound for one nutrient; give ``min``, ``max`` or both (``min <= max``)."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    min: float | None = Field(default=None, ge=0)
    max: float | None = Field(default=None, ge=0)

    _numbers = field_validator("min", "max", mode="before")(_no_bool)

    @model_validator(mode="before")
    @classmethod
    def _bare_number(cls, data: Any) -> Any:
        if isinstance(data, int | float) and not isinstance(data, bool):
            return {"min": data}
        return data

    @model_validator(mode="after")
    def _ordered(self) -> NutrientBound:
        if self.min is None and self.max is None:
            raise ValueError("give min, max or both")
        if (big := max(self.min or 0, self.max or 0)) >= 1e15:  # HiGHS reads 1e20 as infinity
            raise ValueError(f"{big:g} is beyond any physical daily amount; give one below 1e15")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min {self.min:g} is above max {self.max:g}; min must be <= max")
        return self


_REQUIRE_RE = re.compile(r"(?P<food>[^@:=\s]+)(?:@(?P<days>[\d,\s]+))?(?::(?P<meal>[A-Za-z]+))?(?:=(?P<grams>.+))?")


def parse_requirement(text: str) -> dict[str, Any]:
    """``ID[@DAYS][:MEAL][=GRAMS]`` as a requirement's fields (``09040@2,4:snack=100``)."""
    m = _REQUIRE_RE.fullmatch(text.strip())
    if m is None:
        raise ValueError(f"{text!r} is not ID[@DAYS][:MEAL][=GRAMS], e.g. 12166@2:lunch=30 or lentil-soup@3")
    out: dict[str, Any] = {"food": m["food"]}
    if m["days"]:
        out["days"] = [int(d) for d in m["days"].replace(" ", "").split(",") if d]
    if m["meal"]:
        out["meal"] = m["meal"]
    if m["grams"] is not None:
        out["grams"] = m["grams"]
    return out


class Requirement(BaseModel):
    """A food or dish the plan must serve: on ``days`` (the first day when none), at ``meal`` (any when
    None), ``grams`` of a food (at least a quarter serving when None)."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    food: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
    days: list[Annotated[int, Field(ge=1, le=7)]] = []
    meal: Slot | None = None
    grams: float | None = Field(default=None, gt=0, le=2000)

    @model_validator(mode="before")
    @classmethod
    def _short_form(cls, data: Any) -> Any:
        return parse_requirement(data) if isinstance(data, str) else data

    _numbers = field_validator("grams", mode="before")(_no_bool)

    @field_validator("food")
    @classmethod
    def _padded(cls, value: str) -> str:
        return value.zfill(5) if value.isdigit() else value

    def label(self) -> str:
        """The rule in words: ``require 12166 on day 2 at lunch (30 g)``."""
        days = f" on day {', '.join(map(str, self.days))}" if self.days else ""
        meal = f" at {self.meal}" if self.meal else ""
        grams = f" ({self.grams:g} g)" if self.grams is not None else ""
        return f"require {self.food}{days}{meal}{grams}"


class Profile(BaseModel):
    """One person (or a dietitian's client): life stage, diet, exclusions, targets and symptoms.

    Only ``id``, ``age`` and ``sex`` are required. See the module docstring for the meaning of each
    field and what it accepts.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    id: Annotated[str, AfterValidator(_profile_id)]
    name: str | None = None
    age: int = Field(ge=1, le=120)
    sex: Annotated[Literal["female", "male"], BeforeValidator(_sex)]
    pregnant: bool = False
    lactating: bool = False
    trimester: int | None = Field(default=None, ge=1, le=3)
    weight_kg: float | None = Field(default=None, ge=5, le=350)
    height_cm: float | None = Field(default=None, ge=45, le=250)
    activity: Activity = "low"
    appetite: Annotated[Literal["normal", "poor"], BeforeValidator(_lower)] = "normal"
    diet: Diet = "omnivore"
    allergies: Annotated[list[Allergen], BeforeValidator(_split_list)] = []
    exclude: StrList = []
    likes: StrList = []
    dislikes: StrList = []
    meals: Annotated[list[Slot], BeforeValidator(_split_list)] = Field(
        default_factory=lambda: list(DEFAULT_MEALS), min_length=1
    )
    energy_kcal: float | None = Field(default=None, ge=500, le=6000)
    nutrients: dict[NutrientId, NutrientBound] = {}
    prices: Path | None = None
    budget: float | None = Field(default=None, gt=0)
    symptoms: Annotated[list[Symptom], BeforeValidator(_split_list)] = []
    factors: Annotated[list[Factor], BeforeValidator(_split_list)] = []
    symptom_days: int | None = Field(default=None, ge=0, le=36500)
    multiple_groups: bool = False
    worsening: bool = False
    severe_pain: bool = False
    suspected: Annotated[list[NutrientId], BeforeValidator(_split_list)] = []
    dish_max_per_week: int = Field(default=1, ge=1, le=7)
    leftovers: bool = False
    require: Annotated[list[Requirement], BeforeValidator(_split_list)] = []
    forbid: StrList = []
    meal_shares: dict[str, Annotated[float, Field(gt=0, le=0.9)]] = {}
    diet_pattern: Annotated[str | None, BeforeValidator(_lower), AfterValidator(_diet_pattern)] = None
    macros: dict[Literal["protein", "fat", "carbohydrate"], Annotated[tuple[float, float], AfterValidator(_range)]] = {}
    conditions: Conditions | None = None
    medicines: Annotated[list[Factor], BeforeValidator(_split_list)] = []
    usual_vitamin_k_ug: float | None = Field(default=None, gt=0, le=5000)
    vitamin_k_band_pct: float = Field(default=20, gt=0, le=50)
    hot_drinks: Annotated[
        list[HotDrink] | None,
        BeforeValidator(hot_drinks_list),
        WithJsonSchema({"anyOf": [{"type": "array", "items": {"type": "string", "enum": list(HOT_DRINKS)}},
                                  {"type": "string"}, {"type": "null"}]}),
    ] = None  # fmt: skip
    supplements: list[Supplement] = []
    units: Annotated[Literal["metric", "us"], BeforeValidator(_lower)] = "metric"

    _numbers = field_validator(*_NUMBER_FIELDS, mode="before")(_no_bool)

    def all_factors(self) -> list[str]:
        """The risk factors, medicines and the factors the conditions imply, in that order, once each."""
        return list(dict.fromkeys([*self.factors, *self.medicines, *self.condition_details().factor_ids()]))

    def condition_details(self) -> Conditions:
        """The conditions (an empty set when the profile names none)."""
        return self.conditions if self.conditions is not None else Conditions()

    @field_validator("allergies", "suspected", "symptoms", "factors", "medicines")
    @classmethod
    def _dedupe(cls, value: list[str]) -> list[str]:
        return list(dict.fromkeys(value))

    @model_validator(mode="before")
    @classmethod
    def _widespread_symptoms(cls, data: Any) -> Any:
        # "body twitching", "cramps all over": the wording says more than one muscle group, which
        # symptom ids cannot carry, so it sets multiple_groups before the terms become ids.
        from mealplan.triage import implies_multiple_groups

        if isinstance(data, dict):
            terms = _split_list(data.get("symptoms"))
            if isinstance(terms, list) and implies_multiple_groups(terms):
                return {**data, "multiple_groups": True}
        return data

    @field_validator("meals")
    @classmethod
    def _unique_meals(cls, value: list[str]) -> list[str]:
        repeated = sorted({m for m in value if value.count(m) > 1 and m != "snack"})
        if repeated:
            raise ValueError(
                f"{', '.join(repeated)} given more than once; breakfast, lunch and dinner may appear once, "
                f"snack up to {MAX_SNACKS} times"
            )
        if value.count("snack") > MAX_SNACKS:
            raise ValueError(f"snack given {value.count('snack')} times; at most {MAX_SNACKS} snacks (six occasions)")
        return value

    @model_validator(mode="after")
    def _shares(self) -> Profile:
        names = slot_names(self.meals)
        unknown = [k for k in self.meal_shares if k not in names]
        if unknown:
            raise ValueError(f"meal_shares: {', '.join(unknown)} is not a meal of this profile; its meals are "
                             f"{', '.join(names)}")  # fmt: skip
        total = sum(self.meal_shares.values())
        if total > 1.0 + 1e-9:
            raise ValueError(f"meal_shares add up to {total:g}; they are shares of the day's energy, at most 1")
        return self

    @model_validator(mode="after")
    def _cross_fields(self) -> Profile:
        problems = cross_field_problems(self.model_dump())
        if problems:
            raise PydanticCustomError("cross_field", "{problems}", {"problems": "\n".join(p for _, p in problems)})
        return self


def cross_field_problems(data: dict[str, Any]) -> list[tuple[str, str]]:
    """Rules between fields, as ``(field, message)`` pairs; tolerant of raw, unvalidated data."""
    problems: list[tuple[str, str]] = []
    sex = _sex(data.get("sex"))
    truthy = {True, "true", "yes", "on", "1"}

    def flag(name: str) -> bool:
        value = data.get(name)
        return (value.strip().lower() if isinstance(value, str) else value) in truthy

    pregnant, lactating = flag("pregnant"), flag("lactating")
    for name, on in (("pregnant", pregnant), ("lactating", lactating)):
        if on and sex == "male":
            problems.append((name, f"{name} is true but sex is 'male'; {name} applies to sex female only"))
    if pregnant and lactating:
        problems.append(
            (
                "lactating",
                "pregnant and lactating are both true; the reference intakes have no combined group: "
                "set the one that applies and raise particular nutrients under 'nutrients:'",
            )
        )
    conditions = data.get("conditions")
    hmb = isinstance(conditions, dict) and any(
        str(k).strip().lower().replace("-", "_").replace(" ", "_") in ("heavy_menstrual_bleeding", "heavy_periods")
        and v not in (False, None)
        for k, v in conditions.items()
    )
    hmb = hmb or (isinstance(conditions, list | str) and "heavy" in str(conditions).lower())
    if hmb and sex == "male":
        problems.append(("conditions", "heavy_menstrual_bleeding is given but sex is 'male'"))
    if data.get("trimester") is not None and not pregnant:
        problems.append(("trimester", f"trimester {data['trimester']!r} is given but pregnant is not true"))
    age = data.get("age")
    plausible = age if isinstance(age, int | float) and 1 <= age <= 120 else None
    if (pregnant or lactating) and plausible is not None and not PREGNANCY_AGES[0] <= plausible <= PREGNANCY_AGES[1]:
        lo, hi = PREGNANCY_AGES
        which = "pregnant" if pregnant else "lactating"
        problems.append(("age", f"age {age!r} with {which}: allowed {lo}-{hi} for pregnancy or lactation"))
    return problems


# --- reading files --------------------------------------------------------------------------------
