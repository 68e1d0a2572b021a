"""``mealplan schema``: the printed JSON Schema describes the plans and profiles mealplan really reads and writes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from mealplan.cli.main import cli

ROOT = Path(__file__).resolve().parents[2]
PROFILES = ROOT / "examples" / "profiles"


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args))


def schema(what: str) -> dict[str, Any]:
    result = invoke("schema", what)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def day_plan() -> dict[str, Any]:
    result = invoke("plan", "--profile", str(PROFILES / "vegan_twitching.yaml"), "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# A small JSON Schema checker for what pydantic generates (type, properties, required,
# additionalProperties, items, $ref, anyOf, enum, const): jsonschema is not a dependency.
TYPES = {
    "object": dict,
    "array": list,
    "string": str,
    "integer": int,
    "number": (int, float),
    "boolean": bool,
    "null": type(None),
}


def problems(instance: Any, node: dict[str, Any], root: dict[str, Any], at: str = "$") -> list[str]:
    if "$ref" in node:
        name = node["$ref"].removeprefix("#/$defs/")
        return problems(instance, root["$defs"][name], root, at)
    if "anyOf" in node:
        tries = [problems(instance, option, root, at) for option in node["anyOf"]]
        return [] if any(not t for t in tries) else [f"{at}: matches no anyOf option ({tries})"]
    out: list[str] = []
    if "const" in node and instance != node["const"]:
        out.append(f"{at}: {instance!r} is not {node['const']!r}")
    if "enum" in node and instance not in node["enum"]:
        out.append(f"{at}: {instance!r} is not one of {node['enum']}")
    kind = node.get("type")
    if kind is not None:
        python = TYPES[kind]
        if not isinstance(instance, python) or (kind in ("integer", "number") and isinstance(instance, bool)):
            return [*out, f"{at}: {type(instance).__name__}, not {kind}"]
    if isinstance(instance, dict):
        props = node.get("properties", {})
        out += [f"{at}: missing required {key!r}" for key in node.get("required", []) if key not in instance]
        extra = node.get("additionalProperties", True)
        for key, value in instance.items():
            if key in props:
                out += problems(value, props[key], root, f"{at}.{key}")
            elif extra is False:
                out.append(f"{at}: {key!r} is not in the schema")
            elif isinstance(extra, dict):
                out += problems(value, extra, root, f"{at}.{key}")
    if isinstance(instance, list) and "items" in node:
        for i, item in enumerate(instance):
            out += problems(item, node["items"], root, f"{at}[{i}]")
    return out


@pytest.mark.solve
def test_plan_schema_fits_a_real_plan(day_plan):
    doc = schema("plan")
    assert doc["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert doc["title"] == "Plan" and doc["type"] == "object"
    # every top-level field of a real plan is in the schema and every required one is in the plan
    assert set(day_plan) == set(doc["properties"])
    assert set(doc["required"]) <= set(day_plan)
    assert problems(day_plan, doc, doc) == []


@pytest.mark.solve
def test_the_plan_check_can_fail(day_plan):
    doc = schema("plan")
    broken = {**day_plan, "days": [{**day_plan["days"][0], "energy_kcal": "lots"}], "surprise": 1}
    del broken["profile_id"]
    found = problems(broken, doc, doc)
    assert "$: missing required 'profile_id'" in found
    assert "$: 'surprise' is not in the schema" in found
    assert any(p.startswith("$.days[0].energy_kcal: str") for p in found)


@pytest.mark.parametrize("name", sorted(p.name for p in PROFILES.glob("*.yaml")))
def test_profile_schema_fits_the_example_profiles(name):
    doc = schema("profile")
    assert doc["title"] == "Profile" and set(doc["required"]) == {"id", "age", "sex"}
    profile = yaml.safe_load((PROFILES / name).read_text(encoding="utf-8"))
    assert problems(profile, doc, doc) == []


@pytest.mark.solve
def test_jsonschema_agrees_when_installed(day_plan):
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.validate(day_plan, schema("plan"))


def test_schema_to_a_file(tmp_path):
    out = tmp_path / "plan.schema.json"
    result = invoke("schema", "PLAN", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout == "" and f"wrote {out}" in result.stderr
    assert json.loads(out.read_text(encoding="utf-8"))["title"] == "Plan"


def test_unknown_schema_is_a_usage_error():
    result = invoke("schema", "targets")
    assert result.exit_code == 2 and "'targets' is not one of 'plan', 'profile'" in result.stderr
