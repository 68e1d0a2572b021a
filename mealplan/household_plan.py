"""The household plan: several people's plans made together, and what they share (JSON schema, versioned).

JSON layout (``HouseholdPlan.model_dump_json``), schema version 1.0::

    {schema_version: "1.0", kind: "household", household_id, name, created_with, disclaimer,
     start_date, days, leftovers, budget,
     members: [{id, name, plan: Plan}],            # each member's own Plan (schema 2.1), verifiable alone
     shared_rules: [{meal, days, members}],         # the household file's shared meals, by plan day
     shared: [{day, slot, dish_id, title, eaten_by: [member ids], apart: [{member, title, reason}],
               leftover_of}],                       # what each shared meal was, and who ate apart and why
     pantry: [{food_id, name, product, grams, use_by, near_use_by, used_g, left_g}],
     shopping: [{product, name, food_ids, needed_g, pantry_g, buy_g}],
     cost_per_day: [float] | null,
     solve: {total_seconds, build_seconds, solve_seconds, days: [{day, status, gap, seconds, attempt,
             joint}], notes}}

A member's Plan is the single-person Plan unchanged: ``verify`` checks each on its own (every rule of the
person holds), then the household's rules: a shared meal is one dish for everyone who eats it, a member
apart is named with the reason, and ``shopping`` is the sum of every member's portions (bought as the
product: cooked rice as dry rice) minus the pantry (``pantry_g`` = the pantry's grams, at most what is
needed; ``buy_g`` = ``needed_g`` - ``pantry_g``). A leftover lunch is the dinner before cooked twice over:
its grams are on the list once, in the dinner's cooking.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from mealplan.errors import InputError
from mealplan.fileio import read_user_text
from mealplan.plan import Plan
from mealplan.plan_files import MAX_LISTED, check_numbers, load_plan
from mealplan.status import SolveStatus

HOUSEHOLD_SCHEMA_VERSION = "1.0"
# The worst first: a household's status is its worst day's.
STATUS_ORDER = ("error", "not_solved", "infeasible", "unbounded", "time_limit", "optimal")
# Water from the tap (or bottled) is a plan's drink but no line of a shopping list.
TAP_WATER = re.compile(r"^water, (tap|bottled)|^beverages, water, (tap|bottled)", re.IGNORECASE)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class HouseholdMember(_Model):
    """One person of the household and their plan."""

    id: str
    name: str | None = None
    plan: Plan


class SharedRule(_Model):
    """A shared meal of the household file, resolved for the plan: the days and the members it covers."""

    meal: str
    days: list[int]
    members: list[str]


class Apart(_Model):
    """A member who ate something else at a shared meal, and why."""

    member: str
    title: str
    reason: str


class SharedMeal(_Model):
    """One shared meal as planned: the dish, who ate it, who ate apart."""

    day: int
    slot: str
    dish_id: str | None = Field(description="the dish everyone who can eat it eats; None: every member apart")
    title: str
    eaten_by: list[str]
    apart: list[Apart] = []
    leftover_of: int | None = Field(None, description="the dinner's day, when this meal is its leftovers")


class PantryLine(_Model):
    """A pantry row and what the plan used of it (in the grams bought)."""

    food_id: str
    name: str
    product: str
    grams: float
    use_by: date | None = None
    near_use_by: bool = Field(False, description="its use-by date falls within the plan: used first")
    used_g: float = 0.0
    left_g: float = 0.0


class ShoppingNeed(_Model):
    """A product's grams for the household: needed (every member's portions), from the pantry, to buy."""

    product: str
    name: str
    food_ids: list[str] = Field(description="the foods bought as the product")
    needed_g: float
    pantry_g: float = 0.0
    buy_g: float


class HouseholdDay(_Model):
    """How one household day was solved."""

    day: int
    status: SolveStatus
    gap: float | None = None
    seconds: float
    attempt: str = Field(description='"household", "household, no leftover", "household, variety relaxed" or "apart"')
    joint: bool = Field(description="the members' days were one model (False: each planned apart)")


class HouseholdSolve(_Model):
    """How the household plan was solved."""

    total_seconds: float
    build_seconds: float
    solve_seconds: float
    days: list[HouseholdDay]
    notes: list[str] = []


class HouseholdPlan(_Model):
    """A household's plan: each member's Plan, the shared meals, the pantry used and the shopping needs."""

    schema_version: str = HOUSEHOLD_SCHEMA_VERSION
    kind: Literal["household"] = "household"
    household_id: str
    name: str | None = None
    created_with: str
    disclaimer: str
    start_date: date
    days: int
    leftovers: bool = False
    budget: float | None = None
    members: list[HouseholdMember] = Field(min_length=1)
    shared_rules: list[SharedRule] = []
    shared: list[SharedMeal] = []
    pantry: list[PantryLine] = []
    shopping: list[ShoppingNeed] = []
    cost_per_day: list[float] | None = None
    solve: HouseholdSolve

    @property
    def status(self) -> str:
        """The household's solve status: its worst day's (``not_solved`` when it has no day)."""
        found = {d.status.value for d in self.solve.days}
        return next((s for s in STATUS_ORDER if s in found), "not_solved" if not found else sorted(found)[0])

    def member(self, member_id: str) -> HouseholdMember:
        """The member of that id.

        Raises:
            InputError: no such member (the message lists them).
        """
        for m in self.members:
            if m.id == member_id:
                return m
        raise InputError(f"member {member_id!r}: the household's members are {', '.join(m.id for m in self.members)}")


def is_household_plan(data: object) -> bool:
    """Whether parsed JSON is a household plan (``kind: household``) rather than one person's Plan."""
    return isinstance(data, dict) and data.get("kind") == "household"


def _no_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number JSON allows")


def load_household_plan(path: Path | str) -> HouseholdPlan:
    """Read a saved household plan (``mealplan plan --household FILE --format json``).

    Raises:
        InputError: naming the file and, for a file that is not a household plan, the JSON path of every
            wrong field.
    """
    path = Path(path)
    raw = read_user_text(path, "household plan", allowed="give a plan saved with --household --format json")
    try:
        data = json.loads(raw, parse_constant=_no_constant)
    except (json.JSONDecodeError, ValueError, RecursionError):
        raise InputError(f"{path}: not a JSON household plan; give a plan saved with --format json.") from None
    return household_plan_from_data(data, path)


def load_any_plan(path: Path | str) -> Plan | HouseholdPlan:
    """A saved plan file: one person's Plan or a household's plan (by its ``kind``).

    Raises:
        InputError: as :func:`mealplan.plan_files.load_plan` and :func:`load_household_plan` do.
    """
    raw = read_user_text(Path(path), "plan", allowed="give a plan saved with --format json")
    try:
        data = json.loads(raw, parse_constant=_no_constant)
    except (json.JSONDecodeError, ValueError, RecursionError):
        data = None  # load_plan says what is wrong with it
    return household_plan_from_data(data, path) if is_household_plan(data) else load_plan(path)


def household_plan_from_data(data: object, path: Path | str) -> HouseholdPlan:
    """Validate parsed JSON as a household plan (errors name ``path`` and each wrong field)."""
    if not is_household_plan(data):
        raise InputError(f"{path}: not a household plan (a JSON object with kind household, members, shared ...).")
    check_numbers(path, data)
    try:
        return HouseholdPlan.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        listed = [f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in errors[:MAX_LISTED]]
        if len(errors) > MAX_LISTED:
            listed.append(f"... and {len(errors) - MAX_LISTED} more")
        raise InputError(f"{path}: not a valid household plan (schema {HOUSEHOLD_SCHEMA_VERSION}):", listed) from None
