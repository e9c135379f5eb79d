"""``jixiao report``: write the 自评表 (Word, Excel, PDF) or the 评价报告 (Word, PDF) of an evaluation,
or the 绩效目标申报表 / 绩效目标审核意见表 (Word, Excel, PDF) of a target declaration."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

import click

from jixiao import api
from jixiao.cli.common import echo_findings


def _default_out(path: Path, kind: str, fmt: str) -> Path:
    suffix = {
        "self-table": "自评表",
        "report": "评价报告",
        "declaration": "申报表",
        "review-opinion": "审核意见表",
    }.get(kind, kind)
    return path.with_name(f"{path.stem}-{suffix}.{fmt}")


def _fail(message: str) -> NoReturn:
    click.echo(message, err=True)
    sys.exit(2)


def _declarations(file: Path) -> list[api.Declaration]:
    """The declarations a file holds (a published 申报表 may hold several projects); exits on none."""
    loaded = api.ingest_declarations(file)  # a file, a form jixiao wrote, a published or exported 申报表
    for item in loaded:
        echo_findings(item.findings, item.label)
    found = [item.declaration for item in loaded if item.declaration is not None]
    if not found:
        _fail(f"无法生成文书：{file} 不能读取为绩效目标申报数据")
    return found


def _review(
    declaration: api.Declaration, policy: str | None, standards: Path | None
) -> tuple[api.ReviewResult, list[api.Finding]]:
    """The automatic review (审核) of a declaration by its rubric: the result and the findings."""
    try:
        audit = api.review_declaration(declaration, policy, standards)
    except api.RubricError as exc:  # a rubric or standards file that cannot be used: the user's to fix
        for item in exc.findings:
            click.echo(f"{item.location.describe() or policy or standards}: {item.message}", err=True)
        _fail("无法生成文书：审核规则或预算支出标准无法加载")
    return audit.result, list(audit.findings)


def declaration_report(
    file: Path,
    kind: str,
    fmt: str,
    out: Path | None,
    with_findings: bool,
    policy: str | None,
    standards: Path | None = None,
) -> None:
    """Write the 申报表 or 审核意见表 of each declaration ``file`` holds; print each path written."""
    declarations = _declarations(file)
    target = out or _default_out(file, kind, fmt)
    for n, declaration in enumerate(declarations, start=1):
        review: api.ReviewResult | None = None
        findings: list[api.Finding] | None = None
        if kind == "review-opinion" or with_findings:
            review, findings = _review(declaration, policy, standards)
        path = target if len(declarations) == 1 else target.with_name(f"{target.stem}-{n}{target.suffix}")
        try:
            written = api.render_declaration_to_file(
                declaration,
                kind,  # type: ignore[arg-type]
                fmt,  # type: ignore[arg-type]
                path,
                review=review,
                findings=findings if with_findings or kind == "review-opinion" else None,
            )
        except api.RenderError as exc:
            _fail(f"无法生成文书：{exc.message}")
        click.echo(str(written))


def register(group: click.Group) -> None:
    """Add ``report`` to the ``jixiao`` command group."""

    @group.command("report")
    @click.argument("file", type=click.Path(path_type=Path))
    @click.option(
        "--kind",
        "kind",
        type=click.Choice(
            [*api.DOCUMENT_NAMES, *api.DECLARATION_DOCUMENT_NAMES, "monitoring", "monitoring-report"]
        ),
        default="report",
        show_default=True,
        help="文书种类：self-table 自评表，report 评价报告；declaration 绩效目标申报表，review-opinion 绩效目标审核意见表",
    )
    @click.option(
        "--to",
        "--format",
        "fmt",
        type=click.Choice(list(api.FORMAT_NAMES)),
        default="docx",
        show_default=True,
        help="输出格式（评价报告不支持 xlsx）",
    )
    @click.option(
        "-o",
        "--output",
        "out",
        type=click.Path(path_type=Path),
        default=None,
        help="输出文件，默认与输入同目录",
    )
    @click.option(
        "--template",
        type=click.Path(path_type=Path),
        default=None,
        help="评价报告的 Word 模板（.docx），默认使用内置模板",
    )
    @click.option("--with-findings", is_flag=True, help="附上自动复核（申报表：自动审核）发现的问题")
    @click.option("--policy", default=None, help="评价政策（申报：审核规则）名称或文件，默认按文件所写")
    @click.option(
        "--standards",
        type=click.Path(path_type=Path),
        default=None,
        help="预算支出标准表（YAML/CSV），审核申报的成本指标时使用",
    )
    def report(
        file: Path,
        kind: str,
        fmt: str,
        out: Path | None,
        template: Path | None,
        with_findings: bool,
        policy: str | None,
        standards: Path | None,
    ) -> None:
        """生成官方文书：项目支出绩效自评表、绩效评价报告、绩效目标申报表或绩效目标审核意见表。"""
        if kind in ("monitoring", "monitoring-report"):
            from jixiao.cli.monitoring import monitoring_report

            monitoring_report(file, kind, fmt, out, policy, with_findings)
            return
        if kind in api.DECLARATION_DOCUMENT_NAMES:
            if template is not None:
                _fail("申报表和审核意见表使用固定的官方版式，不支持自定义模板（--template 只用于评价报告）")
            declaration_report(file, kind, fmt, out, with_findings, policy, standards)
            return
        form = file.suffix.lower() in (".xlsx", ".xlsm", ".docx") and file.is_file()
        if form and api.load_declaration(file).declaration is not None:  # a 申报表 jixiao wrote
            _fail(
                f"无法生成文书：{file} 是绩效目标申报表，"
                "请用 --kind declaration（申报表）或 --kind review-opinion（审核意见表）"
            )
        loaded = api.load(file)
        if (
            loaded.evaluation is None
            and file.is_file()
            and api.load_declaration(file).declaration is not None
        ):
            _fail(
                f"无法生成文书：{file} 是绩效目标申报数据，"
                "请用 --kind declaration（申报表）或 --kind review-opinion（审核意见表）"
            )
        echo_findings(loaded.findings, str(file))
        if loaded.evaluation is None:
            click.echo(f"无法生成文书：{file} 不能读取为评价数据", err=True)
            sys.exit(2)
        try:
            chosen = api.get_policy(policy) if policy else None
        except api.PolicyError as exc:
            click.echo(f"评价政策无法加载：{exc}", err=True)
            sys.exit(2)
        target = out or _default_out(file, kind, fmt)
        try:
            written = api.render_to_file(
                loaded.evaluation,
                kind,  # type: ignore[arg-type]
                fmt,  # type: ignore[arg-type]
                target,
                policy=chosen,
                template=template,
                with_findings=with_findings,
            )
        except api.RenderError as exc:
            click.echo(f"无法生成文书：{exc.message}", err=True)
            sys.exit(2)
        click.echo(str(written))
