"""A household's day as one model: every member's own day model, and the rows that make a shared meal one dish.

Each member's day model is built by :func:`~mealplan.optimizer.model.build_meal_model` from their own
spec (``week.meal_spec``: their targets, upper limits, life-stage, medicine and variety rules, exactly as
when they are planned alone). Its variables and rows are copied, each name with a member prefix
(``m2_dish_lentil_dal_dinner``), into one PuLP problem, whose objective is the sum of the members'
objectives and the household's terms. At a shared meal ``s`` eaten by members ``M``, with the household's
candidate dishes ``C`` (``shared_candidates``):

    w[j,s]   1 when dish j in C is the household's meal s;      sum_j w[j,s] = 1
    a[m,s]   1 when member m eats apart at s
    -a[m,s] <= z_m[j,s] - w[j,s] <= a[m,s]   for each j in C that m's model offers
    a[m,s] >= sum_{j in C that m cannot eat} w[j,s]   (diet, allergy, dislike, safety: ``blocked_dishes``)

with APART_CHOICE_WEIGHT * a[m,s] + (APART_WEIGHT - APART_CHOICE_WEIGHT) * sum_{j m cannot eat} w[j,s]
in the objective: a member apart because they cannot eat the household's dish costs APART_WEIGHT (one
whole target), a member apart who could eat it (their day cannot hold with it) APART_CHOICE_WEIGHT (two).
Everyone who can eat the chosen dish eats it, each their own portion (the amounts are theirs, within the
dish's ranges and their rules); a member whose rules exclude it is apart and eats their own choice, named
in the plan with the reason ("everyone eats the same dinner unless someone cannot"). The price of a member
apart makes the household choose a dish everyone can eat whenever one serves the targets about as well.
A shared meal is always a dish, never a meal pattern: a pattern is filled per person from pool foods, so
two people's "eggs with toast" would be two meals; a member apart may still have a pattern. With every
member apart the model is each member's own day, so the household day is feasible exactly when each
member's is.

A household budget is one row over every member's priced amounts (unpriced foods count 0, as a profile's
budget). A pantry product near its use-by date earns its grams used, up to what is left, at
``PANTRY_WEIGHT`` for all of it: a soft aim, far below one whole target.

The joint model is solved in two stages, because a MILP of four people's days is a product of four
independent blocks tied by a few binaries, which branch and bound closes far slower than the four blocks
apart (a family of four's first day: no proven plan in 60 s, where each person's day takes a few):

1. ``choose_shared``: the household's choices (``w``, ``a``) as integers over every member's day relaxed
   (their binaries and counts continuous): a small MILP that weighs each candidate dish by what it does
   for every member's targets at once;
2. ``bind`` and ``member_rows``: each member's own day model with the shared meal fixed (the chosen dish,
   or apart), their share of the household's budget and of the pantry's near-use-by grams (as stage 1
   split them), solved alone (``optimizer/household_day.py``): the household's day costs about what its
   members' days cost alone, and every member's model is exactly their own. A member whose day cannot
   hold with the chosen dish (stage 1's relaxation could not see it: whole eggs, portions in steps) has
   that dish forbidden, and stage 1 chooses once more.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import pulp

from mealplan.food_data.vocab import slot_kind
from mealplan.optimizer import expr
from mealplan.optimizer.context import PlanContext
from mealplan.optimizer.inputs import DISH_KEEP
from mealplan.optimizer.model import SHORTFALL_WEIGHT, DishOption, MealModel, MealSpec, build_meal_model
from mealplan.optimizer.solve import SolveOutcome, solve

APART_WEIGHT = SHORTFALL_WEIGHT  # a member apart at a shared meal because they cannot eat its dish
APART_CHOICE_WEIGHT = 2 * SHORTFALL_WEIGHT  # a member apart who could eat it (their day cannot hold with it)
PANTRY_WEIGHT = 0.05 * SHORTFALL_WEIGHT  # a pantry product near its use-by, all of what is left used
PANTRY_DISHES = 2  # dishes per meal added because they use pantry products near their use-by
CHOOSE_ABS_GAP = 0.05 * SHORTFALL_WEIGHT  # stage 1 stops within 5 % of one whole target of its best choice


@dataclass
class MemberDay:
    """One member's part of a household day: their plan's context, today's spec and their built model."""

    id: str
    ctx: PlanContext
    spec: MealSpec
    built: MealModel | None = None
    objective: list[tuple[pulp.LpVariable, float]] = field(default_factory=list)  # their own model's terms
    twin: dict[str, pulp.LpVariable] = field(default_factory=dict)  # their variable's name -> its joint copy

    @property
    def model(self) -> MealModel:
        """Their built day model (``built``, which ``build_household_day`` sets before any use)."""
        assert self.built is not None, f"member {self.id}: the day model is not built yet"
        return self.built

    def joint(self, v: pulp.LpVariable) -> pulp.LpVariable:
        """The joint problem's copy of one of this member's variables."""
        return self.twin[v.name]

    def slots(self) -> list[str]:
        return [s.name for s in self.ctx.rules.slots]


