"""The ``jixiao`` command: a thin click shell over ``jixiao.api``; one module per command."""

from __future__ import annotations

import importlib

import click

from jixiao import __version__

# Each module defines ``register(group)``; the order is the order of ``jixiao --help``.
COMMAND_MODULES = (
    "score",
    "check",
    "frameworks",
    "report",
    "ingest",
    "batch",
    "pension",
    "results",
    "serve",
    "db",
    "demo",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="jixiao")
def main() -> None:
    """jixiao（绩效）预算绩效评价系统：评分、复核、生成文书、评价工作流。"""


for _name in COMMAND_MODULES:
    importlib.import_module(f"jixiao.cli.{_name}").register(main)
