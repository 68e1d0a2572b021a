"""The numbers behind a report: coverage of each target, nutrient order, sources of the key nutrients,
shortfalls in plain words, and the number formats people read. No HTML or Markdown here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from mealplan.food_data.names import short_name
from mealplan.food_data.vocab import KEY_NUTRIENTS
from mealplan.numbers import cell_float, fmt_amount
from mealplan.report.meals import day_number

if TYPE_CHECKING:
    from mealplan.food_data.table import FoodTable
    from mealplan.plan import DayPlan, NutrientTotal, Plan, Shortfall

__all__ = ["day_number"]

SCALE_PCT = 150.0  # coverage bars run from 0 to 150 % of the target; 100 % is marked
CLOSE_PCT = 90.0  # at or above this (and below 100 %) a nutrient is "nearly there"
TOP_SOURCES = 5

# What each nutrient does and where to find it, in words a client understands. Our own wording,
# from the project's domain notes; no supplement doses, ever.
NUTRIENT_NOTES: dict[str, str] = {
    "magnesium": "Helps muscles relax after they contract. Rich foods: pumpkin seeds, almonds and cashews, "
    "spinach and chard, beans and lentils, whole grains.",
    "calcium": "Needed for every muscle contraction and steady nerves. Rich foods: milk and yogurt, "
    "calcium-fortified plant milks, calcium-set tofu, kale and broccoli, sardines with their bones.",
    "potassium": "Keeps the electrical balance of muscle cells. Rich foods: beans and lentils, potatoes "
    "and sweet potatoes, bananas, leafy greens, avocado, dried apricots.",
    "vitamin_d": "Lets the body absorb calcium. Few foods contain much: most comes from sunlight on the "
    "skin. Oily fish, eggs, fortified milks and juices and UV-exposed mushrooms help. A blood test "
    "(25-hydroxy vitamin D) shows whether you are low; ask your clinician before taking any supplement.",
    "vitamin_b12": "Protects the insulation of nerves. Only animal foods (meat, fish, eggs, dairy) and "
    "fortified foods (some cereals and plant milks) supply it; absorption falls with age and with "
    "acid-reducing medicines. A blood test can check your level.",
    "vitamin_b6": "Helps nerves send signals. Found in chickpeas, potatoes, bananas, fish and poultry.",
    "iron": "Carries oxygen to muscles and nerves. Found in beans and lentils, tofu, fortified cereals, "
    "leafy greens and meat; vitamin C in the same meal helps absorption.",
    "sodium": "Lost in sweat; a pinch of salt in cooking usually covers it.",
    "protein": "Builds and repairs muscle. Found in beans, lentils, tofu, eggs, dairy, fish and meat.",
    "fiber": "Found in whole grains, beans, vegetables, fruit, nuts and seeds.",
    "water": "Most of the water you need comes from drinks; the plan counts only the water inside foods.",
    "folate": "Found in leafy greens, beans, lentils and fortified grains.",
    "zinc": "Found in pumpkin seeds, beans, whole grains, dairy and meat.",
    "choline": "Found in eggs, soybeans and tofu, fish, meat and broccoli.",
    "vitamin_a": "Found in orange and dark green vegetables (carrots, sweet potato, spinach, kale).",
    "vitamin_c": "Found in citrus, kiwi, berries, peppers, broccoli and tomatoes.",
    "vitamin_e": "Found in sunflower seeds, almonds, vegetable oils and leafy greens.",
    "niacin": "Found in peanuts, whole grains, fish, poultry and mushrooms.",
}


def pct_text(value: float | None) -> str:
    """A percentage for people; just under 100 never rounds up to a misleading "100%"."""
    if value is None:
        return "–"
    return f"{math.floor(value)}%" if 99 <= value < 100 else f"{value:.0f}%"


@dataclass(frozen=True)
class _Coverage:
    """A total seen against its target: what share, and how to colour it."""

    pct: float | None  # of the minimum, or of the maximum for limit-only nutrients
    limit_pct: float | None  # where the upper limit sits, on the same scale
    status: str  # met | close | short | over | limit-ok | none
    limit_only: bool


def coverage(total: NutrientTotal) -> _Coverage:
    """Classify a nutrient total against its minimum and maximum."""
    lo, hi, amount = total.min, total.max, total.amount
    over = hi is not None and amount > hi * 1.0001
    if lo:
        pct = 100.0 * amount / lo
        limit = 100.0 * hi / lo if hi else None
        if over:
            status = "over"
        elif total.met or pct >= 99.95:
            status = "met"
        elif pct >= CLOSE_PCT:
            status = "close"
        else:
            status = "short"
        return _Coverage(pct, limit, status, False)
    if hi:
        return _Coverage(100.0 * amount / hi, 100.0, "over" if over else "limit-ok", True)
    return _Coverage(None, None, "none", False)


STATUS_WORDS = {
    "met": "on target",
    "close": "nearly there",
    "short": "short",
    "over": "above the upper limit",
    "limit-ok": "within the limit",
    "none": "",
}


def target_names(plan: Plan) -> dict[str, str]:
    names = {nid: t.name for nid, t in plan.targets.items.items()}
    names.setdefault("energy", "Energy")
    return names


def _suspected(plan: Plan) -> list[str]:
    out: list[str] = []
    if plan.triage is not None:
        out += [s.nutrient for s in plan.triage.suspected]
    out += [nid for nid, t in plan.targets.items.items() if t.suspected]
    return list(dict.fromkeys(out))


def nutrient_order(plan: Plan) -> list[str]:
    """Targeted nutrients to chart: suspected first, then the key five, then the rest as targeted."""
    targeted = [nid for nid, t in plan.targets.items.items() if t.min or t.max]
    first = [n for n in (*_suspected(plan), *KEY_NUTRIENTS) if n in targeted]
    return list(dict.fromkeys([*first, *targeted]))


def key_nutrients(plan: Plan) -> list[str]:
    """The key five plus every suspected nutrient that has a target."""
    wanted = [*KEY_NUTRIENTS, *_suspected(plan)]
    return [n for n in dict.fromkeys(wanted) if n in plan.targets.items and n != "water"]


def red_flags(plan: Plan) -> list:
    """The plan's red flags and the triage's, each once."""
    flags = list(plan.red_flags) + (list(plan.triage.red_flags) if plan.triage else [])
    seen: dict[str, object] = {}
    for f in flags:
        seen.setdefault(f.id, f)
    return list(seen.values())


def week_total(plan: Plan, nutrient: str) -> NutrientTotal | None:
    """The week's daily average for a nutrient, or the only day's total for a day plan."""
    if plan.week_totals and nutrient in plan.week_totals:
        return plan.week_totals[nutrient]
    if len(plan.days) == 1:
        return plan.days[0].totals.get(nutrient)
    return None


@dataclass(frozen=True)
class Source:
    """One food's contribution to a nutrient over the plan."""

    food_id: str
    name: str
    per_day: float
    share: float  # 0-1 of the plan's total