@dataclass(frozen=True)
class PantryAim:
    """A pantry product near its use-by date: grams left (as bought) and the foods bought as it."""

    product: str
    left_g: float
    foods: dict[str, float]  # food id -> grams bought per gram eaten


@dataclass
class HouseholdModel:
    """The household day's problem and its handles."""

    prob: pulp.LpProblem
    members: list[MemberDay]
    shared: dict[str, list[str]]  # shared slot -> the members whose rows tie them to it
    candidates: dict[str, list[str]]
    w: dict[tuple[str, str], pulp.LpVariable] = field(default_factory=dict)  # (slot, dish)
    apart: dict[tuple[str, str], pulp.LpVariable] = field(default_factory=dict)  # (member, slot)
    pantry_use: dict[str, pulp.LpVariable] = field(default_factory=dict)  # product -> grams used today
    cost: list[tuple[pulp.LpVariable, float]] = field(default_factory=list)  # the day's cost, every member
    aims: list[PantryAim] = field(default_factory=list)
    prices: dict[str, float] | None = None

    @property
    def size(self) -> tuple[int, int]:
        return len(self.prob.variables()), self.prob.numConstraints()

    def chosen(self, slot: str) -> str | None:
        """The household's dish at a shared slot (after a solve)."""
        return next((j for (s, j), v in self.w.items() if s == slot and (v.value() or 0.0) > 0.5), None)


def build_household_day(
    members: list[MemberDay],
    shared: dict[str, list[str]],
    candidates: dict[str, list[str]],
    *,
    day: int,
    budget: float | None = None,
    prices: dict[str, float] | None = None,
    pantry: Sequence[PantryAim] = (),
) -> HouseholdModel:
    """Build every member's day model and join them into one problem with the household's rows.

    Args:
        members: The members with today's specs (candidates already among their dishes: ``with_candidates``).
        shared: Shared slot -> the member ids who eat it together.
        candidates: Shared slot -> the household's candidate dish ids.
        day: The day's index (names the problem).
        budget: The household's food a day, at most (with ``prices``).
        prices: Prices per 100 g.
        pantry: Today's pantry aims (products near their use-by).
    """
    for m in members:
        m.built = build_meal_model(m.spec, m.ctx.rules, m.ctx.targets, prices=m.ctx.prices)
    return join_household(members, shared, candidates, day=day, budget=budget, prices=prices, pantry=pantry)


