"""``mealplan batch`` through CliRunner: exit codes, messages, files, JSON summary (real planner)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from mealplan.cli.main import cli
from mealplan.plan import Plan

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def invoke(*args: str):
    return CliRunner().invoke(cli, ["batch", *map(str, args)])


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    src = tmp_path / "profiles"
    src.mkdir()
    (src / "anna.yaml").write_text("id: anna\nage: 34\nsex: female\nsymptoms: [muscle-twitching]\n")
    (src / "ben.toml").write_text('id = "ben"\nage = 58\nsex = "male"\ndiet = "vegetarian"\n')
    return src


@pytest.mark.solve
def test_folder_batch_succeeds_with_json_summary(folder: Path, tmp_path: Path):
    out = tmp_path / "plans"
    result = invoke(folder, "-o", out, "--jobs", "2", "--format", "json", "--time-limit", "20")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["counts"] == {"ok": 2, "failed": 0, "skipped": 0, "not_run": 0}
    assert summary["options"]["days"] == 1 and summary["options"]["time_limit"] == 20.0
    assert [p["id"] for p in summary["profiles"]] == ["anna", "ben"]
    for pid in ("anna", "ben"):
        assert Plan.model_validate_json((out / f"{pid}.json").read_text()).profile_id == pid
    assert "2 planned, 0 kept, 0 failed" in result.stderr

    again = invoke(folder, "-o", out, "--resume", "--time-limit", "20")
    assert again.exit_code == 0, again.output
    assert "0 planned, 2 kept, 0 failed" in again.stderr
    assert "skipped" in again.stdout and "Batch: 2 profiles" in again.stdout


@pytest.mark.solve
def test_csv_with_broken_rows_exits_1_and_names_each_problem(tmp_path: Path):
    src = tmp_path / "clinic.csv"
    src.write_text(
        "id,age,sex,diet,allergies,magnesium_min\n"
        "ok1,40,female,vegetarian,milk;egg,380\n"
        "bad_age,forty,female,,,\n"
        "ok1,41,male,,,\n"
        "short_row,30\n"
    )
    out = tmp_path / "plans"
    result = invoke(src, "-o", out, "-j", "1")
    assert result.exit_code == 1, result.output
    rows = json.loads((out / "summary.json").read_text())["profiles"]
    assert [(p["id"], p["status"]) for p in rows] == [
        ("ok1", "ok"),
        ("bad_age", "failed"),
        ("ok1", "failed"),
        ("short_row", "failed"),
    ]
    csv_text = (out / "summary.csv").read_text()
    assert f"{src} row 3: the profile is not valid:" in csv_text
    assert f"{src} row 4: duplicate id 'ok1' (already used by {src} row 2)" in csv_text
    assert f"{src} row 5: has 2 cells but the header has 6 columns" in csv_text
    assert "1 planned, 0 kept, 3 failed" in result.stderr
    assert "failed" in result.stdout and "age: Input should be a valid integer" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["{missing}", "-o", "{out}"], "does not exist"),
        (["{folder}", "-o", "{out}", "--days", "29"], "29 is not in the range 1<=x<=28"),
        (["{folder}", "-o", "{out}", "--jobs", "0"], "0 is not in the range x>=1"),
        (["{folder}"], "Missing option '-o' / '--out-dir'"),
        (["{folder}", "-o", "{folder}"], "is the input folder; write the plans to another folder"),
        (
            ["{empty}", "-o", "{out}"],
            "no profile files (looked for .yaml, .yml, .toml, .json); nothing to plan",
        ),
        (["{folder}", "-o", "{out}", "--no-bundled"], "--no-bundled needs at least one --foods FILE"),
        (["{badcsv}", "-o", "{out}"], "'alergies': unknown column"),
        (["{folder}", "-o", "{out}", "--foods", "{broken_foods}"], "Error: Cannot load the food tables:"),
    ],
)
def test_usage_errors_exit_2(folder: Path, tmp_path: Path, args: list[str], message: str):
    (tmp_path / "empty").mkdir()
    (tmp_path / "bad.csv").write_text("id,age,sex,alergies\nx,30,f,milk\n")
    names = {
        "missing": tmp_path / "nope",
        "out": tmp_path / "plans",
        "folder": folder,
        "empty": tmp_path / "empty",
        "badcsv": tmp_path / "bad.csv",
        "broken_foods": FIXTURES / "user_foods_broken.csv",
    }
    result = invoke(*(a.format(**names) for a in args))
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert not (tmp_path / "plans" / "summary.json").exists()


@pytest.mark.solve
def test_scheduler_runs_on_a_dask_cluster(folder: Path, tmp_path: Path):
    distributed = pytest.importorskip("distributed", reason="dask.distributed is not installed")
    out = tmp_path / "plans"
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster:
        result = invoke(folder, "-o", out, "--scheduler", cluster.scheduler_address, "--format", "json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert [(p["id"], p["status"]) for p in summary["profiles"]] == [("anna", "ok"), ("ben", "ok")]
    for pid in ("anna", "ben"):
        assert Plan.model_validate_json((out / f"{pid}.json").read_text()).profile_id == pid


def test_unreachable_scheduler_is_a_usage_error(folder: Path, tmp_path: Path):
    pytest.importorskip("distributed", reason="dask.distributed is not installed")
    result = invoke(folder, "-o", tmp_path / "plans", "--scheduler", "not-an-address::")
    assert result.exit_code == 2, result.output
    assert "--scheduler not-an-address::: cannot connect to the Dask scheduler" in result.stderr
