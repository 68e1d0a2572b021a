"""A plan's foods aggregated into a shopping list, in units people buy, grouped by store section.

Every food of every day is summed by food id. The total in grams is always kept; the purchase
text rounds it up to something you can pick off a shelf:

- whole fruit, vegetables and eggs are counted ("6 medium bananas", "8 large eggs (1 dozen box)"),
  from the food table's household measures or, without a table, the plan's own serving measure;
- milks, juices and other drinks in litres, rounded up to half a litre ("1.5 L soy milk");
- bread in loaves ("1 loaf whole-wheat bread (about 12 slices)");
- grains and pulses planned cooked as the dry weight to buy ("250 g dry brown rice (makes about
  690 g cooked)"), pulses also in 15-oz cans;
- everything else by weight, rounded up to a sensible step, with pounds for larger amounts
  ("450 g chicken breast (about 1 lb)").

Store sections come from the food's planner category and words in its name (canned, frozen,
dried, juice...).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

if TYPE_CHECKING:
    from mealplan.food_data.table import FoodTable
    from mealplan.optimizer.plan import Plan

from mealplan.report.purchase import (
    COUNTED,
    SECTIONS,
    purchase_text,
    serving_unit,
    singular,
    store_section,
    unit_measure,
)
from mealplan.report.text import md_escape


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
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    dish_id: str
    title: str
    meals: list[str]
    days_used: list[int]
    times_cooked: int
    note: str = ""


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


def _buy_key(food_id: str, name: str) -> str:
    """Foods bought as the same thing share a key: whole eggs however cooked, potatoes baked or boiled."""
    low = name.lower()
    head = singular(re.sub(r"\s*\(.*?\)", "", name.split(",")[0]).strip().lower())
    noun = COUNTED.get(head)
    if noun and not re.search(r"canned|frozen|dried|juice|dehydrated|powder|mashed|white|yolk", low):
        return f"count:{noun}"
    return food_id


def _table_measures(foods: FoodTable | None, food_id: str) -> list[tuple[str, float]] | None:
    if foods is None or food_id not in foods.foods.index:
        return None
    return foods.measures_of(food_id)


def _piece_grams(item, foods: FoodTable | None) -> float | None:
    head = singular(re.sub(r"\s*\(.*?\)", "", item.name.split(",")[0]).strip().lower())
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


_SKIP = re.compile(r"^water, (tap|bottled)|^beverages, water, (tap|bottled)", re.IGNORECASE)


def shopping_list(plan: Plan, foods: FoodTable | None = None) -> ShoppingList:
    """Aggregate a plan's foods into a shopping list grouped by store section.

    Args:
        plan: A day or week plan.
        foods: The food table the plan was made from; its household measures give better purchase
            units (whole pieces, cans, blocks). Without it the plan's own serving measures are used.

    Returns:
        The list, sections in shop-walk order (``SECTIONS``), items in order of first use. Tap and
        bottled water are left out (named in ``skipped``).
    """
    totals: dict[str, dict] = {}
    skipped: list[str] = []
    # Day numbers for people start at 1, whether the plan counts days from 0 or from 1.
    offset = 1 if plan.days and min(d.index for d in plan.days) == 0 else 0
    for day in plan.days:
        day_no = day.index + offset
        for slot in day.slots:
            for item in slot.items:
                if _SKIP.search(item.name):
                    if item.name not in skipped:
                        skipped.append(item.name)
                    continue
                entry = totals.setdefault(
                    _buy_key(item.food_id, item.name),
                    {
                        "item": item,
                        "names": [],
                        "ids": [],
                        "items": [],
                        "by_id": {},
                        "grams": 0.0,
                        "days": set(),
                        "portions": 0,
                    },
                )
                if item.food_id not in entry["ids"]:
                    entry["ids"].append(item.food_id)
                    entry["names"].append(item.name)
                    entry["items"].append(item)
                    entry["by_id"][item.food_id] = 0.0
                entry["by_id"][item.food_id] += item.grams
                entry["grams"] += item.grams
                entry["days"].add(day_no)
                entry["portions"] += 1

    by_section: dict[str, list[ShoppingItem]] = {key: [] for key in SECTIONS}
    for entry in totals.values():
        item = entry["item"]
        food_id = item.food_id
        measures = _table_measures(foods, food_id)
        category = item.category
        if foods is not None and food_id in foods.foods.index and "category" in foods.foods.columns:
            value = foods.foods.at[food_id, "category"]
            category = value if isinstance(value, str) and value else category
        grams = entry["grams"]
        if len(entry["ids"]) > 1:
            grams = _in_first_food_pieces(entry, foods)
        section = store_section(category, item.name)
        text = purchase_text(item.name, category, grams, measures, (item.serving_name, item.serving_g))
        by_section[section].append(
            ShoppingItem(
                food_id=food_id,
                name="; ".join(entry["names"]),
                section=section,
                food_ids=entry["ids"],
                total_grams=round(entry["grams"], 1),
                purchase_text=text,
                days_used=sorted(entry["days"]),
                portions=entry["portions"],
            )
        )
    sections = [ShoppingSection(id=key, title=SECTIONS[key], items=items) for key, items in by_section.items() if items]
    return ShoppingList(
        profile_id=plan.profile_id,
        days=len(plan.days),
        sections=sections,
        skipped=skipped,
        dishes=plan_dishes(plan),
    )


_LEFTOVER_SUFFIX = re.compile(r"\s*\(leftovers? from day \d+\)\s*$", re.IGNORECASE)
_COUNT_WORDS = {1: "once", 2: "twice"}
_NUMBER_WORDS = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven"}


def plan_dishes(plan: Plan) -> list[ShoppingDish]:
    """Each dish of the plan once, with the meals it feeds, in order of first use.

    A leftover lunch (``leftover_of`` set) is the dinner before, cooked twice over: it adds a meal,
    not a cooking. Its ingredients are on the list once each, in the grams both meals eat.
    """
    offset = 1 if plan.days and min(d.index for d in plan.days) == 0 else 0
    found: dict[str, dict] = {}
    for day in plan.days:
        for slot in day.slots:
            if not slot.dish_id:
                continue
            title = _LEFTOVER_SUFFIX.sub("", slot.title).strip()
            entry = found.setdefault(slot.dish_id, {"title": title, "meals": [], "days": set(), "n": 0})
            entry["meals"].append(f"day {day.index + offset} {slot.name}")
            entry["days"].add(day.index + offset)
            entry["n"] += 0 if slot.leftover_of is not None else 1
    out = []
    for dish_id, e in found.items():
        meals, cooked = len(e["meals"]), max(e["n"], 1)
        note = ""
        if meals > cooked:
            times = _COUNT_WORDS.get(cooked, f"{cooked} times")
            note = f"cooked {times} for {_NUMBER_WORDS.get(meals, str(meals))} meals"
        out.append(
            ShoppingDish(
                dish_id=dish_id,
                title=e["title"] or dish_id,
                meals=e["meals"],
                days_used=sorted(e["days"]),
                times_cooked=cooked,
                note=note,
            )
        )
    return out


def dish_line(dish: ShoppingDish) -> str:
    """A dish in words: "Lentil dal with brown rice — day 1 dinner, day 2 lunch (cooked once for two meals)"."""
    text = f"{dish.title} — {', '.join(dish.meals)}"
    return text + (f" ({dish.note})" if dish.note else "")


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
    import csv
    import io

    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=["section", "buy", "food", "grams", "days", "food_id"])
    writer.writeheader()
    writer.writerows(shopping_rows(shopping))
    return buf.getvalue()


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
            lines.append(
                f"- [ ] **{md_escape(item.purchase_text)}** — {item.total_grams:.0f} g in all, {when} "
                f"<br>_{md_escape(item.name)}_"
            )
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
