"""Load evaluation files (YAML or JSON): ``(evaluation, findings)``, never a traceback on bad data."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from jixiao.declaration import Declaration
from jixiao.findings import Finding, Severity, has_errors
from jixiao.model import Evaluation, Source
from jixiao.monitoring import Monitoring
from jixiao.yamlio import ParsedDocument, parse_text, read_file, validate

R = TypeVar("R", Declaration, Monitoring)  # the records loaded beside evaluations


@dataclass
class Loaded:
    """The result of loading: the evaluation (None when unusable) and what went wrong."""

    file: str
    evaluation: Evaluation | None
    findings: list[Finding] = field(default_factory=list)
    line_of: dict[str, int] = field(default_factory=dict)  # field path → line in the file
    part: str | None = None  # the sheet of a workbook holding several projects

    @property
    def label(self) -> str:
        """The file, with the part when the file holds several evaluations (``book.xlsx#3.项目``)."""
        return f"{self.file}#{self.part}" if self.part else self.file

    @property
    def ok(self) -> bool:
        """True when an evaluation was loaded without error findings."""
        return self.evaluation is not None and not has_errors(self.findings)


def _index_lines(doc: ParsedDocument, data: Any, path: list[str | int], out: dict[str, int]) -> None:
    """Record the line of every field path (``indicators[3].claimed``) for finding locations."""
    line = doc.line_of(path)
    if line is not None and path:
        text = ""
        for part in path:
            text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
        out[text] = line
    if isinstance(data, dict):
        for key, value in data.items():
            _index_lines(doc, value, [*path, key], out)
    elif isinstance(data, list):
        for i, value in enumerate(data):
            _index_lines(doc, value, [*path, i], out)


def _attach_sources(evaluation: Evaluation, file: str, lines: dict[str, int]) -> Evaluation:
    """Give indicators, levels and claims a source (file, line) when they have none."""
    for i, ind in enumerate(evaluation.indicators):
        if ind.source is None and f"indicators[{i}]" in lines:
            ind.source = Source(file=file, line=lines[f"indicators[{i}]"])
    for i, level in enumerate(evaluation.levels):
        if level.source is None and f"levels[{i}]" in lines:
            level.source = Source(file=file, line=lines[f"levels[{i}]"])
    if evaluation.source is None:
        evaluation.source = Source(file=file)
    return evaluation


def load_parsed(doc: ParsedDocument) -> Loaded:
    """Validate a parsed document as an Evaluation (a target declaration is refused by name: it is
    not an evaluation with errors in every field)."""
    if is_declaration_data(doc.data):
        return Loaded(doc.file, None, [_declaration_given(doc.file)])
    if is_monitoring_data(doc.data):
        return Loaded(doc.file, None, [_monitoring_given(doc.file)])
    evaluation, problems = validate(Evaluation, doc, "file.invalid")
    lines: dict[str, int] = {}
    _index_lines(doc, doc.data, [], lines)
    if evaluation is not None:
        _attach_sources(evaluation, doc.file, lines)
    return Loaded(doc.file, evaluation, problems, lines)


def load_text(text: str, file: str = "<input>", fmt: str | None = None) -> Loaded:
    """Load an evaluation from YAML or JSON text."""
    doc, problems = parse_text(text, file, fmt)
    if doc is None:
        return Loaded(file, None, problems)
    return load_parsed(doc)


def load_data(data: dict[str, Any], file: str = "<input>") -> Loaded:
    """Load an evaluation from already-parsed data (a dict from JSON, a web form …)."""
    return load_parsed(ParsedDocument(data, data, file))


def load_file(path: Path) -> Loaded:
    """Load an evaluation file; unreadable, malformed or invalid files give error findings."""
    name = str(path)
    if not path.exists():
        return Loaded(name, None, [_missing(name)])
    if path.is_dir():
        return Loaded(name, None, [_missing(name, "是目录，不是评价文件")])
    text, problems = read_file(path)
    if text is None:
        return Loaded(name, None, problems)
    fmt = "json" if path.suffix.lower() == ".json" else "yaml"
    return load_text(text, name, fmt)


def _declaration_given(name: str) -> Finding:
    from jixiao.findings import finding

    return finding(
        "file.declaration",
        Severity.error,
        f"{name} 是绩效目标申报表（kind: declaration），不是评价文件：申报表不评分；"
        "审核用 jixiao check，生成申报表或审核意见表用 jixiao report --kind declaration / review-opinion",
        source=Source(file=name),
    )


def _monitoring_given(name: str) -> Finding:
    from jixiao.findings import finding

    return finding(
        "file.monitoring",
        Severity.error,
        f"{name} 是绩效目标执行监控表（kind: monitoring），不是评价文件：监控表不评分；"
        "审核和预警用 jixiao check，生成监控表或监控报告用 jixiao report --kind monitoring / monitoring-report",
        source=Source(file=name),
    )


def _missing(name: str, why: str = "不存在") -> Finding:
    from jixiao.findings import finding

    return finding("file.unreadable", Severity.error, f"文件 {name} {why}", source=Source(file=name))


def _read_parsed(path: Path, what: str) -> tuple[ParsedDocument | None, list[Finding]]:
    """A YAML/JSON file parsed, or the findings saying why it could not be (``what``: the kind of
    file, for a directory given by mistake)."""
    name = str(path)
    if not path.exists():
        return None, [_missing(name)]
    if path.is_dir():
        return None, [_missing(name, f"是目录，不是{what}")]
    text, problems = read_file(path)
    if text is None:
        return None, problems
    return parse_text(text, name, "json" if path.suffix.lower() == ".json" else "yaml")


def _validated(model: type[R], doc: ParsedDocument) -> tuple[R | None, list[Finding], dict[str, int]]:
    """``doc`` validated as ``model`` (given the file as its source when it names none), the
    problems, and the line of every field path."""
    record, problems = validate(model, doc, "file.invalid")
    lines: dict[str, int] = {}
    _index_lines(doc, doc.data, [], lines)
    if record is not None and record.source is None:
        record.source = Source(file=doc.file)
    return record, problems, lines


def _file_says_kind(path: Path, kind: str) -> bool:
    """True when a YAML/JSON file's top level says ``kind: <kind>`` (a cheap look, no validation)."""
    try:
        head = path.read_text(encoding="utf-8", errors="replace")[:4096]
    except OSError:
        return False
    return re.search(rf'^\s*"?kind"?\s*:\s*"?{kind}"?\s*,?\s*$', head, re.MULTILINE) is not None


@dataclass
class LoadedDeclaration:
    """A target declaration file loaded: the declaration (None when unusable) and what went wrong."""

    file: str
    declaration: Declaration | None
    findings: list[Finding] = field(default_factory=list)
    line_of: dict[str, int] = field(default_factory=dict)  # field path → line in the file
    part: str | None = None  # the sheet of a workbook holding several projects

    @property
    def label(self) -> str:
        """The file, with the part when the file holds several declarations (``book.xlsx#3.项目``)."""
        return f"{self.file}#{self.part}" if self.part else self.file

    @property
    def ok(self) -> bool:
        """True when a declaration was loaded without error findings."""
        return self.declaration is not None and not has_errors(self.findings)


def is_declaration_data(data: Any) -> bool:
    """True when parsed file data is a target declaration (``kind: declaration``), not an evaluation."""
    return isinstance(data, dict) and data.get("kind") == "declaration"


def load_declaration_parsed(doc: ParsedDocument) -> LoadedDeclaration:
    """Validate a parsed document as a Declaration."""
    return LoadedDeclaration(doc.file, *_validated(Declaration, doc))


def load_declaration_data(data: dict[str, Any], file: str = "<input>") -> LoadedDeclaration:
    """Load a declaration from already-parsed data (a dict from JSON, a web form …)."""
    return load_declaration_parsed(ParsedDocument(data, data, file))


def load_declaration_file(path: Path) -> LoadedDeclaration:
    """Load a declaration file (YAML or JSON); unreadable, malformed or invalid files give error findings."""
    doc, problems = _read_parsed(path, "申报文件")
    return load_declaration_parsed(doc) if doc is not None else LoadedDeclaration(str(path), None, problems)


def file_holds_declaration(path: Path) -> bool:
    """True when a YAML/JSON file's top level says ``kind: declaration`` (a cheap look, no validation)."""
    return _file_says_kind(path, "declaration")


@dataclass
class LoadedMonitoring:
    """A monitoring file loaded: the monitoring report (None when unusable) and what went wrong."""

    file: str
    monitoring: Monitoring | None
    findings: list[Finding] = field(default_factory=list)
    line_of: dict[str, int] = field(default_factory=dict)  # field path → line in the file
    part: str | None = None  # the sheet of a workbook holding several projects

    @property
    def label(self) -> str:
        """The file, with the part when the file holds several reports (``book.xlsx#3.项目``)."""
        return f"{self.file}#{self.part}" if self.part else self.file

    @property
    def ok(self) -> bool:
        """True when a monitoring report was loaded without error findings."""
        return self.monitoring is not None and not has_errors(self.findings)


def is_monitoring_data(data: Any) -> bool:
    """True when parsed file data is a monitoring report (``kind: monitoring``)."""
    return isinstance(data, dict) and data.get("kind") == "monitoring"


def load_monitoring_parsed(doc: ParsedDocument) -> LoadedMonitoring:
    """Validate a parsed document as a Monitoring."""
    return LoadedMonitoring(doc.file, *_validated(Monitoring, doc))


def load_monitoring_data(data: dict[str, Any], file: str = "<input>") -> LoadedMonitoring:
    """Load a monitoring report from already-parsed data (a dict from JSON, a web form …)."""
    return load_monitoring_parsed(ParsedDocument(data, data, file))


def load_monitoring_file(path: Path) -> LoadedMonitoring:
    """Load a monitoring file (YAML or JSON); unreadable, malformed or invalid files give error findings."""
    doc, problems = _read_parsed(path, "监控文件")
    return load_monitoring_parsed(doc) if doc is not None else LoadedMonitoring(str(path), None, problems)


def file_holds_monitoring(path: Path) -> bool:
    """True when a YAML/JSON file's top level says ``kind: monitoring`` (a cheap look, no validation)."""
    return _file_says_kind(path, "monitoring")
