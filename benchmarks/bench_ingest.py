"""Ingest benchmark: field-level precision/recall and documents per second per core.

- precision / recall: the generated corpus (tests/ingest/make_corpus.py, every layout including
  LibreOffice PDFs) against its expected fields, and the four seed texts against the hand-written
  examples/*.yaml (their summaries are the truth); written into docs/ingest.md between markers;
- speed: ``ingest_file`` per document (read + extract) against the floor of simply reading the
  file's text, per format, one process; the batch (ingest + audit) on 1 and 2 processes;
  written into docs/performance.md, section ``## Ingest (jixiao ingest / batch)``.
"""

from __future__ import annotations

import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.common import machine, write_section  # noqa: E402
from jixiao import api  # noqa: E402
from jixiao.ingest import ingest_file, summarize  # noqa: E402

SHARED = Path(__file__).resolve().parents[2] / "shared"  # beside the checkout
SEEDS = SHARED / "seeds"
SCALARS = [
    "kind",
    "project",
    "year",
    "unit",
    "budget",
    "available",
    "spent",
    "execution_rate",
    "total",
    "grade",
]
EXAMPLES = {
    "000": "000-jiayuguan-2022",
    "002": "002-jinzhong-2020",
    "003": "003-dongchuan-2019",
    "004": "004-xinfeng-2022",
}


def _items(summary: dict[str, Any], expected: dict[str, Any]) -> tuple[set[Any], set[Any]]:
    """(predicted, truth) as sets of (field, value) facts, only over the fields the truth covers."""
    pred: set[Any] = set()
    truth: set[Any] = set()
    for key in SCALARS:
        if key not in expected:
            continue
        if expected[key] is not None:
            truth.add((key, str(expected[key])))
        if summary.get(key) is not None:
            pred.add((key, str(summary[key])))
    for key, fields in (
        ("levels", ("name", "weight", "score")),
        ("indicators", ("name", "target", "actual", "weight", "score")),
    ):
        if key not in expected:
            continue
        for i, item in enumerate(expected[key]):
            truth |= {(key, i, f, str(item.get(f))) for f in fields if item.get(f) is not None}
        for i, item in enumerate(summary.get(key) or []):
            pred |= {(key, i, f, str(item.get(f))) for f in fields if item.get(f) is not None}
    return pred, truth


def _num(v: Any) -> Any:
    return float(v) if isinstance(v, int | float) else v


def _normalised(summary: dict[str, Any]) -> dict[str, Any]:
    out = dict(summary)
    for key in ("budget", "available", "spent", "execution_rate", "total"):
        out[key] = _num(out.get(key))
    for key in ("levels", "indicators"):
        out[key] = [{k: _num(v) for k, v in item.items()} for item in out.get(key) or []]
    return out


def accuracy(corpus_dir: Path) -> tuple[str, dict[str, tuple[int, int, int]]]:
    """Precision/recall table (markdown) over the corpus and the seeds."""
    from tests.ingest.make_corpus import build, build_pdfs

    cases: list[tuple[str, dict[str, Any], dict[str, Any]]] = []
    for path, expected in [*build(corpus_dir), *build_pdfs(corpus_dir)]:
        cases.append((path.name, _normalised(summarize(ingest_file(path))), _normalised(expected)))
    for prefix, example in EXAMPLES.items():
        seeds = sorted(SEEDS.glob(f"{prefix}_*.txt"))
        example_path = ROOT / "examples" / f"{example}.yaml"
        if seeds and example_path.exists():
            truth = summarize(api.load(example_path))
            cases.append(
                (f"seed {prefix}", _normalised(summarize(ingest_file(seeds[0]))), _normalised(truth))
            )
    rows = []
    totals = {"corpus": [0, 0, 0], "seeds": [0, 0, 0]}
    per: dict[str, tuple[int, int, int]] = {}
    for name, got, expected in cases:
        pred, truth = _items(got, expected)
        tp, fp, fn = len(pred & truth), len(pred - truth), len(truth - pred)
        per[name] = (tp, fp, fn)
        bucket = totals["seeds" if name.startswith("seed") else "corpus"]
        bucket[0] += tp
        bucket[1] += fp
        bucket[2] += fn
        rows.append(
            f"| {name} | {len(truth)} | {tp} | {fp} | {fn} | {_pct(tp, tp + fp)} | {_pct(tp, tp + fn)} |"
        )
    for label, (tp, fp, fn) in totals.items():
        rows.append(
            f"| **{label} (all fields)** | {tp + fn} | {tp} | {fp} | {fn} | **{_pct(tp, tp + fp)}** | **{_pct(tp, tp + fn)}** |"
        )
    table = "| document | facts expected | correct | wrong or extra | missed | precision | recall |\n| --- | --- | --- | --- | --- | --- | --- |\n"
    return table + "\n".join(rows), per


