"""A plan's days one after another: what a day carries over from the days before it (the variety so
far, what the week still needs of its weekly nutrients, yesterday's dinner for a leftover lunch) and
the model inputs of each day (``meal_spec``).

Weekly rules work on blocks of seven days: day 8 starts a new week, whose weekly nutrients start
afresh, while variety rolls (dish and food counts cover the last six days, so the rules hold in any
7 days running) and "not two days running" rules look back across the boundary.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from mealplan.food_data.vocab import LIGHT_MEALS, MAIN_MEALS, slot_kind
from mealplan.optimizer.inputs import DISH_KEEP, WIDER, MealInputs
from mealplan.optimizer.model import MealSpec
from mealplan.optimizer.rules import SLOT_DEFAULTS
from mealplan.plan import WEEK_DAYS, DayPlan, PlanRules, SlotPlan
from mealplan.targets.model import GOAL_CEILING, Targets


@dataclass
class WeekState:
    days_used: dict[str, int] = field(default_factory=dict)  # food -> days it was served (the days-per-food rule)
    dish_count: dict[tuple[str, str], int] = field(default_factory=dict)  # (meal kind, dish or pattern:id) -> times
    last_main_protein: set[str] = field(default_factory=set)
    last_dinner: SlotPlan | None = None
    last_main_dishes: set[str] = field(default_factory=set)  # yesterday's lunch and dinner dishes
    last_light_dishes: set[str] = field(default_factory=set)  # yesterday's breakfast and snack dishes
    weekly_achieved: dict[str, float] = field(default_factory=dict)  # nutrient, "fg:row", "kind:k" -> so far
    # The last WEEK_DAYS - 1 days' counted foods and (meal kind, dish or pattern) meals: variety counts
    # over them, so the rules hold in any 7 days running and the weeks of a long plan differ.
    recent: list[tuple[set[str], list[tuple[str, str]]]] = field(default_factory=list)
    # The days after the one planned are in the counts already (a re-plan carries every other day of
    # its week): the days a requirement keeps for a food are not counted ahead again.
    later_counted: bool = False


def week_of(day: int, days: int) -> tuple[int, int]:
    """The first and last day (1-based) of the week (block of ``WEEK_DAYS``) that holds ``day``."""
    first = (day - 1) // WEEK_DAYS * WEEK_DAYS + 1
    return first, min(first + WEEK_DAYS - 1, days)


def new_week(state: WeekState) -> WeekState:
    """The state a week starts from: nothing achieved of its weekly nutrients yet; variety still counts
    the last six days (it rolls across weeks), and yesterday is still yesterday."""
    return dataclasses.replace(state, weekly_achieved={})


def day_goals(targets: Targets, rules: PlanRules, state: WeekState, day: int, days: int) -> dict[str, float]:
    """Day ``day``'s minimum of each nutrient: the target, or for a weekly nutrient what its week
    still needs spread over the week's days left (``state`` holds the week so far)."""
    goals = {}
    for nut, t in targets.items.items():
        if not t.min:
            continue
        if nut in rules.weekly_nutrients:
            # What the week still needs, spread over the days left (never above one day's UL).
            goal = _week_share(t.min * 7, state.weekly_achieved.get(nut, 0.0), day, days)
            if t.max is not None:
                goal = min(goal, t.max * GOAL_CEILING)
            goals[nut] = goal
        else:
            goals[nut] = t.min
    return goals


def _week_share(weekly: float, achieved: float, day: int, days: int) -> float:
    """What a week (of ``weekly`` for 7 days) still needs on day ``day``: the rest spread over its days
    left; a plan of fewer days than a week is asked for its days' share."""
    first, last = week_of(day, days)
    remaining = weekly * (last - first + 1) / WEEK_DAYS - achieved
    return max(remaining, 0.0) / (last - day + 1)


def food_group_goals(rules: PlanRules, state: WeekState, day: int, days: int) -> dict[str, float]:
    """Day ``day``'s goal of each row of the person's food pattern: a daily row's amount, a weekly
    row's (vegetable subgroups, seafood) rest of the week spread over the days left."""
    goals = rules.food_groups
    if goals is None:
        return {}
    out = dict(goals.daily)
    for row, amount in goals.weekly.items():
        out[row] = _week_share(amount, state.weekly_achieved.get(f"fg:{row}", 0.0), day, days)
    return out


def kind_limits(targets: Targets, state: WeekState, day: int, days: int) -> tuple[dict[str, float], dict[str, float]]:
    """Grams of each food kind day ``day`` may have (a daily limit, and what the weekly one leaves),
    and the grams a weekly minimum still asks of it. A plan shorter than a week is part of a week: its
    days may hold the week's whole amount, as the first day of a week may (and as ``verify`` counts it),
    so a one-day plan may have a fish dinner under a limit of 454 g a week."""
    cap = dict(targets.daily_max_g)
    for kind, weekly in targets.weekly_max_g.items():
        left = max(weekly - state.weekly_achieved.get(f"kind:{kind}", 0.0), 0.0)
        cap[kind] = min(cap.get(kind, left), left)
    goal = {
        k: _week_share(w, state.weekly_achieved.get(f"kind:{k}", 0.0), day, days)
        for k, w in targets.weekly_min_g.items()
    }
    return cap, {k: g for k, g in goal.items() if g > 0}


