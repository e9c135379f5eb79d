"""Write ingested evaluations as evaluation files (YAML or JSON) loadable by ``jixiao score``."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any

from jixiao.model import Evaluation
from jixiao.yamlio import dump_json


def plain(value: Any) -> Any:
    """Model data with enums as their values and dates as ISO strings; Decimals kept exact."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    return value


def evaluation_data(evaluation: Evaluation) -> dict[str, Any]:
    """The evaluation as plain data (the evaluation file format)."""
    data: dict[str, Any] = plain(
        evaluation.model_dump(mode="python", exclude_none=True, exclude_defaults=True)
    )
    data = {"schema_version": 1, **data}
    data["kind"] = evaluation.kind.value
    data["project"] = {"name": evaluation.project.name, **data.get("project", {})}
    for i, ind in enumerate(evaluation.indicators):
        if ind.rule is not None:  # exclude_defaults would drop the rule's discriminator
            data["indicators"][i]["rule"] = plain(ind.rule.model_dump(mode="python", exclude_none=True))
    return data


def to_yaml(evaluation: Evaluation, header: str = "") -> str:
    """YAML text of an evaluation; Decimals printed exactly as numbers."""
    from ruamel.yaml import YAML

    yaml = YAML()
    yaml.allow_unicode = True
    yaml.width = 4096
    yaml.representer.add_representer(
        Decimal,
        lambda r, d: r.represent_scalar(
            "tag:yaml.org,2002:float" if "." in str(d) else "tag:yaml.org,2002:int", str(d)
        ),
    )
    buf = io.StringIO()
    if header:
        buf.write("".join(f"# {line}\n" for line in header.splitlines()))
    yaml.dump(evaluation_data(evaluation), buf)
    return buf.getvalue()


def to_json(evaluation: Evaluation) -> str:
    """JSON text of an evaluation."""
    return dump_json(evaluation_data(evaluation))