def _pct(a: int, b: int) -> str:
    return f"{100 * a / b:.1f}%" if b else "—"


def _rate(files: list[Path], func: Callable[[Path], Any], repeat: int) -> float:
    func(files[0])
    start = time.perf_counter()
    for _ in range(repeat):
        for f in files:
            func(f)
    return repeat * len(files) / (time.perf_counter() - start)


def _floor_text(path: Path) -> str:
    if path.suffix == ".docx":
        import docx

        d = docx.Document(str(path))
        return "\n".join(p.text for p in d.paragraphs) + "".join(
            c.text for t in d.tables for r in t.rows for c in r.cells
        )
    if path.suffix == ".pdf":  # PDFium's plain text, page by page: the least any PDF reader does
        import pypdfium2 as pdfium

        pdf = pdfium.PdfDocument(str(path))
        try:
            return "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
        finally:
            pdf.close()
    return path.read_text(encoding="utf-8", errors="replace")


def _pdfplumber_text(path: Path) -> str:
    """pdfminer's layout analysis under pdfplumber (what the PDF reader rested on until 2026-12)."""
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        return "\n".join(p.extract_text() or "" for p in pdf.pages)


def _pages(path: Path) -> int:
    if path.suffix != ".pdf":
        return 1
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        return len(pdf)
    finally:
        pdf.close()


# goals of the speed issue, per format: documents/s per core, or milliseconds per PDF page
GOALS = {"text": ("docs/s", 200.0), "docx": ("docs/s", 30.0), "pdf": ("ms/page", 10.0)}


def speed(corpus_dir: Path) -> list[tuple[str, str, int, int, float, float]]:
    """(format label, goal key, documents, pages, ingest docs/s, floor docs/s) on one core."""
    groups = {
        "text (.txt: the four seeds + corpus)": (
            "text",
            [*sorted(SEEDS.glob("0*.txt")), *sorted(corpus_dir.glob("*.txt"))],
        ),
        "Word (.docx)": ("docx", sorted(corpus_dir.glob("*.docx"))),
        "PDF (LibreOffice, 1 page)": ("pdf", sorted(corpus_dir.glob("*.pdf"))),
        "PDF (real 决算, 23–30 pages)": ("pdf", sorted((SHARED / "corpus").glob("00[5-8].pdf"))),
    }
    out = []
    for label, (goal, files) in groups.items():
        files = [f for f in files if f.exists()]
        if not files:
            continue
        repeat = 1 if "real" in label else 5
        pages = sum(_pages(f) for f in files)
        out.append(
            (
                label,
                goal,
                len(files),
                pages,
                _rate(files, ingest_file, repeat),
                _rate(files, _floor_text, repeat),
            )
        )
    return out


def _goal_cell(goal: str, docs_per_s: float, pages_per_doc: float) -> str:
    unit, target = GOALS[goal]
    if unit == "ms/page":
        figure = 1000 / (docs_per_s * pages_per_doc)
        return f"{figure:.1f} ms/page (goal ≤ {target:g}: {'met' if figure <= target else 'not met'})"
    return f"{docs_per_s:.1f} docs/s (goal ≥ {target:g}: {'met' if docs_per_s >= target else 'not met'})"


def scaling(corpus_dir: Path) -> list[tuple[int, int, float]]:
    """Batch (ingest + audit) throughput over 1 and 2 processes."""
    from jixiao.batch.run import run_batch

    work = Path(tempfile.mkdtemp(prefix="jixiao-bench-"))
    sources = [
        *sorted(SEEDS.glob("0*.txt")),
        *sorted(corpus_dir.glob("*.docx")),
        *sorted(corpus_dir.glob("*.txt")),
    ]
    n = 0
    for copy in range(25):
        for src in sources:
            shutil.copy(src, work / f"{copy}-{src.name}")
            n += 1
    out = []
    for jobs in (1, 2):
        summary = work / f"summary-{jobs}.csv"
        start = time.perf_counter()
        rows = run_batch([work], summary, jobs=jobs)
        out.append((jobs, len(rows), len(rows) / (time.perf_counter() - start)))
    shutil.rmtree(work, ignore_errors=True)
    return out


