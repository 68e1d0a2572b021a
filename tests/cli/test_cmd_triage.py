"""``mealplan triage`` through the real command group: exit codes, messages and output formats."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from mealplan.cli import cmd_triage
from mealplan.cli.main import cli
from mealplan.triage import TriageInput, TriageResult, run_triage, vocabulary


def invoke(*args: str, **kwargs):
    return CliRunner().invoke(cli, ["triage", *args], **kwargs)


def test_issue_example_renders_ranked_nutrients_tests_notes_and_disclaimer():
    result = invoke("--symptom", "muscle-twitching", "--symptom", "tingling", "--factor", "vegan", "--days", "10")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "See a clinician first" not in out  # ten days, nothing alarming
    positions = [
        out.index("Nutrients worth discussing and testing"),
        out.index("Vitamin B12"),
        out.index("Blood tests to ask a clinician about"),
        out.index("Notes:"),
        out.index("For education only."),
    ]
    assert positions == sorted(positions)
    assert out.index("Vitamin B12") < out.index("Calcium")  # B12 ranked first


def test_red_flags_print_first():
    result = invoke("--symptom", "numbness", "--factor", "diuretics", "--days", "20")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.index("See a clinician first") < out.index("Nutrients worth discussing and testing")
    assert "There is numbness." in out
    assert "The symptoms have lasted more than two weeks." in out
    assert "A prescribed medicine may be involved (diuretics)." in out


def test_unknown_term_exits_2_with_the_closest_id():
    result = invoke("--symptom", "charly horse", "--factor", "vegan")
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: Unknown symptom or risk factor ('mealplan triage --list' shows every id with its synonyms):\n"
        "  - unknown symptom 'charly horse'; did you mean 'muscle-cramps'?\n"
    )
    assert "Traceback" not in result.output


def test_no_input_exits_2_with_a_hint():
    result = invoke()
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: No symptoms or risk factors given. Try: mealplan triage --symptom muscle-cramps "
        "--factor heavy-sweating, or mealplan triage --list to see every symptom and risk factor.\n"
    )


def test_bad_option_values_exit_2():
    assert invoke("--symptom", "cramps", "--days", "-1").exit_code == 2
    assert invoke("--symptom", "cramps", "--age", "0").exit_code == 2
    assert invoke("--symptom", "cramps", "--sex", "other").exit_code == 2
    conflict = invoke("--symptom", "cramps", "--pregnant", "--sex", "male")
    assert conflict.exit_code == 2
    assert "conflicts with sex 'male'" in conflict.stderr


def test_list_shows_every_id_and_synonym():
    result = invoke("--list")
    assert result.exit_code == 0
    vocab = vocabulary()
    for section in ("symptoms", "factors"):
        for tid in vocab[section]:
            assert tid in result.stdout
    assert "charley horse" in result.stdout and "water pills" in result.stdout


def test_list_as_json_is_the_vocabulary():
    result = invoke("--list", "--format", "json")
    assert json.loads(result.stdout) == vocabulary()


def test_json_output_file_parses_back(tmp_path):
    path = tmp_path / "mealplan.triage.json"
    args = ("--symptom", "leg cramps at night", "--factor", "water pills", "--age", "72", "--sex", "female")
    result = invoke(*args, "--format", "json", "-o", str(path))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert f"wrote {path}" in result.stderr
    parsed = TriageResult.model_validate_json(path.read_text(encoding="utf-8"))
    expected = run_triage(TriageInput(symptoms=["night-cramps"], factors=["diuretics"], age=72, sex="female"))
    assert parsed == expected


def test_json_to_stdout_is_deterministic():
    args = ("--symptom", "cramps,fatigue", "--factor", "coffee", "--factor", "PPI", "--format", "json")
    first, second = invoke(*args), invoke(*args)
    assert first.exit_code == 0
    assert first.stdout == second.stdout
    parsed = TriageResult.model_validate_json(first.stdout)
    assert parsed.input.symptoms == ["muscle-cramps", "fatigue"]
    assert parsed.input.factors == ["high-caffeine", "acid-reducers"]


def test_markdown_output():
    result = invoke("--symptom", "palpitations", "--format", "md")
    assert result.exit_code == 0
    assert result.stdout.startswith("# Triage\n")
    assert result.stdout.index("## See a clinician first") < result.stdout.index("## Nutrients")


def test_interactive_questions_on_a_terminal(monkeypatch):
    monkeypatch.setattr(cmd_triage, "_stdin_is_tty", lambda: True)
    # symptoms (a typo first, asked again), factors, days, three yes/no, age, sex, pregnant.
    answers = "eye twich\neye twitch, cramps\ncoffee\n20\nn\nn\nn\n64\nfemale\nn\n"
    result = invoke("--format", "json", input=answers)
    assert result.exit_code == 0, result.output
    assert "did you mean 'eyelid-twitching'?" in result.output
    parsed = TriageResult.model_validate_json(result.stdout[result.stdout.index("{") :])
    assert parsed.input.symptoms == ["eyelid-twitching", "muscle-cramps"]
    assert parsed.input.factors == ["high-caffeine"]
    assert (parsed.input.days, parsed.input.age, parsed.input.sex) == (20, 64.0, "female")
    assert [f.id for f in parsed.red_flags] == ["long-duration"]


def test_not_a_terminal_means_no_questions(monkeypatch):
    monkeypatch.setattr(cmd_triage, "_stdin_is_tty", lambda: False)
    result = invoke(input="cramps\n")
    assert result.exit_code == 2
    assert "Symptoms" not in result.output


@pytest.mark.solve
@pytest.mark.parametrize("fmt", ["json", "table"])
def test_triage_does_not_import_pandas(fmt):
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from mealplan.cli.main import cli\n"
        f"r = CliRunner().invoke(cli, ['triage', '--factor', 'vegan', '--format', '{fmt}'])\n"
        "assert r.exit_code == 0, r.output\n"
        "print('pandas' in sys.modules, 'rich' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False" if fmt == "json" else "True"]
