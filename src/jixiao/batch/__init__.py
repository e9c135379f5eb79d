"""Long work above the front door: folders of documents ingested and audited in parallel
(``run``, one row per document through ``rows.process_document``), and uploads parsed in a
sandboxed child process with memory and time limits (``sandbox``)."""

from __future__ import annotations

from jixiao.batch.rows import ROW_FIELDS, failed_row, is_evaluation_document, process_document
from jixiao.batch.run import default_jobs, iter_documents, process_chunk, run_batch, write_parquet
from jixiao.ingest.limits import DEFAULT_TIMEOUT_SECONDS
from jixiao.serialize import read_csv_rows

__all__ = [
    "DEFAULT_TIMEOUT_SECONDS",
    "ROW_FIELDS",
    "default_jobs",
    "failed_row",
    "is_evaluation_document",
    "iter_documents",
    "process_chunk",
    "process_document",
    "read_csv_rows",
    "run_batch",
    "write_parquet",
]
