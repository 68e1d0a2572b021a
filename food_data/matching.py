"""Food patterns: how ``exclude``, ``likes``, ``dislikes`` and ``forbid`` entries name foods. One definition.

A pattern names a food when it is the food's id, or, with ``*``, ``?`` or ``[``, a glob matching
the whole name (case-insensitive), or else a case-insensitive substring of the name. A pattern
that is a group word ("fish", "red meat", "dairy", "mushrooms"; ``food_data/data/curation_food_groups.yaml``)
also names every food of the group, found by its category, allergen tags and name words, so
"fish" names "Salmon, sockeye, canned". A blank pattern names no food.

Pure Python and numpy (no pandas): the planner calls this on every plan.
"""

from __future__ import annotations

import fnmatch
import functools
import re
import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from mealplan.errors import ConfigError
from mealplan.food_data.vocab import ALLERGENS, CATEGORIES, members_of, split_tags

_GLOB = "*?["
DATA_DIR = Path(__file__).parent / "data"
GROUPS_FILE = DATA_DIR / "curation_food_groups.yaml"
WORDS_FILE = DATA_DIR / "curation_words.yaml"  # the curation's named word lists (``lists:``)
_TERM = re.compile(r"^[a-z0-9']+(?: [a-z0-9']+)?$")
_WORD = re.compile(r"[a-z0-9']+")


def _terms(values: list[str]) -> list[str]:
    bad = [t for t in values if not _TERM.match(t)]
    if bad:
        raise ValueError(f"{bad} are not lowercase words or two-word phrases")
    return values


