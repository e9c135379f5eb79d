"""The official forms as printed: the 10号 附件1 layout with its merged 绩效指标 label, and kinds of document."""

from __future__ import annotations

from pathlib import Path

import docx
import openpyxl
import pytest

from jixiao.ingest import ingest_file, summarize

# 财预〔2020〕10号 附件1: 绩效指标 is a merged label cell left of the 一级指标 column, spanning the
# header row and every indicator row.
FORM = [
    ["项目支出绩效自评表"],
    ["（2023年度）"],
    ["项目名称", "城乡居民基本养老保险补助"],
    ["主管部门", "某县人力资源和社会保障局", "", "", "实施单位", "某县社会保险事业管理中心"],
    ["项目资金（万元）", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
    ["", "年度资金总额", "1200", "1250", "1187.5", "10", "95%", "9.5"],
    [
        "绩效指标",
        "一级指标",
        "二级指标",
        "三级指标",
        "年度指标值",
        "实际完成值",
        "分值",
        "得分",
        "偏差原因分析及改进措施",
    ],
    ["", "产出指标", "数量指标", "参保人数", "≥10万人", "10.2万人", "25", "25", ""],
    ["", "", "时效指标", "养老金按月发放", "100%", "100%", "25", "25", ""],
    ["", "效益指标", "社会效益指标", "待遇领取率", "≥95%", "96%", "30", "30", ""],
    ["", "满意度指标", "服务对象满意度指标", "参保群众满意度", "≥90%", "93%", "10", "10", ""],
    ["总分", "", "", "", "", "", "100", "99.5", ""],
]
NAMES = ["参保人数", "养老金按月发放", "待遇领取率", "参保群众满意度"]


def _xlsx(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in FORM:
        ws.append(row)
    ws.merge_cells("A7:A11")  # 绩效指标
    ws.merge_cells("B8:B9")  # 产出指标 over two rows
    wb.save(path)
    return path


def _docx(path: Path) -> Path:
    d = docx.Document()
    table = d.add_table(rows=len(FORM), cols=9)
    for r, row in enumerate(FORM):
        for c, text in enumerate(row):
            if text:
                table.cell(r, c).text = text
    table.cell(6, 0).merge(table.cell(10, 0))
    table.cell(7, 1).merge(table.cell(8, 1))
    d.save(str(path))
    return path


@pytest.mark.parametrize("build", [_xlsx, _docx], ids=["xlsx", "docx"])
def test_merged_performance_label_keeps_every_name(tmp_path: Path, build: object) -> None:
    assert callable(build)
    path = build(tmp_path / f"form.{build.__name__.strip('_')}")
    summary = summarize(ingest_file(path))
    assert [i["name"] for i in summary["indicators"]] == NAMES
    assert [i["level1"] for i in summary["indicators"]] == ["产出指标", "产出指标", "效益指标", "满意度指标"]
    assert summary["indicators"][0]["target"] == "≥10万人"
    assert summary["total"] == 99.5
    assert summary["doc_kind"] == "self-table"


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("项目支出绩效自评表", "self-table"),
        ("2023年度城乡居民基本养老保险补助资金（区域）绩效目标自评表", "transfer-self-table"),
        ("某县民政局2022年度部门整体支出绩效自评表", "dept-self-table"),
        ("某县民政局2022年度部门整体支出绩效自评报告", "dept-self-report"),
        ("2022年度就业补助资金项目支出绩效自评报告", "self-report"),
        ("某县城乡居民养老保险补贴资金财政重点绩效评价报告", "evaluation-report"),
        ("二级项目支出绩效目标申报表", "target"),
        ("上海市某区财政局2024年度部门决算", "final-accounts"),
    ],
)
def test_kind_of_document_from_its_title(tmp_path: Path, title: str, kind: str) -> None:
    path = tmp_path / "doc.txt"
    path.write_text(f"{title}\n项目名称：城乡居民基本养老保险补助\n一、基本情况\n", encoding="utf-8")
    assert summarize(ingest_file(path))["doc_kind"] == kind


CONVERTED = Path(__file__).with_name("converted_report.md")  # as MinerU/pandoc write a PDF report


