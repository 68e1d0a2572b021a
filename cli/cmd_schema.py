"""``mealplan schema``: the JSON Schema of a plan or a profile, generated from the pydantic models."""

from __future__ import annotations

import json
from pathlib import Path

import click

from mealplan.cli.common import emit, output_option

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"  # the draft pydantic generates

# what -> (module, model, mode, what the schema describes). A plan is what mealplan writes
# (serialization: every field is present); a profile is what a person writes (validation: only
# id, age and sex are required, the rest have defaults).
SCHEMAS: dict[str, tuple[str, str, str]] = {
    "plan": ("mealplan.plan", "Plan", "serialization"),
    "profile": ("mealplan.targets.profile", "Profile", "validation"),
}


def schema_of(what: str) -> dict:
    """The JSON Schema of ``what`` ("plan" or "profile"), with its ``$schema`` dialect first."""
    import importlib

    module, name, mode = SCHEMAS[what]
    model = getattr(importlib.import_module(module), name)
    doc = {"$schema": JSON_SCHEMA_DIALECT, **model.model_json_schema(mode=mode)}
    return _bare_number_bounds(doc) if what == "profile" else doc


def _bare_number_bounds(doc: dict) -> dict:
    """Allow a profile's ``nutrients: {calcium: 1300}``: a bare number is a minimum.

    ``NutrientBound`` accepts it through a "before" validator, which pydantic's schema cannot see.
    (The model could say it itself with ``WithJsonSchema``; until it does, it is added here, and a
    test of the example profiles fails if either side changes.)
    """
    bound = doc.get("$defs", {}).get("NutrientBound")
    if bound is not None and "anyOf" not in bound:
        number = {"type": "number", "minimum": 0, "description": "A bare number is a minimum."}
        doc["$defs"]["NutrientBound"] = {"anyOf": [bound, number], "title": bound.get("title", "NutrientBound")}
    return doc


@click.command()
@click.argument("what", type=click.Choice(list(SCHEMAS), case_sensitive=False))
@output_option
def schema(what: str, output: Path | None) -> None:
    """Print the JSON Schema of a plan or a profile, made from the models.

    'plan' describes what `mealplan plan --format json` writes, every field with its type; 'profile'
    describes a profile file (YAML, TOML or JSON; only id, age and sex are required). Editors and
    validators can check files against it.

    \b
    Examples:
      mealplan schema plan -o plan.schema.json
      mealplan schema profile
    """
    emit(json.dumps(schema_of(what.lower()), indent=2, ensure_ascii=False) + "\n", output)
