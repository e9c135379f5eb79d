"""One long-lived LibreOffice per process for Word → PDF, driven through Python-UNO.

Starting LibreOffice costs one to three seconds, more than converting a document, so the first PDF
a process makes starts a listener that later ones reuse: ``uno_worker.py`` run by a Python that can
``import uno`` (Debian: ``python3-uno``; LibreOffice's own builds bring ``program/python``), which
starts a headless LibreOffice listening on a private named pipe, with its own profile
(``-env:UserInstallation``) and the fontconfig file of ``jixiao.render.pdf``.

* **One at a time.**  A lock serializes conversions: LibreOffice converts one document at a time
  anyway.  A process that wants more throughput runs more worker processes (each has its own).
* **No orphans.**  The worker and LibreOffice run in their own process group, which ``close()``
  ends (``atexit`` calls it); a worker whose parent dies without closing it ends the group itself.
  A forked child never uses its parent's listener.
* **Falls back.**  ``Converter.convert`` returns None when the listener cannot be used (no Python with
  ``uno``, a start that failed, a LibreOffice that crashed) and the caller converts the old way,
  one ``soffice --convert-to`` run per batch.  A start that failed is not retried in the same
  process; a crash is (the next call starts a new listener).
* A conversion that takes longer than ``timeout`` ends the listener and raises ``RenderError``.

Not the ``unoserver`` package (MIT, maintained): its server listens on a TCP port, where any local
user could drive LibreOffice, and must be installed into the Python that has ``uno``, outside our
virtualenv; the worker here is one standard-library script on a pipe only this process knows.

``JIXIAO_UNO_PYTHON`` names the Python to run the worker with when it is not found by itself;
``JIXIAO_PDF_LISTENER=0`` turns the listener off (every conversion starts its own LibreOffice).
"""

from __future__ import annotations

import atexit
import contextlib
import json
import logging
import os
import secrets
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from typing import IO, Any

from jixiao.render.errors import RenderError

logger = logging.getLogger(__name__)

START_SECONDS = 120.0
STOP_SECONDS = 10.0
WORKER = Path(__file__).with_name("uno_worker.py")
DISABLE_ENV = "JIXIAO_PDF_LISTENER"  # "0": never start a listener (convert the old way)
PYTHON_ENV = "JIXIAO_UNO_PYTHON"  # a Python that can import uno, when it is not found by itself


class ListenerError(Exception):
    """The listener could not do the work (not the document's fault): convert the old way."""


@cache
def uno_python(soffice: str) -> str | None:
    """A Python interpreter that can ``import uno`` for this LibreOffice, or None."""
    program = Path(os.path.realpath(soffice)).parent
    candidates = [os.environ.get(PYTHON_ENV), str(program / "python"), "/usr/bin/python3", sys.executable]
    for candidate in dict.fromkeys(c for c in candidates if c):
        if not (os.path.isfile(candidate) and os.access(candidate, os.X_OK)):
            continue
        try:
            probe = subprocess.run(
                [candidate, "-c", "import uno"], capture_output=True, timeout=30, check=False
            )
        except (OSError, subprocess.TimeoutExpired):
            continue
        if probe.returncode == 0:
            return candidate
    return None


