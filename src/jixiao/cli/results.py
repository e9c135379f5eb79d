"""``jixiao rectify`` (整改台账), ``jixiao suggest`` (结果应用) and ``jixiao publish`` (绩效公开)."""

from __future__ import annotations

import sys
from datetime import date, datetime
from pathlib import Path
from typing import NoReturn

import click

from jixiao import api
from jixiao.cli.common import echo_findings

DATE = click.DateTime(formats=["%Y-%m-%d"])


def _fail(message: str) -> NoReturn:
    click.echo(message, err=True)
    sys.exit(2)


def _day(value: datetime | None) -> date | None:
    return value.date() if value is not None else None


def _evaluations(files: tuple[Path, ...]) -> list[api.Evaluation]:
    """Every evaluation the files hold; load problems are printed, an unreadable file stops."""
    found: list[api.Evaluation] = []
    for file in files:
        if not file.exists():
            _fail(f"找不到文件 {file}")
        for loaded in api.load_all(file):
            if loaded.evaluation is None:
                echo_findings(loaded.findings, str(file))
                _fail(f"{file} 不能读取为评价文件")
            found.append(loaded.evaluation)
    return found


def _ledger(path: Path | None) -> list[api.RectificationItem]:
    if path is None:
        return []
    try:
        return api.read_ledger(path)
    except api.LedgerImportError as exc:
        for message in exc.messages:
            click.echo(message, err=True)
        _fail(f"无法读取整改台账 {path}")


def _write(out: Path, data: bytes) -> None:
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(data)
    except OSError as exc:
        _fail(f"无法写入 {out}：{exc.strerror or exc}")
    click.echo(str(out))


