"""Shared by the benchmarks: write a section of docs/performance.md, machine facts."""

from __future__ import annotations

import os
import platform
import re
from datetime import date
from pathlib import Path

PERFORMANCE = Path(__file__).resolve().parent.parent / "docs" / "performance.md"
HEADER = (
    "# Performance\n\nFigures measured by `make bench` (`python -m benchmarks`); each section says how.\n"
)


def machine() -> str:
    """One line describing where the figures were measured."""
    return f"{date.today().isoformat()}, Python {platform.python_version()}, {os.cpu_count()} cores, {platform.machine()}"


def write_section(title: str, body: str) -> None:
    """Replace (or append) the ``## title`` section of docs/performance.md with ``body``."""
    text = PERFORMANCE.read_text(encoding="utf-8") if PERFORMANCE.exists() else HEADER
    section = f"## {title}\n\n{body.strip()}\n"
    pattern = re.compile(rf"^## {re.escape(title)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(lambda _m: section + "\n", text).rstrip() + "\n"
    else:
        text = text.rstrip() + "\n\n" + section
    PERFORMANCE.parent.mkdir(parents=True, exist_ok=True)
    PERFORMANCE.write_text(text, encoding="utf-8")


def write_between(path: Path, name: str, body: str) -> None:
    """Replace what stands between ``<!-- name:start -->`` and ``<!-- name:end -->`` in a document
    (the markers are appended at its end the first time)."""
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    text = path.read_text(encoding="utf-8")
    if start in text and end in text:
        before, rest = text.split(start, 1)
        after = rest.split(end, 1)[1]
        text = f"{before}{start}\n{body}\n{end}{after}"
    else:
        text = text.rstrip() + f"\n\n{start}\n{body}\n{end}\n"
    path.write_text(text, encoding="utf-8")
