"""``jixiao batch``: ingest and audit folders of documents into a CSV (and Parquet) summary."""

from __future__ import annotations

from pathlib import Path

import click


def register(group: click.Group) -> None:
    """Add ``batch`` to the command group."""

    @group.command("batch")
    @click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
    @click.option(
        "-o",
        "--output",
        "summary",
        type=click.Path(path_type=Path),
        required=True,
        help="摘要 CSV（已有则续跑）",
    )
    @click.option("--findings", type=click.Path(path_type=Path), default=None, help="复核意见 CSV")
    @click.option("--parquet", is_flag=True, help="另存 Parquet（与摘要同名 .parquet）")
    @click.option("--jobs", "-j", type=int, default=None, help="并行进程数（默认：CPU 核数）")
    @click.option("--timeout", type=float, default=None, help="单个文档超时秒数（默认 120）")
    @click.option("--no-progress", is_flag=True, help="不显示进度条")
    def batch(
        paths: tuple[Path, ...],
        summary: Path,
        findings: Path | None,
        parquet: bool,
        jobs: int | None,
        timeout: float | None,
        no_progress: bool,
    ) -> None:
        """批量读取并复核文件夹中的评价报告：每个文档一行，损坏文件记为失败行，可续跑、可并行。"""
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        from jixiao.batch import DEFAULT_TIMEOUT_SECONDS, default_jobs, run_batch, write_parquet

        progress = Progress(
            TextColumn("[bold]复核"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            TextColumn("{task.description}"),
            disable=no_progress,
            transient=False,
        )
        counts = {"ok": 0, "failed": 0}
        with progress:
            task = progress.add_task("", total=None)

            def on_total(n: int) -> None:
                progress.update(task, total=n)

            last_file: object = None

            def on_row(row: dict[str, object]) -> None:
                nonlocal last_file
                counts[str(row.get("status") or "failed")] = counts.get(str(row.get("status")), 0) + 1
                # a workbook of several projects gives several rows in a row: advance once per file
                new_file = row["file"] != last_file
                last_file = row["file"]
                progress.update(task, advance=int(new_file), description=Path(str(row["file"])).name[:40])

            run_batch(
                paths,
                summary,
                findings,
                jobs=jobs or default_jobs(),
                timeout=timeout or DEFAULT_TIMEOUT_SECONDS,
                on_row=on_row,
                on_total=on_total,
            )
        click.echo(
            f"完成：成功 {counts.get('ok', 0)}，失败 {counts.get('failed', 0)}"
            + (f"，跳过 {counts['skipped']}（未读出评价内容）" if counts.get("skipped") else "")
            + f"；摘要 {summary}",
            err=True,
        )
        if parquet:
            click.echo(f"Parquet：{write_parquet(summary)}", err=True)
