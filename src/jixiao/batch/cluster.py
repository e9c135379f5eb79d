"""Run a batch on a Dask cluster, each document in a bounded child process of its worker.

The built-in pool bounds a document by ``RLIMIT_AS`` set in each worker process and a ``SIGALRM``
timer, which only the main thread of a process can receive. A Dask worker runs tasks in threads
of a daemonic process (which may not start ``multiprocessing`` children), so here each worker
thread drives one long-lived *child* started with :mod:`subprocess`: the child caps its own
address space, imports the pipeline and readers once and processes the documents one by one in its main
thread under :func:`jixiao.batch.run.process_with_timeout`, exactly as a pool worker does. The
thread waits for each answer at most the timeout plus a grace period, and kills the child
otherwise (a document stuck inside C code, where no signal can reach it); a child that dies or is
killed gives a failed row for the document it held and is started afresh for the next one.

:func:`process_chunk_isolated` is that unit (any ``concurrent.futures.Executor`` may run it:
``run_batch(..., isolate=True)``); :func:`dask_executor` opens the executor for
``--executor dask://HOST:PORT`` (a running scheduler) or ``--executor dask-local`` (a
``distributed.LocalCluster`` started and closed here). Dask is imported only there: it is the
optional extra ``jixiao[cluster]``.
"""

from __future__ import annotations

import atexit
import importlib
import logging
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import Executor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from jixiao.batch.rows import failed_row
from jixiao.batch.run import MEMORY_LIMIT_BYTES, limit_memory, process_with_timeout
from jixiao.ingest.limits import DEFAULT_TIMEOUT_SECONDS

__all__ = [
    "CONNECT_TIMEOUT",
    "DASK_LOCAL",
    "DASK_PREFIX",
    "MEMORY_LIMIT_BYTES",
    "ClusterError",
    "DaskExecutor",
    "dask_executor",
    "process_chunk_isolated",
    "scheduler_address",
    "serve",
]

DASK_LOCAL = "dask-local"
DASK_PREFIX = "dask://"
CONNECT_TIMEOUT = 10.0  # seconds to reach a scheduler, and for it to have a worker
STARTUP_TIMEOUT = 120.0  # seconds a child may take to import the pipeline
GRACE_SECONDS = 5.0  # after the timeout, before a child that does not answer is killed
INSTALL_HINT = "未安装 Dask：请运行 pip install 'jixiao[cluster]'"
_READY = "ready"


class ClusterError(Exception):
    """A cluster that cannot be used; ``str(exc)`` is a Chinese message meant for the user."""


# ---------------------------------------------------------------------------------------------
# the child: one per worker thread, documents one by one in its main thread


def serve(memory_bytes: int = MEMORY_LIMIT_BYTES) -> None:
    """The child's loop: cap memory, import the pipeline, then answer ``(path, timeout)`` requests
    read from stdin with the document's rows written to stdout, until stdin closes."""
    requests = Connection(os.dup(0), writable=False)
    answers = Connection(os.dup(1), readable=False)
    # whatever a library prints must not corrupt the answers: fd 1 becomes stderr, fd 0 nothing
    os.dup2(2, 1)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    limit_memory(memory_bytes)
    # the readers and the pipeline loaded before the first document, so its time limit is its own
    from jixiao.batch.sandbox import PRELOAD

    for module in PRELOAD:
        importlib.import_module(module)
    answers.send(_READY)
    while True:
        try:
            path, timeout = requests.recv()
        except (EOFError, OSError):  # the worker is gone or done
            return
        answers.send(process_with_timeout(path, timeout))


