"""YAML/JSON reading that remembers line numbers, pydantic errors turned into findings, and JSON
writing with Decimals as numbers."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.scalarfloat import ScalarFloat

from jixiao.findings import Finding, Severity, finding
from jixiao.model import RULE_KINDS, Source

M = TypeVar("M", bound=BaseModel)

MAX_FILE_BYTES = 20 * 1024 * 1024  # an evaluation or policy file larger than this is refused


class ParsedDocument:
    """A YAML or JSON document: plain Python data plus a way to find the line of a field path."""

    def __init__(self, data: Any, raw: Any, file: str) -> None:
        self.data = data
        self._raw = raw
        self.file = file

    def line_of(self, loc: Sequence[str | int]) -> int | None:
        """1-based line of the deepest node on ``loc`` that the YAML parser recorded."""
        node = self._raw
        line: int | None = None
        for key in loc:
            if isinstance(node, CommentedMap) and key in node:
                with contextlib.suppress(KeyError, TypeError, AttributeError):
                    line = node.lc.key(key)[0] + 1
                node = node[key]
            elif isinstance(node, CommentedSeq) and isinstance(key, int) and 0 <= key < len(node):
                with contextlib.suppress(KeyError, TypeError, AttributeError):
                    line = node.lc.item(key)[0] + 1
                node = node[key]
            else:
                break
        return line


def _printed_decimal(node: ScalarFloat) -> Decimal:
    """A YAML float as the Decimal it prints: ``2.80`` stays 2.80 (printed precision matters)."""
    width, dot = getattr(node, "_width", None), getattr(node, "_prec", None)
    if (
        getattr(node, "_exp", None) is None
        and isinstance(width, int)
        and isinstance(dot, int)
        and width > dot >= 0
    ):
        places = width - dot - 1
        return Decimal(f"{float(node):.{places}f}")
    return Decimal(repr(float(node)))


def _plain(node: Any) -> Any:
    """ruamel's commented containers → plain dicts and lists (scalars kept)."""
    if isinstance(node, dict):
        return {str(k) if not isinstance(k, str) else k: _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    if isinstance(node, ScalarFloat):
        return _printed_decimal(node)
    if hasattr(node, "isoformat") and not isinstance(node, str):
        return node
    if isinstance(node, str):
        return str(node)
    return node


def parse_text(text: str, file: str, fmt: str | None = None) -> tuple[ParsedDocument | None, list[Finding]]:
    """Parse YAML (a superset of JSON) or strict JSON; syntax errors become findings with a line."""
    if fmt == "json" or (fmt is None and file.lower().endswith(".json")):
        try:
            data = json.loads(text, parse_float=Decimal)  # 2.80 keeps its printed places
        except json.JSONDecodeError as exc:
            return None, [
                finding(
                    "file.syntax",
                    Severity.error,
                    f"JSON 格式错误：{exc.msg}（第{exc.lineno}行第{exc.colno}列）",
                    source=Source(file=file, line=exc.lineno),
                )
            ]
        return ParsedDocument(data, _json_lines(text, data), file), []
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    try:
        raw = yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = exc.problem or exc.context or "无法解析"
        return None, [
            finding(
                "file.syntax",
                Severity.error,
                f"YAML 格式错误：{problem}（第{line}行）",
                source=Source(file=file, line=line),
            )
        ]
    except YAMLError as exc:
        return None, [
            finding("file.syntax", Severity.error, f"YAML 格式错误：{exc}", source=Source(file=file))
        ]
    return ParsedDocument(_plain(raw), raw, file), []


def _json_lines(text: str, data: Any) -> Any:
    """JSON is YAML too: parse it once more with ruamel only to learn the line of each field."""
    try:
        raw = YAML(typ="rt").load(text)
    except YAMLError:
        return data
    return raw if isinstance(raw, CommentedMap | CommentedSeq) else data


def read_file(path: Path) -> tuple[str | None, list[Finding]]:
    """Read a UTF-8 text file (GB18030 tolerated) with a size limit; problems become findings."""
    name = str(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        return None, [
            finding(
                "file.unreadable",
                Severity.error,
                f"无法读取文件：{exc.strerror or exc}",
                source=Source(file=name),
            )
        ]
    if size > MAX_FILE_BYTES:
        return None, [
            finding(
                "file.too-large",
                Severity.error,
                f"文件过大（{size // 1024 // 1024} MB），超过 {MAX_FILE_BYTES // 1024 // 1024} MB 上限",
                source=Source(file=name),
            )
        ]
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [
            finding(
                "file.unreadable",
                Severity.error,
                f"无法读取文件：{exc.strerror or exc}",
                source=Source(file=name),
            )
        ]
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding), []
        except UnicodeDecodeError:
            continue
    return None, [
        finding(
            "file.encoding",
            Severity.error,
            "文件编码无法识别（应为 UTF-8 或 GB18030）",
            source=Source(file=name),
        )
    ]


def _loc_text(loc: Sequence[str | int]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


_MESSAGES = {
    "missing": "缺少必填字段",
    "extra_forbidden": "不认识的字段（拼写错误？）",
    "decimal_parsing": "应为数字",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "greater_than_equal": "不能小于下限",
    "less_than_equal": "不能大于上限",
    "date_from_datetime_parsing": "应为日期（YYYY-MM-DD）",
    "date_parsing": "应为日期（YYYY-MM-DD）",
    "literal_error": "取值不在允许范围内",
    "enum": "取值不在允许范围内",
    "union_tag_invalid": "评分规则类型（kind）不认识",
    "union_tag_not_found": "评分规则缺少类型（kind）",
    "bool_parsing": "应为 true 或 false",
    "string_type": "应为文字",
    "list_type": "应为列表",
    "dict_type": "应为键值对",
    "model_type": "应为键值对",
}


def validation_findings(
    exc: ValidationError, doc: ParsedDocument, code: str = "file.invalid"
) -> list[Finding]:
    """One finding per pydantic error, naming the file, the line and the field path in Chinese."""
    out: list[Finding] = []
    for err in exc.errors():
        loc = [p for p in err["loc"] if not (isinstance(p, str) and p in _UNION_TAGS)]
        path = _loc_text(loc)
        reason = _MESSAGES.get(err["type"], err["msg"])
        if err["type"] == "value_error" and err.get("ctx", {}).get("error") is not None:
            reason = str(err["ctx"]["error"])  # our own validators' Chinese text, without "Value error, "
        if err["type"] in ("greater_than_equal", "less_than_equal") and err.get("ctx"):
            bound = next(iter(err["ctx"].values()))
            reason = f"{reason}（{bound}）"
        value = err.get("input")
        shown = "" if isinstance(value, dict | list) or value is None else f"，实际为“{str(value)[:40]}”"
        line = doc.line_of(loc)
        if line is None and isinstance(doc._raw, CommentedMap | CommentedSeq):
            line = 1  # a missing top-level field: point at the start of the file
        out.append(
            finding(
                code,
                Severity.error,
                f"字段 {path or '（顶层）'}：{reason}{shown}",
                path,
                source=Source(file=doc.file, line=line),
                actual=None if isinstance(value, dict | list) else value,
            )
        )
    return out


# Union tags pydantic puts in an error's path; they are no field of the file.
_UNION_TAGS = {*RULE_KINDS, "function-after[_from_any(), Figure]"}


def validate(
    model: type[M], doc: ParsedDocument, code: str = "file.invalid"
) -> tuple[M | None, list[Finding]]:
    """Validate parsed data against a model; errors become findings with lines."""
    if not isinstance(doc.data, dict):
        return None, [
            finding(
                code,
                Severity.error,
                "文件内容应为键值对（YAML 映射或 JSON 对象）",
                source=Source(file=doc.file, line=1),
            )
        ]
    try:
        return model.model_validate(doc.data), []
    except ValidationError as exc:
        return None, validation_findings(exc, doc, code)


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return (
            int(value)
            if value == value.to_integral_value() and value.as_tuple().exponent == 0
            else float(value)
        )
    if hasattr(value, "isoformat"):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def dump_json(data: Any) -> str:
    """JSON with Decimals as JSON numbers and Chinese kept readable."""
    return json.dumps(data, ensure_ascii=False, indent=2, default=_default)
