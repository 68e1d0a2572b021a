"""The nutrient registry: stable ids, display names and canonical units.

Every table in mealplan stores nutrients under these ids, per 100 g (or per the unit a user table
declares), in the canonical unit given here. Units never appear in column names.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Nutrient:
    """One nutrient as mealplan knows it.

    Attributes:
        id: Stable id used in tables, profiles and targets (``magnesium``).
        name: Display name for people.
        unit: Canonical unit (``g``, ``mg``, ``µg``, ``kcal``, ``IU``).
        sr24_name: Name of the nutrient in the cronometer SR24 XML files, if any.
        usda_nbr: USDA nutrient number (SR ``Nutr_No``; FoodData Central ``nutrient_nbr``).
        sr24_factor: Multiplier from the SR24 value to the canonical unit.
        group: Coarse group for display (general, minerals, vitamins, lipids, amino acids).
    """

    id: str
    name: str
    unit: str
    sr24_name: str | None = None
    usda_nbr: int | None = None
    sr24_factor: float = 1.0
    group: str = "general"


_G, _MIN, _VIT, _LIP, _AA = "general", "minerals", "vitamins", "lipids", "amino acids"

NUTRIENTS: tuple[Nutrient, ...] = (
    Nutrient("energy", "Energy", "kcal", "Energy", 208, group=_G),
    Nutrient("protein", "Protein", "g", "Protein", 203, group=_G),
    Nutrient("carbohydrate", "Carbohydrate", "g", "Carbs", 205, group=_G),
    Nutrient("fiber", "Fiber", "g", "Fiber", 291, group=_G),
    Nutrient("starch", "Starch", "g", "Starch", 209, group=_G),
    Nutrient("sugars", "Sugars", "g", "Sugars", 269, group=_G),
    Nutrient("fat", "Fat", "g", "Fat", 204, group=_G),
    Nutrient("alcohol", "Alcohol", "g", "Alcohol", 221, group=_G),
    Nutrient("caffeine", "Caffeine", "mg", "Caffeine", 262, group=_G),
    Nutrient("water", "Water", "g", "Water", 255, group=_G),
    # Not in cronometer's SR24 copy; FoodData Central tables carry it. Curation reads it as a sign of
    # milk in a food whose name reads vegan (food_data/curation/evidence.py).
    Nutrient("lactose", "Lactose", "g", None, 213, group=_G),
    Nutrient("ash", "Ash", "g", "Ash", 207, group=_G),
    Nutrient("calcium", "Calcium", "mg", "Calcium", 301, group=_MIN),
    Nutrient("copper", "Copper", "mg", "Copper", 312, group=_MIN),
    Nutrient("fluoride", "Fluoride", "µg", "Fluoride", 313, group=_MIN),
    Nutrient("iron", "Iron", "mg", "Iron", 303, group=_MIN),
    Nutrient("magnesium", "Magnesium", "mg", "Magnesium", 304, group=_MIN),
    Nutrient("manganese", "Manganese", "mg", "Manganese", 315, group=_MIN),
    Nutrient("phosphorus", "Phosphorus", "mg", "Phosphorus", 305, group=_MIN),
    Nutrient("potassium", "Potassium", "mg", "Potassium", 306, group=_MIN),
    Nutrient("selenium", "Selenium", "µg", "Selenium", 317, group=_MIN),
    Nutrient("sodium", "Sodium", "mg", "Sodium", 307, group=_MIN),
    Nutrient("zinc", "Zinc", "mg", "Zinc", 309, group=_MIN),
    # Vitamin A: the DRI is in µg retinol activity equivalents (RAE); SR24 via cronometer gives IU
    # plus retinol and carotenoids, from which RAE is derived (see derive_vitamin_a_rae).
    Nutrient("vitamin_a", "Vitamin A (RAE)", "µg", None, 320, group=_VIT),
    Nutrient("vitamin_a_iu", "Vitamin A (IU)", "IU", "Vitamin A", 318, group=_VIT),
    Nutrient("retinol", "Retinol", "µg", "Retinol", 319, group=_VIT),
    Nutrient("alpha_carotene", "Alpha-carotene", "µg", "Alpha-carotene", 322, group=_VIT),
    Nutrient("beta_carotene", "Beta-carotene", "µg", "Beta-carotene", 321, group=_VIT),
    Nutrient("beta_cryptoxanthin", "Beta-cryptoxanthin", "µg", "Beta-cryptoxanthin", 334, group=_VIT),
    Nutrient("lycopene", "Lycopene", "µg", "Lycopene", 337, group=_VIT),
    Nutrient("lutein_zeaxanthin", "Lutein + zeaxanthin", "µg", "Lutein+Zeaxanthin", 338, group=_VIT),
    Nutrient("folate", "Folate (total)", "µg", "Folate", 417, group=_VIT),
    Nutrient("thiamin", "Thiamin (B1)", "mg", "B1 (Thiamine)", 404, group=_VIT),
    Nutrient("riboflavin", "Riboflavin (B2)", "mg", "B2 (Riboflavin)", 405, group=_VIT),
    Nutrient("niacin", "Niacin (B3)", "mg", "B3 (Niacin)", 406, group=_VIT),
    Nutrient("pantothenic_acid", "Pantothenic acid (B5)", "mg", "B5 (Pantothenic Acid)", 410, group=_VIT),
    Nutrient("vitamin_b6", "Vitamin B6", "mg", "B6 (Pyridoxine)", 415, group=_VIT),
    Nutrient("vitamin_b12", "Vitamin B12", "µg", "B12 (Cyanocobalamin)", 418, group=_VIT),
    Nutrient("vitamin_c", "Vitamin C", "mg", "Vitamin C", 401, group=_VIT),
    # SR24 gives vitamin D in IU; 1 µg = 40 IU.
    Nutrient("vitamin_d", "Vitamin D", "µg", "Vitamin D", 328, sr24_factor=1 / 40, group=_VIT),
    Nutrient("vitamin_e", "Vitamin E (alpha-tocopherol)", "mg", "Vitamin E", 323, group=_VIT),
    Nutrient("beta_tocopherol", "Beta-tocopherol", "mg", "Beta Tocopherol", 341, group=_VIT),
    Nutrient("gamma_tocopherol", "Gamma-tocopherol", "mg", "Gamma Tocopherol", 342, group=_VIT),
    Nutrient("delta_tocopherol", "Delta-tocopherol", "mg", "Delta Tocopherol", 343, group=_VIT),
    Nutrient("vitamin_k", "Vitamin K", "µg", "Vitamin K", 430, group=_VIT),
    Nutrient("choline", "Choline", "mg", "Choline", 421, group=_VIT),
    # The forms a fortified food's maker adds, which the folate, niacin and vitamin E ULs count and
    # which the IOM's advice on B12 after 50 means. SR24 as bundled lacks SR's 431/573/578, so
    # curation derives them (food_data/curation/fortified.py, data/curation_fortified.yaml): the
    # nutrient's whole amount in a fortified food whose kind adds it, 0 in other foods. FoodData
    # Central tables carry the real values under these numbers.
    Nutrient("folic_acid", "Folic acid (fortified foods)", "µg", None, 431, group=_VIT),
    Nutrient("niacin_added", "Niacin added (fortified foods)", "mg", None, None, group=_VIT),
    Nutrient("vitamin_e_added", "Vitamin E added (fortified foods)", "mg", None, 573, group=_VIT),
    Nutrient("vitamin_b12_added", "Vitamin B12 added (fortified foods)", "µg", None, 578, group=_VIT),
    Nutrient("saturated_fat", "Saturated fat", "g", "Saturated", 606, group=_LIP),
    Nutrient("monounsaturated_fat", "Monounsaturated fat", "g", "Monounsaturated", 645, group=_LIP),
    Nutrient("polyunsaturated_fat", "Polyunsaturated fat", "g", "Polyunsaturated", 646, group=_LIP),
    Nutrient("trans_fat", "Trans fat", "g", "Trans-Fats", 605, group=_LIP),
    Nutrient("omega_3", "Omega-3 fatty acids", "g", "Omega-3", None, group=_LIP),
    Nutrient("omega_6", "Omega-6 fatty acids", "g", "Omega-6", None, group=_LIP),
    Nutrient("cholesterol", "Cholesterol", "mg", "Cholesterol", 601, group=_LIP),
    Nutrient("phytosterols", "Phytosterols", "mg", "Phytosterol", 636, group=_LIP),
    Nutrient("tryptophan", "Tryptophan", "g", "TRP", 501, group=_AA),
    Nutrient("threonine", "Threonine", "g", "THR", 502, group=_AA),
    Nutrient("isoleucine", "Isoleucine", "g", "ILE", 503, group=_AA),
    Nutrient("leucine", "Leucine", "g", "LEU", 504, group=_AA),
    Nutrient("lysine", "Lysine", "g", "LYS", 505, group=_AA),
    Nutrient("methionine", "Methionine", "g", "MET", 506, group=_AA),
    Nutrient("cystine", "Cystine", "g", "CYS", 507, group=_AA),
    Nutrient("phenylalanine", "Phenylalanine", "g", "PHE", 508, group=_AA),
    Nutrient("tyrosine", "Tyrosine", "g", "TYR", 509, group=_AA),
    Nutrient("valine", "Valine", "g", "VAL", 510, group=_AA),
    Nutrient("arginine", "Arginine", "g", "ARG", 511, group=_AA),
    Nutrient("histidine", "Histidine", "g", "HIS", 512, group=_AA),
    Nutrient("alanine", "Alanine", "g", "ALA", 513, group=_AA),
    Nutrient("aspartic_acid", "Aspartic acid", "g", "ASP", 514, group=_AA),
    Nutrient("glutamic_acid", "Glutamic acid", "g", "GLU", 515, group=_AA),
    Nutrient("glycine", "Glycine", "g", "GLY", 516, group=_AA),
    Nutrient("proline", "Proline", "g", "PRO", 517, group=_AA),
    Nutrient("serine", "Serine", "g", "SER", 518, group=_AA),
    Nutrient("hydroxyproline", "Hydroxyproline", "g", "HYP", 521, group=_AA),
)

BY_ID: dict[str, Nutrient] = {n.id: n for n in NUTRIENTS}
BY_SR24_NAME: dict[str, Nutrient] = {n.sr24_name: n for n in NUTRIENTS if n.sr24_name}
BY_USDA_NBR: dict[int, Nutrient] = {n.usda_nbr: n for n in NUTRIENTS if n.usda_nbr is not None}
NUTRIENT_IDS: tuple[str, ...] = tuple(n.id for n in NUTRIENTS)
# Nutrients the curation derives from others (not in the SR24 build's files).
CURATED_NUTRIENTS: tuple[str, ...] = ("folic_acid", "niacin_added", "vitamin_e_added", "vitamin_b12_added")
# Nutrients the SR24 build writes: those cronometer's XML has, plus vitamin A (RAE) derived there.
BUILT_NUTRIENTS: tuple[str, ...] = tuple(n.id for n in NUTRIENTS if n.sr24_name or n.id == "vitamin_a")

# Common spellings people type for the key nutrients, mapped to registry ids.
ALIASES: dict[str, str] = {
    "mg": "magnesium",
    "ca": "calcium",
    "k": "potassium",
    "na": "sodium",
    "fe": "iron",
    "zn": "zinc",
    "b12": "vitamin_b12",
    "cobalamin": "vitamin_b12",
    "b6": "vitamin_b6",
    "pyridoxine": "vitamin_b6",
    "vit_d": "vitamin_d",
    "d": "vitamin_d",
    "kcal": "energy",
    "calories": "energy",
    "carbs": "carbohydrate",
    "fibre": "fiber",
    "sugar": "sugars",
}

# Conversions between mass units, to a factor relative to grams.
MASS_UNITS: dict[str, float] = {"g": 1.0, "mg": 1e-3, "µg": 1e-6, "ug": 1e-6, "mcg": 1e-6}


def normalize_id(text: str) -> str:
    """Turn a user's spelling (``Vitamin B12``, ``vitamin-b12``) into registry-id form."""
    return text.strip().lower().replace("-", "_").replace(" ", "_")


