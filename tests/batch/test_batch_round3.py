"""Batch hardening, round three (issue #28): every row of a batch accounted for, ids that cannot clash or
escape the output folder, ``--jobs`` capped at the cores, and worker start-up that survives a busy machine.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mealplan import batch as b
from mealplan.fileio import parse_csv_table
from tests.batch.test_batch import job, run, statuses


def _clinic_csv(path: Path, n: int = 40, broken_row: int | None = None) -> Path:
    rows = ["id,age,sex,diet"]
    for i in range(2, n + 2):  # spreadsheet rows 2 .. n+1
        diet = '"vegan' if i == broken_row else "vegan"
        rows.append(f"p{i:02d},{20 + i},female,{diet}")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


# --- one CSV reader: a stray quote fails its own row, never the rows after it ---------------------------


def test_a_stray_quote_in_row_11_of_40_fails_that_row_and_keeps_the_other_39(tmp_path: Path):
    jobs = b.load_jobs(_clinic_csv(tmp_path / "clients.csv", broken_row=11))
    assert len(jobs) == 40
    failed = [j for j in jobs if j.profile is None]
    assert [j.id for j in failed] == ["(row 11)"]
    assert failed[0].error.startswith(f"{tmp_path / 'clients.csv'}: row 11, column 'diet': 'vegan\\np12,32,female")
    assert failed[0].error.endswith(
        ' runs over several lines: a stray double quote (") opens a quoted cell; remove the quote, or write it as '
        'two ("") inside a quoted cell'
    )
    assert [j.id for j in jobs if j.profile is not None] == [f"p{i:02d}" for i in range(2, 42) if i != 11]


@pytest.mark.solve
def test_every_row_of_a_broken_csv_is_in_the_summary(tmp_path: Path):
    jobs = b.load_jobs(_clinic_csv(tmp_path / "clients.csv", broken_row=11))
    summary = run(jobs, tmp_path / "out")
    assert len(summary.results) == 40
    assert summary.counts["ok"] == 39 and summary.counts["failed"] == 1
    saved = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert len(saved["profiles"]) == 40
    assert "row 11, column 'diet'" in (tmp_path / "out" / "summary.csv").read_text()


def test_a_quote_that_closes_rows_later_still_reads_the_rows_between(tmp_path: Path):
    path = tmp_path / "c.csv"
    path.write_text('id,age,sex\na,30,"female\nb,31,female\nc,32,fe"male\nd,33,female\n', encoding="utf-8")
    jobs = b.load_jobs(path)
    assert [(j.id, j.profile is not None) for j in jobs] == [
        ("(row 2)", False),
        ("b", True),
        ("c", False),  # its own id: the quote in 'fe"male' is part of an unquoted cell
        ("d", True),
    ]


def test_the_csv_reader_numbers_every_line_as_a_spreadsheet_does():
    table = parse_csv_table('a,b\r\n1,2\r\n\r\n3,"x\r\n4,5\r\n')
    assert table.header == ["a", "b"]
    assert [(r.row, r.cells) for r in table.rows] == [(2, ["1", "2"]), (5, ["4", "5"])]
    assert [(x.row, x.column) for x in table.broken] == [(4, "b")]


# --- fallback ids ------------------------------------------------------------------------------------------


@pytest.mark.solve
def test_a_broken_lines_name_never_clashes_with_a_real_profile_id(tmp_path: Path):
    path = tmp_path / "p.jsonl"
    lines = ['{"id": "x", "age": 30,', json.dumps({"id": "line1", "age": 30, "sex": "female"})]
    lines.append(json.dumps({"id": "row1", "age": 30, "sex": "female"}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    jobs = b.load_jobs(path)
    assert [j.id for j in jobs] == ["(line 1)", "line1", "row1"]
    summary = run(jobs, tmp_path / "out")
    assert statuses(summary) == {"(line 1)": "failed", "line1": "ok", "row1": "ok"}


def test_a_json_line_may_hold_a_line_separator_inside_a_string(tmp_path: Path):
    path = tmp_path / "p.jsonl"
    path.write_text(
        json.dumps({"id": "a", "age": 30, "sex": "female", "name": "Ann\u2028Lee"}, ensure_ascii=False) + "\n"
    )
    jobs = b.load_jobs(path)
    assert [(j.id, j.profile is not None) for j in jobs] == [("a", True)]


# --- ids that would name files outside the output folder -----------------------------------------------------


@pytest.mark.solve
@pytest.mark.parametrize("bad", ["../evil", "../../evil", "/etc/x", "a/b", ".hidden", "", "x" * 65])
def test_a_job_whose_id_is_a_path_fails_and_writes_nothing_outside(tmp_path: Path, bad: str):
    good = job("a")
    evil = good.model_copy(update={"id": bad})
    out = tmp_path / "deep" / "out"
    summary = run([good, evil], out, workers=1)
    assert [r.status for r in summary.results] == ["ok", "failed"]
    assert "cannot name a file" in summary.results[1].reason
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file() and out not in p.parents) == []


# --- --jobs and starting workers on a busy machine ---------------------------------------------------------


def test_a_local_pool_never_has_more_workers_than_cores():
    from mealplan.batch.executors import local_cores, process_pool_factory, shutdown_executor

    pool = process_pool_factory(100_000)()
    try:
        assert pool._max_workers == local_cores()
    finally:
        shutdown_executor(pool, cancel=True)


def test_jobs_beyond_the_cores_is_capped_and_said(tmp_path: Path):
    from click.testing import CliRunner

    from mealplan.batch.executors import local_cores
    from mealplan.cli.main import cli

    src = tmp_path / "in"
    src.mkdir()
    (src / "broken.yaml").write_text("id: x\nage: [\n", encoding="utf-8")  # fails at once: no solve needed
    result = CliRunner().invoke(cli, ["batch", str(src), "-o", str(tmp_path / "out"), "--jobs", "100000"])
    assert result.exit_code == 1, result.output
    cores = local_cores()
    assert f"--jobs 100000: this machine has {cores} cores; planning {cores} profiles at once" in result.output


@pytest.mark.solve
def test_a_fork_server_that_refuses_the_connection_is_tried_again(tmp_path: Path, monkeypatch):
    """On a busy machine the fork server may be gone or refuse for a moment: the worker start is retried."""
    import multiprocessing.forkserver as forkserver

    from mealplan.batch import executors

    real = forkserver.connect_to_new_process
    calls = {"n": 0}

    def flaky(fds):
        calls["n"] += 1
        if calls["n"] <= 2:
            raise ConnectionRefusedError(111, "Connection refused")
        return real(fds)

    monkeypatch.setattr(forkserver, "connect_to_new_process", flaky)
    monkeypatch.setattr(executors, "START_RETRY_SECONDS", 0.01)
    summary = run([job("a"), job("b")], tmp_path, workers=1)
    assert statuses(summary) == {"a": "ok", "b": "ok"}
    assert calls["n"] >= 3
