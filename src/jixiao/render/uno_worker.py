"""The LibreOffice side of ``jixiao.render.listener``: a script run by a Python that has ``uno``.

Not imported by jixiao: ``listener.Listener`` runs it as ``<python with uno> uno_worker.py SOFFICE
PROFILE_URL PIPE_NAME`` in a new process group.  It starts one headless LibreOffice that accepts
UNO connections on a private named pipe (no TCP port: no other user can drive it), connects, and
then converts one document per request, read as a JSON line on stdin and answered as a JSON line on
stdout:

    → {"source": "/tmp/a.docx", "target": "/tmp/a.pdf"}
    ← {"ok": true}  or  {"ok": false, "error": "…", "fatal": true|false}

The first line it writes says whether LibreOffice is ready (``{"ready": true}``).  On end of input,
on a fatal error, or when its parent process is gone, it stops LibreOffice and ends its whole
process group, so no ``soffice`` outlives it.  Uses only the standard library and ``uno`` (which
carries no type information: it is loaded with ``importlib``).
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from typing import Any

CONNECT_SECONDS = 90.0
# css::document::MacroExecutionMode::NEVER_EXECUTE: a document's macros never run.
NEVER_EXECUTE = 0


def _say(message: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(message, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def _end_group() -> None:
    """Kill LibreOffice and this script: every process of the group this script leads."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        os.killpg(os.getpgrp(), signal.SIGKILL)
    finally:
        os._exit(1)


def _watch_parent(parent: int) -> None:
    """End the group when the process that started this one is gone (killed without closing us)."""
    while True:
        time.sleep(1.0)
        if os.getppid() != parent:
            _end_group()


class _Office:
    """One LibreOffice process and the UNO desktop it serves."""

    def __init__(self, soffice: str, profile_url: str, pipe: str) -> None:
        self.uno = importlib.import_module("uno")
        self.property_value = self.uno.getClass("com.sun.star.beans.PropertyValue")
        no_connection = self.uno.getClass("com.sun.star.connection.NoConnectException")
        self.process = subprocess.Popen(
            [
                soffice,
                f"-env:UserInstallation={profile_url}",
                "--headless",
                "--invisible",
                "--nologo",
                "--nodefault",
                "--norestore",
                "--nolockcheck",
                f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        local = self.uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        deadline = time.monotonic() + CONNECT_SECONDS
        while True:
            try:
                context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except no_connection:
                # LibreOffice restarts itself once when it creates a new profile: wait through it.
                if time.monotonic() > deadline:
                    raise RuntimeError(f"LibreOffice 在 {CONNECT_SECONDS:.0f} 秒内未就绪") from None
                time.sleep(0.05)
        self.desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)

    def _properties(self, **values: Any) -> tuple[Any, ...]:
        return tuple(self.property_value(Name=name, Value=value) for name, value in values.items())

    def convert(self, source: str, target: str) -> None:
        """Word → PDF with the same filter as ``soffice --convert-to pdf:writer_pdf_Export``."""
        document = self.desktop.loadComponentFromURL(
            self.uno.systemPathToFileUrl(source),
            "_blank",
            0,
            self._properties(Hidden=True, ReadOnly=True, MacroExecutionMode=NEVER_EXECUTE),
        )
        if document is None:
            raise ValueError("LibreOffice 无法打开该文档")
        try:
            document.storeToURL(
                self.uno.systemPathToFileUrl(target),
                self._properties(FilterName="writer_pdf_Export", Overwrite=True),
            )
        finally:
            document.close(True)

    def alive(self) -> bool:
        """True while the LibreOffice process runs."""
        return self.process.poll() is None

    def stop(self) -> None:
        """Ask LibreOffice to quit (the group is killed after, whatever it does)."""
        with contextlib.suppress(Exception):
            self.desktop.terminate()
            self.process.wait(timeout=10)


def main(argv: list[str]) -> int:
    """Serve conversions until stdin closes; the group ends with this process."""
    soffice, profile_url, pipe = argv
    signal.signal(signal.SIGTERM, lambda *_: _end_group())
    threading.Thread(target=_watch_parent, args=(os.getppid(),), daemon=True).start()
    office: _Office | None = None
    try:
        try:
            office = _Office(soffice, profile_url, pipe)
        except Exception as exc:
            _say({"ready": False, "error": f"{type(exc).__name__}: {exc}"[:500]})
            return 1
        _say({"ready": True, "pid": office.process.pid})
        for line in sys.stdin:
            request = json.loads(line)
            try:
                office.convert(request["source"], request["target"])
            except Exception as exc:
                fatal = not office.alive() or type(exc).__name__ in {"DisposedException", "RuntimeException"}
                _say({"ok": False, "error": f"{type(exc).__name__}: {exc}"[:500], "fatal": fatal})
                if fatal:
                    return 1
                continue
            _say({"ok": True})
        office.stop()
        return 0
    finally:
        _end_group()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
