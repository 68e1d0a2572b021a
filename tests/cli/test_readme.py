"""README.md, the docs pages and ``--help`` stay in step: the commands table, summaries, formats, JSON
fields, exit codes, examples and tour.

The README is a landing page with the tour; the reference lives in ``docs/`` (the commands table, JSON
output, exit codes and shell completion in ``docs/commands.md``, the plan's schema in
``docs/plan-json.md``). Every ``mealplan ...`` line in the README and in any docs page must parse."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from mealplan.cli.main import COMMANDS, cli, summary

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCS = {path.name: path.read_text(encoding="utf-8") for path in sorted((ROOT / "docs").glob("*.md"))}
COMMANDS_PAGE = "commands.md"


def _leaf_commands() -> dict[str, click.Command]:
    """Every runnable command by its path after ``mealplan`` ("plan", "foods search", ...)."""
    ctx = click.Context(cli, info_name="mealplan")
    out: dict[str, click.Command] = {}
    for name in cli.list_commands(ctx):
        cmd = cli.get_command(ctx, name)
        assert cmd is not None, name
        if isinstance(cmd, click.Group):
            sub_ctx = click.Context(cmd, info_name=name, parent=ctx)
            out |= {f"{name} {sub}": cmd.get_command(sub_ctx, sub) for sub in cmd.list_commands(sub_ctx)}
        else:
            out[name] = cmd
    return out


LEAVES = _leaf_commands()
ALL_PATHS = ["", *COMMANDS, *(p for p in LEAVES if " " in p)]  # "" is `mealplan` itself


def _section(title: str, page: str | None = None) -> str:
    """The text under a heading of the README (or of docs/``page``), up to the next heading of the same
    or a higher level."""
    text, name = (README, "README") if page is None else (DOCS[page], f"docs/{page}")
    match = re.search(rf"^(#+) {re.escape(title)}$", text, re.M)
    assert match, f"{name} has no section {title!r}"
    body = text[match.end() :]
    end = re.search(rf"^#{{1,{len(match.group(1))}}} ", body, re.M)
    return body[: end.start()] if end else body


def _table(title: str, page: str = COMMANDS_PAGE) -> list[list[str]]:
    """The rows (cells stripped, header and rule left out) of the first table in a section of a docs page."""
    text = _section(title, page)
    block = re.search(r"^\|.*?(?=^[^|]|\Z)", text, re.S | re.M)
    assert block, f"docs/{page} section {title!r} has no table"
    lines = block.group(0).splitlines()
    return [[c.strip() for c in ln.strip("|").split("|")] for ln in lines[2:]]


def _commands_table() -> dict[str, list[str]]:
    rows = _table("Commands, output and options")
    table = {}
    for command, *rest in rows:
        match = re.fullmatch(r"`mealplan ([a-z ]+)`", command)
        assert match, f"docs/commands.md commands table: {command!r} is not `mealplan COMMAND`"
        table[match.group(1)] = rest
    return table


def _help(path: str) -> str:
    result = CliRunner().invoke(cli, [*path.split(), "--help"], terminal_width=80)
    assert result.exit_code == 0, result.output
    return result.stdout


def _format_choices(cmd: click.Command) -> list[str]:
    for param in cmd.params:
        if param.name == "fmt":
            assert isinstance(param.type, click.Choice)
            return list(param.type.choices)
    return []


def test_readme_table_lists_every_command_and_nothing_else():
    assert list(_commands_table()) == list(LEAVES)


@pytest.mark.parametrize("path", list(LEAVES))
def test_readme_summary_is_the_first_line_of_help(path):
    what, formats = _commands_table()[path]
    assert what == summary(LEAVES[path])
    assert formats == ", ".join(_format_choices(LEAVES[path]))


@pytest.mark.parametrize("path", ALL_PATHS)
def test_summary_is_one_sentence_and_shown_whole(path):
    cmd = cli
    for word in path.split():
        cmd = cmd.get_command(click.Context(cmd), word)
    first_paragraph = cmd.help.strip().split("\n\n")[0]
    line = summary(cmd)
    assert first_paragraph.strip() == line, "the summary is one line, followed by a blank line"
    assert line.endswith(".") and line.count(". ") == 0 and len(line) <= 80
    if path:  # the parent's command listing shows the whole line, never cut with "..."
        parent = " ".join(path.split()[:-1])
        listing = " ".join(_help(parent).split("Commands:")[1].split())
        assert f"{path.split()[-1]} {line}" in listing


@pytest.mark.parametrize("path", ALL_PATHS)
def test_every_help_has_an_example_that_parses(path):
    text = _help(path)
    assert re.search(r"^  Examples?\b.*?:", text, re.M), f"`mealplan {path} --help` has no Example:"
    examples = _help_examples(text)
    assert examples, f"`mealplan {path} --help` shows no example command"
    assert any(ex[: len(path.split())] == path.split() for ex in examples), "an example runs this command"
    for ex in examples:
        _check_parses(ex)


def _help_examples(text: str) -> list[list[str]]:
    """The example command lines of a help page (each on one line, not re-wrapped by Click)."""
    block = re.split(r"^  Examples?\b.*?:", text, maxsplit=1, flags=re.M)[1].split("\nOptions:")[0]
    out = []
    for line in block.splitlines():
        if line.strip().startswith("mealplan "):
            words = shlex.split(line.strip(), comments=True)
            assert not line.rstrip().endswith(("\\", "-")), f"example re-wrapped: {line!r}"
            out.append(words[1:])
    return out


def _command_lines(text: str) -> list[str]:
    """Every `mealplan ...` line in a page's code blocks: fenced (plain, ``console``, ``bash``, ``sh``;
    a ``$ `` prompt is left out) or indented by four spaces."""
    lines = []
    for block in re.findall(r"^```(?:console|bash|sh)?\n(.*?)^```", text, re.S | re.M):
        lines += [ln.removeprefix("$ ") for ln in block.splitlines() if ln.removeprefix("$ ").startswith("mealplan ")]
    lines += [ln.strip() for ln in text.splitlines() if ln.startswith("    mealplan ")]
    return lines


def _readme_command_lines() -> list[str]:
    return _command_lines(README)


DOCS_COMMAND_LINES = [(page, line) for page, text in DOCS.items() for line in _command_lines(text)]


def test_readme_has_command_lines():
    tour = [ln for ln in _section("A short tour").splitlines() if ln.startswith("mealplan ")]
    assert len(tour) >= 10
    assert {ln.split()[1] for ln in tour} == set(COMMANDS)  # the tour visits every command
    assert set(tour) <= set(_readme_command_lines())
    docs_tour = [ln for ln in _section("A tour", "tour.md").splitlines() if ln.startswith("mealplan ")]
    assert set(tour) <= set(docs_tour)  # the docs' tour holds the README's
    assert len(DOCS_COMMAND_LINES) >= 50  # the docs show commands, and the test below reads them


@pytest.mark.parametrize("line", _readme_command_lines())
def test_readme_command_lines_parse(line):
    _check_parses(shlex.split(line, comments=True)[1:])


@pytest.mark.parametrize(("page", "line"), DOCS_COMMAND_LINES, ids=[f"{p}:{ln[:60]}" for p, ln in DOCS_COMMAND_LINES])
def test_docs_command_lines_parse(page, line):
    _check_parses(shlex.split(line, comments=True)[1:])


def _check_parses(args: list[str]) -> None:
    """Parse ``mealplan ARGS`` without running it: the commands and options exist, choices are valid.

    Only Click's option parser runs, not value conversion: files need not exist (``week.json`` in
    the tour is written by an earlier line). Options with fixed choices are checked against them.
    """
    cmd: click.Command = cli
    ctx = click.Context(cli, info_name="mealplan")
    rest = list(args)
    while True:
        opts, rest, _ = cmd.make_parser(ctx).parse_args(args=rest)  # raises NoSuchOption, BadOptionUsage
        for param in cmd.params:
            if isinstance(param.type, click.Choice) and opts.get(param.name) is not None:
                values = opts[param.name] if param.multiple else [opts[param.name]]
                bad = [v for v in values if v not in param.type.choices]
                assert not bad, f"{args}: {param.opts[0]} {bad[0]!r} is not one of {param.type.choices}"
        if not isinstance(cmd, click.Group):
            return
        assert rest, f"{args}: no command after {ctx.command_path!r}"
        sub = cmd.get_command(ctx, rest[0])
        assert sub is not None, f"{args}: {ctx.command_path} has no command {rest[0]!r}"
        ctx, cmd, rest = click.Context(sub, info_name=rest[0], parent=ctx), sub, rest[1:]


def test_check_parses_catches_mistakes():
    """The parser check above fails on what it is meant to catch (so the README test can fail)."""
    for bad in (["plna"], ["plan", "--profil", "p.yaml"], ["foods", "serch"], ["triage", "--format", "xml"]):
        with pytest.raises((click.UsageError, AssertionError)):
            _check_parses(bad)
    with pytest.raises(click.UsageError, match="requires an argument"):
        _check_parses(["plan", "--profile"])
    _check_parses(["--debug", "foods", "search", "--rich-in", "magnesium", "salmon"])


# How to run each output of the README's JSON table here (files it needs, beyond the README's words).
JSON_RUNS = {
    "triage --format json": ["--symptom", "muscle-cramps"],
    "triage --list --format json": [],
    "targets --format json": ["--profile", str(ROOT / "examples/profiles/pregnant.yaml")],
    "verify --format json": [str(ROOT / "tests/fixtures/plan_week.json")],
    "shopping --format json": [str(ROOT / "tests/fixtures/plan_week.json")],
    "basket --format json": [
        *("--foods", str(ROOT / "examples/basket/commodities.csv"), "--no-bundled"),
        *("--targets", str(ROOT / "examples/basket/targets.csv")),
    ],
    "foods search --format json": ["salmon"],
    "foods show --format json": ["09040"],
    "foods stats --format json": [],
    "dishes list --format json": ["--slot", "dinner"],
    "dishes show --format json": ["lentil-spinach-dal-brown-rice"],
}


def _json_table() -> dict[str, str]:
    return {output.strip("`"): fields for output, fields in _table("JSON output")}


def test_json_table_covers_every_command_with_json():
    documented = {" ".join(w for w in out.split() if not w.startswith("-") and w != "json") for out in _json_table()}
    with_json = {path for path, cmd in LEAVES.items() if "json" in _format_choices(cmd)}
    assert documented == with_json


@pytest.mark.parametrize("output", list(JSON_RUNS))
def test_json_output_has_the_documented_fields(output):
    fields = _json_table()[output]
    documented = re.fullmatch(r"`\{(.*)\}`", fields).group(1).split(", ")
    result = CliRunner().invoke(cli, [*shlex.split(output), *JSON_RUNS[output]])
    # The fixture plan predates today's rules, so verify finds problems (exit 1) and still reports them.
    assert result.exit_code == (1 if output.startswith("verify") else 0), result.output
    assert list(json.loads(result.stdout)) == documented


def test_batch_json_fields_are_documented():
    from mealplan.batch import BatchOptions, BatchSummary

    fields = _json_table()["batch --format json"]
    documented = re.fullmatch(r"`\{(.*)\}`", fields).group(1).split(", ")
    empty = BatchSummary(results=[], options=BatchOptions(), out_dir="plans", started="", elapsed_seconds=0)
    assert list(json.loads(empty.to_json())) == documented


def test_plan_json_points_at_its_schema_section():
    assert "Plan JSON" in _json_table()["plan --format json"]
    assert "plan-json.md" in _json_table()["plan --format json"]
    assert "`{schema_version, kind, profile_id" in _section("Plan JSON (schema version 2.1)", "plan-json.md")


def test_exit_codes_table_matches_the_errors_and_the_epilog():
    from mealplan import errors
    from mealplan.cli.main import EXIT_CODES_HELP

    codes = {int(code) for code, _ in _table("Exit codes")}
    classes = [c for c in vars(errors).values() if isinstance(c, type) and issubclass(c, errors.MealplanError)]
    assert {c.exit_code for c in classes} | {0, 2, 70, 130, errors.Terminated.exit_code} == codes
    assert {int(c) for c in re.findall(r"(\d+) [a-z]", EXIT_CODES_HELP)} == codes


def test_shell_completion_section_uses_the_real_variable():
    text = _section("Shell completion", COMMANDS_PAGE)
    assert "_MEALPLAN_COMPLETE=bash_source mealplan" in text
    env = {"_MEALPLAN_COMPLETE": "bash_source"}
    result = CliRunner().invoke(cli, [], prog_name="mealplan", env=env, complete_var="_MEALPLAN_COMPLETE")
    assert result.exit_code == 0 and "_mealplan_completion" in result.stdout