class Listener:
    """A running ``uno_worker.py`` and its LibreOffice; ``convert`` one document at a time."""

    def __init__(self, soffice: str, python: str, write_fontconfig: Callable[[Path], Path]) -> None:
        self.directory = Path(tempfile.mkdtemp(prefix="jixiao-lo-listener-"))
        env = dict(os.environ)
        env["FONTCONFIG_FILE"] = str(write_fontconfig(self.directory))
        env["HOME"] = str(self.directory)  # LibreOffice writes there; keep the user's home clean
        env.pop("PYTHONPATH", None)  # the worker's Python has its own packages
        env.pop("PYTHONHOME", None)
        pipe = f"jixiao-{os.getpid()}-{secrets.token_hex(8)}"
        profile = (self.directory / "profile").as_uri()
        self.process: subprocess.Popen[bytes] | None = None
        self.pgid: int | None = None  # the worker's process group: the worker, LibreOffice and its children
        self._buffer = b""
        try:
            self.process = subprocess.Popen(
                [python, str(WORKER), soffice, profile, pipe],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env=env,
                start_new_session=True,  # its own process group: close() ends LibreOffice with it
            )
            self.pgid = self.process.pid
            ready = self._read(START_SECONDS)
        except (OSError, ListenerError) as exc:
            self.close()
            raise ListenerError(f"无法启动 LibreOffice 常驻进程：{exc}") from exc
        if not ready.get("ready"):
            self.close()
            raise ListenerError(f"无法启动 LibreOffice 常驻进程：{ready.get('error', '未知原因')}")
        self.office_pid = int(ready.get("pid", 0))

    def alive(self) -> bool:
        """True while the worker runs."""
        return self.process is not None and self.process.poll() is None

    def convert(self, source: Path, target: Path, timeout: float) -> None:
        """Convert one ``.docx`` to ``target``; ListenerError when the listener failed, RenderError on timeout."""
        process = self.process
        if process is None or process.stdin is None or not self.alive():
            raise ListenerError("LibreOffice 常驻进程已退出")
        request = {"source": str(source.resolve()), "target": str(target.resolve())}
        try:
            process.stdin.write((json.dumps(request, ensure_ascii=False) + "\n").encode("utf-8"))
            process.stdin.flush()
        except OSError as exc:
            self.close()
            raise ListenerError(f"LibreOffice 常驻进程已退出：{exc}") from exc
        try:
            answer = self._read(timeout)
        except TimeoutError as exc:
            self.close()
            raise RenderError(f"LibreOffice 转换 PDF 超时（{timeout:.0f} 秒）") from exc
        if not answer.get("ok"):
            if answer.get("fatal"):
                self.close()
            raise ListenerError(str(answer.get("error", "未知原因")))

    def _read(self, timeout: float) -> dict[str, Any]:
        """The next JSON line from the worker; TimeoutError after ``timeout`` s, ListenerError at its end."""
        assert self.process is not None and self.process.stdout is not None
        stream: IO[bytes] = self.process.stdout
        deadline = time.monotonic() + timeout
        while b"\n" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError
            readable, _, _ = select.select([stream], [], [], left)
            if not readable:
                continue
            chunk = os.read(stream.fileno(), 65536)
            if not chunk:
                self.close()
                raise ListenerError("LibreOffice 常驻进程意外退出")
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        try:
            message: dict[str, Any] = json.loads(line)
        except ValueError as exc:
            raise ListenerError(f"LibreOffice 常驻进程的回答无法识别：{line[:200]!r}") from exc
        return message

    def close(self) -> None:
        """Stop the worker and LibreOffice (politely, then the whole group by force) and remove the profile."""
        process, self.process = self.process, None
        if process is not None:
            try:
                if process.stdin is not None:
                    process.stdin.close()  # end of input: the worker stops LibreOffice and its group
                process.wait(timeout=STOP_SECONDS)
            except (OSError, subprocess.TimeoutExpired):
                pass
            for sig in (signal.SIGTERM, signal.SIGKILL):
                try:
                    os.killpg(process.pid, sig)
                except (ProcessLookupError, PermissionError):
                    break
                time.sleep(0.2)
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=STOP_SECONDS)
            if process.stdout is not None:
                process.stdout.close()
        shutil.rmtree(self.directory, ignore_errors=True)


class Converter:
    """The process's listener, started on first use and shared by threads (one conversion at a time)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._listener: Listener | None = None
        self._failed: str | None = None  # why the listener could not start (not retried)
        self._pid = os.getpid()

    def convert(
        self,
        soffice: str,
        sources: Sequence[Path],
        out_dir: Path,
        write_fontconfig: Callable[[Path], Path],
        timeout: float,
    ) -> list[Path] | None:
        """Each source converted into ``out_dir`` by the listener; None when it cannot be used."""
        if os.environ.get(DISABLE_ENV) == "0":
            return None
        with self._lock:
            listener = self._ready(soffice, write_fontconfig)
            if listener is None:
                return None
            out_dir.mkdir(parents=True, exist_ok=True)
            outputs = []
            for source in sources:
                target = out_dir / (Path(source).stem + ".pdf")
                try:
                    listener.convert(Path(source), target, timeout)
                except ListenerError as exc:
                    logger.warning("LibreOffice 常驻进程转换失败，改用单次启动方式：%s", exc)
                    if not listener.alive():
                        self._listener = None
                    return None
                outputs.append(target)
            return outputs

    def _ready(self, soffice: str, write_fontconfig: Callable[[Path], Path]) -> Listener | None:
        if self._listener is not None and self._listener.alive():
            return self._listener
        self._listener = None
        if self._failed is not None:
            return None
        python = uno_python(soffice)
        if python is None:
            self._failed = "未找到可导入 uno 的 Python（Debian：安装 python3-uno）"
            logger.warning("不使用 LibreOffice 常驻进程：%s；每次转换单独启动 LibreOffice。", self._failed)
            return None
        try:
            self._listener = Listener(soffice, python, write_fontconfig)
        except ListenerError as exc:
            self._failed = str(exc)
            logger.warning("%s；每次转换单独启动 LibreOffice。", exc)
            return None
        return self._listener

    def close(self) -> None:
        """Stop the listener (a later conversion starts a new one); forget a failed start."""
        if os.getpid() != self._pid:  # a forked child: the listener is the parent's
            return
        with self._lock:
            listener, self._listener = self._listener, None
            self._failed = None
        if listener is not None:
            listener.close()

    def listener(self) -> Listener | None:
        """The running listener, if any (tests look at its processes)."""
        return self._listener


_converter = Converter()


def converter() -> Converter:
    """The converter of this process."""
    return _converter


def shutdown() -> None:
    """Stop this process's listener (registered with ``atexit``)."""
    _converter.close()


def _after_fork_in_child() -> None:
    global _converter
    _converter = Converter()  # the parent's listener stays the parent's


atexit.register(shutdown)
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)
