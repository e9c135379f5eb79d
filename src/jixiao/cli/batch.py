"""``jixiao batch``: ingest and audit folders of documents into a CSV (and Parquet) summary."""

from __future__ import annotations

import sys
from contextlib import ExitStack
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
    @click.option(
        "--executor",
        default=None,
        help="默认用本机进程池；dask-local：在本机启动 Dask 集群（--jobs 个工作进程，各一线程）；"
        "dask://主机:端口：连接已运行的 Dask 调度器（需安装 jixiao[cluster]）。"
        "每个文档都在工作进程的子进程中运行，超时与内存上限照常生效",
    )
    @click.option("--no-progress", is_flag=True, help="不显示进度条")
    def batch(
        paths: tuple[Path, ...],
        summary: Path,
        findings: Path | None,
        parquet: bool,
        jobs: int | None,
        timeout: float | None,
        executor: str | None,
        no_progress: bool,
    ) -> None:
        """批量读取并复核文件夹中的评价报告：每个文档一行，损坏文件记为失败行，可续跑、可并行。"""
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        from jixiao.batch import DEFAULT_TIMEOUT_SECONDS, default_jobs, run_batch, write_parquet
        from jixiao.batch.cluster import ClusterError, dask_executor

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
        jobs = jobs or default_jobs()
        with ExitStack() as stack:
            pool = None
            if executor is not None:  # dask is imported only here
                try:
                    cluster = stack.enter_context(dask_executor(executor, workers=jobs))
                except ClusterError as exc:
                    click.echo(str(exc), err=True)
                    sys.exit(2)
                click.echo(f"Dask 集群：{cluster.address}，同时处理 {cluster.slots} 个任务", err=True)
                pool, jobs = cluster.executor, cluster.slots
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
                    jobs=jobs,
                    timeout=timeout or DEFAULT_TIMEOUT_SECONDS,
                    executor=pool,
                    isolate=pool is not None,  # Dask runs tasks in threads: each document in a child
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
