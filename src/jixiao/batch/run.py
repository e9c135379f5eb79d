"""Batch ingest + audit over folders: one row per document, resumable, parallel over processes.

The unit of work is :func:`jixiao.batch.rows.process_document` (a path in, a plain dict out, never
raises), so any ``concurrent.futures.Executor`` can run it — a local process pool here, or a
cluster engine's executor (Dask: ``distributed.Client().get_executor()``).
"""

from __future__ import annotations

import csv
import json
import os
import signal
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from pathlib import Path
from types import FrameType
from typing import Any

from jixiao.api import DOCUMENT_SUFFIXES
from jixiao.batch.rows import ROW_FIELDS, failed_row, process_document
from jixiao.ingest.limits import DEFAULT_TIMEOUT_SECONDS
from jixiao.serialize import BATCH_FINDING_FIELDS as FINDING_FIELDS
from jixiao.serialize import EXCEL_CSV_ENCODING, LABEL_IDS, csv_header, read_csv_rows

MEMORY_LIMIT_BYTES = 3 * 1024 * 1024 * 1024


def iter_documents(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Supported documents under the given files and folders, sorted, each once."""
    seen: set[Path] = set()
    for p in map(Path, paths):
        found = sorted(q for q in p.rglob("*") if q.is_file()) if p.is_dir() else [p]
        for q in found:
            if q.suffix.lower() in DOCUMENT_SUFFIXES and q not in seen and not q.name.startswith(("~$", ".")):
                seen.add(q)
                yield q


def done_files(summary: Path) -> set[str]:
    """Files already recorded in an existing summary CSV (for resuming; with or without the BOM)."""
    if not summary.exists():
        return set()
    return {row["file"] for row in read_csv_rows(summary) if row.get("file")}


class _Timeout(Exception):
    pass


def _alarm(signum: int, frame: FrameType | None) -> None:
    raise _Timeout()


def process_with_timeout(path: str, timeout: float = DEFAULT_TIMEOUT_SECONDS) -> list[dict[str, Any]]:
    """``process_document`` with a wall-clock limit (SIGALRM where available)."""
    import threading

    # signals work only in a process's main thread (a process pool worker, not a thread pool)
    use_alarm = (
        hasattr(signal, "SIGALRM") and timeout > 0 and threading.current_thread() is threading.main_thread()
    )
    if use_alarm:
        old = signal.signal(signal.SIGALRM, _alarm)
        signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        rows = process_document(path)
    except _Timeout:
        rows = [failed_row(path, f"超时（{timeout:g} 秒）")]
    finally:
        if use_alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, old)
    for row in rows:
        if row.get("error") and "_Timeout" in str(row.get("error")):
            row.update(status="failed", error=f"超时（{timeout:g} 秒）")
    return rows


def _limit_memory() -> None:
    """Worker initializer: cap the address space so a hostile file cannot exhaust the machine."""
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT_BYTES, MEMORY_LIMIT_BYTES))
    except (ImportError, ValueError, OSError):
        pass


def _csv_value(value: Any) -> Any:
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else value


def run_batch(
    paths: Iterable[str | Path],
    summary: Path,
    findings: Path | None = None,
    *,
    jobs: int = 1,
    timeout: float = DEFAULT_TIMEOUT_SECONDS,
    executor: Executor | None = None,
    on_row: Callable[[dict[str, Any]], None] | None = None,
    on_total: Callable[[int], None] | None = None,
) -> list[dict[str, Any]]:
    """Process every document not yet in ``summary``; append rows (and findings) as they finish.

    Rows stream to the files (and to ``on_row``) and are not kept: the list returned holds only
    each row's ``file``, ``part``, ``status`` and ``error``, so memory stays flat over a large run.
    Both CSV files are for Excel as well as for programs: a new file starts with the UTF-8 BOM
    (:data:`jixiao.serialize.EXCEL_CSV_ENCODING`; appending to a file writes none) and Chinese
    headers, which ``read_csv_rows`` maps back to the identifiers.
    """
    done = done_files(summary)
    todo = [str(p) for p in iter_documents(paths) if str(p) not in done]
    if on_total is not None:
        on_total(len(todo))
    summary.parent.mkdir(parents=True, exist_ok=True)
    new_summary = _is_new(summary)
    new_findings = findings is not None and _is_new(findings)
    rows: list[dict[str, Any]] = []
    # "utf-8-sig" in append mode writes the BOM only at the start of an empty file
    with summary.open("a", encoding=EXCEL_CSV_ENCODING, newline="") as sfh:
        swriter = csv.DictWriter(sfh, fieldnames=ROW_FIELDS, extrasaction="ignore")
        if new_summary:  # Chinese headers: people open the summary in Excel (programs: read_csv_rows)
            csv.writer(sfh).writerow(csv_header(ROW_FIELDS))
        ffh = findings.open("a", encoding=EXCEL_CSV_ENCODING, newline="") if findings is not None else None
        fwriter = csv.DictWriter(ffh, fieldnames=FINDING_FIELDS, extrasaction="ignore") if ffh else None
        if ffh is not None and new_findings:
            csv.writer(ffh).writerow(csv_header(FINDING_FIELDS))
        try:
            for row in _results(todo, jobs, timeout, executor):
                swriter.writerow({k: _csv_value(row.get(k)) for k in ROW_FIELDS})
                sfh.flush()
                if fwriter is not None and ffh is not None:
                    for f in row.get("findings") or []:
                        fwriter.writerow({k: _csv_value(f.get(k)) for k in FINDING_FIELDS})
                    ffh.flush()
                rows.append({k: row.get(k) for k in ("file", "part", "status", "error")})
                if on_row is not None:
                    on_row(row)
        finally:
            if ffh is not None:
                ffh.close()
    return rows


def _is_new(path: Path) -> bool:
    """True when a CSV file needs its header: it does not exist yet, or is empty."""
    return not path.exists() or path.stat().st_size == 0


def _results(
    todo: list[str], jobs: int, timeout: float, executor: Executor | None
) -> Iterator[dict[str, Any]]:
    if executor is None and jobs <= 1:
        for path in todo:
            yield from process_with_timeout(path, timeout)
        return
    own = executor is None
    pool = executor or ProcessPoolExecutor(max_workers=jobs, initializer=_limit_memory)
    # small documents take milliseconds: send them in chunks so inter-process traffic stays small;
    # a bounded window of chunks in flight, each result dropped once written: memory stays flat
    size = max(1, min(8, len(todo) // (max(jobs, 1) * 4)))
    chunks = (todo[i : i + size] for i in range(0, len(todo), size))
    window = max(2, max(jobs, 1) * 4)
    pending: dict[Future[list[dict[str, Any]]], list[str]] = {}

    def fill() -> None:
        for chunk in chunks:
            pending[pool.submit(process_chunk, chunk, timeout)] = chunk
            if len(pending) >= window:
                return

    try:
        fill()
        while pending:
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                chunk = pending.pop(future)
                try:
                    rows = future.result()
                except Exception as exc:  # a worker died (e.g. killed for memory): failed rows
                    rows = [failed_row(p, f"进程异常：{type(exc).__name__}: {exc}") for p in chunk]
                yield from rows
            fill()
    finally:
        if own:
            pool.shutdown(wait=True, cancel_futures=True)


def process_chunk(paths: list[str], timeout: float = DEFAULT_TIMEOUT_SECONDS) -> list[dict[str, Any]]:
    """Several documents in one task, each under its own time limit (fewer round trips)."""
    return [row for p in paths for row in process_with_timeout(p, timeout)]


def write_parquet(summary: Path) -> Path:
    """Convert the summary CSV to Parquet beside it (all columns read as text, numbers kept typed)."""
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    table = pacsv.read_csv(str(summary))
    table = table.rename_columns([LABEL_IDS.get(n, n) for n in table.column_names])  # identifiers, not labels
    target = summary.with_suffix(".parquet")
    pq.write_table(table, str(target))
    return target


def default_jobs() -> int:
    """Processes to use by default: the cores available."""
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))
