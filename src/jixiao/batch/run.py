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
    """Supported documents under the given files and folders, sorted, each once.

    Folders are walked as plain strings (a folder of 100,000 files as Path objects costs about
    50 MB more, which a process pool's forked workers would carry too); the order is Path order.
    """
    seen: set[str] = set()
    for p in map(Path, paths):
        found = _files_under(str(p)) if p.is_dir() else [str(p)]
        for q in found:
            name = os.path.basename(q)
            if (
                os.path.splitext(name)[1].lower() in DOCUMENT_SUFFIXES
                and q not in seen
                and not name.startswith(("~$", "."))
            ):
                seen.add(q)
                yield Path(q)


def _files_under(root: str) -> Iterator[str]:
    """Every file under a folder (symbolic links to files included, to folders not followed), in
    the order sorted Paths take: each folder's entries by name, a subfolder's files in its place."""
    try:
        with os.scandir(root) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            yield from _files_under(entry.path)
        elif entry.is_file():
            yield entry.path


def done_files(summary: Path) -> set[str]:
    """Files already recorded in an existing summary CSV (for resuming; with or without the BOM)."""
    if not summary.exists():
        return set()
    return {row["file"] for row in read_csv_rows(summary) if row.get("file")}


class _Timeout(BaseException):
    """Raised by the alarm; a BaseException, so a reader's ``except Exception`` does not swallow it."""


def process_with_timeout(path: str, timeout: float = DEFAULT_TIMEOUT_SECONDS) -> list[dict[str, Any]]:
    """``process_document`` with a wall-clock limit (SIGALRM where available).

    Signals reach only a process's main thread (a process pool worker, not a thread): elsewhere
    the document runs unbounded, so a cluster's threads use
    :func:`jixiao.batch.cluster.process_chunk_isolated`, which calls this in a child's main thread.
    """
    import threading

    use_alarm = (
        hasattr(signal, "SIGALRM") and timeout > 0 and threading.current_thread() is threading.main_thread()
    )
    fired = False

    def alarm(signum: int, frame: FrameType | None) -> None:
        nonlocal fired
        fired = True
        raise _Timeout()

    if use_alarm:
        old = signal.signal(signal.SIGALRM, alarm)
        signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        rows = process_document(path)
    except _Timeout:
        rows = []
    finally:
        if use_alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, old)
    # a reader that caught the alarm anyway (a bare except) reported some other error: still a timeout
    if fired:
        rows = [failed_row(path, f"超时（{timeout:g} 秒）")]
    return rows


def limit_memory(memory_bytes: int = MEMORY_LIMIT_BYTES) -> None:
    """Cap this process's address space (a pool worker's initializer, a cluster child's first
    step) so a hostile file cannot exhaust the machine."""
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
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
    isolate: bool = False,
    on_row: Callable[[dict[str, Any]], None] | None = None,
    on_total: Callable[[int], None] | None = None,
) -> list[dict[str, Any]]:
    """Process every document not yet in ``summary``; append rows (and findings) as they finish.

    Rows stream to the files (and to ``on_row``) and are not kept: the list returned holds only
    each row's ``file``, ``part``, ``status`` and ``error``, so memory stays flat over a large run.
    Both CSV files are for Excel as well as for programs: a new file starts with the UTF-8 BOM
    (:data:`jixiao.serialize.EXCEL_CSV_ENCODING`; appending to a file writes none) and Chinese
    headers, which ``read_csv_rows`` maps back to the identifiers.

    ``executor`` runs the chunks instead of the built-in process pool (``jobs`` processes, each
    capped at :data:`MEMORY_LIMIT_BYTES`). With ``isolate`` each document runs in a bounded child
    process of the executor's worker (:func:`jixiao.batch.cluster.process_chunk_isolated`): give
    it for an executor whose tasks run in threads (Dask, a thread pool), where no alarm can
    enforce the timeout and no per-task memory cap applies.
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
            for row in _results(todo, jobs, timeout, executor, isolate):
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
    todo: list[str], jobs: int, timeout: float, executor: Executor | None, isolate: bool
) -> Iterator[dict[str, Any]]:
    unit: Callable[[list[str], float], list[dict[str, Any]]] = process_chunk
    if isolate:
        from jixiao.batch.cluster import process_chunk_isolated

        unit = process_chunk_isolated
    if executor is None and jobs <= 1:
        for path in todo:
            yield from unit([path], timeout)
        return
    own = executor is None
    pool = executor or ProcessPoolExecutor(max_workers=jobs, initializer=limit_memory)
    # small documents take milliseconds: send them in chunks so inter-process traffic stays small;
    # a bounded window of chunks in flight, each result dropped once written: memory stays flat
    size = max(1, min(8, len(todo) // (max(jobs, 1) * 4)))
    chunks = (todo[i : i + size] for i in range(0, len(todo), size))
    window = max(2, max(jobs, 1) * 4)
    pending: dict[Future[list[dict[str, Any]]], list[str]] = {}

    # another executor may run elsewhere (a cluster's workers have their own working folder): it
    # gets absolute paths, and the rows get back the paths as given (resuming compares them)
    given = {} if own else {os.path.abspath(p): p for p in todo}

    def fill() -> None:
        for chunk in chunks:
            sent = [os.path.abspath(p) for p in chunk] if given else chunk
            pending[pool.submit(unit, sent, timeout)] = chunk
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
                for row in rows:
                    yield _as_given(row, given) if given else row
            fill()
    finally:
        if own:
            pool.shutdown(wait=True, cancel_futures=True)


def _as_given(row: dict[str, Any], given: dict[str, str]) -> dict[str, Any]:
    """The row with the absolute path it was processed under written back as the user gave it
    (in ``file``, and wherever a text quotes it: ``where``, ``error``, messages)."""
    absolute = str(row.get("file"))
    if absolute not in given or absolute == given[absolute]:
        return row
    for record in [row, *(row.get("findings") or [])]:
        for key, value in record.items():
            if isinstance(value, str) and absolute in value:
                record[key] = value.replace(absolute, given[absolute])
    return row


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
