"""Parse untrusted files in a separate, bounded process: a hostile upload costs a child, not the server.

:func:`run_isolated` runs ``func(*args)`` in a child process with an address-space cap
(``RLIMIT_AS``), a CPU-time backstop (``RLIMIT_CPU``), the ingest caps of
:mod:`jixiao.ingest.limits` optionally lowered, and a wall-clock timeout after which the child is
killed; the result comes back pickled through a pipe. Children are forked from a *fork server*
that has imported the heavy modules once (jixiao, openpyxl, python-docx, pdfplumber, pypdfium2),
so each parse starts in milliseconds and never inherits the server's threads; where there is no
fork server (Windows) children are spawned. :class:`ParsePool` bounds how many run at once.

The functions meant to run in the child live in :mod:`jixiao.batch.upload_checks` (re-exported
here): :func:`parse_upload` (an import: ``api.load_all`` as plain, picklable data) and
:func:`inspect_evidence` / :func:`check_evidence` (an evidence file: does it open as what it
claims to be). Every failure is a :class:`SandboxError` whose
``message`` is Chinese and meant for the user; tracebacks go to the log only.

As with every start method but ``fork``, each child re-imports the program's main module, so a
script that calls this must keep its work under ``if __name__ == "__main__":`` (uvicorn,
gunicorn, ``python -m`` and pytest all do).

Typical use from a web route (blocking: run it in a worker thread)::

    parts = DEFAULT_POOL.parse_upload(path)      # list[ParsedPart], or SandboxError
    loaded = [p.to_loaded() for p in parts]       # back to api.Loaded in the server
"""

from __future__ import annotations

import logging
import math
import multiprocessing
import multiprocessing.connection
import os
import signal
import threading
import traceback
from collections.abc import Callable, Mapping
from multiprocessing.connection import Connection
from multiprocessing.context import BaseContext
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from jixiao import api
from jixiao.batch.upload_checks import (
    EVIDENCE_SUFFIXES,
    EVIDENCE_TYPES,
    EvidenceCheck,
    ParsedPart,
    check_evidence,
    inspect_evidence,
    parse_upload,
)

if TYPE_CHECKING:
    from multiprocessing.process import BaseProcess

__all__ = [
    "DEFAULT_MEMORY_BYTES",
    "DEFAULT_POOL",
    "DEFAULT_QUEUE_TIMEOUT",
    "DEFAULT_TIMEOUT",
    "DEFAULT_WORKERS",
    "EVIDENCE_SUFFIXES",
    "EVIDENCE_TYPES",
    "PRELOAD",
    "UPLOAD_LIMIT_OVERRIDES",
    "EvidenceCheck",
    "ParsePool",
    "ParsedPart",
    "SandboxError",
    "check_evidence",
    "inspect_evidence",
    "parse_upload",
    "run_isolated",
    "start_method",
    "start_server",
]

T = TypeVar("T")
SandboxKind = Literal["timeout", "memory", "crash", "busy"]
logger = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 60.0  # seconds per upload: a 10 MB report parses in a few seconds
DEFAULT_MEMORY_BYTES = 1024 * 1024 * 1024  # address space per child (the preloaded modules use ~0.3 GB)
DEFAULT_WORKERS = 2  # parses at once
DEFAULT_QUEUE_TIMEOUT = 10.0  # seconds an upload waits for a free slot before "busy"
UPLOAD_LIMIT_OVERRIDES: dict[str, int] = {
    # uploads are at most 10 MB (web settings.max_upload_bytes): a genuine Office file of that size
    # holds well under 40 MB uncompressed, a 190 MB-of-XML Word file is refused unparsed
    "MAX_ZIP_UNCOMPRESSED": 40 * 1024 * 1024,
}
# imported once by the fork server, so a child starts with them loaded
PRELOAD = [
    "jixiao.api",
    *api.pipeline_modules(),  # the front door imports lazily: what a parse will use, loaded once here
    "jixiao.ingest",
    "jixiao.batch.sandbox",
    "jixiao.ingest.extract",
    "jixiao.ingest.parts",
    "jixiao.ingest.readers.docx",
    "jixiao.ingest.readers.xlsx",
    "jixiao.ingest.readers.pdf",
    "jixiao.ingest.readers.html",
    "jixiao.ingest.readers.text",
    "jixiao.ingest.readers.form",
    "openpyxl",
    "docx",
    "pdfplumber",
    "pypdfium2",
    "defusedxml.ElementTree",
    "PIL.Image",
]
_RESULT_GRACE = 2.0  # seconds a child that sent its result may take to exit before it is killed

_context_lock = threading.Lock()
_context: BaseContext | None = None
# multiprocessing's bookkeeping is not thread-safe: Process.start() polls every live child and a
# forkserver child's exit status can be read only once, so start / poll / join run under this lock
_process_lock = threading.Lock()


