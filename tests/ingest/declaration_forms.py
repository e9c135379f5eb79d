"""Realistic target declarations (绩效目标申报表) in the national layouts, written as xlsx, docx,
HTML and text for the declaration reader's tests (财预〔2015〕88号 layout with 中期 and 年度 side by
side; the 2020s 中央部门 layout with 性质 / 度量单位 / 设定依据 / 上年实际值 columns)."""

from __future__ import annotations

import html
from pathlib import Path

Rows = list[list[str]]

NATIONAL_2015: Rows = [
    ["项目支出绩效目标申报表"],
    ["（2024年度）"],
    ["项目名称", "城乡困难老人居家养老服务补贴"],
    ["主管部门及代码", "[123]某市民政局", "", "实施单位", "某市社会福利服务中心"],
    ["项目属性", "延续项目", "", "项目期", "2023-2025年"],
    ["项目资金（万元）", "中期资金总额：", "900", "", "年度资金总额：", "300"],
    ["", "其中：财政拨款", "800", "", "其中：财政拨款", "260"],
    ["", "其他资金", "100", "", "其他资金", "40"],
    ["总体目标", "中期目标（2023年—2025年）", "", "", "年度目标"],
    [
        "",
        "目标1：三年内为12000名困难老人提供居家养老服务。目标2：服务对象满意度保持在95%以上。",
        "",
        "",
        "1.全年为4000名困难老人提供居家养老服务；2.服务对象满意度不低于95%。",
    ],
    ["绩效指标", "一级指标", "二级指标", "三级指标", "指标值", "二级指标", "三级指标", "指标值"],
    ["", "产出指标", "数量指标", "服务老人人数", "≥12000人", "数量指标", "服务老人人数", "≥4000人"],
    ["", "", "质量指标", "服务合格率", "≥95%", "质量指标", "服务合格率", "≥95%"],
    ["", "", "时效指标", "补贴按月发放率", "100%", "时效指标", "补贴发放时间", "每月10日前"],
    ["", "", "成本指标", "人均补贴标准", "≤750元/人", "成本指标", "人均补贴标准", "≤750元/人"],
    [
        "",
        "效益指标",
        "社会效益指标",
        "困难老人生活质量",
        "明显改善",
        "社会效益指标",
        "困难老人生活质量",
        "有所改善",
    ],
    ["", "", "经济效益指标", "不适用", "不适用", "经济效益指标", "不适用", "不适用"],
    [
        "",
        "满意度指标",
        "服务对象满意度指标",
        "服务对象满意度",
        "≥95%",
        "服务对象满意度指标",
        "服务对象满意度",
        "≥95%",
    ],
    ["填报人：张三", "", "联系电话：12345678"],
]

CENTRAL_2020S: Rows = [
    ["项目支出绩效目标表"],
    ["（2025年度）"],
    ["项目名称", "农村饮水安全巩固提升工程"],
    ["主管部门", "某省水利厅（318）", "", "实施单位", "某县水务局"],
    ["项目属性", "新增项目、一次性项目", "", "项目期", "2"],
    ["项目类别", "基本建设类", "", "分配方式", "项目法"],
    ["立项依据", "《某省农村供水保障规划（2023—2027年）》"],
    ["项目资金（万元）", "", "上年度预算安排", "上年度实际执行", "本年度申请"],
    ["", "资金总额", "0", "0", "1200"],
    ["", "其中：财政拨款", "0", "0", "1000"],
    ["", "其他资金", "0", "0", "200"],
    ["中期目标", "一是新建集中供水工程3处；二是改善3.5万农村人口饮水条件。"],
    ["年度目标", "（1）完成2处供水工程主体建设；（2）受益人口不少于2万人。"],
    ["年度绩效指标"],
    [
        "一级指标",
        "二级指标",
        "三级指标",
        "性质",
        "指标值",
        "度量单位",
        "指标值设定依据",
        "上年实际值",
        "指标解释",
    ],
    ["产出指标", "数量指标", "新建供水工程", "≥", "2", "处", "计划标准", "0", "当年完成主体建设的工程数"],
    ["", "质量指标", "水质达标率", "≥", "95", "%", "行业标准", "", "抽检合格样本数/抽检样本数×100%"],
    ["", "时效指标", "工程完工时间", "≤", "2025年11月", "", "计划标准", "", ""],
    ["", "成本指标", "单处工程造价", "≤", "600", "万元", "预算支出标准", "", ""],
    ["效益指标", "社会效益指标", "受益人口", "≥", "2", "万人", "计划标准", "1.5", ""],
    ["", "生态效益指标", "不适用", "", "不适用", "", "", "", ""],
    ["满意度指标", "服务对象满意度指标", "受益群众满意度", "≥", "90", "%", "历史标准", "88", ""],
]


def write_xlsx(rows: Rows, path: Path, title: str = "项目支出绩效目标申报表") -> Path:
    """The rows as one sheet of a workbook."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title[:31]
    for row in rows:
        sheet.append([_typed(c) for c in row])
    book.save(path)
    return path


def _typed(cell: str) -> object:
    try:
        return int(cell) if cell.isdigit() else cell
    except ValueError:  # pragma: no cover
        return cell


def write_docx(rows: Rows, path: Path) -> Path:
    """The first two rows as title paragraphs, the rest as one table."""
    from docx import Document

    doc = Document()
    for row in rows[:2]:
        doc.add_paragraph(row[0])
    body = rows[2:]
    width = max(len(r) for r in body)
    table = doc.add_table(rows=len(body), cols=width)
    for r, row in enumerate(body):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    doc.save(str(path))
    return path


def write_html(rows: Rows, path: Path) -> Path:
    """The first two rows as headings, the rest as one HTML table."""
    head = "".join(f"<p>{html.escape(r[0])}</p>" for r in rows[:2])
    body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in rows[2:])
    path.write_text(
        f"<html><head><meta charset='utf-8'></head><body>{head}<table>{body}</table></body></html>",
        encoding="utf-8",
    )
    return path


def write_text(rows: Rows, path: Path) -> Path:
    """The first two rows as lines, the rest as a pipe table (as text taken from a PDF prints it)."""
    width = max(len(r) for r in rows[2:])
    lines = [r[0] for r in rows[:2]]
    for row in rows[2:]:
        cells = [*row, *[""] * (width - len(row))]
        lines.append("| " + " | ".join(cells) + " |")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
