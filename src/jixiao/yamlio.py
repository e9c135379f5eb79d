"""YAML/JSON reading that remembers line numbers, pydantic errors turned into findings, and JSON
writing with Decimals as numbers."""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import DuplicateKeyError
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode
from ruamel.yaml.reader import ReaderError
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
    """Parse YAML (a superset of JSON) or strict JSON; syntax errors become findings with a line.

    The message says in Chinese what is wrong and where (:func:`yaml_problem`, :func:`json_problem`);
    the parser's own English text never reaches the user. An empty file parses to no data, which
    :func:`validate` reports.
    """
    if fmt == "json" or (fmt is None and file.lower().endswith(".json")):
        if not text.strip():
            return ParsedDocument(None, None, file), []
        try:
            data = json.loads(text, parse_float=Decimal)  # 2.80 keeps its printed places
        except RecursionError:
            message = f"JSON 格式错误：{_TOO_DEEP}"
            return None, [finding("file.syntax", Severity.error, message, source=Source(file=file))]
        except json.JSONDecodeError as exc:
            return None, [
                finding(
                    "file.syntax",
                    Severity.error,
                    f"JSON 格式错误：{json_problem(exc.msg)}（第{exc.lineno}行第{exc.colno}列）",
                    source=Source(file=file, line=exc.lineno),
                )
            ]
        return ParsedDocument(data, _json_lines(text, data), file), []
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    try:
        raw = yaml.load(text)
    except YAMLError as exc:
        problem, line = yaml_problem(exc, text)
    except RecursionError:
        problem, line = _TOO_DEEP, None
    except (ValueError, TypeError):  # a value the parser cannot build: a date that does not exist
        problem, line = _unbuildable_value(text)
    else:
        return ParsedDocument(_plain(raw), raw, file), []
    where = f"（第{line}行）" if line is not None else ""
    return None, [
        finding(
            "file.syntax",
            Severity.error,
            f"YAML 格式错误：{problem}{where}",
            source=Source(file=file, line=line),
        )
    ]


# ---------------------------------------------------------------- parser messages in Chinese
#
# ruamel and json describe a syntax error in English for programmers; a user reads instead what
# is wrong in words of the file (indentation, quotes, colons, brackets) and the line to look at.
# Each rule matches ruamel's ``problem`` (and ``context``) text; a message not matched gets the
# general one, so no English reaches the user whatever the parser says.

_INDENT = "这一行的缩进与上文不一致（同一层的字段或列表项“- ”应左对齐），或上文有引号没有闭合、引号外多了文字"
_COLON = (
    "冒号（:）不能出现在这里：常见原因是这一行的缩进与上一行不一致、上一行少了冒号，"
    "或值里含有“: ”而没有加引号"
)
_GENERAL = "无法解析：请检查这一行及上一行的缩进（只能用空格）、冒号和引号"
_TOO_DEEP = "括号或缩进嵌套的层数过多，无法读取"


def _unbuildable_value(text: str) -> tuple[str, int | None]:
    """The first value the parser reads but cannot build (``2020-13-45``, ``!!int 十``), with its
    line: the file composed into nodes, each scalar built in file order until one fails."""
    yaml = YAML(typ="rt")
    try:
        root = yaml.compose(text)
    except (YAMLError, ValueError, TypeError, RecursionError):
        return _GENERAL, None
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, ScalarNode):
            try:
                yaml.constructor.construct_object(node, deep=True)
            except (YAMLError, ValueError, TypeError):
                value, line = str(node.value)[:40], node.start_mark.line + 1
                if "timestamp" in str(node.tag):
                    return (
                        f"日期“{value}”不存在（月份为 1–12，日不超过当月天数）；如果它不是日期，请加引号",
                        line,
                    )
                return f"值“{value}”无法按标注的类型读取；如果它是文字，请加引号", line
        elif isinstance(node, MappingNode):
            stack.extend(reversed([item for pair in node.value for item in pair]))
        elif isinstance(node, SequenceNode):
            stack.extend(reversed(node.value))
    return _GENERAL, None


def _line_of(mark: Any, text: str) -> int | None:
    """1-based line of a parser mark; a mark past the last line (end of file) points at the last
    line that has content."""
    if mark is None or getattr(mark, "line", None) is None:
        return None
    line = int(mark.line) + 1
    lines = text.splitlines()
    while lines and not lines[-1].strip():
        lines.pop()
    return max(1, min(line, len(lines))) if lines else 1


def _character(problem: str) -> str:
    """The character a scanner message quotes (``found character '@' …`` → ``@``)."""
    match = re.search(r"found character '(.+?)' that cannot start", problem)
    return match.group(1) if match else ""