class SandboxError(Exception):
    """A sandboxed call that gave no result: ``kind`` says why, ``message`` (Chinese) is for the user."""

    def __init__(self, kind: SandboxKind, message: str) -> None:
        super().__init__(message)
        self.kind: SandboxKind = kind
        self.message = message


def _get_context() -> BaseContext:
    global _context
    with _context_lock:
        if _context is None:
            if "forkserver" in multiprocessing.get_all_start_methods():
                server = multiprocessing.get_context("forkserver")
                server.set_forkserver_preload(PRELOAD)
                _context = server
            else:
                _context = multiprocessing.get_context("spawn")
        return _context


def start_method() -> str:
    """How children start: ``"forkserver"`` (POSIX) or ``"spawn"``."""
    return str(_get_context().get_start_method())


def _ping() -> int:
    return os.getpid()


def start_server(timeout: float = 60.0) -> None:
    """Start the fork server now and wait until it serves (it imports :data:`PRELOAD` once, ~1.5 s).

    Call it at app start-up so the first upload does not pay for it; without it the first
    sandboxed call starts the server. Under ``spawn`` this only proves a child can start.
    """
    run_isolated(_ping, timeout=timeout, memory_bytes=DEFAULT_MEMORY_BYTES)


def _checked_overrides(overrides: Mapping[str, int] | None) -> dict[str, int]:
    from jixiao.ingest import limits

    out = dict(overrides or {})
    for name, value in out.items():
        if not name.isupper() or not hasattr(limits, name):
            raise ValueError(f"unknown ingest limit {name!r}")
        if not isinstance(value, int | float) or isinstance(value, bool):
            raise TypeError(f"ingest limit {name!r} must be a number")
    return out


def _set_rlimits(memory_bytes: int, timeout: float) -> None:
    try:
        import resource
    except ImportError:  # Windows: no rlimits; the timeout still holds
        return
    limits_to_set = [(resource.RLIMIT_AS, memory_bytes)]
    if math.isfinite(timeout):  # a CPU backstop should the parent die and leave the child running
        limits_to_set.append((resource.RLIMIT_CPU, math.ceil(timeout) + 2))
    for which, value in limits_to_set:
        _soft, hard = resource.getrlimit(which)
        cap = value if hard == resource.RLIM_INFINITY else min(value, hard)
        hard_cap = cap + 5 if which == resource.RLIMIT_CPU and hard == resource.RLIM_INFINITY else cap
        resource.setrlimit(which, (cap, hard_cap))


def _child_main(
    conn: Connection,
    func: Callable[..., Any],
    args: tuple[Any, ...],
    memory_bytes: int,
    timeout: float,
    overrides: dict[str, int],
) -> None:
    """The child's body: apply the caps, run ``func``, send ``(status, payload)`` back once."""
    payload: tuple[str, Any]
    try:
        _set_rlimits(memory_bytes, timeout)
        from jixiao.ingest import limits

        for name, value in overrides.items():
            setattr(limits, name, value)
        payload = ("ok", func(*args))
    except MemoryError:
        payload = ("memory", None)
    except BaseException:
        payload = ("error", traceback.format_exc())
    try:
        conn.send(payload)
    except MemoryError:
        conn.send(("memory", None))
    except Exception:  # e.g. an unpicklable result (pickling happens before anything is written)
        conn.send(("error", traceback.format_exc()))
    finally:
        conn.close()


def _reap(proc: BaseProcess, grace: float) -> int | None:
    """Wait ``grace`` seconds for the child to exit, kill it if it has not, join it; its exit code."""
    if grace > 0:
        multiprocessing.connection.wait([proc.sentinel], grace)
    with _process_lock:
        if proc.exitcode is None:
            proc.kill()
    multiprocessing.connection.wait([proc.sentinel])  # outside the lock: a killed child exits at once
    with _process_lock:
        proc.join()
        code = proc.exitcode
    proc.close()
    return code


def _describe_death(code: int | None, memory_bytes: int, timeout: float) -> SandboxError:
    if code is not None and code < 0:
        sig = -code
        if sig == getattr(signal, "SIGXCPU", -1):
            return SandboxError("timeout", _timeout_message(timeout))
        if sig == signal.SIGKILL:  # the kernel's OOM killer, or someone else
            return SandboxError("memory", _memory_message(memory_bytes))
        return SandboxError("crash", f"解析进程异常终止（信号 {sig}），文件可能已损坏或结构异常，无法读取")
    return SandboxError("crash", "解析进程意外退出、没有返回结果，文件可能已损坏或结构异常，无法读取")


def _timeout_message(timeout: float) -> str:
    return f"解析超时（超过 {timeout:g} 秒），文件可能过大或结构异常，已停止解析"


def _memory_message(memory_bytes: int) -> str:
    return f"解析所需内存超过上限（{memory_bytes // (1024 * 1024)} MB），文件可能过大或结构异常，已停止解析"