def nutrient_sources(plan: Plan, foods: FoodTable, nutrient: str, top: int = TOP_SOURCES) -> list[Source]:
    """Foods that supply a nutrient, largest first: the top ``top`` and an "other foods" rest. Foods
    with the same short name (two kinds of nonfat milk) count as one source.

    Per-item amounts are grams / 100 x the food's per-100 g value; unknown values count as 0.
    """
    if nutrient not in foods.foods.columns:
        return []
    by_food: dict[str, float] = {}
    names: dict[str, tuple[str, str]] = {}  # short name -> the first (food id, name)
    for day in plan.days:
        for slot in day.slots:
            for item in slot.items:
                if item.food_id not in foods.foods.index:
                    continue
                try:
                    value = cell_float(foods.foods.at[item.food_id, nutrient])
                except ValueError:  # text that is not a number
                    continue
                if value is None or value <= 0:
                    continue
                # Foods whose short names read the same are one source, so a legend never says a name twice.
                key = short_name(item.name)
                by_food[key] = by_food.get(key, 0.0) + item.grams / 100.0 * value
                names.setdefault(key, (item.food_id, item.name))
    total = sum(by_food.values())
    if total <= 0:
        return []
    n_days = max(len(plan.days), 1)
    ranked = sorted(by_food.items(), key=lambda kv: -kv[1])
    out = [Source(*names[key], amount / n_days, amount / total) for key, amount in ranked[:top]]
    rest = sum(amount for _, amount in ranked[top:])
    if rest > 0:
        out.append(Source("", f"{len(ranked) - top} other foods", rest / n_days, rest / total))
    return out


# --- shortfalls in words --------------------------------------------------------------------------


@dataclass(frozen=True)
class ShortfallGroup:
    """All the shortfalls of one nutrient, with a headline and plain-language explanations."""

    nutrient: str
    name: str
    headline: str
    worst_pct: float
    explanations: list[str]
    technical: list[str]


