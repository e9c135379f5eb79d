"""Every pension code is documented in docs/checks-pension.md, and every documented code exists."""

from __future__ import annotations

import re
from pathlib import Path

from jixiao.pension.checks import PENSION_CHECKS

DOCS = Path(__file__).parents[2] / "docs"


def _registered() -> set[str]:
    return {code for fn in PENSION_CHECKS for code in fn.codes}  # type: ignore[attr-defined]


def test_every_code_documented() -> None:
    text = (DOCS / "checks-pension.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^### (pension\.[a-z-]+)$", text, re.MULTILINE))
    assert documented == _registered()
    for section in text.split("### ")[1:]:
        assert "严重程度" in section and "含义" in section and "规则" in section and "示例" in section


def test_codes_are_lowercase_dashes() -> None:
    for code in _registered():
        assert re.fullmatch(r"pension\.[a-z]+(-[a-z]+)*", code)


def test_pension_guide_exists() -> None:
    text = (DOCS / "pension.md").read_text(encoding="utf-8")
    assert "65443人 × 100元" in text and "139" in text and "extends" in text
