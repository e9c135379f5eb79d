"""Document throughput: 自评表 and 评价报告 per second, PDFs per second (long-lived LibreOffice vs one run each).

Each goal is printed as the figure, a floor measured in the same run, and their ratio, so a busy
machine moves both and the ratio stays comparable:

* 评价报告 docx with its charts drawn fresh — floor: python-docx saving an empty Document;
* PDF one by one and in a batch through the process's LibreOffice listener — floor: the same
  documents converted the old way (``reuse=False``: one ``soffice --convert-to`` run per call or
  per batch).  PDFs per core count the CPU seconds LibreOffice spent (its process group), so they do
  not depend on what else the machine runs.
"""

from __future__ import annotations

import io
import os
import resource
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import docx

from benchmarks.common import machine, write_section
from jixiao import api
from jixiao.model import Evaluation
from jixiao.render import charts, listener
from jixiao.render.pdf import docx_to_pdf, docx_to_pdf_batch, find_soffice

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
SECONDS = 5.0
BATCH = 16
COLD_SINGLE = 3
REPORT_GOAL = 10.0  # 评价报告 per second, charts drawn fresh
PDF_GOAL = 3.0  # PDFs per second per core, in a batch


def _seeds() -> list[Evaluation]:
    out = []
    for path in sorted(EXAMPLES.glob("*.yaml")):
        loaded = api.load(path)
        if loaded.evaluation is not None:
            out.append(loaded.evaluation)
    return out


def _rate(make: Callable[[Evaluation], object], seeds: list[Evaluation]) -> float:
    """Documents per CPU second of this process (one core's throughput, whatever else runs)."""
    for ev in seeds:  # warm caches (templates, fonts)
        make(ev)
    count, start = 0, time.process_time()
    while time.process_time() - start < SECONDS:
        make(seeds[count % len(seeds)])
        count += 1
    return count / (time.process_time() - start)


def _cold_report(ev: Evaluation) -> bytes:
    charts.clear_cache()
    return api.render(ev, "report", "docx")


def _empty_docx(_ev: Evaluation) -> bytes:
    buffer = io.BytesIO()
    docx.Document().save(buffer)
    return buffer.getvalue()


def _group_cpu(pgid: int | None) -> float:
    """CPU seconds (user + system) used so far by the live processes of a process group."""
    if pgid is None:
        return 0.0
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == pgid:  # pgrp
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / tick


