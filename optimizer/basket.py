"""The classic diet problem ("basket"): the cheapest (or lightest) mix of foods meeting nutrient bounds.

Any food table works: amounts are continuous, in each food's basis unit (``"100 g"`` for the bundled
table, ``"$1"`` for a commodity table such as Stigler's). The model is

    minimise    sum_f c_f x_f                     (c = price, grams per basis unit, or energy)
    subject to  min_n <= sum_f a_fn x_f <= max_n  for every targeted nutrient n
                lo_f  <= x_f <= hi_f               (per-food bounds; default 0 <= x_f)

Unknown nutrient values (NaN) are never taken as zero where that could break a promise: a food
whose value is unknown for a nutrient with a maximum (or for the objective) is left out, and for a
nutrient with only a minimum an unknown value counts as 0 (the total can only be higher).

``build_basket_model`` builds and never solves (so ``--write-model`` works); ``solve_basket``
builds, solves and reports the optimum with binding constraints and shadow prices, or raises a
``ConflictError`` that names the nutrient bounds that cannot be met together.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import numpy as np
import pulp

from mealplan.errors import ConfigError, ConflictError, FoodDataError, InputError, SolverError
from mealplan.food_data.importers import basis_grams
from mealplan.food_data.nutrients import BY_ID, normalize_id, resolve, unit_factor
from mealplan.food_data.table import CURATION_COLUMNS, INFO_COLUMNS, SR24_SOURCE, FoodTable, Rows
from mealplan.optimizer import expr
from mealplan.optimizer.basket_targets import BasketTargets, FrozenModel, duplicate_problems
from mealplan.optimizer.solve import solve
from mealplan.status import SolveStatus

OBJECTIVES = ("cost", "weight", "energy")
MAX_NAMED = 10  # foods named in one error message before "and N more"
MAX_LISTED_COLUMNS = 20  # nutrient columns named in the note on how the table was read
_TIGHT = 1e-7  # relative tolerance for "this constraint is binding"
_ZERO = 1e-9  # an amount whose every contribution (amount x coefficient) is below this is reported as 0

Objective = Literal["cost", "weight", "energy"]


# --- result -------------------------------------------------------------------------------------


class BasketFood(FrozenModel):
    """One chosen food: its amount in basis units (and grams when the basis is a mass)."""

    food_id: str
    name: str
    amount: float
    basis: str
    grams: float | None = None
    cost: float | None = None
    at_bound: Literal["min", "max"] | None = None


class BasketNutrient(FrozenModel):
    """A targeted nutrient's total against its bounds, with the dual value of a binding bound.

    ``shadow_price`` is the change of the objective per unit the binding bound is raised
    (positive for a binding minimum, zero or negative for a binding maximum).
    """

    nutrient: str
    name: str
    unit: str
    amount: float
    min: float | None = None
    max: float | None = None
    binding: Literal["min", "max"] | None = None
    shadow_price: float | None = None
    unknown_foods: int = 0


class BasketResult(FrozenModel):
    """The optimum of a diet problem."""

    objective: Objective
    objective_value: float
    objective_unit: str
    cost: float | None = None
    total_grams: float | None = None
    foods: list[BasketFood]
    nutrients: list[BasketNutrient]
    binding: list[str]
    candidates: int
    excluded: int = 0
    solver: str
    seconds: float
    notes: list[str] = []


# --- model --------------------------------------------------------------------------------------


@dataclass
class _Row:
    """One targeted nutrient resolved against the table (bounds converted to the table's unit)."""

    column: str
    label: str
    unit: str
    min: float | None
    max: float | None
    name: str = ""


@dataclass
class _Spec:
    """Everything the model needs, resolved from table, targets and objective."""

    foods: Rows  # candidate foods, in table order
    rows: list[_Row]
    coef: dict[str, np.ndarray]  # column -> value per candidate (NaN -> 0 where allowed)
    objective: Objective
    obj_coef: np.ndarray
    obj_unit: str
    bases: list[str]
    grams: list[float | None]
    lo: np.ndarray
    hi: np.ndarray
    excluded: int
    notes: list[str] = field(default_factory=list)


def _basis_grams(basis: str) -> float | None:
    return basis_grams(basis)


def _match_column(table: FoodTable, name: str) -> str | None:
    cols = table.nutrient_columns
    if name in cols:
        return name
    key = normalize_id(name)
    if key in cols:
        return key
    nut = resolve(name)
    if nut is not None and nut.id in cols:
        return nut.id
    return None


def _prepare(table: FoodTable, targets: BasketTargets, objective: str) -> _Spec:
    if objective not in OBJECTIVES:
        raise InputError(f"objective {objective!r} is not known; allowed: {', '.join(OBJECTIVES)}.")
    df = table.rows
    if "deprecated" in df:
        df = df.where(~_flags(df["deprecated"]))
    problems: list[str] = []
    rows = _bound_rows(table, targets, problems)
    keep = _candidates(table, df, rows, objective, problems)
    excluded = int((~keep).sum())
    cand = df.where(keep)
    bound_lo, bound_hi = _food_bounds(df, cand, targets, problems)
    if problems:
        cls = ConfigError if any(p.startswith(targets.source) for p in problems) else InputError
        raise cls("Cannot build the diet problem:", problems)
    if cand.empty:
        raise FoodDataError(
            "Cannot build the diet problem: no food is left to choose from "
            f"({excluded} left out for unknown values or prices)."
        )

    bases = [table.basis] * len(cand)  # food_data.loading merges only tables of one basis
    grams = [_basis_grams(table.basis)] * len(cand)
    coef = {r.column: _known_or_zero(cand[r.column]) for r in rows}
    notes = [columns_note(table)]
    if objective == "cost":
        obj = cand["price"].astype(float)
        obj_unit = "price units"
    elif objective == "energy":
        obj = cand["energy"].astype(float)
        obj_unit = table.units.get("energy", "kcal")
    elif all(g is not None for g in grams):
        obj = np.array(grams, dtype=float)
        obj_unit = "g"
    else:
        obj = np.ones(len(cand))
        obj_unit = f"× {table.basis}"
        notes.append(f"weight counts amounts in the table's basis ({table.basis}), which is not a mass")
    if excluded:
        notes.append(
            f"{excluded} food{'s were' if excluded != 1 else ' was'} left out: no price, or an unknown value "
            "for a nutrient with a maximum or for the objective"
        )
    return _Spec(
        foods=cand,
        rows=rows,
        coef=coef,
        objective=objective,  # type: ignore[arg-type]
        obj_coef=obj,
        obj_unit=obj_unit,
        bases=bases,
        grams=grams,
        lo=bound_lo,
        hi=bound_hi,
        excluded=excluded,
        notes=notes,
    )


def _bound_rows(table: FoodTable, targets: BasketTargets, problems: list[str]) -> list[_Row]:
    """The nutrient bounds as rows on the table's columns, in the table's units (problems collected)."""
    rows: list[_Row] = []
    for b in targets.nutrients:
        col = _match_column(table, b.nutrient)
        if col is None:
            problems.append(
                f"{targets.source}: nutrient {b.nutrient!r} is not a column of the food table; "
                f"its nutrient columns are: {', '.join(table.nutrient_columns) or 'none'}"
            )
            continue
        unit = table.units.get(col, "unit")
        factor = 1.0
        if b.unit and b.unit.strip() != unit:
            try:
                factor = unit_factor(b.unit.replace("mcg", "µg").replace("ug", "µg"), unit)
            except ValueError:
                problems.append(
                    f"{targets.source}: nutrient {b.nutrient!r}: unit {b.unit!r} cannot be converted to the "
                    f"food table's unit {unit!r} for {col}; give the bounds in {unit} (or another mass unit)"
                )
                continue
        lo = None if b.min is None else b.min * factor
        hi = None if b.max is None else b.max * factor
        nut = BY_ID.get(col)
        rows.append(_Row(col, b.nutrient, unit, lo, hi, nut.name if nut else col))
    dup = duplicate_problems([r.column for r in rows], "nutrient column")
    problems += [f"{targets.source}: {p} (two names for the same column)" for p in dup]
    return rows


def _candidates(table: FoodTable, df, rows: list[_Row], objective: str, problems: list[str]) -> np.ndarray:
    """Which foods may enter: a food with an unknown value where that could break a bound (or the
    objective) is left out, and for cost a food without a price."""
    strict_cols = [r.column for r in rows if r.max is not None]
    obj_col = "energy" if objective == "energy" else None
    if objective == "energy" and "energy" not in table.nutrient_columns:
        problems.append("objective energy: the food table has no 'energy' column; use the objective cost or weight")
        obj_col = None
    keep = np.ones(len(df), dtype=bool)
    for c in strict_cols + ([obj_col] if obj_col else []):
        if c in df:
            keep &= ~np.isnan(df[c].astype(float))
    if objective != "cost":
        return keep
    price = df["price"].astype(float) if "price" in df else np.full(len(df), np.nan)
    source = df["source"] if "source" in df else np.full(len(df), "", dtype=object)
    no_price = np.isnan(price)
    # The bundled USDA table carries no prices: its foods are simply not candidates for cost.
    keep &= ~(no_price & (source == SR24_SOURCE))
    missing = df.ids[no_price & (source != SR24_SOURCE)]
    if len(missing):
        problems.append(
            f"objective cost: {len(missing)} food{'s' * (len(missing) != 1)} have no price: "
            + _name_some(df, missing)
            + "; add a price column (per the table's basis) or use --objective weight"
        )
    elif not (keep & ~no_price).any():
        problems.append(
            "objective cost: no food in the tables has a price (the bundled USDA table has none); "
            "give --foods a table with a price column, or use --objective weight"
        )
    elif (price[~no_price] < 0).any():
        bad = df.ids[np.nan_to_num(price) < 0]
        problems.append(f"objective cost: negative prices are not allowed: {_name_some(df, bad)}")
    return keep


def _food_bounds(df, cand, targets: BasketTargets, problems: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Each candidate's own bounds (``--food ID=MIN:MAX``); a bound on a food left out is a problem."""
    position = {f: i for i, f in enumerate(cand.index)}
    all_ids = set(df.index)
    bound_lo = np.zeros(len(cand))
    bound_hi = np.full(len(cand), np.inf)
    for fb in targets.foods:
        if fb.food_id not in all_ids:
            problems.append(
                f"food bound {fb.food_id}={fb.min:g}:{'' if fb.max is None else f'{fb.max:g}'}: "
                f"no food with id {fb.food_id!r} in the food table"
            )
        elif fb.food_id not in position:
            if fb.min > 0:
                problems.append(
                    f"food bound for {fb.food_id!r} asks for at least {fb.min:g}, but the food is left out: "
                    "it lacks a price or a value for a nutrient with a maximum"
                )
        else:
            bound_lo[position[fb.food_id]] = fb.min
            bound_hi[position[fb.food_id]] = np.inf if fb.max is None else fb.max
    return bound_lo, bound_hi


def columns_note(table: FoodTable) -> str:
    """How the food table's columns were read: which as nutrients, which kept as text.

    A person's table may carry columns of its own (``unit``, ``notes``); any column that is not a
    nutrient is never a bound or a coefficient, and this note says so once.
    """
    nutrients = table.nutrient_columns
    describing = {*INFO_COLUMNS, *CURATION_COLUMNS, "common"}
    text = [c for c in table.rows.columns if c not in table.units and c not in describing]
    shown = ", ".join(nutrients[:MAX_LISTED_COLUMNS]) or "none"
    if len(nutrients) > MAX_LISTED_COLUMNS:
        shown += f" and {len(nutrients) - MAX_LISTED_COLUMNS} more"
    note = f"read as nutrients: {shown}"
    return note + (f"; kept as text: {', '.join(text)}" if text else "")


def _flags(values: np.ndarray) -> np.ndarray:
    """True/false cells as bools, unknown (NaN, None) as false."""
    return np.array([bool(v) and v == v for v in values.tolist()], dtype=bool)


def _known_or_zero(values: np.ndarray) -> np.ndarray:
    values = values.astype(float)
    return np.where(np.isnan(values), 0.0, values)


def _name_some(df: Rows, ids: Iterable[str]) -> str:
    ids = [str(i) for i in ids]
    names = dict(zip(df.index, df["name"].tolist(), strict=True)) if "name" in df else {}
    shown = [f"{i} ({names[i]})" if i in names else i for i in ids[:MAX_NAMED]]
    more = f" and {len(ids) - MAX_NAMED} more" if len(ids) > MAX_NAMED else ""
    return ", ".join(shown) + more


def _unique_names(prefix: str, keys: Iterable[str]) -> list[str]:
    out: list[str] = []
    used: set[str] = set()
    for k in keys:
        name = f"{prefix}_{expr.safe_name(k)}"
        base, n = name, 1
        while name in used:
            n += 1
            name = f"{base}_{n}"
        used.add(name)
        out.append(name)
    return out


def _build(spec: _Spec, name: str = "basket") -> tuple[pulp.LpProblem, dict[str, pulp.LpVariable]]:
    prob = pulp.LpProblem(name, pulp.LpMinimize)
    names = _unique_names("x", spec.foods.index)
    xs = [
        expr.continuous(prob, n, float(lo), None if math.isinf(hi) else float(hi))
        for n, lo, hi in zip(names, spec.lo, spec.hi, strict=True)
    ]
    for row, cname in zip(spec.rows, _unique_names("n", [r.column for r in spec.rows]), strict=True):
        pairs = list(zip(xs, spec.coef[row.column].tolist(), strict=True))
        if row.min is not None:
            expr.add_ge(prob, pairs, row.min, f"min_{cname}")
        if row.max is not None:
            expr.add_le(prob, pairs, row.max, f"max_{cname}")
    expr.set_objective(prob, zip(xs, spec.obj_coef.tolist(), strict=True))
    return prob, dict(zip(spec.foods.index, xs, strict=True))


def build_basket_model(
    table: FoodTable, targets: BasketTargets, objective: str = "cost"
) -> tuple[pulp.LpProblem, dict[str, pulp.LpVariable]]:
    """Build (never solve) the diet LP.

    Args:
        table: Foods with nutrient columns per basis unit (and ``price`` for the cost objective).
        targets: Nutrient bounds (and optional per-food bounds).
        objective: ``"cost"`` (price column), ``"weight"`` (grams, or basis units for a non-mass
            basis) or ``"energy"`` (the ``energy`` column).

    Returns:
        The PuLP problem (constraints ``min_n_<nutrient>`` / ``max_n_<nutrient>``) and the amount
        variable of every candidate food, keyed by food id.

    Raises:
        ConfigError: a target names no column of the table, or its unit cannot be converted.
        InputError: unknown objective, foods without price under ``cost``, bad food bounds.
    """
    return _build(_prepare(table, targets, objective))


# --- solve and report ---------------------------------------------------------------------------


def solve_basket(
    table: FoodTable, targets: BasketTargets, objective: str = "cost", solver: str = "highs"
) -> BasketResult:
    """Solve the diet problem to its exact LP optimum.

    Args:
        table: The food table (any basis, any nutrient columns).
        targets: Nutrient bounds, e.g. from :func:`load_basket_targets`.
        objective: ``"cost"``, ``"weight"`` or ``"energy"``.
        solver: ``"highs"`` (default) or ``"cbc"``.

    Returns:
        The optimum: chosen foods, nutrient totals against their bounds, binding bounds with
        shadow prices.

    Raises:
        ConflictError: the bounds cannot all be met; the message names each nutrient bound that
            has to give and how far it can be reached.
        SolverError: the solver failed.
    """
    spec = _prepare(table, targets, objective)
    prob, xs = _build(spec)
    outcome = solve(prob, solver=solver, time_limit=120.0, gap=0.0)
    if outcome.status == SolveStatus.INFEASIBLE:
        head, problems = _diagnose(spec, solver)
        raise ConflictError(head, problems)
    if outcome.status == SolveStatus.UNBOUNDED:
        raise InputError("The diet problem is unbounded: check for negative prices or nutrient values.")
    if outcome.status != SolveStatus.OPTIMAL:
        raise SolverError(f"The {outcome.solver} solver did not reach an optimum ({outcome.status.value}).")
    return _report(spec, prob, xs, outcome)


def _report(spec: _Spec, prob: pulp.LpProblem, xs: dict[str, pulp.LpVariable], outcome: Any) -> BasketResult:
    amounts = np.array([max(0.0, v.varValue or 0.0) for v in xs.values()])
    # Solver noise is zeroed, but not a tiny amount of a food with huge values: 5e-10 units of a food
    # with 3.7e6 mg iron per unit is the 0.002 mg the bound asks for.
    scale = np.maximum.reduce([np.abs(spec.obj_coef), *(np.abs(c) for c in spec.coef.values()), np.ones(len(amounts))])
    amounts[amounts * scale < _ZERO] = 0.0
    chosen = np.flatnonzero(amounts > 0)
    df = spec.foods
    prices = df["price"].astype(float) if "price" in df else np.full(len(df), np.nan)
    names = df["name"] if "name" in df else df.ids
    foods: list[BasketFood] = []
    for i in chosen:
        g = spec.grams[i]
        at = "min" if spec.lo[i] > 0 and _close(amounts[i], spec.lo[i]) else None
        at = "max" if math.isfinite(spec.hi[i]) and _close(amounts[i], spec.hi[i]) else at
        foods.append(
            BasketFood(
                food_id=str(df.ids[i]),
                name=str(names[i]),
                amount=float(amounts[i]),
                basis=spec.bases[i],
                grams=None if g is None else float(amounts[i] * g),
                cost=None if math.isnan(prices[i]) else float(amounts[i] * prices[i]),
                at_bound=at,
            )
        )
    foods.sort(key=lambda f: -(f.cost if f.cost is not None else f.amount))
    names = _unique_names("n", [r.column for r in spec.rows])
    nutrients: list[BasketNutrient] = []
    for row, cname in zip(spec.rows, names, strict=True):
        total = float(spec.coef[row.column] @ amounts)
        raw = spec.foods[row.column].astype(float)
        unknown = int(np.isnan(raw[chosen]).sum())
        binding, dual = None, None
        for side, bound in (("min", row.min), ("max", row.max)):
            c = prob.get_constraint_by_name(f"{side}_{cname}")
            if bound is not None and c is not None and _close(total, bound):
                binding, dual = side, (None if c.pi is None else float(c.pi))
        nutrients.append(
            BasketNutrient(
                nutrient=row.column,
                name=row.name,
                unit=row.unit,
                amount=total,
                min=row.min,
                max=row.max,
                binding=binding,
                shadow_price=dual,
                unknown_foods=unknown,
            )
        )
    cost = None
    if not np.isnan(prices[chosen]).any():
        cost = float(np.nan_to_num(prices) @ amounts)
    per_g = spec.grams[0] if spec.grams else None
    total_g = None if per_g is None else float(amounts.sum() * per_g)
    return BasketResult(
        objective=spec.objective,
        objective_value=float(spec.obj_coef @ amounts),
        objective_unit=spec.obj_unit,
        cost=cost,
        total_grams=total_g,
        foods=foods,
        nutrients=nutrients,
        binding=[f"{n.nutrient} {n.binding}" for n in nutrients if n.binding],
        candidates=len(spec.foods),
        excluded=spec.excluded,
        solver=outcome.solver,
        seconds=round(outcome.seconds, 4),
        notes=spec.notes + list(outcome.notes),
    )


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= _TIGHT * max(1.0, abs(b))


# --- infeasibility diagnosis --------------------------------------------------------------------


def _diagnose(spec: _Spec, solver: str) -> tuple[str, list[str]]:
    """Name the nutrient bounds that conflict.

    Relax one at a time: for every nutrient bound, an LP finds the best total of that nutrient
    reachable while every *other* bound (and every food bound) holds. When that LP is feasible,
    dropping or easing this one bound alone would fix the problem, and the best total says how far.
    When no single bound is to blame, an elastic LP (each bound gets a violation variable; the sum
    of violations relative to their bounds is minimised) names a smallest set to ease together.
    """
    sole: list[str] = []
    for row in spec.rows:
        for side, bound in (("min", row.min), ("max", row.max)):
            if bound is not None:
                msg = _explain(spec, row, side, solver)
                if msg is not None:
                    sole.append(msg)
    if sole:
        head = "No mix of foods meets all the nutrient bounds together. Easing any one of these would fix it:"
        return head, sole
    head = "No mix of foods meets all the nutrient bounds together. These bounds have to be eased together:"
    return head, _elastic(spec, solver)


def _elastic(spec: _Spec, solver: str) -> list[str]:
    prob = pulp.LpProblem("basket_elastic", pulp.LpMinimize)
    xs = [
        expr.continuous(prob, n, float(lo), None if math.isinf(hi) else float(hi))
        for n, lo, hi in zip(_unique_names("x", spec.foods.index), spec.lo, spec.hi, strict=True)
    ]
    slacks: list[tuple[_Row, str, float, pulp.LpVariable]] = []
    obj: list[tuple[pulp.LpVariable, float]] = []
    for k, row in enumerate(spec.rows):
        pairs = list(zip(xs, spec.coef[row.column].tolist(), strict=True))
        for side, bound in (("min", row.min), ("max", row.max)):
            if bound is None:
                continue
            s = expr.continuous(prob, f"viol_{side}_{k}")
            if side == "min":
                expr.add_ge(prob, [*pairs, (s, 1.0)], bound, f"e_min_{k}")
            else:
                expr.add_le(prob, [*pairs, (s, -1.0)], bound, f"e_max_{k}")
            slacks.append((row, side, bound, s))
            obj.append((s, 1.0 / max(abs(bound), 1e-9)))
    expr.set_objective(prob, obj)
    outcome = solve(prob, solver=solver, time_limit=120.0, gap=0.0)
    if not outcome.has_solution:
        # Every nutrient bound is elastic here, so only the food bounds can conflict.
        return ["the per-food bounds cannot hold together; check the --bound values and the targets' foods"]
    out: list[str] = []
    for row, side, bound, s in slacks:
        gap = s.varValue or 0.0
        if gap > _TIGHT * max(1.0, abs(bound)):
            reached = bound - gap if side == "min" else bound + gap
            word = "minimum" if side == "min" else "maximum"
            out.append(
                f"{row.column} {word} {bound:g} {row.unit}: eased to {reached:.4g} {row.unit} "
                "in the smallest joint easing"
            )
    return out or ["the solver reports the bounds infeasible, but no bound could be named"]


def _explain(spec: _Spec, row: _Row, side: str, solver: str) -> str | None:
    """Why one bound fails when all others hold, or None when the others conflict by themselves."""
    bound = row.min if side == "min" else row.max
    assert bound is not None
    what = f"{row.column} {'minimum' if side == 'min' else 'maximum'} {bound:g} {row.unit}"
    coef = spec.coef[row.column]
    others = [
        _Row(
            r.column,
            r.label,
            r.unit,
            None if (r is row and side == "min") else r.min,
            None if (r is row and side == "max") else r.max,
            r.name,
        )
        for r in spec.rows
    ]
    others = [r for r in others if r.min is not None or r.max is not None]
    sub = replace(spec, rows=others, obj_coef=-coef if side == "min" else coef)
    prob, xs = _build(sub, "basket_probe")
    outcome = solve(prob, solver=solver, time_limit=60.0, gap=0.0)
    if not outcome.has_solution:
        return None
    if side == "min" and not (coef > 0).any():
        return f"{what}: no food in the table has any {row.column} (known values are all 0 or missing)"
    best = float(coef @ np.array([v.varValue or 0.0 for v in xs.values()]))
    if side == "min":
        return f"{what}: at most {best:.4g} {row.unit} can be reached while the other bounds hold"
    return f"{what}: it cannot go below {best:.4g} {row.unit} while the other bounds hold"
