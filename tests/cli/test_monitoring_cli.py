"""Monitoring on the command line: check (lights and findings), new (prefilled), report."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from docx import Document

from jixiao import api
from jixiao.cli import main

ROOT = Path(__file__).parents[2]
LAGGING = ROOT / "examples" / "monitoring" / "employment-2025-09-lagging.yaml"
ON_TRACK = ROOT / "examples" / "monitoring" / "pension-2025-06-on-track.yaml"
DECLARATION = ROOT / "examples" / "declarations" / "pension-2025-clean.yaml"


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_check_prints_the_light_its_reasons_and_the_findings() -> None:
    code, out = _run("check", str(LAGGING))
    assert code == 1, out  # mon.done-above-forecast is an error
    assert "预警：红灯" in out and "低于序时进度75%" in out
    assert "mon.rate-on-available" in out and "共复核1个文件（含1个监控表）" in out


def test_check_against_the_approved_targets(tmp_path: Path) -> None:
    code, out = _run("check", str(ON_TRACK), "--declaration", str(DECLARATION))
    assert code == 0 and "预警：绿灯" in out
    changed = tmp_path / "changed.yaml"
    changed.write_text(
        ON_TRACK.read_text(encoding="utf-8").replace('target: "≥96%"', 'target: "≥95%"'), encoding="utf-8"
    )
    code, out = _run("check", str(changed), "--declaration", str(DECLARATION))
    assert code == 1 and "mon.target-changed" in out


def test_check_with_a_province_policy_and_json(tmp_path: Path) -> None:
    policy = tmp_path / "province.yaml"
    policy.write_text("extends: national\nname: 某省\nexecution: {red_gap: 40}\n", encoding="utf-8")
    code, out = _run("check", str(LAGGING), "--warning", str(policy), "--format", "json")
    data = json.loads(out)
    assert data["files"][0]["grade"]["computed"] == "红灯"  # the 有可能 and short forecasts stay red
    code, out = _run("check", str(LAGGING), "--warning", str(tmp_path / "none.yaml"))
    assert code == 2


def test_new_prefilled_from_the_declaration(tmp_path: Path) -> None:
    out = tmp_path / "m.yaml"
    code, text = _run(
        "new", "--kind", "monitoring", "--from", str(DECLARATION), "--month", "9", "-o", str(out)
    )
    assert code == 0, text
    loaded = api.load_monitoring(out)
    assert loaded.monitoring is not None and loaded.monitoring.cutoff_month == 9
    assert len(loaded.monitoring.indicators) == 7
    assert loaded.monitoring.indicators[0].target is not None
    code, text = _run("new", "--kind", "monitoring", "--month", "13")
    assert code == 2


def test_new_form_fills_and_checks(tmp_path: Path) -> None:
    form = tmp_path / "m.xlsx"
    code, text = _run(
        "new", "--kind", "monitoring", "--from", str(DECLARATION), "--month", "6", "-o", str(form)
    )
    assert code == 0, text
    code, out = _run("check", str(form))
    assert "预警：" in out and "含1个监控表" in out


def test_reports(tmp_path: Path) -> None:
    code, out = _run(
        "report", str(LAGGING), "--kind", "monitoring", "--to", "xlsx", "-o", str(tmp_path / "e.xlsx")
    )
    assert code == 0, out
    assert api.load_monitoring(tmp_path / "e.xlsx").monitoring is not None
    code, out = _run(
        "report", str(LAGGING.parent), "--kind", "monitoring-report", "-o", str(tmp_path / "r.docx")
    )
    assert code == 0, out
    written = sorted(tmp_path.glob("r-*.docx"))
    assert [p.name for p in written] == [
        "r-某县社会保险事业管理局.docx",
        "r-某区公共就业服务中心.docx",
    ] or len(written) == 2
    text = "\n".join(p.text for p in Document(str(written[0])).paragraphs)
    assert "项目支出绩效运行监控报告" in text
    code, out = _run("report", str(LAGGING), "--kind", "monitoring-report", "--to", "xlsx")
    assert code == 2
