"""Framework loader: built-in YAML templates by name, user files by path; bad files give findings."""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from pathlib import Path

from jixiao.findings import Finding, Severity, finding
from jixiao.frameworks.model import Framework
from jixiao.model import Source
from jixiao.yamlio import parse_text, read_file, validate

FRAMEWORK_DIR = Path(__file__).parent
FULL_MARKS = Decimal(100)


class FrameworkError(Exception):
    """A framework could not be loaded; carries the findings that say why."""

    def __init__(self, findings: list[Finding]) -> None:
        super().__init__("; ".join(f.message for f in findings))
        self.findings = findings


def builtin_framework_names() -> list[str]:
    """Names of the frameworks shipped with jixiao: every ``*.yaml`` in this folder, sorted."""
    return sorted(p.stem for p in FRAMEWORK_DIR.glob("*.yaml") if p.is_file())


def load_file_with_findings(path: Path) -> tuple[Framework | None, list[Finding]]:
    """Read and validate one framework file; syntax and schema problems become findings."""
    text, problems = read_file(path)
    if text is None:
        return None, problems
    doc, problems = parse_text(text, str(path), "yaml")
    if doc is None:
        return None, [_recode(f) for f in problems]
    framework, problems = validate(Framework, doc, "framework.invalid")
    if framework is None:
        return None, problems
    return framework, _weight_findings(framework, str(path))


def _recode(item: Finding) -> Finding:
    """Syntax findings of a framework file carry the framework code."""
    return item.model_copy(update={"code": "framework.syntax"}) if item.code == "file.syntax" else item


def _weight_findings(framework: Framework, file: str) -> list[Finding]:
    """A framework whose weights do not add up to 100 still loads, with a warning."""
    levels = [lv.weight for lv in framework.levels]
    if any(w is None for w in levels):
        return []
    total = framework.total_weight
    if total == FULL_MARKS:
        return []
    return [
        finding(
            "framework.weights",
            Severity.warning,
            f"指标体系“{framework.name}”一级指标分值合计 {total}，不是 100",
            "levels",
            source=Source(file=file),
            expected=FULL_MARKS,
            actual=total,
        )
    ]


@cache
def _builtin(name: str) -> tuple[Framework | None, tuple[Finding, ...]]:
    framework, problems = load_file_with_findings(FRAMEWORK_DIR / f"{name}.yaml")
    return framework, tuple(problems)


def load_framework_with_findings(name_or_path: str | Path) -> tuple[Framework | None, list[Finding]]:
    """Load a built-in framework by name or a user file by path; problems are findings."""
    if isinstance(name_or_path, str) and name_or_path in builtin_framework_names():
        framework, problems = _builtin(name_or_path)
        return framework, list(problems)
    path = Path(name_or_path)
    if not path.is_file():
        names = "、".join(builtin_framework_names())
        return None, [
            finding(
                "framework.unknown",
                Severity.error,
                f"找不到指标体系“{name_or_path}”：既不是内置指标体系（{names}），也不是存在的文件",
                actual=str(name_or_path),
            )
        ]
    return load_file_with_findings(path)


def load_framework(name_or_path: str | Path) -> Framework:
    """Load a framework or raise ``FrameworkError`` with the findings."""
    framework, problems = load_framework_with_findings(name_or_path)
    if framework is None:
        raise FrameworkError(problems)
    return framework