def _children_cpu() -> float:
    """CPU seconds used by this process's finished children (each one-run LibreOffice)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _timed(work: Callable[[], object], cpu: Callable[[], float]) -> tuple[float, float]:
    """Wall seconds and CPU seconds (as ``cpu`` counts them) of ``work``."""
    start, used = time.perf_counter(), cpu()
    work()
    return time.perf_counter() - start, cpu() - used


def _pdf(root: Path, sources: list[Path]) -> dict[str, tuple[float, float]]:
    """(wall seconds, LibreOffice CPU seconds) per PDF for each way of converting."""
    n = len(sources)
    out: dict[str, tuple[float, float]] = {}
    wall, cpu = _timed(
        lambda: [docx_to_pdf(p, root / "cold1", reuse=False) for p in sources[:COLD_SINGLE]], _children_cpu
    )
    out["cold_single"] = (wall / COLD_SINGLE, cpu / COLD_SINGLE)
    wall, cpu = _timed(lambda: docx_to_pdf_batch(sources, root / "coldN", reuse=False), _children_cpu)
    out["cold_batch"] = (wall / n, cpu / n)
    converter = listener.converter()
    converter.close()
    out["start"] = _timed(lambda: docx_to_pdf(sources[0], root / "warm"), lambda: 0.0)  # start + first PDF
    running = converter.listener()
    if running is None:  # no Python-UNO here: the rows below measure the fallback
        print("LibreOffice listener unavailable: the long-lived rows use the old path", flush=True)
    group = running.pgid if running is not None else None
    wall, cpu = _timed(lambda: [docx_to_pdf(p, root / "reuse1") for p in sources], lambda: _group_cpu(group))
    out["reuse_single"] = (wall / n, cpu / n)
    wall, cpu = _timed(lambda: docx_to_pdf_batch(sources, root / "reuseN"), lambda: _group_cpu(group))
    out["reuse_batch"] = (wall / n, cpu / n)
    out["listener"] = (float(running is not None), 0.0)
    converter.close()
    return out


def _ratio(value: float, floor: float) -> str:
    return f"{value / floor:.2f}" if floor else "—"


def main() -> None:
    """Measure and write the ``Documents (jixiao report)`` section of docs/performance.md."""
    seeds = _seeds()
    floor_docx = _rate(_empty_docx, seeds)
    rates = {
        "自评表 docx": _rate(lambda ev: api.render(ev, "self-table", "docx"), seeds),
        "自评表 xlsx": _rate(lambda ev: api.render(ev, "self-table", "xlsx"), seeds),
        "评价报告 docx（含 3 张图表，图表现画）": _rate(_cold_report, seeds),
        "评价报告 docx（同一评价重复生成，图表缓存）": _rate(
            lambda ev: api.render(ev, "report", "docx"), seeds
        ),
        "评价报告 docx + 复核意见附件（图表缓存）": _rate(
            lambda ev: api.render(ev, "report", "docx", with_findings=True), seeds
        ),
    }
    report = rates["评价报告 docx（含 3 张图表，图表现画）"]
    print(f"floor: python-docx empty Document saved: {floor_docx:.1f}/s", flush=True)
    for name, rate in rates.items():
        print(f"{name}: {rate:.1f}/s (ratio to floor {_ratio(rate, floor_docx)})", flush=True)
    print(f"goal ≥ {REPORT_GOAL:.0f}/s: {'met' if report >= REPORT_GOAL else 'not met'}", flush=True)

    find_soffice()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        sources = []
        for i in range(BATCH):
            ev = seeds[i % len(seeds)]
            kind = "report" if i % 2 else "self-table"
            path = root / f"doc{i:02d}.docx"
            path.write_bytes(api.render(ev, kind, "docx"))  # type: ignore[arg-type]
            sources.append(path)
        t = _pdf(root, sources)
    rows = []
    for key, name in (
        ("cold_single", "PDF one by one, one LibreOffice run each (floor)"),
        ("reuse_single", "PDF one by one, long-lived LibreOffice"),
        ("cold_batch", f"PDF batch of {BATCH}, one LibreOffice run (floor)"),
        ("reuse_batch", f"PDF batch of {BATCH}, long-lived LibreOffice"),
    ):
        wall, cpu = t[key]
        floor_wall, floor_cpu = t["cold_batch" if "batch" in key else "cold_single"]
        rows.append(
            (
                name,
                f"{1 / wall:.2f} PDF/s ({wall:.2f} s each)",
                _ratio(floor_wall, wall),
                f"{1 / cpu:.2f} PDF/s" if cpu else "—",
                _ratio(floor_cpu, cpu) if cpu else "—",
            )
        )
    per_core_batch = 1 / t["reuse_batch"][1] if t["reuse_batch"][1] else 0.0
    for name, wall_rate, wall_ratio, core_rate, core_ratio in rows:
        print(f"{name}: {wall_rate} (×{wall_ratio}); per core {core_rate} (×{core_ratio})", flush=True)
    print(f"long-lived LibreOffice: start + first PDF {t['start'][0]:.2f} s", flush=True)
    print(
        f"goal ≥ {PDF_GOAL:.0f} PDF/s per core in batch: {'met' if per_core_batch >= PDF_GOAL else 'not met'}",
        flush=True,
    )

    doc_rows = "\n".join(
        f"| {name} | {rate:.1f} 份/秒 | {_ratio(rate, floor_docx)} |" for name, rate in rates.items()
    )
    pdf_table = "\n".join(f"| {' | '.join(row)} |" for row in rows)
    write_section(
        "Documents (jixiao report)",
        f"""Measured {machine()}, one process, by `benchmarks/bench_render.py`: the four seed
evaluations in `examples/` rendered round-robin for {SECONDS:.0f} s per kind (scoring included,
files kept in memory), counted per CPU second of the process (one core's throughput, whatever else
the machine runs); each figure with a floor measured in the same run and the ratio of the two.

| measure | value | ratio to floor |
| --- | --- | --- |
| floor: python-docx saves an empty Document | {floor_docx:.1f} 份/秒 | 1.00 |
{doc_rows}

Goal: 评价报告 docx with its charts drawn fresh ≥ {REPORT_GOAL:.0f} per second — {report:.1f} per second,
{"met" if report >= REPORT_GOAL else "not met"}. The charts are drawn on one reused figure, with text
measurements kept across figures and the tight box computed once (the PNGs are byte for byte those of
a fresh figure, `tests/render/test_charts.py`); what remains is matplotlib drawing the CJK text and
ticks and encoding the PNG, and python-docx parsing and saving its 350 KB default
styles.

PDFs through LibreOffice {"kept running in the process (`jixiao.render.listener`, Python-UNO)" if t["listener"][0] else "(no Python-UNO: the long-lived rows fell back to one run per call)"}, versus
one `soffice --convert-to` run per call or per batch (floor), on {BATCH} documents, 自评表 and
评价报告 of the seeds:

| measure | wall clock | ratio to floor | per core (LibreOffice CPU) | ratio to floor |
| --- | --- | --- | --- | --- |
{pdf_table}

Starting the long-lived LibreOffice and converting the first document took {t["start"][0]:.2f} s.

Goal: ≥ {PDF_GOAL:.0f} PDFs per second per core in a batch — {per_core_batch:.2f},
{"met" if per_core_batch >= PDF_GOAL else "not met"}. Load average during the run:
{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (other jobs shared the machine).""",
    )


if __name__ == "__main__":
    main()
