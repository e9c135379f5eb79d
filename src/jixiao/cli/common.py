"""Helpers shared by the CLI commands: JSON with Decimal numbers, loading files with messages."""

from __future__ import annotations

from typing import Any

import click

from jixiao import api

__all__ = ["dump_json", "echo_findings", "finding_text"]


def finding_text(place: str, f: api.Finding) -> str:
    """``file:line: 错误 code message``: the one shape of a finding in the terminal (severity in Chinese)."""
    return f"{place}: {f.severity.chinese} {f.code} {f.message}"


def echo_findings(findings: list[api.Finding], file: str) -> None:
    """Print load findings as ``file:line: 错误 code message`` on stderr."""
    for f in findings:
        where = f.location.describe() or file
        line = f.location.source.line if f.location.source and f.location.source.line else None
        place = f"{file}:{line}" if line else where
        click.echo(finding_text(place, f), err=True)


def dump_json(data: Any) -> str:
    """JSON with Decimals as numbers and Chinese kept readable (``api.dump_json``, loaded when used)."""
    return api.dump_json(data)