def _first_line_of_key(text: str, mapping_line: int | None, mapping_col: int | None, key: str) -> int | None:
    """Where a duplicated key was first written: the file parsed again with duplicates allowed, the
    mapping that starts at the error's context mark searched for the key."""
    try:
        yaml = YAML(typ="rt")
        yaml.allow_duplicate_keys = True
        root = yaml.load(text)
    except (YAMLError, ValueError, TypeError, RecursionError):
        return None
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, CommentedMap):
            with contextlib.suppress(AttributeError, KeyError, TypeError):
                if (node.lc.line, node.lc.col) == (mapping_line, mapping_col) and key in node:
                    return int(node.lc.key(key)[0]) + 1
            stack.extend(node.values())
        elif isinstance(node, CommentedSeq):
            stack.extend(node)
    return None


def yaml_problem(exc: YAMLError, text: str) -> tuple[str, int | None]:
    """A YAML syntax error in Chinese, and the line the user should look at."""
    if isinstance(exc, ReaderError):  # a control character the YAML reader refuses
        position = exc.position if isinstance(exc.position, int) else 0
        code = f"U+{exc.character:04X}" if isinstance(exc.character, int) else "控制字符"
        return f"文件里有不可见的控制字符（{code}），请删除", text.count("\n", 0, position) + 1
    if not isinstance(exc, MarkedYAMLError):
        return _GENERAL, None
    problem, context = exc.problem or "", exc.context or ""
    line = _line_of(exc.problem_mark, text) or _line_of(exc.context_mark, text)
    context_line = _line_of(exc.context_mark, text)
    if isinstance(exc, DuplicateKeyError):
        match = re.search(r'found duplicate key "(.*?)" with value', problem, re.S)
        key = match.group(1) if match else ""
        mark = exc.context_mark
        first = (
            _first_line_of_key(text, getattr(mark, "line", None), getattr(mark, "column", None), key)
            if key
            else None
        )
        if first is not None and first != line:
            return f"字段“{key}”重复：第{first}行已有“{key}”，同一层的每个字段只能写一次", line
        return f"字段“{key}”在同一层写了两次，每个字段只能写一次", line
    if problem.startswith("found character '\\t'"):
        return "这一行有制表符（Tab）：YAML 只能用空格缩进，请把 Tab 换成空格", line
    if "cannot start any token" in problem:
        char = _character(problem)
        return f'“{char}”不能作为值的开头：以 {char} 开头的文字请加引号（如 "{char}…"）', line
    if "quoted scalar" in context and problem.startswith(
        ("found unexpected end of stream", "found unexpected document")
    ):
        return "引号没有闭合：从这一行开始的引号到文件末尾都没有配对的引号", context_line or line
    if "double-quoted scalar" in context and ("escape" in problem):
        return (
            "双引号里的反斜杠（\\）后面不是合法的转义：含反斜杠的文字（如 Windows 路径）请改用单引号",
            line,
        )
    if problem == "mapping values are not allowed here":
        return _COLON, line
    if problem.startswith("expected <block end>"):
        return _INDENT, line
    if problem.startswith("could not find expected ':'"):
        return "这一行少了冒号（字段名后应写“: ”），或这一行的引号没有闭合", context_line or line
    if problem.startswith("expected ',' or ']'"):
        return "方括号“[”没有闭合，或列表的各项之间少了逗号", context_line or line
    if problem.startswith("expected ',' or '}'"):
        return "花括号“{”没有闭合，或各字段之间少了逗号", context_line or line
    if problem.startswith("expected the node content"):
        return "这里缺少内容：方括号“[”或花括号“{”没有闭合，或多了逗号", line
    if problem.startswith("found undefined alias"):
        return "以 * 开头的文字会被当作引用：请给这个值加引号", line
    if "anchor" in context or "alias" in context:
        return "以 & 或 * 开头的文字请加引号", line
    if problem == "but found another document" or "document separator" in problem:
        return "文件里有多份文档（用“---”分隔）：一个文件只能写一份", line
    if "block scalar" in context:
        return "多行文字（| 或 >）的写法不对：| 或 > 后面应直接换行，下一行起缩进书写", line
    if "unhashable key" in problem:
        return "字段名不能是列表或键值对", line
    return _GENERAL, line


