"""The 项目支出绩效目标执行监控表 (财预〔2019〕136号 附件) as rows of cells, shared by the Word and
Excel writers: project, 预算执行情况 by source, then the indicator table with 偏差原因 by category,
完成目标可能性 ticked and 纠偏措施. ``ingest.monitoring`` reads it back by its headings.
"""

from __future__ import annotations

from decimal import Decimal

from jixiao.monitoring import CauseCategory, Likelihood, MonitoredFunds, Monitoring
from jixiao.render.docx_tables import Cell
from jixiao.render.text import fund_label, plain
from jixiao.vocabulary import CAUSE_NAMES, LIGHT_NAMES, LIKELIHOOD_NAMES

FORM_TITLE = "项目支出绩效目标执行监控表"
MARK = "✔"
# Sixteen grid columns, 25.7 cm: A4 landscape less 2 cm margins.
WIDTHS_CM = (1.7, 1.8, 2.6, 1.8, 1.7, 1.7, 0.9, 0.9, 0.9, 0.9, 0.9, 3.3, 0.9, 0.9, 0.9, 3.9)
CATEGORIES = tuple(CauseCategory)
LIKELIHOODS = tuple(Likelihood)


def period_text(monitoring: Monitoring) -> str:
    """``1—6月``."""
    return f"1—{monitoring.cutoff_month}月"


def year_line(monitoring: Monitoring) -> str:
    """``（2025年度 1—6月）``."""
    year = f"{monitoring.year}年度 " if monitoring.year else ""
    return f"（{year}{period_text(monitoring)}）"


def _amount(value: Decimal | None) -> str:
    return plain(value) if value is not None else ""


def _fund_row(row: MonitoredFunds) -> list[Cell]:
    label = fund_label(row.source, row.label)
    return [
        Cell("", head=True, span=3),
        Cell(label, align="left", span=3),
        Cell(_amount(row.budget), span=2),
        Cell(_amount(row.spent), span=2),
        Cell(row.rate.text or "" if row.rate is not None else "", span=2),
        Cell(_amount(row.forecast), span=2),
        Cell(_amount(row.available), span=2),
    ]


def _causes_text(causes: list[tuple[CauseCategory, str | None]]) -> str:
    return "；".join(t for _, t in causes if t)


def monitoring_rows(monitoring: Monitoring) -> tuple[list[list[Cell]], int]:
    """Every row of the form, and the row the indicator table's two heading rows start at."""
    period = period_text(monitoring)
    project = monitoring.project
    rows: list[list[Cell]] = [
        [
            Cell("项目名称", head=True, span=3),
            Cell(project.name, align="left", span=8),
            Cell("项目编码", head=True, span=2),
            Cell(project.code or "", span=3),
        ],
        [
            Cell("主管部门", head=True, span=3),
            Cell(project.department or "", align="left", span=6),
            Cell("实施单位", head=True, span=2),
            Cell(project.unit or "", align="left", span=5),
        ],
        [
            Cell("项目资金（万元）", head=True, span=3),
            Cell("", head=True, span=3),
            Cell("年初预算数", head=True, span=2),
            Cell(f"{period}执行数", head=True, span=2),
            Cell(f"{period}执行率", head=True, span=2),
            Cell("全年预计执行数", head=True, span=2),
            Cell(f"{period}到位数", head=True, span=2),
        ],
    ]
    funds = monitoring.funds or [MonitoredFunds()]
    rows.extend(_fund_row(row) for row in funds)
    start = len(rows)
    rows.append(
        [
            Cell("一级指标", head=True),
            Cell("二级指标", head=True),
            Cell("三级指标", head=True),
            Cell("年度指标值", head=True),
            Cell(f"{period}完成值", head=True),
            Cell("全年预计完成值", head=True),
            Cell("偏差原因分析", head=True, span=6),
            Cell("完成目标可能性", head=True, span=3),
            Cell("纠偏措施", head=True),
        ]
    )
    rows.append(
        [
            *(Cell("", head=True) for _ in range(6)),
            *(Cell(CAUSE_NAMES[c.value], head=True) for c in CATEGORIES),
            Cell("原因说明", head=True),
            *(Cell(LIKELIHOOD_NAMES[k.value], head=True) for k in LIKELIHOODS),
            Cell("", head=True),
        ]
    )
    for ind in monitoring.indicators:
        marked = {c.category for c in ind.causes}
        rows.append(
            [
                Cell(ind.level1),
                Cell(ind.level2 or ""),
                Cell(ind.name or "", align="left"),
                Cell(ind.target.text or "" if ind.target else ""),
                Cell(ind.to_date.text or "" if ind.to_date else ""),
                Cell(ind.forecast.text or "" if ind.forecast else ""),
                *(Cell(MARK if c in marked else "") for c in CATEGORIES),
                Cell(_causes_text([(c.category, c.text) for c in ind.causes]), align="left"),
                *(Cell(MARK if ind.likelihood is k else "") for k in LIKELIHOODS),
                Cell(ind.measures or "", align="left"),
            ]
        )
    overall = "；".join(f"{CAUSE_NAMES[c.category.value]}：{c.text or ''}" for c in monitoring.causes)
    rows.append([Cell("总体偏差原因", head=True, span=3), Cell(overall, align="left", span=13)])
    rows.append(
        [Cell("总体纠偏措施", head=True, span=3), Cell(monitoring.measures or "", align="left", span=13)]
    )
    likely = LIKELIHOOD_NAMES[monitoring.likelihood.value] if monitoring.likelihood else ""
    rows.append([Cell("总体完成目标可能性", head=True, span=3), Cell(likely, align="left", span=13)])
    return rows, start


def light_text(light: str) -> str:
    """绿灯 / 黄灯 / 红灯."""
    return LIGHT_NAMES[light]
