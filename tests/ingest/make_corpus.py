"""Build the ingest test corpus: the same facts laid out the ways real documents arrive.

``build(directory)`` writes each document and returns ``[(path, expected)]``; ``expected`` holds
the summary fields (see ``jixiao.ingest.summarize``) the extraction must return.  Used by the tests
and by ``benchmarks/bench_ingest.py`` (field-level precision and recall in docs/ingest.md).
Run ``python tests/ingest/make_corpus.py DIR`` to look at the files.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

FORM_ROWS: list[list[str]] = [
    ["项目名称", "农村饮水安全巩固提升工程", "", "", "", "", "", ""],
    ["主管部门", "某县水利局", "", "", "实施单位", "某县农村供水管理站", "", ""],
    ["项目资金（万元）", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
    ["", "年度资金总额", "500", "520", "510.4", "10", "98.15%", "9.82"],
    ["", "其中：本年财政拨款", "500", "520", "510.4", "—", "—", "—"],
    ["", "上年结转资金", "0", "0", "0", "—", "—", "—"],
    [
        "一级指标",
        "二级指标",
        "三级指标",
        "年度指标值",
        "实际完成值",
        "分值",
        "得分",
        "偏差原因分析及改进措施",
    ],
    ["产出指标", "数量指标", "新建供水工程", "≥12处", "12处", "20", "20", ""],
    ["", "质量指标", "水质达标率", "≧95%", "96.5%", "15", "15", ""],
    ["", "时效指标", "工程完工时间", "12月底前完成", "11月底完成", "15", "15", ""],
    ["效益指标", "社会效益指标", "受益人口", ">=3万人", "2.8万人", "30", "28", "部分村庄管网未通"],
    ["满意度指标", "服务对象满意度指标", "群众满意度", "＞=90%", "93%", "10", "10", ""],
    ["总分", "", "", "", "", "100", "97.82", ""],
    ["评价等级", "优", "", "", "", "", "", ""],
]
FORM_TITLE = ["项目支出绩效自评表", "（2023年度）"]
FORM_EXPECTED: dict[str, Any] = {
    "kind": "self",
    "project": "农村饮水安全巩固提升工程",
    "year": 2023,
    "unit": "某县农村供水管理站",
    "budget": 500,
    "spent": 510.4,
    "execution_rate": 98.15,
    "total": 97.82,
    "grade": "优",
    "indicators": [
        {"name": "新建供水工程", "target": "≥12处", "actual": "12处", "weight": 20, "score": 20},
        {"name": "水质达标率", "target": "≧95%", "actual": "96.5%", "weight": 15, "score": 15},
        {"name": "工程完工时间", "target": "12月底前完成", "actual": "11月底完成", "weight": 15, "score": 15},
        {"name": "受益人口", "target": ">=3万人", "actual": "2.8万人", "weight": 30, "score": 28},
        {"name": "群众满意度", "target": "＞=90%", "actual": "93%", "weight": 10, "score": 10},
    ],
}

REPORT_PROSE = """某市人力资源和社会保障局2022年城乡居民基本养老保险补助资金
财政重点绩效评价报告

一、项目基本情况
（一）项目概况。受某市财政局委托，某某绩效评价咨询有限公司对该项目开展财政评价。项目年初预算安排资金1200万元，实际到
位资金1200万元，全年实际支出11505000元，预算执行率为95.88%。

—2—