def _cause_in_words(cause: str, sf: Shortfall) -> str:
    low = cause.lower()
    if low.startswith("food rules keep out"):
        if sf.would_close:
            parts = [f"{short_name(s.name)} ({_reason_words(s.blocked_by)})" for s in sf.would_close]
            return "Some of the richest sources are left out by your food choices: " + "; ".join(parts) + "."
        return "Some of the richest sources are left out by your food choices."
    if low.startswith("energy cap"):
        return "Reaching it within your calorie range would take more food than fits in a day."
    if low.startswith("missing data"):
        return (
            f"Many foods in the table have no {sf.name} value (counted as zero), "
            "so the real amount is probably somewhat higher than shown."
        )
    if low.startswith("balance with"):
        return "It could not be fitted in alongside all your other targets and the meal structure."
    return cause[:1].upper() + cause[1:] + ("" if cause.endswith(".") else ".")


def _reason_words(reason: str) -> str:
    kind, _, value = reason.partition(":")
    value = value.strip()
    kind = kind.strip().lower()
    if kind == "diet":
        return f"not in a {value} diet"
    if kind in ("allergies", "allergy", "allergen"):
        return f"allergy: {value}"
    if kind in ("dislikes", "dislike"):
        return "you dislike it"
    if kind == "exclude":
        return "excluded"
    return reason


def shortfall_groups(plan: Plan) -> list[ShortfallGroup]:
    """The plan's shortfalls grouped by nutrient, key and suspected nutrients first, then the worst."""
    by_nut: dict[str, list[Shortfall]] = {}
    for sf in plan.shortfalls:
        by_nut.setdefault(sf.nutrient, []).append(sf)
    n_days = len(plan.days)
    key = set(key_nutrients(plan))
    groups = []
    for nut, items in by_nut.items():
        first = items[0]
        worst = min(s.pct_of_target for s in items)
        if len(items) == 1 and not items[0].scope.lower().startswith("day"):
            s = items[0]
            headline = (
                f"{fmt_amount(s.achieved, s.unit)} a day on the {s.scope} is {pct_text(s.pct_of_target)} of the "
                f"{fmt_amount(s.target, s.unit)} target (short by {fmt_amount(s.short_by, s.unit)})."
            )
        else:
            days = ", ".join(s.scope.replace("day ", "") for s in items)
            lo, hi = worst, max(s.pct_of_target for s in items)
            span = pct_text(lo) if pct_text(lo) == pct_text(hi) else f"{pct_text(lo)[:-1]}–{pct_text(hi)}"
            count = f"{len(items)} of {n_days} days" if n_days > 1 else "the day"
            headline = (
                f"Short on {count} (day {days}): {span} of the {fmt_amount(first.target, first.unit)} target."
                if n_days > 1
                else f"{fmt_amount(first.achieved, first.unit)} is {span} of the "
                f"{fmt_amount(first.target, first.unit)} target."
            )
        words: list[str] = []
        technical: list[str] = []
        for s in items:
            for c in s.causes:
                w = _cause_in_words(c, s)
                if w not in words:
                    words.append(w)
                if c not in technical:
                    technical.append(c)
        if nut == "water":
            short = max(s.short_by for s in items)
            cups = math.ceil(short / 250.0)
            words = [
                f"The plan counts only the water inside foods. Drink about {cups} cups "
                f"({fmt_amount(cups * 0.25, 'L')}) of water or other drinks through the day to make it up."
            ]
        elif nut == "sodium":
            words.insert(0, "A pinch of salt in cooking covers this for most people.")
        if NUTRIENT_NOTES.get(nut) and nut != "water":
            words.append(NUTRIENT_NOTES[nut])
        groups.append(ShortfallGroup(nut, first.name, headline, worst, words, technical))
    groups.sort(key=lambda g: (g.nutrient not in key, g.nutrient == "water", g.worst_pct))
    return groups


def status_text(solve) -> str:
    """The solve status in words; a time-limited plan is marked as not proven optimal."""
    if solve.status.value == "time_limit":
        return "stopped at the time limit (a good plan, not proven optimal)"
    return solve.status.value


def day_problems(plan: Plan, day: DayPlan, order: list[str], names: dict[str, str]) -> tuple[list[str], list[str]]:
    """Nutrients short on a day (daily goals only; weekly ones count on the average) and those over
    a limit."""
    short, over = [], []
    for nid in order:
        if nid not in day.totals:
            continue
        status = coverage(day.totals[nid]).status
        if status == "over":
            over.append(names[nid])
        elif status == "short" and not (plan.targets.items[nid].weekly and len(plan.days) > 1):
            short.append(names[nid])
    return short, over


def days_words(days: list[int], n_days: int) -> str:
    if n_days > 1 and len(days) == n_days:
        return "every day"
    return ("day " if len(days) == 1 else "days ") + ", ".join(str(d) for d in days)