def carry(state: WeekState, day: DayPlan, rules: PlanRules, inputs: MealInputs | None = None) -> None:
    """What the next days must know: foods and meals used, main-meal proteins, the weekly nutrients,
    food-group rows and food kinds so far (``inputs``: everyday foods, water and the kinds)."""
    meal_rules = rules.meal_rules
    if meal_rules is not None and meal_rules.food_days_cover_dishes and inputs is not None:
        # every food but the everyday ones, by its short name (raw and cooked spinach are one food)
        exempt = inputs.everyday | set(inputs.water)
        foods = {inputs.food_key(i.food_id) for s in day.slots for i in s.items if i.food_id not in exempt}
    else:
        foods = {i.food_id for s in day.slots if s.meal_kind == "pattern" for i in s.items if i.role != "drink"}
    # "at most once a week" counts cookings: a leftover lunch is the same cooking, eaten again
    meals = [
        (slot_kind(s.name), s.dish_id or f"pattern:{s.pattern_id}")
        for s in day.slots
        if (s.dish_id or s.pattern_id) and s.leftover_of is None
    ]
    state.recent = [*state.recent, (foods, meals)][-(WEEK_DAYS - 1) :]
    state.days_used, state.dish_count = {}, {}
    for day_foods, day_meals in state.recent:
        for f in day_foods:
            state.days_used[f] = state.days_used.get(f, 0) + 1
        for meal in day_meals:
            state.dish_count[meal] = state.dish_count.get(meal, 0) + 1
    mains = {s.name for s in rules.slots if s.needs_protein}
    state.last_main_protein = {
        i.food_id
        for s in day.slots
        if s.name in mains and s.meal_kind == "pattern"
        for i in s.items
        if i.role == "protein"
    }
    state.last_dinner = next((s for s in day.slots if slot_kind(s.name) == "dinner" and s.dish_id), None)
    state.last_main_dishes = {s.dish_id for s in day.slots if slot_kind(s.name) in MAIN_MEALS and s.dish_id}
    state.last_light_dishes = {s.dish_id for s in day.slots if slot_kind(s.name) in LIGHT_MEALS and s.dish_id}
    achieved = state.weekly_achieved
    for nut in rules.weekly_nutrients:
        achieved[nut] = achieved.get(nut, 0.0) + day.totals[nut].amount
    if rules.food_groups is not None:
        for row in rules.food_groups.weekly:
            amount = sum(day.food_groups.get(c, 0.0) * f for c, f in rules.food_groups.sources.get(row, {}).items())
            achieved[f"fg:{row}"] = achieved.get(f"fg:{row}", 0.0) + amount
    if inputs is not None:
        for kind, members in inputs.facts.kinds.items():
            grams = sum(i.grams for s in day.slots for i in s.items if i.food_id in members)
            achieved[f"kind:{kind}"] = achieved.get(f"kind:{kind}", 0.0) + grams


def _banned(rules: PlanRules, state: WeekState) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """The dishes and patterns the week's variety leaves out of each meal kind today."""
    meal_rules = rules.meal_rules
    limit = meal_rules.dish_max_per_week if meal_rules else WEEK_DAYS
    banned: dict[str, set[str]] = {}
    patterns: dict[str, set[str]] = {}
    for (kind, option), count in state.dish_count.items():
        cap = meal_rules.most_per_week(kind) if meal_rules else (limit if kind in MAIN_MEALS else None)
        if cap is None or count < cap or (kind in MAIN_MEALS and option.startswith("pattern:")):
            continue
        if option.startswith("pattern:"):
            patterns.setdefault(kind, set()).add(option.removeprefix("pattern:"))
        else:
            banned.setdefault(kind, set()).add(option)
    if MAIN_MEALS:  # a dish cooked for lunch or dinner counts for both (people remember it, not the slot)
        both = set().union(*(banned.get(k, set()) for k in MAIN_MEALS))
        counts: dict[str, int] = {}
        for (kind, dish_id), count in state.dish_count.items():
            if kind in MAIN_MEALS and not dish_id.startswith("pattern:"):
                counts[dish_id] = counts.get(dish_id, 0) + count
        both |= {j for j, c in counts.items() if c >= limit}
        if meal_rules is not None and meal_rules.no_main_dish_two_days_running:
            both |= state.last_main_dishes  # (a leftover lunch is fixed, not chosen: it still comes)
        for k in MAIN_MEALS:
            banned[k] = both
    if meal_rules is not None and meal_rules.no_light_dish_two_days_running:
        for k in LIGHT_MEALS:  # (a smoothie is a breakfast or a snack: neither the next day)
            banned[k] = banned.get(k, set()) | state.last_light_dishes
    return banned, patterns