def register(group: click.Group) -> None:
    """Add ``rectify``, ``suggest`` and ``publish`` to the CLI."""

    @group.command("rectify")
    @click.argument("files", nargs=-1, type=click.Path(path_type=Path))
    @click.option(
        "--audit-report",
        "reports",
        multiple=True,
        type=click.Path(path_type=Path),
        help="审计报告的问题清单（Excel 或编号列出问题的文本），可多次给出",
    )
    @click.option(
        "--ledger",
        type=click.Path(path_type=Path),
        default=None,
        help="已有的整改台账（xlsx）：新问题追加，已有问题保留原状态",
    )
    @click.option(
        "--origin",
        type=click.Choice(list(api.ORIGIN_NAMES)),
        default="review",
        show_default=True,
        help="评价文件中问题的来源：review 复核，self 单位自评，department 部门评价，finance 财政评价",
    )
    @click.option("--project", default=None, help="审计报告未列项目时使用的项目名称")
    @click.option("--unit", default=None, help="审计报告未列责任单位时使用的单位")
    @click.option("--year", type=int, default=None, help="审计报告问题所属年度")
    @click.option(
        "--on", "found_on", type=DATE, default=None, help="发现问题的日期（默认今天），整改时限由此起算"
    )
    @click.option(
        "--deadline-days",
        type=click.IntRange(1, 3650),
        default=None,
        help="整改时限天数（默认取结果应用政策的 deadline_days）",
    )
    @click.option("--today", type=DATE, default=None, help="判断逾期的日期（默认今天）")
    @click.option(
        "-o",
        "--output",
        "out",
        type=click.Path(path_type=Path),
        default=Path("整改台账.xlsx"),
        show_default=True,
        help="输出的整改台账",
    )
    def rectify_cmd(
        files: tuple[Path, ...],
        reports: tuple[Path, ...],
        ledger: Path | None,
        origin: str,
        project: str | None,
        unit: str | None,
        year: int | None,
        found_on: datetime | None,
        deadline_days: int | None,
        today: datetime | None,
        out: Path,
    ) -> None:
        """由评价文件的复核意见和“存在问题”、绩效目标申报的审核意见、审计报告的问题清单生成整改台账（xlsx，逾期标红）。"""
        if not files and not reports and ledger is None:
            _fail("请给出评价文件、--audit-report 审计问题清单或 --ledger 已有台账")
        on = _day(found_on)
        days = deadline_days if deadline_days is not None else api.load_results_policy().deadline_days
        items = _ledger(ledger)
        for file in files:
            if not file.exists():
                _fail(f"找不到文件 {file}")
            for loaded in api.load_any(file):
                if isinstance(loaded, api.LoadedDeclaration):
                    if loaded.declaration is None:
                        echo_findings(loaded.findings, str(file))
                        _fail(f"{file} 不能读取为绩效目标申报")
                    try:
                        review = api.review_declaration(loaded.declaration)
                    except api.RubricError as exc:
                        echo_findings(exc.findings, str(file))
                        _fail(f"{file}：审核规则无法加载")
                    found = api.items_from_declaration_review(
                        loaded.declaration, review, api.Origin(origin), on=on, deadline_days=days
                    )
                else:
                    if loaded.evaluation is None:
                        echo_findings(loaded.findings, str(file))
                        _fail(f"{file} 不能读取为评价文件")
                    found = api.ledger_items(loaded.evaluation, origin, on=on, deadline_days=days)
                items = api.merge_items(items, found)
        for report in reports:
            try:
                found = api.read_audit_problems(
                    report, project=project, unit=unit, year=year, on=on, deadline_days=days
                )
            except api.LedgerImportError as exc:
                for message in exc.messages:
                    click.echo(message, err=True)
                _fail(f"无法导入审计问题 {report}")
            items = api.merge_items(items, found)
        day = _day(today) or date.today()
        _write(out, api.ledger_xlsx(items, day))
        late = api.overdue_items(items, day)
        click.echo(f"共{len(items)}个问题，其中逾期{len(late)}个", err=True)

    @group.command("suggest")
    @click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
    @click.option("--policy", default=None, help="结果应用政策：内置名称（national）或 YAML 文件")
    @click.option(
        "--ledger",
        type=click.Path(path_type=Path),
        default=None,
        help="整改台账（xlsx）：逾期未整改或不整改的问题按政策另行调整",
    )
    @click.option("--today", type=DATE, default=None, help="判断逾期的日期（默认今天）")
    @click.option(
        "--to",
        "--format",
        "fmt",
        type=click.Choice(["xlsx", "csv", "text"]),
        default="text",
        show_default=True,
        help="输出格式",
    )
    @click.option(
        "-o",
        "--output",
        "out",
        type=click.Path(path_type=Path),
        default=None,
        help="输出文件（xlsx、csv 时默认 结果应用建议表.<格式>）",
    )
    def suggest_cmd(
        files: tuple[Path, ...],
        policy: str | None,
        ledger: Path | None,
        today: datetime | None,
        fmt: str,
        out: Path | None,
    ) -> None:
        """按评价等级和结果应用政策提出下一年度预算安排建议（逐项目），输出表格。"""
        evaluations = _evaluations(files)
        try:
            suggestions = api.budget_suggestions(
                evaluations, policy, items=_ledger(ledger), today=_day(today)
            )
        except api.ResultsPolicyError as exc:
            for f in exc.findings:
                click.echo(f"{f.location.describe() or policy}: {f.message}", err=True)
            _fail("无法提出建议：结果应用政策无法加载")
        units = {e.project.name: e.project.unit for e in evaluations}
        if fmt == "text":
            for s in suggestions:
                change = f"，调整{s.change}%" if s.change else ""
                amount = f"，建议下年预算{s.suggested}万元" if s.suggested is not None else ""
                click.echo(
                    f"{s.project}  {s.grade or '无等级'}（{s.score if s.score is not None else '—'}分）：{s.action}{change}{amount}"
                )
            return
        _write(out or Path(f"结果应用建议表.{fmt}"), api.suggestions_table(suggestions, fmt, units=units))

    @group.command("publish")
    @click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
    @click.option("--unit", required=True, help="单位名称（印在材料上）")
    @click.option("--year", type=int, required=True, help="年度")
    @click.option(
        "--ledger",
        type=click.Path(path_type=Path),
        default=None,
        help="整改台账（xlsx），其中本单位的问题列入整改情况表",
    )
    @click.option("--today", type=DATE, default=None, help="整改情况的截止日期（默认今天）")
    @click.option(
        "-o",
        "--output",
        "out",
        type=click.Path(path_type=Path),
        default=None,
        help="输出目录（默认当前目录）",
    )
    def publish_cmd(
        files: tuple[Path, ...],
        unit: str,
        year: int,
        ledger: Path | None,
        today: datetime | None,
        out: Path | None,
    ) -> None:
        """生成绩效公开材料：各项目自评表、评价报告摘要、整改情况表，合为一个 PDF 并打包为 zip。"""
        evaluations = _evaluations(files)
        names = {e.project.name for e in evaluations}
        items = [i for i in _ledger(ledger) if i.project in names or i.unit == unit]
        try:
            pdf, archive = api.publication_pack(unit, year, evaluations, items, today=_day(today))
        except api.RenderError as exc:
            _fail(f"无法生成绩效公开材料：{exc.message}")
        folder = out or Path(".")
        stem = f"{unit}-{year}年度-绩效公开材料".replace("/", "_")
        _write(folder / f"{stem}.pdf", pdf)
        _write(folder / f"{stem}.zip", archive)
