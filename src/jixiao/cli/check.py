"""``jixiao check``: audit (复核) evaluation files — findings, recomputed total and grade."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from jixiao import api
from jixiao.cli.common import echo_findings, finding_text

SEVERITIES = ("info", "warning", "error")
COLORS = {"error": "red", "warning": "yellow", "info": "cyan"}
# --min-severity takes the identifier or the Chinese word: 错误 / 警告 / 提示
SEVERITY_CHOICES = {**{s: s for s in SEVERITIES}, **{api.SEVERITY_NAMES[s]: s for s in SEVERITIES}}


def audited_note(audited: int, files: int, declarations: int = 0, monitored: int = 0) -> str:
    """``（含 23 个评价）`` when some file held several evaluations (a workbook of projects);
    ``（含 20 个申报表）`` / ``（含 2 个评价、20 个申报表）`` when declarations were reviewed."""
    if declarations or monitored:
        parts = ([f"{audited}个评价"] if audited else []) + (
            [f"{declarations}个申报表"] if declarations else []
        )
        parts += [f"{monitored}个监控表"] if monitored else []
        return f"（含{'、'.join(parts)}）"
    return f"（含{audited}个评价）" if audited > files else ""


FORM_NAMES = {
    "target": "绩效目标申报表（目标表），尚未评价，不评分，只复核目标与预算",
    "budget": "部门预算，不是项目评价，不评分",
    "final-accounts": "部门决算，不是项目评价，不评分",
}


def _fmt(value: Any) -> str:
    if value is None:
        return "—"
    return api.format_number(value, 2) if hasattr(value, "quantize") else str(value)


class Printer:
    """Plain text, coloured through rich only when stdout is a terminal."""

    def __init__(self) -> None:
        self.console: Any = None
        if sys.stdout.isatty():
            from rich.console import Console

            self.console = Console(highlight=False, soft_wrap=True)

    def finding(self, place: str, f: api.Finding, note: str) -> None:
        """One ``file:line: 错误 code message`` line (the severity in Chinese)."""
        tail = f"（原文 {note}）" if note else ""
        if self.console is None:
            click.echo(finding_text(place, f) + tail)
        else:
            from rich.markup import escape

            color = COLORS[f.severity.value]
            self.console.print(
                f"{escape(place)}: [{color}]{f.severity.chinese}[/{color}] [bold]{f.code}[/bold] "
                f"{escape(f.message + tail)}"
            )

    def line(self, text: str) -> None:
        """A plain line."""
        if self.console is None:
            click.echo(text)
        else:
            from rich.markup import escape

            self.console.print(escape(text))


def _policy(chosen: api.Policy | None, name: str | None, file: str) -> api.Policy | None:
    if chosen is not None:
        return chosen
    try:
        return api.get_policy(name)
    except api.PolicyError as exc:
        echo_findings(exc.findings, file)
        return None


def register(group: click.Group) -> None:
    """Add ``check`` to the CLI."""

    @group.command("check")
    @click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
    @click.option(
        "--format",
        "fmt",
        type=click.Choice(list(api.AUDIT_FORMAT_NAMES)),
        default=None,
        help="输出格式：text（默认）、json、csv",
    )
    @click.option(
        "-o",
        "--output",
        "out",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="把 JSON 或 CSV 结果写入文件（CSV 带 BOM，可直接用 Excel 打开）；未指定 --format 时按扩展名 .json / .csv",
    )
    @click.option("--policy", default=None, help="评价政策：内置名称（national-2020）或 YAML 文件")
    @click.option(
        "--min-severity",
        type=click.Choice(list(SEVERITY_CHOICES)),
        default="info",
        help="只列出不低于此严重程度的复核意见：error 错误、warning 警告、info 提示（退出码仍按全部错误计）",
    )
    @click.option(
        "--rubric",
        default=None,
        help="绩效目标申报表的审核评分规则：内置名称（national）或 YAML 文件（默认按申报文件所指，否则 national）",
    )
    @click.option(
        "--standards",
        type=click.Path(path_type=Path),
        default=None,
        help="审核申报表时对照的预算支出标准表（YAML 或 CSV：支出项目、计量单位、标准上限）",
    )
    @click.option(
        "--warning",
        default=None,
        help="执行监控表的预警规则：内置名称（national）或 YAML 文件（默认按监控文件所指，否则 national）",
    )
    @click.option(
        "--declaration",
        type=click.Path(path_type=Path),
        default=None,
        help="审核执行监控表时对照的批复绩效目标（申报文件或申报表）",
    )
    def check_command(
        files: tuple[Path, ...],
        fmt: str | None,
        out: Path | None,
        policy: str | None,
        min_severity: str,
        rubric: str | None,
        standards: Path | None,
        warning: str | None,
        declaration: Path | None,
    ) -> None:
        """复核评价文件：逐项重算得分、核对资金与目标，列出问题（错误 / 警告 / 提示）。

        绩效目标申报表（申报文件，或读作申报表的文档）做绩效目标审核：按完整性、相关性、适当性、可行性
        列出问题，给出审核得分、审核结果（优 / 良 / 中 / 差）和处理意见。

        绩效目标执行监控表（kind: monitoring，或 jixiao 生成的 Excel / Word 监控表）做运行监控审核：
        按预警规则亮灯（红灯 / 黄灯 / 绿灯）并说明原因，列出问题（mon.*）。

        退出码：0 无错误；1 有错误；2 文件、政策、审核评分规则或预算支出标准无法使用。
        """
        fmt = _output_format(fmt, out)
        chosen: api.Policy | None = None
        if policy:
            try:
                chosen = api.get_policy(policy)
            except api.PolicyError as exc:
                echo_findings(exc.findings, str(policy))
                sys.exit(2)
        review = _review_options(rubric, standards)
        threshold = api.Severity(SEVERITY_CHOICES[min_severity]).rank
        printer = Printer() if fmt == "text" else None
        audited_files: list[api.AuditedFile] = []
        counts = {s: 0 for s in SEVERITIES}
        unusable = errors = False
        audited = reviewed = 0
        monitored = None
        monitored_count = 0
        for path in files:
            if api.is_monitoring_file(path):
                from jixiao.cli import monitoring as monitoring_cli

                if monitored is None:
                    monitored = (monitoring_cli.warning_policy(warning), monitoring_cli.approved(declaration))
                outcome = monitoring_cli.check_monitoring(
                    path, *monitored, threshold, printer, audited_files, counts
                )
                unusable = unusable or outcome is None
                errors = errors or bool(outcome)
                monitored_count += outcome is not None
                continue
            for item in api.load_any(path):
                if isinstance(item, api.LoadedDeclaration):
                    outcome = _check_declaration(item, review, threshold, printer, audited_files, counts)
                    unusable = unusable or outcome is None
                    errors = errors or bool(outcome)
                    reviewed += outcome is not None
                    continue
                loaded = item
                file, origin = loaded.label, loaded.file
                if loaded.evaluation is None:
                    echo_findings(loaded.findings, file)
                    unusable = True
                    continue
                rules = _policy(chosen, loaded.evaluation.policy, file)
                if rules is None:
                    unusable = True
                    continue
                audit = api.check(loaded.evaluation, rules)
                audited += 1
                every = sorted([*loaded.findings, *audit.findings], key=lambda f: f.severity.rank)
                errors = errors or any(f.severity is api.Severity.error for f in every)
                shown = [f for f in every if f.severity.rank <= threshold]
                for f in shown:
                    counts[f.severity.value] += 1
                if fmt != "text":
                    score = audit.score
                    audited_files.append(
                        api.AuditedFile(
                            file,
                            origin,
                            score.claimed_total,
                            score.computed_total,
                            score.claimed_grade,
                            score.computed_grade,
                            shown,
                            dict(loaded.line_of),
                        )
                    )
                else:
                    assert printer is not None
                    for f in shown:
                        line = api.finding_line(f, origin, loaded.line_of)
                        printer.finding(f"{file}:{line}" if line else file, f, api.source_note(f, origin))
                    score = audit.score
                    printed = loaded.evaluation.form
                    form = printed.value if printed is not None else None
                    if form in ("target", "budget", "final-accounts"):  # nothing scored yet
                        printer.line(f"{file}: {FORM_NAMES[form]}")
                    else:
                        printer.line(
                            f"{file}: 总分 填报{_fmt(score.claimed_total)} / 重算{_fmt(score.computed_total)}；"
                            f"等级 填报{score.claimed_grade or '未标明'} / 重算{score.computed_grade or '—'}"
                        )
        tally = (
            f"共复核{len(files)}个文件{audited_note(audited, len(files), reviewed, monitored_count)}："
            f"{counts['error']}个错误，{counts['warning']}个警告，{counts['info']}个提示"
        )
        if fmt == "text":
            assert printer is not None
            printer.line(tally)
        elif out is None:
            click.echo(api.AUDIT_WRITERS[fmt](audited_files), nl=fmt == "json")
        else:
            _write(out, fmt, api.AUDIT_FILE_WRITERS[fmt](audited_files) + ("\n" if fmt == "json" else ""))
            click.echo(f"{tally}；结果已写入 {out}", err=True)
        sys.exit(2 if unusable else (1 if errors else 0))


class ReviewOptions:
    """What every declaration is reviewed with: the rubric (None: the one each declaration names)
    and the 预算支出标准 table."""

    def __init__(self, rubric: api.Rubric | None, standards: api.Standards | None) -> None:
        self.rubric = rubric
        self.standards = standards


def _review_options(rubric: str | None, standards: Path | None) -> ReviewOptions:
    """The ``--rubric`` and ``--standards`` loaded once (exit 2 with the reasons when unusable)."""
    chosen: api.Rubric | None = None
    if rubric:
        chosen, problems = api.load_rubric_with_findings(rubric)
        if chosen is None:
            echo_findings(problems, rubric)
            sys.exit(2)
    table: api.Standards | None = None
    if standards is not None:
        table, problems = api.load_standards(standards)
        if table is None or problems:
            echo_findings(problems, str(standards))
            sys.exit(2)
    return ReviewOptions(chosen, table)


def _check_declaration(
    loaded: api.LoadedDeclaration,
    options: ReviewOptions,
    threshold: int,
    printer: Printer | None,
    audited_files: list[api.AuditedFile],
    counts: dict[str, int],
) -> bool | None:
    """Review (审核) one declaration and print or collect the result: True with an error finding,
    False without, None when the declaration or its rubric cannot be used."""
    file, origin = loaded.label, loaded.file
    declaration = loaded.declaration
    if declaration is None:
        echo_findings(loaded.findings, file)
        return None
    try:
        audit = api.review_declaration(declaration, options.rubric, options.standards)
    except api.RubricError as exc:
        echo_findings(exc.findings, file)
        return None
    shown = [f for f in [*loaded.findings, *audit.findings] if f.severity.rank <= threshold]
    for f in shown:
        counts[f.severity.value] += 1
    result = audit.result
    has_errors = any(f.severity is api.Severity.error for f in [*loaded.findings, *audit.findings])
    if printer is None:
        shown.sort(key=lambda f: f.severity.rank)
        audited_files.append(
            api.AuditedFile(
                file, origin, None, result.total, None, result.grade.value, shown, dict(loaded.line_of)
            )
        )
        return has_errors

    def emit(f: api.Finding) -> None:
        line = api.finding_line(f, origin, loaded.line_of)
        printer.finding(f"{file}:{line}" if line else file, f, api.source_note(f, origin))

    printer.line(f"{file}: {result.rubric_title or '绩效目标审核（' + result.rubric + '）'}")
    read = [f for f in loaded.findings if f.severity.rank <= threshold]
    for f in sorted(read, key=lambda f: f.severity.rank):
        emit(f)
    groups = audit.by_criterion()
    for item in result.criteria:
        off = f"，扣{_fmt(item.deducted)}分" if item.deducted else ""
        printer.line(
            f"{file}: {api.CRITERION_NAMES[item.criterion.value]} 得{_fmt(item.score)}分"
            f"（满分{api.format_number(item.weight, 2, trim=True)}分{off}）"
        )
        for f in groups[item.criterion]:
            if f.severity.rank <= threshold:
                emit(f)
    printer.line(
        f"{file}: 审核得分 {_fmt(result.total)}，审核结果：{result.grade.value}——{result.consequence}"
    )
    return has_errors


def _output_format(fmt: str | None, out: Path | None) -> str:
    """The format asked for; with ``-o`` and no ``--format``, the one the file's suffix names."""
    if fmt is None and out is not None:
        fmt = out.suffix.lower().lstrip(".")
        if fmt not in api.AUDIT_WRITERS:
            raise click.UsageError(
                f"无法从文件名 {out.name} 判断输出格式：请加 --format json 或 --format csv"
            )
    fmt = fmt or "text"
    if out is not None and fmt == "text":
        raise click.UsageError("-o/--output 只用于 JSON 或 CSV 结果：请加 --format json 或 --format csv")
    return fmt


def _write(out: Path, fmt: str, text: str) -> None:
    """The audit written to a file in its format's encoding (CSV with the BOM Excel needs)."""
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding=api.AUDIT_FILE_ENCODINGS.get(fmt, "utf-8"), newline="")
    except OSError as exc:
        click.echo(f"无法写入 {out}：{exc.strerror or exc}", err=True)
        sys.exit(2)
