"""The one place PuLP expressions and variables are made (the PuLP 4 migration is a one-file change).

PuLP's ``lpSum`` over products and Python ``sum`` of terms rebuild intermediate expressions and are
the known slow paths; building an ``LpAffineExpression`` from (variable, coefficient) pairs is
linear in the number of terms.
"""

from __future__ import annotations

from collections.abc import Iterable

import pulp

Pairs = Iterable[tuple[pulp.LpVariable, float]]


def linear(pairs: Pairs, constant: float = 0.0) -> pulp.LpAffineExpression:
    """An affine expression from (variable, coefficient) pairs; zero coefficients are dropped."""
    terms = {v: float(c) for v, c in pairs if c != 0.0}  # a repeated variable keeps its last coefficient
    if _FROM_DICT is not None:  # PuLP 4: expressions live in its Rust core
        return _FROM_DICT(terms, float(constant))
    expr = pulp.LpAffineExpression(list(terms.items()))
    if constant:
        expr.constant = float(constant)
    return expr


_FROM_DICT = getattr(pulp.LpAffineExpression, "from_dict", None)


def continuous(prob: pulp.LpProblem, name: str, low: float | None = 0.0, up: float | None = None):
    """A continuous variable owned by ``prob``."""
    return prob.add_variable(name, low, up, pulp.LpContinuous)


def integer(prob: pulp.LpProblem, name: str, low: float = 0, up: float | None = None):
    """An integer variable owned by ``prob``."""
    return prob.add_variable(name, low, up, pulp.LpInteger)


def binary(prob: pulp.LpProblem, name: str):
    """A 0/1 variable owned by ``prob``."""
    return prob.add_variable(name, 0, 1, pulp.LpBinary)


def add_ge(prob: pulp.LpProblem, pairs: Pairs, rhs: float, name: str) -> None:
    """Add ``sum(coef * var) >= rhs`` named ``name``."""
    prob += linear(pairs) >= rhs, name


def add_le(prob: pulp.LpProblem, pairs: Pairs, rhs: float, name: str) -> None:
    """Add ``sum(coef * var) <= rhs`` named ``name``."""
    prob += linear(pairs) <= rhs, name


def add_eq(prob: pulp.LpProblem, pairs: Pairs, rhs: float, name: str) -> None:
    """Add ``sum(coef * var) == rhs`` named ``name``."""
    prob += linear(pairs) == rhs, name


def set_objective(prob: pulp.LpProblem, pairs: Pairs) -> None:
    """Set the objective to ``sum(coef * var)``."""
    prob.setObjective(linear(pairs))


def safe_name(text: str) -> str:
    """A PuLP/MPS-safe name fragment from an id (``09040`` stays, ``fdc:123`` -> ``fdc_123``)."""
    return "".join(ch if ch.isalnum() else "_" for ch in text)
