"""Problems imported from audit reports (Excel sheets and numbered text) and the ledger's xlsx round trip."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from jixiao.rectification import ItemStatus, Origin
from jixiao.render.rectification_xlsx import ledger_bytes
from jixiao.results import LedgerImportError, read_audit_problems
from jixiao.results.sheet import COLUMNS, header_role, read_date
from tests.results.helpers import item

HEADER = ["序号", "问题", "项目", "来源", "类别", "严重程度", "整改要求", "责任单位", "责任人", "时限"]


def _sheet(path: Path, rows: list[list[object]], header: list[str] = HEADER, title_rows: int = 1) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for _ in range(title_rows):
        sheet.append(["XX市审计局审计发现问题清单"])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def test_an_audit_sheet_reads_every_column(tmp_path: Path) -> None:
    path = _sheet(
        tmp_path / "审计问题.xlsx",
        [
            [
                1,
                "专项资金结余50万元未上缴",
                "示范项目",
                "审计",
                "资金管理",
                "重大",
                "限期上缴",
                "示范单位",
                "张三",
                datetime(2025, 6, 30),
            ],
            [2, "绩效目标不细化", "示范项目", "", "", "一般", "", "", "", "2025年9月底"],
            [None, None, None, None, None, None, None, None, None, None],  # a blank row is skipped
        ],
    )
    first, second = read_audit_problems(path, on=date(2025, 3, 1))
    assert first.problem == "专项资金结余50万元未上缴"
    assert (first.origin, first.category, first.severity) == (Origin.audit, "资金管理", "error")
    assert (first.requirement, first.unit, first.person, first.deadline) == (
        "限期上缴",
        "示范单位",
        "张三",
        date(2025, 6, 30),
    )
    assert second.origin is Origin.audit  # blank: the default
    assert second.category == "绩效目标"  # blank: from the words
    assert second.severity == "warning"
    assert second.deadline == date(2025, 9, 30)


@pytest.mark.parametrize(
    ("header", "role"),
    [
        ("审计发现的问题", "problem"),
        ("问题描述", "problem"),
        ("整改时限（日期）", "deadline"),
        ("整改责任单位", "unit"),
        ("被审计单位", "unit"),
        ("审计建议", "requirement"),
        ("问题 类别", "category"),
        ("项目名称", "project"),
        ("序号", None),
        ("涉及金额", None),
    ],
)
def test_header_words(header: str, role: str | None) -> None:
    assert header_role(header) == role


def test_other_header_words_and_defaults(tmp_path: Path) -> None:
    header = ["审计发现的问题", "整改责任单位", "整改期限"]
    path = _sheet(
        tmp_path / "a.xlsx", [["未按规定公开评价结果", "示范单位", "2025/12/31"]], header, title_rows=0
    )
    (only,) = read_audit_problems(path, project="示范项目", year=2024, on=date(2025, 1, 1))
    assert (only.project, only.year, only.unit, only.deadline) == (
        "示范项目",
        2024,
        "示范单位",
        date(2025, 12, 31),
    )
    assert only.category == "信息公开"


def test_bad_cells_are_named(tmp_path: Path) -> None:
    path = _sheet(
        tmp_path / "坏.xlsx",
        [
            [1, "问题一", "示范项目", "巡视", "", "一般", "", "", "", "下个月"],
            [2, "", "示范项目", "", "", "", "", "", "", ""],
            [3, "问题三", "示范项目", "", "", "很严重", "", "", "", ""],
        ],
    )
    with pytest.raises(LedgerImportError) as raised:
        read_audit_problems(path)
    messages = raised.value.messages
    assert any("第3行 来源（D3）：无法识别的来源“巡视”" in m for m in messages)
    assert any("第3行 时限（J3）：无法识别的日期“下个月”" in m for m in messages)
    assert any("第4行（B4）：问题为空" in m for m in messages)
    assert any("第5行 严重程度（F5）：无法识别的严重程度“很严重”" in m for m in messages)


def test_a_row_without_a_project_is_refused(tmp_path: Path) -> None:
    path = _sheet(tmp_path / "a.xlsx", [["资金沉淀", "2025-06-30"]], ["问题", "时限"], title_rows=0)
    with pytest.raises(LedgerImportError, match="第2行：没有项目名称"):
        read_audit_problems(path)


def test_a_sheet_without_a_header(tmp_path: Path) -> None:
    path = _sheet(tmp_path / "a.xlsx", [["甲", "乙"]], ["名称", "金额"], title_rows=0)
    with pytest.raises(LedgerImportError, match="找不到问题清单的表头"):
        read_audit_problems(path)


def test_not_a_workbook_and_unknown_suffixes(tmp_path: Path) -> None:
    broken = tmp_path / "a.xlsx"
    broken.write_bytes(b"not a zip")
    with pytest.raises(LedgerImportError, match="无法读取为 Excel 工作簿"):
        read_audit_problems(broken)
    other = tmp_path / "a.pdf"
    other.write_bytes(b"%PDF")
    with pytest.raises(LedgerImportError, match="不支持的文件类型"):
        read_audit_problems(other)
    with pytest.raises(LedgerImportError, match="找不到文件"):
        read_audit_problems(tmp_path / "missing.xlsx")


REPORT = """关于示范单位2024年度预算执行情况的审计报告