_JSON_PROBLEMS = (
    ("Expecting value", "这里缺少值（或多了逗号）"),
    ("Expecting property name", "字段名应加双引号（或最后一项后多了逗号）"),
    ("Expecting ':' delimiter", "字段名后缺少冒号"),
    ("Expecting ',' delimiter", "缺少逗号（或引号没有闭合）"),
    ("Unterminated string", "引号没有闭合"),
    ("Invalid control character", "引号内不能直接换行或使用 Tab，请写作 \\n 或 \\t"),
    ("Invalid \\uXXXX escape", "“\\u”后应为四位十六进制数"),
    ("Invalid \\escape", "反斜杠（\\）后面不是合法的转义：Windows 路径中的 \\ 请写作 \\\\"),
    ("Extra data", "JSON 已结束，后面还有多余的内容"),
)


def json_problem(msg: str) -> str:
    """A JSON syntax error (``json.JSONDecodeError.msg``) in Chinese."""
    for english, chinese in _JSON_PROBLEMS:
        if msg.startswith(english):
            return chinese
    return "无法解析：请检查这一行的引号、逗号和括号"


def _json_lines(text: str, data: Any) -> Any:
    """JSON is YAML too: parse it once more with ruamel only to learn the line of each field."""
    try:
        raw = YAML(typ="rt").load(text)
    except (YAMLError, ValueError, TypeError, RecursionError):
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
    return decode(raw, name)


def decode(raw: bytes, name: str) -> tuple[str | None, list[Finding]]:
    """Text of a file's bytes: UTF-8 (with or without BOM), UTF-16 with its BOM (Notepad's
    “Unicode”), else GB18030; none fits → a finding naming the first line that cannot be read."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        with contextlib.suppress(UnicodeDecodeError):
            return raw.decode("utf-16"), []
    stops: list[int] = []
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding), []
        except UnicodeDecodeError as exc:
            stops.append(exc.start)
    # the encoding that read further is the one the file was meant to have; its stop is the line
    line = raw.count(b"\n", 0, max(stops)) + 1
    return None, [
        finding(
            "file.encoding",
            Severity.error,
            f"文件编码无法识别（应为 UTF-8 或 GB18030）：第{line}行有无法识别的字节，请用 UTF-8 编码另存",
            source=Source(file=name, line=line),
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
    "model_attributes_type": "应为键值对",
    "greater_than": "应大于下限",
    "less_than": "应小于上限",
    "too_short": "项数太少",
    "too_long": "项数太多",
    "string_too_short": "文字太短",
    "string_too_long": "文字太长",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "decimal_type": "应为数字",
    "int_type": "应为整数",
    "finite_number": "应为有限的数字",
    "date_type": "应为日期（YYYY-MM-DD）",
    "datetime_parsing": "应为日期（YYYY-MM-DD）",
    "datetime_type": "应为日期（YYYY-MM-DD）",
}
_CJK = re.compile(r"[\u4e00-\u9fff]")


def validation_findings(
    exc: ValidationError, doc: ParsedDocument, code: str = "file.invalid"
) -> list[Finding]:
    """One finding per pydantic error, naming the file, the line and the field path in Chinese."""
    out: list[Finding] = []
    for err in exc.errors():
        loc = [p for p in err["loc"] if not (isinstance(p, str) and p in _UNION_TAGS)]
        path = _loc_text(loc)
        reason = _MESSAGES.get(err["type"]) or (
            err["msg"] if _CJK.search(err["msg"]) else "取值不符合格式要求"  # pydantic's English stays out
        )
        if err["type"] == "value_error" and err.get("ctx", {}).get("error") is not None:
            reason = str(err["ctx"]["error"])  # our own validators' Chinese text, without "Value error, "
        if err["type"] in ("greater_than_equal", "less_than_equal", "greater_than", "less_than") and err.get(
            "ctx"
        ):
            bound = next(iter(err["ctx"].values()))
            reason = f"{reason}（{bound}）"
        if err["type"] == "too_short" and err.get("ctx", {}).get("min_length") is not None:
            reason = f"至少应有{err['ctx']['min_length']}项"
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


def not_mapping(data: Any) -> str:
    """Why parsed data that is no mapping cannot be a file of ours, in words of what it is."""
    expected = "文件内容应为键值对（YAML 的“字段: 值”或 JSON 对象）"
    if data is None:
        return f"文件是空的（或只有注释）：{expected}"
    if isinstance(data, list):
        return f"{expected}，实际是列表（各行以“- ”开头）"
    return f"{expected}，实际只有一个值“{str(data)[:40]}”"


def validate(
    model: type[M], doc: ParsedDocument, code: str = "file.invalid"
) -> tuple[M | None, list[Finding]]:
    """Validate parsed data against a model; errors become findings with lines."""
    if not isinstance(doc.data, dict):
        return None, [
            finding(code, Severity.error, not_mapping(doc.data), source=Source(file=doc.file, line=1))
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
