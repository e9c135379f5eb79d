"""Monitoring (运行监控) on the command line: ``jixiao check`` on a monitoring report (findings and
lights), ``jixiao report --kind monitoring | monitoring-report`` and
``jixiao new --kind monitoring [--from 申报表] --month N``."""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path
from typing import Any, Protocol

import click

from jixiao import api
from jixiao.cli.common import echo_findings

MONITORING_SUFFIXES = (".yaml", ".yml", ".json", ".xlsx", ".xls", ".docx")


class Lines(Protocol):
    """What prints a finding and a line (``cli.check.Printer``)."""

    def finding(self, place: str, f: api.Finding, note: str) -> None: ...

    def line(self, text: str) -> None: ...


def _fail(message: str, code: int = 2) -> None:
    click.echo(message, err=True)
    sys.exit(code)


def warning_policy(name: str | None) -> api.WarningPolicy | None:
    """``--warning`` loaded once (exit 2 with the reasons when unusable); None: each report's own."""
    if not name:
        return None
    policy, problems = api.load_warning_policy_with_findings(name)
    if policy is None:
        echo_findings(problems, name)
        sys.exit(2)
    return policy


def approved(path: Path | None) -> api.Declaration | None:
    """``--declaration``: the approved targets to compare with (exit 2 when unusable)."""
    if path is None:
        return None
    loaded = api.load_declaration(path)
    if loaded.declaration is None:
        echo_findings(loaded.findings, str(path))
        sys.exit(2)
    return loaded.declaration


def check_monitoring(
    path: Path,
    policy: api.WarningPolicy | None,
    declaration: api.Declaration | None,
    threshold: int,
    printer: Lines | None,
    audited_files: list[api.AuditedFile],
    counts: dict[str, int],
) -> bool | None:
    """Review one monitoring report and print or collect it: True with an error finding, False
    without, None when it cannot be read."""
    loaded = api.load_monitoring(path)
    file, origin = loaded.label, loaded.file
    monitoring = loaded.monitoring
    if monitoring is None:
        echo_findings(loaded.findings, file)
        return None
    try:
        audit = api.review_monitoring(monitoring, policy, declaration)
    except api.WarningPolicyError as exc:
        echo_findings(exc.findings, file)
        return None
    every = sorted([*loaded.findings, *audit.findings], key=lambda f: f.severity.rank)
    shown = [f for f in every if f.severity.rank <= threshold]
    for f in shown:
        counts[f.severity.value] += 1
    light = api.LIGHT_NAMES[audit.light.value]
    if printer is None:
        audited_files.append(
            api.AuditedFile(file, origin, None, None, None, light, shown, dict(loaded.line_of))
        )
    else:
        period = f"{monitoring.year}年" if monitoring.year else ""
        printer.line(f"{file}: 运行监控（{period}1—{monitoring.cutoff_month}月）预警：{light}")
        for reason in audit.warning.reasons():
            printer.line(f"{file}:   {reason}")
        for f in shown:
            line = api.finding_line(f, origin, loaded.line_of)
            printer.finding(f"{file}:{line}" if line else file, f, api.source_note(f, origin))
    return any(f.severity is api.Severity.error for f in every)


def _reports(source: Path) -> list[api.Monitoring]:
    """The monitoring reports of a file or of every monitoring file in a folder; exits on none."""
    paths = (
        sorted(p for p in source.iterdir() if p.suffix.lower() in MONITORING_SUFFIXES)
        if source.is_dir()
        else [source]
    )
    found: list[api.Monitoring] = []
    for path in paths:
        if source.is_dir() and not api.is_monitoring_file(path):
            continue
        loaded = api.load_monitoring(path)
        echo_findings(loaded.findings, loaded.label)
        if loaded.monitoring is not None:
            found.append(loaded.monitoring)
    if not found:
        _fail(f"无法生成文书：{source} 中没有可读取的绩效目标执行监控表")
    return found


