"""Output integrity: atomic writes, two batches writing into one folder, a batch killed mid-run.

Readers must only ever see complete files: a plan file is either absent or a whole, parseable Plan
whose fingerprint (when it has one that matches) belongs to exactly that file. The batch tests run
the real ``mealplan batch`` command in subprocesses with the real planner on the tiny food table.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from mealplan import batch
from mealplan.fileio import TEMP_SUFFIX, write_atomic
from mealplan.plan import Plan
from tests.optimizer.test_properties import write_tiny_csv

ROOT = Path(__file__).resolve().parents[2]
PROFILE_IDS = [f"p{i:02d}" for i in range(8)]


# --- atomic writes ----------------------------------------------------------------------------------


def test_concurrent_writers_and_a_reader_only_ever_see_whole_files(tmp_path: Path):
    target = tmp_path / "plan.json"
    payloads = [json.dumps({"writer": w, "fill": str(w) * 300_000}) for w in range(6)]
    write_atomic(target, payloads[0])
    stop = threading.Event()
    seen: list[str] = []
    bad: list[str] = []

    def reader() -> None:
        while not stop.is_set():
            text = target.read_text(encoding="utf-8")
            (seen if text in payloads else bad).append(text[:40])

    def writer(w: int) -> None:
        for _ in range(15):
            write_atomic(target, payloads[w])

    r = threading.Thread(target=reader)
    r.start()
    writers = [threading.Thread(target=writer, args=(w,)) for w in range(6)]
    for t in writers:
        t.start()
    for t in writers:
        t.join()
    stop.set()
    r.join()
    assert not bad, f"{len(bad)} partial reads"
    assert len(seen) > 0
    assert target.read_text(encoding="utf-8") in payloads
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.json"]


@pytest.mark.parametrize("fails_at", ["write", "fsync", "replace"])
def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path: Path, monkeypatch, fails_at: str):
    import mealplan.fileio as atomic

    target = tmp_path / "plan.json"
    target.write_text("old\n", encoding="utf-8")

    def boom(*args, **kwargs):
        raise OSError(28, "No space left on device")

    if fails_at == "write":
        real = os.fdopen

        class Half:
            def __init__(self, fh):
                self.fh = fh

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                self.fh.close()

            def write(self, data):
                self.fh.write(data[:10])
                boom()

        monkeypatch.setattr(atomic.os, "fdopen", lambda fd, mode: Half(real(fd, mode)))
    else:
        monkeypatch.setattr(atomic.os, fails_at, boom)
    with pytest.raises(OSError):
        write_atomic(target, "new content " * 1000)
    assert target.read_text(encoding="utf-8") == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.json"]


def test_written_files_get_normal_permissions(tmp_path: Path):
    mask = os.umask(0o022)
    os.umask(mask)
    write_atomic(tmp_path / "a.json", "{}")
    assert (tmp_path / "a.json").stat().st_mode & 0o777 == 0o666 & ~mask


# --- batch runs in subprocesses -----------------------------------------------------------------------


def _profiles(folder: Path, ids: list[str]) -> Path:
    folder.mkdir()
    for i, pid in enumerate(ids):
        diet = ("omnivore", "vegetarian", "vegan", "pescatarian")[i % 4]
        (folder / f"{pid}.yaml").write_text(
            f"id: {pid}\nage: {25 + 5 * i}\nsex: {'female' if i % 2 else 'male'}\ndiet: {diet}\n", encoding="utf-8"
        )
    return folder


def _batch_cmd(src: Path, out: Path, foods: Path, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "mealplan.cli.main",
        "batch",
        str(src),
        "-o",
        str(out),
        "--foods",
        str(foods),
        "--no-bundled",
        "--jobs",
        "1",
        "--time-limit",
        "10",
        *extra,
    ]


def _env() -> dict[str, str]:
    return {**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(ROOT)}


def _check_folder(out: Path) -> dict[str, Plan]:
    """Every visible file is complete: plans parse as Plans of their id, fingerprints and summaries parse.
    Returns the plans whose fingerprint matches their file."""
    matched: dict[str, Plan] = {}
    for path in sorted(out.iterdir()):
        if path.name.startswith("."):
            assert path.name.endswith(TEMP_SUFFIX), path.name  # only an interrupted write's temporary
            continue
        if path.name == "summary.json":
            json.loads(path.read_text(encoding="utf-8"))
        elif path.name == "summary.csv":
            assert path.read_text(encoding="utf-8").startswith("id,")
        elif path.suffix == ".json":
            plan = Plan.model_validate_json(path.read_bytes())  # a whole plan, or this raises
            assert plan.profile_id == path.stem
            fp = path.with_suffix(batch.FINGERPRINT_SUFFIX)
            if fp.exists():
                meta = json.loads(fp.read_text(encoding="utf-8"))
                if meta["plan_sha256"] == hashlib.sha256(path.read_bytes()).hexdigest():
                    matched[plan.profile_id] = plan
        else:
            assert path.suffix == batch.FINGERPRINT_SUFFIX, path.name
            json.loads(path.read_text(encoding="utf-8"))
    return matched


@pytest.mark.solve
def test_two_batches_into_one_folder_leave_only_complete_files(tmp_path: Path):
    src = _profiles(tmp_path / "profiles", PROFILE_IDS[:5])
    foods = write_tiny_csv(tmp_path / "tiny.csv")
    out = tmp_path / "plans"
    procs = [
        subprocess.Popen(
            _batch_cmd(src, out, foods, "--format", "json"),
            cwd=ROOT,
            env=_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=240) for p in procs]
    for p, (stdout, stderr) in zip(procs, outputs, strict=True):
        assert p.returncode == 0, stderr
        assert json.loads(stdout)["counts"]["ok"] == 5
    _check_folder(out)
    assert sorted(p.stem for p in out.glob("p*.json")) == PROFILE_IDS[:5]
    assert not list(out.glob(f".*{TEMP_SUFFIX}"))
    # A resumed run pairs every plan with its fingerprint again (re-planning any pair the race split).
    again = subprocess.run(
        _batch_cmd(src, out, foods, "--resume"), cwd=ROOT, env=_env(), capture_output=True, text=True, timeout=240
    )
    assert again.returncode == 0, again.stderr
    assert set(_check_folder(out)) == set(PROFILE_IDS[:5])


@pytest.mark.solve
def test_a_killed_batch_leaves_only_complete_files_and_resume_finishes_it(tmp_path: Path):
    src = _profiles(tmp_path / "profiles", PROFILE_IDS)
    foods = write_tiny_csv(tmp_path / "tiny.csv")
    out = tmp_path / "plans"
    # Its own session, so the kill reaches the driver, the fork server and the worker together.
    proc = subprocess.Popen(
        _batch_cmd(src, out, foods),
        cwd=ROOT,
        env=_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    deadline = time.monotonic() + 180
    try:
        # After the first plan appears, and its fingerprint (written just after it), kill everything.
        while not list(out.glob("p*.json")) or not list(out.glob(f"p*{batch.FINGERPRINT_SUFFIX}")):
            assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
            assert time.monotonic() < deadline, "no plan appeared in time"
            time.sleep(0.02)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        if proc.stderr:
            proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL
    done_before = _check_folder(out)
    assert 1 <= len(done_before) < len(PROFILE_IDS)
    assert not (out / "summary.json").exists()  # the killed run never got to its summary

    resumed = subprocess.run(
        _batch_cmd(src, out, foods, "--resume", "--format", "json"),
        cwd=ROOT,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert resumed.returncode == 0, resumed.stderr
    counts = json.loads(resumed.stdout)["counts"]
    assert counts["skipped"] == len(done_before) and counts["ok"] == len(PROFILE_IDS) - len(done_before)
    assert set(_check_folder(out)) == set(PROFILE_IDS)
