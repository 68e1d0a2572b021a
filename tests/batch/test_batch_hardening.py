"""Batch hardening (issue #15): nothing lost, no orphaned workers, no hang.

- A profile id ``summary`` would have its plan overwritten by ``summary.json``: it fails, with the reason.
- An input inside ``-o`` that the batch would overwrite (a profile, the batch CSV): refused, exit 2.
- A folder that cannot be written: refused before any profile is planned.
- SIGTERM is handled like Ctrl-C (summary written, workers stopped, exit 143); killing only the main
  process (SIGKILL) leaves no worker, fork server or resource tracker behind.
- A ``--scheduler`` that is not Dask (an HTTP server; a port that accepts and stays silent) is reported
  within the connection timeout, exit 2.
- ``--time-limit nan`` / ``inf`` is a usage error up front, for every command that has it.
"""

from __future__ import annotations

import http.server
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from mealplan import batch as b
from mealplan.cli.main import cli
from mealplan.errors import InputError
from tests.batch.test_batch import job, run, statuses
from tests.optimizer.test_properties import write_tiny_csv

ROOT = Path(__file__).resolve().parents[2]


def _env() -> dict[str, str]:
    return {**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(ROOT)}


def _profiles(folder: Path, n: int) -> Path:
    folder.mkdir()
    for i in range(n):
        (folder / f"p{i:02d}.yaml").write_text(f"id: p{i:02d}\nage: {25 + 5 * i}\nsex: female\n", encoding="utf-8")
    return folder


# --- reserved names and inputs inside -o ------------------------------------------------------------------


@pytest.mark.solve
def test_a_profile_whose_id_is_summary_fails_and_the_summary_stays_a_summary(tmp_path: Path):
    summary = run([job("anna"), job("summary"), job("Summary")], tmp_path)
    assert statuses(summary) == {"anna": "ok", "summary": "failed", "Summary": "failed"}
    (reason,) = {r.reason for r in summary.results if r.id == "summary"}
    assert reason == (
        "test:summary: id 'summary' is reserved: summary.json would be overwritten by the batch summary "
        "(summary.json, summary.csv); give the profile another id"
    )
    assert "counts" in json.loads((tmp_path / "summary.json").read_text(encoding="utf-8"))
    assert not (tmp_path / "summary.fingerprint").exists()
    again = run([job("anna"), job("summary")], tmp_path, resume=True)
    assert statuses(again) == {"anna": "skipped", "summary": "failed"}


def test_a_profile_file_inside_the_output_folder_is_never_overwritten(tmp_path: Path):
    profile = tmp_path / "anna.json"
    text = '{"id": "anna", "age": 34, "sex": "female"}'
    profile.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["batch", str(profile), "-o", str(tmp_path)])
    assert result.exit_code == 2, result.output
    assert result.output == (
        f"Error: -o {tmp_path}: the batch would overwrite its input {profile} with the plan of profile 'anna'; "
        "write the plans to another folder\n"
    )
    assert profile.read_text(encoding="utf-8") == text
    assert sorted(p.name for p in tmp_path.iterdir()) == ["anna.json"]


def test_a_batch_csv_named_summary_inside_the_output_folder_is_never_overwritten(tmp_path: Path):
    source = tmp_path / "summary.csv"
    text = "id,age,sex\nanna,34,female\n"
    source.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["batch", str(source), "-o", str(tmp_path)])
    assert result.exit_code == 2, result.output
    assert f"would overwrite its input {source} with the batch summary" in result.output
    assert source.read_text(encoding="utf-8") == text


def test_a_price_table_inside_the_output_folder_is_never_overwritten(tmp_path: Path):
    prices = tmp_path / "summary.csv"
    prices.write_text("id,price\n09040,0.3\n", encoding="utf-8")
    jobs = [job("anna", prices=str(prices))]
    with pytest.raises(InputError, match=f"would overwrite its input {prices} with the batch summary"):
        run(jobs, tmp_path)


@pytest.mark.solve
def test_an_input_beside_the_plans_that_is_not_overwritten_is_fine(tmp_path: Path):
    source = tmp_path / "clinic.csv"
    source.write_text("id,age,sex\nanna,34,female\n", encoding="utf-8")
    summary = run(b.load_jobs(source), tmp_path, inputs=[source])
    assert statuses(summary) == {"anna": "ok"}


def test_a_read_only_output_folder_is_refused_before_any_planning(tmp_path: Path, monkeypatch):
    out = tmp_path / "plans"
    out.mkdir()
    out.chmod(0o555)
    if os.geteuid() == 0:
        # Root writes into a 0555 folder, and the interpreter lives where an unprivileged user cannot
        # run it: make creating a file there fail the way it does for everyone else.
        import mealplan.batch.outputs as outputs

        def denied(*args, **kwargs):
            raise PermissionError(13, "Permission denied")

        monkeypatch.setattr(outputs.tempfile, "mkstemp", denied)

    def no_pool():
        raise AssertionError("a worker pool was started before the folder was checked")

    try:
        with pytest.raises(InputError) as info:
            b.run_batch([job("anna")], out, no_pool)
    finally:
        out.chmod(0o755)
    assert str(info.value) == (
        f"-o {out}: cannot write in the output folder (Permission denied); give a folder you can write to"
    )
    assert list(out.iterdir()) == []


