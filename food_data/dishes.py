"""The dish library: named dishes built from as-eaten foods, with portions the optimizer may move.

A dish is data (``data/dishes.yaml`` plus any user ``--dishes`` files, YAML or JSON, same format;
``docs/dishes.md`` documents it). Each ingredient names a food id, a default amount in grams as eaten
for one person, a range ``[min, max]`` the optimizer may move it within (``min: 0`` marks an optional
ingredient), a role and the words the dish's text calls it. The title and method carry a small
markup (``dish_markup``) so that :func:`dish_text` can write them for the ingredients a plate
actually uses; ``seasonings`` come from the vocabulary in ``data/seasonings.yaml``. Diet, allergens
and nutrients are derived from the food table, never typed by hand.

This module is a pure data layer: it imports neither the optimizer nor pulp, never prints and
raises ``ConfigError`` listing every problem it found.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import math
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from mealplan.errors import ConfigError, InputError
from mealplan.fileio import load_user_json, load_user_yaml, read_user_text, write_atomic
from mealplan.food_data.cache import cache_folder, make_folder
from mealplan.food_data.dish_markup import Mentions, render
from mealplan.food_data.plate_text import dish_text, text_problems, text_warnings, with_called
from mealplan.food_data.table import FoodTable, code_digest
from mealplan.food_data.vocab import DIET_LEVEL, DIETS, MAIN_MEALS, SLOTS, diet_allows, split_tags

if TYPE_CHECKING:
    import pandas as pd

ROLES: tuple[str, ...] = ("protein", "starch", "vegetable", "fruit", "dairy", "fat", "sauce", "garnish")
# A lunch or dinner has each of these roles on an ingredient it cannot drop (min > 0).
MAIN_MEAL_ROLES: tuple[str, ...] = ("protein", "starch", "vegetable")
SCHEMA = 1
BUNDLED_NAME = "dishes.yaml"
# Energy of a default portion that reads as a meal (kcal); outside these ``check`` warns.
ENERGY_RANGE: dict[str, tuple[float, float]] = {
    "breakfast": (150.0, 1100.0),
    "lunch": (150.0, 1100.0),
    "dinner": (150.0, 1100.0),
    "snack": (50.0, 450.0),
}
# Nutrients ``check`` wants known for every required ingredient.
KEY_NUTRIENTS: tuple[str, ...] = (
    "energy",
    "protein",
    "magnesium",
    "calcium",
    "potassium",
    "vitamin_d",
    "vitamin_b12",
)


# An ingredient's grams (default, min, max) for one portion: 2 kg is beyond any portion; 1e20 g would
# reach the solver as a coefficient (the bound also holds NaN and infinity out).
MAX_INGREDIENT_G = 2000.0


class Ingredient(BaseModel):
    """One food in a dish: grams as eaten for one portion, the range allowed, and its role."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    food: str
    grams: float
    min: float
    max: float
    role: str
    called: tuple[str, ...] = ()
    """What the title and method call this food ("almonds", "soy milk"); the loader fills in the
    food's short name when a file leaves it out."""

    @field_validator("food", mode="before")
    @classmethod
    def _food_is_text(cls, value: Any) -> Any:
        if isinstance(value, int | float):
            raise ValueError(f'food ids must be quoted text such as "09040", got the number {value!r}')
        return value

    @field_validator("called", mode="before")
    @classmethod
    def _one_or_more(cls, value: Any) -> Any:
        return (value,) if isinstance(value, str) else value

    @property
    def optional(self) -> bool:
        """True when the optimizer may leave this ingredient out (``min`` is 0)."""
        return self.min <= 0