def startup() -> tuple[float, float]:
    """Seconds for ``jixiao --help`` in a fresh interpreter and for ``python -c pass`` (best of 7)."""
    import subprocess

    def best(args: list[str]) -> float:
        times = []
        for _ in range(7):
            start = time.perf_counter()
            subprocess.run([sys.executable, *args], capture_output=True, check=True)
            times.append(time.perf_counter() - start)
        return min(times)

    return best(["-c", "from jixiao.cli import main; main(['--help'])"]), best(["-c", "pass"])


def main() -> None:
    """Measure precision/recall and speed; write docs/ingest.md and docs/performance.md."""
    corpus_dir = Path(tempfile.mkdtemp(prefix="jixiao-corpus-"))
    table, _ = accuracy(corpus_dir)
    print(table)
    ingest_doc = ROOT / "docs" / "ingest.md"
    if ingest_doc.exists():
        text = ingest_doc.read_text(encoding="utf-8")
        block = f"<!-- accuracy:start -->\nMeasured {machine()} by `python -m benchmarks ingest`.\n\n{table}\n<!-- accuracy:end -->"
        text = re.sub(r"<!-- accuracy:start -->.*?<!-- accuracy:end -->", lambda _m: block, text, flags=re.S)
        ingest_doc.write_text(text, encoding="utf-8")
    lines = [
        f"Measured {machine()}, by `benchmarks/bench_ingest.py`. *Ingest* = `jixiao.ingest.ingest_file` "
        "(read + normalise + extract, no audit); *floor* = just getting the file's text out "
        "(`read_text`, python-docx paragraphs and cells, PDFium's plain text per page). One process.",
        "",
        "| format | documents | pages | ingest docs/s per core | floor docs/s | ingest / floor time | goal |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for label, goal, count, pages, rate, floor in speed(corpus_dir):
        lines.append(
            f"| {label} | {count} | {pages} | {rate:.1f} | {floor:.1f} | {floor / rate:.1f}× | "
            f"{_goal_cell(goal, rate, pages / count)} |"
        )
    real = sorted((SHARED / "corpus").glob("00[5-8].pdf"))
    if real:
        pages = sum(_pages(f) for f in real)
        plumber = _rate(real, _pdfplumber_text, 1)
        lines += [
            "",
            f"For comparison, pdfplumber's own `extract_text` (pdfminer's layout analysis, what the PDF "
            f"reader was built on before it read pages with PDFium) over the same {len(real)} real PDFs: "
            f"{1000 / (plumber * pages / len(real)):.1f} ms/page, text only.",
        ]
    lines += [
        "",
        "Batch (`run_batch`: ingest + `api.check` audit + CSV rows) over copies of the seeds and the corpus text/Word files:",
        "",
    ]
    lines += ["| processes | documents | docs/s | speed-up |", "| --- | --- | --- | --- |"]
    results = scaling(corpus_dir)
    base = results[0][2]
    for jobs, count, rate in results:
        lines.append(f"| {jobs} | {count} | {rate:.1f} | {rate / base:.2f}× |")
    start, floor = startup()
    lines += [
        "",
        f"Start-up: `jixiao --help` in a fresh process takes {start * 1000:.0f} ms (best of 7), against "
        f"{floor * 1000:.0f} ms for `python -c pass` (×{start / floor:.1f}); goal < 250 ms: "
        f"{'met' if start < 0.25 else 'not met'}.",
    ]
    import os

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    lines += [
        "",
        f"Load average during the run: {load:.1f} on {os.cpu_count()} cores (other jobs shared the machine; "
        "figures are lower bounds, and the 1 → 2 process scaling is only meaningful on an idle machine).",
    ]
    body = "\n".join(lines)
    print(body)
    write_section("Ingest (jixiao ingest / batch)", body)
    shutil.rmtree(corpus_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
