"""The one exception hierarchy of mealplan.

Library code raises these; it never prints or exits. The CLI maps each class to a documented
exit code (``exit_code``) and prints the message without a traceback (unless ``--debug``).

Exit codes: 0 success; 1 some work failed (a batch with failed profiles, a plan that fails
verification); 2 bad input or usage (files, fields, flags); 3 hard rules that conflict (no plan can
satisfy them); 4 solver failure; 130 interrupted (Ctrl-C); 143 terminated (SIGTERM).
"""

from __future__ import annotations

from collections.abc import Iterable


class MealplanError(Exception):
    """Base of every error mealplan raises on purpose."""

    exit_code = 1

    def __init__(self, message: str, problems: Iterable[str] = ()) -> None:
        self.problems = list(problems)
        text = message
        if self.problems:
            text += "\n" + "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(text)
        self.message = message


class InputError(MealplanError):
    """A file, field or flag is wrong. The message names it, the bad value and what is allowed."""

    exit_code = 2


class DamagedRecordError(InputError):
    """A stored row holds what mealplan never writes there (changed by another program)."""


class FoodDataError(InputError):
    """A food table or food id is wrong."""


class ConfigError(InputError):
    """A profile, targets file or option is wrong."""


class ConflictError(MealplanError):
    """Hard rules conflict so no plan exists; the message names the conflicting rules."""

    exit_code = 3


class SolverError(MealplanError):
    """The solver is missing or failed."""

    exit_code = 4


class Terminated(KeyboardInterrupt):
    """SIGTERM received during a batch: handled like Ctrl-C (summary written, workers stopped), exit 143."""

    exit_code = 143
