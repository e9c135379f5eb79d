"""Tables flattened into space-separated lines (text copied out of a PDF): cells put back in columns.

A line whose words are nearly all indicator-table column names (``一级指标 二级指标 三级指标
年度指标值 实际完成值 分值 得分``) or funds stages (``年初预算数 全年预算数 全年执行数``) starts
such a table; a funds row shorter than the header keeps its words from the left. Each following line is split at its spaces
and its words are put back under the header:

- a row with as many words as columns is taken as it is;
- otherwise the run of plain numbers goes to the numeric columns (分值, 得分), the words before it
  end just before those columns — the leading cells left empty were merged cells, which the
  indicator extractor carries down — and words after it go to the next column (偏差原因); numbers
  printed first (columns out of order) are moved to their columns the same way;
- a row with no numbers (a target table) is aligned to the right end.

Surplus words (a name printed with spaces) are joined into the name column. A line that is not
a row (one word, a sentence) ends the table.
"""

from __future__ import annotations

import re
from functools import lru_cache

from jixiao.ingest.extract.lexicon import LEVEL1, STAGES, column_role, level_family

_NAME_ROLES = {"level1", "level2", "name"}
_MEASURE_ROLES = {"score", "target", "actual", "weight"}
_NUMERIC_ROLES = ("weight", "score")
_PLAIN_NUMBER = re.compile(r"^[-+]?\d+(?:\.\d+)?分?$")


def spaced_header(line: str) -> list[str] | None:
    """The header cells when ``line`` is a space-separated indicator or funds table header, else None."""
    words = line.split()
    if len(words) < 4 or "\t" in line or "|" in line:
        return None
    roles = [column_role(w.strip(":：*")) for w in words]
    known = {r for r in roles if r}
    if (
        sum(1 for r in roles if r) >= max(4, len(words) - 1)
        and known & _NAME_ROLES
        and known & _MEASURE_ROLES
    ):
        return words
    stages = sum(1 for w in words if any(p.fullmatch(w) for _, p in STAGES))
    if stages >= 3 and stages + sum(1 for r in roles if r) >= len(words) - 2:
        return words  # 项目资金（万元） 年初预算数 全年预算数 全年执行数 分值 执行率 得分
    return None


@lru_cache(maxsize=64)
def _roles(header: tuple[str, ...]) -> tuple[str | None, ...]:
    """Column roles of a header, worked out once per table rather than once per row."""
    return tuple(column_role(h.strip(":：*")) for h in header)


def spaced_row(line: str, header: list[str]) -> list[str] | None:
    """The cells of a row under ``header``, or None when the line is not a row of the table."""
    words = line.split()
    if len(words) < 2 or any(len(w) > 40 for w in words) or any(w.endswith("。") for w in words[:-1]):
        return None
    width = len(header)
    if len(words) == width:
        return words
    roles = list(_roles(tuple(header)))
    if not _NAME_ROLES & set(roles):  # funds: a source and its amounts; dashes for empty cells left out
        return words[:width] + [""] * (width - len(words)) if len(words) < width else None
    numeric = [i for i, r in enumerate(roles) if r in _NUMERIC_ROLES]
    cells = [""] * width
    run = _last_number_run(words)
    if run is None or not numeric:
        _place_before(cells, words, width, roles)
        return cells
    start, end = run
    numbers = words[start:end][-len(numeric) :]
    before = words[:start] + words[start : end - len(numbers)]
    after = words[end:]
    if start == 0:  # numbers printed first (columns out of order): the words are the row's text
        before, after = before + after, []
    first_numeric = numeric[-len(numbers)]
    for column, value in zip(numeric[-len(numbers) :], numbers, strict=True):
        cells[column] = value
    if after:
        tail = numeric[-1] + 1  # the column after the numbers (偏差原因), when the header has one
        if tail < width:
            cells[tail] = " ".join(after)
        else:
            before += after
    _place_before(cells, before, first_numeric, roles)
    return cells


def _last_number_run(words: list[str]) -> tuple[int, int] | None:
    end = next((i + 1 for i in range(len(words) - 1, -1, -1) if _PLAIN_NUMBER.match(words[i])), None)
    if end is None:
        return None
    start = end - 1
    while start > 0 and _PLAIN_NUMBER.match(words[start - 1]):
        start -= 1
    return start, end


def _place_before(cells: list[str], words: list[str], stop: int, roles: list[str | None]) -> None:
    """Put ``words`` in the columns ending just before ``stop``; surplus words join the name column.

    A row whose first word is a 二级 name (质量指标) had its merged 一级 cell left out, so the
    一级 column stays empty even when that leaves surplus words.
    """
    if not words:
        return
    first = 0
    if roles and roles[0] == "level1" and level_family(words[0]) and not LEVEL1.fullmatch(words[0]):
        first = 1
    capacity = stop - first
    if len(words) > capacity > 0:
        name = roles.index("name") - first if "name" in roles[first:stop] else 0
        surplus = len(words) - capacity
        joined = " ".join(words[name : name + surplus + 1])
        words = [*words[:name], joined, *words[name + surplus + 1 :]]
    for offset, word in enumerate(words):
        cells[stop - len(words) + offset] = word
