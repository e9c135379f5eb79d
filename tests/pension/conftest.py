"""Seed evaluations with a pension block attached: the example file when present, else a stand-in."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jixiao import api
from jixiao.model import Evaluation
from jixiao.yamlio import parse_text

HERE = Path(__file__).parent
ROOT = HERE.parents[1]


def block(number: str) -> dict[str, Any]:
    """The pension block of a seed (tests/pension/blocks/NNN.yaml)."""
    doc, problems = parse_text((HERE / "blocks" / f"{number}.yaml").read_text(encoding="utf-8"), number)
    assert doc is not None, problems
    return dict(doc.data)


def seed(number: str, **changes: Any) -> Evaluation:
    """The seed evaluation with its pension block; ``changes`` update the block (``persons=…``)."""
    examples = sorted((ROOT / "examples").glob(f"{number}-*.yaml"))
    path = examples[0] if examples else HERE / "fixtures" / f"{number}.yaml"
    loaded = api.load(path)
    assert loaded.evaluation is not None, loaded.findings
    data = {**block(number), **changes}
    return loaded.evaluation.model_copy(update={"pension": data})