def run_isolated(
    func: Callable[..., T],
    *args: Any,
    timeout: float,
    memory_bytes: int,
    limit_overrides: Mapping[str, int] | None = None,
) -> T:
    """``func(*args)`` in a separate process with at most ``memory_bytes`` of address space.

    ``func`` and ``args`` must pickle (a module-level function; paths and plain data), and so must
    the result. ``limit_overrides`` sets attributes of :mod:`jixiao.ingest.limits` in the child
    only (e.g. ``{"MAX_ZIP_UNCOMPRESSED": 40 * 2**20}``). Raises :class:`SandboxError`:
    ``timeout`` after ``timeout`` seconds (the child is killed), ``memory`` when the child ran out
    of memory, ``crash`` when ``func`` raised (traceback logged) or the child died without a
    result. The child is always reaped, also when the calling thread is interrupted.
    """
    overrides = _checked_overrides(limit_overrides)
    ctx = _get_context()
    receiver, sender = ctx.Pipe(duplex=False)
    proc = ctx.Process(  # type: ignore[attr-defined]
        target=_child_main,
        args=(sender, func, args, memory_bytes, timeout, overrides),
        name=f"jixiao-sandbox:{getattr(func, '__name__', 'func')}",
        daemon=True,
    )
    status = "died"
    payload: Any = None
    started = False
    grace = 0.0
    try:
        with _process_lock:
            proc.start()
            started = True
        sender.close()
        if not receiver.poll(timeout if math.isfinite(timeout) else None):
            status = "timeout"
        else:
            try:
                status, payload = receiver.recv()
                grace = _RESULT_GRACE
            except (EOFError, OSError):  # the child died before (or while) sending
                status = "died"
    finally:
        sender.close()
        code = _reap(proc, grace) if started else None
        receiver.close()
    if status == "ok":
        result: T = payload
        return result
    if status == "timeout":
        raise SandboxError("timeout", _timeout_message(timeout))
    if status == "memory":
        raise SandboxError("memory", _memory_message(memory_bytes))
    if status == "error":
        logger.error("sandboxed %s%r failed:\n%s", getattr(func, "__name__", func), args, payload)
        raise SandboxError("crash", "解析文件时出错，无法读取该文件；请检查文件是否完好，或联系管理员")
    raise _describe_death(code, memory_bytes, timeout)


class ParsePool:
    """At most ``workers`` sandboxed parses at once; a caller waits ``queue_timeout`` s for a slot.

    The other arguments are the defaults of :meth:`run` (uploads: lowered zip cap).
    """

    def __init__(
        self,
        workers: int = DEFAULT_WORKERS,
        *,
        queue_timeout: float = DEFAULT_QUEUE_TIMEOUT,
        timeout: float = DEFAULT_TIMEOUT,
        memory_bytes: int = DEFAULT_MEMORY_BYTES,
        limit_overrides: Mapping[str, int] | None = None,
    ) -> None:
        if workers < 1:
            raise ValueError("workers must be at least 1")
        self.workers = workers
        self.queue_timeout = queue_timeout
        self.timeout = timeout
        self.memory_bytes = memory_bytes
        self.limit_overrides = dict(UPLOAD_LIMIT_OVERRIDES if limit_overrides is None else limit_overrides)
        self._slots = threading.BoundedSemaphore(workers)

    def run(
        self,
        func: Callable[..., T],
        *args: Any,
        timeout: float | None = None,
        memory_bytes: int | None = None,
        limit_overrides: Mapping[str, int] | None = None,
        queue_timeout: float | None = None,
    ) -> T:
        """:func:`run_isolated` in a free slot; ``SandboxError("busy")`` when none frees in time."""
        wait = self.queue_timeout if queue_timeout is None else queue_timeout
        if not self._slots.acquire(timeout=max(wait, 0.0)):
            raise SandboxError("busy", "系统正忙，正在解析其他上传文件，请稍后再试")
        try:
            return run_isolated(
                func,
                *args,
                timeout=self.timeout if timeout is None else timeout,
                memory_bytes=self.memory_bytes if memory_bytes is None else memory_bytes,
                limit_overrides=self.limit_overrides if limit_overrides is None else limit_overrides,
            )
        finally:
            self._slots.release()

    def parse_upload(self, path: Path) -> list[ParsedPart]:
        """:func:`parse_upload` in the sandbox."""
        return self.run(parse_upload, Path(path))

    def inspect_evidence(self, path: Path) -> str | None:
        """:func:`inspect_evidence` in the sandbox."""
        return self.run(inspect_evidence, Path(path))

    def check_evidence(self, path: Path) -> EvidenceCheck:
        """:func:`check_evidence` in the sandbox."""
        return self.run(check_evidence, Path(path))


DEFAULT_POOL = ParsePool()
"""The process-wide pool for web uploads (2 workers, upload caps); the app may build its own."""
