"""The examples' score and audit output, byte for byte: a restructuring must not change behaviour.

Each example's ``jixiao score --format json`` and ``jixiao check --format json`` output is kept in
tests/snapshots/. A change that alters what users see on purpose (a message, a rule) regenerates
them with ``JIXIAO_UPDATE_SNAPSHOTS=1 .venv/bin/python -m pytest tests/test_snapshots.py`` and the
diff is reviewed in the commit; a restructuring leaves them untouched.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from jixiao.cli import main

ROOT = Path(__file__).resolve().parents[1]
SNAPSHOTS = ROOT / "tests" / "snapshots"
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


def _output(command: str, example: Path) -> str:
    runner = CliRunner()
    cwd = Path.cwd()
    os.chdir(ROOT)  # the output names the file as given: examples/….yaml
    try:
        result = runner.invoke(main, [command, "--format", "json", str(example.relative_to(ROOT))])
    finally:
        os.chdir(cwd)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.output


@pytest.mark.parametrize("command", ["score", "check"])
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_output_is_unchanged(example: Path, command: str) -> None:
    snapshot = SNAPSHOTS / f"{example.stem}.{command}.json"
    output = _output(command, example)
    if os.environ.get("JIXIAO_UPDATE_SNAPSHOTS") == "1":
        snapshot.write_text(output, encoding="utf-8")
    assert snapshot.exists(), f"{snapshot.name} is missing: write it with JIXIAO_UPDATE_SNAPSHOTS=1"
    assert output == snapshot.read_text(encoding="utf-8"), (
        f"{snapshot.name} differs: regenerate on purpose with JIXIAO_UPDATE_SNAPSHOTS=1 and review the diff"
    )
