"""The clinical parts of a profile: conditions with their details, supplements already taken, and the
coffee and tea habit. :class:`~mealplan.targets.profile.Profile` holds them; :mod:`targets.clinical`
turns them into targets (the rules and their sources are in ``food_data/data/clinical_rules.yaml``).

``conditions`` (a mapping, or a list of names for those that need no detail)::

    conditions:
      ckd: {stage: 3b, potassium_mmol_l: 5.3, renal_limits: {protein_g: 45, potassium_mg: 2000}}
      bariatric: {procedure: roux-en-y, months_since: 4}
      lactose_intolerance: {lactose_g_per_meal: 12}
      heavy_menstrual_bleeding: true

``supplements`` (what the person's clinician set; amounts per day in the nutrient's registry unit,
or ``unit: IU`` for vitamin D)::

    supplements:
      - {name: magnesium citrate, nutrient: magnesium, amount: 250}
      - {nutrient: vitamin_d, amount: 1000, unit: IU, counts_toward_target: true}
"""

from __future__ import annotations

import difflib
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema, field_validator, model_validator

from mealplan.food_data.nutrients import ALIASES, BY_ID, NUTRIENT_IDS, resolve

CKD_STAGE_WORDS = ("1", "2", "3", "3a", "3b", "4", "5")
HOT_DRINKS = ("coffee", "tea", "decaf", "herbal tea")
_PROCEDURES = {
    "sleeve": "sleeve",
    "sleeve gastrectomy": "sleeve",
    "gastric sleeve": "sleeve",
    "roux-en-y": "roux-en-y",
    "roux en y": "roux-en-y",
    "rygb": "roux-en-y",
    "gastric bypass": "roux-en-y",
    "one-anastomosis": "one-anastomosis",
    "oagb": "one-anastomosis",
    "mini gastric bypass": "one-anastomosis",
    "bpd-ds": "bpd-ds",
    "duodenal switch": "bpd-ds",
    "band": "band",
    "gastric band": "band",
    "lap band": "band",
    "other": "other",
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


def _not_bool(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError(f"a number is needed, not {str(value).lower()}")
    return value


class RenalLimits(_Strict):
    """The renal team's daily limits (needed from CKD stage 4, and on dialysis); ``source`` says who
    set them and when ("renal dietitian, 2026-11-02")."""

    protein_g: float | None = Field(default=None, ge=10, le=250)
    protein_g_per_kg: float | None = Field(default=None, gt=0, le=2.5)
    potassium_mg: float | None = Field(default=None, ge=500, le=8000)
    phosphorus_mg: float | None = Field(default=None, ge=200, le=3000)
    sodium_mg: float | None = Field(default=None, ge=500, le=6000)
    fluid_ml: float | None = Field(default=None, ge=200, le=5000)
    source: str | None = None

    _numbers = field_validator("*", mode="before")(_not_bool)

    @model_validator(mode="after")
    def _one_protein(self) -> RenalLimits:
        if self.protein_g is not None and self.protein_g_per_kg is not None:
            raise ValueError("give protein_g or protein_g_per_kg, not both")
        return self

    def given(self) -> set[str]:
        """The limits given: ``protein``, ``potassium``, ``phosphorus``, ``sodium``, ``fluid``."""
        values = {
            "protein": self.protein_g if self.protein_g is not None else self.protein_g_per_kg,
            "potassium": self.potassium_mg,
            "phosphorus": self.phosphorus_mg,
            "sodium": self.sodium_mg,
            "fluid": self.fluid_ml,
        }
        return {k for k, v in values.items() if v is not None}


def _stage(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and float(value).is_integer():
        value = str(int(value))
    if isinstance(value, str):
        value = value.strip().lower().removeprefix("stage").removeprefix("g").strip()
        if value not in CKD_STAGE_WORDS:
            raise ValueError(f"unknown CKD stage {value!r}; allowed: {', '.join(CKD_STAGE_WORDS)} (or give egfr)")
    return value


class Ckd(_Strict):
    """Chronic kidney disease: the stage (or eGFR in mL/min/1.73 m²), dialysis, blood results and the
    renal team's limits."""

    stage: Annotated[
        str | None,
        BeforeValidator(_stage),
        WithJsonSchema({"anyOf": [{"type": "string"}, {"type": "integer"}, {"type": "null"}],
                        "description": "1, 2, 3, 3a, 3b, 4 or 5 (G1-G5)"}),
    ] = None  # fmt: skip
    egfr: float | None = Field(default=None, ge=0, le=200)
    dialysis: Literal["none", "hemodialysis", "peritoneal"] = "none"
    potassium_mmol_l: float | None = Field(default=None, ge=1.5, le=9)
    phosphate_mmol_l: float | None = Field(default=None, ge=0.2, le=5)
    renal_limits: RenalLimits | None = None

    _numbers = field_validator("egfr", "potassium_mmol_l", "phosphate_mmol_l", mode="before")(_not_bool)

    @field_validator("dialysis", mode="before")
    @classmethod
    def _dialysis(cls, value: Any) -> Any:
        if value is False:
            return "none"
        if isinstance(value, str):
            key = value.strip().lower()
            return {"haemodialysis": "hemodialysis", "hd": "hemodialysis", "pd": "peritoneal", "no": "none"}.get(
                key, key
            )
        return value

    @model_validator(mode="after")
    def _stage_or_egfr(self) -> Ckd:
        if self.stage is None and self.egfr is None and self.dialysis == "none":
            raise ValueError("give stage (1, 2, 3a, 3b, 4 or 5) or egfr (mL/min/1.73 m²) from the kidney team")
        return self


class Bariatric(_Strict):
    """Bariatric surgery: the procedure and the months since it."""

    procedure: str = "other"
    months_since: float = Field(ge=0, le=600)

    _numbers = field_validator("months_since", mode="before")(_not_bool)

    @field_validator("procedure", mode="before")
    @classmethod
    def _procedure(cls, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        key = value.strip().lower()
        if key not in _PROCEDURES:
            close = difflib.get_close_matches(key, list(_PROCEDURES), n=1, cutoff=0.6)
            hint = f"did you mean {close[0]!r}?" if close else f"allowed: {', '.join(sorted(set(_PROCEDURES)))}"
            raise ValueError(f"unknown procedure {value!r}; {hint}")
        return _PROCEDURES[key]


class LactoseIntolerance(_Strict):
    """Lactose intolerance: at most ``lactose_g_per_meal`` grams of lactose at one sitting."""

    lactose_g_per_meal: float = Field(default=12, gt=0, le=50)

    _numbers = field_validator("lactose_g_per_meal", mode="before")(_not_bool)


CONDITION_NAMES = ("ckd", "bariatric", "lactose_intolerance", "heavy_menstrual_bleeding")
_CONDITION_SYNONYMS = {
    "chronic_kidney_disease": "ckd",
    "kidney_disease": "ckd",
    "bariatric_surgery": "bariatric",
    "gastric_bypass": "bariatric",
    "lactose": "lactose_intolerance",
    "lactose_intolerant": "lactose_intolerance",
    "heavy_periods": "heavy_menstrual_bleeding",
    "menorrhagia": "heavy_menstrual_bleeding",
    "hmb": "heavy_menstrual_bleeding",
}


def _condition_key(name: Any) -> str:
    key = str(name).strip().lower().replace("-", "_").replace(" ", "_")
    key = _CONDITION_SYNONYMS.get(key, key)
    if key not in CONDITION_NAMES:
        close = difflib.get_close_matches(key, [*CONDITION_NAMES, *_CONDITION_SYNONYMS], n=1, cutoff=0.6)
        hint = f"did you mean {_CONDITION_SYNONYMS.get(close[0], close[0])}? " if close else ""
        raise ValueError(f"unknown condition {name!r}; {hint}allowed: {', '.join(CONDITION_NAMES)}")
    return key


def _list_form(schema: dict[str, Any]) -> None:
    """The JSON schema of :class:`Conditions`: the mapping, or a list of names."""
    mapping = dict(schema)
    schema.clear()
    schema.update(
        title=mapping.get("title", "Conditions"),
        anyOf=[mapping, {"type": "array", "items": {"type": "string"}, "description": "condition names"}],
    )


class Conditions(_Strict):
    """The conditions a profile names. A list of names is accepted for those that need no detail
    (``[lactose-intolerance, heavy-menstrual-bleeding]``)."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False, json_schema_extra=_list_form)

    ckd: Ckd | None = None
    bariatric: Bariatric | None = None
    lactose_intolerance: LactoseIntolerance | None = None
    heavy_menstrual_bleeding: bool = False

    @model_validator(mode="before")
    @classmethod
    def _names(cls, data: Any) -> Any:
        if isinstance(data, str):
            data = [t.strip() for t in data.replace(",", ";").split(";") if t.strip()]
        if isinstance(data, list):
            data = {item: True for item in data}
        if not isinstance(data, dict):
            return data
        out: dict[str, Any] = {}
        for name, value in data.items():
            key = _condition_key(name)
            if key == "heavy_menstrual_bleeding":
                out[key] = value
            elif value is True:
                out[key] = {}  # named without detail: the model says what is missing
            elif value not in (False, None):
                out[key] = value
        return out

    def factor_ids(self) -> list[str]:
        """The triage risk factors these conditions imply (for triage and the target rules)."""
        out = []
        if self.ckd is not None:
            out.append("kidney-disease")
        if self.bariatric is not None:
            out.append("bariatric-surgery")
        if self.lactose_intolerance is not None:
            out.append("lactose-intolerance")
        if self.heavy_menstrual_bleeding:
            out.append("heavy-menstrual-bleeding")
        return out


def nutrient_id(value: Any) -> Any:
    """A nutrient id, display name or alias as its registry id; an unknown one names the closest."""
    if not isinstance(value, str):
        return value
    found = resolve(value)
    if found is None:
        close = difflib.get_close_matches(value.strip().lower(), [*NUTRIENT_IDS, *ALIASES], n=3, cutoff=0.6)
        hint = (
            f"did you mean {' or '.join(repr(c) for c in close)}?"
            if close
            else f"allowed: nutrient ids such as {', '.join(_COMMON_NUTRIENTS)} (or a display name or alias)"
        )
        raise ValueError(f"unknown nutrient {value!r}; {hint}")
    return found.id


_COMMON_NUTRIENTS = (
    "magnesium",
    "calcium",
    "potassium",
    "sodium",
    "vitamin_d",
    "vitamin_b12",
    "iron",
    "protein",
)


class Supplement(_Strict):
    """A supplement the person already takes, as their clinician set it: the nutrient, the amount a
    day (in the nutrient's registry unit, or ``unit: IU`` for vitamin D), and whether it counts
    toward the day's target (``counts_toward_target``; by default it counts against upper limits only)."""

    name: str | None = None
    nutrient: Annotated[str, BeforeValidator(nutrient_id)]
    amount: float = Field(gt=0, le=1e6)
    unit: str | None = None
    counts_toward_target: bool = False

    _numbers = field_validator("amount", mode="before")(_not_bool)

    @model_validator(mode="after")
    def _unit(self) -> Supplement:
        if self.unit is None:
            return self
        unit = BY_ID[self.nutrient].unit
        allowed = [unit, *(["IU"] if self.nutrient == "vitamin_d" else [])]
        aliases = {"ug": "µg", "mcg": "µg", "μg": "µg", "iu": "IU"}
        given = aliases.get(self.unit.strip().lower(), self.unit.strip())
        if given not in allowed:
            raise ValueError(f"unit {self.unit!r} for {self.nutrient}; allowed: {', '.join(allowed)}")
        return self

    def per_day(self) -> float:
        """The amount a day in the nutrient's registry unit (vitamin D IU / 40 = µg)."""
        if self.unit is not None and self.unit.strip().lower() == "iu":
            return self.amount / 40.0
        return self.amount

    def label(self) -> str:
        unit = BY_ID[self.nutrient].unit
        what = self.name or BY_ID[self.nutrient].name.lower()
        return f"{what} {self.per_day():,.4g} {unit}"


def _hot_drink(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    key = value.strip().lower().replace("_", " ").replace("-", " ")
    key = {"decaffeinated": "decaf", "decaf coffee": "decaf", "herbal": "herbal tea", "herb tea": "herbal tea"}.get(
        key, key
    )
    if key not in HOT_DRINKS:
        close = difflib.get_close_matches(key, HOT_DRINKS, n=1, cutoff=0.6)
        hint = f"did you mean {close[0]!r}? " if close else ""
        raise ValueError(f"unknown hot drink {value!r}; {hint}allowed: {', '.join(HOT_DRINKS)} (or none)")
    return key


def hot_drinks_list(value: Any) -> Any:
    """``none`` (or an empty list) means no coffee or tea; a string may list several."""
    if isinstance(value, str):
        if value.strip().lower() in ("none", "no", ""):
            return []
        return [t.strip() for t in value.replace(",", ";").split(";") if t.strip()]
    return value


HotDrink = Annotated[str, BeforeValidator(_hot_drink)]