class Dish(BaseModel):
    """A named dish: the slots it suits, its method, ingredients and seasonings.

    The file's ``name`` and ``method`` hold markup (``name_markup``, ``method_markup``); the
    ``name`` and ``method`` properties are the text with every ingredient on the plate, and
    :func:`dish_text` writes it for the ingredients a plate uses.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    name_markup: str = Field(alias="name")
    slots: list[str]
    method_markup: str = Field(alias="method")
    cuisine: str | None = None
    ingredients: list[Ingredient]
    seasonings: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        """The title with every ingredient used."""
        return render(self.name_markup, _NO_MENTIONS)

    @property
    def method(self) -> str:
        """The method with every ingredient used."""
        return render(self.method_markup, _NO_MENTIONS)


_NO_MENTIONS = Mentions(())
__all__ = ["Derived", "Dish", "DishLibrary", "Ingredient", "check", "dish_text", "load_dishes", "validate_dish"]


@dataclass(frozen=True)
class Derived:
    """What a dish's ingredients imply, computed from the food table.

    Attributes:
        diet: The least restrictive diet pattern the required ingredients need (vegan < vegetarian
            < pescatarian < omnivore); optional ingredients may need more (``diet_with_optional``).
        diet_with_optional: The same over every ingredient.
        allergens: Union of the allergens of every ingredient, optional ones included.
        required_allergens: Union over the ingredients the dish cannot drop.
        nutrients: Amount of each nutrient in the default portion (grams x per-100-g / 100); a
            food's unknown value counts as 0 here and is listed in ``missing``.
        missing: nutrient -> ids of ingredients whose value is unknown.
        energy: kcal of the default portion.
        grams: Total grams of the default portion.
    """

    diet: str
    diet_with_optional: str
    allergens: tuple[str, ...]
    required_allergens: tuple[str, ...]
    nutrients: dict[str, float]
    missing: dict[str, list[str]]
    energy: float
    grams: float


@dataclass
class DishLibrary:
    """Dishes by id in file order, their sources, and derived facts.

    Attributes:
        dishes: id -> Dish, bundled first then user files, in file order.
        sources: id -> the file the dish came from.
        notes: Messages for the user (e.g. a user dish replacing a bundled one).
    """

    dishes: dict[str, Dish]
    sources: dict[str, str]
    foods: FoodTable
    notes: list[str] = field(default_factory=list)
    _derived: dict[str, Derived] = field(default_factory=dict, repr=False)

    def __len__(self) -> int:
        return len(self.dishes)

    def __iter__(self):
        return iter(self.dishes.values())

    def get(self, dish_id: str) -> Dish:
        """The dish with this id; ``ConfigError`` naming close ids when there is none."""
        if dish_id not in self.dishes:
            close = difflib.get_close_matches(dish_id, list(self.dishes), n=3)
            hint = f" Did you mean {', '.join(close)}?" if close else " See `mealplan dishes list`."
            raise ConfigError(f"No dish with id {dish_id!r}.{hint}")
        return self.dishes[dish_id]

    def for_slot(self, slot: str) -> list[Dish]:
        """Dishes that suit ``slot`` (breakfast, lunch, dinner or snack), in library order."""
        return [d for d in self.dishes.values() if slot in d.slots]

    def derived(self, dish_id: str) -> Derived:
        """Diet, allergens and nutrients of a dish's default portion (computed once)."""
        if dish_id not in self._derived:
            self._derived[dish_id] = derive(self.get(dish_id), self.foods)
        return self._derived[dish_id]

    def select(
        self, slot: str | None = None, diet: str | None = None, allergen_free: tuple[str, ...] = ()
    ) -> list[Dish]:
        """Dishes for a slot that a diet allows and that hold none of the allergens.

        A dish passes the diet and allergen filters on its required ingredients: optional ones
        that clash can be left out when the dish is planned.
        """
        out = []
        for dish in self.dishes.values():
            if slot and slot not in dish.slots:
                continue
            facts = self.derived(dish.id)
            if diet and not diet_allows(diet, facts.diet):
                continue
            if set(allergen_free) & set(facts.required_allergens):
                continue
            out.append(dish)
        return out


