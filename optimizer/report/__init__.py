"""A plan as a report people read: one self-contained HTML file with charts, or Markdown.

The HTML has no scripts and loads nothing at view time: styles are inline and every chart is
hand-written SVG (coverage bars) or a coloured HTML table (the week heatmap), so it opens offline,
reads on a phone (responsive CSS) and prints on A4 (print CSS: a day never splits across pages).

Order, for someone who has ten seconds: what needs a doctor (red flags), what the plan is and
what is still short (summary cards), then the detail: triage, shortfalls in plain words, coverage
charts, the days meal by meal, where the key nutrients come from, the shopping list, and the
technical notes for a dietitian. The Markdown report carries the same content without charts.

Every piece of text from the plan is escaped (``html.escape``) before it reaches the page.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from mealplan.optimizer.report.meals import MealView, day_meals
from mealplan.optimizer.shopping import ShoppingList, shopping_list, shopping_markdown, short_name

if TYPE_CHECKING:
    from mealplan.food_data.table import FoodTable
    from mealplan.optimizer.plan import DayPlan, NutrientTotal, Plan, Shortfall

KEY_NUTRIENTS: tuple[str, ...] = ("magnesium", "calcium", "potassium", "vitamin_d", "vitamin_b12")
SLOT_LABELS = {"breakfast": "Breakfast", "lunch": "Lunch", "dinner": "Dinner", "snack": "Snack"}
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


# --- shared helpers -----------------------------------------------------------------------------


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def fmt_amount(value: float | None, unit: str = "") -> str:
    """A nutrient amount for people: ``1,234 mg``, ``17.4 µg``, ``2.88 µg``, ``0.9 mg``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    a = abs(value)
    if a >= 100:
        text = f"{value:,.0f}"
    elif a >= 10:
        text = f"{value:.1f}".rstrip("0").rstrip(".")
    elif a == 0:
        text = "0"
    else:
        text = f"{value:.3g}"
    return f"{text} {unit}".strip()


def _pct(value: float | None) -> str:
    """A percentage for people; just under 100 never rounds up to a misleading "100%"."""
    if value is None:
        return "–"
    return f"{math.floor(value)}%" if 99 <= value < 100 else f"{value:.0f}%"


def day_number(plan: Plan, day: DayPlan) -> int:
    """The 1-based day number people see, whether the plan counts days from 0 or 1."""
    offset = 1 if plan.days and min(d.index for d in plan.days) == 0 else 0
    return day.index + offset


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


def _target_names(plan: Plan) -> dict[str, str]:
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
    """Foods that supply a nutrient, largest first: the top ``top`` and an "other foods" rest.

    Per-item amounts are grams / 100 x the food's per-100 g value; unknown values count as 0.
    """
    if nutrient not in foods.foods.columns:
        return []
    by_food: dict[str, float] = {}
    names: dict[str, str] = {}
    for day in plan.days:
        for slot in day.slots:
            for item in slot.items:
                if item.food_id not in foods.foods.index:
                    continue
                value = foods.foods.at[item.food_id, nutrient]
                try:
                    value = float(value)
                except (TypeError, ValueError):
                    continue
                if math.isnan(value) or value <= 0:
                    continue
                by_food[item.food_id] = by_food.get(item.food_id, 0.0) + item.grams / 100.0 * value
                names[item.food_id] = item.name
    total = sum(by_food.values())
    if total <= 0:
        return []
    n_days = max(len(plan.days), 1)
    ranked = sorted(by_food.items(), key=lambda kv: -kv[1])
    out = [Source(fid, names[fid], amount / n_days, amount / total) for fid, amount in ranked[:top]]
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
                f"{fmt_amount(s.achieved, s.unit)} a day on the {s.scope} is {_pct(s.pct_of_target)} of the "
                f"{fmt_amount(s.target, s.unit)} target (short by {fmt_amount(s.short_by, s.unit)})."
            )
        else:
            days = ", ".join(s.scope.replace("day ", "") for s in items)
            lo, hi = worst, max(s.pct_of_target for s in items)
            span = _pct(lo) if _pct(lo) == _pct(hi) else f"{_pct(lo)[:-1]}–{_pct(hi)}"
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


# --- HTML pieces -------------------------------------------------------------------------------

_COLORS = {
    "met": "#1f9d6b",
    "close": "#e3a008",
    "short": "#e0533d",
    "over": "#7c3aed",
    "limit-ok": "#1f9d6b",
    "weekly": "#5b8def",
    "none": "#9aa5b1",
}
_SOURCE_COLORS = ("#0f766e", "#2563eb", "#d97706", "#db2777", "#7c3aed", "#94a3b8")


