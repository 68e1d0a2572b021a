"""The PuLP expression helper: pairs in, affine expressions out, variables owned by the problem."""

from __future__ import annotations

import warnings

import pulp
import pytest

from mealplan.optimizer import expr


@pytest.fixture
def prob() -> pulp.LpProblem:
    return pulp.LpProblem("t", pulp.LpMinimize)


def test_linear_drops_zero_coefficients_and_keeps_the_rest(prob):
    x, y, z = (expr.continuous(prob, n) for n in "xyz")
    e = expr.linear([(x, 2), (y, 0.0), (z, -1.5)])
    assert {v.name: c for v, c in e.items()} == {"x": 2.0, "z": -1.5}
    assert all(isinstance(c, float) for c in e.values())
    assert e.constant == 0


def test_linear_sets_a_constant_and_evaluates(prob):
    x, y = expr.continuous(prob, "x"), expr.continuous(prob, "y")
    e = expr.linear([(x, 3.0), (y, 1.0)], constant=4)
    assert e.constant == 4.0
    x.varValue, y.varValue = 2.0, 5.0
    assert pulp.value(e) == pytest.approx(3 * 2 + 5 + 4)


def test_linear_of_nothing_is_the_zero_expression():
    e = expr.linear([])
    assert len(e) == 0
    assert pulp.value(e) == 0


def test_variables_have_the_requested_kind_and_bounds(prob):
    c = expr.continuous(prob, "c", None, 7.0)
    i = expr.integer(prob, "i", 1, 9)
    b = expr.binary(prob, "b")
    assert (c.cat, c.lowBound, c.upBound) == (pulp.LpContinuous, None, 7.0)
    assert (i.cat, i.lowBound, i.upBound) == (pulp.LpInteger, 1, 9)
    assert (b.cat, b.lowBound, b.upBound) == (pulp.LpInteger, 0, 1)


def test_direct_lpvariable_is_deprecated_but_the_helpers_are_not(prob):
    """The reason for the helper: PuLP 3.3 deprecates LpVariable(...) in favour of prob.add_variable."""
    with pytest.warns(DeprecationWarning):
        pulp.LpVariable("direct")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        x = expr.continuous(prob, "x")
        n = expr.integer(prob, "n", 0, 4)
        b = expr.binary(prob, "b")
        expr.add_ge(prob, [(x, 1.0), (n, 1.0)], 2.0, "ge")
        expr.add_le(prob, [(n, 1.0), (b, -4.0)], 0.0, "le")
        expr.add_eq(prob, [(x, 1.0)], 0.5, "eq")
        expr.set_objective(prob, [(x, 1.0), (n, 2.0), (b, 0.5)])


def test_constraints_are_named_and_the_model_solves(prob):
    x = expr.integer(prob, "x", 0, 10)
    y = expr.continuous(prob, "y")
    expr.add_ge(prob, [(x, 2.0), (y, 1.0)], 7.0, "cover")
    expr.add_le(prob, [(y, 1.0)], 0.5, "y_cap")
    expr.add_eq(prob, [(x, 1.0), (y, -1.0)], 4.0, "tie")
    expr.set_objective(prob, [(x, 1.0), (y, 1.0)])
    assert prob.numConstraints() == 3
    senses = {name: prob.get_constraint_by_name(name).sense for name in ("cover", "y_cap", "tie")}
    assert senses == {"cover": pulp.LpConstraintGE, "y_cap": pulp.LpConstraintLE, "tie": pulp.LpConstraintEQ}
    prob.solve(pulp.HiGHS(msg=False))
    # x - y = 4 with y <= 0.5 and x integer: x = 4, y = 0 (2*4 >= 7).
    assert (x.value(), y.value()) == (pytest.approx(4.0), pytest.approx(0.0))


@pytest.mark.parametrize(
    ("text", "safe"),
    [("09040", "09040"), ("fdc:123", "fdc_123"), ("my food-1.2", "my_food_1_2")],
)
def test_safe_name(text, safe):
    assert expr.safe_name(text) == safe
