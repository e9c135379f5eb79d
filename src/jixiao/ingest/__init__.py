"""Ingest published reports (txt, md, html, docx, doc, xlsx, xls, pdf) into Evaluations.

``read_document`` gives a normalised :class:`Document`; ``ingest_file`` extracts an Evaluation
with every value's provenance; ``ingest_any`` reads each project as a target declaration
(绩效目标申报表) or an evaluation, whichever it is; ``summarize`` flattens either (the batch unit, above the front door,
is ``jixiao.batch.process_document``).
"""

from __future__ import annotations

from jixiao.ingest.declarations import document_kind, ingest_any, ingest_declarations
from jixiao.ingest.document import Block, Document, Paragraph, Table
from jixiao.ingest.pipeline import ingest_document, ingest_file, ingest_parts, summarize
from jixiao.ingest.readers import read_document

__all__ = [
    "Block",
    "Document",
    "Paragraph",
    "Table",
    "document_kind",
    "ingest_any",
    "ingest_declarations",
    "ingest_document",
    "ingest_file",
    "ingest_parts",
    "read_document",
    "summarize",
]