def _bar_svg(cov: _Coverage, color_key: str, label: str) -> str:
    """A coverage bar: fill to the share reached (0-150 %), a tick at 100 %, a red tick at the limit."""
    pct = cov.pct or 0.0
    width = min(pct, SCALE_PCT) / SCALE_PCT * 100.0
    target_x = 100.0 / SCALE_PCT * 100.0
    parts = [
        '<svg class="bar" viewBox="0 0 100 10" preserveAspectRatio="none" role="img" '
        f'aria-label="{_e(label)}"><title>{_e(label)}</title>',
        '<rect x="0" y="0" width="100" height="10" fill="#e8edf2"/>',
        f'<rect x="0" y="0" width="{width:.2f}" height="10" fill="{_COLORS[color_key]}"/>',
    ]
    if pct > SCALE_PCT:  # beyond the chart: a lighter end cap says "more than shown"
        parts.append('<rect x="97" y="0" width="3" height="10" fill="#ffffff" opacity="0.55"/>')
    if not cov.limit_only:
        parts.append(
            f'<line x1="{target_x:.2f}" y1="0" x2="{target_x:.2f}" y2="10" stroke="#1f2933" '
            'stroke-width="1.5" vector-effect="non-scaling-stroke"/>'
        )
    if cov.limit_pct is not None and cov.limit_pct <= SCALE_PCT:
        x = cov.limit_pct / SCALE_PCT * 100.0
        parts.append(
            f'<line class="limit" x1="{x:.2f}" y1="0" x2="{x:.2f}" y2="10" stroke="#c81e1e" '
            'stroke-width="3" stroke-dasharray="2 1.2" vector-effect="non-scaling-stroke"/>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _bar_row(name: str, total: NutrientTotal, weekly_day: bool = False) -> str:
    cov = coverage(total)
    if cov.limit_only:
        name = f"{name} (limit)"
    color = "weekly" if weekly_day and cov.status in ("short", "close") else cov.status
    if cov.limit_only:
        value = f"{fmt_amount(total.amount)} of max {fmt_amount(total.max, total.unit)}"
    elif total.min:
        value = f"{fmt_amount(total.amount)} / {fmt_amount(total.min, total.unit)}"
        if total.max and cov.limit_pct is not None and cov.limit_pct > SCALE_PCT:
            value += f" · max {fmt_amount(total.max)}"
    else:
        value = fmt_amount(total.amount, total.unit)
    pct = _pct(cov.pct)
    status = "counted on the week average" if color == "weekly" else STATUS_WORDS[cov.status]
    label = f"{name}: {value} ({pct}, {status})"
    if total.max and not cov.limit_only:
        label += f"; upper limit {fmt_amount(total.max, total.unit)}"
    unknown = (
        f' <span class="unk" title="foods with no value for this nutrient, counted as 0">'
        f"{total.unknown_items} unknown</span>"
        if total.unknown_items
        else ""
    )
    return (
        f'<div class="brow s-{_e(color)}"><div class="bname">{_e(name)}{unknown}</div>'
        f"{_bar_svg(cov, color, label)}"
        f'<div class="bval"><b>{_e(pct)}</b> <span>{_e(value)}</span></div></div>'
    )


def _bar_legend() -> str:
    return (
        '<p class="legend"><span class="sw" style="background:#1f9d6b"></span>on target '
        '<span class="sw" style="background:#e3a008"></span>nearly there (90–99%) '
        '<span class="sw" style="background:#e0533d"></span>short '
        '<span class="sw" style="background:#7c3aed"></span>above the upper limit '
        '<span class="sw" style="background:#5b8def"></span>weekly goal (stored nutrient) '
        '<span class="tick"></span>100% of target <span class="tick red"></span>upper limit '
        f"· bars run to {SCALE_PCT:.0f}%</p>"
    )


def _heat_color(cov: _Coverage) -> str:
    if cov.status == "over":
        return "#c4b5fd"
    p = cov.pct or 0.0
    if p < 50:
        return "#f4a08f"
    if p < 80:
        return "#f8c58c"
    if p < 100 and cov.status != "met":
        return "#fbe38e"
    if p < 130:
        return "#b7e4c7"
    return "#74c69d"


def _heatmap(plan: Plan, order: list[str], names: dict[str, str]) -> str:
    rows = []
    n_days = len(plan.days)
    head = "".join(f"<th>D{day_number(plan, d)}</th>" for d in plan.days)
    if n_days > 1:
        head += '<th class="wk">Week</th>'
    for nid in order:
        target = plan.targets.items[nid]
        if not target.min:
            continue
        cells = []
        for d in plan.days:
            total = d.totals.get(nid)
            if total is None:
                cells.append('<td class="na">–</td>')
                continue
            cov = coverage(total)
            cells.append(
                f'<td style="background:{_heat_color(cov)}" title="{_e(names[nid])}, day '
                f"{day_number(plan, d)}: {_e(fmt_amount(total.amount, total.unit))} "
                f'({_e(_pct(cov.pct))})">{_pct(cov.pct)[:-1]}</td>'
            )
        wk = week_total(plan, nid) if n_days > 1 else None
        if wk is not None:
            cov = coverage(wk)
            cells.append(f'<td class="wk" style="background:{_heat_color(cov)}">{_pct(cov.pct)[:-1]}</td>')
        flag = (
            ' <span class="wkly" title="stored by the body: met on the week average">wk</span>'
            if (target.weekly)
            else ""
        )
        rows.append(f'<tr><th class="nut">{_e(names[nid])}{flag}</th>{"".join(cells)}</tr>')
    legend = (
        '<p class="legend">% of target: <span class="sw" style="background:#f4a08f"></span>under 50 '
        '<span class="sw" style="background:#f8c58c"></span>50–79 '
        '<span class="sw" style="background:#fbe38e"></span>80–99 '
        '<span class="sw" style="background:#b7e4c7"></span>100–129 '
        '<span class="sw" style="background:#74c69d"></span>130+ '
        '<span class="sw" style="background:#c4b5fd"></span>above the upper limit</p>'
    )
    return (
        '<div class="heatwrap"><table class="heatmap"><thead><tr><th class="nut">Nutrient</th>'
        f"{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>{legend}"
    )


def _sources_html(plan: Plan, foods: FoodTable | None, names: dict[str, str]) -> str:
    if foods is None:
        return (
            '<p class="muted">Food composition was not given to the report, so contributions per food '
            "cannot be shown.</p>"
        )
    blocks = []
    for nid in key_nutrients(plan):
        sources = nutrient_sources(plan, foods, nid)
        target = plan.targets.items[nid]
        if not sources:
            blocks.append(
                f'<div class="src card"><h3>{_e(names[nid])}</h3><p class="muted">No food in the plan has '
                "a known value for it.</p></div>"
            )
            continue
        per_day = sum(s.per_day for s in sources)
        x = 0.0
        segs = []
        items = []
        for i, s in enumerate(sources):
            color = _SOURCE_COLORS[min(i, len(_SOURCE_COLORS) - 1)] if s.food_id else _SOURCE_COLORS[-1]
            w = s.share * 100.0
            label = f"{short_name(s.name) if s.food_id else s.name}: {fmt_amount(s.per_day, target.unit)} a day"
            segs.append(
                f'<rect x="{x:.2f}" y="0" width="{w:.2f}" height="10" fill="{color}">'
                f"<title>{_e(label)} ({s.share * 100:.0f}%)</title></rect>"
            )
            x += w
            shown = short_name(s.name) if s.food_id else s.name
            items.append(
                f'<li><span class="sw" style="background:{color}"></span><span class="sname" '
                f'title="{_e(s.name)}">{_e(shown)}</span><span class="sval">{s.share * 100:.0f}% · '
                f"{_e(fmt_amount(s.per_day, target.unit))}/day</span></li>"
            )
        goal = f" of {fmt_amount(target.min, target.unit)} target" if target.min else ""
        blocks.append(
            f'<div class="src card"><h3>{_e(names[nid])} <small>{_e(fmt_amount(per_day, target.unit))} a day'
            f"{_e(goal)}</small></h3>"
            f'<svg class="stack" viewBox="0 0 100 10" preserveAspectRatio="none" role="img" '
            f'aria-label="{_e(names[nid])} by food">{"".join(segs)}</svg><ul>{"".join(items)}</ul></div>'
        )
    return f'<div class="srcgrid">{"".join(blocks)}</div>'


def _menu_glance(plan: Plan) -> str:
    slots = list(dict.fromkeys(s.name for d in plan.days for s in d.slots))
    head = "".join(f"<th>{_e(SLOT_LABELS.get(s, s.title()))}</th>" for s in slots)
    rows = []
    for d in plan.days:
        by_slot = {m.slot: m for m in day_meals(plan, d)}
        cells = []
        for s in slots:
            meal = by_slot.get(s)
            text = meal.title if meal else ""
            left = f" <small>({_e(meal.leftover_text)})</small>" if meal and meal.leftover_text else ""
            cells.append(f'<td data-slot="{_e(SLOT_LABELS.get(s, s.title()))}">{_e(text)}{left}</td>')
        n = day_number(plan, d)
        rows.append(f'<tr><th><a href="#day-{n}">Day {n}</a></th>{"".join(cells)}</tr>')
    return f'<table class="menu"><thead><tr><th></th>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def _day_html(plan: Plan, day: DayPlan, order: list[str], names: dict[str, str]) -> str:
    n = day_number(plan, day)
    macros = " · ".join(f"{k.title() if k != 'carbohydrate' else 'Carbs'} {v:.0f}%" for k, v in day.macros_pct.items())
    slots = [_meal_html(m) for m in day_meals(plan, day)]
    bars = "".join(
        _bar_row(names[nid], day.totals[nid], weekly_day=plan.targets.items[nid].weekly and len(plan.days) > 1)
        for nid in order
        if nid in day.totals
    )
    short, over = _day_problems(plan, day, order, names)
    note = (
        "".join(
            [
                f'<p class="dnote">Short today: {_e(", ".join(short))}</p>' if short else "",
                f'<p class="dnote over">Above the upper limit today: {_e(", ".join(over))}</p>' if over else "",
            ]
        )
        or '<p class="dnote ok">Every daily target reached.</p>'
    )

    return (
        f'<section class="day card" id="day-{n}"><header><h3>Day {n}</h3>'
        f'<p class="dmeta"><b>{day.energy_kcal:,.0f} kcal</b> · {_e(macros)}</p></header>'
        f'<div class="slots">{"".join(slots)}</div>{note}'
        f'<details open class="dbars"><summary>Nutrients on day {n}</summary>'
        f'<div class="bars compact">{bars}</div></details></section>'
    )


def _meal_html(meal: MealView) -> str:
    items = "".join(
        f'<li><span class="hh">{_e(i.household)}</span> '
        f'<span class="fname" title="{_e(i.full_name)}">{_e(i.name)}</span>'
        f'<span class="g">{i.grams:.0f} g</span></li>'
        for i in meal.ingredients
    )
    items += "".join(
        f'<li class="drink"><span class="hh">Drink: {_e(i.household)}</span> '
        f'<span class="fname" title="{_e(i.full_name)}">{_e(i.name)}</span>'
        f'<span class="g">{i.grams:.0f} g</span></li>'
        for i in meal.drinks
    )
    extra = " · ".join(x for x in (meal.portion_text, meal.leftover_text) if x)
    return (
        f'<div class="slot"><h4>{_e(meal.label)}<small>{meal.kcal:,.0f} kcal</small></h4>'
        f'<p class="mtitle"><b>{_e(meal.title)}</b>'
        + (f' <span class="portion">{_e(extra)}</span>' if extra else "")
        + "</p>"
        + (f'<p class="method"><i>{_e(meal.method)}</i></p>' if meal.method else "")
        + f"<ul>{items}</ul></div>"
    )


def _day_problems(plan: Plan, day: DayPlan, order: list[str], names: dict[str, str]) -> tuple[list[str], list[str]]:
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


def _shopping_html(shop: ShoppingList) -> str:
    sections = []
    for section in shop.sections:
        items = "".join(
            f'<li><span class="box" aria-hidden="true"></span><div><b>{_e(i.purchase_text)}</b>'
            f'<span class="meta">{i.total_grams:,.0f} g · '
            f"{_e(_days_words(i.days_used, shop.days))}</span></div></li>"
            for i in section.items
        )
        sections.append(f'<div class="shop-sec"><h3>{_e(section.title)}</h3><ul>{items}</ul></div>')
    skipped = (
        f'<p class="muted">Not listed: {_e(", ".join(short_name(s) for s in shop.skipped))} (from the tap).</p>'
        if shop.skipped
        else ""
    )
    dishes = (
        '<div class="dishes"><h3>Dishes this week</h3><ul>'
        + "".join(
            f"<li><b>{_e(d.title)}</b> <span class='meta'>{_e(', '.join(d.meals))}"
            + (f" · {_e(d.note)}" if d.note else "")
            + "</span></li>"
            for d in shop.dishes
        )
        + "</ul></div>"
        if shop.dishes
        else ""
    )
    return f'<div class="shop">{"".join(sections)}</div>{skipped}{dishes}'


def _days_words(days: list[int], n_days: int) -> str:
    if n_days > 1 and len(days) == n_days:
        return "every day"
    return ("day " if len(days) == 1 else "days ") + ", ".join(str(d) for d in days)


def _triage_html(plan: Plan, names: dict[str, str]) -> str:
    tri = plan.triage
    if tri is None or not (tri.suspected or tri.notes or tri.blood_tests):
        return ""
    top = max((s.score for s in tri.suspected), default=1.0) or 1.0
    rows = []
    for s in tri.suspected:
        name = names.get(s.nutrient) or s.nutrient.replace("_", " ").title()
        reasons = "".join(f"<li>{_e(r.why)} <span class='src-tag'>{_e(r.source)}</span></li>" for r in s.reasons)
        rows.append(
            f'<div class="susp"><div class="sh"><b>{_e(name)}</b>'
            f'<svg class="score" viewBox="0 0 100 8" preserveAspectRatio="none" role="img" '
            f'aria-label="score {s.score:g}"><rect width="100" height="8" fill="#e8edf2"/>'
            f'<rect width="{100.0 * s.score / top:.1f}" height="8" fill="#0f766e"/></svg>'
            f'<span class="muted">score {s.score:g}</span></div><ul>{reasons}</ul></div>'
        )
    said = []
    if tri.input.symptoms:
        said.append("symptoms: " + ", ".join(x.replace("-", " ") for x in tri.input.symptoms))
    if tri.input.factors:
        said.append("risk factors: " + ", ".join(x.replace("-", " ") for x in tri.input.factors))
    if tri.input.days is not None:
        said.append(f"for {tri.input.days} days")
    tests = (
        "<h3>Blood tests worth asking about</h3><ul>" + "".join(f"<li>{_e(t)}</li>" for t in tri.blood_tests) + "</ul>"
        if tri.blood_tests
        else ""
    )
    notes = (
        "<h3>Everyday habits that help</h3><ul>" + "".join(f"<li>{_e(t)}</li>" for t in tri.notes) + "</ul>"
        if tri.notes
        else ""
    )
    return (
        '<section id="triage" class="card"><h2>Which nutrients to focus on</h2>'
        + (f'<p class="muted">From what you reported: {_e("; ".join(said))}.</p>' if said else "")
        + f'<div class="susps">{"".join(rows)}</div><div class="two">'
        + f"<div>{tests}</div><div>{notes}</div></div></section>"
    )


def _summary_cards(plan: Plan, order: list[str], names: dict[str, str], groups: list[ShortfallGroup]) -> str:
    n_days = len(plan.days)
    slots = len(plan.days[0].slots) if plan.days else 0
    kcal = sum(d.energy_kcal for d in plan.days) / max(n_days, 1)
    with_min = [n for n in order if plan.targets.items[n].min]
    met = 0
    for nid in with_min:
        wk = week_total(plan, nid)
        if wk is not None and coverage(wk).status == "met":
            met += 1
    flags = red_flags(plan)
    short_names = [f"{g.name} ({_pct(g.worst_pct)})" for g in groups[:4]]
    short_text = ", ".join(short_names) + (f" and {len(groups) - 4} more" if len(groups) > 4 else "")
    span = f"{n_days} days" if n_days > 1 else "1 day"
    reasons = f"{len(flags)} reason{'s' if len(flags) > 1 else ''}"
    doctor = f"Yes — {reasons}" if flags else "No warning signs reported"
    cards = [
        f'<a class="sc eat" href="#days"><span class="k">What to eat</span><b>{span}, {slots} meals a day</b>'
        f"<span>about {kcal:,.0f} kcal a day (target {plan.targets.energy_min:,.0f}–"
        f"{plan.targets.energy_max:,.0f})</span></a>",
        f'<a class="sc {"ok" if met == len(with_min) else "mid"}" href="#coverage">'
        '<span class="k">Targets reached</span>'
        f"<b>{met} of {len(with_min)}</b><span>{'on the week average' if n_days > 1 else 'today'}</span></a>",
        f'<a class="sc {"warn" if groups else "ok"}" href="#shortfalls"><span class="k">Still short</span>'
        f"<b>{f'{len(groups)} nutrient' + ('s' if len(groups) > 1 else '') if groups else 'Nothing'}</b>"
        f"<span>{_e(short_text) if groups else 'every target is reached'}</span></a>",
        f'<a class="sc {"alert" if flags else "ok"}" href="{"#red-flags" if flags else "#about"}">'
        f'<span class="k">See a doctor?</span><b>{_e(doctor)}</b>'
        f"<span>{'read the red box below first' if flags else 'see one if symptoms last or get worse'}</span>"
        "</a>",
    ]
    return f'<div class="cards">{"".join(cards)}</div>'


def _about_html(plan: Plan) -> str:
    r = plan.rules
    s = plan.solve
    rules = [f"Diet: {r.diet}"]
    if r.allergies:
        rules.append("allergies: " + ", ".join(r.allergies))
    if r.exclude:
        rules.append("excluded: " + ", ".join(r.exclude))
    if r.dislikes:
        rules.append("dislikes: " + ", ".join(r.dislikes))
    if r.likes:
        rules.append("likes: " + ", ".join(r.likes))
    rows = []
    for t in plan.targets.items.values():
        rows.append(
            f"<tr><td>{_e(t.name)}</td><td>{_e(fmt_amount(t.min, t.unit))}</td><td>{_e(t.min_source)}</td>"
            f"<td>{_e(fmt_amount(t.max, t.unit))}</td><td>{_e(t.max_source)}</td>"
            f"<td>{'weekly' if t.weekly else 'daily'}{', suspected' if t.suspected else ''}</td></tr>"
        )
    gap = f", gap {s.gap * 100:.2f}%" if s.gap is not None else ""
    cost = f" Estimated cost: {plan.cost:.2f} a day." if plan.cost is not None else ""
    notes = "".join(f"<li>{_e(n)}</li>" for n in s.notes)
    return (
        '<section id="about" class="card about"><h2>For your dietitian</h2>'
        f"<p>Profile <b>{_e(plan.profile_id)}</b> ({_e(plan.targets.life_stage)}); {_e('; '.join(rules))}. "
        f"Energy target {plan.targets.energy_kcal:,.0f} kcal ({_e(plan.targets.energy_source)})."
        f"{_e(cost)}</p>"
        f"<p>Solved with {_e(s.solver)}: {_e(status_text(s))}{_e(gap)}, {s.total_seconds:.1f} s, "
        f"{s.variables:,} variables, {s.constraints:,} constraints, {s.candidates:,} candidate foods. "
        f"Food data: {_e(', '.join(plan.food_sources))}. Made with {_e(plan.created_with)}, plan schema "
        f"{_e(plan.schema_version)}.</p>"
        + (f"<ul>{notes}</ul>" if notes else "")
        + '<div class="tablewrap"><table class="targets"><thead><tr><th>Nutrient</th><th>Min</th>'
        "<th>From</th>"
        "<th>Max</th><th>From</th><th>Goal</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table></div></section>"
    )


_CSS = """
:root{--ink:#1f2933;--muted:#616e7c;--line:#e4e7eb;--bg:#f5f7fa;--card:#fff;--teal:#0f766e;--red:#c81e1e}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--ink);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,
"Helvetica Neue",Arial,sans-serif}
main{max-width:1040px;margin:0 auto;padding:20px 16px 48px}
h1{font-size:1.7rem;margin:0 0 2px;line-height:1.2}
h2{font-size:1.25rem;margin:0 0 12px}
h3{font-size:1.02rem;margin:0 0 8px}
a{color:var(--teal)}
.muted{color:var(--muted)}
small{font-weight:400;color:var(--muted);font-size:.85em;margin-left:6px}
.top{display:flex;justify-content:space-between;align-items:flex-end;gap:12px;flex-wrap:wrap;margin-bottom:14px}
.top p{margin:0;color:var(--muted)}
nav.toc{display:flex;flex-wrap:wrap;gap:6px;margin:0 0 16px}
nav.toc a{font-size:.85rem;text-decoration:none;background:#e6f2f1;color:var(--teal);padding:3px 10px;
border-radius:999px}
.card{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:18px 20px;
margin:0 0 16px;
box-shadow:0 1px 2px rgba(16,24,40,.05)}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(220px,1fr));gap:12px;margin:0 0 16px}
.sc{display:flex;flex-direction:column;gap:2px;text-decoration:none;color:var(--ink);background:var(--card);
border:1px solid var(--line);border-left:6px solid var(--teal);border-radius:12px;padding:12px 14px}
.sc .k{font-size:.75rem;text-transform:uppercase;letter-spacing:.06em;color:var(--muted)}
.sc b{font-size:1.15rem;line-height:1.25}
.sc span:last-child{font-size:.88rem;color:var(--muted)}
.sc.ok{border-left-color:#1f9d6b}.sc.mid{border-left-color:#e3a008}.sc.warn{border-left-color:#e0533d}
.sc.alert{border-left-color:var(--red);background:#fff5f5}
.flags{background:#fff5f5;border:2px solid #f8b4b4;border-radius:12px;padding:16px 20px;margin:0 0 16px}
.flags h2{color:var(--red);display:flex;align-items:center;gap:8px}
.flags ul{margin:0;padding-left:20px}.flags li{margin:0 0 8px}
.flags .advice{display:block;color:#771d1d}
.disclaimer{font-size:.88rem;color:var(--muted);background:#fffbea;border:1px solid #f8e3a3;
border-radius:10px;
padding:10px 14px;margin:0 0 16px}
.susps{display:grid;grid-template-columns:repeat(auto-fit,minmax(280px,1fr));gap:10px 20px}
.susp .sh{display:grid;grid-template-columns:auto 1fr auto;align-items:center;gap:10px}
.susp svg.score{width:100%;height:8px;border-radius:4px;overflow:hidden}
.susp ul{margin:4px 0 0;padding-left:18px;font-size:.9rem}
.src-tag{font-size:.75rem;color:var(--muted);background:#f0f4f8;border-radius:6px;padding:0 5px}
.two{display:grid;grid-template-columns:1fr 1fr;gap:20px;margin-top:12px}
.two ul{padding-left:18px;margin:0;font-size:.92rem}
.sf{border-left:5px solid #e0533d;padding:6px 0 6px 14px;margin:0 0 14px}
.sf.close{border-left-color:#e3a008}
.sf h3{margin:0 0 2px}.sf p{margin:0 0 4px}
.sf ul{margin:2px 0 0;padding-left:18px}
.sf .tech{font-size:.8rem;color:var(--muted)}
.bars{display:grid;grid-template-columns:1fr;gap:6px}
.bars.compact{grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:4px 22px}
.brow{display:grid;grid-template-columns:210px 1fr 230px;align-items:center;gap:12px;font-size:.9rem}
.bars.compact .brow{font-size:.8rem;grid-template-columns:104px 1fr 46px;gap:8px}
.bars.compact .bval span{display:none}
.brow svg.bar{width:100%;height:14px;border-radius:4px;overflow:hidden;display:block}
.bars.compact svg.bar{height:10px}
.bname{white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.bval{text-align:right;white-space:nowrap}.bval span{color:var(--muted);font-size:.85em;margin-left:4px}
.s-short .bval b{color:#b42318}.s-over .bval b{color:#6d28d9}.s-close .bval b{color:#a16207}
.unk{font-size:.72rem;color:var(--muted)}
.legend{font-size:.8rem;color:var(--muted);margin:10px 0 0;display:flex;flex-wrap:wrap;gap:4px 10px;
align-items:center}
.sw{display:inline-block;width:11px;height:11px;border-radius:3px;vertical-align:-1px;margin-right:3px}
.tick{display:inline-block;width:2px;height:12px;background:var(--ink);vertical-align:-2px}
.tick.red{background:var(--red);width:3px}
.heatwrap,.tablewrap{overflow-x:auto}
table{border-collapse:collapse}
.heatmap{width:100%;table-layout:fixed;font-size:.82rem;font-variant-numeric:tabular-nums}
.heatmap th.nut{width:210px}
.heatmap th,.heatmap td{padding:4px 6px;text-align:center;border:2px solid #fff}
.heatmap td{min-width:38px;font-weight:600;color:#1f2933}
.heatmap th.nut{text-align:left;font-weight:500;white-space:nowrap}
.heatmap .wk{border-left:4px solid #fff;font-weight:700}
.wkly{font-size:.65rem;background:#dbe7fd;color:#1e429f;border-radius:4px;padding:0 4px;margin-left:4px}
table.menu{width:100%;font-size:.88rem}
.menu th,.menu td{border-bottom:1px solid var(--line);padding:7px 8px;text-align:left;vertical-align:top}
.menu thead th{font-size:.75rem;text-transform:uppercase;letter-spacing:.05em;color:var(--muted)}
.menu tbody th{white-space:nowrap}
.day header{display:flex;justify-content:space-between;align-items:baseline;flex-wrap:wrap;gap:6px;
border-bottom:2px solid var(--teal);margin-bottom:10px}
.day header h3{font-size:1.2rem;margin:0 0 4px}
.dmeta{margin:0;color:var(--muted);font-size:.88rem}
.slots{display:grid;grid-template-columns:repeat(auto-fit,minmax(200px,1fr));gap:10px 18px}
.slot h4{margin:0 0 4px;font-size:.8rem;text-transform:uppercase;letter-spacing:.06em;color:var(--teal);
display:flex;justify-content:space-between}
.slot h4 small{text-transform:none;letter-spacing:0}
.slot ul{list-style:none;margin:0;padding:0}
.slot li{display:grid;grid-template-columns:auto 1fr auto;gap:6px;padding:3px 0;
border-bottom:1px dashed var(--line);
font-size:.9rem;align-items:baseline}
.slot .hh{font-weight:600;white-space:nowrap}
.slot .g{color:var(--muted);font-size:.8rem;font-variant-numeric:tabular-nums}
.mtitle{margin:0 0 2px;line-height:1.3}.portion{color:var(--muted);font-size:.82rem;white-space:nowrap}
.method{margin:0 0 4px;font-size:.8rem;color:var(--muted);line-height:1.3}
.slot li.drink .hh{font-weight:500}
.dnote{margin:10px 0 4px;font-size:.88rem;color:#b42318}.dnote.ok{color:#1f7a55}.dnote.over{color:#6d28d9}
details.dbars summary{cursor:pointer;font-size:.85rem;color:var(--muted);margin-bottom:6px}
.srcgrid{display:grid;grid-template-columns:repeat(auto-fit,minmax(300px,1fr));gap:12px}
.src{margin:0;padding:14px 16px}
.src svg.stack{width:100%;height:16px;border-radius:4px;overflow:hidden;display:block;margin:4px 0 8px}
.src ul{list-style:none;margin:0;padding:0;font-size:.86rem}
.src li{display:grid;grid-template-columns:auto 1fr auto;gap:6px;align-items:start;padding:2px 0;
line-height:1.3}
.src li .sw{margin-top:3px}.sval{color:var(--muted);white-space:nowrap}
.shop{columns:2 300px;column-gap:28px}
.shop-sec{break-inside:avoid;margin:0 0 14px}
.shop-sec h3{font-size:.8rem;text-transform:uppercase;letter-spacing:.06em;color:var(--teal);
border-bottom:1px solid var(--line);padding-bottom:3px}
.shop ul{list-style:none;margin:0;padding:0}
.shop li{display:flex;gap:10px;padding:4px 0;align-items:flex-start}
.shop .box{flex:none;width:15px;height:15px;border:2px solid #9aa5b1;border-radius:4px;margin-top:3px}
.shop .meta{display:block;font-size:.78rem;color:var(--muted)}
.about{font-size:.88rem}
.targets{font-size:.8rem;width:100%}
.targets th,.targets td{border-bottom:1px solid var(--line);padding:3px 6px;text-align:left}
footer{font-size:.8rem;color:var(--muted);text-align:center;margin-top:20px}
@media (max-width:640px){
 main{padding:12px 10px 32px}
 body{font-size:14px}
 h1{font-size:1.35rem}
 .card{padding:14px 12px;border-radius:10px}
 .two{grid-template-columns:1fr}
 .cards{grid-template-columns:1fr 1fr;gap:8px}
 .sc{padding:9px 10px;border-left-width:5px}
 .sc b{font-size:1rem}
 .sc span:last-child{font-size:.8rem}
 .brow{grid-template-columns:1fr auto;grid-template-areas:"name val" "bar bar";gap:2px 8px}
 .brow .bname{grid-area:name}.brow .bval{grid-area:val}.brow svg.bar{grid-area:bar}
 .bars.compact{grid-template-columns:1fr}
 .bars.compact .brow{grid-template-columns:112px 1fr 44px;grid-template-areas:none}
 .bars.compact .brow .bname,.bars.compact .brow .bval,.bars.compact .brow svg.bar{grid-area:auto}
 .bars.compact .unk,.wkly{display:none}
 table.menu thead{display:none}
 table.menu tr{display:block;border-bottom:2px solid var(--line);padding:6px 0}
 table.menu th,table.menu td{display:block;border:0;padding:2px 4px}
 table.menu td::before{content:attr(data-slot) ": ";font-weight:600;color:var(--teal)}
 .heatmap{font-size:.68rem}.heatmap td,.heatmap th{min-width:0;padding:3px 1px;border-width:1px}
 .heatmap th.nut{width:84px;overflow:hidden;text-overflow:ellipsis}
 .heatmap .wk{border-left-width:2px}
}
@media print{
 @page{size:A4;margin:12mm}
 html{font-size:10.5px}
 body{background:#fff;font-size:1rem}
 main{max-width:none;padding:0}
 nav.toc,details.dbars summary{display:none}
 .card{box-shadow:none;border:1px solid #d2d6dc;padding:10px 12px;margin-bottom:10px;break-inside:auto}
 #days-list .day,.flags,.cards,#heatmap{break-inside:avoid}
 .menu tr{break-inside:avoid}
 .two{grid-template-columns:1fr 1fr}
 h2,h3,h4{break-after:avoid}
 .brow,.src,.shop-sec,.sf,.susp{break-inside:avoid}
 .cards{grid-template-columns:repeat(4,1fr)}
 .bars.compact{grid-template-columns:repeat(3,1fr);gap:1px 14px}
 .bars.compact .brow{font-size:7.5pt}
 .slots{grid-template-columns:repeat(4,1fr)}
 .slot li{font-size:8.5pt}
 *{-webkit-print-color-adjust:exact;print-color-adjust:exact}
 a{color:inherit;text-decoration:none}
 .page-break{break-before:page}
}
"""


def render_html(plan: Plan, foods: FoodTable | None = None) -> str:
    """Render a plan as one self-contained HTML page (inline CSS and SVG, no scripts, no network).

    Args:
        plan: A day or week plan.
        foods: The food table the plan was made from; when given, the report shows which foods
            supply the key nutrients and the shopping list uses household measures.

    Returns:
        The HTML document as a string.
    """
    names = _target_names(plan)
    order = nutrient_order(plan)
    groups = shortfall_groups(plan)
    flags = red_flags(plan)
    n_days = len(plan.days)
    title = f"{'Week' if n_days > 1 else 'Day'} meal plan — {plan.profile_id}"
    out: list[str] = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title>",
        f"<style>{_CSS}</style></head><body><main>",
        '<div class="top"><div>'
        f"<h1>{'Your ' + str(n_days) + '-day meal plan' if n_days > 1 else 'Your meal plan for a day'}</h1>"
        f"<p>For <b>{_e(plan.profile_id)}</b> · {_e(plan.rules.diet)} · "
        f"{_e(plan.targets.life_stage)}</p></div></div>",
    ]
    sections = [
        ("days", "Meals"),
        ("shortfalls", "Still short"),
        ("coverage", "Targets"),
        ("heatmap", "Heatmap"),
    ]
    sections += [("sources", "Sources"), ("shopping", "Shopping list"), ("about", "Details")]
    if plan.triage is not None:
        sections.insert(0, ("triage", "Focus"))
    out.append('<nav class="toc">' + "".join(f'<a href="#{a}">{_e(label)}</a>' for a, label in sections) + "</nav>")
    out.append(_summary_cards(plan, order, names, groups))
    if flags:
        out.append(
            '<section class="flags" id="red-flags"><h2><span aria-hidden="true">⚠</span> See a doctor about '
            "this first</h2><ul>"
            + "".join(f"<li><b>{_e(f.message)}</b><span class='advice'>{_e(f.advice)}</span></li>" for f in flags)
            + "</ul></section>"
        )
    if plan.disclaimer:
        out.append(f'<p class="disclaimer">{_e(plan.disclaimer)}</p>')
    out.append(_triage_html(plan, names))

    if n_days > 1:
        out.append(f'<section class="card" id="glance"><h2>Your week at a glance</h2>{_menu_glance(plan)}</section>')

    # Shortfalls in plain words
    if groups:
        blocks = []
        for g in groups:
            cls = "sf close" if g.worst_pct >= CLOSE_PCT else "sf"
            expl = "".join(f"<li>{_e(w)}</li>" for w in g.explanations)
            tech = f'<p class="tech">Optimizer notes: {_e("; ".join(g.technical))}</p>' if g.technical else ""
            blocks.append(f'<div class="{cls}"><h3>{_e(g.name)}</h3><p>{_e(g.headline)}</p><ul>{expl}</ul>{tech}</div>')
        out.append(
            '<section class="card" id="shortfalls"><h2>What is still short, and why</h2>'
            + "".join(blocks)
            + "</section>"
        )
    else:
        out.append(
            '<section class="card" id="shortfalls"><h2>What is still short</h2><p>Nothing: the plan reaches '
            "every target.</p></section>"
        )

    # Week coverage
    scope = "average per day over the week" if n_days > 1 else "for the day"
    rows = []
    for nid in order:
        total = week_total(plan, nid)
        if total is not None:
            rows.append(_bar_row(names[nid], total))
    out.append(
        f'<section class="card" id="coverage"><h2>Targets reached <small>{_e(scope)}</small></h2>'
        f'<div class="bars">{"".join(rows)}</div>{_bar_legend()}</section>'
    )
    if n_days > 1:
        out.append(
            '<section class="card" id="heatmap"><h2>Day by day <small>% of each target</small></h2>'
            f"{_heatmap(plan, order, names)}</section>"
        )

    out.append('<h2 id="days" class="page-break">The meals, day by day</h2><div id="days-list">')
    out += [_day_html(plan, d, order, names) for d in plan.days]
    out.append("</div>")
    out.append(
        '<section class="card" id="sources"><h2>Where the key nutrients come from</h2>'
        f"{_sources_html(plan, foods, names)}</section>"
    )
    shop = shopping_list(plan, foods)
    out.append(
        f'<section class="card page-break" id="shopping"><h2>Shopping list <small>for {n_days} '
        f"day{'s' if n_days > 1 else ''}</small></h2>{_shopping_html(shop)}</section>"
    )
    out.append(_about_html(plan))
    out.append(f"<footer>{_e(plan.created_with)} · {_e(plan.disclaimer)}</footer></main></body></html>")
    return "\n".join(part for part in out if part)