def join_household(
    members: list[MemberDay],
    shared: dict[str, list[str]],
    candidates: dict[str, list[str]],
    *,
    day: int,
    budget: float | None = None,
    prices: dict[str, float] | None = None,
    pantry: Sequence[PantryAim] = (),
    relax: bool = True,
) -> HouseholdModel:
    """Join built member models (``m.built``) into one problem and add the household's rows (see the
    module docstring); the arguments as :func:`build_household_day`'s. With ``relax`` (stage 1) the
    members' copies are continuous and only the household's choices are whole; without it the problem is
    the exact joint MILP (the tests check its optimum on paper)."""
    prob = pulp.LpProblem(f"household_day{day}", pulp.LpMinimize)
    objective: list[tuple[pulp.LpVariable, float]] = []
    for k, m in enumerate(members, start=1):
        m.objective = list(m.model.prob.objective.items()) if m.model.prob.objective is not None else []
        m.twin = _join(prob, m.model.prob, f"m{k}_", relax)
        objective += [(m.joint(v), c) for v, c in m.objective]
    hm = HouseholdModel(prob, members, {}, candidates, prices=prices)
    objective += _shared_rows(hm, shared)
    if prices is not None:
        hm.cost = [(m.joint(v), c) for m in members for v, c in _priced(m.model, prices)]
        if budget is not None:
            expr.add_le(prob, hm.cost, budget, "household_budget")
    objective += _pantry_rows(hm, pantry)
    expr.set_objective(prob, objective)
    return hm


def _join(prob: pulp.LpProblem, part: pulp.LpProblem, prefix: str, relax: bool) -> dict[str, pulp.LpVariable]:
    """Copy a member's variables and rows into ``prob``, each name prefixed (``m2_dish_dal_dinner``); the
    copies by the member's names. Copies, not the member's own objects: PuLP 4 binds a row to the model of
    its variables, and the member's model stays exactly theirs for stage 2."""
    twin = {}
    for v in part.variables():
        cat = pulp.LpContinuous if relax else v.cat
        twin[v.name] = prob.add_variable(prefix + v.name, _finite(v.lowBound), _finite(v.upBound), cat)
    # PuLP 3.3.0 keeps the rows in a dict; later releases list them when called (as solve.py reads them).
    rows = list(part.constraints.values()) if isinstance(part.constraints, dict) else part.constraints()
    add = {pulp.LpConstraintLE: expr.add_le, pulp.LpConstraintGE: expr.add_ge, pulp.LpConstraintEQ: expr.add_eq}
    for row in rows:
        add[row.sense](prob, [(twin[v.name], c) for v, c in row.items()], -row.constant, prefix + row.name)
    return twin


def _finite(bound: float | None) -> float | None:
    return None if bound is None or math.isinf(bound) else bound


def _shared_rows(hm: HouseholdModel, shared: dict[str, list[str]]) -> list[tuple[pulp.LpVariable, float]]:
    """The household's choice of dish at each shared slot, and each member on it or apart."""
    objective = []
    for s, scope in shared.items():
        active = [m for m in hm.members if m.id in scope and s in m.slots() and s not in m.spec.fixed]
        dishes = hm.candidates.get(s, [])
        if len(active) < 2 or not dishes:
            continue
        hm.shared[s] = [m.id for m in active]
        tag = expr.safe_name(s)
        for j in dishes:
            hm.w[(s, j)] = expr.binary(hm.prob, f"hh_dish_{expr.safe_name(j)}_{tag}")
        expr.add_eq(hm.prob, [(hm.w[(s, j)], 1.0) for j in dishes], 1.0, f"hh_one_dish_{tag}")
        for m in active:
            a = expr.binary(hm.prob, f"hh_apart_{expr.safe_name(m.id)}_{tag}")
            hm.apart[(m.id, s)] = a
            objective.append((a, APART_CHOICE_WEIGHT))
            cannot = []
            for j in dishes:
                z, w = m.model.z.get((j, s)), hm.w[(s, j)]
                z = m.joint(z) if z is not None else None
                if z is None:
                    cannot.append((w, -1.0))
                    objective.append((w, APART_WEIGHT - APART_CHOICE_WEIGHT))
                    continue
                row = f"hh_{expr.safe_name(m.id)}_{expr.safe_name(j)}_{tag}"
                expr.add_le(hm.prob, [(z, 1.0), (w, -1.0), (a, -1.0)], 0.0, f"{row}_up")
                expr.add_le(hm.prob, [(w, 1.0), (z, -1.0), (a, -1.0)], 0.0, f"{row}_lo")
            if cannot:
                expr.add_ge(hm.prob, [(a, 1.0), *cannot], 0.0, f"hh_cannot_{expr.safe_name(m.id)}_{tag}")
    return objective


