"""Foods and dishes found by name, wherever a dietitian would otherwise type an id.

:class:`NameIndex` is a small picklable index of the food table and the dish library (ids, names as
the table and as people say them, categories), built once (``NameIndex.build``), searched by words
(:meth:`NameIndex.search`) and used to *resolve* what someone typed:

- :meth:`NameIndex.resolve` (a food or dish to require, add or swap): an id is itself; a name that
  names one food or dish is its id; a name that names several is ambiguous (the candidates are
  listed, best first), one that names none gets the closest names.
- :meth:`NameIndex.resolve_forbid` (a forbid): as above, but a glob (``*salmon*``) and a group word
  (``fish``) stay patterns, as the profile field reads them, and a name that several foods hold asks
  even when one food is called just that.

The command line and the web page share it: ``--forbid "salmon"`` asks which salmon (a prompt in a
terminal, else an error listing them), the page shows the candidates to choose from.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Literal

from mealplan.errors import InputError
from mealplan.food_data.matching import food_group
from mealplan.food_data.names import short_name

Kind = Literal["food", "dish"]
SHOWN = 12  # candidates an ambiguous name lists
_GLOB = re.compile(r"[*?\[]")
_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class Match:
    """A food or dish a name found."""

    kind: Kind
    id: str
    name: str  # as people say it ("lamb leg"); a dish's title
    full: str  # the food table's name ("Lamb, domestic, leg, ..."); a dish's title
    category: str = ""  # a food's category; a dish's meals ("lunch, dinner")
    planner: bool = True

    @property
    def label(self) -> str:
        """``lamb leg (17014, Lamb, domestic, leg, ...)``: what a list of candidates shows."""
        return f"{self.name} ({self.id})" if self.name == self.full else f"{self.name} ({self.id}, {self.full})"


@dataclass(frozen=True)
class Resolution:
    """What a typed food or dish came to: ``value`` (an id or a pattern), or the ``candidates`` of an
    ambiguous name, or nothing (``value`` None and no candidates: ``close`` has the nearest names)."""

    text: str
    value: str | None = None
    candidates: list[Match] = field(default_factory=list)
    total: int = 0
    close: list[Match] = field(default_factory=list)

    def problem(self, what: str, listed: bool = True) -> str:
        """The words of an error for an ambiguous or unknown name (``what``: "--forbid", "require row 2");
        ``listed`` False leaves the candidates out (a page shows them as choices)."""
        if self.candidates and not listed:
            return f"{what}: {self.text!r} names {self.total} foods or dishes: choose one below, or give a fuller name"
        if self.candidates:
            shown = "; ".join(m.label for m in self.candidates[:SHOWN])
            more = f" and {self.total - SHOWN} more" if self.total > SHOWN else ""
            return (
                f"{what}: {self.text!r} names {self.total} foods or dishes: {shown}{more}. Give one id, or a "
                "fuller name"
            )
        near = "; ".join(m.label for m in self.close)
        return (
            f"{what}: no food or dish is named {self.text!r}"
            + (f"; closest: {near}" if near else "")
            + (". Search with `mealplan foods search WORDS` or `mealplan dishes list`")
        )


def _words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


class NameIndex:
    """Every food and dish by id, with the words of their names (picklable, a few MB for SR24)."""

    def __init__(self, foods: list[Match], dishes: list[Match]) -> None:
        self.foods = {m.id: m for m in foods}
        self.dishes = {m.id: m for m in dishes}
        self._text = {("food", m.id): f"{m.id} {m.full} {m.name}".casefold() for m in foods}
        self._text |= {("dish", m.id): f"{m.id} {m.full}".casefold() for m in dishes}

    @classmethod
    def build(cls, foods, dishes=None) -> NameIndex:
        """The index of a :class:`~mealplan.food_data.table.FoodTable` and a dish library."""
        table = foods.foods
        planner = table["planner"].astype(bool) if "planner" in table.columns else [True] * len(table)
        food_list = [
            Match("food", str(fid), short_name(str(name)), str(name), str(cat), bool(p))
            for fid, name, cat, p in zip(table.index, table["name"], table["category"], planner, strict=True)
        ]
        dish_list = [Match("dish", d.id, d.name, d.name, ", ".join(d.slots)) for d in (dishes or [])]
        return cls(food_list, dish_list)

    def get(self, key: str) -> Match | None:
        """The food or dish with id ``key`` (a number is padded: ``9040`` is ``09040``)."""
        key = key.strip()
        padded = key.zfill(5) if key.isascii() and key.isdigit() else key
        return self.foods.get(padded) or self.dishes.get(key)

    def search(
        self, text: str, kind: str = "any", limit: int = 20, planner_only: bool = True
    ) -> tuple[list[Match], int]:
        """Foods and dishes whose id or name holds every word of ``text``, best first, and how many.

        Best: the name said exactly, then dishes and planner foods, names that start with the first
        word, then the shortest. ``planner_only`` leaves out foods outside the planner set (baby foods,
        brand variants) unless nothing else matches.
        """
        words = _words(text)
        if not words:
            return [], 0
        key = " ".join(words)
        found = []
        for (k, fid), hay in self._text.items():
            if kind != "any" and k != kind:
                continue
            if all(w in hay for w in words):
                found.append(self.foods[fid] if k == "food" else self.dishes[fid])
        if planner_only and any(m.planner for m in found):
            found = [m for m in found if m.planner]

        def rank(m: Match) -> tuple:
            said = " ".join(_words(m.name))
            return (
                said != key and m.id.casefold() != key,
                not said.startswith(words[0]),
                m.kind == "food",
                len(m.name),
                m.name,
                m.id,
            )

        found.sort(key=rank)
        return found[:limit], len(found)

    def _close(self, text: str, kind: str) -> list[Match]:
        pool = [m for m in (*self.foods.values(), *self.dishes.values()) if kind == "any" or m.kind == kind]
        names = {m.name.casefold(): m for m in pool if m.planner}
        near = difflib.get_close_matches(text.casefold(), list(names), n=3, cutoff=0.6)
        return [names[n] for n in near]

    def resolve(self, text: str, kind: str = "any") -> Resolution:
        """A food or dish id for what was typed: an id, or a name that names exactly one (an exact name
        wins over longer ones: "tofu" is not "tofu, fried")."""
        text = text.strip()
        hit = self.get(text)
        if hit is not None and (kind == "any" or hit.kind == kind):
            return Resolution(text, hit.id)
        found, total = self.search(text, kind, limit=10_000)
        said = [
            m
            for m in found
            if " ".join(_words(m.name)) == " ".join(_words(text)) or m.full.casefold() == text.casefold()
        ]
        if len(said) == 1:
            return Resolution(text, said[0].id)
        if total == 1:
            return Resolution(text, found[0].id)
        if total == 0:
            return Resolution(text, close=self._close(text, kind))
        return Resolution(text, candidates=found[:SHOWN], total=total)

    def resolve_forbid(self, text: str) -> Resolution:
        """What a forbid keeps out: an id, a glob or a group word as typed; a name of exactly one food or
        dish is its id. A name several foods or dishes hold is ambiguous even when one is called just
        that ("salmon" may mean every salmon): the candidates say which, or ``*salmon*`` keeps them all."""
        text = text.strip()
        if _GLOB.search(text) or food_group(text.casefold()) is not None:
            return Resolution(text, text)
        hit = self.get(text)
        if hit is not None:
            return Resolution(text, hit.id)
        found, total = self.search(text, limit=10_000)
        if total == 1:
            return Resolution(text, found[0].id)
        if total == 0:
            return Resolution(text, close=self._close(text, "any"))
        return Resolution(text, candidates=found[:SHOWN], total=total)


def resolved(index: NameIndex, values: list[str] | tuple[str, ...], flag: str, *, forbid: bool = False) -> list[str]:
    """Every value resolved (an id or pattern), or one error naming each ambiguous or unknown one.

    Raises:
        InputError: listing, for each value that names several foods or dishes, the candidates, and
            for each that names none, the closest names.
    """
    out, problems = [], []
    for v in values:
        r = index.resolve_forbid(v) if forbid else index.resolve(v)
        if r.value is None:
            problems.append(r.problem(f"{flag} {v}"))
        else:
            out.append(r.value)
    if problems:
        raise InputError("Some foods or dishes named on the command line are not one food or dish:", problems)
    return out
