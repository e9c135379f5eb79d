"""Batch on a Dask cluster: documents per second through the built-in process pool (2 processes)
and through ``dask-local`` (a LocalCluster of 2 workers, each document in a bounded child
process), over the same generated corpus; written into docs/performance.md, section
``## Batch on a Dask cluster``. Skipped (with a note) when Dask is not installed.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.common import machine, write_section  # noqa: E402

SEEDS = ROOT.parent / "shared" / "seeds"  # beside the checkout
COPIES = 200  # documents in the corpus
WORKERS = 2


def corpus(folder: Path) -> list[Path]:
    """``COPIES`` text reports in ``folder``: copies of the seed texts, else of a short report."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*_*.txt"))] or [
        "项目名称：示例项目\n预算单位：示例单位\n年度预算数 100 万元，执行数 90 万元\n自评得分 92 分\n"
    ]
    out = []
    for i in range(COPIES):
        path = folder / f"{i:04d}.txt"
        path.write_text(texts[i % len(texts)], encoding="utf-8")
        out.append(path)
    return out


def _timed_pool(folder: Path, summary: Path) -> tuple[int, float]:
    from jixiao.batch.run import run_batch

    start = time.perf_counter()
    rows = run_batch([folder], summary, jobs=WORKERS)
    return len(rows), time.perf_counter() - start


def _timed_dask(folder: Path, work: Path) -> tuple[int, float, float]:
    """(rows, seconds of a run with the cluster's start and close, seconds of a second run on the
    same cluster: workers and their children already up)."""
    from jixiao.batch.cluster import dask_executor
    from jixiao.batch.run import run_batch

    started = time.perf_counter()
    with dask_executor("dask-local", workers=WORKERS) as cluster:
        rows = run_batch(
            [folder], work / "dask.csv", executor=cluster.executor, jobs=cluster.slots, isolate=True
        )
        first_done = time.perf_counter()
        run_batch(
            [folder], work / "dask-warm.csv", executor=cluster.executor, jobs=cluster.slots, isolate=True
        )
        second_done = time.perf_counter()
    closed = time.perf_counter()
    return len(rows), (first_done - started) + (closed - second_done), second_done - first_done


def main() -> None:
    """Time the pool and dask-local over the same corpus; print and write the section."""
    import importlib.util

    if importlib.util.find_spec("distributed") is None:
        print("Dask 未安装，跳过（pip install 'jixiao[cluster]'）")
        return
    work = Path(tempfile.mkdtemp(prefix="jixiao-bench-cluster-"))
    try:
        docs = work / "docs"
        docs.mkdir()
        corpus(docs)
        n_pool, t_pool = _timed_pool(docs, work / "pool.csv")
        n_dask, t_dask, t_dask_warm = _timed_dask(docs, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    pool_rate, dask_rate, warm_rate = n_pool / t_pool, n_dask / t_dask, n_dask / t_dask_warm
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    body = "\n".join(
        [
            f"Measured {machine()}, by `benchmarks/bench_cluster.py` (`python -m benchmarks cluster`): "
            f"`jixiao batch` over {COPIES} text reports (copies of the seeds), ingest + audit + CSV rows, "
            f"{WORKERS} processes either way.",
            "",
            "| executor | documents | seconds | docs/s | vs. pool |",
            "| --- | --- | --- | --- | --- |",
            f"| built-in pool, `--jobs {WORKERS}` | {n_pool} | {t_pool:.1f} | {pool_rate:.1f} | 1.00× |",
            f"| `--executor dask-local --jobs {WORKERS}` (cluster start and close included) | {n_dask} "
            f"| {t_dask:.1f} | {dask_rate:.1f} | {dask_rate / pool_rate:.2f}× |",
            f"| the same, a second run on the cluster (workers and children up) | {n_dask} "
            f"| {t_dask_warm:.1f} | {warm_rate:.1f} | {warm_rate / pool_rate:.2f}× |",
            "",
            "On Dask each worker thread drives a child process that holds the timeout and the memory cap "
            "(docs/ingest.md, “Running a batch on a Dask cluster”). Once up, a document costs about what "
            "it costs in the pool (one more round trip through a pipe); a run pays for starting the "
            "cluster, and each worker for importing jixiao and each child for loading the readers "
            "(a few seconds in all). A cluster pays off with more machines, not on one.",
            "",
            f"Load average during the run: {load:.1f} on {os.cpu_count()} cores (other jobs shared the "
            "machine; the figures are lower bounds).",
        ]
    )
    print(body)
    write_section("Batch on a Dask cluster", body)


if __name__ == "__main__":
    main()
