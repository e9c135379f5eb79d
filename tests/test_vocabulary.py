"""docs/glossary.md and jixiao.vocabulary say the same: every Chinese label the code shows is a
glossary row naming its English identifier, and a term has one English name."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from jixiao import vocabulary

GLOSSARY = Path(__file__).resolve().parents[1] / "docs" / "glossary.md"


def _rows() -> list[tuple[str, str]]:
    rows = []
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 2 and line.startswith("|") and not set(cells[0]) <= {"-", " "}:
            rows.append((cells[0], cells[1]))
    return rows[1:]  # the header


ROWS = _rows()
PAIRS = [
    (table, key, label)
    for table, labels in vocabulary.GLOSSARY_TABLES.items()
    for key, label in labels.items()
]


@pytest.mark.parametrize(("table", "key", "label"), PAIRS, ids=[f"{t}:{k}" for t, k, _ in PAIRS])
def test_every_label_is_a_glossary_row(table: str, key: str, label: str) -> None:
    words = re.compile(rf"(?<![\w-]){re.escape(key)}(?![\w-])")
    assert any(label in chinese and words.search(english) for chinese, english in ROWS), (
        f"docs/glossary.md has no row with “{label}” and `{key}` ({table})"
    )


def test_glossary_names_inflation_and_audit_once() -> None:
    english_of = {chinese: english for chinese, english in ROWS}
    assert english_of["自评虚高"] == "inflation"
    review = next(english for chinese, english in ROWS if chinese.startswith("复核"))
    assert "analysis" not in review


def test_the_test_sees_a_missing_label() -> None:
    assert not any("不存在的词" in chinese for chinese, _ in ROWS)


def test_the_audit_formats_named_are_the_ones_written() -> None:
    from jixiao.serialize import AUDIT_FILE_WRITERS, AUDIT_WRITERS

    assert set(vocabulary.AUDIT_FORMAT_NAMES) == {"text", *AUDIT_WRITERS} == {"text", *AUDIT_FILE_WRITERS}
