"""The long-lived LibreOffice (``jixiao.render.listener``): reuse, shutdown without orphans, fallback, timeout."""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pdfplumber
import pytest

from jixiao import api
from jixiao.render import RenderError, listener, pdf
from tests.render.conftest import load_seed

# A stand-in for uno_worker.py: says it is ready, starts a child (LibreOffice's place), then
# answers each request after SLEEP seconds by writing a small PDF.
FAKE_WORKER = """
import json, os, subprocess, sys, time
child = subprocess.Popen(
    [sys.executable, "-c", "import time; time.sleep(600)"],
    stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
)
print(json.dumps({"ready": True, "pid": child.pid}), flush=True)
for line in sys.stdin:
    request = json.loads(line)
    time.sleep(float(os.environ.get("FAKE_SLEEP", "0")))
    with open(request["target"], "wb") as f:
        f.write(b"%PDF-1.4 fake")
    print(json.dumps({"ok": True}), flush=True)
"""


def _gone(pgid: int) -> bool:
    """True when no process of the group is left (zombies of an unrelated parent aside)."""
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


@pytest.fixture
def fake_worker(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[listener.Converter]:
    script = tmp_path / "fake_worker.py"
    script.write_text(FAKE_WORKER, encoding="utf-8")
    monkeypatch.setattr(listener, "WORKER", script)
    monkeypatch.setattr(listener, "uno_python", lambda soffice: sys.executable)
    converter = listener.Converter()
    yield converter
    converter.close()


def _fontconfig(directory: Path) -> Path:
    path = directory / "fonts.conf"
    path.write_text("<fontconfig/>", encoding="utf-8")
    return path


def test_one_listener_serves_every_call_and_shutdown_leaves_no_process(
    fake_worker: listener.Converter, tmp_path: Path
) -> None:
    sources = [tmp_path / "a.docx", tmp_path / "b.docx"]
    for source in sources:
        source.write_bytes(b"PK")
    first = fake_worker.convert("soffice", sources[:1], tmp_path / "out", _fontconfig, 30)
    running = fake_worker.listener()
    assert running is not None and running.pgid is not None
    second = fake_worker.convert("soffice", sources, tmp_path / "out", _fontconfig, 30)
    assert fake_worker.listener() is running  # the same process served both calls
    assert first == [tmp_path / "out" / "a.pdf"]
    assert second == [tmp_path / "out" / "a.pdf", tmp_path / "out" / "b.pdf"]
    pgid, profile = running.pgid, running.directory
    fake_worker.close()
    assert _gone(pgid), "the worker or its child outlived close()"
    assert not profile.exists()


def test_a_conversion_that_hangs_times_out_and_ends_the_group(
    fake_worker: listener.Converter, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_SLEEP", "30")
    source = tmp_path / "a.docx"
    source.write_bytes(b"PK")
    with pytest.raises(RenderError, match="超时"):
        fake_worker.convert("soffice", [source], tmp_path, _fontconfig, 0.5)
    ended = fake_worker.listener()
    assert ended is not None and not ended.alive() and ended.pgid is not None
    assert _gone(ended.pgid)
    monkeypatch.setenv("FAKE_SLEEP", "0")
    assert fake_worker.convert("soffice", [source], tmp_path, _fontconfig, 30) == [tmp_path / "a.pdf"]
    assert fake_worker.listener() is not ended  # a new listener took over


def test_without_python_uno_the_old_way_is_used(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(listener, "uno_python", lambda soffice: None)
    converter = listener.Converter()
    with caplog.at_level(logging.WARNING, logger="jixiao.render.listener"):
        assert converter.convert("soffice", [tmp_path / "a.docx"], tmp_path, _fontconfig, 30) is None
        assert converter.convert("soffice", [tmp_path / "a.docx"], tmp_path, _fontconfig, 30) is None
    warnings = [r.getMessage() for r in caplog.records]
    assert len(warnings) == 1 and "python3-uno" in warnings[0]  # said once, not at every call
    assert converter.listener() is None


def test_a_worker_that_cannot_start_falls_back(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    script = tmp_path / "broken.py"
    script.write_text('import json; print(json.dumps({"ready": False, "error": "boom"}))', encoding="utf-8")
    monkeypatch.setattr(listener, "WORKER", script)
    monkeypatch.setattr(listener, "uno_python", lambda soffice: sys.executable)
    converter = listener.Converter()
    assert converter.convert("soffice", [tmp_path / "a.docx"], tmp_path, _fontconfig, 30) is None
    assert converter.listener() is None


def _soffice_with(marker: str) -> list[int]:
    """Pids of running LibreOffice processes whose command line holds ``marker``."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            command = (entry / "cmdline").read_bytes().decode("utf-8", "replace")
        except OSError:
            continue
        if entry.name.isdigit() and "soffice" in command and marker in command:
            found.append(int(entry.name))
    return found


@pytest.mark.slow
def test_real_listener_converts_two_documents_in_a_row_then_leaves_nothing(tmp_path: Path) -> None:
    if listener.uno_python(pdf.find_soffice()) is None:
        pytest.skip("no Python with uno (python3-uno) on this machine")
    converter = listener.converter()
    converter.close()  # start from nothing: this test sees its own listener start and stop
    sources = []
    for name in ("002-jinzhong-2020", "003-dongchuan-2019"):
        path = tmp_path / f"{name}.docx"
        path.write_bytes(api.render(load_seed(name), "report", "docx"))
        sources.append(path)
    first = pdf.docx_to_pdf(sources[0], tmp_path / "pdf")
    running = converter.listener()
    assert running is not None, "the listener did not start"
    second = pdf.docx_to_pdf(sources[1], tmp_path / "pdf")
    assert converter.listener() is running
    for path, title in ((first, "城乡居民养老金缴费补助"), (second, "绩效")):
        with pdfplumber.open(path) as document:
            text = "".join(page.extract_text() or "" for page in document.pages)
        assert title in text, path.name
    marker = running.directory.name  # the profile directory is on LibreOffice's command line
    assert _soffice_with(marker), "LibreOffice is not running under the listener"
    pgid = running.pgid
    assert pgid is not None
    listener.shutdown()
    assert _gone(pgid)
    assert _soffice_with(marker) == []