def derive(dish: Dish, foods: FoodTable) -> Derived:
    """Diet, allergens and default-portion nutrients of ``dish`` from the food table."""
    frame = foods.foods
    nutrient_cols = [c for c in foods.units if c in frame.columns]
    totals = dict.fromkeys(nutrient_cols, 0.0)
    missing: dict[str, list[str]] = {}
    diet_req, diet_all = 0, 0
    allergens: set[str] = set()
    required: set[str] = set()
    for ing in dish.ingredients:
        row = cast("pd.Series", frame.loc[ing.food])
        level = DIET_LEVEL.get(str(row["diet"]), DIET_LEVEL["omnivore"])
        tags = split_tags(row["allergens"])
        diet_all = max(diet_all, level)
        allergens.update(tags)
        if not ing.optional:
            diet_req = max(diet_req, level)
            required.update(tags)
        for col in nutrient_cols:
            value = row[col]
            if value is None or (isinstance(value, float) and math.isnan(value)):
                missing.setdefault(col, []).append(ing.food)
            else:
                totals[col] += ing.grams * float(value) / 100.0
    return Derived(
        diet=DIETS[diet_req],
        diet_with_optional=DIETS[diet_all],
        allergens=tuple(sorted(allergens)),
        required_allergens=tuple(sorted(required)),
        nutrients=totals,
        missing=missing,
        energy=totals.get("energy", float("nan")),
        grams=sum(i.grams for i in dish.ingredients),
    )


def bundled_path() -> Path:
    """Path of the dish library that ships with mealplan."""
    return Path(str(resources.files("mealplan.food_data") / "data" / BUNDLED_NAME))


def load_dishes(
    paths: tuple[Path | str, ...] | list[Path | str] = (), *, foods: FoodTable, bundled: bool = True
) -> DishLibrary:
    """Read the bundled dish library and any user files, validate them and return the library.

    Args:
        paths: User dish files (YAML or JSON, the bundled format). A user dish whose id is already
            in the library replaces it; ``library.notes`` says so.
        foods: The food table ingredients refer to.
        bundled: Include the bundled library (first).

    Returns:
        The library, dishes in file order.

    Raises:
        ConfigError: Listing every problem in every file (file, dish id, field, value, allowed).
    """
    files = ([bundled_path()] if bundled else []) + [Path(p) for p in paths]
    problems: list[str] = []
    dishes: dict[str, Dish] = {}
    sources: dict[str, str] = {}
    notes: list[str] = []
    for path in files:
        is_bundled = bundled and path == files[0]
        label = "bundled dishes.yaml" if is_bundled else str(path)
        found: list[str] = []
        good = _read_file(path, label, foods, found)
        if is_bundled and found and all("unknown food id" in p for p in found):
            # A plan on the user's own table (no bundled foods): bundled dishes it cannot cook are left out.
            notes.append(f"{label}: {len(found)} ingredient(s) are not in the food table; those dishes are left out.")
        else:
            problems += found
        for dish in good:
            if dish.id in dishes:
                notes.append(f"{label}: dish {dish.id!r} replaces the one from {sources[dish.id]}.")
            dishes[dish.id] = dish
            sources[dish.id] = label
    if problems:
        raise ConfigError(f"{len(problems)} problem(s) in the dish files:", problems)
    return DishLibrary(dishes=dishes, sources=sources, foods=foods, notes=notes)


def _parse_yaml(text: str) -> Any:
    """YAML text to Python data, kept in the table's cache folder by content hash: parsing the
    bundled library takes about 0.6 s even with libyaml, reading it back a few milliseconds. The cache
    is JSON (data, never code) that records the text's full hash; a document JSON cannot hold as it is
    (a date, a number as a key) is not cached."""
    cache = cache_folder()
    if cache is None:
        return load_user_yaml(text)
    digest = hashlib.sha256(text.encode()).hexdigest()
    file = cache / f"yaml-{digest[:20]}.json"
    try:
        saved = json.loads(file.read_bytes())
        if isinstance(saved, dict) and saved.get("format") == "mealplan-yaml-1" and saved.get("sha256") == digest:
            return saved["doc"]
    except (OSError, ValueError, RecursionError):
        pass
    doc = load_user_yaml(text)
    try:
        dumped = json.dumps({"format": "mealplan-yaml-1", "sha256": digest, "doc": doc})
        if json.loads(dumped)["doc"] == doc:
            make_folder(cache)
            write_atomic(file, dumped, mode=0o600)
    except (OSError, TypeError, ValueError, RecursionError):
        pass  # an unwritable cache folder only costs time
    return doc


