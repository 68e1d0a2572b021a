"""A household: several people at one table, the meals they share, and what the kitchen already holds.

A household file is YAML (``examples/households/family_of_four/home.yaml``)::

    schema: 1
    id: okafor-family                # names output files: letters, digits, '_', '.', '-'
    name: The Okafor family          # optional
    members:                         # 1 to 8 people: a profile file (relative to this file) or a stored client
      - profile: mother_pregnant.yaml
      - profile: ../../profiles/child_toddler.yaml
      - client: "12"                 # a client of the workbench database (mealplan clients)
      - profile: {id: gran, age: 81, sex: female}   # or a profile's fields inline
    shared:                          # the meals eaten together; none: every meal apart
      - meal: dinner                 # every day (days not given)
      - meal: breakfast
        days: [weekends]             # day numbers (1-28), weekday names (mon ... sun) or weekends / weekdays
      - meal: lunch
        members: [mother, father]    # profile ids; not given: every member whose profile has the meal
    leftovers: true                  # a dinner is cooked for the household and the next day's lunches
    budget: 45                       # optional: the household's food a day, at most (needs prices)
    prices: prices.csv               # optional: id,price per 100 g (as a profile's prices)
    pantry: pantry.csv               # optional: what the kitchen holds (targets/pantry.py)
    start: 2026-12-14                # optional: the first day's date (weekday names, use-by dates)

Weekday names need a date: the file's ``start``, ``mealplan plan --from``, or else the plan starts today.
Every problem is collected into one :class:`~mealplan.errors.ConfigError` naming the file, the field,
the bad value and what is allowed. A member's own rules (diet, allergies, life stage, medicines) stay
theirs: the household only says which meals are eaten together (``optimizer/household.py``).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic_core import ErrorDetails

from mealplan.errors import ConfigError, InputError
from mealplan.fileio import load_user_yaml, read_user_text
from mealplan.food_data.vocab import slot_kind
from mealplan.targets.profile import MAX_PROFILE_BYTES, Profile
from mealplan.targets.profile_files import load_profile, profile_from_dict, profile_from_text

HOUSEHOLD_SCHEMA = 1
MAX_MEMBERS = 8
MAX_DAY = 28
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_WORDS = {"weekends": ("sat", "sun"), "weekdays": WEEKDAYS[:5]}
DAYS_ALLOWED = f"day numbers 1-{MAX_DAY}, mon ... sun, weekends, weekdays"
SHARED_MEALS = ("breakfast", "lunch", "dinner", "snack", "snack2", "snack3")
_ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}")

ClientLookup = Callable[[str], Profile]


_FULL = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
WEEKDAY_NAMES = {**{d: d for d in WEEKDAYS}, **dict(zip(_FULL, WEEKDAYS, strict=True)), "tues": "tue", "thur": "thu",
                 "thurs": "thu"}  # fmt: skip


def _weekday(value: str) -> str | None:
    """``mon``, ``Monday``, ``TUES`` -> ``mon``; None when it is no weekday."""
    return WEEKDAY_NAMES.get(value.strip().lower())


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class MemberEntry(_Model):
    """One person of the household: a profile file (relative to the household file), a profile's fields
    written inline (a mapping: how the workbench database keeps a member who is no stored client), or a
    stored client."""

    profile: str | dict[str, Any] | None = None
    client: str | None = Field(None, min_length=1)

    @field_validator("profile")
    @classmethod
    def _profile_given(cls, value: Any) -> Any:
        if value is not None and not value:
            raise ValueError("give a profile file, or the profile's fields")
        return value

    @field_validator("client", mode="before")
    @classmethod
    def _client_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value

    @model_validator(mode="after")
    def _one_source(self) -> MemberEntry:
        if (self.profile is None) == (self.client is None):
            raise ValueError("give one of profile (a profile file) or client (a stored client id)")
        return self


class SharedEntry(_Model):
    """A meal eaten together: on ``days`` (every day when empty) by ``members`` (everyone with the meal)."""

    meal: str
    days: list[int | str] = []
    members: list[str] = []

    @field_validator("meal", mode="before")
    @classmethod
    def _meal(cls, value: Any) -> Any:
        low = value.strip().lower() if isinstance(value, str) else value
        if isinstance(low, str) and low not in SHARED_MEALS:
            raise ValueError(f"unknown meal {value!r}; allowed: {', '.join(SHARED_MEALS)}")
        return low

    @field_validator("days", mode="before")
    @classmethod
    def _days(cls, value: Any) -> Any:
        items = value if isinstance(value, list) else [value]
        out: list[int | str] = []
        for v in items:
            if isinstance(v, bool) or not isinstance(v, int | str):
                raise ValueError(f"{v!r} is not a day; allowed: {DAYS_ALLOWED}")
            if isinstance(v, int) or v.strip().isdigit():
                n = int(v)
                if not 1 <= n <= MAX_DAY:
                    raise ValueError(f"day {n} is outside the plan; allowed: 1-{MAX_DAY}")
                out.append(n)
            elif v.strip().lower() in DAY_WORDS:
                out.extend(DAY_WORDS[v.strip().lower()])
            elif _weekday(v) is not None:
                out.append(_weekday(v))  # type: ignore[arg-type]
            else:
                raise ValueError(f"{v!r} is not a day; allowed: {DAYS_ALLOWED}")
        return list(dict.fromkeys(out))


class HouseholdFile(_Model):
    """The household file as written (see the module docstring)."""

    schema_version: int = Field(alias="schema")
    id: str
    name: str | None = None
    members: list[MemberEntry] = Field(min_length=1, max_length=MAX_MEMBERS)
    shared: list[SharedEntry] = []
    leftovers: bool = False
    budget: float | None = Field(None, gt=0, le=100_000)
    prices: str | None = Field(None, min_length=1)
    pantry: str | None = Field(None, min_length=1)
    start: date | None = None

    @field_validator("schema_version")
    @classmethod
    def _schema(cls, value: int) -> int:
        if value != HOUSEHOLD_SCHEMA:
            raise ValueError(f"schema {value} is not known; allowed: {HOUSEHOLD_SCHEMA}")
        return value

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        if not _ID_RE.fullmatch(value):
            raise ValueError("an id is 1-64 letters, digits, '_', '.' or '-', starting with a letter or digit")
        return value

    @field_validator("budget", mode="before")
    @classmethod
    def _number(cls, value: Any) -> Any:
        if isinstance(value, bool):
            raise ValueError("a number is needed, not yes/no")
        return value


@dataclass(frozen=True)
class Household:
    """A household ready to plan: its members' profiles (in the file's order) and its rules."""

    id: str
    name: str | None
    members: tuple[Profile, ...]
    shared: tuple[SharedEntry, ...] = ()
    leftovers: bool = False
    budget: float | None = None
    prices: Path | None = None
    pantry: Path | None = None
    start: date | None = None
    source: str = "<household>"

    @property
    def member_ids(self) -> list[str]:
        return [p.id for p in self.members]

    def shared_days(self, entry: SharedEntry, days: int, start: date) -> list[int]:
        """The plan days (1-based) a shared meal is eaten together, for a plan of ``days`` days from ``start``."""
        weekdays = [WEEKDAYS[(start + timedelta(days=d - 1)).weekday()] for d in range(1, days + 1)]
        return [d for d in range(1, days + 1) if not entry.days or d in entry.days or weekdays[d - 1] in entry.days]

    def eaters(self, entry: SharedEntry) -> list[str]:
        """The members a shared meal is for: those it names (everyone when none) whose profile has the meal."""
        return [p.id for p in self.members if (not entry.members or p.id in entry.members) and entry.meal in _slots(p)]

    def shared_slots(self, days: int, start: date) -> dict[int, dict[str, list[str]]]:
        """Day (1-based) -> shared meal (slot name) -> the member ids who eat it together (two or more),
        for a plan of ``days`` days from ``start``; entries for one meal and day add up."""
        out: dict[int, dict[str, list[str]]] = {}
        for entry in self.shared:
            eaters = self.eaters(entry)
            for d in self.shared_days(entry, days, start):
                slot = out.setdefault(d, {}).setdefault(entry.meal, [])
                slot.extend(m for m in eaters if m not in slot)
        today = {d: {s: ms for s, ms in slots.items() if len(ms) >= 2} for d, slots in out.items()}
        return {d: slots for d, slots in sorted(today.items()) if slots}


def _slots(profile: Profile) -> list[str]:
    from mealplan.food_data.vocab import slot_names

    return slot_names(profile.meals)


def load_household(path: str | Path, client_profile: ClientLookup | None = None) -> Household:
    """Read and check a household file and its members' profiles.

    Args:
        path: The household YAML file.
        client_profile: Finds a stored client's latest profile by id (the workbench database); a member
            given as ``client`` needs it.

    Raises:
        ConfigError: every problem at once, each naming the file, the field and what is allowed.
    """
    path = Path(path)
    text = read_user_text(path, "household file", allowed="give a household YAML file (see docs/households.md)",
                          error=ConfigError, max_bytes=MAX_PROFILE_BYTES)  # fmt: skip
    try:
        data = load_user_yaml(text)
    except (yaml.YAMLError, RecursionError) as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
        raise ConfigError(f"{path}: {where}not valid YAML: {getattr(exc, 'problem', None) or exc}") from None
    return household_from_dict(data, source=str(path), base_dir=path.parent, client_profile=client_profile)


def load_profile_or_household(path: str | Path) -> Profile | Household:
    """A profile or a household file, read and parsed once: YAML whose top level has ``members`` is a
    household (as ``load_household``), any other file a profile (as ``load_profile``).

    Raises:
        ConfigError: as ``load_household`` or ``load_profile`` (a file that is no valid YAML is reported
            as a profile file, with the line where it breaks).
    """
    path = Path(path)
    if path.suffix.lower() not in (".yaml", ".yml"):
        return load_profile(path)
    text = read_user_text(path, "profile file", allowed="give a YAML, TOML or JSON profile (mealplan init writes one)",
                          error=ConfigError, max_bytes=MAX_PROFILE_BYTES)  # fmt: skip
    try:
        data = load_user_yaml(text)
    except (yaml.YAMLError, RecursionError):
        return profile_from_text(text, str(path), base_dir=path.parent, fmt="yaml")  # (it says where YAML breaks)
    if isinstance(data, dict) and "members" in data:
        return household_from_dict(data, source=str(path), base_dir=path.parent)
    return profile_from_dict(data, source=str(path), base_dir=path.parent)


def household_from_dict(
    data: Any,
    source: str = "<household>",
    base_dir: str | Path | None = None,
    client_profile: ClientLookup | None = None,
) -> Household:
    """A household from its fields (a parsed file); paths are taken from ``base_dir`` (default: here).

    Raises:
        ConfigError: every problem at once (see :func:`load_household`).
    """
    if not isinstance(data, dict):
        kind = "empty" if data is None else f"a {type(data).__name__}"
        raise ConfigError(f"{source}: a household file is a mapping (schema, id, members, shared ...), got {kind}")
    try:
        spec = HouseholdFile.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(f"{source}: the household is not valid:", [_describe(e) for e in exc.errors()]) from None
    base = Path(base_dir or ".")
    problems: list[str] = []
    profiles: list[Profile] = []
    for i, member in enumerate(spec.members):
        where = f"members[{i}]"
        try:
            if isinstance(member.profile, dict):
                profiles.append(profile_from_dict(member.profile, source=f"{source}, {where}.profile"))
            elif member.profile is not None:
                profile_path = Path(member.profile)
                profiles.append(load_profile(profile_path if profile_path.is_absolute() else base / profile_path))
            elif client_profile is None:
                problems.append(
                    f"{where}.client: {member.client!r} is a stored client; plan with the clients database "
                    "(mealplan plan --household FILE --db DB), or give a profile"
                )
            else:
                profiles.append(client_profile(str(member.client)))
        except InputError as exc:
            problems.append(f"{where}: {exc}")
    ids = [p.id for p in profiles]
    repeated = sorted({m for m in ids if ids.count(m) > 1})
    if repeated:
        problems.append(f"members: the profile id {', '.join(map(repr, repeated))} is given twice; every member "
                        "needs their own profile id")  # fmt: skip
    if len(profiles) == len(spec.members):
        problems += _shared_problems(spec, profiles)
    paths = {}
    for field in ("prices", "pantry"):
        value = getattr(spec, field)
        if value is None:
            continue
        found = Path(value) if Path(value).is_absolute() else base / value
        if not found.is_file():
            problems.append(f"{field}: file not found: {found} (got {value!r}; a relative path is taken from the "
                            "household file's folder)")  # fmt: skip
        paths[field] = found.resolve()
    if spec.budget is not None and "prices" not in paths:
        problems.append(f"budget: {spec.budget:g} a day needs prices: give prices (a CSV of id,price per 100 g)")
    if problems:
        raise ConfigError(f"{source}: the household is not valid:", problems)
    return Household(
        id=spec.id, name=spec.name, members=tuple(profiles), shared=tuple(spec.shared), leftovers=spec.leftovers,
        budget=spec.budget, prices=paths.get("prices"), pantry=paths.get("pantry"), start=spec.start, source=source,
    )  # fmt: skip


def _shared_problems(spec: HouseholdFile, profiles: list[Profile]) -> list[str]:
    """Shared meals naming no member, or a meal none of its members has."""
    problems = []
    ids = [p.id for p in profiles]
    for i, entry in enumerate(spec.shared):
        unknown = [m for m in entry.members if m not in ids]
        if unknown:
            close = difflib.get_close_matches(unknown[0], ids, n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            problems.append(f"shared[{i}].members: {', '.join(map(repr, unknown))} is not a member; {hint}"
                            f"allowed: {', '.join(ids)}")  # fmt: skip
            continue
        scope = [p for p in profiles if not entry.members or p.id in entry.members]
        having = [p.id for p in scope if entry.meal in _slots(p)]
        if len(having) < 2:
            meals = sorted({slot_kind(s) for p in scope for s in _slots(p)})
            problems.append(f"shared[{i}].meal: {entry.meal!r} is a meal of {len(having)} of its members "
                            f"({', '.join(having) or 'none'}); a shared meal needs two; their meals: "
                            f"{', '.join(meals)}")  # fmt: skip
    return problems


def _describe(err: ErrorDetails) -> str:
    """One validation error as ``field: message (got value)``."""
    loc = ".".join(f"[{p}]" if isinstance(p, int) else str(p) for p in err["loc"]).replace(".[", "[")
    loc = loc or "(top level)"
    if err["type"] == "extra_forbidden":
        models: dict[str, type[BaseModel]] = {"members": MemberEntry, "shared": SharedEntry}
        allowed = models.get(str(err["loc"][0]), HouseholdFile)
        names = [f.alias or n for n, f in allowed.model_fields.items()]
        close = difflib.get_close_matches(str(err["loc"][-1]), names, n=1, cutoff=0.6)
        return f"{loc}: unknown field; " + (f"did you mean {close[0]}?" if close else f"allowed: {', '.join(names)}")
    if err["type"] == "missing":
        return f"{loc}: required field is missing"
    msg = err["msg"].removeprefix("Value error, ")
    value = err.get("input")
    shown = "" if isinstance(value, dict | list) else f" (got {value!r})"
    return f"{loc}: {msg}{shown}"
