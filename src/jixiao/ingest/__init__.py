"""Ingest published reports (txt, md, html, docx, doc, xlsx, xls, pdf) into Evaluations.

``read_document`` gives a normalised :class:`Document`; ``ingest_file`` extracts an Evaluation
with every value's provenance; ``summarize`` flattens it; ``process_document`` is the batch unit
(picklable in and out, never raises) for any ``concurrent.futures`` executor.
"""

from __future__ import annotations

from jixiao.ingest.api import ingest_document, ingest_file, ingest_parts, process_document, summarize
from jixiao.ingest.document import Block, Document, Paragraph, Table
from jixiao.ingest.readers import read_document

__all__ = [
    "Block",
    "Document",
    "Paragraph",
    "Table",
    "ingest_document",
    "ingest_file",
    "ingest_parts",
    "process_document",
    "read_document",
    "summarize",
]