def _amounts(built: MealModel):
    """Every dish-ingredient and pool-food amount of a member's model: (variable, food id, grams per unit)."""
    for (j, _, i), v in built.x.items():
        yield v, built.dishes[j].foods[i], 1.0
    for (f, _, _), v in built.n.items():
        yield v, f, built.foods[f].step_g


def _priced(built: MealModel, prices: dict[str, float]) -> list[tuple[pulp.LpVariable, float]]:
    return [(v, prices[f] * g / 100.0) for v, f, g in _amounts(built) if f in prices and prices[f] > 0]


def _pantry_terms(m: MemberDay, aim: PantryAim, joint: bool = False) -> list[tuple[pulp.LpVariable, float]]:
    """A member's grams (as bought) of a pantry product, as (variable, coefficient) pairs: their own model's
    variables, or with ``joint`` their copies in the joint problem."""
    terms = [(v, g * aim.foods[f]) for v, f, g in _amounts(m.model) if f in aim.foods]
    return [(m.joint(v), c) for v, c in terms] if joint else terms


def _pantry_rows(hm: HouseholdModel, pantry: Sequence[PantryAim]) -> list[tuple[pulp.LpVariable, float]]:
    """Grams used today of each pantry product near its use-by (as bought), up to what is left: rewarded."""
    objective = []
    hm.aims = list(pantry)
    for k, aim in enumerate(pantry):
        terms = [t for m in hm.members for t in _pantry_terms(m, aim, joint=True)]
        if not terms or aim.left_g <= 0:
            continue
        u = expr.continuous(hm.prob, f"hh_pantry_{k}", 0.0, aim.left_g)
        hm.pantry_use[aim.product] = u
        expr.add_le(hm.prob, [(u, 1.0), *((v, -c) for v, c in terms)], 0.0, f"hh_pantry_{k}")
        objective.append((u, -PANTRY_WEIGHT / aim.left_g))
    return objective


# --- the candidates of a shared meal ---------------------------------------------------------------


def _blocked_today(dish: DishOption, spec: MealSpec) -> bool:
    """A dish needing a food the member's week has used up (the days-per-food rule)."""
    return any(f in spec.zero_foods and lo > 0 for f, lo in zip(dish.foods, dish.lo, strict=True))