二、评价结论
经评价，该项目综合得分91.8分，评价等级为“优”。其中决策指标权重15分，过程指标权重25分，产出指标权重35分，效益指标权重25分。
决策指标得分13.5分，过程指标得分23分，产出指标满分35分，得分33.2分，效益指标（25分）得分22.1分。
三、存在的问题
1.部分乡镇经办人员业务不熟。2.宣传覆盖面不足。
四、有关建议
1.加强经办人员培训。2.拓宽宣传渠道。
"""
REPORT_EXPECTED: dict[str, Any] = {
    "kind": "finance",
    "project": "城乡居民基本养老保险补助资金",
    "year": 2022,
    "unit": "某市人力资源和社会保障局",
    "budget": 1200,
    "available": 1200,
    "spent": 1150.5,
    "execution_rate": 95.88,
    "total": 91.8,
    "grade": "优",
    "levels": [
        {"name": "决策", "weight": 15, "score": 13.5},
        {"name": "过程", "weight": 25, "score": 23},
        {"name": "产出", "weight": 35, "score": 33.2},
        {"name": "效益", "weight": 25, "score": 22.1},
    ],
}

REPORT_TABLES: list[list[list[str]]] = [
    [
        ["项目名称", "城乡居民基本养老保险补助资金", "", ""],
        ["评价年度", "2022年度", "评价类型", "财政评价"],
        ["委托评价单位", "某市财政局", "评价机构名称", "某某绩效评价咨询有限公司"],
        ["评价对象名称", "某市人力资源和社会保障局", "", ""],
    ],
    [
        ["资金情况（万元）", "预算安排资金", "1200", "实际到位资金", "1200"],
        ["", "其中：中央资金", "400", "其中：中央资金", "400"],
        ["", "市级资金", "800", "市级资金", "800"],
        ["", "实际支出资金", "1150.5", "结余资金", "49.5"],
        ["", "预算执行率", "95.88%", "", ""],
    ],
    [
        ["指标", "决策", "过程", "产出", "效益", "合计"],
        ["分值", "15", "25", "35", "25", "100"],
        ["得分", "13.5", "23", "33.2", "22.1", "91.8"],
        ["得分率", "90%", "92%", "94.86%", "88.4%", "91.8%"],
    ],
    [["评价得分", "91.8分", "评价等级", "优"]],
]
REPORT_TABLE_EXPECTED: dict[str, Any] = REPORT_EXPECTED  # the same figures, printed as tables


def _tabs(rows: list[list[str]]) -> str:
    return "\n".join("\t".join(r).rstrip("\t") if r[0] else "\t".join(r) for r in rows)


def _pipes(rows: list[list[str]]) -> str:
    return "\n".join("|" + "|".join(r) + "|" for r in rows)


def _spaced(rows: list[list[str]]) -> str:
    """Text copied out of a PDF: cells run together with spaces, merged (empty) cells gone, the
    header spaced with full-width spaces, a page marker inside the table, and one row whose numbers
    came out before its words (columns out of order)."""
    lines = []
    for r in rows:
        cells = [c for c in r if c]
        if cells[0] == "满意度指标":
            cells = cells[-2:] + cells[:-2]
        sep = "\u3000" if cells[0] == "一级指标" else "  "
        lines.append(sep.join(cells))
        if cells[0] == "时效指标":
            lines.append("—2—")
    return "\n".join(lines)


def _one_per_line(rows: list[list[str]]) -> str:
    keep = (
        [r for r in rows[:2]]
        + [["年初预算数", "500"], ["全年执行数", "510.4"], ["执行率", "98.15%"]]
        + rows[-2:]
    )
    return "\n".join(c for r in keep for c in r if c)


def _html(rows: list[list[str]]) -> str:
    """The form as an HTML page with government-site metadata and rowspan/colspan cells."""
    body = []
    for i, r in enumerate(rows):
        cells = []
        skip_next = 0
        for j, c in enumerate(r):
            if skip_next:
                skip_next -= 1
                continue
            if i == 7 and j == 0:
                cells.append('<td rowspan="3">产出指标</td>')
                continue
            if i in (8, 9) and j == 0:
                continue
            if j == 1 and r[0] in ("项目名称",):
                cells.append(f'<td colspan="7">{c}</td>')
                skip_next = 6
                continue
            cells.append(f"<td>{c}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    meta = (
        "<table><tr><td>索引号：</td><td>11530000/2024-0001</td><td>发文机构：</td><td>某县水利局</td></tr>"
        "<tr><td>成文日期：</td><td>2024-03-15</td></tr></table>"
    )
    title = "".join(f"<p>{t}</p>" for t in FORM_TITLE)
    return (
        f'<html><head><meta charset="utf-8"><title>自评表</title></head><body>{meta}\n{title}\n<table>\n'
        + "\n".join(body)
        + "\n</table></body></html>"
    )


def _docx(path: Path, paragraphs: list[str], tables: list[list[list[str]]], merge_form: bool = False) -> None:
    import docx

    doc = docx.Document()
    for p in paragraphs:
        doc.add_paragraph(p)
    for rows in tables:
        t = doc.add_table(rows=len(rows), cols=len(rows[0]))
        t.style = "Table Grid"
        for i, r in enumerate(rows):
            for j, c in enumerate(r):
                if c:
                    t.cell(i, j).text = c
        if merge_form:
            t.cell(7, 0).merge(t.cell(9, 0))  # 产出指标 over three rows
            t.cell(0, 1).merge(t.cell(0, 7))  # 项目名称 value across the row
            t.cell(0, 1).text = rows[0][1]
    doc.save(str(path))


def _xlsx(path: Path, rows: list[list[str]]) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "自评表"
    ws.append([FORM_TITLE[0]])
    ws.append([FORM_TITLE[1]])
    for r in rows:
        ws.append([_num(c) for c in r])
    ws.merge_cells("A10:A12")
    ws.merge_cells("B3:H3")
    wb.save(str(path))


def _num(text: str) -> object:
    try:
        return int(text)
    except ValueError:
        try:
            return float(text)
        except ValueError:
            return text or None


def build(directory: Path) -> list[tuple[Path, dict[str, Any]]]:
    """Write the corpus (except PDFs) into ``directory``; returns (path, expected) pairs."""
    d = Path(directory)
    d.mkdir(parents=True, exist_ok=True)
    out: list[tuple[Path, dict[str, Any]]] = []
    head = "\n".join(FORM_TITLE) + "\n"
    (d / "form-tabs.txt").write_text(head + _tabs(FORM_ROWS), encoding="utf-8")
    out.append((d / "form-tabs.txt", FORM_EXPECTED))
    (d / "form-pipes.md").write_text(head + _pipes(FORM_ROWS), encoding="utf-8")
    out.append((d / "form-pipes.md", FORM_EXPECTED))
    (d / "form-gbk.txt").write_bytes((head + _tabs(FORM_ROWS)).encode("gb18030"))
    out.append((d / "form-gbk.txt", FORM_EXPECTED))
    (d / "form-spaced.txt").write_text(head + _spaced(FORM_ROWS), encoding="utf-8")
    out.append((d / "form-spaced.txt", FORM_EXPECTED))
    (d / "form-lines.txt").write_text(head + _one_per_line(FORM_ROWS), encoding="utf-8")
    lines_expected = {k: v for k, v in FORM_EXPECTED.items() if k not in ("indicators", "unit")}
    out.append((d / "form-lines.txt", lines_expected))
    (d / "form.html").write_text(_html(FORM_ROWS), encoding="utf-8")
    out.append((d / "form.html", FORM_EXPECTED))
    _docx(d / "form-merged.docx", FORM_TITLE, [FORM_ROWS], merge_form=True)
    out.append((d / "form-merged.docx", FORM_EXPECTED))
    _xlsx(d / "form-merged.xlsx", FORM_ROWS)
    out.append((d / "form-merged.xlsx", FORM_EXPECTED))
    (d / "report-prose.txt").write_text(REPORT_PROSE, encoding="utf-8")
    out.append((d / "report-prose.txt", REPORT_EXPECTED))
    _docx(
        d / "report-tables.docx",
        ["2022年城乡居民基本养老保险补助资金绩效评价报告", "一、项目基本情况"],
        REPORT_TABLES,
    )
    out.append((d / "report-tables.docx", REPORT_TABLE_EXPECTED))
    return out


def to_pdf(docx_path: Path, out_dir: Path) -> Path | None:
    """Convert a .docx to PDF with LibreOffice (None when it is not installed)."""
    soffice = shutil.which("soffice")
    if soffice is None:
        return None
    with tempfile.TemporaryDirectory(prefix="lo-jixiao-") as profile:
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(out_dir),
                str(docx_path),
            ],
            capture_output=True,
            timeout=180,
            check=False,
        )
    pdf = out_dir / (docx_path.stem + ".pdf")
    return pdf if pdf.exists() else None


def build_pdfs(directory: Path) -> list[tuple[Path, dict[str, Any]]]:
    """PDFs made by LibreOffice from the Word files of the corpus (slow: one conversion each)."""
    d = Path(directory)
    out = []
    for name, expected in (
        ("form-merged.docx", FORM_EXPECTED),
        ("report-tables.docx", REPORT_TABLE_EXPECTED),
    ):
        src = d / name
        if not src.exists():
            build(d)
        pdf = to_pdf(src, d)
        if pdf is not None:
            out.append((pdf, expected))
    return out


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "corpus-out")
    for path, _ in [*build(target), *build_pdfs(target)]:
        print(path)