def meal_spec(
    d: int,
    inputs: MealInputs,
    targets: Targets,
    rules: PlanRules,
    state: WeekState,
    days: int,
    liked: dict[str, list[str]],
    leftovers: bool,
) -> MealSpec:
    """Day ``d``'s model inputs, with the week's variety so far carried in."""
    banned, banned_patterns = _banned(rules, state)
    cover_dishes = rules.meal_rules is not None and rules.meal_rules.food_days_cover_dishes
    ahead = {} if state.later_counted else _kept_ahead(rules, inputs, d, days, cover_dishes)
    counts = {f: state.days_used.get(f, 0) + ahead.get(f, 0) for f in {*state.days_used, *ahead}}
    used_up = {f for f, c in counts.items() if c >= rules.max_days_per_food}
    if cover_dishes:  # (counted by short name: every food of that name is used up)
        used_up = {f for f in inputs.names if f not in inputs.everyday and inputs.food_key(f) in used_up}
    forbidden = {(f.id, s.name) for f in inputs.all_foods for s in rules.slots if f.id in used_up}
    forbidden |= {(f, s.name) for f in state.last_main_protein for s in rules.slots if s.needs_protein}
    forbidden |= {(f, s.name) for f, kinds in inputs.not_at.items() for s in rules.slots if slot_kind(s.name) in kinds}
    fixed = {}
    lunch = next((s.name for s in rules.slots if slot_kind(s.name) == "lunch"), None)
    if leftovers and state.last_dinner is not None and lunch is not None and d <= days:
        dinner = state.last_dinner
        dish = next((o for o in inputs.dishes if o.id == dinner.dish_id), None)
        if dish is not None and "lunch" in dish.kinds:
            amounts = {}
            grams = {it.food_id: it.grams for it in dinner.items if it.role != "drink"}
            for i, fid in enumerate(dish.foods):
                amounts[i] = grams.get(fid, 0.0)
            # the leftover comes as it is: not when it would serve a food on more days than the week allows
            if not (cover_dishes and any(g > 0 and dish.foods[i] in used_up for i, g in amounts.items())):
                fixed[lunch] = (dish.id, amounts)
    kind_max, kind_min = kind_limits(targets, state, d, days)
    return MealSpec(
        scale={s.name: max(1.0, s.energy_share[1] / SLOT_DEFAULTS[slot_kind(s.name)][2][1]) for s in rules.slots},
        day=d,
        goals=day_goals(targets, rules, state, d, days),
        foods=inputs.foods,
        dishes=day_dishes(inputs, rules, banned, fixed),
        patterns=inputs.patterns,
        nutrients=inputs.nutrients,
        categories=inputs.categories,
        hot_drink_kinds=inputs.hot_drink_kinds,
        hot_drink_pools=inputs.hot_drink_pools,
        forbidden=forbidden,
        banned_dishes=banned,
        liked=liked,
        fixed=fixed,
        facts=inputs.facts,
        food_goals=food_group_goals(rules, state, d, days),
        kind_max_g=kind_max,
        kind_min_g=kind_min,
        banned_patterns=banned_patterns,
        zero_foods=used_up if cover_dishes else set(),
    )


def _kept_ahead(rules: PlanRules, inputs: MealInputs, d: int, days: int, by_name: bool) -> dict[str, int]:
    """Per food (by its short name with ``by_name``, as the days-per-food rule counts), the later days of
    day ``d``'s week that a requirement keeps for it: the days before leave them free, so bananas
    required at breakfast on days 1, 3 and 5 are not in a smoothie on days 2 and 4 as well (five days).
    A food required on day ``d`` itself is left out (its requirement holds whatever the count)."""
    _, last = week_of(d, days)
    today = {r.food for r in rules.require if d in (r.days or [1])}
    kept: dict[str, set[int]] = {}
    for r in rules.require:
        if r.food in inputs.names and r.food not in today:  # (a food, not a dish)
            key = inputs.food_key(r.food) if by_name else r.food
            kept.setdefault(key, set()).update(x for x in (r.days or [1]) if d < x <= last)
    return {key: len(later) for key, later in kept.items() if later}


def day_dishes(
    inputs: MealInputs, rules: PlanRules, banned: dict[str, set[str]], fixed: dict, wider: bool = False
) -> list:
    """The dishes a day model chooses from: the best few for each meal the day has (``WIDER`` times as
    many with ``wider``), and any leftover."""
    chosen: dict[str, object] = {}
    keep = DISH_KEEP * WIDER if wider else DISH_KEEP
    for kind in dict.fromkeys(slot_kind(s.name) for s in rules.slots):
        for d in inputs.dishes_for(kind, banned.get(kind, set()), keep):
            chosen[d.id] = d
    for dish_id, _ in fixed.values():
        chosen.update({d.id: d for d in inputs.dishes if d.id == dish_id})
    return list(chosen.values())


def mark_leftover(slots: list[SlotPlan], dinner: SlotPlan, prev_index: int) -> list[SlotPlan]:
    """Mark the lunch that repeats yesterday's dinner dish (``dinner``, day ``prev_index``) as its leftover."""
    out = []
    for s in slots:
        if slot_kind(s.name) == "lunch" and s.dish_id == dinner.dish_id:
            s = s.model_copy(
                update={"leftover_of": prev_index, "title": f"{s.title} (leftovers from day {prev_index})"}
            )
        out.append(s)
    return out
