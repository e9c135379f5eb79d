"""``jixiao frameworks``, ``jixiao new`` and ``jixiao schema``: indicator templates and the file format.

``jixiao new --kind declaration`` writes a blank target declaration (绩效目标申报): a YAML/JSON
file, or the Excel / Word 申报表 a unit fills in and ``jixiao report`` reads back.
"""

from __future__ import annotations

import io
import sys
from datetime import date
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from ruamel.yaml.representer import RoundTripRepresenter

from jixiao import api
from jixiao.cli.common import dump_json

EXIT_USAGE = 2


def _weight_text(weight: Decimal | None) -> str:
    if weight is None:
        return "—"
    return format(weight.normalize(), "f")


def _weights_summary(framework: api.Framework) -> str:
    """``产出指标 50 / 效益指标 30 / …``."""
    return " / ".join(f"{k} {_weight_text(v)}" for k, v in framework.level_weights().items())


def schema_text() -> str:
    """The JSON Schema of the evaluation file, as written to docs/schema.json."""
    return dump_json(api.Evaluation.model_json_schema()) + "\n"


def _yaml_ready(value: Any) -> Any:
    """Plain data → ruamel commented containers, Decimals kept as printed numbers."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(value, dict):
        out = CommentedMap()
        for k, v in value.items():
            out[k] = _yaml_ready(v)
        return out
    if isinstance(value, list):
        seq = CommentedSeq()
        seq.extend(_yaml_ready(v) for v in value)
        return seq
    if isinstance(value, Enum):
        return value.value
    return value


def _represent_decimal(representer: RoundTripRepresenter, value: Decimal) -> Any:
    text = format(value, "f")
    tag = "tag:yaml.org,2002:float" if "." in text else "tag:yaml.org,2002:int"
    return representer.represent_scalar(tag, text)


def _python_data(evaluation: api.Evaluation) -> dict[str, Any]:
    """Evaluation-file data with Decimals and dates kept as Python values (for YAML)."""
    keep = api.to_data(evaluation)
    full = evaluation.model_dump(mode="python", exclude_none=True)

    def pick(shape: Any, typed: Any) -> Any:
        if isinstance(shape, dict) and isinstance(typed, dict):
            return {k: pick(v, typed.get(k)) for k, v in shape.items()}
        if isinstance(shape, list) and isinstance(typed, list):
            return [pick(s, t) for s, t in zip(shape, typed, strict=False)]
        if isinstance(typed, Decimal | date) and not isinstance(typed, bool):
            return typed
        return shape

    data: dict[str, Any] = pick(keep, full)
    return data


def evaluation_yaml(evaluation: api.Evaluation, framework: api.Framework) -> str:
    """A ready-to-fill evaluation file in YAML, with comments saying what to fill in."""
    root = _yaml_ready(_python_data(evaluation))
    root.yaml_set_start_comment(
        f"评价文件（待填写）：按指标体系 {framework.name}「{framework.title}」生成。\n"
        "填写 project、funds、各指标的 target（年度指标值）和 actual（实际完成值）、claimed（得分），\n"
        '数字照原样写，例如 target: "≥95%"、actual: "108.13万人"。格式说明见 docs/format.md。'
    )
    hints = {
        "project": "项目名称、主管部门（department）、实施单位（unit）等",
        "funds": "资金（万元）：total 与 lines 下的 budget / available / spent / surplus",
        "indicators": "指标：分值（weight）与评分规则（rule）来自指标体系，可按项目调整",
    }
    for key, text in hints.items():
        if key in root:
            root.yaml_set_comment_before_after_key(key, before=text)
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.allow_unicode = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.representer.add_representer(Decimal, _represent_decimal)
    buffer = io.StringIO()
    yaml.dump(root, buffer)
    return buffer.getvalue()


def _fail(message: str) -> None:
    click.echo(message, err=True)
    sys.exit(EXIT_USAGE)


def _load_or_exit(name: str) -> api.Framework:
    framework, problems = api.load_framework_with_findings(name)
    if framework is None:
        for item in problems:
            where = item.location.describe()
            click.echo(f"{where + ': ' if where else ''}{item.message}", err=True)
        if not Path(name).exists():
            click.echo(f"内置指标体系：{'、'.join(api.builtin_framework_names())}", err=True)
        sys.exit(EXIT_USAGE)
    return framework


def register(group: click.Group) -> None:
    """Add ``frameworks``, ``new`` and ``schema`` to the ``jixiao`` command group."""

    @group.command("frameworks")
    @click.option("--json", "as_json", is_flag=True, help="以 JSON 输出。")
    def frameworks_command(as_json: bool) -> None:
        """列出内置指标体系：名称、标题、评价类型、一级指标分值。"""
        rows: list[api.Framework] = []
        for name in api.builtin_framework_names():
            framework, problems = api.load_framework_with_findings(name)
            if framework is None:  # a broken file dropped into the folder: say so, list the rest
                for item in problems:
                    click.echo(f"{item.location.describe()}: {item.message}", err=True)
                continue
            rows.append(framework)
        if as_json:
            click.echo(
                dump_json(
                    [
                        {
                            "name": fw.name,
                            "title": fw.title,
                            "kind": fw.kind.value,
                            "weights": fw.level_weights(),
                            "indicators": fw.indicator_count(),
                        }
                        for fw in rows
                    ]
                )
            )
            return
        from rich.console import Console
        from rich.table import Table

        table = Table(title="内置指标体系")
        for column in ("名称", "标题", "类型", "一级指标分值", "三级指标数"):
            table.add_column(column)
        for fw in rows:
            table.add_row(
                fw.name,
                fw.title,
                api.KIND_NAMES.get(fw.kind.value, fw.kind.value),
                _weights_summary(fw),
                str(fw.indicator_count()),
            )
        Console(width=160).print(table)

    @group.command("new")
    @click.option(
        "--framework", "-f", "framework_name", default=None, help="指标体系名称或 YAML 文件（评价文件必填）。"
    )
    @click.option(
        "--kind",
        type=click.Choice(["evaluation", "declaration", "monitoring"]),
        default="evaluation",
        show_default=True,
        help="evaluation 评价文件 / 自评表；declaration 绩效目标申报文件 / 申报表；monitoring 绩效目标执行监控表。",
    )
    @click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="输出文件。")
    @click.option(
        "--to",
        "--format",
        "fmt",
        type=click.Choice(["yaml", "json", "xlsx", "docx"]),
        default=None,
        help="输出格式（默认按 -o 的扩展名，否则 yaml；docx 只用于申报表）。",
    )
    @click.option("--year", type=int, default=None, help="评价年度（申报表为预算年度）。")
    @click.option("--name", "project_name", default="（项目名称）", help="项目名称。")
    @click.option("--annual-only", is_flag=True, help="申报表只含年度目标，不含中期目标。")
    @click.option("--month", type=int, default=None, help="监控表的截止月份（1—N月的 N）。")
    @click.option(
        "--from",
        "from_file",
        type=click.Path(path_type=Path),
        default=None,
        help="监控表按此申报文件（批复的绩效目标）预填项目、预算和年度指标值。",
    )
    def new_command(
        framework_name: str | None,
        kind: str,
        output: Path | None,
        fmt: str | None,
        year: int | None,
        project_name: str,
        annual_only: bool,
        month: int | None,
        from_file: Path | None,
    ) -> None:
        """生成待填写的评价文件（YAML、JSON 或 Excel 自评表），或绩效目标申报文件 / 申报表（--kind declaration）。"""
        if year is not None and not 1990 <= year <= 2100:
            _fail(f"{'预算' if kind == 'declaration' else '评价'}年度 {year} 不在 1990–2100 之间")
        if fmt is None:
            suffix = output.suffix.lower() if output else ""
            fmt = {".json": "json", ".xlsx": "xlsx", ".docx": "docx"}.get(suffix, "yaml")
        if kind == "monitoring":
            from jixiao.cli.monitoring import new_monitoring

            new_monitoring(output, fmt, month, from_file, year, project_name)
            return
        if kind == "declaration":
            _new_declaration(output, fmt, year, project_name, annual_only)
            return
        if framework_name is None:
            _fail(
                "生成评价文件需要用 --framework 指定指标体系（内置："
                + "、".join(api.builtin_framework_names())
                + "）"
            )
            return
        if fmt == "docx":
            _fail(
                "评价文件不能生成 Word 格式：请用 yaml、json 或 xlsx（Word 自评表请用 jixiao report --kind self-table）"
            )
        framework = _load_or_exit(framework_name)
        evaluation = api.new_evaluation(framework, year=year, project_name=project_name)
        if fmt == "xlsx":
            if output is None:
                _fail("生成 Excel 自评表需要用 -o 指定输出文件")
                return
            _write_xlsx(evaluation, output)
            click.echo(f"已生成 {output}", err=True)
            return
        text = (
            dump_json(api.to_data(evaluation)) + "\n"
            if fmt == "json"
            else evaluation_yaml(evaluation, framework)
        )
        if output is None:
            click.echo(text, nl=False)
        else:
            output.write_text(text, encoding="utf-8")
            click.echo(f"已生成 {output}", err=True)

    @group.command("schema")
    @click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="输出文件。")
    def schema_command(output: Path | None) -> None:
        """输出评价文件的 JSON Schema（供编辑器校验和补全）。"""
        text = schema_text()
        if output is None:
            click.echo(text, nl=False)
        else:
            output.write_text(text, encoding="utf-8")
            click.echo(f"已生成 {output}", err=True)


DECLARATION_HEADER = (
    "绩效目标申报文件（待填写）：项目支出绩效目标申报表的内容。\n"
    "填写 project（项目名称 name、主管部门 department、实施单位 unit）、novelty（new 新增 / continuing 延续）、\n"
    "period_years（项目期，年）、funds（万元）、medium / annual 的 goals（目标，一条一项）和 indicators：\n"
    'name（三级指标）、comparison（">=" "<=" "="）、target（指标值，如 "95"）、unit（度量单位）、\n'
    "basis_kind（plan 计划标准 / history 历史标准 / industry 行业标准 / budget 预算支出标准 / other 其他标准）、\n"
    "last_actual（上年实际值）、explanation（指标解释）。生成文书：jixiao report 本文件 --kind declaration。"
)


def _pruned(value: Any) -> Any:
    """Data without empty lists and mappings (defaults the file need not spell out)."""
    if isinstance(value, dict):
        return {k: _pruned(v) for k, v in value.items() if v not in ({}, []) or k == "indicators"}
    if isinstance(value, list):
        return [_pruned(v) for v in value]
    return value


def declaration_yaml(declaration: api.Declaration) -> str:
    """A ready-to-fill declaration file in YAML, with a comment saying what to fill in."""
    root = _yaml_ready(_pruned(declaration.model_dump(exclude_none=True)))
    root.yaml_set_start_comment(DECLARATION_HEADER)
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.allow_unicode = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.representer.add_representer(Decimal, _represent_decimal)
    buffer = io.StringIO()
    yaml.dump(root, buffer)
    return buffer.getvalue()


def _new_declaration(output: Path | None, fmt: str, year: int | None, name: str, annual_only: bool) -> None:
    """``jixiao new --kind declaration``: a declaration file, or the Excel / Word 申报表 to fill in."""
    declaration = api.new_declaration(year=year, project_name=name, medium=not annual_only)
    if fmt in ("xlsx", "docx"):
        if output is None:
            _fail(f"生成{'Excel' if fmt == 'xlsx' else 'Word'}申报表需要用 -o 指定输出文件")
            return
        try:
            api.render_declaration_to_file(declaration, "declaration", fmt, output)  # type: ignore[arg-type]
        except api.RenderError as exc:
            _fail(f"生成申报表失败：{exc.message}")
        click.echo(f"已生成 {output}", err=True)
        return
    data = _pruned(declaration.model_dump(mode="json", exclude_none=True))
    text = dump_json(data) + "\n" if fmt == "json" else declaration_yaml(declaration)
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"已生成 {output}", err=True)


def _write_xlsx(evaluation: api.Evaluation, output: Path) -> None:
    """The 自评表 as Excel through ``jixiao.render``; a clear message when it is not available."""
    try:
        api.render_to_file(evaluation, "self-table", "xlsx", output)
    except api.RenderError as exc:
        _fail(f"生成 Excel 自评表失败：{exc.message}")