# --- Markdown ----------------------------------------------------------------------------------


def status_text(solve) -> str:
    """The solve status in words; a time-limited plan is marked as not proven optimal."""
    if solve.status.value == "time_limit":
        return "stopped at the time limit (a good plan, not proven optimal)"
    return solve.status.value


def _md(text: object) -> str:
    # "<" could open an HTML tag; ">" inside a table cell is plain text, so it stays readable.
    return str(text).replace("|", "\\|").replace("\n", " ").replace("<", "&lt;")


def _meal_markdown(meal: MealView) -> list[str]:
    extra = ", ".join(x for x in (meal.portion_text, meal.leftover_text) if x)
    head = f"**{_md(meal.label)}: {_md(meal.title)}**" + (f" ({_md(extra)})" if extra else "")
    lines = [f"{head} — {meal.kcal:,.0f} kcal", ""]
    if meal.method:
        lines += [f"_{_md(meal.method)}_", ""]
    lines += [f"- {_md(i.text)} — {i.grams:.0f} g" for i in meal.ingredients]
    lines += [f"- Drink: {_md(i.text)} — {i.grams:.0f} g" for i in meal.drinks]
    lines.append("")
    return lines


def render_markdown(plan: Plan, foods: FoodTable | None = None) -> str:
    """Render a plan as Markdown with the same content as the HTML report, without charts.

    Args:
        plan: A day or week plan.
        foods: The food table the plan was made from (for nutrient sources and better purchase units).

    Returns:
        The Markdown document as a string.
    """
    names = _target_names(plan)
    order = nutrient_order(plan)
    groups = shortfall_groups(plan)
    flags = red_flags(plan)
    n_days = len(plan.days)
    lines: list[str] = [
        f"# {'Your ' + str(n_days) + '-day meal plan' if n_days > 1 else 'Your meal plan for a day'}: "
        f"{_md(plan.profile_id)}",
        "",
        f"{_md(plan.rules.diet).capitalize()} · {_md(plan.targets.life_stage)} · about "
        f"{sum(d.energy_kcal for d in plan.days) / max(n_days, 1):,.0f} kcal a day",
        "",
    ]
    if flags:
        lines += ["## ⚠ See a doctor about this first", ""]
        lines += [f"- **{_md(f.message)}** {_md(f.advice)}" for f in flags]
        lines.append("")
    if plan.disclaimer:
        lines += [f"> {_md(plan.disclaimer)}", ""]

    tri = plan.triage
    if tri is not None and tri.suspected:
        lines += ["## Which nutrients to focus on", ""]
        for s in tri.suspected:
            lines.append(f"- **{_md(names.get(s.nutrient, s.nutrient))}** (score {s.score:g})")
            lines += [f"  - {_md(r.why)} _({_md(r.source)})_" for r in s.reasons]
        lines.append("")
        if tri.blood_tests:
            lines += ["**Blood tests worth asking about:** " + "; ".join(_md(t) for t in tri.blood_tests), ""]
        if tri.notes:
            lines += ["**Everyday habits that help:**", ""] + [f"- {_md(n)}" for n in tri.notes] + [""]

    lines += ["## What is still short, and why", ""]
    if not groups:
        lines += ["Nothing: the plan reaches every target.", ""]
    for g in groups:
        lines += [f"### {_md(g.name)}", "", _md(g.headline), ""]
        lines += [f"- {_md(w)}" for w in g.explanations]
        if g.technical:
            lines.append(f"- _Optimizer notes: {_md('; '.join(g.technical))}_")
        lines.append("")

    scope = "average per day over the week" if n_days > 1 else "for the day"
    lines += [
        f"## Targets reached ({scope})",
        "",
        "| Nutrient | Amount | Target | Upper limit | % | Status |",
    ]
    lines.append("|---|---:|---:|---:|---:|---|")
    for nid in order:
        t = week_total(plan, nid)
        if t is None:
            continue
        cov = coverage(t)
        lines.append(
            f"| {_md(names[nid])} | {fmt_amount(t.amount, t.unit)} | {fmt_amount(t.min, t.unit)} | "
            f"{fmt_amount(t.max, t.unit)} | {_pct(cov.pct)} | {STATUS_WORDS[cov.status]} |"
        )
    lines.append("")

    if n_days > 1:
        lines += ["## Day by day (% of each target)", ""]
        lines.append("| Nutrient | " + " | ".join(f"D{day_number(plan, d)}" for d in plan.days) + " | Week |")
        lines.append("|---|" + "---:|" * (n_days + 1))
        for nid in order:
            if not plan.targets.items[nid].min:
                continue
            cells = []
            for d in plan.days:
                total = d.totals.get(nid)
                cells.append(_pct(coverage(total).pct) if total else "–")
            wk = week_total(plan, nid)
            cells.append(_pct(coverage(wk).pct) if wk else "–")
            lines.append(f"| {_md(names[nid])} | " + " | ".join(cells) + " |")
        lines.append("")

    lines += ["## The meals, day by day", ""]
    for d in plan.days:
        n = day_number(plan, d)
        macros = ", ".join(f"{k} {v:.0f}%" for k, v in d.macros_pct.items())
        lines += [f"### Day {n} — {d.energy_kcal:,.0f} kcal ({macros})", ""]
        for meal in day_meals(plan, d):
            lines += _meal_markdown(meal)
        short, over = _day_problems(plan, d, order, names)
        if short:
            lines += [f"_Short today: {_md(', '.join(short))}._", ""]
        if over:
            lines += [f"_Above the upper limit today: {_md(', '.join(over))}._", ""]
        if not short and not over:
            lines += ["_Every daily target reached._", ""]

    lines += ["## Where the key nutrients come from", ""]
    if foods is None:
        lines += [
            "_Food composition was not given to the report, so contributions per food cannot be shown._",
            "",
        ]
    else:
        for nid in key_nutrients(plan):
            sources = nutrient_sources(plan, foods, nid)
            unit = plan.targets.items[nid].unit
            lines += [f"**{_md(names[nid])}**", ""]
            if not sources:
                lines += ["_No food in the plan has a known value for it._", ""]
                continue
            lines += ["| Food | Per day | Share |", "|---|---:|---:|"]
            lines += [
                f"| {_md(short_name(s.name) if s.food_id else s.name)} | {fmt_amount(s.per_day, unit)} | "
                f"{s.share * 100:.0f}% |"
                for s in sources
            ]
            lines.append("")

    lines.append(shopping_markdown(shopping_list(plan, foods), heading_level=2))

    s = plan.solve
    lines += ["## For your dietitian", ""]
    lines.append(
        f"Profile {_md(plan.profile_id)} ({_md(plan.targets.life_stage)}), diet {_md(plan.rules.diet)}"
        + (f", allergies {_md(', '.join(plan.rules.allergies))}" if plan.rules.allergies else "")
        + (f", dislikes {_md(', '.join(plan.rules.dislikes))}" if plan.rules.dislikes else "")
        + f". Solved with {_md(s.solver)}: {status_text(s)}"
        + (f", gap {s.gap * 100:.2f}%" if s.gap is not None else "")
        + f", {s.total_seconds:.1f} s. Food data: {_md(', '.join(plan.food_sources))}. "
        + f"{_md(plan.created_with)}."
    )
    if s.notes:
        lines += [""] + [f"- {_md(note)}" for note in s.notes]
    lines += ["", "| Nutrient | Min | From | Max | From | Goal |", "|---|---:|---|---:|---|---|"]
    for t in plan.targets.items.values():
        lines.append(
            f"| {_md(t.name)} | {fmt_amount(t.min, t.unit)} | {_md(t.min_source)} | "
            f"{fmt_amount(t.max, t.unit)} | {_md(t.max_source)} | "
            f"{'weekly' if t.weekly else 'daily'}{', suspected' if t.suspected else ''} |"
        )
    lines.append("")
    return "\n".join(lines)
