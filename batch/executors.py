"""Executors for a batch: a local process pool whose workers die with the batch, a Dask cluster reached
with a bounded handshake, stopping either, and SIGTERM handled like Ctrl-C."""

from __future__ import annotations

import functools
import logging
import multiprocessing
import multiprocessing.context
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any, cast

from mealplan.batch.models import ExecutorFactory
from mealplan.errors import InputError, Terminated

log = logging.getLogger(__name__)

# How often a worker checks that the batch's main process is still there.
PARENT_CHECK_SECONDS = 0.5


# --- process pool ------------------------------------------------------------------------------------


def local_cores() -> int:
    """The cores this process may run on (its CPU affinity where the system tells, else all of them)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def process_pool_factory(workers: int | None = None) -> ExecutorFactory:
    """A factory of local process pools with ``workers`` processes (default, and at most: the cores).

    A process per profile beyond the cores only adds memory (each worker holds the food table) and
    makes every solve slower. Workers are started by ``forkserver`` where available (else ``spawn``):
    forking the driver, which runs threads (progress display, pool management), could deadlock a child.
    Starting a worker is retried (:class:`_RetryStart`): on a busy machine the fork server can be
    gone or refuse the connection for a moment, which is no reason to fail a batch.
    """
    cores = local_cores()
    n = min(workers or cores, cores)
    if workers is not None and workers > cores:
        log.warning("%d workers asked for, but this machine has %d cores: using %d", workers, cores, cores)
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"

    def factory() -> Executor:
        ctx = multiprocessing.get_context(method)
        if method == "forkserver":
            # Import the planner once in the fork server; each worker then starts without re-importing
            # pandas and pulp (the setting only takes effect before the server first starts).
            ctx.set_forkserver_preload(["mealplan.batch.run", "mealplan.optimizer.planner"])
        return ProcessPoolExecutor(
            max_workers=n,
            mp_context=cast(multiprocessing.context.BaseContext, _RetryContext(ctx)),  # a context by duck typing
            initializer=watch_parent,
            initargs=(os.getpid(),),
        )

    return factory


# Starting a worker process: attempts, and the pause before the first retry (doubled each time).
START_ATTEMPTS = 6
START_RETRY_SECONDS = 0.1


class _RetryStart:
    """A process whose ``start`` is retried when the fork server cannot be reached.

    ``forkserver`` starts each worker by connecting to the fork server's socket. When the server has just
    ended (or ends while a busy machine delays the connection), the connection is refused or the socket is
    gone; the next attempt finds the server dead and starts a new one (``multiprocessing``'s own
    ``ensure_running``). A start that fails before the process exists can be repeated.
    """

    def start(self) -> None:
        delay = START_RETRY_SECONDS
        for attempt in range(START_ATTEMPTS):
            try:
                super().start()  # type: ignore[misc]
                return
            except (ConnectionError, FileNotFoundError, EOFError) as exc:
                if attempt == START_ATTEMPTS - 1:
                    raise
                log.info("starting a worker process failed (%s); trying again in %.1f s", exc, delay)
                time.sleep(delay)
                delay *= 2


# ForkServerProcess exists where fork servers do (not on Windows, where spawn is used).
_ForkServerBase: Any = getattr(multiprocessing.context, "ForkServerProcess", multiprocessing.context.SpawnProcess)


class _ForkServerProcess(_RetryStart, _ForkServerBase):
    pass


class _SpawnProcess(_RetryStart, multiprocessing.context.SpawnProcess):
    pass


class _RetryContext:
    """A multiprocessing context whose processes retry their start (:class:`_RetryStart`); else as ``ctx``."""

    def __init__(self, ctx: Any) -> None:
        self._ctx = ctx
        self.Process = _ForkServerProcess if ctx.get_start_method() == "forkserver" else _SpawnProcess

    def __getattr__(self, name: str) -> Any:
        return getattr(self._ctx, name)


def watch_parent(driver_pid: int) -> None:
    """Worker initializer: the worker ends when the batch's main process is gone.

    Killing only the main process (SIGKILL, or a crash) would otherwise leave the workers solving, and
    the fork server and resource tracker waiting for them, for as long as a solve takes. On Linux the
    kernel sends SIGKILL when the worker's parent (the fork server, which exits when the main process
    does) dies; everywhere, a thread checks every :data:`PARENT_CHECK_SECONDS` that the main process
    and the worker's parent are still there, and ends the worker at once when either is not.
    """
    parent = os.getppid()
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL))  # 1: PR_SET_PDEATHSIG
        except (OSError, AttributeError):  # no libc symbol: the thread below still watches
            pass

    def gone() -> bool:
        if os.getppid() != parent:
            return True
        try:
            os.kill(driver_pid, 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            return False
        return False

    def watch() -> None:
        while not gone():
            time.sleep(PARENT_CHECK_SECONDS)
        os._exit(1)

    if not gone():
        threading.Thread(target=watch, name="mealplan-parent-watch", daemon=True).start()
    else:
        os._exit(1)


@contextmanager
def dask_executor(address: str, timeout: float = 10.0) -> Iterator[tuple[ExecutorFactory, int]]:
    """Connect to a Dask scheduler; yields an executor factory and the cluster's thread count.

    Needs the optional extra: ``pip install "mealplan[distributed]"``. Workers need mealplan installed.

    Raises:
        InputError: dask.distributed is not installed, or the scheduler cannot be reached.
    """
    try:
        from distributed import Client
    except ImportError:
        raise InputError(
            f'--scheduler {address}: Dask is not installed; install it with: pip install "mealplan[distributed]"'
        ) from None
    client = _connect(Client, address, timeout)
    try:
        threads = sum(client.nthreads().values()) or 1
        # pure=False: every submission runs, even one equal to an earlier (failed) one.
        yield functools.partial(client.get_executor, pure=False), threads
    finally:
        client.close()


def _connect(client_cls: Any, address: str, timeout: float) -> Any:
    """``client_cls(address)`` with the whole handshake bounded by ``timeout`` seconds.

    Dask's own timeout covers opening the connection, not the handshake after it: a port that accepts
    and stays silent would hang for many minutes, and one that answers in another protocol (HTTP) is
    read as a message length of exabytes (MemoryError). Connecting runs in a daemon thread; after
    ``timeout`` (plus a little for Dask's own error to arrive first) the address is reported, and a
    client that connects later is closed.
    """
    hint = "give the address of a Dask scheduler as tcp://host:8786 and check that it is running"
    box: dict[str, Any] = {}
    abandoned = threading.Event()

    def connect() -> None:
        try:
            client = client_cls(address, timeout=timeout)
        except BaseException as exc:  # noqa: BLE001 - reported below, in the caller's thread
            box["error"] = exc
            return
        if abandoned.is_set():
            client.close()
        else:
            box["client"] = client

    thread = threading.Thread(target=connect, name="mealplan-dask-connect", daemon=True)
    thread.start()
    thread.join(timeout + 2.0)
    if thread.is_alive():
        abandoned.set()
        raise InputError(
            f"scheduler {address}: no Dask scheduler answered within {timeout:g} s (is it another kind of "
            f"service?); {hint}"
        )
    if "client" in box:
        return box["client"]
    exc = box.get("error")
    if isinstance(exc, KeyboardInterrupt):
        raise exc
    if isinstance(exc, MemoryError | EOFError | OSError | TimeoutError | ValueError | TypeError):
        detail = "it answered, but not as Dask does" if isinstance(exc, MemoryError | EOFError) else str(exc)
        raise InputError(f"scheduler {address}: cannot connect to the Dask scheduler ({detail}); {hint}") from None
    raise InputError(
        f"scheduler {address}: cannot connect to the Dask scheduler ({type(exc).__name__}: {exc}); {hint}"
    ) from None


@contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """While the batch runs, SIGTERM raises :class:`~mealplan.errors.Terminated` (a KeyboardInterrupt), so
    it is handled like Ctrl-C: workers stopped, the summary written with unfinished profiles ``not_run``."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: Any) -> None:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a second SIGTERM must not cut the summary short
        raise Terminated("terminated (SIGTERM)")

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def shutdown_executor(executor: Executor, cancel: bool) -> None:
    if cancel:
        # On an interrupt, stop local workers now rather than wait for their solves to finish
        # (a ProcessPoolExecutor's exit handler would join them).
        for proc in list((getattr(executor, "_processes", None) or {}).values()):
            proc.terminate()
    try:
        executor.shutdown(wait=not cancel, cancel_futures=cancel)
    except TypeError:  # executors without cancel_futures (dask's ClientExecutor)
        executor.shutdown(wait=not cancel)