def _write(path: Path, data: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    except OSError as exc:
        _fail(f"无法写入 {path}：{exc.strerror or exc}")
    click.echo(str(path))


def monitoring_report(
    source: Path, kind: str, fmt: str, out: Path | None, policy: str | None, with_findings: bool
) -> None:
    """``jixiao report --kind monitoring`` (each report's 执行监控表) or ``monitoring-report`` (one
    report per unit: its projects with their lights, then each table)."""
    chosen = warning_policy(policy)
    reports = _reports(source)
    base = source if source.is_dir() else source.parent
    try:
        if kind == "monitoring":
            for n, monitoring in enumerate(reports, start=1):
                target = out or base / f"{source.stem}-执行监控表.{fmt}"
                if len(reports) > 1:
                    target = target.with_name(f"{target.stem}-{n}{target.suffix}")
                data = api.render_monitoring(monitoring, fmt, policy=chosen, with_review=with_findings)  # type: ignore[arg-type]
                _write(target, data)
            return
        units: dict[str, list[api.Monitoring]] = defaultdict(list)
        for monitoring in reports:
            project = monitoring.project
            units[project.unit or project.department or "（未填写单位）"].append(monitoring)
        for unit, items in units.items():
            target = out or base / f"运行监控报告-{unit}.{fmt}"
            if out is not None and len(units) > 1:
                target = out.with_name(f"{out.stem}-{unit}{out.suffix}")
            _write(target, api.render_monitoring_report(unit, items, fmt, policy=chosen))  # type: ignore[arg-type]
    except api.RenderError as exc:
        _fail(f"无法生成文书：{exc.message}")
    except api.WarningPolicyError as exc:
        echo_findings(exc.findings, str(policy))
        sys.exit(2)


MONITORING_HEADER = (
    "绩效目标执行监控表（运行监控）：填写截止月份的执行数、完成值、全年预计、完成目标可能性\n"
    "（certain 确定能 / possible 有可能 / impossible 完全不可能）、偏差原因（category: funding 经费保障 /\n"
    "system 制度保障 / staffing 人员保障 / hardware 硬件条件保障 / other 其他；text）和纠偏措施（measures）。\n"
    "审核和预警：jixiao check 本文件 [--declaration 申报表]；生成文书：jixiao report 本文件 --kind monitoring。"
)


def new_monitoring(
    output: Path | None, fmt: str, month: int | None, source: Path | None, year: int | None, name: str
) -> None:
    """``jixiao new --kind monitoring``: a report prefilled from the approved targets (``--from``),
    else blank, as YAML / JSON or as the Excel / Word form to fill in."""
    if month is None or not 1 <= month <= 12:
        _fail("生成监控表需要用 --month 指定截止月份（1—12）")
        return
    if source is not None:
        declaration = approved(source)
        assert declaration is not None
        monitoring = api.monitoring_from_declaration(declaration, month)
        if year is not None:
            monitoring = monitoring.model_copy(update={"year": year})
    else:
        monitoring = api.Monitoring.model_validate(
            {"year": year, "cutoff_month": month, "project": {"name": name}, "funds": [{"source": "total"}]}
        )
    if fmt in ("xlsx", "docx"):
        if output is None:
            _fail(f"生成{'Excel' if fmt == 'xlsx' else 'Word'}监控表需要用 -o 指定输出文件")
            return
        try:
            form = api.render_monitoring(monitoring, fmt, with_review=False)  # type: ignore[arg-type]
        except api.RenderError as exc:
            _fail(f"生成监控表失败：{exc.message}")
            return
        output.write_bytes(form)
        click.echo(f"已生成 {output}", err=True)
        return
    data: Any = monitoring.model_dump(mode="json", exclude_none=True)
    data.pop("schema_version", None)
    if fmt == "json":
        text = api.dump_json(data) + "\n"
    else:
        import io

        from ruamel.yaml import YAML

        yaml = YAML(typ="rt")
        yaml.allow_unicode = True
        yaml.width = 4096
        buffer = io.StringIO()
        buffer.write("".join(f"# {line}\n" for line in MONITORING_HEADER.splitlines()))
        yaml.dump(data, buffer)
        text = buffer.getvalue()
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"已生成 {output}", err=True)
