"""Batch at scale: peak memory of `jixiao batch` over a large generated corpus, against a small one.

The corpus is generated: the four seed reports and the generated text and Word layouts
(tests/ingest/make_corpus.py), hard-linked under many names, so 100,000 documents cost no disk.
Each run is a fresh process (`python -m jixiao batch … --jobs 2`) whose peak resident memory is
read from the kernel (``ru_maxrss`` of the batch process itself, and of its largest worker); the
floor is the same command over 1,000 documents in the same run, so the ratio shows growth.
Run ``python -m benchmarks scale`` (100,000 documents, about 20 minutes on 2 cores) or set
``JIXIAO_BENCH_SCALE_DOCS`` for another size.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import machine, write_section

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"
GOAL_MB = 150.0
FLOOR_DOCS = 1_000

# run in a fresh interpreter: the batch, then the peak memory of itself and of its largest worker
_CHILD = """
import json, resource, sys, time
from pathlib import Path
from jixiao.batch.run import run_batch
start = time.perf_counter()
rows = run_batch([sys.argv[1]], Path(sys.argv[2]), Path(sys.argv[3]), jobs=int(sys.argv[4]))
print(json.dumps({
    "rows": len(rows),
    "seconds": time.perf_counter() - start,
    "self_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    "worker_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
}))
"""


def _sources(work: Path) -> list[Path]:
    sys.path.insert(0, str(ROOT))
    from tests.ingest.make_corpus import build

    made = work / "made"
    made.mkdir()
    build(made)
    return [*sorted(SEEDS.glob("0*.txt")), *sorted(made.glob("*.txt")), *sorted(made.glob("*.docx"))]


def _corpus(folder: Path, sources: list[Path], count: int) -> None:
    """``count`` documents under ``folder``: hard links to the sources (copies where links fail),
    1,000 to a subfolder."""
    for i in range(count):
        src = sources[i % len(sources)]
        sub = folder / f"{i // 1000:04d}"
        sub.mkdir(parents=True, exist_ok=True)
        target = sub / f"{i:06d}-{src.name}"
        try:
            os.link(src, target)
        except OSError:
            shutil.copy(src, target)


def _run(folder: Path, out: Path, jobs: int) -> dict[str, float]:
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            _CHILD,
            str(folder),
            str(out / "summary.csv"),
            str(out / "findings.csv"),
            str(jobs),
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )
    data: dict[str, float] = json.loads(result.stdout.strip().splitlines()[-1])
    return data


def main() -> None:
    """Measure and write the ``Batch at scale (memory)`` section of docs/performance.md."""
    docs = int(os.environ.get("JIXIAO_BENCH_SCALE_DOCS", "100000"))
    work = Path(tempfile.mkdtemp(prefix="jixiao-scale-"))
    try:
        sources = _sources(work)
        results = []
        for count in (FLOOR_DOCS, docs):
            folder, out = work / f"docs-{count}", work / f"out-{count}"
            out.mkdir()
            _corpus(folder, sources, count)
            print(f"  {count} documents …", flush=True)
            started = time.perf_counter()
            data = _run(folder, out, jobs=2)
            data["wall"] = time.perf_counter() - started
            results.append((count, data))
            shutil.rmtree(folder, ignore_errors=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    lines = [
        f"Measured {machine()} by `python -m benchmarks scale` (`JIXIAO_BENCH_SCALE_DOCS={docs}`): "
        f"`run_batch` with 2 worker processes over a generated corpus (the seeds and the generated "
        f"text and Word layouts, {len(sources)} files hard-linked under many names), ingest + audit + "
        "both CSV files. Peak resident memory from the kernel (`ru_maxrss`): the batch process, and "
        f"its largest worker. The floor is the same run over {FLOOR_DOCS:,} documents. "
        f"Goal: ≤ {GOAL_MB:.0f} MB at 100,000 documents.",
        "",
        "| documents | rows | docs/s | batch process peak MB | largest worker peak MB | together MB | vs floor |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    floor_total = None
    for count, data in results:
        own, worker = data["self_kb"] / 1024, data["worker_kb"] / 1024
        total = own + 2 * worker  # both workers at their peak at once: an upper bound
        floor_total = floor_total or total
        lines.append(
            f"| {count:,} | {int(data['rows']):,} | {data['rows'] / data['seconds']:.1f} | {own:.1f} | "
            f"{worker:.1f} | {total:.1f} | {total / floor_total:.2f}× |"
        )
    count, data = results[-1]
    own, worker = data["self_kb"] / 1024, data["worker_kb"] / 1024
    lines += [
        "",
        f"At {count:,} documents the batch process (which lists the files, keeps a window of "
        f"results and writes both CSV files) peaked at {own:.1f} MB — goal ≤ {GOAL_MB:.0f} MB "
        f"{'met' if own <= GOAL_MB else 'not met'} — and its largest worker at {worker:.1f} MB. The "
        "workers are forked once the list of files is made, so their RSS also counts the pages they "
        "share with the batch process; *together* overstates the machine's use.",
    ]
    body = "\n".join(lines)
    print(body)
    if "--no-write" not in sys.argv:
        write_section("Batch at scale (memory)", body)


if __name__ == "__main__":
    main()
