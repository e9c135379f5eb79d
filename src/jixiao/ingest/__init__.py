"""Ingest published reports (txt, md, html, docx, doc, xlsx, xls, pdf) into Evaluations.

``read_document`` gives a normalised :class:`Document`; ``ingest_file`` extracts an Evaluation
with every value's provenance; ``summarize`` flattens it (the batch unit, above the front door,
is ``jixiao.batch.process_document``).
"""

from __future__ import annotations

from jixiao.ingest.document import Block, Document, Paragraph, Table
from jixiao.ingest.pipeline import ingest_document, ingest_file, ingest_parts, summarize
from jixiao.ingest.readers import read_document

__all__ = [
    "Block",
    "Document",
    "Paragraph",
    "Table",
    "ingest_document",
    "ingest_file",
    "ingest_parts",
    "read_document",
    "summarize",
]
