"""Malformed inputs through the real commands: exit code 2, a message naming the file and the line or
field, no traceback, and no output file left behind.

Each case in ``CASES`` is ``(case id, command line, fragments the message must contain)``; ``{F}``
in the command line is the malformed file (from ``tests/fixtures/malformed/``, or made at run time
for binary, huge and deeply nested files), ``{OUT}`` an output path that must not exist afterwards,
``{GOOD}`` a valid profile and ``{FOODS}`` a valid tiny food table. The README's troubleshooting
table lists the same cases.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from mealplan.cli.main import cli
from tests.optimizer.test_properties import write_tiny_csv

MALFORMED = Path(__file__).resolve().parents[1] / "fixtures" / "malformed"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
COMMODITIES = EXAMPLES / "basket" / "commodities.csv"
TARGETS = str(EXAMPLES / "basket" / "targets.csv")


# --- files made at run time (no big or binary files in the repository) -------------------------------


def _binary(path: Path) -> None:
    path.write_bytes(bytes(range(256)) * 8 + b"\x00\xff\xfe")


def _sparse(size: int, head: bytes = b"") -> Callable[[Path], None]:
    """A file of ``size`` bytes without writing them (sparse): only its size is ever looked at."""

    def make(path: Path) -> None:
        with open(path, "wb") as fh:
            fh.write(head)
            fh.truncate(size)

    return make


def _huge_text(size: int, line: str) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        path.write_text(line * (size // len(line) + 1), encoding="utf-8")

    return make


def _deep(prefix: str = "") -> Callable[[Path], None]:
    def make(path: Path) -> None:
        path.write_text(prefix + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")

    return make


MADE: dict[str, tuple[str, Callable[[Path], None]]] = {
    "binary.yaml": ("binary.yaml", _binary),
    "binary.csv": ("binary.csv", _binary),
    "binary.json": ("binary.json", _binary),
    "huge.yaml": ("huge.yaml", _huge_text(1_100_000, "# a comment line that pads the file\n")),
    "huge.csv": ("huge.csv", _sparse(51 * 2**20, b"id,name,magnesium\n")),
    "huge_targets.csv": ("huge_targets.csv", _huge_text(1_100_000, "protein,1,\n")),
    "huge_batch.csv": ("huge_batch.csv", _sparse(201 * 2**20, b"id,age,sex\n")),
    "deep.json": ("deep.json", _deep()),
    "deep.yaml": ("deep.yaml", _deep()),
    "deep.toml": ("deep.toml", _deep("a = ")),
    "deep_targets.yaml": ("deep_targets.yaml", _deep()),
    "deep.jsonl": ("deep.jsonl", _deep()),
}

OUT = "{OUT}"
PROFILE_CASES = [
    ("profile_yaml_syntax.yaml", ["line 3, column 4: not valid YAML"]),
    ("profile_toml_syntax.toml", ["line 2, column 7: not valid TOML"]),
    ("profile_json_syntax.json", ["line 1, column 33: not valid JSON"]),
    ("profile_wrong_types.yaml", ["age: Input should be a valid integer", "(got 'forty')", "weight_kg:",
                                  "allergies: Input should be a valid list (got 5)", "meals[0]:", "pregnant:"]),
    ("profile_out_of_range.yaml", ["age: Input should be less than or equal to 120 (got 130)",
                                   "weight_kg: Input should be less than or equal to 350 (got 2000)",
                                   "height_cm: Input should be greater than or equal to 45 (got 20)",
                                   "energy_kcal:"]),
    ("profile_negative.toml", ["age: Input should be greater than or equal to 1 (got -4)", "weight_kg:",
                               "budget: Input should be greater than 0 (got -1)", "symptom_days:"]),
    ("profile_unknown_key.yaml", ["alergies: unknown field; did you mean allergies?",
                                  "nutrients.magnesium.minimum: unknown field"]),
    ("profile_empty.yaml", ["a profile must be a mapping of fields (id, age, sex, ...), got empty"]),
    ("profile_not_mapping.json", ["a profile must be a mapping of fields", "got a list"]),
    ("profile_duplicate_key.yaml", ["line 3, column 1: not valid YAML: duplicate key 'age' (first on line 2)"]),
    ("profile_nan_inf.yaml", ["weight_kg: Input should be a finite number (got nan)",
                              "budget: Input should be a finite number (got inf)",
                              "nutrients.sodium.max: Input should be a finite number (got inf)"]),
    ("profile_bad_vocabulary.yaml", ["diet: Input should be", "(got 'keto')", "allergies[0]: unknown allergen 'pollen'",
                                     "symptoms[0]: unknown symptom 'headake'", "unknown nutrient 'unobtainium'"]),
    ("profile_conflicting_fields.yaml", ["pregnant: pregnant is true but sex is 'male'",
                                         "nutrients.magnesium: min 500 is above max 100"]),
    ("binary.yaml", ["cannot read the profile"]),
    ("huge.yaml", ["the file is too large for a profile", "the limit is 1 MB"]),
    ("deep.json", ["nested too deeply"]),
    ("deep.yaml", ["nested too deeply"]),
    ("deep.toml", ["nested too deeply"]),
]  # fmt: skip
FOOD_CASES = [
    ("foods_missing_column.csv", ["row 1: missing required column 'name' (columns found: 'id', 'magnesium')"]),
    ("foods_duplicate_ids.csv", ["row 3, column 'id': 'x1' is a duplicate id (first used on row 2)"]),
    ("foods_non_numeric.csv", ["row 2, column 'magnesium': 'lots' is not a number",
                               "row 3, column 'magnesium': '1,5' is not a number (use a dot"]),
    ("foods_negative.csv", ["row 2, column 'magnesium': '-5' is negative; amounts must be 0 or more"]),
    ("foods_nan_inf.csv", ["row 2, column 'magnesium': 'nan' is NaN", "row 3, column 'calcium': 'inf' is infinite",
                           "row 4, column 'magnesium': '1e400' is infinite"]),
    ("foods_empty.csv", ["the file is empty; a food table needs a header row with at least id and name"]),
    ("foods_header_only.csv", ["the file has a header but no food rows"]),
    ("foods_semicolon.csv", ["row 1: the header 'id;name;magnesium' is one column"]),
    ("foods_ragged.csv", ["row 2 has 5 fields but the header has 3"]),
    ("foods_bad_tags.csv", ["row 2, column 'category': 'candy' is not a known category",
                            "row 2, column 'diet': 'keto'", "row 2, column 'allergens': 'pollen'",
                            "row 2, column 'slots': 'brunch' is not a meal slot"]),
    ("foods_mixed_basis.csv", ["column 'per': the file mixes bases '100 g' (first on row 2), '1 lb'"]),
    ("binary.csv", ["not a CSV file (it holds binary data)"]),
    ("huge.csv", ["file is too large (53.5 MB); the limit is 50 MB"]),
]  # fmt: skip
TARGET_CASES = [
    ("targets_missing_columns.csv", ["row 1: unknown column 'minimum', missing column 'min'"]),
    ("targets_bad_values.csv", ["row 2, column 'min': 'abc' is not a number",
                                "row 3, column 'max': 'nan' is not a finite number"]),
    ("targets_syntax.yaml", ["line 2, column 8: not valid YAML/JSON"]),
    ("targets_wrong_type.yaml", ["protein: expected a mapping with min, max and optionally unit, got 5",
                                 "calcium: expected a mapping"]),
    ("targets_empty.csv", ["the file is empty; the header must be nutrient,min,max,unit"]),
    ("targets_min_above_max.yaml", ["protein: min 50 is above max 10", "calcium: min inf must be a finite number"]),
    ("targets_unknown_nutrient.csv", ["nutrient 'unobtainium' is not a column of the food table"]),
    ("targets_wrong_extension.txt", ["the file must end in .csv, .yaml, .yml or .json"]),
    ("binary.csv", ["cannot read the targets file", "save it as UTF-8 text"]),
    ("huge_targets.csv", ["the file is too large for a targets file"]),
    ("deep_targets.yaml", ["nested too deeply"]),
]  # fmt: skip
PLAN_FILE_CASES = [
    ("plan_not_json.json", ["not a JSON file at line 1, column 1"]),
    ("plan_not_a_plan.json", ["not a mealplan Plan (a JSON object with kind, days"]),
    ("plan_wrong_types.json", ["not a valid mealplan Plan (schema 2.1):", "profile_id:", "days:"]),
    ("plan_empty.json", ["not a JSON file"]),
    ("binary.json", ["cannot read the plan", "not UTF-8 text"]),
    ("deep.json", ["nested too deeply"]),
]  # fmt: skip
BATCH_CASES = [
    ("batch_empty.csv", ["the CSV is empty; its first row must name the profile fields"]),
    ("batch_bad_header.csv", ["column 3 'sexx': unknown column", "column 5 'magnesium_max': repeats column 4"]),
    ("batch_wrong_extension.txt", ["unknown batch input '.txt'"]),
    ("binary.csv", ["not a CSV file (it holds binary data)"]),
    ("huge_batch.csv", ["the file is too large for a batch input", "the limit is 200 MB"]),
]  # fmt: skip

CASES: list[tuple[str, list[str], list[str]]] = []
for _file, _frags in PROFILE_CASES:
    CASES.append((f"targets:{_file}", ["targets", "--profile", "{F}", "-o", OUT], _frags))
    CASES.append((f"plan:{_file}", ["plan", "--profile", "{F}", "--format", "json", "-o", OUT], _frags))
for _file, _frags in FOOD_CASES:
    CASES.append((f"foods:{_file}", ["foods", "search", "milk", "--foods", "{F}", "--no-bundled", "-o", OUT], _frags))
for _file, _frags in FOOD_CASES[:4]:
    CASES.append(
        (f"plan-foods:{_file}", ["plan", "--profile", "{GOOD}", "--foods", "{F}", "--no-bundled", "-o", OUT], _frags)
    )
    CASES.append(
        (f"basket-foods:{_file}", ["basket", "--foods", "{F}", "--no-bundled", "--targets", TARGETS, "-o", OUT], _frags)
    )
    CASES.append(
        (
            f"batch-foods:{_file}",
            ["batch", str(EXAMPLES / "batch"), "-o", "{OUTDIR}", "--foods", "{F}", "--no-bundled"],
            _frags,
        )
    )
for _file, _frags in TARGET_CASES:
    CASES.append(
        (
            f"basket:{_file}",
            ["basket", "--foods", str(COMMODITIES), "--no-bundled", "--targets", "{F}", "-o", OUT],
            _frags,
        )
    )
for _file, _frags in PLAN_FILE_CASES:
    CASES.append((f"verify:{_file}", ["verify", "{F}", "-o", OUT], _frags))
for _file, _frags in BATCH_CASES:
    CASES.append((f"batch:{_file}", ["batch", "{F}", "-o", "{OUTDIR}"], _frags))
CASES += [
    ("batch:deep.jsonl", ["batch", "{F}", "-o", "{OUTDIR}"], []),  # per-line failure: see its own test
    ("batch:empty-folder", ["batch", "{EMPTYDIR}", "-o", "{OUTDIR}"], ["no profile files"]),
    ("batch:missing", ["batch", "{TMP}/nowhere.csv", "-o", "{OUTDIR}"], ["nowhere.csv' does not exist"]),
    ("triage:unknown-terms", ["triage", "--symptom", "headake", "--factor", "vegn", "-o", OUT],
     ["unknown symptom 'headake'", "unknown risk factor 'vegn'; did you mean 'vegan'?"]),
    ("triage:age", ["triage", "--symptom", "cramps", "--age", "300", "-o", OUT], ["--age", "300"]),
    ("triage:days", ["triage", "--symptom", "cramps", "--days", "-3", "-o", OUT], ["--days", "-3"]),
    ("triage:sex", ["triage", "--symptom", "cramps", "--sex", "other", "-o", OUT], ["--sex", "'other'"]),
    ("triage:pregnant-male", ["triage", "--symptom", "cramps", "--sex", "male", "--pregnant", "-o", OUT],
     ["pregnant (flag or risk factor) conflicts with sex 'male'"]),
    ("targets:triage-file", ["targets", "--profile", "{GOOD}", "--triage", "{F}", "-o", OUT],
     ["not a saved triage result", "red_flags:"]),
    ("plan:triage-file", ["plan", "--profile", "{GOOD}", "--triage", "{F}", "-o", OUT],
     ["--triage", "not a saved triage result"]),
    ("foods:unknown-id", ["foods", "show", "zz-no-such-food", "--foods", "{FOODS}", "--no-bundled", "-o", OUT],
     ["No food has id 'zz-no-such-food'"]),
    ("foods:unknown-nutrient", ["foods", "search", "--rich-in", "unobtainium", "--foods", "{FOODS}",
                                "--no-bundled", "-o", OUT], ["--rich-in", "unobtainium"]),
]  # fmt: skip
FILE_OF = {
    "batch:deep.jsonl": "deep.jsonl",
    "targets:triage-file": "triage_wrong_types.json",
    "plan:triage-file": "triage_wrong_types.json",
}
EXIT_1_CASES = {"batch:deep.jsonl"}  # a batch marks a bad profile failed and goes on: exit 1


def _materialise(case_id: str, tmp_path: Path) -> Path | None:
    name = FILE_OF.get(case_id, case_id.split(":", 1)[1])
    if name in MADE:
        target, make = MADE[name]
        path = tmp_path / "in" / target
        path.parent.mkdir(exist_ok=True)
        make(path)
        return path
    path = MALFORMED / name
    return path if path.exists() else None


@pytest.mark.parametrize(("case_id", "argv", "fragments"), CASES, ids=[c[0] for c in CASES])
def test_malformed_input_exits_2_naming_file_and_field(
    case_id: str, argv: list[str], fragments: list[str], tmp_path: Path
):
    bad = _materialise(case_id, tmp_path)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    output = out_dir / "result.out"
    good = tmp_path / "good.yaml"
    good.write_text("id: good\nage: 40\nsex: female\n", encoding="utf-8")
    empty = tmp_path / "empty-folder"
    empty.mkdir()
    subs = {
        "{F}": str(bad),
        "{OUT}": str(output),
        "{OUTDIR}": str(out_dir / "plans"),
        "{GOOD}": str(good),
        "{FOODS}": str(write_tiny_csv(tmp_path / "tiny.csv")),
        "{EMPTYDIR}": str(empty),
        "{TMP}": str(tmp_path),
    }
    args = []
    for a in argv:
        for key, value in subs.items():
            a = a.replace(key, value)
        args.append(a)

    result = CliRunner().invoke(cli, args)

    text = result.output
    assert result.exit_code == (1 if case_id in EXIT_1_CASES else 2), text
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in text and "Internal error" not in text, text
    if bad is not None and case_id not in EXIT_1_CASES:
        assert str(bad) in text, f"the message must name the file:\n{text}"
    for fragment in fragments:
        assert fragment in text, f"missing {fragment!r} in:\n{text}"
    # Nothing written: no output file, no temporary file, no plans.
    leftovers = [p.name for p in out_dir.rglob("*") if p.is_file()]
    if case_id in EXIT_1_CASES:
        leftovers = [n for n in leftovers if n not in ("summary.json", "summary.csv")]
    assert leftovers == [], leftovers


def test_case_table_covers_every_fixture_file():
    """Every committed malformed file is used by at least one case."""
    used = {FILE_OF.get(cid, cid.split(":", 1)[1]) for cid, _, _ in CASES}
    assert sorted(p.name for p in MALFORMED.iterdir()) == sorted(n for n in used if (MALFORMED / n).exists())


def test_batch_of_malformed_profiles_exits_1_and_names_each_in_the_summary(tmp_path: Path):
    """In a batch a malformed profile fails alone (exit 1 when any failed); the summary names file and field."""
    import json

    src = tmp_path / "profiles"
    src.mkdir()
    for name in ("profile_wrong_types.yaml", "profile_json_syntax.json", "profile_nan_inf.yaml"):
        (src / name).write_bytes((MALFORMED / name).read_bytes())
    _deep()(src / "deep.json")
    out = tmp_path / "plans"
    result = CliRunner().invoke(cli, ["batch", str(src), "-o", str(out), "--jobs", "1", "--format", "json"])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    rows = {Path(r["source"]).name: r for r in json.loads((out / "summary.json").read_text())["profiles"]}
    assert {r["status"] for r in rows.values()} == {"failed"}
    assert "age: Input should be a valid integer" in rows["profile_wrong_types.yaml"]["reason"]
    assert "line 1, column 33: not valid JSON" in rows["profile_json_syntax.json"]["reason"]
    assert "weight_kg: Input should be a finite number" in rows["profile_nan_inf.yaml"]["reason"]
    assert "nested too deeply" in rows["deep.json"]["reason"]
    assert sorted(p.name for p in out.iterdir()) == ["summary.csv", "summary.json"]


def test_a_plan_with_nan_amounts_is_bad_input(tmp_path: Path):
    """NaN in a saved plan's amounts (Python's json writes it) is refused as bad input (exit 2), no report written."""
    import json

    data = json.loads((Path(__file__).resolve().parents[1] / "fixtures" / "plan_week.json").read_text())
    item = data["days"][0]["slots"][0]["items"][0]
    item["grams"] = float("nan")
    path = tmp_path / "nan_plan.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = CliRunner().invoke(cli, ["verify", str(path), "-o", str(tmp_path / "report.txt")])
    assert result.exit_code == 2, result.output
    assert "NaN is not a number JSON allows" in result.output
    assert not (tmp_path / "report.txt").exists()


def test_output_file_is_never_half_written_when_rendering_fails(tmp_path: Path, monkeypatch):
    """An error while writing -o leaves the old file as it was and no temporary file."""
    import mealplan.fileio as atomic

    target = tmp_path / "mealplan.triage.json"
    target.write_text("old content\n", encoding="utf-8")
    real_fdopen = os.fdopen

    class Exploding:
        def __init__(self, fh):
            self.fh = fh

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.fh.close()
            return False

        def write(self, data):
            self.fh.write(data[: len(data) // 2])
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, "fdopen", lambda fd, mode: Exploding(real_fdopen(fd, mode)))
    result = CliRunner().invoke(cli, ["triage", "--symptom", "cramps", "--format", "json", "-o", str(target)])
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    assert target.read_text(encoding="utf-8") == "old content\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mealplan.triage.json"]