def resolve(text: str) -> Nutrient | None:
    """Return the registry nutrient for an id, display name or alias, or ``None``."""
    key = normalize_id(text)
    if key in BY_ID:
        return BY_ID[key]
    if key in ALIASES:
        return BY_ID[ALIASES[key]]
    for n in NUTRIENTS:
        if normalize_id(n.name) == key:
            return n
    return None


def unit_factor(from_unit: str, to_unit: str) -> float:
    """Multiplier that converts an amount in ``from_unit`` to ``to_unit``.

    Raises:
        ValueError: when the units are not both masses and not equal.
    """
    f, t = from_unit.strip(), to_unit.strip()
    if f == t:
        return 1.0
    if f in MASS_UNITS and t in MASS_UNITS:
        return MASS_UNITS[f] / MASS_UNITS[t]
    raise ValueError(f"cannot convert {f!r} to {t!r}; allowed mass units: {', '.join(MASS_UNITS)}")


def derive_vitamin_a_rae(
    retinol: float, beta_carotene: float, alpha_carotene: float, beta_cryptoxanthin: float
) -> float:
    """Vitamin A in µg RAE from retinol and provitamin A carotenoids (IOM 2001 factors).

    1 µg RAE = 1 µg retinol = 12 µg dietary beta-carotene = 24 µg alpha-carotene or
    beta-cryptoxanthin. Callers pass NaN for unknown values; the result is NaN when retinol or
    beta-carotene is unknown, and unknown minor carotenoids count as zero.
    """
    if math.isnan(retinol) or math.isnan(beta_carotene):
        return math.nan
    minor = sum(0.0 if math.isnan(v) else v for v in (alpha_carotene, beta_cryptoxanthin))
    return retinol + beta_carotene / 12 + minor / 24
