"""Helpers shared by the CLI commands: JSON with Decimal numbers, loading files with messages."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import click

from jixiao.findings import Finding


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


def echo_findings(findings: list[Finding], file: str) -> None:
    """Print load findings as ``file:line: severity code message`` on stderr."""
    for f in findings:
        where = f.location.describe() or file
        line = f.location.source.line if f.location.source and f.location.source.line else None
        place = f"{file}:{line}" if line else where
        click.echo(f"{place}: {f.severity.value} {f.code} {f.message}", err=True)