def _read_file(path: Path, label: str, foods: FoodTable, problems: list[str]) -> list[Dish]:
    """Parse one dish file; append every problem to ``problems``; return the good dishes."""
    try:
        text = read_user_text(path, "dish file", name=label)
    except InputError as exc:
        problems.append(exc.message)
        return []
    try:
        doc = load_user_json(text) if path.suffix.lower() == ".json" else _parse_yaml(text)
    except (yaml.YAMLError, json.JSONDecodeError, RecursionError) as exc:
        problems.append(f"{label}: not valid {'JSON' if path.suffix.lower() == '.json' else 'YAML'}: {exc}")
        return []
    if isinstance(doc, dict) and "dishes" in doc:
        unknown = set(doc) - {"schema", "dishes"}
        if unknown:
            problems.append(f"{label}: unknown top-level key(s) {sorted(unknown)}; allowed: schema, dishes.")
        if doc.get("schema", SCHEMA) != SCHEMA:
            problems.append(f"{label}: schema {doc.get('schema')!r} is not supported; allowed: {SCHEMA}.")
        items = doc["dishes"]
    else:
        items = doc
    if not isinstance(items, list):
        problems.append(f"{label}: expected a list of dishes under 'dishes:', got {type(items).__name__}.")
        return []
    seen: set[str] = set()
    names = food_names(foods)
    marker = _clean_marker(text, names)
    clean = marker is not None and marker.is_file()  # this text was checked clean against these foods before
    problems_before = len(problems)
    good: list[Dish] = []
    for n, item in enumerate(items, 1):
        where = f"{label}: dish #{n}"
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            where = f"{label}: dish {item['id']!r}"
        try:
            dish = with_called(Dish.model_validate(item), names)
        except ValidationError as exc:
            for err in exc.errors():
                loc = ".".join(str(p) for p in err["loc"]) or "(dish)"
                value = "" if err["type"] == "missing" else f" (got {err.get('input')!r})"
                problems.append(f"{where}: field {loc}: {err['msg']}{value}.")
            continue
        before = len(problems)
        if dish.id in seen:
            problems.append(f"{where}: duplicate id {dish.id!r} in this file; ids must be unique.")
        seen.add(dish.id)
        if not clean:
            problems.extend(f"{where}: {p}" for p in validate_dish(dish, foods, names))
        if len(problems) == before:
            good.append(dish)
    if marker is not None and not clean and len(problems) == problems_before:
        try:
            make_folder(marker.parent)
            write_atomic(marker, "{}", mode=0o600)
            kept = sorted(marker.parent.glob("dishes-clean-*.json"), key=lambda f: f.stat().st_mtime)
            for old in kept[:-MARKERS_KEPT]:
                old.unlink(missing_ok=True)
        except OSError:
            pass  # an unwritable cache folder only costs time
    return good


MARKERS_KEPT = 8  # dish files (the bundled library and a user's) remembered as checked clean


def _clean_marker(text: str, names: dict[str, str]) -> Path | None:
    """The cache file that records that a dish file's text passed ``validate_dish`` against a table's
    food names under this code: checking the bundled library's 280 dishes (their text above all) takes
    about 0.4 s of every plan, and the verdict depends on nothing else. None when caching is off."""
    folder = cache_folder()
    if folder is None:
        return None
    digest = hashlib.sha256(code_digest().encode() + b"\0" + text.encode())
    digest.update(json.dumps(names, sort_keys=True).encode())
    return folder / f"dishes-clean-{digest.hexdigest()[:40]}.json"


EGG_PART = re.compile(r"\begg.*\b(white|yolk)s?\b", re.I)
CEREAL = re.compile(r"^cereals ready-to-eat", re.I)
CEREAL_PARTNER = re.compile(r"\bmilk\b|soymilk|yogurt|\b(soy|almond|rice|oat)\b.{0,20}\b(drink|beverage)", re.I)


def is_salt(name: str) -> bool:
    """True for table salt and other plain salts (never an ingredient: sodium stays a target)."""
    low = name.strip().lower()
    return low.startswith("salt,") or low == "salt"


