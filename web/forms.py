"""The profile form: a profile's fields as form inputs, and a submitted form back to a profile.

The inputs are the fields a dietitian changes most; every other field of the profile (nutrient
bounds, macro ranges, meal shares ...) is edited as YAML in the form's "more fields" box. The
choices of a select come from the profile model itself (its ``Literal`` types) and the diet
patterns' data file, never from a list here. Validation is the library's (``profile_from_dict``);
its problems are shown next to the field they name.
"""

from __future__ import annotations

import re
import typing
from dataclasses import dataclass
from typing import Any

import yaml

from mealplan.errors import ConfigError
from mealplan.fileio import load_user_yaml
from mealplan.targets.profile import Profile
from mealplan.targets.profile_files import profile_from_dict


@dataclass(frozen=True)
class Field:
    """One input: the profile field, its kind (text, number, select, checkbox, list) and its label."""

    name: str
    kind: str
    label: str
    help: str = ""


SECTIONS: list[tuple[str, list[Field]]] = [
    ("Person", [
        Field("name", "text", "Name"),
        Field("age", "number", "Age (years)"),
        Field("sex", "select", "Sex"),
        Field("pregnant", "checkbox", "Pregnant"),
        Field("trimester", "number", "Trimester", "1 to 3, when pregnant"),
        Field("lactating", "checkbox", "Lactating"),
        Field("weight_kg", "number", "Weight (kg)"),
        Field("height_cm", "number", "Height (cm)"),
        Field("activity", "select", "Activity"),
        Field("appetite", "select", "Appetite"),
    ]),
    ("Diet", [
        Field("diet", "select", "Diet"),
        Field("diet_pattern", "select", "Diet pattern", "sets macro ranges, with its source"),
        Field("energy_kcal", "number", "Energy (kcal/day)", "blank: from the EER equation"),
        Field("allergies", "list", "Allergies", "comma-separated, e.g. peanut, milk"),
        Field("exclude", "list", "Exclude", "food ids, names or group words (fish), comma-separated"),
        Field("likes", "list", "Likes", "food ids or names, comma-separated"),
        Field("dislikes", "list", "Dislikes", "food ids or names, comma-separated"),
        Field("meals", "list", "Meals", "breakfast, lunch, dinner, snack (up to three snacks)"),
        Field("dish_max_per_week", "number", "A dish at most (times a week)"),
        Field("leftovers", "checkbox", "Leftovers: dinner again at next day's lunch"),
        Field("units", "select", "Units in the handout", "metric (g, mL) or US (oz, lb, fl oz)"),
    ]),
    ("Symptoms", [
        Field("symptoms", "list", "Symptoms", "e.g. muscle-cramps, eyelid twitching"),
        Field("factors", "list", "Risk factors and medicines", "e.g. vegan, ppi, heavy-sweating"),
        Field("symptom_days", "number", "For how many days"),
        Field("multiple_groups", "checkbox", "In more than one muscle group"),
        Field("worsening", "checkbox", "Getting worse"),
        Field("severe_pain", "checkbox", "Severe pain"),
    ]),
]  # fmt: skip
FIELDS = {f.name: f for _, fields in SECTIONS for f in fields}
MORE = "more"  # the YAML box for every other field
MORE_MAX_CHARS = 20_000  # the YAML box: a profile's other fields fit in far less
ROWS = ("require", "forbid")  # rows of their own (web/constraints.py), not in the YAML box
NOT_FROM_THE_PAGE = {"id", "prices"}  # the id names the client; a price table is a file on the server


def _literal_choices(annotation: Any) -> list[str]:
    if typing.get_origin(annotation) is typing.Literal:
        return [str(a) for a in typing.get_args(annotation)]
    for arg in typing.get_args(annotation):
        found = _literal_choices(arg)
        if found:
            return found
    return []


def choices(name: str) -> list[str]:
    """A select's options: the profile model's allowed values (diet patterns from their data file)."""
    if name == "diet_pattern":
        from mealplan.food_data.diet_patterns import load_diet_patterns

        return ["", *load_diet_patterns()]
    return _literal_choices(Profile.model_fields[name].annotation)


def _list_text(value: Any) -> str:
    if not value:
        return ""
    out = []
    for v in value:
        if isinstance(v, dict):  # a requirement: back to ID[@DAYS][:MEAL][=GRAMS]
            text = v["food"]
            text += "@" + ",".join(map(str, v["days"])) if v.get("days") else ""
            text += f":{v['meal']}" if v.get("meal") else ""
            text += f"={v['grams']:g}" if v.get("grams") is not None else ""
            out.append(text)
        else:
            out.append(str(v))
    return ", ".join(out)


def form_values(profile: dict[str, Any]) -> dict[str, Any]:
    """A stored profile's fields as the form's input values (lists as comma-separated text)."""
    values: dict[str, Any] = {}
    for name, f in FIELDS.items():
        value = profile.get(name)
        if f.kind == "list":
            values[name] = _list_text(value)
        elif f.kind == "checkbox":
            values[name] = bool(value)
        else:
            values[name] = "" if value is None else (f"{value:g}" if isinstance(value, float) else str(value))
    defaults = Profile.model_fields
    more = {k: v for k, v in profile.items() if k not in FIELDS and k not in NOT_FROM_THE_PAGE and k not in ROWS
            and k in defaults and v != defaults[k].get_default(call_default_factory=True)}  # fmt: skip
    values[MORE] = yaml.safe_dump(more, sort_keys=False, allow_unicode=True) if more else ""
    return values


