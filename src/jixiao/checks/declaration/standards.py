"""预算支出标准: the ceilings a finance bureau sets per spending item (会议费 元/人·天 …), loaded
from a YAML or CSV table the bureau supplies (``jixiao check --standards FILE``).

YAML::

    name: 某市市级部门预算支出标准（2025年）
    source: 某财预〔2024〕12号
    items:
      - {item: 会议费, unit: 元/人·天, ceiling: 550, aliases: [会议]}

CSV: a header row ``item,unit,ceiling[,aliases,source]`` or ``支出项目,计量单位,标准上限[,别名,依据]``
(aliases separated by ``、`` or ``;``).
"""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from jixiao.findings import Finding, Severity, finding
from jixiao.model import Source
from jixiao.numbers import parse_decimal
from jixiao.yamlio import parse_text, read_file, validate


class StandardItem(BaseModel):
    """One row of a 预算支出标准 table: an item, its unit and the ceiling (最高标准)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    item: str = Field(min_length=1)  # 支出项目 as the table names it (会议费, 培训费, 劳务费 …)
    unit: str = Field(min_length=1)  # 元/人·天, 元/人, 万元 …
    ceiling: Decimal = Field(ge=0)
    aliases: tuple[str, ...] = ()  # other names the item goes by in indicator names
    source: str = ""  # the document that sets it

    def names(self) -> tuple[str, ...]:
        """The item and its aliases, longest first."""
        return tuple(sorted({self.item, *self.aliases}, key=len, reverse=True))


class Standards(BaseModel):
    """A 预算支出标准 table."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = "预算支出标准"
    source: str = ""
    items: tuple[StandardItem, ...] = ()

    def match(self, text: str) -> StandardItem | None:
        """The item an indicator name speaks of (its longest name contained in ``text``)."""
        best: tuple[int, StandardItem] | None = None
        for item in self.items:
            for name in item.names():
                if name and name in text and (best is None or len(name) > best[0]):
                    best = (len(name), item)
        return best[1] if best else None


def unit_key(unit: str) -> str:
    """A unit compared loosely: ``元／人・天`` ≈ ``元/人·天``."""
    return re.sub(r"\s", "", unit).replace("／", "/").replace("・", "·").replace("*", "·").replace("×", "·")


_HEADERS = {
    "item": ("item", "支出项目", "项目", "名称"),
    "unit": ("unit", "计量单位", "单位"),
    "ceiling": ("ceiling", "标准上限", "标准", "上限", "最高标准"),
    "aliases": ("aliases", "别名"),
    "source": ("source", "依据", "来源"),
}


def _csv(text: str, name: str) -> tuple[Standards | None, list[Finding]]:
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    rows = [r for r in reader if any(c.strip() for c in r)]
    if not rows:
        return None, [_bad(name, "预算支出标准表是空的")]
    header = [c.strip() for c in rows[0]]
    where = {
        key: next((i for i, h in enumerate(header) if h in names), None) for key, names in _HEADERS.items()
    }
    if where["item"] is None or where["unit"] is None or where["ceiling"] is None:
        return None, [
            _bad(name, "预算支出标准表第一行应为列名：支出项目、计量单位、标准上限（或 item, unit, ceiling）")
        ]
    items: list[StandardItem] = []
    problems: list[Finding] = []
    for n, row in enumerate(rows[1:], start=2):

        def cell(key: str, row: list[str] = row) -> str:
            i = where[key]
            return row[i].strip() if i is not None and i < len(row) else ""

        ceiling = parse_decimal(cell("ceiling"))
        if not cell("item") or not cell("unit") or ceiling is None:
            problems.append(_bad(name, f"第{n}行缺少支出项目、计量单位或标准上限（数值）", n))
            continue
        aliases = tuple(a.strip() for a in re.split(r"[、;；]", cell("aliases")) if a.strip())
        items.append(
            StandardItem(
                item=cell("item"), unit=cell("unit"), ceiling=ceiling, aliases=aliases, source=cell("source")
            )
        )
    return Standards(name=Path(name).stem, items=tuple(items)), problems


def _bad(name: str, why: str, line: int | None = None) -> Finding:
    return finding(
        "file.invalid", Severity.error, f"预算支出标准文件 {name}：{why}", source=Source(file=name, line=line)
    )


def load_standards(path: str | Path) -> tuple[Standards | None, list[Finding]]:
    """A 预算支出标准 table from a YAML or CSV file; problems are findings (never an exception)."""
    p = Path(path)
    name = str(p)
    if not p.is_file():
        return None, [
            finding(
                "file.unreadable", Severity.error, f"预算支出标准文件 {name} 不存在", source=Source(file=name)
            )
        ]
    text, problems = read_file(p)
    if text is None:
        return None, problems
    if p.suffix.lower() == ".csv":
        return _csv(text, name)
    doc, problems = parse_text(text, name)
    if doc is None:
        return None, problems
    return validate(Standards, doc, "file.invalid")