def food_names(foods: FoodTable) -> dict[str, str]:
    """Food id -> name, from the table's numpy columns (no pandas on the planning path)."""
    return dict(zip(foods.rows.ids.tolist(), [str(n) for n in foods.rows["name"]], strict=True))


def validate_dish(dish: Dish, foods: FoodTable, names: dict[str, str] | None = None) -> list[str]:
    """Every structural problem of one dish, each naming the field, the value and what is allowed.

    ``names`` (from :func:`food_names`) saves rebuilding the id index for every dish of a file.
    """
    names = food_names(foods) if names is None else names
    out: list[str] = []
    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", dish.id):
        out.append(f"field id: {dish.id!r} is not allowed; use lowercase letters, digits and single hyphens.")
    if not dish.name_markup.strip():
        out.append("field name: is empty; give the name people use for the dish.")
    if not dish.method_markup.strip() or "\n" in dish.method_markup.strip():
        out.append("field method: must be one non-empty line.")
    if not dish.slots:
        out.append(f"field slots: is empty; allowed: {', '.join(SLOTS)}.")
    for slot in dish.slots:
        if slot not in SLOTS:
            out.append(f"field slots: unknown slot {slot!r}; allowed: {', '.join(SLOTS)}.")
    if not dish.ingredients:
        out.append("field ingredients: a dish needs at least one ingredient.")
    before = len(out)
    for k, ing in enumerate(dish.ingredients):
        at = f"field ingredients[{k}] (food {ing.food!r})"
        if ing.food not in names:
            out.append(f"{at}: unknown food id {ing.food!r}; see `mealplan foods search WORDS --all`.")
        elif is_salt(names[ing.food]):
            out.append(f"{at}: salt ({names[ing.food]}) is not allowed as an ingredient; sodium is a target.")
        elif EGG_PART.search(names[ing.food]):
            out.append(f"{at}: {names[ing.food]} is not allowed; dishes use whole eggs.")
        if ing.role not in ROLES:
            out.append(f"{at}: unknown role {ing.role!r}; allowed: {', '.join(ROLES)}.")
        huge = [f"{k} {v:g}" for k, v in (("grams", ing.grams), ("min", ing.min), ("max", ing.max))
                if not (math.isfinite(v) and v <= MAX_INGREDIENT_G)]  # fmt: skip
        if huge:
            out.append(
                f"{at}: {', '.join(huge)} g is not an amount for one portion; give finite grams up to "
                f"{MAX_INGREDIENT_G:,.0f}."
            )
        elif ing.max <= 0:
            out.append(f"{at}: empty range, max {ing.max:g} g; max must be above 0.")
        elif ing.min < 0 or ing.min > ing.max:
            out.append(
                f"{at}: range min {ing.min:g} g to max {ing.max:g} g is inverted or negative; need 0 <= min <= max."
            )
        elif not ing.min <= ing.grams <= ing.max:
            out.append(f"{at}: grams {ing.grams:g} is outside its range [{ing.min:g}, {ing.max:g}].")
    sound = len(out) == before
    required = [names.get(i.food, "") for i in dish.ingredients if not i.optional]
    if any(CEREAL.search(n) for n in required) and not any(CEREAL_PARTNER.search(n) for n in required):
        out.append(
            "field ingredients: ready-to-eat cereal needs a required milk, milk alternative or yogurt ingredient."
        )
    if set(dish.slots) & set(MAIN_MEALS):
        have = {i.role for i in dish.ingredients if not i.optional}
        lack = [r for r in MAIN_MEAL_ROLES if r not in have]
        if lack:
            out.append(
                f"field ingredients: a lunch or dinner dish needs a required (min > 0) ingredient of role "
                f"{', '.join(lack)}; it has {', '.join(sorted(have)) or 'none'}."
            )
    # The text is checked against ingredients that are themselves sound (no second error per bad line).
    return out + (text_problems(dish) if sound else [])