class _Group(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    say: list[str] = Field(min_length=1)
    categories: list[str] = []
    allergens: list[str] = []
    lists: list[str] = []
    words: list[str] = []
    unless_lists: list[str] = []
    unless: list[str] = []

    _words = field_validator("say", "words", "unless")(_terms)

    _categories = field_validator("categories")(members_of(CATEGORIES, "categories"))
    _allergens = field_validator("allergens")(members_of(ALLERGENS, "allergens"))


class _GroupsFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    schema_: int = Field(alias="schema")
    groups: dict[str, _Group]


@dataclass(frozen=True)
class FoodGroup:
    """A group of foods a word names: by category, allergen tag or name terms (minus ``unless``)."""

    name: str
    categories: frozenset[str]
    allergens: frozenset[str]
    terms: frozenset[str]
    unless: frozenset[str]

    def excludes(self, name: str) -> bool:
        """Whether the name holds an ``unless`` term ("Bacon, meatless", "Doughnuts")."""
        return bool(name_terms(name) & self.unless)

    def holds(self, name: str, category: object = "", allergens: object = "") -> bool:
        """Whether the food with this name, category and ``;``-joined allergen tags is in the group."""
        words = name_terms(name)
        if words & self.unless:
            return False
        return (
            str(category) in self.categories
            or bool(self.allergens.intersection(split_tags(allergens)))
            or bool(words & self.terms)
        )


@functools.cache
def food_groups(path: Path = GROUPS_FILE, words_file: Path = WORDS_FILE) -> dict[str, FoodGroup]:
    """Every group word (lower case) and its group, read and checked once.

    Raises:
        ConfigError: listing every problem of the file (field, bad value, what is allowed).
    """
    try:
        doc = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        lists = yaml.load(words_file.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        lists = lists["words"]
    except (OSError, yaml.YAMLError, KeyError, TypeError) as exc:
        raise ConfigError(f"{path}: cannot read the food groups: {exc}") from exc
    try:
        groups = _GroupsFile.model_validate(doc).groups
    except ValidationError as exc:
        errors = [
            f"{path}: {'.'.join(map(str, e['loc']))}: {e['msg'].removeprefix('Value error, ')}" for e in exc.errors()
        ]
        raise ConfigError("The food-group file has problems:", errors) from None
    problems: list[str] = []
    out: dict[str, FoodGroup] = {}
    for key, g in groups.items():
        missing = [
            f"{path}: groups.{key}.{field}: no word list {n!r} in {words_file.name}"
            for field in ("lists", "unless_lists")
            for n in getattr(g, field)
            if n not in lists
        ]
        problems += missing
        lists_of = {n: lists.get(n, ()) for n in (*g.lists, *g.unless_lists)}
        group = FoodGroup(
            name=key,
            categories=frozenset(g.categories),
            allergens=frozenset(g.allergens),
            terms=frozenset(g.words).union(*(lists_of[n] for n in g.lists)),
            unless=frozenset(g.unless).union(*(lists_of[n] for n in g.unless_lists)),
        )
        for word in g.say:
            if word in out:
                problems.append(f"{path}: groups.{key}.say: {word!r} already names group {out[word].name!r}")
            out[word] = group
    if problems:
        raise ConfigError("The food-group file has problems:", problems)
    return out


def food_group(pattern: str) -> FoodGroup | None:
    """The group a pattern names ("Fish", " red meat "), or None for an id, glob or plain substring."""
    key = " ".join(pattern.lower().split())
    if not key or any(ch in key for ch in _GLOB):
        return None
    return food_groups().get(key)


@functools.lru_cache(maxsize=32768)
def name_terms(name: str) -> frozenset[str]:
    """The words of a name and its two-word phrases, lower case (as the curation reads names)."""
    words = _WORD.findall(name.lower())
    return frozenset(words).union(f"{a} {b}" for a, b in zip(words, words[1:], strict=False))


def food_matches(pattern: str, food_id: str, name: str, category: object = "", allergens: object = "") -> bool:
    """Whether ``pattern`` names the food with this id, name and (for group words) tags."""
    pat = pattern.strip()
    if not pat:
        return False
    if pat == str(food_id):
        return True
    if any(ch in pat for ch in _GLOB):
        return fnmatch.fnmatchcase(name.lower(), pat.lower())
    group = food_group(pat)
    if group is not None:  # the group, or its word in the name ("Catfish"), but never an ``unless`` name
        return group.holds(name, category, allergens) or (pat.lower() in name.lower() and not group.excludes(name))
    return pat.lower() in name.lower()


class NameIndex:
    """Names lower-cased once, and joined by line breaks for one C-speed search per word or regex."""

    def __init__(self, names: Iterable[object]) -> None:
        self.names = [str(n) for n in names]
        joined = "\n".join(self.names)
        if joined.count("\n") != max(len(self.names) - 1, 0):  # a name with a line break in it
            joined = "\n".join(n.replace("\n", " ") for n in self.names)
        joined = joined.lower()  # one call, not one a name
        self.lowered = joined.split("\n") if self.names else []
        self._text = joined
        self._starts: np.ndarray | None = None  # where each name starts in ``_text``

    def holding(self, text: str) -> list[int]:
        """Positions of the names that hold ``text`` (lower case; a line break in a name reads as a space)."""
        return self._lines(re.compile(re.escape(text.replace("\n", " "))))

    def matching(self, regex: re.Pattern[str]) -> list[int]:
        """Positions of the lower-cased names where ``regex`` (``re.MULTILINE`` for anchors) finds a match.

        When every branch of the regex holds a plain run of letters (``required_runs``), only the names
        holding one of the runs are searched (a literal scan is 10-50 times faster than a regex scan).
        """
        runs = None if regex.flags & re.VERBOSE else required_runs(regex.pattern)  # (verbose: spaces are no text)
        if runs is None:
            if regex.flags & re.DOTALL or _CROSSES_LINES.search(regex.pattern):  # "[^1]" matches the line break
                return [i for i, n in enumerate(self.lowered) if regex.search(n)]
            return self._lines(regex)
        maybe: set[int] = set()
        for run in runs:
            maybe.update(self.holding(run.lower() if regex.flags & re.IGNORECASE else run))
        if all(ch == "|" or _plain(ch) for ch in regex.pattern):  # "baked|fried": the runs are the regex
            return sorted(maybe)
        return [i for i in sorted(maybe) if regex.search(self.lowered[i])]

    def _lines(self, regex: re.Pattern[str]) -> list[int]:
        if self._starts is None:
            self._starts = np.cumsum([0] + [len(n) + 1 for n in self.lowered[:-1]])
        joined, starts = self._text, self._starts
        found = [m.start() for m in regex.finditer(joined)]
        return np.unique(np.searchsorted(starts, found, side="right") - 1).tolist()


_INDEXES: dict[int, tuple[weakref.ref, NameIndex]] = {}


def name_index(names: Iterable[object]) -> NameIndex:
    """The ``NameIndex`` of ``names``; of a numpy array (a table's name column) one, kept while the
    array lives, so a plan's patterns share it (0.05 s for each on a 100,000-food table)."""
    if not isinstance(names, np.ndarray):
        return NameIndex(names)
    key = id(names)
    kept = _INDEXES.get(key)
    if kept is None or kept[0]() is not names:
        kept = _INDEXES[key] = (weakref.ref(names, lambda _: _INDEXES.pop(key, None)), NameIndex(names))
    return kept[1]


# What may match a line break, so one scan of the joined names could run from one name into the next:
# a negated class, \s, \W, \D, a written line break or an inline DOTALL flag.
_CROSSES_LINES = re.compile(r"\[\^|\\[sWDnNxu0]|\(\?[a-zA-Z]*s")
_PLAIN = frozenset(" ,'-&/")  # besides lower-case letters and digits
SPELLINGS_MAX = 16  # "p[aâ]t[eé]" is four spellings of a run; a class past this ends the run


def _plain(ch: str) -> bool:
    return ch in _PLAIN or (ch.isalnum() and not ch.isupper())


def _better(a: list[str], b: list[str]) -> list[str]:
    """The more telling of two runs (spellings of one stretch): the longer shortest spelling, then fewer."""
    return max((a, b), key=lambda r: (min(map(len, r)), -len(r)))


@functools.lru_cache(maxsize=256)
def required_runs(pattern: str) -> tuple[str, ...] | None:
    """Plain texts at least one of which every match of ``pattern`` holds; None when a top-level
    branch holds none (or the pattern is beyond this small reading).

    Per top-level branch, its most telling run of plain characters, in every spelling a small class
    allows: ``required_runs(r"\\bbread\\b|egg,? white|p[aâ]té")`` -> ``("bread", " white", "paté",
    "pâté")``. An atom before ``?``, ``*`` or ``{`` is dropped (optional), and it, ``+`` (repeated),
    escapes, groups, ``.`` and bigger classes end a run, so a run is only ever a stretch the branch
    must match as written.
    """
    found: list[str] = []
    run, before, best, depth, i = [""], [""], [""], 0, 0

    def ended() -> tuple[list[str], list[str], list[str]]:  # (run, before, best) once the run ends
        return [""], [""], _better(best, run)

    while i < len(pattern):
        ch = pattern[i]
        if depth == 0 and ch == "|":
            run, before, best = ended()
            if not best[0]:
                return None
            found += best
            best = [""]
        elif ch in "?*+{":
            if depth == 0:
                run = before if ch != "+" else run
                run, before, best = ended()
            if ch == "{":
                i = pattern.find("}", i)  # "{2,3}": a count, not letters
                if i < 0:
                    return None
        elif ch == "\\":
            i += 1  # an escape (\b, \d, \.): ends the run
            if depth == 0:
                run, before, best = ended()
        elif ch == "[":
            close = pattern.find("]", i + 2)  # a class ("[]a]" holds "]" first)
            if close < 0:
                return None
            chars = sorted(set(pattern[i + 1 : close]))
            plain = pattern[i + 1] != "^" and "-" not in pattern[i + 2 : close - 1] and all(map(_plain, chars))
            if depth == 0:
                if plain and len(run) * len(chars) <= SPELLINGS_MAX:
                    before, run = run, [r + c for r in run for c in chars]
                else:
                    run, before, best = ended()
            i = close
        elif ch in "()":
            if depth == 0:
                run, before, best = ended()
            depth += 1 if ch == "(" else -1
        elif depth == 0:
            if _plain(ch):
                before, run = run, [r + ch for r in run]
            else:  # ".", "^", "$" and anything else
                run, before, best = ended()
        i += 1
    run, before, best = ended()
    return tuple(found + best) if best[0] else None


def pattern_masks(
    patterns: Iterable[str],
    ids: Sequence[str] | np.ndarray,
    names: Iterable[object],
    categories: Iterable[object] | None = None,
    allergens: Iterable[object] | None = None,
) -> list[np.ndarray]:
    """Per pattern, one bool per food: does it name the food (``food_matches``, vectorised).

    ``categories`` and ``allergens`` (one per food) let group words use the food's tags; without
    them a group word finds foods by their names.
    """
    ids = np.asarray(ids, dtype=object)
    found = name_index(names)
    lowered = found.lowered
    out = []
    for p in patterns:
        pat = p.strip()
        mask = np.zeros(len(ids), dtype=bool)
        out.append(mask)
        if not pat:
            continue
        mask |= ids == pat
        needle = pat.lower()
        if any(ch in pat for ch in _GLOB):
            rx = re.compile(fnmatch.translate(needle))
            # The literal runs before any "[" are in every name the glob matches: a quick look first
            # (the whole-name regex costs 2 us a name; 0.1 s a pattern on a 29,000-food table).
            runs = [r for r in re.split(r"[*?]", needle.split("[", 1)[0]) if r]
            maybe = found.holding(runs[0]) if runs else range(len(lowered))
            mask[[i for i in maybe if all(r in lowered[i] for r in runs) and rx.match(lowered[i])]] = True
            continue
        group = food_group(pat)
        if group is None:
            mask[found.holding(needle)] = True
            continue
        cats = [""] * len(ids) if categories is None else list(categories)
        tags = [""] * len(ids) if allergens is None else list(allergens)
        mask |= np.array(
            [
                group.holds(n, c, a) or (needle in low and not group.excludes(n))
                for n, low, c, a in zip(found.names, lowered, cats, tags, strict=True)
            ],
            dtype=bool,
        )
    return out


def pattern_mask(
    patterns: Iterable[str],
    ids: Sequence[str] | np.ndarray,
    names: Iterable[object],
    categories: Iterable[object] | None = None,
    allergens: Iterable[object] | None = None,
) -> np.ndarray:
    """One bool per food: does any of ``patterns`` name it (``pattern_masks`` joined)."""
    masks = pattern_masks(patterns, ids, names, categories, allergens)
    return np.logical_or.reduce(masks) if masks else np.zeros(len(ids), dtype=bool)
