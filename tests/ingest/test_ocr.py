"""OCR text: the usual misreads inside numbers are mended, so figures read as from clean text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from jixiao.ingest import ingest_file, summarize
from jixiao.ingest.extract.context import mend_ocr
from tests.ingest.conftest import seed


@pytest.mark.parametrize(
    ("ocr", "meant"),
    [
        ("预算执行率为98。67%", "预算执行率为98.67%"),
        ("实际支出1O5.5万元", "实际支出105.5万元"),
        ("参保2l3人", "参保213人"),
        ("1OO5", "1005"),
        ("8O。28%", "80.28%"),
        ("到位率95°/o", "到位率95%"),
        ("3·5万元", "3.5万元"),
    ],
)
def test_misreads_inside_numbers_are_mended(ocr: str, meant: str) -> None:
    assert mend_ocr(ocr) == meant


@pytest.mark.parametrize(
    "text", ["人数为300。2023年完成", "分别补助100，20万元", "第1O期", "ISO9001", "NO.1", "Oil 1l"]
)
def test_words_and_sentence_ends_are_left_alone(text: str) -> None:
    assert mend_ocr(text) == text


def _ocr(text: str) -> str:
    """Corrupt a clean report the way OCR does: 0 → O inside numbers, the decimal point of rates → 。."""
    text = re.sub(r"(?<=\d)0(?=\d)", "O", text)
    return re.sub(r"(?<=\d)\.(?=\d{2}%)", "。", text)


@pytest.mark.parametrize("prefix", ["000", "002", "004"])
def test_an_ocr_copy_reads_like_the_clean_report(prefix: str, tmp_path: Path) -> None:
    clean = seed(prefix)
    text = clean.read_text(encoding="utf-8")
    corrupted = _ocr(text)
    assert corrupted != text
    copy = tmp_path / clean.name
    copy.write_text(corrupted, encoding="utf-8")
    expected = {k: v for k, v in summarize(ingest_file(clean)).items() if k != "file"}
    assert {k: v for k, v in summarize(ingest_file(copy)).items() if k != "file"} == expected