def shared_candidates(
    members: list[MemberDay], slot: str, scope: list[str], pantry: Sequence[PantryAim] = ()
) -> list[str]:
    """The dishes a shared meal chooses from: the best ``DISH_KEEP`` for the household by each of the
    dish scores (coverage per portion, per kcal), most eaters first and then the members' scores summed
    (each member's scaled to their best, so a toddler's small portions weigh as much as an adult's), and
    the ``PANTRY_DISHES`` that use most of the pantry's products near their use-by.

    A dish the week's variety keeps out for any member who eats the meal (banned for its meal, or
    needing a food they have used up) is no candidate: the household's meals keep every member's week.
    """
    kind = slot_kind(slot)
    here = [m for m in members if m.id in scope and slot in m.slots() and slot not in m.spec.fixed]
    banned = set().union(*(m.spec.banned_dishes.get(kind, set()) for m in here)) if here else set()
    offered: dict[str, dict[str, DishOption]] = {}
    for m in here:
        for d in m.ctx.inputs.dishes:
            if kind in d.kinds and d.id not in banned:
                offered.setdefault(d.id, {})[m.id] = d
    specs = {m.id: m.spec for m in here}
    fits = {j: by for j, by in offered.items() if not any(_blocked_today(d, specs[mid]) for mid, d in by.items())}
    if not fits:
        return []
    scores = {m.id: m.ctx.inputs.dish_score for m in here}
    n_scores = min(len(next(iter(sc.values()), ())) for sc in scores.values())
    chosen: list[str] = []
    for k in range(n_scores):
        # each member's scores scaled to their best dish, so a toddler's small portions count as an adult's
        best = {mid: max((sc[j][k] for j in fits if mid in fits[j]), default=0.0) or 1.0 for mid, sc in scores.items()}
        score = {j: sum(scores[mid][j][k] / best[mid] for mid in by) for j, by in fits.items()}
        ranked = sorted(fits, key=lambda j: (-len(fits[j]), -score[j], j))
        chosen += [j for j in ranked[:DISH_KEEP] if j not in chosen]
    if pantry:
        use = {j: max(_pantry_grams(d, pantry) for d in by.values()) for j, by in fits.items()}
        ranked = sorted((j for j in use if use[j] > 0), key=lambda j: (-use[j], j))
        chosen += [j for j in ranked[:PANTRY_DISHES] if j not in chosen]
    return chosen


def _pantry_grams(dish: DishOption, pantry: Sequence[PantryAim]) -> float:
    """Grams (as bought) of near-use-by pantry products a dish uses at its default amounts."""
    return sum(g * aim.foods.get(f, 0.0) for aim in pantry for f, g in zip(dish.foods, dish.grams, strict=True))


def with_candidates(m: MemberDay, candidates: dict[str, list[str]], pantry: Sequence[PantryAim] = ()) -> MealSpec:
    """A member's spec with the household's candidates among its dishes (their own version of each dish:
    their portions), and the dishes and pool foods that use the pantry's products near their use-by."""
    spec = m.spec
    own = {d.id: d for d in m.ctx.inputs.dishes}
    have = {d.id for d in spec.dishes}
    wanted = [j for s, js in candidates.items() if s in m.slots() for j in js]
    if pantry:
        for kind in dict.fromkeys(slot_kind(s) for s in m.slots()):
            banned = spec.banned_dishes.get(kind, set())
            fits = [d for d in own.values() if kind in d.kinds and d.id not in banned and not _blocked_today(d, spec)]
            use = {d.id: _pantry_grams(d, pantry) for d in fits}
            ranked = sorted((j for j, g in use.items() if g > 0), key=lambda j: (-use[j], j))
            wanted += ranked[:PANTRY_DISHES]
    dishes = [*spec.dishes, *(own[j] for j in dict.fromkeys(wanted) if j in own and j not in have)]
    foods = list(spec.foods)
    if pantry:
        near = {f for aim in pantry for f in aim.foods}
        in_pool = {f.id for f in foods}
        foods += [f for f in m.ctx.inputs.all_foods if f.id in near and f.id not in in_pool]
    return dataclasses.replace(spec, dishes=dishes, foods=foods)


# --- the two stages --------------------------------------------------------------------------------


def choose_shared(hm: HouseholdModel, *, solver: str, threads: int, time_limit: float, gap: float) -> SolveOutcome:
    """Stage 1: the household's choices as integers over every member's day relaxed (see the module
    docstring; the joint problem of ``join_household(relax=True)``). Choices within ``CHOOSE_ABS_GAP`` of
    the best are as good: the relaxation is an estimate of what stage 2 will find, no finer."""
    return solve(hm.prob, solver=solver, time_limit=time_limit, gap=gap, threads=threads,
                 gap_scale=SHORTFALL_WEIGHT, abs_gap=CHOOSE_ABS_GAP)  # fmt: skip


@dataclass(frozen=True)
class Tie:
    """What stage 1 asks of one member: the dish at each shared slot (None: apart), their share of the
    household's budget and their grams of each pantry product near its use-by."""

    dishes: dict[str, str | None]
    budget: float | None
    pantry: dict[str, float]


