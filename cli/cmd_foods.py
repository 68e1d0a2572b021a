"""``mealplan foods``: search, show and summarise the food tables.

Only click and cli.common are imported at module level; pandas, rich and the food_data package are
imported when a command runs, so ``mealplan --help`` stays fast.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from mealplan.cli.common import emit, format_option, load_foods, output_option, show, with_foods_options
from mealplan.numbers import fmt_amount

SHORT_NAMES = {
    "energy": "kcal",
    "magnesium": "Mg",
    "calcium": "Ca",
    "potassium": "K",
    "vitamin_d": "Vit D",
    "vitamin_b12": "B12",
}


@click.group("foods")
def foods() -> None:
    """Search, show and summarise the food tables.

    The tables are the bundled USDA SR24 table plus any --foods tables (a CSV of your own foods or a
    FoodData Central folder); --no-bundled leaves the USDA table out.

    \b
    Example:
      mealplan foods search --rich-in magnesium --diet vegan
    """


@foods.command("search")
@click.argument("words", nargs=-1)
@click.option("--rich-in", metavar="NUTRIENT", help="Only foods with a known amount, richest per serving first.")
@click.option("--diet", metavar="DIET", help="Only foods this diet allows: vegan, vegetarian, pescatarian, omnivore.")
@click.option("--category", metavar="CATEGORY", help='Only this category, e.g. "nuts and seeds".')
@click.option("--allergen-free", multiple=True, metavar="TAG", help="Leave out foods with this allergen. Repeatable.")
@click.option("--all", "include_all", is_flag=True, help="Search every food, not only the planner set.")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True, help="Show at most N foods.")
@with_foods_options
@format_option(("table", "json", "csv"))
@output_option
def search(words: tuple[str, ...], fmt: str, output: Path | None, **opts: Any) -> None:
    """Find foods by name and filters, with key nutrients per serving.

    A food matches when its name or id holds every WORD (case-insensitive).

    \b
    Examples:
      mealplan foods search salmon
      mealplan foods search --rich-in magnesium --diet vegan --category "nuts and seeds"
    """
    from mealplan.food_data.queries import SEARCH_NUTRIENTS, search_row
    from mealplan.food_data.queries import search as find

    table = load_foods(opts.pop("foods_paths"), opts.pop("no_bundled"))
    filters = _check_filters(table, opts)
    found, total = find(table, words, **filters, include_all=opts["include_all"], limit=opts["limit"])
    nutrients = list(SEARCH_NUTRIENTS) + [n for n in [filters["rich_in"]] if n and n not in SEARCH_NUTRIENTS]
    nutrients = [n for n in nutrients if n in table.units]
    scope = "all foods" if opts["include_all"] else "planner foods only; --all searches every food"
    footer = f"{len(found)} of {total} matching foods ({scope}). Amounts per serving; '-' = unknown."
    rows = [search_row(table, str(fid), food, nutrients) for fid, food in found.iterrows()]
    if fmt == "json":
        doc = {"matches": total, "shown": len(rows), "planner_only": not opts["include_all"], "foods": rows}
        emit(
            json.dumps(doc | {"units": {n: table.units[n] for n in nutrients}}, indent=2, ensure_ascii=False),
            output,
        )
    elif fmt == "csv":
        _emit_csv(rows, output, ["id", "name", "category", "serving", "serving_g", *nutrients])
    else:
        heads = ["id", "name", "category", "serving"] + [_label(table, n) for n in nutrients]
        cells = [
            [r["id"], r["name"], r["category"], r["serving"]] + [fmt_amount(r[n]) for n in nutrients] for r in rows
        ]
        show([_rich_table(heads, cells, "Foods"), footer], output)


@foods.command("show")
@click.argument("food_id", metavar="ID")
@click.option(
    "--profile",
    "profile_path",
    type=click.Path(allow_dash=True, path_type=Path),
    help="Also say whether this profile's plans may use the food, and every rule that keeps it out.",
)
@with_foods_options
@format_option(("table", "json", "csv"))
@output_option
def show_food(
    food_id: str,
    fmt: str,
    output: Path | None,
    foods_paths: tuple[Path, ...],
    no_bundled: bool,
    profile_path: Path | None = None,
) -> None:
    """Show every known nutrient of one food, per serving and measure.

    Amounts are given per 100 g (or the table's basis), per default serving and per household
    measure; ID is a food id (see `mealplan foods search`) or a food's exact name. With --profile,
    it also says which rules (diet, allergy, pregnancy food safety with its source, exclusions,
    dislikes) keep the food out of that profile's plans.

    \b
    Examples:
      mealplan foods show 09040
      mealplan foods show 15179 --profile examples/profiles/pregnant.yaml
    """
    from mealplan.food_data.queries import detail as food_detail
    from mealplan.food_data.queries import find_food

    table = load_foods(foods_paths, no_bundled)
    detail = food_detail(table, find_food(table, food_id))
    if profile_path is not None:
        from mealplan.cli.common import load_profile_arg
        from mealplan.optimizer.left_out import food_rules

        detail["profile"] = food_rules(load_profile_arg(profile_path), table, detail["id"])
    if fmt == "json":
        emit(json.dumps(detail, indent=2, ensure_ascii=False), output)
    elif fmt == "csv":
        rows = [
            {"nutrient": n["id"], "name": n["name"], "unit": n["unit"], f"per {table.basis}": n["per_basis"]}
            | {f"per {detail['serving']['name']}": n["per_serving"]}
            | {f"per {m['measure']} ({m['grams']:g} g)": m["nutrients"][n["id"]] for m in detail["measures"]}
            for n in detail["nutrients"]
        ]
        _emit_csv(rows, output)
    else:
        show(_detail_renderables(table, detail), output)


@foods.command("stats")
@with_foods_options
@format_option(("table", "json", "csv"))
@output_option
def stats(fmt: str, output: Path | None, foods_paths: tuple[Path, ...], no_bundled: bool) -> None:
    """Count foods per category and how complete each nutrient is.

    A nutrient's coverage is how many foods have a known value; a missing value is unknown, not zero.

    \b
    Example:
      mealplan foods stats --foods my_foods.csv
    """
    from mealplan.food_data.queries import stats as table_stats

    table = load_foods(foods_paths, no_bundled)
    doc = table_stats(table)
    if fmt == "json":
        emit(json.dumps(doc, indent=2, ensure_ascii=False), output)
    elif fmt == "csv":
        rows = [
            {"section": "category", "name": c["category"], "unit": "", "scope": s, "count": c[s]}
            for c in doc["categories"]
            for s in ("all", "planner")
        ]
        rows += [
            {"section": "nutrient", "name": n["id"], "unit": n["unit"], "scope": s}
            | {"count": n[s]["known"] + n[s]["missing"]}
            | n[s]
            for n in doc["nutrients"]
            for s in ("all", "planner")
        ]
        _emit_csv(rows, output)
    else:
        cats = [[c["category"], str(c["all"]), str(c["planner"])] for c in doc["categories"]]
        cats.append(["total", str(doc["foods"]), str(doc["planner_foods"])])
        cov = [
            [n["id"], n["unit"]]
            + [
                str(n[s][k]) if k != "percent_known" else f"{n[s][k]:.0f}%"
                for s in ("all", "planner")
                for k in ("known", "missing", "percent_known")
            ]
            for n in doc["nutrients"]
        ]
        heads = [
            "nutrient",
            "unit",
            "known",
            "missing",
            "% known",
            "planner known",
            "planner missing",
            "planner %",
        ]
        show(
            [
                _rich_table(["category", "all foods", "planner"], cats, "Foods per category"),
                _rich_table(heads, cov, "Nutrient coverage (missing is unknown, not zero)"),
            ],
            output,
        )


# --- option checks ------------------------------------------------------------------------------


def _check_filters(table: Any, opts: dict[str, Any]) -> dict[str, Any]:
    """Validate --rich-in, --diet, --category and --allergen-free; bad values name the flag."""
    from mealplan.food_data.vocab import ALLERGEN_SYNONYMS, ALLERGENS, CATEGORIES, DIETS

    out: dict[str, Any] = {"rich_in": None, "diet": None, "category": None, "allergen_free": []}
    if opts["rich_in"]:
        out["rich_in"] = _nutrient(table, opts["rich_in"])
    if opts["diet"]:
        out["diet"] = _pick(opts["diet"], DIETS, "--diet")
    if opts["category"]:
        out["category"] = _pick(opts["category"], CATEGORIES, "--category")
    for tag in opts["allergen_free"]:
        key = tag.strip().lower()
        out["allergen_free"].append(_pick(ALLERGEN_SYNONYMS.get(key, key), ALLERGENS, "--allergen-free", tag))
    return out


def _pick(value: str, allowed: tuple[str, ...], flag: str, shown: str | None = None) -> str:
    key = value.strip().lower().replace("-", "_").replace(" ", "_")
    for a in allowed:
        if a.replace(" ", "_") == key:
            return a
    raise click.BadParameter(f"{shown or value!r} is not allowed; choose from: {', '.join(allowed)}.", param_hint=flag)


def _nutrient(table: Any, text: str) -> str:
    """A nutrient id from a registry id, name or alias, or a custom nutrient of the table."""
    import difflib

    from mealplan.food_data.nutrients import ALIASES, NUTRIENTS, normalize_id, resolve

    nut = resolve(text)
    key = nut.id if nut else normalize_id(text)
    if key in table.units:
        return key
    if nut is not None:
        raise click.BadParameter(f"{text!r}: no food table loaded has {nut.id} values.", param_hint="--rich-in")
    names = {n.id for n in NUTRIENTS} | set(ALIASES) | set(table.units)
    close = difflib.get_close_matches(key, sorted(names), n=4, cutoff=0.5)
    hint = f" Did you mean: {', '.join(close)}?" if close else ""
    raise click.BadParameter(
        f"{text!r} is not a known nutrient.{hint} Nutrients are registry ids such as magnesium, calcium, "
        "potassium, vitamin_d, vitamin_b12 (see `mealplan foods stats`).",
        param_hint="--rich-in",
    )


# --- rendering ----------------------------------------------------------------------------------


def _label(table: Any, nutrient: str) -> str:
    from mealplan.food_data.nutrients import BY_ID

    name = SHORT_NAMES.get(nutrient) or (BY_ID[nutrient].name if nutrient in BY_ID else nutrient)
    return name if nutrient == "energy" else f"{name} {table.units[nutrient]}"


def _rich_table(heads: list[str], rows: list[list[str]], title: str):
    from rich.table import Table

    t = Table(title=title, title_justify="left")
    for i, h in enumerate(heads):
        numeric = i and rows and all(_numeric(r[i]) for r in rows)
        # The first column is an id or a name people copy: never cut or wrap it.
        t.add_column(h, justify="right" if numeric else "left", no_wrap=i == 0, overflow="fold")
    from mealplan.textsafe import term_text

    for r in rows:
        t.add_row(*(term_text(c) for c in r))  # names from user tables: no markup, no control codes
    return t


def _numeric(text: str) -> bool:
    return text == "-" or text.replace(",", "").replace(".", "", 1).replace("%", "").lstrip("-").isdigit()


def _detail_renderables(table: Any, d: dict[str, Any]) -> list[Any]:
    serving = d["serving"]["name"]
    same = serving == table.basis  # no separate per-serving column when the serving is the basis
    nutrients = [
        [n["name"], n["unit"], fmt_amount(n["per_basis"])] + ([] if same else [fmt_amount(n["per_serving"])])
        for n in d["nutrients"]
    ]
    info = (
        f"{d['name']} ({d['id']})\ncategory: {d['category'] or '-'}; diet: {d['diet'] or '-'}; allergens: "
        f"{', '.join(d['allergens']) or 'none'}; as eaten: {'yes' if d['as_eaten'] else 'no'}; "
        f"planner: {'yes' if d['planner'] else 'no'}\nsource: {d['source']}; serving: {serving}"
    )
    out: list[Any] = [
        info,
        _rich_table(["nutrient", "unit", f"per {table.basis}"] + ([] if same else [f"per {serving}"]), nutrients, ""),
    ]
    missing = d["missing"]
    out.append(
        f"{len(d['nutrients'])} nutrients known, {len(missing)} unknown (missing is not zero)"
        + (f": {', '.join(missing)}" if missing else ".")
    )
    if "profile" in d:
        out.append(_profile_text(d["profile"]))
    if d["measures"]:
        from mealplan.food_data.queries import SEARCH_NUTRIENTS

        keys = [n for n in SEARCH_NUTRIENTS if n in table.units]
        rows = [
            [m["measure"], f"{m['grams']:g}"] + [fmt_amount(m["nutrients"].get(n)) for n in keys] for m in d["measures"]
        ]
        out.append(
            _rich_table(["household measure", "g"] + [_label(table, n) for n in keys], rows, "Per household measure")
        )
    return out


def _profile_text(p: dict[str, Any]) -> str:
    """Whether a profile's plans may use the food, and each rule that keeps it out (with its source)."""
    head = f"Profile {p['profile_id']}: " + ("may be planned." if p["allowed"] else f"left out: {p['planner_reason']}.")
    lines = [f"  - {r['rule']}: {r['why']}\n    source: {r['source']}" for r in p["rules"]]
    return "\n".join([head, *lines])


def _emit_csv(rows: list[dict[str, Any]], output: Path | None, fields: list[str] | None = None) -> None:
    import io

    from mealplan.textsafe import csv_dict_writer

    buf = io.StringIO()
    fields = fields or list(dict.fromkeys(k for r in rows for k in r))
    writer = csv_dict_writer(buf, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: ("" if v is None else v) for k, v in r.items()} for r in rows)
    emit(buf.getvalue(), output)
