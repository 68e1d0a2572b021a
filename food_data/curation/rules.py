"""The curation rules as data: word lists, category and group rules, serving kinds, read once.

Two files under ``food_data/data``: ``curation_words.yaml`` (named word lists, the three category
lexicons, the USDA group rules, named lists of groups and kinds, the daily-maximum rules, the
planner set's name variants, preferences and thresholds, the name rewrites) and
``curation_servings.yaml`` (serving kinds, the rules that assign them, household-measure words).
Each is checked against a schema when first read; every problem of both files is raised together
as one ``ConfigError``.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from mealplan.errors import ConfigError
from mealplan.food_data.nutrients import BY_ID
from mealplan.food_data.vocab import CATEGORIES, SLOTS

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
WORDS_FILE = DATA_DIR / "curation_words.yaml"
SERVINGS_FILE = DATA_DIR / "curation_servings.yaml"

Category = Literal[CATEGORIES]  # type: ignore[valid-type]
Slot = Literal[SLOTS]  # type: ignore[valid-type]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LexiconRule(_Strict):
    """Foods with any of these terms (words, and the named lists' words) are of ``category``."""

    category: Category
    lists: list[str] = []
    words: list[str] = []


class GroupRule(_Strict):
    """A USDA group's default category and the categories its foods' names may switch to."""

    default: Category
    may_be: list[Category] | Literal["any"]
    but_not: list[Category] = []


class Preference(_Strict):
    """Among near-duplicate names, a name with one of ``words`` scores ``weight`` (highest kept)."""

    words: list[str]
    weight: float


class DailyMax(_Strict):
    """Foods of ``kind`` (any kind when None) named by the word list ``words``: ``set_g`` or ``cap_g``."""

    words: str
    kind: str | None = None
    set_g: float | None = Field(default=None, gt=0)
    cap_g: float | None = Field(default=None, gt=0)

    @model_validator(mode="after")
    def _one(self) -> DailyMax:
        if (self.set_g is None) == (self.cap_g is None):
            raise ValueError("give exactly one of set_g and cap_g")
        return self


class PlannerLimits(_Strict):
    """The planner set's thresholds, per 100 g in the units of ``food_data/nutrients.py``."""

    alcohol_above: float = Field(ge=0)
    cereal_fortified_if_any: dict[str, float] = Field(min_length=1)
    cereal_sugars_above: float = Field(ge=0)


class WordsFile(_Strict):
    words: dict[str, list[str]]
    head_markers: list[LexiconRule]
    first_word: list[LexiconRule]
    any_word: list[LexiconRule]
    groups: dict[str, GroupRule]
    variant_salt: str
    variants: list[str]
    preferred: list[Preference]
    group_lists: dict[str, list[str]]
    kind_lists: dict[str, list[str]]
    daily_max: list[DailyMax]
    planner: PlannerLimits
    name_rewrites: dict[str, str]
    not_brands: list[str]


class Kind(_Strict):
    """How a kind of food is served (see curation_servings.yaml)."""

    lo: float = Field(gt=0)
    hi: float
    target: float
    serving: tuple[str, float]
    max_g: float = Field(gt=0)
    slots: list[Slot]
    units: dict[str, float]

    @model_validator(mode="after")
    def _ordered(self) -> Kind:
        if not self.lo <= self.target <= self.hi:
            raise ValueError(f"need lo <= target <= hi, got {self.lo:g}, {self.target:g}, {self.hi:g}")
        return self


class KindRule(_Strict):
    """Foods of these categories whose names match are of ``kind`` (the first rule that holds)."""

    kind: str
    categories: list[Category] = Field(min_length=1)
    lists: list[str] = []
    words: list[str] = []
    group: str | None = None
    also: list[str] = []
    unless: list[str] = []
    energy_below: float | None = None
    spice: bool = False


class ServingsFile(_Strict):
    kinds: dict[str, Kind]
    kind_rules: list[KindRule]
    unit_synonyms: dict[str, str]
    multiples: dict[str, str]
    size_bonus: dict[str, float]
    measure_renames: dict[str, str]
    unit_phrases: dict[str, str]


@dataclass(frozen=True)
class Rules:
    """Both files, checked, with word lists as frozensets of terms."""

    words: dict[str, frozenset[str]]
    head_markers: list[tuple[str, frozenset[str]]]
    first_word: list[tuple[str, frozenset[str]]]
    any_word: list[tuple[str, frozenset[str]]]
    groups: dict[str, tuple[str, frozenset[str]]]
    variant_re: re.Pattern[str]
    preferred: list[tuple[frozenset[str], float]]
    kinds: dict[str, Kind]
    kind_rules: list[KindRule]
    unit_synonyms: dict[str, str]
    multiples: dict[str, str]
    size_bonus: tuple[tuple[str, float], ...]
    measure_renames: tuple[tuple[str, str], ...]
    unit_phrases: tuple[tuple[str, str], ...]
    group_lists: dict[str, tuple[str, ...]]
    kind_lists: dict[str, tuple[str, ...]]
    daily_max: tuple[DailyMax, ...]
    planner: PlannerLimits
    name_rewrites: tuple[tuple[str, str], ...]
    not_brands: frozenset[str]


def _read(path: Path, model: type[_Strict], problems: list[str]) -> Any:
    try:
        # The C loader when PyYAML has it: 0.09 s instead of 0.7 s for both files.
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (OSError, yaml.YAMLError) as exc:
        problems.append(f"{path}: cannot read it: {exc}")
        return None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            where = ".".join(str(p) for p in err["loc"])
            problems.append(f"{path}: {where}: {err['msg'].removeprefix('Value error, ')}")
        return None


def _cross_check(words: WordsFile, servings: ServingsFile, problems: list[str]) -> None:
    """References between the files: named lists, kinds, groups; every term well formed."""
    term = re.compile(r"^[a-z0-9']+(?: [a-z0-9']+)?$")  # names split into such words (tokens.py)
    listed = [(f"{WORDS_FILE}: words.{n}", t) for n, t in words.words.items()]
    listed += [
        (f"{WORDS_FILE}: {section}.{i}.words", r.words)
        for section in ("head_markers", "first_word", "any_word")
        for i, r in enumerate(getattr(words, section))
    ]
    listed += [(f"{WORDS_FILE}: preferred.{i}.words", p.words) for i, p in enumerate(words.preferred)]
    listed += [
        (f"{SERVINGS_FILE}: kind_rules.{i}.{field}", getattr(r, field))
        for i, r in enumerate(servings.kind_rules)
        for field in ("words", "also", "unless")
    ]
    for where, terms in listed:
        problems += [f"{where}: {t!r} is not one lowercase word or two-word phrase" for t in terms if not term.match(t)]
    lists_used = [
        (f"{WORDS_FILE}: {section}.{i}", r.lists)
        for section in ("head_markers", "first_word", "any_word")
        for i, r in enumerate(getattr(words, section))
    ] + [(f"{SERVINGS_FILE}: kind_rules.{i}", r.lists) for i, r in enumerate(servings.kind_rules)]
    for where, lists in lists_used:
        problems += [f"{where}: no word list named {n!r} under words" for n in lists if n not in words.words]
    for i, r in enumerate(servings.kind_rules):
        if r.kind not in servings.kinds:
            problems.append(f"{SERVINGS_FILE}: kind_rules.{i}: kind {r.kind!r} is not one of kinds")
        if r.group is not None and r.group not in words.groups:
            problems.append(f"{SERVINGS_FILE}: kind_rules.{i}: group {r.group!r} is not a group of {WORDS_FILE.name}")
    for name, kind in servings.kinds.items():
        if kind.serving[1] <= 0:
            problems.append(f"{SERVINGS_FILE}: kinds.{name}.serving: grams must be more than 0")
    units = {u for kind in servings.kinds.values() for u in kind.units}
    for phrase, unit in servings.unit_phrases.items():
        if phrase != phrase.lower() or unit not in units:
            problems.append(
                f"{SERVINGS_FILE}: unit_phrases.{phrase}: need a lowercase phrase and a unit of kinds, got {unit!r}"
            )
    _cross_check_named(words, servings, problems)


def _cross_check_named(words: WordsFile, servings: ServingsFile, problems: list[str]) -> None:
    """Named group and kind lists, daily-maximum rules, nutrient ids and brand words."""
    for name, groups in words.group_lists.items():
        problems += [
            f"{WORDS_FILE}: group_lists.{name}: {g!r} is not a group of groups" for g in groups if g not in words.groups
        ]
    for name, kinds in words.kind_lists.items():
        problems += [
            f"{WORDS_FILE}: kind_lists.{name}: {k!r} is not a kind of {SERVINGS_FILE.name}"
            for k in kinds
            if k not in servings.kinds
        ]
    for i, rule in enumerate(words.daily_max):
        if rule.words not in words.words:
            problems.append(f"{WORDS_FILE}: daily_max.{i}: no word list named {rule.words!r} under words")
        if rule.kind is not None and rule.kind not in servings.kinds:
            problems.append(f"{WORDS_FILE}: daily_max.{i}: {rule.kind!r} is not a kind of {SERVINGS_FILE.name}")
    problems += [
        f"{WORDS_FILE}: planner.cereal_fortified_if_any: {n!r} is not a nutrient of food_data/nutrients.py"
        for n in words.planner.cereal_fortified_if_any
        if n not in BY_ID
    ]
    problems += [
        f"{WORDS_FILE}: not_brands: {w!r} is not one ALL-CAPS word"
        for w in words.not_brands
        if not re.fullmatch(r"[A-Z]+", w)
    ]


def _terms(words: dict[str, list[str]], lists: list[str], extra: list[str]) -> frozenset[str]:
    return frozenset(t for n in lists for t in words[n]) | frozenset(extra)


@functools.cache
def rules() -> Rules:
    """The curation rules, read and checked once per process.

    Raises:
        ConfigError: listing every problem of both files.
    """
    return load_rules(WORDS_FILE, SERVINGS_FILE)


def load_rules(words_file: Path = WORDS_FILE, servings_file: Path = SERVINGS_FILE) -> Rules:
    """Read and check both rule files (``rules()`` is this, cached, for the bundled files)."""
    problems: list[str] = []
    words = _read(words_file, WordsFile, problems)
    servings = _read(servings_file, ServingsFile, problems)
    if words is not None and servings is not None:
        _cross_check(words, servings, problems)
    if problems:
        raise ConfigError("The curation rule files have problems:", problems)
    w = words.words

    def lexicon(section: list[LexiconRule]) -> list[tuple[str, frozenset[str]]]:
        return [(r.category, _terms(w, r.lists, r.words)) for r in section]

    every = frozenset(CATEGORIES)
    groups = {
        g: (r.default, (every if r.may_be == "any" else frozenset(r.may_be)) - frozenset(r.but_not))
        for g, r in words.groups.items()
    }
    variant = words.variant_salt + "|, (?:" + "|".join(words.variants) + ")(?=,|$)"
    return Rules(
        words={n: frozenset(t) for n, t in w.items()},
        head_markers=lexicon(words.head_markers),
        first_word=lexicon(words.first_word),
        any_word=lexicon(words.any_word),
        groups=groups,
        variant_re=re.compile(variant, re.MULTILINE),
        preferred=[(frozenset(p.words), p.weight) for p in words.preferred],
        kinds=dict(servings.kinds),
        kind_rules=list(servings.kind_rules),
        unit_synonyms=dict(servings.unit_synonyms),
        multiples=dict(servings.multiples),
        size_bonus=tuple(servings.size_bonus.items()),
        measure_renames=tuple(servings.measure_renames.items()),
        unit_phrases=tuple(servings.unit_phrases.items()),
        group_lists={n: tuple(g) for n, g in words.group_lists.items()},
        kind_lists={n: tuple(k) for n, k in words.kind_lists.items()},
        daily_max=tuple(words.daily_max),
        planner=words.planner,
        name_rewrites=tuple(words.name_rewrites.items()),
        not_brands=frozenset(words.not_brands),
    )
