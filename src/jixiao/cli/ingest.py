"""``jixiao ingest``: read published reports into evaluation files and target declarations (绩效目标申报表)
into declaration files (``kind: declaration``), or print a flat summary."""

from __future__ import annotations

import sys
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from jixiao.cli.common import dump_json, echo_findings

if TYPE_CHECKING:
    from jixiao.api import Declaration


def register(group: click.Group) -> None:
    """Add ``ingest`` to the command group."""

    @group.command("ingest")
    @click.argument("docs", nargs=-1, required=True, type=click.Path(path_type=Path))
    @click.option(
        "-o",
        "--output",
        "out_dir",
        type=click.Path(path_type=Path),
        default=None,
        help="输出目录（默认打印到标准输出）",
    )
    @click.option("--format", "fmt", type=click.Choice(["yaml", "json"]), default="yaml", help="输出格式")
    @click.option("--summary", is_flag=True, help="只输出扁平摘要（金额单位万元，比率为 %，未知为 null）")
    def ingest(docs: tuple[Path, ...], out_dir: Path | None, fmt: str, summary: bool) -> None:
        """读取评价报告/自评表和绩效目标申报表（txt、html、docx、doc、xlsx、xls、pdf），生成评价文件或申报文件。"""
        from jixiao.api import LoadedDeclaration, ingest_any, summarize, to_json, to_yaml

        failed = False
        written: set[Path] = set()
        summaries = []
        for doc in docs:
            parts = ingest_any(doc)
            for number, loaded in enumerate(parts, start=1):
                echo_findings(loaded.findings, loaded.label)
                record = loaded.declaration if isinstance(loaded, LoadedDeclaration) else loaded.evaluation
                if record is None:
                    failed = True
                if summary:
                    summaries.append(summarize(loaded))
                if summary or record is None:
                    continue
                origin = f"{doc}（工作表“{loaded.part}”）" if loaded.part else str(doc)
                if isinstance(loaded, LoadedDeclaration) and loaded.declaration is not None:
                    text = declaration_text(
                        loaded.declaration, fmt, f"由 jixiao ingest 从 {origin} 提取的绩效目标申报表"
                    )
                elif isinstance(loaded, LoadedDeclaration) or loaded.evaluation is None:
                    continue
                else:
                    text = (
                        to_json(loaded.evaluation)
                        if fmt == "json"
                        else to_yaml(loaded.evaluation, f"由 jixiao ingest 从 {origin} 提取")
                    )
                if out_dir is None:
                    click.echo(text)
                    continue
                out_dir.mkdir(parents=True, exist_ok=True)
                stem = f"{doc.stem}-{number:02d}" if len(parts) > 1 else doc.stem
                target = out_dir / f"{stem}.{fmt}"
                if target in written:  # report.docx and report.pdf in one run
                    target = out_dir / f"{doc.name}{target.name.removeprefix(doc.stem)}"
                written.add(target)
                target.write_text(text, encoding="utf-8")
                click.echo(f"{loaded.label} → {target}", err=True)
        if summary:
            payload = summaries[0] if len(summaries) == 1 else summaries
            text = dump_json(payload)  # the summary is always JSON
            if out_dir is not None:
                out_dir.mkdir(parents=True, exist_ok=True)
                (out_dir / "summary.json").write_text(text, encoding="utf-8")
            else:
                click.echo(text)
        if failed:
            sys.exit(1)


def _plain(value: Any) -> Any:
    """Model data for YAML: enums as their values, empty lists and mappings left out."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if v not in ({}, [])}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, Enum):
        return value.value
    return value


def declaration_text(declaration: Declaration, fmt: str, header: str) -> str:
    """A declaration file (``kind: declaration``) in YAML or JSON, as ``jixiao ingest`` writes it."""
    if fmt == "json":
        return dump_json(declaration.model_dump(mode="json", exclude_none=True))
    import io

    from ruamel.yaml import YAML

    data = _plain(declaration.model_dump(mode="python", exclude_none=True))
    data = {"schema_version": data.pop("schema_version", 1), "kind": data.pop("kind", "declaration"), **data}
    yaml = YAML()
    yaml.allow_unicode = True
    yaml.width = 4096
    yaml.representer.add_representer(
        Decimal,
        lambda r, d: r.represent_scalar(
            "tag:yaml.org,2002:float" if "." in str(d) else "tag:yaml.org,2002:int", str(d)
        ),
    )
    buffer = io.StringIO()
    buffer.write("".join(f"# {line}\n" for line in header.splitlines()))
    yaml.dump(data, buffer)
    return buffer.getvalue()