def bundled_seasonings() -> dict[str, tuple[str, ...]]:
    """Dish id -> its seasonings, from the bundled library file alone (no food table needed)."""
    doc = _parse_yaml(bundled_path().read_text(encoding="utf-8"))
    items = doc.get("dishes", []) if isinstance(doc, dict) else []
    return {d["id"]: tuple(d.get("seasonings") or ()) for d in items if isinstance(d, dict) and "id" in d}


def check(library: DishLibrary, foods: FoodTable | None = None) -> list[str]:
    """Warnings beyond validation: foods not as eaten, portion energy out of range, unknown nutrients,
    and text a cook would trip on (``text_warnings``).

    Args:
        library: A loaded library (already free of validation errors).
        foods: The food table (defaults to the library's).

    Returns:
        One message per finding, naming the dish; empty when all is well.
    """
    table = foods or library.foods
    frame = table.foods
    out: list[str] = []
    for dish in library:
        where = f"{library.sources.get(dish.id, '?')}: dish {dish.id!r}"
        facts = derive(dish, table) if foods is not None else library.derived(dish.id)
        for ing in dish.ingredients:
            if "as_eaten" in frame.columns and not bool(frame.at[ing.food, "as_eaten"]):
                out.append(f"{where}: food {ing.food} ({str(frame.at[ing.food, 'name'])}) is not in an as-eaten form.")
        lows = [ENERGY_RANGE[s][0] for s in dish.slots if s in ENERGY_RANGE]
        highs = [ENERGY_RANGE[s][1] for s in dish.slots if s in ENERGY_RANGE]
        if lows and not (min(lows) <= facts.energy <= max(highs)):
            out.append(
                f"{where}: default portion has {facts.energy:.0f} kcal; expected {min(lows):g}-{max(highs):g} "
                f"for {'/'.join(dish.slots)}."
            )
        required = {i.food for i in dish.ingredients if not i.optional}
        for nutrient in KEY_NUTRIENTS:
            gaps = sorted(set(facts.missing.get(nutrient, [])) & required)
            if gaps:
                out.append(f"{where}: {nutrient} unknown for {', '.join(gaps)} (counted as 0 in the portion).")
        out += [f"{where}: {w}" for w in text_warnings(dish)]
    return out


# --- a dish without some of its optional ingredients ---------------------------------------------

# Words that name a kind, not the ingredient ("cheddar cheese" is named "cheddar" in a title).
_KIND_WORDS = frozenset({"cheese", "low", "fat", "nonfat", "plain", "whole", "milk", "sauce", "oil"})


def without(name: str, method: str, dropped: list[str]) -> tuple[str, str]:
    """A dish's title and method when optional ingredients are left out for this person (by word guessing).

    Superseded by :func:`dish_text`, which rewrites both texts from the dish's markup; kept, with its
    signature, until the planner calls ``dish_text``.

    The title loses the words that named them ("Baked potato with black beans, broccoli and cheddar"
    without cheddar cheese -> "Baked potato with black beans and broccoli"); the method says plainly
    what to leave out, since recipe steps are not rewritten ("... Leave out the cheddar cheese.").
    """
    if not dropped:
        return name, method
    title = name
    for food in dropped:
        for word in (w for w in food.lower().split() if w not in _KIND_WORDS and len(w) > 2):
            w = re.escape(word) + r"s?"
            for pattern, repl in (
                (rf",\s*{w}\b(?=\s*(,| and\b))", ""),  # "a, cheddar, b" / "a, cheddar and b"
                (rf"(?:,\s*|\s+and\s+){w}\b", ""),  # "a and cheddar" / "a, cheddar"
                (rf"\bwith\s+{w}\s+and\s+", "with "),  # "with cheddar and tomato"
                (rf"\s+with\s+{w}\b", ""),  # "Pear with cheddar"
            ):
                new = re.sub(pattern, repl, title, count=1, flags=re.IGNORECASE)
                if new != title:
                    title = new
                    break
    if title != name and " and " not in title and "," in title:
        head, _, last = title.rpartition(",")
        title = f"{head} and{last}"  # "with black beans, broccoli" -> "with black beans and broccoli"
    leave = " and ".join(dict.fromkeys(dropped))
    return title, f"{method.rstrip()} Leave out the {leave}.".strip()