# --- signals: SIGTERM like Ctrl-C, and no orphans when only the main process dies -------------------------


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="utf-8") as fh:
                ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        tree.setdefault(ppid, []).append(int(entry))
    return tree


def _descendants(pid: int) -> set[int]:
    tree, found, todo = _children(), set(), [pid]
    while todo:
        for child in tree.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def _alive(pids: set[int]) -> set[int]:
    alive = set()
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat", encoding="utf-8") as fh:
                if fh.read().rsplit(")", 1)[1].split()[0] != "Z":
                    alive.add(pid)
        except OSError:
            pass
    return alive


def _start_batch(tmp_path: Path, n: int = 6) -> tuple[subprocess.Popen, Path, set[int]]:
    """A real ``mealplan batch`` on the tiny table, one worker; returns once a plan is written."""
    src = _profiles(tmp_path / "profiles", n)
    foods = write_tiny_csv(tmp_path / "tiny.csv")
    out = tmp_path / "plans"
    cmd = [sys.executable, "-m", "mealplan.cli.main", "batch", str(src), "-o", str(out), "--foods", str(foods)]
    cmd += ["--no-bundled", "--jobs", "1", "--time-limit", "10"]
    # Standard error goes to a file: orphaned workers would hold a pipe open and hang the test.
    with open(tmp_path / "stderr.txt", "wb") as err:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=_env(), stdout=subprocess.DEVNULL, stderr=err)
    deadline = time.monotonic() + 180
    while not list(out.glob(f"p*{b.FINGERPRINT_SUFFIX}")):
        assert proc.poll() is None, (tmp_path / "stderr.txt").read_text(encoding="utf-8")
        assert time.monotonic() < deadline, "no plan appeared in time"
        time.sleep(0.02)
    family = _descendants(proc.pid)
    assert family, "the batch runs its workers in child processes"
    return proc, out, family


def _wait_gone(pids: set[int], seconds: float) -> set[int]:
    deadline = time.monotonic() + seconds
    while _alive(pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    return _alive(pids)


@pytest.mark.solve
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_sigterm_writes_the_summary_and_stops_the_workers(tmp_path: Path):
    proc, out, family = _start_batch(tmp_path)
    try:
        proc.send_signal(signal.SIGTERM)  # the main process only, as a service manager or `kill` does
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    stderr = (tmp_path / "stderr.txt").read_text(encoding="utf-8")
    left = _wait_gone(family, 10)
    assert proc.returncode == 143, stderr
    assert stderr.endswith("Terminated.\n"), stderr
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["interrupted"] is True
    assert summary["counts"]["ok"] >= 1 and summary["counts"]["not_run"] >= 1
    assert not left, "workers left behind after SIGTERM"


@pytest.mark.solve
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_killing_only_the_main_process_leaves_no_worker_behind(tmp_path: Path):
    proc, _, family = _start_batch(tmp_path)
    proc.kill()  # SIGKILL to the main process alone: no handler runs
    proc.wait(timeout=30)
    started = time.monotonic()
    left = _wait_gone(family, 10)
    assert not left, f"{len(left)} processes of the batch still alive 10 s after the main process was killed"
    assert time.monotonic() - started < 10


# --- a --scheduler that is not Dask -----------------------------------------------------------------------


class _Http(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"hello")

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def http_port():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Http)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


@pytest.fixture
def silent_port():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
                held.append(conn)  # accept and never say a word
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join(2)
    for conn in held:
        conn.close()
    listener.close()


@pytest.mark.parametrize("server", ["http_port", "silent_port"])
def test_a_scheduler_that_is_not_dask_is_reported_within_the_timeout(server: str, request):
    pytest.importorskip("distributed", reason="dask.distributed is not installed")
    port = request.getfixturevalue(server)
    address = f"tcp://127.0.0.1:{port}"
    started = time.monotonic()
    with pytest.raises(InputError) as info:
        with b.dask_executor(address, timeout=2):
            pass
    assert time.monotonic() - started < 10
    message = str(info.value)
    assert message.startswith(f"scheduler {address}: ")
    assert message.endswith("give the address of a Dask scheduler as tcp://host:8786 and check that it is running")


# --- non-finite numbers in options ------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "NaN", "1e400"])
@pytest.mark.parametrize(
    "command",
    [
        ["batch", "{src}", "-o", "{out}", "--time-limit"],
        ["plan", "--profile", "{profile}", "--time-limit"],
        ["plan", "--profile", "{profile}", "--gap"],
        ["replan", "{plan}", "--day", "1", "--time-limit"],
        ["verify", "{plan}", "--tolerance"],
    ],
)
def test_nan_and_inf_are_refused_in_every_number_option(tmp_path: Path, command: list[str], value: str):
    profile = tmp_path / "p.yaml"
    profile.write_text("id: anna\nage: 34\nsex: female\n", encoding="utf-8")
    plan = tmp_path / "plan.json"
    plan.write_text("{}", encoding="utf-8")
    args = [a.format(src=profile, out=tmp_path / "out", profile=profile, plan=plan) for a in command] + [value]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2, result.output
    assert f"Invalid value for '{command[-1]}': {value!r} is not a finite number; give a number" in result.output
    assert not (tmp_path / "out").exists()
