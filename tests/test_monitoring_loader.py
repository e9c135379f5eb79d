"""Loading monitoring files, and a monitoring file refused where an evaluation is expected."""

from __future__ import annotations

from pathlib import Path

from jixiao.loader import file_holds_monitoring, load_file, load_monitoring_file

EXAMPLE = Path(__file__).parents[1] / "examples" / "monitoring" / "employment-2025-09-lagging.yaml"


def test_a_monitoring_file_loads() -> None:
    loaded = load_monitoring_file(EXAMPLE)
    assert loaded.ok and loaded.monitoring is not None
    assert loaded.monitoring.cutoff_month == 9
    assert loaded.monitoring.source is not None and loaded.monitoring.source.file == str(EXAMPLE)
    assert loaded.line_of["indicators[0]"] > 0
    assert file_holds_monitoring(EXAMPLE)


def test_a_monitoring_file_is_no_evaluation() -> None:
    loaded = load_file(EXAMPLE)
    assert loaded.evaluation is None
    assert [f.code for f in loaded.findings] == ["file.monitoring"]
    assert "jixiao check" in loaded.findings[0].message


def test_missing_and_invalid(tmp_path: Path) -> None:
    assert load_monitoring_file(tmp_path / "none.yaml").findings[0].code == "file.unreadable"
    bad = tmp_path / "bad.yaml"
    bad.write_text("kind: monitoring\ncutoff_month: 13\nproject: {name: x}\n", encoding="utf-8")
    loaded = load_monitoring_file(bad)
    assert loaded.monitoring is None and loaded.findings