class _Child:
    """A child process started with :mod:`subprocess` (allowed in a daemonic Dask worker) that
    processes documents for one thread."""

    def __init__(self, memory_bytes: int) -> None:
        self.memory_bytes = memory_bytes
        request_read, request_write = os.pipe()
        answer_read, answer_write = os.pipe()
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-c", f"from jixiao.batch.cluster import serve; serve({memory_bytes})"],
                stdin=request_read,
                stdout=answer_write,
                close_fds=True,
            )
        except BaseException:
            for fd in (request_read, request_write, answer_read, answer_write):
                os.close(fd)
            raise
        os.close(request_read)
        os.close(answer_write)
        self.requests = Connection(request_write, readable=False)
        self.answers = Connection(answer_read, writable=False)
        try:
            ready = self.answers.poll(STARTUP_TIMEOUT) and self.answers.recv() == _READY
        except (EOFError, OSError):
            ready = False
        if not ready:
            self.close()
            raise OSError(f"子进程未能启动（{self._exit_text()}）")

    def run(self, path: str, timeout: float) -> tuple[list[dict[str, Any]], bool]:
        """The document's rows, and whether the child is still usable."""
        try:
            self.requests.send((path, timeout))
            limit = timeout + GRACE_SECONDS + timeout / 10 if timeout > 0 else None
            if not self.answers.poll(limit):
                self.close()
                return [failed_row(path, f"超时（{timeout:g} 秒）")], False
            rows: list[dict[str, Any]] = self.answers.recv()
            return rows, True
        except (EOFError, OSError):  # killed (e.g. for memory) or crashed on this document
            how = self._exit_text()
            self.close()
            return [failed_row(path, f"进程异常：子进程退出（{how}）")], False

    def _exit_text(self) -> str:
        try:
            code = self.process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            return "无退出码"
        return f"信号 {-code}" if code < 0 else f"退出码 {code}"

    def close(self) -> None:
        """Stop the child and release its pipes."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        self.requests.close()
        self.answers.close()


_children: dict[tuple[int, int], _Child] = {}  # (process id, thread id) → its child
_children_lock = threading.Lock()


def _close_children() -> None:
    with _children_lock:
        mine = [key for key in _children if key[0] == os.getpid()]
        for key in mine:
            _children.pop(key).close()


atexit.register(_close_children)


def process_chunk_isolated(
    paths: list[str], timeout: float = DEFAULT_TIMEOUT_SECONDS, memory_bytes: int = MEMORY_LIMIT_BYTES
) -> list[dict[str, Any]]:
    """:func:`~jixiao.batch.run.process_chunk` in this thread's child process: each document
    under its own time limit and the memory cap, in whatever thread a cluster runs the task."""
    key = (os.getpid(), threading.get_ident())
    out: list[dict[str, Any]] = []
    for path in paths:
        with _children_lock:
            child = _children.pop(key, None)
        if child is None or child.memory_bytes != memory_bytes or child.process.poll() is not None:
            if child is not None:
                child.close()
            try:
                child = _Child(memory_bytes)
            except OSError as exc:
                out.append(failed_row(path, f"进程异常：{exc}"))
                continue
        rows, usable = child.run(path, timeout)
        out.extend(rows)
        if usable:
            with _children_lock:
                _children[key] = child
    return out


# ---------------------------------------------------------------------------------------------
# the executor


@dataclass(frozen=True)
class DaskExecutor:
    """An open Dask executor and the tasks it runs at once (its workers' threads)."""

    executor: Executor
    slots: int
    address: str


def scheduler_address(spec: str) -> str | None:
    """The scheduler address of ``dask://HOST:PORT`` (``tcp://HOST:PORT``), None for ``dask-local``;
    :class:`ClusterError` for anything else."""
    if spec == DASK_LOCAL:
        return None
    if spec.startswith(DASK_PREFIX):
        rest = spec.removeprefix(DASK_PREFIX)
        host, _, port = rest.rpartition(":")
        if host and port.isdigit():
            return f"tcp://{rest}"
    raise ClusterError(f"无法识别的执行方式“{spec}”：应为 {DASK_LOCAL} 或 {DASK_PREFIX}主机:端口")


@contextmanager
def dask_executor(
    spec: str, *, workers: int = 1, memory_bytes: int = MEMORY_LIMIT_BYTES
) -> Iterator[DaskExecutor]:
    """Open the executor ``spec`` names: connect to a scheduler (``dask://HOST:PORT``) or start a
    local cluster of ``workers`` processes with one thread each (``dask-local``, closed on exit).

    Each worker's memory is watched by its nanny (``memory_limit``); each document's child is
    capped at ``memory_bytes`` (:func:`process_chunk_isolated`). Raises :class:`ClusterError`
    with a Chinese message when Dask is not installed or the scheduler cannot be reached.
    """
    address = scheduler_address(spec)
    try:
        import distributed
    except ImportError as exc:
        raise ClusterError(INSTALL_HINT) from exc
    dask: Any = distributed  # its Client and LocalCluster carry no annotations
    with ExitStack() as stack:
        if address is None:
            try:
                cluster = dask.LocalCluster(
                    n_workers=max(1, workers),
                    threads_per_worker=1,
                    processes=True,
                    memory_limit=memory_bytes,
                    dashboard_address=None,
                    silence_logs=logging.CRITICAL,  # not its shutdown chatter: failures are rows
                )
            except Exception as exc:
                raise ClusterError(f"无法启动本机 Dask 集群：{exc}") from exc
            stack.callback(cluster.close)
            client = dask.Client(cluster)
            address = str(cluster.scheduler_address)
        else:
            try:
                client = dask.Client(address, timeout=CONNECT_TIMEOUT)
            except (OSError, TimeoutError) as exc:
                raise ClusterError(
                    f"无法连接 Dask 调度器 {address}（{CONNECT_TIMEOUT:g} 秒内无响应）：请确认调度器已启动"
                    f"（dask scheduler）且地址、端口正确"
                ) from exc
        stack.callback(client.close)
        try:
            client.wait_for_workers(1, timeout=CONNECT_TIMEOUT)
        except (OSError, TimeoutError) as exc:
            raise ClusterError(
                f"Dask 调度器 {address} 没有可用的工作进程：请先启动 dask worker {address}"
            ) from exc
        slots = sum(client.nthreads().values())
        yield DaskExecutor(client.get_executor(pure=False), max(1, slots), address)