def ties(hm: HouseholdModel, budget: float | None) -> dict[str, Tie]:
    """Each member's part of the stage-1 solution: a shared dish is theirs unless they are apart there; the
    household's budget is split as stage 1 spent it (the same share of the whole budget); the pantry's
    grams near their use-by as stage 1 used them."""
    cost = {m.id: 0.0 for m in hm.members}
    if hm.cost and hm.prices is not None:
        for m in hm.members:
            cost[m.id] = sum(c * (m.joint(v).value() or 0.0) for v, c in _priced(m.model, hm.prices))
    total = sum(cost.values())
    out = {}
    for m in hm.members:
        dishes = {}
        for s, scope in hm.shared.items():
            if m.id in scope:
                apart = (hm.apart[(m.id, s)].value() or 0.0) > 0.5
                dishes[s] = None if apart else hm.chosen(s)
        share = None
        if budget is not None and hm.cost:
            share = budget * cost[m.id] / total if total > 1e-9 else budget / len(hm.members)
        used = {a.product: sum(c * (v.value() or 0.0) for v, c in _pantry_terms(m, a, joint=True)) for a in hm.aims}
        out[m.id] = Tie(dishes, share, {p: g for p, g in used.items() if g > 1e-6})
    return out


def shared_bounds(hm: HouseholdModel) -> dict[tuple[str, str, str], tuple]:
    """The bounds of every member's dish choices at the shared slots before stage 2 ties them:
    (member, dish, slot) -> (low, up)."""
    return {
        (m.id, j, s): (z.lowBound, z.upBound)
        for m in hm.members
        for (j, s), z in m.model.z.items()
        if s in hm.shared and m.id in hm.shared[s]
    }


def bind(m: MemberDay, tie: Tie, chosen: dict[str, str | None], bounds: dict, forbidden: set[tuple[str, str]]) -> None:
    """Stage 2's bounds on a member's own model: the household's dish at each shared slot (or, apart, not
    that dish), and the (dish, slot) pairs their day has been found unable to hold (``forbidden``)."""
    z = m.model.z
    for (mid, j, s), (lo, up) in bounds.items():
        if mid == m.id:
            z[(j, s)].lowBound, z[(j, s)].upBound = lo, up
    for key in forbidden:
        if key in z:
            z[key].upBound = 0
    for s, dish in tie.dishes.items():
        if dish is not None and (dish, s) in z and (dish, s) not in forbidden:
            z[(dish, s)].lowBound = 1
        elif dish is None:
            other = chosen.get(s)
            if other is not None and (other, s) in z:
                z[(other, s)].upBound = 0


def member_rows(m: MemberDay, tie: Tie, prices: dict[str, float] | None, aims: list[PantryAim]) -> None:
    """Stage 2's rows on a member's own model (added once): their share of the household's budget (hard)
    and of the pantry's near-use-by grams (a soft aim, at stage 1's price a gram)."""
    built = m.model
    if tie.budget is not None and prices is not None:
        expr.add_le(built.prob, _priced(built, prices), tie.budget + 1e-6, "household_budget_share")
    objective = list(m.objective)
    for k, aim in enumerate(aims):
        grams = tie.pantry.get(aim.product, 0.0)
        terms = _pantry_terms(m, aim)
        if grams <= 1e-6 or not terms or aim.left_g <= 0:
            continue
        u = expr.continuous(built.prob, f"hh_pantry_{k}", 0.0, grams)
        expr.add_le(built.prob, [(u, 1.0), *((v, -c) for v, c in terms)], 0.0, f"hh_pantry_{k}")
        objective.append((u, -PANTRY_WEIGHT / aim.left_g))  # per gram, as in stage 1
    if len(objective) > len(m.objective):
        expr.set_objective(built.prob, objective)
        built.objective.extend(objective[len(m.objective) :])  # (the polish keeps the aim)
