"""The docs run: every example session in ``docs/`` runs, every doctest passes, every page is reachable.

- A fenced block marked ``console`` is a session: its ``$ mealplan ...`` lines run in order (Click's
  test runner) in a fresh folder holding a copy of ``examples/`` and a workbench database of its own;
  each must exit 0, or the code a ``# exit N`` comment on its line names. Other lines are output,
  shown for people and not compared.
- A fenced ``python`` block with ``>>>`` lines runs as a doctest, from the repository's root.
- A block whose commands or code solve a plan is marked ``solve`` (the fast tier leaves it out).
- Every page is in the site's navigation (``mkdocs.yml``) and linked from the README.

Other ``mealplan ...`` lines in the docs (plain blocks, illustrations with files a reader would have)
are parsed, not run: ``tests/cli/test_readme.py``.
"""

from __future__ import annotations

import doctest
import re
import shlex
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from mealplan.cli.main import cli

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
PAGES = sorted(DOCS.glob("*.md"))
# Commands and Python names that solve a plan: their blocks are marked `solve`.
SOLVING_COMMANDS = {"plan", "replan", "batch", "basket", "serve"}
SOLVING_NAMES = re.compile(r"\b(plan_day|plan_week|make_plan|run_batch|solve_basket)\(")
_FENCE = re.compile(r"^```([a-z]*)[^\n]*\n(.*?)^```", re.S | re.M)
_EXIT = re.compile(r"#\s*exit (\d+)")


def _blocks(kind: str) -> list[tuple[str, int, str]]:
    """``(page, line, text)`` of every fenced block of ``kind`` in the docs."""
    out = []
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        for match in _FENCE.finditer(text):
            if match.group(1) == kind:
                out.append((page.name, text.count("\n", 0, match.start()) + 1, match.group(2)))
    return out


def _commands(block: str) -> list[tuple[list[str], int]]:
    """The ``$`` lines of a console block: (arguments after ``mealplan``, expected exit code)."""
    out = []
    for line in block.splitlines():
        if not line.startswith("$ "):
            continue
        words = shlex.split(line[2:], comments=True)
        assert words and words[0] == "mealplan", f"a console block runs mealplan only: {line!r}"
        expected = _EXIT.search(line)
        out.append((words[1:], int(expected.group(1)) if expected else 0))
    return out


def _param(page: str, line: int, block: str, solves: bool):
    marks = [pytest.mark.solve] if solves else []
    return pytest.param(block, id=f"{page}:{line}", marks=marks)


CONSOLE = [
    _param(p, n, b, any(args and args[0] in SOLVING_COMMANDS for args, _ in _commands(b)))
    for p, n, b in _blocks("console")
]
DOCTESTS = [_param(p, n, b, bool(SOLVING_NAMES.search(b))) for p, n, b in _blocks("python") if ">>>" in b]


def test_the_docs_have_examples_to_run():
    assert len(CONSOLE) >= 3 and len(DOCTESTS) >= 2
    assert any(not p.marks for p in CONSOLE), "a session that solves nothing runs in the fast tier"


@pytest.mark.parametrize("block", CONSOLE)
def test_console_session_runs(block, tmp_path, monkeypatch):
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    for args, expected in _commands(block):
        result = runner.invoke(cli, args, env={"MEALPLAN_DB": str(tmp_path / "mealplan.db")})
        shown = f"$ mealplan {shlex.join(args)}\n{result.output}"
        assert result.exit_code == expected, shown
        assert "Traceback" not in result.output, shown


@pytest.mark.parametrize("block", DOCTESTS)
def test_python_examples_run(block, monkeypatch):
    monkeypatch.chdir(ROOT)
    test = doctest.DocTestParser().get_doctest(block, {}, "docs", None, 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    failures: list[str] = []
    runner.run(test, out=failures.append)
    assert runner.failures == 0, "".join(failures)


def test_every_page_is_in_the_navigation_and_linked_from_the_readme():
    site = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    listed = [next(iter(entry.values())) for entry in site["nav"]]
    assert site["docs_dir"] == "docs" and site["strict"] is True
    assert sorted(listed) == sorted(p.name for p in PAGES), "every page in docs/ is in mkdocs.yml's nav, once"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    linked = set(re.findall(r"\]\(docs/([a-z0-9-]+\.md)[)#]", readme))
    assert linked == {p.name for p in PAGES if p.name != "index.md"}, "the README links every page"
    assert len(readme.splitlines()) < 300, "the README stays a landing page"
