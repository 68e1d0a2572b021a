"""``mealplan dishes``: list, show and check the dish library.

Only click and cli.common are imported at module level; the library is imported when a command runs.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from mealplan.cli.common import dishes_option, emit, format_option, note, output_option, show
from mealplan.food_data.vocab import KEY_NUTRIENTS
from mealplan.numbers import fmt_amount

# A dish summary shows energy and protein, then the key nutrients.
DISH_NUTRIENTS = ("energy", "protein", *KEY_NUTRIENTS)


@click.group("dishes")
def dishes() -> None:
    """List, show and check the dish library meals are built from.

    \b
    Example:
      mealplan dishes list --slot dinner --diet vegan
    """


@dishes.command("list")
@click.option("--slot", type=click.Choice(["breakfast", "lunch", "dinner", "snack"]), help="Only dishes for this meal.")
@click.option("--diet", metavar="DIET", help="Only dishes this diet allows: vegan, vegetarian, pescatarian, omnivore.")
@click.option(
    "--allergen-free", multiple=True, metavar="TAG", help="Leave out dishes that need this allergen. Repeatable."
)
@dishes_option
@format_option(("table", "json"))
@output_option
def list_dishes(
    slot: str | None,
    diet: str | None,
    allergen_free: tuple[str, ...],
    fmt: str,
    output: Path | None,
    dishes_paths: tuple[Path, ...],
) -> None:
    """List dishes with their slots, diet, allergens and kcal a portion.

    \b
    Example:
      mealplan dishes list --slot lunch --allergen-free gluten --allergen-free milk
    """
    library = _load(dishes_paths)
    diet, tags = _check_filters(diet, allergen_free)
    found = library.select(slot=slot, diet=diet, allergen_free=tags)
    rows = [_summary(library, d) for d in found]
    if fmt == "json":
        emit(json.dumps({"count": len(rows), "dishes": rows}, indent=2, ensure_ascii=False), output)
        return
    cells = [
        [
            r["id"],
            r["name"],
            "/".join(r["slots"]),
            r["diet"],
            ", ".join(r["allergens"]) or "-",
            f"{r['energy_kcal']:.0f}",
        ]
        for r in rows
    ]
    table = _rich_table(["id", "name", "slots", "diet", "allergens", "kcal"], cells, "Dishes")
    show(
        [table, f"{len(rows)} of {len(library)} dishes. Diet and allergens are those of the required ingredients."],
        output,
    )


@dishes.command("show")
@click.argument("dish_id", metavar="ID")
@dishes_option
@format_option(("table", "json"))
@output_option
def show_dish(dish_id: str, fmt: str, output: Path | None, dishes_paths: tuple[Path, ...]) -> None:
    """Show one dish: method, seasonings, ingredients, diet and nutrients.

    \b
    Example:
      mealplan dishes show oatmeal-milk-banana-almonds
    """
    library = _load(dishes_paths)
    detail = _detail(library, library.get(dish_id))
    if fmt == "json":
        emit(json.dumps(detail, indent=2, ensure_ascii=False), output)
        return
    head = (
        f"{detail['name']} ({detail['id']})\nSlots: {', '.join(detail['slots'])}"
        f"{'  Cuisine: ' + detail['cuisine'] if detail['cuisine'] else ''}\nMethod: {detail['method']}\n"
        f"Seasonings: {', '.join(detail['seasonings']) or 'none'}\n"
        f"Diet: {detail['diet']}  Allergens: {', '.join(detail['allergens']) or 'none'}"
    )
    ings = [
        [
            i["food"],
            i["name"],
            i["role"],
            f"{i['grams']:g}",
            f"{i['min']:g}-{i['max']:g}",
            "yes" if i["optional"] else "",
        ]
        for i in detail["ingredients"]
    ]
    nuts = [[n["nutrient"], fmt_amount(n["amount"]), n["unit"], n["unknown_for"]] for n in detail["nutrients"]]
    show(
        [
            head,
            _rich_table(
                ["food", "name", "role", "grams", "range g", "optional"], ings, "Ingredients (as eaten, one portion)"
            ),
            _rich_table(["nutrient", "per portion", "unit", "unknown for"], nuts, "Key nutrients per default portion"),
        ],
        output,
    )


@dishes.command("check")
@dishes_option
@click.option("--no-bundled", is_flag=True, help="Check only the --dishes files, not the bundled library.")
def check_dishes(dishes_paths: tuple[Path, ...], no_bundled: bool) -> None:
    """Check the dish library and --dishes files; exit 2 on any problem.

    Warnings (a portion's energy out of range, a food not as eaten, unknown nutrient values) are
    printed but do not fail the check.

    \b
    Example:
      mealplan dishes check --dishes my_dishes.yaml
    """
    from mealplan.food_data.dishes import check

    library = _load(dishes_paths, bundled=not no_bundled)
    warnings = check(library)
    for text in library.notes:  # not `note`: that is the function that prints the warnings below
        click.echo(f"note: {text}")
    for w in warnings:
        note(f"warning: {w}")
    click.echo(f"OK: {len(library)} dishes valid ({len(warnings)} warning(s)).")


# --- helpers ------------------------------------------------------------------------------------


def _load(paths: tuple[Path, ...], bundled: bool = True) -> Any:
    from mealplan.food_data.dishes import load_dishes
    from mealplan.food_data.table import load_bundled

    return load_dishes(paths, foods=load_bundled(), bundled=bundled)


def _check_filters(diet: str | None, tags: tuple[str, ...]) -> tuple[str | None, tuple[str, ...]]:
    from mealplan.errors import InputError
    from mealplan.food_data.vocab import ALLERGEN_SYNONYMS, ALLERGENS, DIETS

    if diet and diet.lower() not in DIETS:
        raise InputError(f"--diet {diet!r} is not a diet; allowed: {', '.join(DIETS)}.")
    out = []
    for tag in tags:
        key = ALLERGEN_SYNONYMS.get(tag.strip().lower(), tag.strip().lower())
        if key not in ALLERGENS:
            raise InputError(f"--allergen-free {tag!r} is not an allergen; allowed: {', '.join(ALLERGENS)}.")
        out.append(key)
    return (diet.lower() if diet else None), tuple(out)


def _summary(library: Any, dish: Any) -> dict[str, Any]:
    facts = library.derived(dish.id)
    return {
        "id": dish.id,
        "name": dish.name,
        "slots": dish.slots,
        "cuisine": dish.cuisine,
        "diet": facts.diet,
        "allergens": list(facts.required_allergens),
        "energy_kcal": round(facts.energy, 1),
    }


def _detail(library: Any, dish: Any) -> dict[str, Any]:
    facts = library.derived(dish.id)
    frame, units = library.foods.foods, library.foods.units
    ings = [i.model_dump() | {"name": str(frame.at[i.food, "name"]), "optional": i.optional} for i in dish.ingredients]
    nutrients = [
        {
            "nutrient": n,
            "amount": round(facts.nutrients[n], 3),
            "unit": units.get(n, ""),
            "unknown_for": ", ".join(facts.missing.get(n, [])),
        }
        for n in DISH_NUTRIENTS
        if n in facts.nutrients
    ]
    return {
        "id": dish.id, "name": dish.name, "slots": dish.slots, "cuisine": dish.cuisine, "method": dish.method,
        "seasonings": list(dish.seasonings), "name_markup": dish.name_markup, "method_markup": dish.method_markup,
        "diet": facts.diet, "diet_with_optional": facts.diet_with_optional, "allergens": list(facts.required_allergens),
        "allergens_with_optional": list(facts.allergens), "portion_g": facts.grams, "ingredients": ings,
        "nutrients": nutrients, "source": library.sources.get(dish.id),
    }  # fmt: skip


def _rich_table(heads: list[str], rows: list[list[str]], title: str) -> Any:
    from rich.table import Table

    t = Table(title=title, title_justify="left")
    for i, h in enumerate(heads):
        t.add_column(h, no_wrap=i == 0, overflow="fold")
    from mealplan.textsafe import term_text

    for r in rows:
        t.add_row(*(term_text(c) for c in r))  # titles from user dish files: no markup, no control codes
    return t
