"""A plan's foods aggregated into a shopping list, in units people buy, grouped by store section.

Every food of every day is summed, near-duplicate products on one line (``food_data.purchase.merge_key``:
the reviewed shopping name, so three kinds of nonfat milk are "nonfat milk", raw and cooked spinach
"spinach", scrambled and hard-boiled eggs "eggs"), listing the foods merged as its variants. A food
eaten cooked is bought raw or dry (``food_data.purchase.purchase_form``: a published cooking yield
where one fits, else dry matter kept, raw grams = cooked grams × (100 − water cooked) / (100 − water
raw)); without a food table it is listed as eaten. The grams eaten are always kept; the purchase text
rounds the grams bought up to something you can pick off a shelf (``report.purchase``):

- whole fruit, vegetables and eggs are counted ("6 medium bananas", "8 large eggs (1 dozen box)"),
  from the food table's household measures or, without a table, the plan's own serving measure;
  lime and lemon juice as the fruit ("1 lime (for about 15 mL juice)");
- products sold in packs as the packs, with the amount the plan uses (data/purchase_packs.csv:
  "1 bottle olive oil (16.9 fl oz; uses about 60 mL)", "1 loaf whole-wheat bread (20 oz; uses about
  11 slices)", "1 half gallon (64 fl oz) and 1 quart (32 fl oz) 2% milk (uses about 2.7 L)");
- grains and pulses planned cooked in the packs of the dry food ("1 bag brown rice (2 lb; uses about
  210 g, makes about 690 g cooked)"), pulses also in 15-oz cans; meat, fish and vegetables planned
  cooked as the raw weight ("450 g boneless skinless chicken breasts (about 1 lb), raw (cooks to about
  320 g)");
- everything else by weight, rounded up to a sensible step, with pounds for larger amounts.

Store sections come from the food's planner category and words in its name (canned, frozen,
dried, juice...); dried herbs and spices have a section of their own ("Herbs and spices").

A household's list (issue 30) is the same list over several plans (every member's portions, merged
by product), minus the pantry: ``pantry`` gives the grams of each product (as bought, the products of
``targets.pantry.bought``) the kitchen already holds for the plans; each line takes its share of its
products' pantry grams, and buys the rest. A line the pantry covers whole is listed under "Already at
home (pantry)". A dish eaten by several people at one meal is cooked once (``plan_dishes``).
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

if TYPE_CHECKING:
    from collections.abc import Mapping

    from mealplan.food_data.dishes import DishLibrary
    from mealplan.food_data.table import FoodTable
    from mealplan.plan import Plan

from mealplan.food_data.names import head_noun
from mealplan.food_data.purchase import Purchase, is_cooked, merge_key, purchase_form
from mealplan.household_plan import TAP_WATER
from mealplan.report.purchase import (
    COUNTED,
    SECTIONS,
    cooked_text,
    purchase_text,
    serving_unit,
    store_section,
    unit_measure,
)
from mealplan.report.text import csv_dict_writer, md_escape


class ShoppingItem(BaseModel):
    """One food to buy.

    Attributes:
        food_id: Food id in the food table (the first, when several foods are bought as one).
        name: The food's name as the plan gives it ("; "-joined when several foods are bought as one,
            e.g. hard-boiled and scrambled eggs are both bought as eggs).
        food_ids: Every food id this item covers.
        section: Store section id (a key of ``SECTIONS``).
        total_grams: Grams eaten over the whole plan.
        purchase_text: What to buy, rounded up to purchase units, e.g. ``"6 medium bananas"``.
        days_used: Day numbers (1-based) on which the food is eaten.
        portions: How many times it appears in a meal over the plan.
        product: The product the line is, e.g. ``"nonfat milk"`` (``food_data.purchase.merge_key``).
        variants: The foods merged into the line, by name, in order of first use.
        buy_food_id: The food bought, when another form than eaten (the raw or dry form of a food
            eaten cooked); else ``food_id``.
        buy_grams: Grams to buy, before rounding up to shop units: ``total_grams`` with each cooked
            food converted to its raw or dry weight.
        yield_note: How cooked grams became bought grams, e.g. ``"dry matter kept: water 73.1 %
            cooked, 10.4 % dry"``; empty when everything is bought as eaten.
        pantry_grams: Of ``buy_grams``, the grams the pantry already holds (a household's list); the
            purchase text is for the rest.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    food_id: str
    name: str
    section: str
    food_ids: list[str]
    total_grams: float
    purchase_text: str
    days_used: list[int]
    portions: int
    product: str = ""
    variants: list[str] = []
    buy_food_id: str = ""
    buy_grams: float = 0.0
    yield_note: str = ""
    pantry_grams: float = 0.0


class ShoppingSection(BaseModel):
    """One store section and its items, in the order they were first used in the plan."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    title: str
    items: list[ShoppingItem]


class ShoppingDish(BaseModel):
    """A dish the plan cooks, with the meals it feeds.

    Attributes:
        dish_id: The dish's id in the dish library.
        title: The dish's name as the plan gives it (without "(leftovers from day N)").
        meals: Where it is eaten, in order, e.g. ``["day 1 dinner", "day 2 lunch"]``.
        days_used: Day numbers (1-based) on which it is eaten.
        times_cooked: How many times it is cooked (a leftover lunch is cooked with the dinner before).
        note: ``"cooked once for two meals"`` when leftovers make one cooking feed several meals.
        portions: How many plates it fills in all (a household's meal is one cooking, several plates).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    dish_id: str
    title: str
    meals: list[str]
    days_used: list[int]
    times_cooked: int
    note: str = ""
    portions: int = 0


class ShoppingList(BaseModel):
    """The shopping list of a plan, by store section (sections in shop-walk order, empty ones left out),
    and the dishes it cooks ("Dishes this week")."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    profile_id: str
    days: int
    sections: list[ShoppingSection]
    skipped: list[str] = []
    dishes: list[ShoppingDish] = []

    @property
    def items(self) -> list[ShoppingItem]:
        """Every item, section by section."""
        return [item for section in self.sections for item in section.items]


# --- the list ------------------------------------------------------------------------------------


def _buy_key(food_id: str, name: str, category: str = "") -> str:
    """Foods bought as the same thing share a key: whole eggs however cooked, potatoes baked or boiled
    (counted), and near-duplicate products (``merge_key``: three kinds of nonfat milk)."""
    low = name.lower()
    head = head_noun(name)
    noun = COUNTED.get(head)
    if noun and not re.search(r"canned|frozen|dried|juice|dehydrated|powder|mashed|white|yolk", low):
        return f"count:{noun}"
    return f"product:{merge_key(name, category) or food_id}"


def _bought(entry: dict, foods: FoodTable | None) -> tuple[dict[str, Purchase], float]:
    """Each food's purchase form (as eaten without a table, or when counted) and the grams to buy."""
    forms = {}
    for item in entry["items"]:
        as_is = Purchase(id=item.food_id, name=item.name)
        counted = entry["key"].startswith("count:")
        forms[item.food_id] = as_is if foods is None or counted else purchase_form(item.food_id, foods)
    return forms, sum(entry["by_id"][i] * p.grams_factor for i, p in forms.items())


def _line_text(entry: dict, forms: dict[str, Purchase], buy_g: float, category: str, foods: FoodTable | None) -> str:
    """The purchase text of a line whose foods are (partly) eaten cooked and bought raw or dry."""
    cooked = [i for i, p in forms.items() if p.converted]
    buy = forms[cooked[0]]
    cooked_g = sum(entry["by_id"][i] for i in cooked)
    for_cooking = sum(entry["by_id"][i] * forms[i].grams_factor for i in cooked)
    return cooked_text(
        buy.name,
        category,
        buy_g,
        cooked_g,
        buy.form,
        None if len(cooked) == len(forms) else for_cooking,
        _table_measures(foods, buy.id),
    )


def _table_measures(foods: FoodTable | None, food_id: str) -> list[tuple[str, float]] | None:
    if foods is None or food_id not in foods.foods.index:
        return None
    return foods.measures_of(food_id)


def _piece_grams(item, foods: FoodTable | None) -> float | None:
    head = head_noun(item.name)
    unit = unit_measure(_table_measures(foods, item.food_id) or [], head) or serving_unit(
        item.serving_name, item.serving_g
    )
    return unit[1] if unit else None


def _in_first_food_pieces(entry: dict, foods: FoodTable | None) -> float:
    """Grams of several foods bought as one (eggs scrambled and hard-boiled) expressed in pieces of
    the first food: a scrambled large egg weighs 61 g, a hard-boiled one 50 g, and both are one egg."""
    first = _piece_grams(entry["items"][0], foods)
    if not first:
        return entry["grams"]
    total = 0.0
    for item in entry["items"]:
        piece = _piece_grams(item, foods) or first
        total += entry["by_id"][item.food_id] / piece * first
    return total


_SKIP = TAP_WATER
PANTRY_SECTION = ("at_home", "Already at home (pantry)")


def _plans(plan: Plan | Sequence[Plan]) -> list[Plan]:
    return list(plan) if isinstance(plan, Sequence) else [plan]


def _day_offset(plan: Plan) -> int:
    # Day numbers for people start at 1, whether the plan counts days from 0 or from 1.
    return 1 if plan.days and min(d.index for d in plan.days) == 0 else 0


def _entry(key: str, item) -> dict:
    return {"key": key, "item": item, "names": [], "ids": [], "items": [], "by_id": {}, "grams": 0.0, "days": set(),
            "portions": 0}  # fmt: skip


def _aggregate(plans: list[Plan]) -> tuple[dict[str, dict], list[str]]:
    """Every item of every plan summed by what it is bought as (``_buy_key``), in order of first use."""
    totals: dict[str, dict] = {}
    skipped: list[str] = []
    for plan in plans:
        offset = _day_offset(plan)
        for day in plan.days:
            for slot in day.slots:
                for item in slot.items:
                    if _SKIP.search(item.name):
                        skipped += [] if item.name in skipped else [item.name]
                        continue
                    key = _buy_key(item.food_id, item.name, item.category)
                    entry = totals.setdefault(key, _entry(key, item))
                    if item.food_id not in entry["ids"]:
                        entry["ids"].append(item.food_id)
                        entry["names"].append(item.name)
                        entry["items"].append(item)
                        entry["by_id"][item.food_id] = 0.0
                    entry["by_id"][item.food_id] += item.grams
                    entry["grams"] += item.grams
                    entry["days"].add(day.index + offset)
                    entry["portions"] += 1
    return totals, skipped


def _pantry_shares(totals: dict[str, dict], foods: FoodTable, pantry: Mapping[str, float]) -> dict[str, float]:
    """Each line's grams (as bought) from the pantry: its share of each of its products' pantry grams, in
    proportion to its grams of the product among every line's."""
    from mealplan.targets.pantry import bought

    per_line: dict[str, dict[str, float]] = {}
    product_total: dict[str, float] = {}
    for key, entry in totals.items():
        mine = per_line.setdefault(key, {})
        for fid, grams in entry["by_id"].items():
            b = bought(fid, foods)
            mine[b.product] = mine.get(b.product, 0.0) + grams * b.factor
            product_total[b.product] = product_total.get(b.product, 0.0) + grams * b.factor
    return {
        key: sum(pantry.get(p, 0.0) * g / product_total[p] for p, g in mine.items() if product_total[p] > 0)
        for key, mine in per_line.items()
    }


def _line(entry: dict, foods: FoodTable | None, from_pantry: float = 0.0) -> ShoppingItem:
    """One line of the list: what to buy for an aggregated entry, less what the pantry holds of it."""
    item = entry["item"]
    food_id = item.food_id
    measures = _table_measures(foods, food_id)
    category = item.category
    if foods is not None and food_id in foods.foods.index and "category" in foods.foods.columns:
        value = foods.foods.at[food_id, "category"]
        category = value if isinstance(value, str) and value else category
    forms, buy_g = _bought(entry, foods)
    converted = [p for p in forms.values() if p.converted]
    rest = max(1.0 - from_pantry / buy_g, 0.0) if buy_g > 0 else 1.0  # the share still to buy
    section = store_section(category, item.name)
    if rest <= PANTRY_COVERS:
        section, text = PANTRY_SECTION[0], f"from the pantry: about {round(buy_g):,} g"
    elif converted:
        left = {**entry, "by_id": {k: v * rest for k, v in entry["by_id"].items()}}
        text = _line_text(left, forms, buy_g * rest, category, foods)
    else:
        grams = _in_first_food_pieces(entry, foods) if len(entry["ids"]) > 1 else entry["grams"]
        packs = foods is not None or not is_cooked(item.name)  # a cooked weight is no pack's weight
        text = purchase_text(item.name, category, grams * rest, measures, (item.serving_name, item.serving_g), packs)
    if from_pantry > 0 and rest > PANTRY_COVERS:
        text += f", and {round(from_pantry):,} g from the pantry"
    return ShoppingItem(
        food_id=food_id,
        name="; ".join(entry["names"]),
        section=section,
        food_ids=entry["ids"],
        total_grams=round(entry["grams"], 1),
        purchase_text=text,
        days_used=sorted(entry["days"]),
        portions=entry["portions"],
        product=entry["key"].split(":", 1)[1],
        variants=entry["names"],
        buy_food_id=converted[0].id if converted else food_id,
        buy_grams=round(buy_g if converted else entry["grams"], 1),
        yield_note="; ".join(dict.fromkeys(p.note for p in converted)),
        pantry_grams=round(min(from_pantry, buy_g), 1),
    )


# A line the pantry covers to within this share is not bought (a spoonful over is not a trip to the shop).
PANTRY_COVERS = 0.02


def shopping_list(
    plan: Plan | Sequence[Plan],
    foods: FoodTable | None = None,
    dishes: DishLibrary | None = None,
    pantry: Mapping[str, float] | None = None,
    title: str | None = None,
) -> ShoppingList:
    """Aggregate a plan's foods (or several plans': a household's) into a shopping list by store section.

    Args:
        plan: A day or week plan, or several (each member's plan of a household).
        foods: The food table the plan was made from; its household measures give better purchase
            units (whole pieces, cans, blocks), and its raw and dry forms the grams to buy of foods
            eaten cooked. Without it the plan's own serving measures are used, and foods are bought
            as eaten.
        dishes: The dish library the plan was made from, for the seasonings its dishes use
            (``seasonings_section``); without it the bundled library's.
        pantry: Grams of each product (``targets.pantry.bought``) the kitchen holds for the plans, as
            bought; each line buys what its share leaves (needs ``foods``).
        title: Whose list it is (default: the plan's profile id).

    Returns:
        The list, sections in shop-walk order (``SECTIONS``, then "Herbs and spices", then "Already at
        home (pantry)"), items in order of first use. Tap and bottled water are left out (named in
        ``skipped``).
    """
    plans = _plans(plan)
    totals, skipped = _aggregate(plans)
    shares = _pantry_shares(totals, foods, pantry) if pantry and foods is not None else {}
    by_section: dict[str, list[ShoppingItem]] = {key: [] for key in (*SECTIONS, PANTRY_SECTION[0])}
    for key, entry in totals.items():
        line = _line(entry, foods, shares.get(key, 0.0))
        by_section[line.section].append(line)
    titles = {**SECTIONS, PANTRY_SECTION[0]: PANTRY_SECTION[1]}
    at_home = by_section.pop(PANTRY_SECTION[0])
    sections = [ShoppingSection(id=key, title=titles[key], items=items) for key, items in by_section.items() if items]
    herbs = seasonings_section(plans, dishes)
    sections += [herbs] if herbs else []
    sections += [ShoppingSection(id=PANTRY_SECTION[0], title=PANTRY_SECTION[1], items=at_home)] if at_home else []
    return ShoppingList(
        profile_id=title or plans[0].profile_id,
        days=max(len(p.days) for p in plans),
        sections=sections,
        skipped=skipped,
        dishes=plan_dishes(plans),
    )


HERBS_SECTION = ("herbs_spices", "Herbs and spices")


def seasonings_section(plan: Plan | Sequence[Plan], dishes: DishLibrary | None = None) -> ShoppingSection | None:
    """The herbs, spices, garlic, citrus and vinegars the plan's dishes list under ``seasonings``.

    One line per seasoning, in the vocabulary's order (``food_data/data/seasonings.yaml``), bought as
    its pack ("1 jar ground cumin") or by the piece for the dishes that use it ("2 lemons" for four
    dishes at half a lemon each). A leftover meal is cooked with the meal before, so it counts its
    day but not another use; a household's meal of one dish is one cooking, however many eat it.
    Items carry no food id and no grams: nutrients ignore seasonings. None when no dish lists one.
    """
    from mealplan.food_data.dishes import bundled_seasonings
    from mealplan.food_data.seasonings import load_seasonings

    by_dish = {d.id: d.seasonings for d in dishes} if dishes is not None else bundled_seasonings()
    vocab = load_seasonings()
    uses: dict[str, dict] = {}
    for day_no, slot in _meals(_plans(plan)):
        for name in by_dish.get(slot.dish_id or "", ()):
            entry = uses.setdefault(name, {"days": set(), "cooked": set()})
            entry["days"].add(day_no)
            entry["cooked"] |= set() if slot.leftover_of is not None else {(day_no, slot.name, slot.dish_id)}
    for entry in uses.values():
        entry["n"] = len(entry["cooked"])
    items = [
        ShoppingItem(
            food_id="",
            name=name,
            section=HERBS_SECTION[0],
            food_ids=[],
            total_grams=0.0,
            purchase_text=vocab[name].purchase_text(max(uses[name]["n"], 1)),
            days_used=sorted(uses[name]["days"]),
            portions=uses[name]["n"],
            product=name,
            variants=[name],
        )
        for name in vocab
        if name in uses
    ]
    return ShoppingSection(id=HERBS_SECTION[0], title=HERBS_SECTION[1], items=items) if items else None


_LEFTOVER_SUFFIX = re.compile(r"\s*\(leftovers? from day \d+\)\s*$", re.IGNORECASE)
_COUNT_WORDS = {1: "once", 2: "twice"}
_NUMBER_WORDS = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven"}


def _meals(plans: list[Plan]):
    """Every meal of the plans as (day number from 1, slot), plan after plan."""
    for plan in plans:
        offset = _day_offset(plan)
        for day in plan.days:
            for slot in day.slots:
                yield day.index + offset, slot


def plan_dishes(plan: Plan | Sequence[Plan]) -> list[ShoppingDish]:
    """Each dish of the plan (or of a household's plans) once, with the meals it feeds, in order of first use.

    A leftover lunch (``leftover_of`` set) is the dinner before, cooked twice over: it adds a meal,
    not a cooking. Its ingredients are on the list once each, in the grams both meals eat. A household's
    meal of one dish is one meal and one cooking, with a plate for each person who eats it
    ("day 1 dinner (4 people)").
    """
    plans = _plans(plan)
    found: dict[str, dict] = {}
    for day_no, slot in _meals(plans):
        if not slot.dish_id:
            continue
        title = _LEFTOVER_SUFFIX.sub("", slot.title).strip()
        entry = found.setdefault(slot.dish_id, {"title": title, "meals": {}, "days": set(), "cooked": set()})
        meal = (day_no, slot.name)
        entry["meals"][meal] = entry["meals"].get(meal, 0) + 1
        entry["days"].add(day_no)
        entry["cooked"] |= set() if slot.leftover_of is not None else {meal}
    out = []
    for dish_id, e in found.items():
        meals, cooked, plates = len(e["meals"]), max(len(e["cooked"]), 1), sum(e["meals"].values())
        times = _COUNT_WORDS.get(cooked, f"{cooked} times")
        note = f"cooked {times} for {_NUMBER_WORDS.get(meals, str(meals))} meals" if meals > cooked else ""
        if len(plans) > 1 and plates > meals:  # a household's: the plates of every cooking
            note = f"{note or f'cooked {times}'}, {plates} plates"
        out.append(
            ShoppingDish(
                dish_id=dish_id,
                title=e["title"] or dish_id,
                meals=[f"day {d} {s}" + (f" ({n} people)" if n > 1 else "") for (d, s), n in e["meals"].items()],
                days_used=sorted(e["days"]),
                times_cooked=cooked,
                note=note,
                portions=plates,
            )
        )
    return out


# --- renderings ----------------------------------------------------------------------------------


def _days_text(days: list[int], n_days: int) -> str:
    if n_days > 1 and len(days) == n_days:
        return "every day"
    return ", ".join(str(d) for d in days)


def shopping_rows(shopping: ShoppingList) -> list[dict[str, object]]:
    """Flat rows (section, buy, food, grams, days, food_id) for tables and CSV."""
    return [
        {
            "section": section.title,
            "buy": item.purchase_text,
            "food": item.name,
            "grams": round(item.total_grams),
            "days": _days_text(item.days_used, shopping.days),
            "food_id": item.food_id,
        }
        for section in shopping.sections
        for item in section.items
    ]


def shopping_csv(shopping: ShoppingList) -> str:
    """The list as CSV: section, buy, food, grams, days, food_id."""
    buf = io.StringIO()
    writer = csv_dict_writer(buf, fieldnames=["section", "buy", "food", "grams", "days", "food_id"])
    writer.writeheader()
    writer.writerows(shopping_rows(shopping))
    return buf.getvalue()


def _variants_text(item: ShoppingItem) -> str:
    """The foods a line stands for: the one food, or "variants: a; b" when several were merged."""
    names = item.variants or [item.name]
    text = "; ".join(md_escape(n) for n in names)
    return f"variants: {text}" if len(names) > 1 else text


def shopping_markdown(shopping: ShoppingList, heading_level: int = 1) -> str:
    """The list as Markdown: one heading per store section, a checklist of items under it."""
    h = "#" * heading_level
    span = f"{shopping.days} days" if shopping.days != 1 else "1 day"
    lines = [f"{h} Shopping list: {md_escape(shopping.profile_id)} ({span})", ""]
    for section in shopping.sections:
        lines += [f"{h}# {section.title}", ""]
        for item in section.items:
            days = _days_text(item.days_used, shopping.days)
            when = days if days == "every day" else f"day{'s' if len(item.days_used) > 1 else ''} {days}"
            eaten = f"{item.total_grams:.0f} g eaten, " if item.food_ids else ""  # seasonings: no grams
            lines.append(f"- [ ] **{md_escape(item.purchase_text)}** — {eaten}{when} <br>_{_variants_text(item)}_")
        lines.append("")
    if shopping.skipped:
        lines += [f"_Not listed (from the tap): {', '.join(md_escape(s) for s in shopping.skipped)}._", ""]
    if shopping.dishes:
        lines += [f"{h}# Dishes this week", ""]
        for dish in shopping.dishes:
            note = f" _({md_escape(dish.note)})_" if dish.note else ""
            lines.append(f"- **{md_escape(dish.title)}** — {md_escape(', '.join(dish.meals))}{note}")
        lines.append("")
    return "\n".join(lines)