def test_markdown_from_a_converter() -> None:
    """Headings marked with #, figures in LaTeX, HTML tables, coded names, levels with weights."""
    loaded = ingest_file(CONVERTED)
    s = summarize(loaded)
    assert s["doc_kind"] == "evaluation-report" and s["kind"] == "finance"
    assert s["project"] == "某县城乡居民基本养老保险补助资金"
    assert (s["budget"], s["spent"], s["execution_rate"]) == (12000, 11800, 98.33)
    assert (s["total"], s["grade"]) == (86.5, "良")
    assert [(lv["name"], lv["weight"], lv["score"]) for lv in s["levels"]][:2] == [
        ("决策", 15, 13.0),
        ("过程", 20, 17.5),
    ]
    assert [i["name"] for i in s["indicators"]][:2] == ["立项依据充分性", "绩效目标合理性"]
    assert s["indicators"][0]["level1"] == "决策" and s["indicators"][0]["level2"] == "项目立项"
    assert loaded.evaluation is not None
    assert loaded.evaluation.indicators[0].id == "A101"
    items = [(i.label, i.amount) for i in loaded.evaluation.funds.items]
    assert [a for _, a in items] == [4500, 3000, 4500]  # 其中 parts, the two of 4500 both kept


def test_a_rate_per_person_is_no_amount(tmp_path: Path) -> None:
    path = tmp_path / "r.txt"
    path.write_text(
        "项目名称：城乡居民养老保险代缴\n下达补助资金523.54万元，补助标准100元/人，其中市级补助标准80元/人。\n",
        encoding="utf-8",
    )
    ev = ingest_file(path).evaluation
    assert ev is not None and all(i.amount != 0.008 for i in ev.funds.items)


# 转移支付（区域）绩效目标自评表: funds by A/B columns, 其中 rows, amounts with a trailing 万
TRANSFER = [
    ["2023年度城乡居民基本养老保险补助资金（区域）绩效目标自评表"],
    ["转移支付（区域）名称", "城乡居民基本养老保险补助资金"],
    ["中央主管部门", "人力资源社会保障部", "", "地方主管部门", "某省人力资源和社会保障厅"],
    ["资金使用单位", "某省社会保险事业管理局"],
    ["资金投入情况（万元）", "", "全年预算数(A)", "全年执行数(B)", "预算执行率(B/A×100%)"],
    ["", "年度资金总额", "12000.00万", "11800.00万", "98.33%"],
    ["", "其中：中央财政资金", "4500万", "4500万", "100%"],
    ["", "地方资金", "7500万", "7300万", "97.33%"],
    ["", "其他资金", "0", "0", ""],
    ["绩效指标", "一级指标", "二级指标", "三级指标", "全年指标值", "全年实际完成值", "未完成原因和改进措施"],
    ["", "产出指标", "数量指标", "参保人数", "≥100万人", "102万人", ""],
    ["", "效益指标", "社会效益指标", "待遇领取率", "≥95%", "96%", ""],
]


