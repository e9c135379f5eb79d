"""Fixtures for document tests: the four seed evaluations, their scores, document text helpers."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import docx
import pytest

from jixiao import api
from jixiao.model import Evaluation
from jixiao.numbers import format_percent, format_score
from jixiao.scoring.result import ScoreResult

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SEEDS = ["000-jiayuguan-2022", "002-jinzhong-2020", "003-dongchuan-2019", "004-xinfeng-2022"]


def load_seed(name: str) -> Evaluation:
    loaded = api.load(EXAMPLES / f"{name}.yaml")
    assert loaded.evaluation is not None, loaded.findings
    return loaded.evaluation


@pytest.fixture(params=SEEDS)
def seed(request: pytest.FixtureRequest) -> Evaluation:
    return load_seed(str(request.param))


def docx_text(data: bytes) -> str:
    """All text of a Word file: paragraphs, table cells (nested), headers and footers."""
    document = docx.Document(io.BytesIO(data))
    return "".join(t.text or "" for t in document.element.body.iter() if t.tag.endswith("}t"))


def plain(value: Decimal | None) -> str:
    return "" if value is None else f"{value:f}"


def printed_figures(ev: Evaluation, *, all_stages: bool = True) -> list[str]:
    """Every figure the evaluation prints that a document must show."""
    out: list[str] = []
    stages = ["budget", "budget_adjusted", "spent"] + (["available", "surplus"] if all_stages else [])
    for line in [ev.funds.total, *ev.funds.lines]:
        out += [plain(getattr(line, s)) for s in stages]
    if ev.funds.execution_rate is not None and ev.funds.execution_rate.text:
        out.append(ev.funds.execution_rate.text)
    for ind in ev.indicators:
        out += [plain(ind.weight), plain(ind.claimed)]
        out += [f.text or "" for f in (ind.target, ind.actual) if f is not None]
    out.append(plain(ev.claims.total))
    return [x for x in out if x]


def computed_figures(score: ScoreResult) -> list[str]:
    """Every computed score and rate a document must show."""
    out = [
        format_score(s.computed) for s in score.indicators if s.computed is not None and s.weight is not None
    ]
    for level in score.levels:
        out += [format_score(level.computed)] if level.computed is not None else []
        out += [format_percent(level.rate)] if level.rate is not None else []
    if score.computed_total is not None:
        out.append(format_score(score.computed_total))
    if score.execution_rate is not None:
        out.append(format_percent(score.execution_rate))
    return out


def missing(text: str, figures: list[str]) -> list[str]:
    squeezed = "".join(text.split())
    return [f for f in figures if "".join(f.split()) not in squeezed]
