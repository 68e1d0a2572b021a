"""The seasonings vocabulary: herbs, spices and the like a dish's method uses and nutrients ignore.

``data/seasonings.yaml`` lists each seasoning once (its header documents the format): the name a
shopper asks for, its kind, the words a method uses for it, and what it is sold as. Dishes name
their seasonings from this list (checked at load); the shopping list buys them under "Herbs and
spices". Pure data: no printing, every problem of the file in one ``ConfigError``.
"""

from __future__ import annotations

import functools
import math
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from mealplan.errors import ConfigError
from mealplan.fileio import load_user_yaml, read_user_text
from mealplan.food_data.names import plural
from mealplan.food_data.table import DATA_DIR

SEASONINGS_FILE = DATA_DIR / "seasonings.yaml"
KINDS: tuple[str, ...] = ("spice", "herb", "aromatic", "citrus", "vinegar", "sauce")
SCHEMA = 1


class Seasoning(BaseModel):
    """One seasoning: how a shopper and a method name it, and how it is bought."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1)
    kind: str
    called: tuple[str, ...] = ()
    pack: str = ""
    per_dish: float | None = Field(default=None, gt=0, le=1)
    plural: str = ""

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, value: str) -> str:
        if value not in KINDS:
            raise ValueError(f"unknown kind {value!r}; allowed: {', '.join(KINDS)}")
        return value

    @property
    def words(self) -> tuple[str, ...]:
        """The phrases a method uses for it: ``called``, or the name."""
        return self.called or (self.name,)

    def purchase_text(self, dishes: int) -> str:
        """What to buy for ``dishes`` dishes: "1 jar ground cumin", "2 lemons", "1 bunch fresh dill"."""
        n = max(1, math.ceil(round((self.per_dish or 0) * dishes, 6))) if self.per_dish else 1
        if not self.pack:
            return f"{n} {self.name if n == 1 else (self.plural or plural(self.name, n))}"
        pack = self.pack if n == 1 else _plural_pack(self.pack)
        return f"{n} {pack} {self.name}"


def _plural_pack(word: str) -> str:
    return word + "es" if word.endswith(("ch", "sh", "s", "x")) else plural(word, 2)


class _File(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    schema_version: int = Field(alias="schema")
    seasonings: tuple[Seasoning, ...] = Field(min_length=1)


@functools.cache
def load_seasonings(path: Path | str = SEASONINGS_FILE) -> dict[str, Seasoning]:
    """The vocabulary by name, in file order.

    Raises:
        ConfigError: Listing every problem (entry, field, value, what is allowed).
    """
    label = Path(path).name
    text = read_user_text(path, "seasonings file", error=ConfigError)
    try:
        doc = _File.model_validate(load_user_yaml(text))
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = ".".join(str(p) for p in err["loc"])
            problems.append(f"{label}: {loc}: {err['msg']} (got {err.get('input')!r}).")
        raise ConfigError(f"{len(problems)} problem(s) in {label}:", problems) from None
    problems = []
    if doc.schema_version != SCHEMA:
        problems.append(f"{label}: schema {doc.schema_version} is not supported; allowed: {SCHEMA}.")
    out: dict[str, Seasoning] = {}
    words: dict[str, str] = {}
    for entry in doc.seasonings:
        if entry.name in out:
            problems.append(f"{label}: seasoning {entry.name!r} is listed twice; names must be unique.")
        out[entry.name] = entry
        for phrase in entry.words:
            key = phrase.lower()
            if key in words and words[key] != entry.name:
                problems.append(f"{label}: {phrase!r} is called by both {words[key]!r} and {entry.name!r}.")
            words[key] = entry.name
    if problems:
        raise ConfigError(f"{len(problems)} problem(s) in {label}:", problems)
    return out


def seasoning_words() -> dict[str, tuple[str, ...]]:
    """Name -> the phrases methods use for it, for every seasoning of the vocabulary."""
    return {name: s.words for name, s in load_seasonings().items()}
