"""``jixiao ingest``: read published reports into evaluation files, or print a flat summary."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from jixiao.cli.common import dump_json, echo_findings


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
        """读取评价报告/自评表（txt、html、docx、doc、xlsx、xls、pdf），生成评价文件。"""
        from jixiao.api import ingest_parts, summarize, to_json, to_yaml

        failed = False
        written: set[Path] = set()
        summaries = []
        for doc in docs:
            parts = ingest_parts(doc)
            for number, loaded in enumerate(parts, start=1):
                echo_findings(loaded.findings, loaded.label)
                if loaded.evaluation is None:
                    failed = True
                if summary:
                    summaries.append(summarize(loaded))
                if summary or loaded.evaluation is None:
                    continue
                origin = f"{doc}（工作表“{loaded.part}”）" if loaded.part else str(doc)
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
