"""The ``mealplan`` group: unknown commands, error display, exit codes, colour, --debug, --version."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest
from click.testing import CliRunner

from mealplan.cli.main import COMMANDS, cli

ROOT = Path(__file__).resolve().parents[2]
PROFILES = ROOT / "examples" / "profiles"
ESC = "\x1b["


def invoke(*args: str, **kwargs):
    return CliRunner().invoke(cli, list(args), prog_name="mealplan", **kwargs)


@pytest.fixture
def profile_missing_prices(tmp_path: Path) -> Path:
    """A valid profile whose price table does not exist: a library error (exit 2), not a usage error."""
    path = tmp_path / "client.yaml"
    path.write_text("id: client\nage: 40\nsex: male\nprices: no_such_prices.csv\n", encoding="utf-8")
    return path


# --- usage errors -------------------------------------------------------------------------------


def test_unknown_command_suggests_the_closest():
    result = invoke("plna")
    assert result.exit_code == 2
    assert "Error: No such command 'plna'. Did you mean 'plan'?" in result.stderr
    assert "Try 'mealplan --help' for help." in result.stderr


def test_unknown_command_without_a_close_one_lists_no_guess():
    result = invoke("frobnicate")
    assert result.exit_code == 2
    assert "No such command 'frobnicate'." in result.stderr and "Did you mean" not in result.stderr


def test_unknown_subcommand_and_option_suggest_too():
    result = invoke("foods", "serch", "salmon")
    assert result.exit_code == 2 and "Did you mean 'search'?" in result.stderr
    result = invoke("triage", "--symtom", "muscle-cramps")
    assert result.exit_code == 2 and "No such option '--symtom'. Did you mean '--symptom'?" in result.stderr


def test_help_lists_every_command_with_its_summary():
    result = invoke("--help")
    assert result.exit_code == 0
    listing = result.stdout.split("Commands:")[1]
    assert [line.split()[0] for line in listing.splitlines() if line.startswith("  ") and line[2] != " "][
        : len(COMMANDS)
    ] == list(COMMANDS)
    assert "..." not in listing  # summaries are never cut off
    assert "130 interrupted" in " ".join(result.stdout.split())


@pytest.mark.solve
def test_help_does_not_import_the_heavy_packages():
    """`mealplan --help` stays fast: no pandas, pulp, rich or pydantic at all; triage and targets no pandas/pulp."""
    code = (
        "import contextlib, io, sys\n"
        "from mealplan.cli.main import cli\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    cli.main(sys.argv[1:], prog_name='mealplan', standalone_mode=False)\n"
        "print(sorted(m for m in ('pandas', 'pulp', 'numpy', 'rich', 'pydantic') if m in sys.modules))\n"
    )
    runs = {
        ("--help",): [],
        ("triage", "--symptom", "muscle-cramps"): ["pydantic", "rich"],
        ("targets", "--profile", str(PROFILES / "vegan_twitching.yaml")): ["pydantic", "rich"],
    }
    for args, allowed in runs.items():
        out = subprocess.run(
            [sys.executable, "-c", code, *args], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout
        assert set(json.loads(out.strip().replace("'", '"'))) <= set(allowed), args


def test_version():
    result = invoke("--version")
    assert result.exit_code == 0
    assert result.stdout == f"mealplan, version {version('mealplan')}\n"


# --- library errors, --debug --------------------------------------------------------------------


def test_library_error_is_one_short_message_without_traceback(profile_missing_prices):
    result = invoke("targets", "--profile", str(profile_missing_prices))
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: ") and "prices: file not found" in result.stderr
    assert "no_such_prices.csv" in result.stderr
    assert "Traceback" not in result.output and result.stdout == ""


@pytest.mark.parametrize("where", ["before", "after"])
def test_debug_shows_the_traceback_and_keeps_the_exit_code(profile_missing_prices, where):
    args = ["targets", "--profile", str(profile_missing_prices)]
    result = invoke(*(["--debug", *args] if where == "before" else [*args, "--debug"]))
    assert result.exit_code == 2
    assert result.stderr.startswith("Traceback (most recent call last):")
    assert "mealplan.errors.ConfigError" in result.stderr or "InputError" in result.stderr
    lines = result.stderr.splitlines()
    assert any(line.startswith(f"Error: {profile_missing_prices}: the profile is not valid") for line in lines[1:])


def test_debug_after_a_double_dash_is_not_moved():
    result = invoke("foods", "search", "--", "--debug")
    assert result.exit_code == 0 and "0 of 0 matching foods" in result.stdout


def test_internal_error_is_exit_70_with_what_to_do(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("mealplan.triage.run_triage", broken)
    result = invoke("triage", "--symptom", "muscle-cramps")
    assert result.exit_code == 70
    assert result.stderr == (
        "Internal error: RuntimeError: boom\n"
        "This is a bug in mealplan: run the command again with --debug (mealplan --debug COMMAND ...) "
        "for the traceback and report it.\n"
    )
    result = invoke("--debug", "triage", "--symptom", "muscle-cramps")
    assert result.exit_code == 70
    assert "Traceback (most recent call last):" in result.stderr and "RuntimeError: boom" in result.stderr


def test_keyboard_interrupt_is_exit_130(monkeypatch):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("mealplan.triage.run_triage", interrupted)
    result = invoke("triage", "--symptom", "muscle-cramps")
    assert result.exit_code == 130
    assert result.stderr == "Interrupted.\n"


def test_ctrl_d_at_a_question_is_exit_130(monkeypatch):
    monkeypatch.setattr("mealplan.cli.cmd_triage._stdin_is_tty", lambda: True)
    result = invoke("triage", input="")  # end of input at the first question
    assert result.exit_code == 130
    assert result.stderr.endswith("Interrupted.\n") and "Traceback" not in result.output


# --- real processes: pipes, terminals, colour ---------------------------------------------------


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE")}
    return env | {"TERM": "xterm-256color", "COLUMNS": "120"} | extra


def _run_piped(args: list[str], **env: str) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "mealplan.cli.main", *args]
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env=_env(**env), timeout=120)


def _run_on_terminal(args: list[str], **env: str) -> tuple[int, str]:
    """Run ``mealplan ARGS`` with standard input, output and error on a pseudo-terminal."""
    import pty

    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "mealplan.cli.main", *args],
        cwd=ROOT,
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=_env(**env),
        close_fds=True,
    )
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    return proc.wait(timeout=120), b"".join(chunks).decode("utf-8", "replace")


TRIAGE = ["triage", "--symptom", "muscle-cramps"]


@pytest.mark.solve
def test_no_colour_when_piped():
    done = _run_piped(TRIAGE)
    assert done.returncode == 0 and "Magnesium" in done.stdout
    assert ESC not in done.stdout and ESC not in done.stderr


@pytest.mark.solve
def test_no_colour_for_errors_when_piped(profile_missing_prices):
    done = _run_piped(["targets", "--profile", str(profile_missing_prices)])
    assert done.returncode == 2 and done.stderr.startswith("Error: ")
    assert ESC not in done.stderr


@pytest.mark.solve
@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_colour_on_a_terminal_unless_no_color(profile_missing_prices):
    code, out = _run_on_terminal(TRIAGE)
    assert code == 0 and "Magnesium" in out and ESC in out  # the check below can fail
    code, out = _run_on_terminal(TRIAGE, NO_COLOR="1")
    assert code == 0 and "Magnesium" in out and ESC not in out
    code, out = _run_on_terminal(["targets", "--profile", str(profile_missing_prices)])
    assert code == 2 and "prices: file not found" in out and ESC in out
    code, out = _run_on_terminal(["targets", "--profile", str(profile_missing_prices)], NO_COLOR="1")
    assert code == 2 and "prices: file not found" in out and ESC not in out


@pytest.mark.solve
def test_closed_pipe_is_not_an_internal_error():
    """`mealplan ... | head` closes the pipe early: no "Internal error", no traceback."""
    read, write = os.pipe()
    os.close(read)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "mealplan.cli.main", "triage", "--list"],
            cwd=ROOT,
            stdout=write,
            stderr=subprocess.PIPE,
            text=True,
            env=_env(),
            timeout=120,
        )
    finally:
        os.close(write)
    assert done.returncode not in (0, 70)
    assert "Internal error" not in done.stderr and "Traceback" not in done.stderr


def test_shell_completion_completes_lazy_commands_and_options():
    env = {"_MEALPLAN_COMPLETE": "bash_complete", "COMP_WORDS": "mealplan pl", "COMP_CWORD": "1"}
    result = CliRunner().invoke(cli, [], env=env, prog_name="mealplan", complete_var="_MEALPLAN_COMPLETE")
    assert result.exit_code == 0 and "plain,plan" in result.stdout
    env |= {"COMP_WORDS": "mealplan triage --sym", "COMP_CWORD": "2"}
    result = CliRunner().invoke(cli, [], env=env, prog_name="mealplan", complete_var="_MEALPLAN_COMPLETE")
    assert "plain,--symptom" in result.stdout


# --- file-system errors the library does not wrap ------------------------------------------------


def test_output_under_a_file_is_a_short_error(tmp_path):
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    result = invoke(*TRIAGE, "-o", str(tmp_path / "notes.txt" / "mealplan.triage.md"), "--format", "md")
    assert result.exit_code == 2
    assert result.stderr == f"Error: {tmp_path / 'notes.txt'}: is a file where a folder is needed; check the path.\n"


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (PermissionError(13, "Permission denied", "/data/me.yaml"), "/data/me.yaml: permission denied"),
        (FileNotFoundError(2, "No such file or directory", "/out/.plan.json.k2j3h4.tmp"), "/out/plan.json: no such"),
        (IsADirectoryError(21, "Is a directory", "/data"), "/data: is a folder where a file is needed"),
    ],
)
def test_os_errors_name_the_file_and_exit_2(monkeypatch, error, message):
    def failing(*args, **kwargs):
        raise error

    monkeypatch.setattr("mealplan.triage.run_triage", failing)
    result = invoke(*TRIAGE)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {message}") and "Internal error" not in result.stderr


def test_a_misspelt_food_suggests_everyday_foods_first():
    result = invoke("foods", "show", "banana")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: No food has id 'banana'. Closest: 09040 (Bananas, raw);")
    result = invoke("foods", "show", "salmn")
    assert result.exit_code == 2 and "salmon" in result.stderr.split("Closest:")[1]
