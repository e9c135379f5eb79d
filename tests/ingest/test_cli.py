"""``jixiao ingest`` and ``jixiao batch``: files loadable by score/check, summaries, resumable batches."""

from __future__ import annotations

import json
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from click.testing import CliRunner

from jixiao import api
from jixiao.batch import process_document, read_csv_rows
from jixiao.batch.run import run_batch
from jixiao.cli import main
from tests.ingest.conftest import seed

BOM = b"\xef\xbb\xbf"


def test_ingest_writes_loadable_files(tmp_path: Path) -> None:
    runner = CliRunner()
    for fmt in ("yaml", "json"):
        out = tmp_path / fmt
        result = runner.invoke(main, ["ingest", str(seed("002")), "-o", str(out), "--format", fmt])
        assert result.exit_code == 0, result.output
        written = next(out.glob(f"*.{fmt}"))
        loaded = api.load(written)
        assert loaded.ok, loaded.findings
        assert loaded.evaluation is not None
        assert (
            api.score(loaded.evaluation).computed_total
            == api.score(api.load(seed("002")).evaluation).computed_total
        )  # type: ignore[arg-type]


def test_ingest_summary_json() -> None:
    result = CliRunner().invoke(main, ["ingest", str(seed("000")), "--summary", "--format", "json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert (data["budget"], data["spent"], data["execution_rate"], data["total"], data["grade"]) == (
        5838,
        4321.24,
        80.28,
        88.58,
        "良",
    )
    assert data["levels"][1] == {"name": "过程", "weight": 29, "score": 27.89}


def test_ingest_unreadable_exits_nonzero(tmp_path: Path) -> None:
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"nope")
    result = CliRunner().invoke(main, ["ingest", str(bad)])
    assert result.exit_code == 1 and "ingest.not-pdf" in result.output


def test_check_document_directly() -> None:
    result = CliRunner().invoke(main, ["check", str(seed("000"))])
    assert "funds.execution-rate" in result.output and "funds.surplus" in result.output


def _corpus_dir(tmp_path: Path) -> Path:
    d = tmp_path / "docs"
    d.mkdir()
    for prefix in ("000", "004"):
        src = seed(prefix)
        (d / src.name).write_bytes(src.read_bytes())
    (d / "broken.docx").write_bytes(b"PK\3\4garbage")
    (d / "junk.pdf").write_bytes(b"\0" * 64)
    return d


def test_batch_rows_failed_rows_and_resume(tmp_path: Path) -> None:
    d = _corpus_dir(tmp_path)
    summary, findings = tmp_path / "summary.csv", tmp_path / "findings.csv"
    runner = CliRunner()
    result = runner.invoke(
        main,
        [
            "batch",
            str(d),
            "-o",
            str(summary),
            "--findings",
            str(findings),
            "--jobs",
            "2",
            "--parquet",
            "--no-progress",
        ],
    )
    assert result.exit_code == 0, result.output
    rows = list(read_csv_rows(summary))
    assert len(rows) == 4
    by = {Path(r["file"]).name: r for r in rows}
    assert by["broken.docx"]["status"] == "failed" and by["junk.pdf"]["status"] == "failed"
    seed0 = by[seed("000").name]
    assert seed0["status"] == "ok" and seed0["total"] == "88.58" and seed0["recomputed_total"] == "88.58"
    assert int(seed0["errors"]) >= 2
    assert any(r["code"] == "funds.surplus" for r in read_csv_rows(findings))
    assert summary.with_suffix(".parquet").exists()
    import pyarrow.parquet as pq

    assert pq.read_table(summary.with_suffix(".parquet")).column_names[0] == "file"  # the BOM is no name
    for csv_file in (summary, findings):  # for Excel on Chinese Windows: UTF-8 with its BOM
        assert csv_file.read_bytes().startswith(BOM + "文件,工作表,".encode())  # Chinese headers for Excel
    # resume: nothing new to do, nothing duplicated; a new file is picked up
    (d / "extra.txt").write_text("项目名称：补充项目\n自评得分 95 分\n", encoding="utf-8")
    result = runner.invoke(main, ["batch", str(d), "-o", str(summary), "--jobs", "1", "--no-progress"])
    rows = list(read_csv_rows(summary))
    assert len(rows) == 5 and Path(rows[-1]["file"]).name == "extra.txt" and rows[-1]["total"] == "95"
    assert summary.read_bytes().count(BOM) == 1  # appending writes no second mark


def test_resume_reads_a_summary_written_without_the_bom(tmp_path: Path) -> None:
    """A summary an earlier version wrote (plain UTF-8) resumes and stays without a mark."""
    d = tmp_path / "docs"
    d.mkdir()
    shutil.copy(seed("000"), d / "a.txt")
    shutil.copy(seed("004"), d / "b.txt")
    summary = tmp_path / "summary.csv"
    run_batch([d / "a.txt"], summary)
    summary.write_bytes(summary.read_bytes().removeprefix(BOM))
    rows = run_batch([d], summary)
    assert [Path(r["file"]).name for r in rows] == ["b.txt"]  # a.txt was done
    assert not summary.read_bytes().startswith(BOM)
    assert [Path(r["file"]).name for r in read_csv_rows(summary)] == [
        "a.txt",
        "b.txt",
    ]


def test_an_empty_summary_file_gets_its_header(tmp_path: Path) -> None:
    summary = tmp_path / "summary.csv"
    summary.touch()
    run_batch([seed("004")], summary)
    assert summary.read_bytes().startswith(BOM + "文件,".encode())
    (row,) = read_csv_rows(summary)
    assert row["total"] == "100"


def test_any_executor_runs_the_unit(tmp_path: Path) -> None:
    d = _corpus_dir(tmp_path)
    with ThreadPoolExecutor(2) as ex:
        rows = run_batch([d], tmp_path / "s.csv", executor=ex)
    assert sorted(r["status"] for r in rows) == ["failed", "failed", "ok", "ok"]
    # the unit is picklable in and out
    import pickle

    (row,) = process_document(str(seed("004")))
    assert pickle.loads(pickle.dumps(row))["total"] == 100


def test_batch_skips_files_that_hold_no_evaluation(tmp_path: Path) -> None:
    """A README or a list of sources beside the reports is skipped with a note, not read as a report."""
    d = tmp_path / "folder"
    d.mkdir()
    shutil.copy(seed("000"), d / "report.txt")
    (d / "README.md").write_text(
        "# 说明\n\n本文件夹收集了各单位的绩效自评报告。示例：预算执行率印为 80.28%，应为 74.02%。\n",
        encoding="utf-8",
    )
    (d / "SOURCES.md").write_text("报告来源：某市财政局网站，2024年发布。\n", encoding="utf-8")
    summary = tmp_path / "summary.csv"
    result = CliRunner().invoke(main, ["batch", str(d), "-o", str(summary), "--no-progress"])
    assert result.exit_code == 0, result.output
    assert "跳过 2" in result.output
    by = {Path(r["file"]).name: r for r in read_csv_rows(summary)}
    assert by["report.txt"]["status"] == "ok"
    for name in ("README.md", "SOURCES.md"):
        assert by[name]["status"] == "skipped" and "未读出任何评价内容" in by[name]["error"]
        assert by[name]["execution_rate"] == "" and by[name]["errors"] == "0"
