"""Every finding message, rendered with its case data, reads as a 复核意见 a bureau accepts.

No field paths (``indicators[6].claimed``), no English identifiers (``arrival_rate``), no Python
reprs (``Decimal('1')``, ``None``, ``['a']``), no doubled spaces, no empty brackets.
"""

from __future__ import annotations

import re

import pytest

from tests.checks.helpers import audit, build, load_cases

FORBIDDEN = {
    "a field path": re.compile(r"[A-Za-z_]+\[\d+\]|\b(?:indicators|funds|claims|levels|survey|goals)\.[a-z]"),
    "an English identifier": re.compile(r"\b[a-z]+_[a-z_]+\b"),
    "a Python repr": re.compile(r"Decimal\(|\bNone\b|\['|'\]|\{'"),
    "a doubled space": re.compile(r"  "),
    "empty brackets": re.compile(r"（）|\(\)|“”|【】|\[\]"),
}
# Errors in a parameter file name the key the user edits in that file (a YAML path is its address).
FILE_KEYS = {"pension.params-invalid"}

MESSAGES = sorted(
    {
        (f.code, f.message)
        for _, _, case in load_cases()
        for f in audit(build(case)).findings
        if f.code not in FILE_KEYS
    }
)


@pytest.mark.parametrize(("code", "message"), MESSAGES, ids=[f"{c}:{i}" for i, (c, _) in enumerate(MESSAGES)])
def test_message_reads_as_chinese_prose(code: str, message: str) -> None:
    for what, pattern in FORBIDDEN.items():
        assert not pattern.search(message), f"{code} message holds {what}: {message}"


def test_every_case_message_was_rendered() -> None:
    assert len({code for code, _ in MESSAGES}) >= 40


PLACES = sorted(
    {
        (f.code, f.location.describe())
        for _, _, case in load_cases()
        for f in audit(build(case)).findings
        if f.location.path and f.code not in FILE_KEYS
    }
)


@pytest.mark.parametrize(("code", "place"), PLACES, ids=[f"{c}:{i}" for i, (c, _) in enumerate(PLACES)])
def test_place_is_named_in_chinese(code: str, place: str) -> None:
    """A finding's place reads “产出指标 / 数量指标 / 参保人数 得分”, never ``indicators[0].claimed``."""
    assert place, f"{code}: a finding with a field path has no place in Chinese"
    for what in ("a field path", "an English identifier", "a Python repr", "empty brackets"):
        assert not FORBIDDEN[what].search(place), f"{code} place holds {what}: {place}"