def blank_values() -> dict[str, Any]:
    """The add-client form's values: the profile model's own defaults (activity low, three meals ...)."""
    fields = Profile.model_fields
    return form_values(
        {k: fields[k].get_default(call_default_factory=True) for k in FIELDS if not fields[k].is_required()}
    )


def _split(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"[,\n]", text) if p.strip()]


def _field_of(problem: str, more_keys: set[str]) -> str:
    """The form field a validation problem names (``nutrients.magnesium: ...`` is the YAML box's)."""
    head = re.split(r"[.:\[ ]", problem, maxsplit=1)[0]
    if head in FIELDS:
        return head
    return MORE if head in more_keys or head not in Profile.model_fields else "_"


def read_more(text: str) -> tuple[Any, str | None]:
    """The YAML box's fields, or the problem with them (strict reader, size and nesting limits)."""
    if len(text) > MORE_MAX_CHARS:
        return None, f"{MORE}: {len(text):,} characters; the box holds at most {MORE_MAX_CHARS:,}"
    try:
        return load_user_yaml(text), None
    except RecursionError:
        return None, f"{MORE}: lists or mappings nested too deeply; give one 'field: value' a line"
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        line = f"line {where.line + 1}: " if where is not None else ""
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        return None, f"{MORE}: not valid YAML ({line}{reason}); give one 'field: value' a line"


def _other(key: str) -> bool:
    return key not in FIELDS and key not in NOT_FROM_THE_PAGE and key not in ROWS


def profile_from_form(form: dict[str, Any], base: dict[str, Any], client_id: str,
                      rows: dict[str, list] | None = None) -> Profile:  # fmt: skip
    """The profile a submitted form describes: ``base`` (the client's latest profile) changed by it.

    ``rows``: the checked ``require`` and ``forbid`` (:func:`mealplan.web.constraints.check_rows`);
    when None, the base profile's are kept.

    Raises:
        ConfigError: every problem, each ``field: message``; :func:`errors_by_field` sorts them.
    """
    data = {k: v for k, v in base.items() if k not in FIELDS}
    data["id"] = client_id
    for name, f in FIELDS.items():
        raw = form.get(name)
        if f.kind == "checkbox":
            data[name] = raw is not None
            continue
        text = str(raw or "").strip()
        if f.kind == "list":
            data[name] = _split(text)
        elif text:
            data[name] = text
    if rows is not None:
        data.update(rows)
    problems = []
    more_text = str(form.get(MORE) or "")
    for key in [k for k in data if _other(k)]:
        data.pop(key)  # the box holds every other field: one removed there is removed
    if more_text.strip():
        more, problem = read_more(more_text)
        if problem:
            problems.append(problem)
        elif more is not None and not isinstance(more, dict):
            problems.append(f"{MORE}: give fields as 'field: value' lines (got {type(more).__name__})")
        elif more:
            for key in [k for k in more if not _other(str(k))]:
                where = "has its own input above" if key in FIELDS or key in ROWS else "cannot be set from the page"
                problems.append(f"{MORE}: {key} {where}")
                del more[key]
            data.update(more)
    if problems:
        raise ConfigError("The profile form is not valid:", problems)
    return profile_from_dict(data, source="the profile form")


def errors_by_field(
    exc: ConfigError, form: dict[str, Any], require_rows: list[int] | None = None
) -> dict[str, list[str]]:
    """A validation error's problems by form field (``_`` for the profile as a whole; row fields as
    ``require-N-food``)."""
    from mealplan.web.constraints import row_field_of

    loaded, problem = read_more(str(form.get(MORE) or ""))
    more_keys = set(loaded) if problem is None and isinstance(loaded, dict) else set()
    out: dict[str, list[str]] = {}
    for problem in exc.problems or [exc.message]:
        row = row_field_of(problem, require_rows or [])
        out.setdefault(row or _field_of(problem, more_keys), []).append(problem)
    return out


def error_summary(errors: dict[str, list[str]]) -> list[tuple[str | None, str, str]]:
    """Every problem for the summary at the top of a form: ``(input id to link to, label, message)``."""
    from mealplan.web.constraints import _ROW

    out = []
    for name, problems in errors.items():
        row = _ROW.fullmatch(name)
        if name in FIELDS:
            anchor, label = f"f-{name}", FIELDS[name].label
        elif row:
            anchor, label = f"f-{name}", f"{row.group(1).capitalize()} row {int(row.group(2)) + 1}"
        elif name == MORE:
            anchor, label = "f-more", "More fields"
        elif name == "client_id":
            anchor, label = "f-client_id", "Client id"
        else:
            anchor, label = None, "Profile"
        out += [(anchor, label, p) for p in problems]
    return out
