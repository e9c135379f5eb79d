"""``jixiao frameworks``, ``jixiao new`` and ``jixiao schema``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from jixiao.cli import main
from jixiao.cli.frameworks import schema_text
from jixiao.frameworks import builtin_framework_names
from jixiao.loader import load_file
from jixiao.model import Evaluation

DOCS = Path(__file__).resolve().parents[2] / "docs"


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_frameworks_lists_the_builtins() -> None:
    code, out, _ = _run("frameworks", "--json")
    assert code == 0
    rows = {row["name"]: row for row in json.loads(out)}
    assert set(rows) == set(builtin_framework_names())
    assert rows["self-2020"]["weights"] == {
        "产出指标": 50,
        "效益指标": 30,
        "满意度指标": 10,
        "预算执行率": 10,
    }
    assert rows["eval-2020"]["kind"] == "finance"
    code, out, _ = _run("frameworks")
    assert code == 0 and "self-2020" in out and "内置指标体系" in out


@pytest.mark.parametrize("name", ["self-2020", "eval-2020", "common-2013"])
@pytest.mark.parametrize("suffix", ["yaml", "json"])
def test_new_writes_a_file_that_loads(tmp_path: Path, name: str, suffix: str) -> None:
    out = tmp_path / f"new.{suffix}"
    code, _, err = _run("new", "--framework", name, "-o", str(out), "--year", "2024", "--name", "某项目")
    assert code == 0, err
    loaded = load_file(out)
    assert loaded.findings == [] and loaded.evaluation is not None
    assert (loaded.evaluation.framework, loaded.evaluation.year) == (name, 2024)
    assert loaded.evaluation.project.name == "某项目"
    assert all(i.weight is not None for i in loaded.evaluation.indicators)


def test_new_yaml_to_stdout_has_comments() -> None:
    code, out, _ = _run("new", "-f", "eval-2020")
    assert code == 0
    assert out.startswith("# 评价文件（待填写）") and "kind: finance" in out
    assert "weight: 3\n" in out  # Decimals written as plain YAML numbers


def test_unknown_framework_is_a_usage_error() -> None:
    code, _, err = _run("new", "--framework", "no-such")
    assert code == 2
    assert "找不到指标体系“no-such”" in err and "self-2020" in err


def test_xlsx_needs_an_output_file() -> None:
    code, _, err = _run("new", "-f", "self-2020", "--to", "xlsx")
    assert code == 2 and "-o" in err


def test_schema_command_prints_the_model_schema(tmp_path: Path) -> None:
    code, out, _ = _run("schema")
    assert code == 0 and json.loads(out) == json.loads(schema_text())
    target = tmp_path / "schema.json"
    assert _run("schema", "-o", str(target))[0] == 0
    assert target.read_text(encoding="utf-8") == schema_text()


def test_docs_schema_is_current() -> None:
    """docs/schema.json must be regenerated (``jixiao schema -o docs/schema.json``) when the model changes."""
    documented = json.loads((DOCS / "schema.json").read_text(encoding="utf-8"))
    assert documented == Evaluation.model_json_schema()