一、基本情况
（略）
1. 专项资金结余50万元未及时上缴，
形成资金沉淀。
整改要求：限期上缴国库。
2、绩效目标设置不细化
（三）政府采购未按规定公开
"""


def test_a_text_report_gives_one_item_per_numbered_problem(tmp_path: Path) -> None:
    path = tmp_path / "审计报告.txt"
    path.write_text(REPORT, encoding="gb18030")
    items = read_audit_problems(path, unit="示范单位", on=date(2025, 1, 1), deadline_days=60)
    problems = [i.problem for i in items]
    assert (
        problems[0] == "专项资金结余50万元未及时上缴，形成资金沉淀。"
    )  # 一、基本情况 has entries under it: a heading
    money = next(i for i in items if i.problem.startswith("专项资金"))
    assert money.requirement == "限期上缴国库。"
    assert (money.category, money.project, money.deadline) == ("资金管理", "示范单位", date(2025, 3, 2))
    assert problems[-2:] == ["绩效目标设置不细化", "政府采购未按规定公开"]


SECTIONS = """审计报告
一、基本情况
该单位2024年预算1000万元。
二、审计发现的主要问题
（一）预算执行方面
1. 项目资金执行率仅45%
2. 结余资金未按规定清理
（二）未按规定公开部门预算
三、审计处理意见
1. 责令限期整改
"""


def test_a_report_with_a_problems_section_counts_only_what_is_under_it(tmp_path: Path) -> None:
    path = tmp_path / "审计报告.txt"
    path.write_text(SECTIONS, encoding="utf-8")
    items = read_audit_problems(path, project="示范项目")
    assert [i.problem for i in items] == [
        "项目资金执行率仅45%",
        "结余资金未按规定清理",
        "未按规定公开部门预算",
    ]
    assert items[0].evidence == ["审计报告.txt 第1个问题"]


def test_a_text_without_numbered_problems(tmp_path: Path) -> None:
    path = tmp_path / "空.txt"
    path.write_text("审计报告\n没有编号的段落\n", encoding="utf-8")
    with pytest.raises(LedgerImportError, match="没有找到编号的问题"):
        read_audit_problems(path)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2025-06-30", date(2025, 6, 30)),
        ("2025年6月30日", date(2025, 6, 30)),
        ("2025.6.3", date(2025, 6, 3)),
        ("2025年12月底", date(2025, 12, 31)),
        ("2024年2月", date(2024, 2, 29)),
    ],
)
def test_dates(text: str, day: date) -> None:
    assert read_date(text) == day


def test_the_ledger_round_trip_keeps_every_column(tmp_path: Path) -> None:
    full = item(
        "done",
        date(2025, 4, 1),
        id="abc123",
        year=2024,
        category="资金管理",
        severity="error",
        finding_code="funds.surplus",
        evidence=["资金表 合计行（报告.txt 第16行）", "第2页"],
        requirement="限期上缴",
        measures="已上缴",
        unit="示范单位",
        person="张三",
        progress="已上缴国库",
        progress_evidence=["缴款书.pdf"],
    )
    late = item("in_progress", date(2025, 4, 1), id="def456", problem="档案不全", category="项目实施")
    confirmed = item(
        "confirmed",
        date(2025, 4, 1),
        id="ghi789",
        category="资金管理",
        confirmed_by="李四",
        confirmed_on=date(2025, 3, 1),
        progress_evidence=["核查记录"],
    )
    path = tmp_path / "台账.xlsx"
    path.write_bytes(ledger_bytes([full, late, confirmed], date(2025, 5, 1)))
    sheet = load_workbook(path).active
    assert sheet is not None
    assert [c.value for c in sheet[2]] == [header for _, header in COLUMNS]
    marks = {row[0].value: row[15].value for row in sheet.iter_rows(min_row=3)}
    assert marks == {"abc123": None, "def456": "逾期", "ghi789": None}  # done and confirmed are not late
    assert sheet["A4"].fill.fgColor.rgb.endswith("F4CCCC")
    lists = {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation}
    assert lists["O3:O205"] == '"待整改,整改中,已整改待确认,已确认,不整改"'  # 状态, for the unit to choose
    assert set(lists) == {"E3:E205", "G3:G205", "O3:O205"}  # 来源, 严重程度, 状态
    back = read_audit_problems(path)
    assert [b.model_dump(exclude={"history"}) for b in back] == [
        i.model_dump(exclude={"history"}) for i in (full, late, confirmed)
    ]
    assert back[1].status is ItemStatus.in_progress
