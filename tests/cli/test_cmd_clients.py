"""``mealplan clients``, ``history`` and ``plan --client`` through the real command group and database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from mealplan.cli.main import cli
from mealplan.plan import Plan
from tests.workbench.conftest import PROFILE

pytestmark = pytest.mark.filterwarnings("error")


def run(*args: str, db: Path | None = None):
    extra = ["--db", str(db)] if db is not None else []
    return CliRunner().invoke(cli, [*args, *extra])


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "clinic.db"
    result = run("clients", "add", "--profile", str(PROFILE), "--name", "Ana", "--notes", "new client", db=path)
    assert result.exit_code == 0, result.output
    assert "added client vegan-twitching (profile version 1)" in result.stdout
    return path


def test_add_list_show_and_edit(db):
    listed = run("clients", "list", "--format", "json", db=db)
    assert listed.exit_code == 0
    (client,) = json.loads(listed.stdout)["clients"]
    assert (client["id"], client["name"], client["profile_versions"], client["plans"]) == (
        "vegan-twitching",
        "Ana",
        1,
        0,
    )
    edited = run("clients", "edit", "vegan-twitching", "--set", "exclude=[peanut]", "--notes", "no peanuts", db=db)
    assert edited.exit_code == 0, edited.output
    assert "profile version 2" in edited.stdout
    shown = run("clients", "show", "vegan-twitching", "--format", "json", db=db)
    data = json.loads(shown.stdout)
    assert data["client"]["notes"] == "no peanuts"
    assert [v["version"] for v in data["versions"]] == [1, 2]
    assert data["versions"][-1]["profile"]["exclude"] == ["peanut"]
    table = run("clients", "show", "vegan-twitching", db=db)
    assert "exclude" in table.stdout and "(first)" in table.stdout


def test_add_twice_and_unknown_clients_exit_2(db):
    again = run("clients", "add", "--profile", str(PROFILE), db=db)
    assert again.exit_code == 2
    assert "client 'vegan-twitching' already exists; give another --id" in again.output
    for args in (("clients", "show", "bob"), ("history", "bob"), ("clients", "edit", "bob", "--notes", "x")):
        result = run(*args, db=db)
        assert result.exit_code == 2, args
        assert "client 'bob' is not in" in result.output and "known clients: vegan-twitching" in result.output
        assert "Traceback" not in result.output


def test_bad_set_and_bad_id_exit_2(db):
    bad = run("clients", "edit", "vegan-twitching", "--set", "age=500", db=db)
    assert bad.exit_code == 2
    assert "age: Input should be less than or equal to 120 (got 500)" in bad.output
    unknown = run("clients", "edit", "vegan-twitching", "--set", "alergies=[milk]", db=db)
    assert unknown.exit_code == 2 and "unknown field 'alergies'" in unknown.output
    bad_id = run("clients", "add", "--profile", str(PROFILE), "--id", "no spaces", db=db)
    assert bad_id.exit_code == 2 and "--id 'no spaces': an id is 1-64 letters" in bad_id.output


def test_a_corrupt_database_exits_2_with_a_clear_message(tmp_path):
    path = tmp_path / "broken.db"
    path.write_bytes(b"\x00garbage" * 500)
    for args in (("clients", "list"), ("history", "x"), ("diff", "1", "2")):
        result = run(*args, db=path)
        assert result.exit_code == 2, (args, result.output)
        assert f"--db {path}: not a readable mealplan database (file is not a database)" in result.output
        assert "Traceback" not in result.output


@pytest.mark.solve
def test_plan_for_a_client_is_stored_and_exported(db, tmp_path):
    out = tmp_path / "day.json"
    result = run("plan", "--client", "vegan-twitching", "--format", "json", "-o", str(out), db=db)
    assert result.exit_code == 0, result.output
    assert "stored plan 1 for client vegan-twitching" in result.stderr
    history = run("history", "vegan-twitching", "--format", "json", db=db)
    (rec,) = json.loads(history.stdout)["plans"]
    assert (rec["id"], rec["action"], rec["profile_version"], rec["figures"]["kind"]) == (1, "plan", 1, "day")
    exported = tmp_path / "exported.json"
    assert run("history", "vegan-twitching", "--export", "1", "-o", str(exported), db=db).exit_code == 0
    assert exported.read_text() == out.read_text()  # the stored plan is the plan written
    assert Plan.model_validate_json(exported.read_text()).profile_id == "vegan-twitching"
    table = run("history", "vegan-twitching", db=db)
    assert "Plans of vegan-twitching (Ana)" in table.stdout and "For education only" in table.stdout
    verified = run("verify", str(exported))
    assert verified.exit_code == 0, verified.output
    missing = run("history", "vegan-twitching", "--export", "7", db=db)
    assert missing.exit_code == 2 and "plan 7 is not in" in missing.output


def test_plan_needs_a_profile_or_a_client():
    result = run("plan")
    assert result.exit_code == 2
    assert "Missing option '--profile' (or '--client ID'" in result.output


@pytest.mark.solve
def test_a_batch_from_the_database_and_back(db, tmp_path):
    folder, plans = tmp_path / "clinic", tmp_path / "plans"
    exported = run("clients", "export", str(folder), db=db)
    assert exported.exit_code == 0 and "wrote 1 profiles" in exported.stdout
    assert json.loads((folder / "vegan-twitching.json").read_text())["id"] == "vegan-twitching"
    batch = CliRunner().invoke(cli, ["batch", str(folder), "-o", str(plans), "--jobs", "1"])
    assert batch.exit_code == 0, batch.output
    (plans / "stranger.json").write_text((plans / "vegan-twitching.json").read_text().replace(
        '"profile_id": "vegan-twitching"', '"profile_id": "stranger"'))  # fmt: skip
    imported = run("clients", "import", str(plans), db=db)
    assert imported.exit_code == 0, imported.output
    assert "stored 1 plans: vegan-twitching (plan 1)" in imported.stdout
    assert "left out stranger.json: profile 'stranger' is not a client" in imported.stderr
    (rec,) = json.loads(run("history", "vegan-twitching", "--format", "json", db=db).stdout)["plans"]
    assert rec["action"] == "batch"
    missing = run("clients", "import", str(tmp_path / "nowhere"), db=db)
    assert missing.exit_code == 2 and "no such folder" in missing.output


def test_names_and_notes_are_shown_as_typed_never_as_markup(tmp_path):
    db = tmp_path / "m.db"
    name = "[red]Bob[/red] <script>x</script>"
    added = run("clients", "add", "--profile", str(PROFILE), "--name", name, "--notes", "[bold]n\x1b[31m", db=db)
    assert added.exit_code == 0
    shown = run("clients", "show", "vegan-twitching", db=db).stdout
    assert "[red]Bob[/red] <script>x</script>" in shown and "notes: [bold]n[31m" in shown
    assert "\x1b" not in shown
    assert "[red]Bob[/red]" in " ".join(run("history", "vegan-twitching", db=db).stdout.split())
