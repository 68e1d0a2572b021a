"""A dish's text for the plate it is served on: the words that name its ingredients, the title and
method for the ingredients actually used, and the checks that keep the text true to the list.

The markup itself (lists, optional parts, matching words) is ``dish_markup``; this module binds it
to a dish: each ingredient's ``called`` phrases name it (key: its food id), and every seasoning of
the vocabulary is known too (key: ``~`` + its name), so a method's "red pepper flakes" is the
seasoning, not the red pepper. Pure functions: no food table beyond the names passed in, no printing.
"""

from __future__ import annotations

import difflib
import functools
import re
from typing import TYPE_CHECKING

from mealplan.food_data.dish_markup import Mentions, grammar_problems, markup_problems, phrase_words, render
from mealplan.food_data.names import short_name
from mealplan.food_data.seasonings import load_seasonings, seasoning_words

if TYPE_CHECKING:
    from mealplan.food_data.dishes import Dish, Ingredient


def default_called(usda_name: str) -> str:
    """What a dish's text calls a food when its file does not say: the short name, no aside."""
    return re.sub(r"\s*\(.*?\)", "", short_name(usda_name)).strip()


def with_called(dish: Dish, names: dict[str, str]) -> Dish:
    """The dish with ``called`` filled in (``default_called``) on ingredients whose file left it out."""
    if all(i.called or i.food not in names for i in dish.ingredients):
        return dish
    ings = [
        i if i.called or i.food not in names else i.model_copy(update={"called": (default_called(names[i.food]),)})
        for i in dish.ingredients
    ]
    return dish.model_copy(update={"ingredients": ings})


def dish_mentions(dish: Dish) -> Mentions:
    """The phrases of the dish's text: each ingredient's ``called`` (key: food id) and every seasoning
    of the vocabulary (key: ``~`` + its name), so "red pepper flakes" is not the red pepper."""
    return _mentions(tuple((i.food, i.called) for i in dish.ingredients))


@functools.lru_cache(maxsize=2048)
def _mentions(called: tuple[tuple[str, tuple[str, ...]], ...]) -> Mentions:
    return Mentions.of({**{f"~{n}": words for n, words in seasoning_words().items()}, **dict(called)})


def dish_text(dish: Dish, used: set[str] | frozenset[str] | None = None) -> tuple[str, str]:
    """A dish's title and method for the ingredients a plate uses.

    An optional ingredient whose food id is not in ``used`` leaves both texts with the words that
    name it ("Oatmeal with milk, banana and almonds" -> "Oatmeal with milk and banana"); required
    ingredients always stay.

    Args:
        dish: A dish of a loaded library.
        used: Food ids on the plate; None means every ingredient.

    Returns:
        ``(title, method)``.
    """
    absent = frozenset(() if used is None else (i.food for i in dish.ingredients if i.optional and i.food not in used))
    mentions = dish_mentions(dish)
    return render(dish.name_markup, mentions, absent), render(dish.method_markup, mentions, absent)


def _label(ing: Ingredient) -> str:
    return f"{ing.food} ({ing.called[0]})" if ing.called else ing.food


def text_problems(dish: Dish) -> list[str]:
    """Seasonings from the vocabulary, ``called`` phrases that tell ingredients apart, and markup that
    takes every optional ingredient out of the text with its words."""
    out: list[str] = []
    vocab = load_seasonings()
    for name in dish.seasonings:
        if name not in vocab:
            close = difflib.get_close_matches(name, list(vocab), n=3)
            hint = f"did you mean {', '.join(close)}?" if close else "see food_data/data/seasonings.yaml"
            out.append(f"field seasonings: unknown seasoning {name!r}; {hint}")
    twice = sorted({n for n in dish.seasonings if dish.seasonings.count(n) > 1})
    if twice:
        out.append(f"field seasonings: {', '.join(map(repr, twice))} listed more than once.")
    foods = [i.food for i in dish.ingredients]
    twice = sorted({f for f in foods if foods.count(f) > 1})
    if twice:
        out.append(f"field ingredients: food {', '.join(twice)} is listed more than once; list it once.")
    owner: dict[tuple[str, ...], str] = {}
    for k, ing in enumerate(dish.ingredients):
        for phrase in ing.called:
            words = phrase_words(phrase)
            if not words:
                out.append(f"field ingredients[{k}] (food {ing.food!r}): called {phrase!r} has no words.")
            elif owner.get(words, ing.food) != ing.food:
                out.append(
                    f"field ingredients[{k}] (food {ing.food!r}): called {phrase!r} is also what food "
                    f"{owner[words]!r} is called; give each ingredient its own words."
                )
            owner.setdefault(words, ing.food)
    if out:
        return out
    mentions = dish_mentions(dish)
    optional = {i.food: _label(i) for i in dish.ingredients if i.optional}
    return markup_problems("name", dish.name_markup, mentions, optional) + markup_problems(
        "method", dish.method_markup, mentions, optional
    )


def text_warnings(dish: Dish) -> list[str]:
    """What a cook would trip on: an ingredient or listed seasoning the method never names, a
    seasoning named but not listed, salt, and text that reads badly as written or once an optional
    ingredient is left out (each one alone, then all of them)."""
    mentions = dish_mentions(dish)
    out: list[str] = []
    found = mentions.find(dish.method)
    named = {key for key, _ in found}
    out += [f"method never names ingredient {_label(i)}." for i in dish.ingredients if i.food not in named]
    out += [f"method never uses the seasoning {s!r} it lists." for s in dish.seasonings if f"~{s}" not in named]
    for key, words in found:
        if key.startswith("~") and key[1:] not in dish.seasonings:
            out.append(f"method uses {words!r} but seasonings does not list {key[1:]!r}.")
    if re.search(r"\bsalt", dish.method, re.IGNORECASE):
        out.append("method says salt; sodium is a target the plan counts, so leave salt out of the method.")
    optional = [i.food for i in dish.ingredients if i.optional]
    every = {i.food for i in dish.ingredients}
    no_optional: set[str] = set()
    for absent in [no_optional] + [{f} for f in optional] + ([set(optional)] if len(optional) > 1 else []):
        for field, text in zip(("name", "method"), dish_text(dish, every - absent), strict=True):
            bad = grammar_problems(text)
            if bad:
                without = f" without {', '.join(sorted(absent))}" if absent else ""
                out.append(f"field {field}{without} reads {text!r}: {bad}.")
    return list(dict.fromkeys(out))
