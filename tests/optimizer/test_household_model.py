"""The household's rows on hand-checkable member models (optimizer/household.py).

Two people share dinner. Each member's "day model" here is a few binaries: a dish A or B, or (for the
one who may eat apart) a pattern P, exactly one of them (their own row), each with a price in their own
objective. The household chooses one dish w; a member who can eat it eats it (or is apart by choice, at
APART_CHOICE_WEIGHT, 2000), a member who cannot is apart at APART_WEIGHT (1000). The optimum can be read
off on paper.
"""

from __future__ import annotations

from types import SimpleNamespace

import pulp
import pytest

from mealplan.optimizer import expr
from mealplan.optimizer.household import APART_WEIGHT, MemberDay, choose_shared, join_household, ties
from mealplan.optimizer.solve import solve
from mealplan.status import SolveStatus

DINNER = "dinner"


def member(mid: str, prices: dict[str, float]) -> MemberDay:
    """A member whose dinner is one of ``prices`` (dish ids, or "P" for a pattern), at those prices."""
    prob = pulp.LpProblem(mid, pulp.LpMinimize)
    z = {(j, DINNER): expr.binary(prob, f"dish_{j}_{DINNER}") for j in prices if j != "P"}
    p = {("P", DINNER): expr.binary(prob, f"pattern_P_{DINNER}")} if "P" in prices else {}
    options = [(v, 1.0) for v in (*z.values(), *p.values())]
    expr.add_eq(prob, options, 1.0, f"one_meal_{DINNER}")
    objective = [(v, prices[j]) for (j, _), v in (*z.items(), *p.items())]
    expr.set_objective(prob, objective)
    built = SimpleNamespace(prob=prob, z=z, p=p, y={}, x={}, n={}, dishes={}, foods={}, objective=objective)
    ctx = SimpleNamespace(rules=SimpleNamespace(slots=[SimpleNamespace(name=DINNER)]))
    return MemberDay(mid, ctx, SimpleNamespace(fixed={}), built)


def solved(members: list[MemberDay], candidates=("A", "B")):
    hm = join_household(members, {DINNER: [m.id for m in members]}, {DINNER: list(candidates)}, day=1, relax=False)
    outcome = solve(hm.prob, time_limit=10, gap=0.0)
    assert outcome.status == SolveStatus.OPTIMAL
    apart = sorted(m for (m, _), v in hm.apart.items() if v.value() > 0.5)
    return hm, hm.chosen(DINNER), apart, outcome.objective


def test_the_household_takes_the_dish_everyone_can_eat():
    # adult: A costs 0, B 10; child cannot eat A (no A in their model), B or their own pattern cost 0.
    adult, child = member("adult", {"A": 0.0, "B": 10.0}), member("child", {"B": 0.0, "P": 0.0})
    hm, dish, apart, objective = solved([adult, child])
    assert (dish, apart, objective) == ("B", [], pytest.approx(10.0))
    assert adult.joint(adult.built.z[("B", DINNER)]).value() == pytest.approx(1.0)
    assert child.joint(child.built.z[("B", DINNER)]).value() == pytest.approx(1.0)


def test_a_member_who_cannot_eat_the_dish_eats_apart_when_it_is_worth_it():
    # B now costs the adult 1500: A with the child apart (1000) is cheaper than B (1500) or B with the
    # adult apart by choice, eating A (2000).
    adult, child = member("adult", {"A": 0.0, "B": 1500.0}), member("child", {"B": 0.0, "P": 0.0})
    _, dish, apart, objective = solved([adult, child])
    assert (dish, apart, objective) == ("A", ["child"], pytest.approx(APART_WEIGHT))
    assert child.joint(child.built.p[("P", DINNER)]).value() == pytest.approx(1.0)  # their own meal


def test_a_member_who_can_eat_the_dish_eats_it_even_when_they_would_rather_not():
    # the child can eat A (at 5) but likes their pattern better (0): sharing wins, 5 < 2000.
    adult, child = member("adult", {"A": 0.0, "B": 10.0}), member("child", {"A": 5.0, "B": 7.0, "P": 0.0})
    _, dish, apart, objective = solved([adult, child])
    assert (dish, apart, objective) == ("A", [], pytest.approx(5.0))


def test_stage_one_relaxes_the_members_and_keeps_the_household_choice_whole():
    adult, child = member("adult", {"A": 0.0, "B": 10.0}), member("child", {"B": 0.0, "P": 0.0})
    hm = join_household([adult, child], {DINNER: ["adult", "child"]}, {DINNER: ["A", "B"]}, day=1)
    outcome = choose_shared(hm, solver="highs", threads=1, time_limit=10, gap=0.0)
    assert outcome.has_solution and hm.chosen(DINNER) == "B"
    assert all(v.cat == pulp.LpInteger for v in adult.built.prob.variables())  # their own model stays whole
    assert all(v.cat == pulp.LpContinuous for v in adult.twin.values())  # stage 1's copy is relaxed
    tie = ties(hm, None)
    assert tie["adult"].dishes == {DINNER: "B"} and tie["child"].dishes == {DINNER: "B"}


def test_member_variables_are_copied_apart_into_the_joint_problem():
    adult, child = member("same", {"A": 0.0}), member("same2", {"A": 0.0})
    hm = join_household([adult, child], {DINNER: ["same", "same2"]}, {DINNER: ["A"]}, day=1)
    names = [v.name for v in hm.prob.variables()]
    assert len(names) == len(set(names))  # an MPS file (CBC) needs each name once
    assert {"m1_dish_A_dinner", "m2_dish_A_dinner"} <= set(names)
    assert [v.name for v in adult.built.prob.variables()] == ["dish_A_dinner"]  # their own model is untouched
