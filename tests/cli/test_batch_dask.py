"""``jixiao batch --executor dask-local | dask://HOST:PORT``: the same rows as the built-in pool, the
per-document timeout and memory cap enforced where Dask runs tasks (in worker threads), clear
Chinese errors, and Dask imported only when chosen."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from click.testing import CliRunner

from jixiao.batch import cluster as batch_cluster
from jixiao.batch import read_csv_rows
from jixiao.batch.run import MEMORY_LIMIT_BYTES, run_batch
from jixiao.cli import main
from tests.hostile_files import encrypted_pdf, high_ratio_docx, scanned_pdf
from tests.ingest.conftest import seed

needs_dask = pytest.mark.skipif(
    importlib.util.find_spec("distributed") is None,
    reason="dask[distributed] is not installed (the jixiao[cluster] extra)",
)
# seconds per document: the seeds take a tenth of that; high-ratio.docx (190 MB of XML) takes
# seconds to parse before its text is cut at the cap, so only the timeout ends it
SLOW_TIMEOUT = 1


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The four seed reports, broken and hostile files, a note that is no report, and a document
    that takes seconds to read (so only the timeout ends it)."""
    d = tmp_path_factory.mktemp("dask") / "docs"
    d.mkdir()
    for prefix in ("000", "002", "003", "004"):
        (d / seed(prefix).name).write_bytes(seed(prefix).read_bytes())
    (d / "broken.docx").write_bytes(b"PK\3\4garbage")
    (d / "junk.pdf").write_bytes(b"\0" * 64)
    (d / "README.md").write_text("# 说明\n\n本文件夹收集各单位的绩效自评报告。\n", encoding="utf-8")
    encrypted_pdf(d)
    scanned_pdf(d)
    high_ratio_docx(d)
    return d


def _batch(folder: Path, out: Path, *options: str) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """Run ``jixiao batch`` and return its summary rows and finding rows, in a stable order."""
    summary, findings = out / "summary.csv", out / "findings.csv"
    args = ["batch", str(folder), "-o", str(summary), "--findings", str(findings), "--no-progress"]
    result = CliRunner().invoke(main, [*args, "--timeout", str(SLOW_TIMEOUT), *options])
    assert result.exit_code == 0, result.output
    rows = sorted(
        ({k: v for k, v in r.items() if k != "seconds"} for r in read_csv_rows(summary)),
        key=lambda r: (r["file"], r["part"]),
    )
    return rows, sorted(read_csv_rows(findings), key=lambda f: sorted(f.items()))


@needs_dask
def test_dask_local_gives_the_rows_of_the_pool_and_enforces_the_timeout(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "pool").mkdir()
    (tmp_path / "dask").mkdir()
    monkeypatch.chdir(corpus.parent)  # a relative folder: the rows keep the paths as given
    pool_rows, pool_findings = _batch(Path("docs"), tmp_path / "pool", "--jobs", "2")
    start = time.perf_counter()
    dask_rows, dask_findings = _batch(
        Path("docs"), tmp_path / "dask", "--jobs", "2", "--executor", "dask-local"
    )
    elapsed = time.perf_counter() - start

    assert dask_rows == pool_rows
    assert dask_findings == pool_findings
    by = {Path(r["file"]).name: r for r in dask_rows}
    assert all(r["file"].startswith("docs") for r in dask_rows)
    assert len(by) == 10 and sum(r["status"] == "ok" for r in dask_rows) == 4
    assert by["README.md"]["status"] == "skipped"
    assert by["locked.pdf"]["status"] == by["broken.docx"]["status"] == "failed"
    # the timeout held in a Dask worker's thread, where no alarm signal can reach the document
    assert by["high-ratio.docx"]["status"] == "failed"
    assert by["high-ratio.docx"]["error"] == f"超时（{SLOW_TIMEOUT} 秒）"
    assert elapsed < 60  # cluster start and close included; without the limit: minutes
    assert sum(f["code"] == "funds.surplus" for f in dask_findings) >= 1


def test_isolated_children_enforce_timeout_and_memory_cap_off_the_main_thread(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The unit Dask runs, driven from a thread: each document in a child whose address space is
    capped, the timeout held by the child's alarm or, failing that, by killing it."""
    monkeypatch.chdir(corpus)
    paths = ["high-ratio.docx", "locked.pdf"]  # sent as absolute paths, written back as given
    start = time.perf_counter()
    with ThreadPoolExecutor(1) as threads:
        rows = run_batch(paths, tmp_path / "s.csv", timeout=1.0, executor=threads, isolate=True)
    assert time.perf_counter() - start < 20
    assert [(r["file"], r["status"], r["error"]) for r in rows] == [
        ("high-ratio.docx", "failed", "超时（1 秒）"),
        ("locked.pdf", "failed", "PDF 已加密（需要密码），无法读取"),
    ]
    children = [child for key, child in batch_cluster._children.items() if key[0] == os.getpid()]
    assert children  # kept for the thread's next documents
    for child in children:
        limits = Path(f"/proc/{child.process.pid}/limits")
        if limits.exists():
            line = next(
                x
                for x in limits.read_text(encoding="utf-8").splitlines()
                if x.startswith("Max address space")
            )
            assert line.split()[3:5] == [str(MEMORY_LIMIT_BYTES)] * 2
    batch_cluster._close_children()
    assert all(child.process.poll() is not None for child in children)


@needs_dask
def test_an_unreachable_scheduler_is_a_clear_message(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(batch_cluster, "CONNECT_TIMEOUT", 1.0)
    summary = tmp_path / "s.csv"
    result = CliRunner().invoke(
        main, ["batch", str(corpus), "-o", str(summary), "--executor", "dask://127.0.0.1:9", "--no-progress"]
    )
    assert result.exit_code == 2
    assert "无法连接 Dask 调度器 tcp://127.0.0.1:9" in result.output
    assert "Traceback" not in result.output and not summary.exists()


def test_without_dask_or_with_a_bad_address_a_clear_message(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = tmp_path / "s.csv"
    for spec, message in [
        ("dask-cloud", "无法识别的执行方式“dask-cloud”"),
        ("dask://host-without-port", "无法识别的执行方式"),
    ]:
        result = CliRunner().invoke(
            main, ["batch", str(corpus), "-o", str(summary), "--executor", spec, "--no-progress"]
        )
        assert result.exit_code == 2 and message in result.output, result.output
    monkeypatch.setitem(sys.modules, "distributed", None)  # as if not installed: the import fails
    result = CliRunner().invoke(
        main, ["batch", str(corpus), "-o", str(summary), "--executor", "dask-local", "--no-progress"]
    )
    assert result.exit_code == 2
    assert "未安装 Dask：请运行 pip install 'jixiao[cluster]'" in result.output
    assert not summary.exists()


def test_help_does_not_import_dask() -> None:
    code = (
        "import sys\n"
        "from jixiao.cli import main\n"
        "for args in (['--help'], ['batch', '--help']):\n"
        "    try:\n"
        "        main(args)\n"
        "    except SystemExit:\n"
        "        pass\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"
    assert "--executor" in out.stdout and "dask://" in out.stdout