def test_transfer_payment_form(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in TRANSFER:
        ws.append(row)
    ws.merge_cells("A10:A12")
    wb.save(tmp_path / "t.xlsx")
    loaded = ingest_file(tmp_path / "t.xlsx")
    s = summarize(loaded)
    assert s["doc_kind"] == "transfer-self-table"
    assert (s["project"], s["unit"]) == ("城乡居民基本养老保险补助资金", "某省社会保险事业管理局")
    assert (s["budget"], s["spent"], s["execution_rate"]) == (12000, 11800, 98.33)
    assert loaded.evaluation is not None
    lines = {ln.source.value: (ln.budget_adjusted, ln.spent) for ln in loaded.evaluation.funds.lines}
    assert lines["central"] == (4500, 4500) and lines["local"] == (7500, 7300)
    assert [i["name"] for i in s["indicators"]] == ["参保人数", "待遇领取率"]


def test_total_row_of_zeros_above_a_filled_row(tmp_path: Path) -> None:
    """The form's 年度资金总额 printed 0/0/0 while 本年财政拨款 holds the money: an error."""
    from jixiao import api

    rows = [r[:] for r in FORM]
    rows[5] = ["", "年度资金总额", "0", "0", "0", "10", "0", "0"]
    rows.insert(6, ["", "其中：本年财政拨款", "90", "89.974", "89.974", "", "", ""])
    rows.insert(7, ["", "上年结转资金", "", "", "", "", "", ""])
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    wb.save(tmp_path / "zero.xlsx")
    loaded = ingest_file(tmp_path / "zero.xlsx")
    assert loaded.evaluation is not None
    codes = {f.code for f in api.check(loaded.evaluation).findings if f.severity == "error"}
    assert "funds.sources-sum" in codes


def test_department_report_parts_of_spending(tmp_path: Path) -> None:
    """部门整体 prose: 总支出 and its 其中 parts; parts that do not add up are an error."""
    from jixiao import api

    path = tmp_path / "dept.txt"
    path.write_text(
        "某县民政局2022年度部门整体支出绩效自评报告\n一、部门基本情况\n"
        "2022年度总支出1000万元，其中：基本支出600万元，项目支出300万元。\n"
        "二、绩效自评结论\n经自评，部门整体支出绩效自评得分为92分，等级为“优”。\n",
        encoding="utf-8",
    )
    loaded = ingest_file(path)
    assert loaded.evaluation is not None
    assert summarize(loaded)["doc_kind"] == "dept-self-report"
    assert loaded.evaluation.subject == "department"
    assert [(i.label, i.amount) for i in loaded.evaluation.funds.items] == [
        ("基本支出", 600),
        ("项目支出", 300),
    ]
    assert "funds.parts-sum" in {f.code for f in api.check(loaded.evaluation).findings}


def test_a_compilation_of_reports_is_split(tmp_path: Path) -> None:
    """Two self-evaluation reports in one text are two evaluations, never one."""
    from jixiao.ingest import ingest_parts

    path = tmp_path / "two.txt"
    path.write_text(
        "2022年度城乡居民基本养老保险补助资金项目支出绩效自评报告\n一、基本情况\n"
        "项目预算数1200万元，实际支出1100万元，预算执行率为91.67%。\n二、自评结论\n自评得分为95分，等级为“优”。\n"
        "2022年度就业补助资金项目支出绩效自评报告\n一、基本情况\n"
        "项目预算数300万元，实际支出240万元，预算执行率为80%。\n二、自评结论\n自评得分为85分，等级为“良”。\n",
        encoding="utf-8",
    )
    parts = [summarize(p) for p in ingest_parts(path)]
    assert [(p["budget"], p["spent"], p["total"], p["grade"]) for p in parts] == [
        (1200, 1100, 95, "优"),
        (300, 240, 85, "良"),
    ]


def test_header_printed_over_two_rows() -> None:
    """指标 spanning 一级 | 二级 | 三级 in the row below, 分值 and 得分 spanning both rows."""
    s = summarize(ingest_file(Path(__file__).with_name("converted_two_row_header.md")))
    assert [(i["level1"], i["level2"], i["name"], i["weight"], i["score"]) for i in s["indicators"]] == [
        ("决策", "项目立项", "立项依据充分性", 5, 5),
        ("决策", "绩效目标", "绩效目标合理性", 10, 8),
    ]
    assert s["total"] == 13


def test_budget_with_project_target_tables(tmp_path: Path) -> None:
    """A 部门预算 that prints two projects' 绩效目标表 is read as those two target declarations."""
    from jixiao.ingest import ingest_parts

    d = docx.Document()
    d.add_paragraph("某区某街道办事处2023年部门预算")
    d.add_paragraph("一、部门主要职能。")
    for name, amount in (("社区公共服务中心运行经费", "410"), ("就业援助基地补贴", "635.1")):
        d.add_paragraph("项目支出绩效目标表")
        rows = [
            ["项目名称", name, "", ""],
            ["主管部门", "某区某街道办事处", "年度资金总额（万元）", amount],
            ["一级指标", "二级指标", "三级指标", "指标值"],
            ["产出指标", "数量指标", "服务人次", "≥1000人次"],
            ["效益指标", "社会效益指标", "群众满意度", "≥90%"],
        ]
        table = d.add_table(rows=len(rows), cols=4)
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                table.cell(r, c).text = text
    d.save(str(tmp_path / "budget.docx"))
    parts = [summarize(p) for p in ingest_parts(tmp_path / "budget.docx")]
    assert [(p["project"], p["doc_kind"], len(p["indicators"])) for p in parts] == [
        ("社区公共服务中心运行经费", "target", 2),
        ("就业援助基地补贴", "target", 2),
    ]


def test_budget_publication_keeps_its_own_part(tmp_path: Path) -> None:
    """The publication's own text and tables before its project forms are a part of their own,
    read (and audited) as the department's 部门预算: its 与上年相比 sentences are not lost."""
    from jixiao import api
    from jixiao.ingest import ingest_parts

    d = docx.Document()
    d.add_paragraph("某区某街道办事处2023年部门预算")
    d.add_paragraph("一、部门主要职能。")
    d.add_paragraph("二、收支预算总体情况")
    d.add_paragraph("2023年收入预算1200万元，与上年相比增加200万元，增长25%。")
    d.add_paragraph("收支预算总表")
    totals = d.add_table(rows=2, cols=2)
    for c, text in enumerate(("收入合计", "1200")):
        totals.cell(1, c).text = text
    for name in ("社区公共服务中心运行经费", "就业援助基地补贴"):
        d.add_paragraph("项目支出绩效目标表")
        rows = [
            ["项目名称", name, "", ""],
            ["一级指标", "二级指标", "三级指标", "指标值"],
            ["产出指标", "数量指标", "服务人次", "≥1000人次"],
        ]
        table = d.add_table(rows=len(rows), cols=4)
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                table.cell(r, c).text = text
    d.save(str(tmp_path / "budget.docx"))
    parts = ingest_parts(tmp_path / "budget.docx")
    assert [(p.part, summarize(p)["doc_kind"]) for p in parts] == [
        (None, "budget"),
        ("社区公共服务中心运行经费", "target"),
        ("就业援助基地补贴", "target"),
    ]
    # 200 ÷ (1200 − 200) = 20%, not the 25% printed: found in the publication's own part
    assert parts[0].evaluation is not None
    codes = {f.code for f in api.check(parts[0].evaluation).findings}
    assert "text.change-rate" in codes


def test_form_copied_one_cell_per_line() -> None:
    """A web page's form copied as text, every cell on a line of its own ending in |."""
    s = summarize(ingest_file(Path(__file__).with_name("cell_per_line.txt")))
    assert (s["project"], s["unit"], s["doc_kind"]) == (
        "工资性支出",
        "某县社会保险事业管理中心",
        "self-table",
    )
    assert (s["budget"], s["spent"], s["execution_rate"], s["total"]) == (238.93, 249.37, 99.0, 99.9)
    assert [(i["level1"], i["level2"], i["name"], i["target"], i["score"]) for i in s["indicators"]] == [
        ("产出指标", "数量指标", "发放覆盖率", "=100%", 30),
        ("产出指标", "质量指标", "发放准确率", "≥99%", 30),  # its 产出指标 cell is printed once, above
        ("效益指标", "社会效益指标", "足额保障率", "≥98%", 30),
    ]


def test_transfer_form_with_management_rows_and_a_vertical_level(tmp_path: Path) -> None:
    """资金管理情况 rows are no indicators; 一级 printed one character per line (产↵出↵指↵标) is read."""
    rows = [r[:] for r in TRANSFER]
    rows[10] = ["", "产\n出\n指\n标", "数量指标", "参保人数", "≥100万人", "102万人", ""]
    management = [
        ["资金管理情况", "", "情况说明", "存在问题和改进措施"],
        ["", "分配科学性", "按因素法分配", "无"],
        ["", "下达及时性", "按规定时限下达", "无"],
        ["总体目标完成情况", "总体目标", "全年目标", "实际完成情况"],
        ["", "", "按时足额发放养老金", "全年按时足额发放"],
    ]
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in rows[:9] + management + rows[9:]:
        ws.append(row)
    wb.save(tmp_path / "t.xlsx")
    s = summarize(ingest_file(tmp_path / "t.xlsx"))
    assert [(i["level1"], i["name"]) for i in s["indicators"]] == [
        ("产出指标", "参保人数"),
        ("效益指标", "待遇领取率"),
    ]
    assert (s["budget"], s["spent"]) == (12000, 11800)
