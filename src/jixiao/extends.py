"""One ``extends`` resolver for every YAML family that inherits (policies, pension parameters).

A file names its parent with ``extends:`` — a built-in name of its family or a path relative to
the file — and overrides what it changes; mappings merge key by key, lists and scalars replace.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jixiao.findings import Finding, Severity, finding
from jixiao.model import Source
from jixiao.yamlio import ParsedDocument, parse_text, read_file

MAX_DEPTH = 5


@dataclass(frozen=True)
class Family:
    """A kind of YAML file that may extend another of its kind."""

    noun: str  # how messages name one file: 评价政策, 参数文件
    builtin_dir: Path
    builtin_names: Callable[[], list[str]]
    invalid: str  # finding code of a broken file
    unknown: str  # finding code of a parent that does not exist
    not_mapping: str  # the message for a file that is no mapping
    recode: bool = False  # give read and syntax problems the family's ``invalid`` code

    def builtin_path(self, name: str) -> Path | None:
        """The file of a built-in name, None when ``name`` is none."""
        return self.builtin_dir / f"{name}.yaml" if name in self.builtin_names() else None


def merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Deep-merge mappings; lists and scalars in ``override`` replace those in ``base``."""
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = value
    return out


def read(family: Family, path: Path) -> tuple[ParsedDocument | None, list[Finding]]:
    """One file of the family, parsed; unreadable files and bad YAML are findings."""
    text, problems = read_file(path)
    if text is not None:
        doc, problems = parse_text(text, str(path))
    else:
        doc = None
    if family.recode:
        problems = [p.model_copy(update={"code": family.invalid}) for p in problems]
    return doc, problems


def chain(family: Family, path: Path) -> tuple[list[ParsedDocument], list[Finding]]:
    """The file and every file it extends, nearest first (empty with findings when one is bad)."""
    docs: list[ParsedDocument] = []
    current: Path | None = path
    while current is not None:
        if len(docs) > MAX_DEPTH:
            message = f"{family.noun}的 extends 嵌套过深"
            return [], [finding(family.invalid, Severity.error, message, source=Source(file=str(path)))]
        doc, problems = read(family, current)
        if doc is None:
            return [], problems
        if not isinstance(doc.data, dict):
            return [], [
                finding(
                    family.invalid, Severity.error, family.not_mapping, source=Source(file=doc.file, line=1)
                )
            ]
        docs.append(doc)
        parent = doc.data.get("extends")
        if parent is None:
            break
        current = family.builtin_path(str(parent)) or _relative(str(parent), current.parent)
        if current is None:
            return [], [
                finding(
                    family.unknown,
                    Severity.error,
                    f"extends 指向的{family.noun}“{parent}”不存在（内置：{'、'.join(family.builtin_names())}）",
                    "extends",
                    source=Source(file=doc.file, line=doc.line_of(["extends"])),
                )
            ]
    return docs, []


def _relative(name: str, folder: Path) -> Path | None:
    path = Path(name)
    if not path.is_absolute():
        path = folder / path
    return path if path.is_file() else None


def merged(docs: list[ParsedDocument]) -> dict[str, Any]:
    """The data of a chain (nearest first) merged: each file over the one it extends."""
    data: dict[str, Any] = {}
    for doc in reversed(docs):
        data = merge(data, dict(doc.data))
    return data
