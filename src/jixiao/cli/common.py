"""Helpers shared by the CLI commands: JSON with Decimal numbers, loading files with messages."""

from __future__ import annotations

import click

from jixiao.api import Finding, dump_json

__all__ = ["dump_json", "echo_findings"]


def echo_findings(findings: list[Finding], file: str) -> None:
    """Print load findings as ``file:line: severity code message`` on stderr."""
    for f in findings:
        where = f.location.describe() or file
        line = f.location.source.line if f.location.source and f.location.source.line else None
        place = f"{file}:{line}" if line else where
        click.echo(f"{place}: {f.severity.value} {f.code} {f.message}", err=True)
