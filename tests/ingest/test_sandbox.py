"""The upload sandbox: hostile files give Chinese findings fast, in a child; the server stays small."""

from __future__ import annotations

import multiprocessing
import os
import re
import signal
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from jixiao.batch import sandbox
from jixiao.batch.sandbox import ParsePool, SandboxError, parse_upload, run_isolated
from jixiao.ingest import Table, limits, read_document
from tests import hostile_files

ROOT = Path(__file__).resolve().parents[2]
CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"  # beside the checkout
MB = 1024 * 1024


# ---------------------------------------------------------------- functions run in the child


def sleep_for(seconds: float, pidfile: Path | None = None) -> str:
    if pidfile is not None:
        pidfile.write_text(str(os.getpid()))
    time.sleep(seconds)
    return "slept"


def allocate(nbytes: int) -> int:
    block = bytearray(nbytes)
    return len(block)


def fail() -> None:
    raise ValueError("boom: some English library text")


def die_by_signal() -> None:
    os.kill(os.getpid(), signal.SIGSEGV)


def exit_silently() -> None:
    os._exit(3)


def unpicklable() -> Callable[[], None]:
    return lambda: None


def limit_values() -> dict[str, int]:
    return {"zip": limits.MAX_ZIP_UNCOMPRESSED, "rows": limits.MAX_SHEET_ROWS}


# ---------------------------------------------------------------- helpers


def peak_rss_mb() -> float:
    """This process's peak resident set (VmHWM) in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def assert_user_text(message: str) -> None:
    """Chinese, and no library text leaking through."""
    assert re.search(r"[\u4e00-\u9fff]", message), message
    for word in ("Error", "Exception", "Traceback", 'File "'):
        assert word not in message, message
    assert not re.search(r"[A-Za-z]+(?:\s+[A-Za-z]+){3,}", message), message  # no English sentence


class Hostile(dict[str, Path]):
    """The hostile files by generator name, each written on first use, once for all xdist workers."""

    def __init__(self, shared: Path, scratch: Path) -> None:
        super().__init__()
        self.shared = shared
        self.scratch = scratch

    def __missing__(self, name: str) -> Path:
        import fcntl

        self.shared.mkdir(exist_ok=True)
        with (self.shared / f"{name}.lock").open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            done = self.shared / f"{name}.done"
            if done.exists():
                path = Path(done.read_text())
            else:
                made = hostile_files.GENERATORS[name](self.scratch)
                path = self.shared / made.name
                os.replace(made, path)
                done.write_text(str(path))
        self[name] = path
        return path


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Hostile:
    base = tmp_path_factory.getbasetemp()
    shared = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "hostile-shared"
    return Hostile(shared, tmp_path_factory.mktemp("hostile"))


@pytest.fixture(scope="module")
def pool() -> Iterator[ParsePool]:
    sandbox.start_server()  # pay the fork server's start-up once, outside the timed tests
    yield ParsePool(workers=2, timeout=20, queue_timeout=30)


# ---------------------------------------------------------------- the generators


def test_generators_make_what_they_promise(hostile: Hostile) -> None:
    import zipfile

    with zipfile.ZipFile(hostile["high_ratio_docx"]) as zf:
        xml = zf.getinfo("word/document.xml")
    assert 0.8 * MB < hostile["high_ratio_docx"].stat().st_size < 1.5 * MB
    assert 180 * MB < xml.file_size < limits.MAX_ZIP_UNCOMPRESSED  # passes the batch caps …
    assert xml.file_size / xml.compress_size < limits.MAX_ZIP_RATIO  # … ratio included
    with zipfile.ZipFile(hostile["million_row_xlsx"]) as zf:
        head = zf.open("xl/worksheets/sheet1.xml").read(400)
    assert b'<dimension ref="A1:A1000000"/>' in head
    assert hostile["million_row_xlsx"].stat().st_size < 5 * MB


# ---------------------------------------------------------------- hostile files through the sandbox

EXPECTED = {
    "high_ratio_docx": "ingest.zip-bomb",
    "million_row_xlsx": "ingest.too-large",
    "million_row_xlsx_no_dimension": "ingest.truncated",
    "lying_dimension_xlsx": "ingest.truncated",
    "billion_laughs_docx": "ingest.corrupt",
    "billion_laughs_xlsx": "ingest.corrupt",
    "encrypted_pdf": "ingest.encrypted",
    "scanned_pdf": "ingest.no-text",
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_hostile_upload_gives_a_chinese_finding(name: str, hostile: Hostile, pool: ParsePool) -> None:
    before = peak_rss_mb()
    start = time.perf_counter()
    parts = pool.parse_upload(hostile[name])
    elapsed = time.perf_counter() - start
    assert elapsed < 10, f"{name} took {elapsed:.1f} s"
    assert peak_rss_mb() - before < 30  # the parsing happened elsewhere
    (part,) = parts
    assert EXPECTED[name] in part.codes
    assert part.findings[0]["code"] == EXPECTED[name]
    for message in part.messages:
        assert_user_text(message)


def test_yaml_alias_bomb_times_out(hostile: Hostile, pool: ParsePool) -> None:
    start = time.perf_counter()
    with pytest.raises(SandboxError) as caught:
        pool.run(parse_upload, hostile["yaml_alias_bomb"], timeout=1.5)
    assert time.perf_counter() - start < 6
    assert caught.value.kind == "timeout"
    assert caught.value.message == "解析超时（超过 1.5 秒），文件可能过大或结构异常，已停止解析"


def test_sandbox_lowers_the_zip_cap_only_in_the_child(pool: ParsePool) -> None:
    values = pool.run(limit_values)
    assert values["zip"] == sandbox.UPLOAD_LIMIT_OVERRIDES["MAX_ZIP_UNCOMPRESSED"] == 40 * MB
    assert values["rows"] == limits.MAX_SHEET_ROWS
    assert (
        run_isolated(limit_values, timeout=10, memory_bytes=1024 * MB, limit_overrides={"MAX_SHEET_ROWS": 7})[
            "rows"
        ]
        == 7
    )
    assert limits.MAX_ZIP_UNCOMPRESSED == 200 * MB  # the parent (batch) keeps its defaults
    with pytest.raises(ValueError):
        run_isolated(limit_values, timeout=10, memory_bytes=1024 * MB, limit_overrides={"NO_SUCH_LIMIT": 1})


# ---------------------------------------------------------------- the readers' own caps (in-process)


def test_sheet_claiming_a_million_rows_is_refused_unread(hostile: Hostile) -> None:
    start = time.perf_counter()
    doc, findings = read_document(hostile["million_row_xlsx"])
    assert time.perf_counter() - start < 3
    assert doc is None and [f.code for f in findings] == ["ingest.too-large"]
    assert "“数据”" in findings[0].message and "1000000 行" in findings[0].message


@pytest.mark.parametrize("name", ["million_row_xlsx_no_dimension", "lying_dimension_xlsx"])
def test_sheet_without_an_honest_dimension_is_read_lazily(name: str, hostile: Hostile) -> None:
    before = peak_rss_mb()
    start = time.perf_counter()
    doc, findings = read_document(hostile[name])
    assert time.perf_counter() - start < 5  # openpyxl alone scans it in ~100 s
    assert peak_rss_mb() - before < 150
    assert doc is not None
    (table,) = doc.blocks
    assert isinstance(table, Table)
    assert len(table.rows) == limits.MAX_SHEET_ROWS
    assert table.rows[0] == ["1"] and table.rows[-1] == [str(limits.MAX_SHEET_ROWS)]
    assert [f.code for f in findings] == ["ingest.truncated"]


def test_dimension_claiming_too_few_columns_does_not_hide_data(tmp_path: Path) -> None:
    ns = hostile_files.S_NS
    cells = "".join(
        f'<c r="{col}1" t="inlineStr"><is><t>{text}</t></is></c>'
        for col, text in zip("ABC", "甲乙丙", strict=True)
    )
    sheet = f'<worksheet xmlns="{ns}"><dimension ref="A1"/><sheetData><row r="1">{cells}</row></sheetData></worksheet>'
    path = hostile_files._xlsx(tmp_path / "narrow.xlsx", sheet.encode())
    doc, findings = read_document(path)
    assert doc is not None and not findings
    (table,) = doc.blocks
    assert isinstance(table, Table) and table.rows == [["甲", "乙", "丙"]]


def test_high_ratio_docx_is_refused_under_the_upload_cap(
    hostile: Hostile, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(limits, "MAX_ZIP_UNCOMPRESSED", 40 * MB)
    doc, findings = read_document(hostile["high_ratio_docx"])
    assert doc is None and [f.code for f in findings] == ["ingest.zip-bomb"]
    assert findings[0].message == "解压后总大小 191 MB 超过上限（40 MB），拒绝读取"


@pytest.mark.parametrize("name", ["billion_laughs_docx", "billion_laughs_xlsx"])
def test_billion_laughs_is_refused_quickly(name: str, hostile: Hostile) -> None:
    before = peak_rss_mb()
    start = time.perf_counter()
    doc, findings = read_document(hostile[name])
    assert time.perf_counter() - start < 3
    assert peak_rss_mb() - before < 50
    assert doc is None and [f.code for f in findings] == ["ingest.corrupt"]
    assert "XML 实体" in findings[0].message
    assert_user_text(findings[0].message)


def test_corrupt_office_files_say_why_in_chinese(tmp_path: Path) -> None:
    from jixiao.ingest.readers.common import OLE_MAGIC

    for name, content in [
        ("junk.docx", b"PK\3\4 not really a zip"),
        ("locked.xlsx", OLE_MAGIC + b"\0" * 600),
    ]:
        path = tmp_path / name
        path.write_bytes(content)
        doc, findings = read_document(path)
        assert doc is None and [f.code for f in findings] == ["ingest.corrupt"]
        assert_user_text(findings[0].message)
    assert "加密" in findings[0].message
    missing = tmp_path / "empty-package.xlsx"
    import zipfile

    with zipfile.ZipFile(missing, "w") as zf:
        zf.writestr("hello.txt", "x")
    for suffix in (".xlsx", ".docx"):
        path = missing.rename(missing.with_suffix(suffix))
        doc, findings = read_document(path)
        assert doc is None and [f.code for f in findings] == ["ingest.corrupt"], findings
        assert_user_text(findings[0].message)
        missing = path


# ---------------------------------------------------------------- normal imports: same data as in-process


def _normal_files(tmp_path: Path) -> list[Path]:
    from tests.ingest.make_corpus import build

    built = [p for p, _ in build(tmp_path) if p.suffix in (".docx", ".xlsx", ".html", ".txt")]
    files = sorted((ROOT / "examples").glob("*.yaml"))[:2] + built[:4]
    if (CORPUS / "002.xlsx").exists():  # 20 projects, one per sheet
        files.append(CORPUS / "002.xlsx")
    return files


def test_normal_imports_match_load_all(tmp_path: Path, pool: ParsePool) -> None:
    from jixiao import api

    for path in _normal_files(tmp_path):
        boxed = pool.parse_upload(path)
        local = api.load_all(path)
        assert [p.part for p in boxed] == [loaded.part for loaded in local], path
        for part, loaded in zip(boxed, local, strict=True):
            expected = (
                None
                if loaded.evaluation is None
                else loaded.evaluation.model_dump(mode="json", exclude_none=True)
            )
            assert part.evaluation == expected, path
            assert part.findings == [f.model_dump(mode="json", exclude_none=True) for f in loaded.findings]
            back = part.to_loaded()
            assert back.findings == loaded.findings
            assert back.label == loaded.label and back.line_of == loaded.line_of
            if loaded.evaluation is not None:  # free-form blocks (pension) keep decimals as text …
                assert back.evaluation is not None
                assert back.evaluation.model_dump(mode="json") == loaded.evaluation.model_dump(mode="json")
                checked = api.check(back.evaluation).model_dump(mode="json")
                assert checked == api.check(loaded.evaluation).model_dump(mode="json")  # … same audit
    assert any(p.evaluation is not None for p in boxed)


# ---------------------------------------------------------------- failure kinds


def test_timeout_kills_and_reaps_the_child(tmp_path: Path) -> None:
    pidfile = tmp_path / "pid"
    start = time.perf_counter()
    with pytest.raises(SandboxError) as caught:
        run_isolated(sleep_for, 30.0, pidfile, timeout=1.0, memory_bytes=1024 * MB)
    assert time.perf_counter() - start < 5
    assert caught.value.kind == "timeout"
    assert caught.value.message == "解析超时（超过 1 秒），文件可能过大或结构异常，已停止解析"
    _assert_gone(int(pidfile.read_text()))


def _assert_gone(pid: int) -> None:
    with pytest.raises(ProcessLookupError):  # killed and reaped: not even a zombie
        os.kill(pid, 0)
    assert not [p for p in multiprocessing.active_children() if p.name.startswith("jixiao-sandbox")]


def test_memory_cap_gives_memory_kind() -> None:
    start = time.perf_counter()
    with pytest.raises(SandboxError) as caught:
        run_isolated(allocate, 2 * 1024 * MB, timeout=20, memory_bytes=500 * MB)
    assert time.perf_counter() - start < 10
    assert caught.value.kind == "memory"
    assert_user_text(caught.value.message)
    assert "500 MB" in caught.value.message
    assert run_isolated(allocate, 50 * MB, timeout=20, memory_bytes=500 * MB) == 50 * MB


@pytest.mark.parametrize("func", [fail, die_by_signal, exit_silently, unpicklable])
def test_crashes_give_crash_kind(func: Callable[[], Any], caplog: pytest.LogCaptureFixture) -> None:
    with pytest.raises(SandboxError) as caught:
        run_isolated(func, timeout=20, memory_bytes=1024 * MB)
    assert caught.value.kind == "crash"
    assert_user_text(caught.value.message)
    assert "boom" not in caught.value.message
    if func is fail:  # the traceback is logged for the operator, never shown
        assert "ValueError: boom" in caplog.text and "Traceback" in caplog.text


def test_interrupted_caller_still_reaps_the_child(tmp_path: Path) -> None:
    if threading.current_thread() is not threading.main_thread():
        pytest.skip("signals need the main thread")

    class Interrupted(Exception):
        pass

    def interrupt(signum: int, frame: object) -> None:
        raise Interrupted()

    pidfile = tmp_path / "pid"
    old = signal.signal(signal.SIGALRM, interrupt)
    signal.setitimer(signal.ITIMER_REAL, 1.0)
    try:
        with pytest.raises(Interrupted):
            run_isolated(sleep_for, 30.0, pidfile, timeout=20, memory_bytes=1024 * MB)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
    _assert_gone(int(pidfile.read_text()))


def test_pool_bounds_concurrency() -> None:
    pool = ParsePool(workers=1, queue_timeout=0.3, timeout=10)
    worker = threading.Thread(target=pool.run, args=(sleep_for, 1.5))
    worker.start()
    time.sleep(0.3)
    try:
        start = time.perf_counter()
        with pytest.raises(SandboxError) as caught:
            pool.run(sleep_for, 0.0)
        assert caught.value.kind == "busy"
        assert caught.value.message == "系统正忙，正在解析其他上传文件，请稍后再试"
        assert time.perf_counter() - start < 2
    finally:
        worker.join()
    assert pool.run(sleep_for, 0.0) == "slept"  # the slot was released


def test_parallel_callers_each_get_their_result() -> None:
    pool = ParsePool(workers=2, queue_timeout=30, timeout=20)
    results: dict[int, object] = {}

    def call(i: int) -> None:
        results[i] = pool.run(allocate, i * 1000)

    threads = [threading.Thread(target=call, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == {i: i * 1000 for i in range(6)}


# ---------------------------------------------------------------- evidence files


def _good_evidence(folder: Path) -> dict[str, Path]:
    import docx
    import openpyxl
    from PIL import Image

    from tests.ingest.encrypted import write_image_pdf

    files = {name: folder / name for name in ("a.docx", "a.xlsx", "a.pdf", "a.png", "a.jpg", "a.txt")}
    document = docx.Document()
    document.add_paragraph("佐证材料")
    document.save(str(files["a.docx"]))
    wb = openpyxl.Workbook()
    wb.active.append(["项目", "金额"])
    wb.save(str(files["a.xlsx"]))
    write_image_pdf(files["a.pdf"])
    Image.new("RGB", (20, 10), "red").save(files["a.png"])
    Image.new("RGB", (20, 10), "blue").save(files["a.jpg"], format="JPEG")
    files["a.txt"].write_text("验收报告\n", encoding="utf-8")
    return files


def test_good_evidence_passes(tmp_path: Path, pool: ParsePool) -> None:
    for path in _good_evidence(tmp_path).values():
        assert pool.inspect_evidence(path) is None, path
    assert pool.check_evidence(tmp_path / "a.pdf").pages == 1


def test_bad_evidence_is_named_in_chinese(tmp_path: Path, hostile: Hostile, pool: ParsePool) -> None:
    good = _good_evidence(tmp_path)
    png_as_jpg = tmp_path / "photo.jpg"
    png_as_jpg.write_bytes(good["a.png"].read_bytes())
    fake_png = tmp_path / "fake.png"
    fake_png.write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(2000))
    fake_pdf = tmp_path / "fake.pdf"
    fake_pdf.write_bytes(b"%PDF-1.4\n" + os.urandom(2000))
    binary_txt = tmp_path / "bin.txt"
    binary_txt.write_bytes(b"\0\1\2\3" * 500)
    bad = [
        png_as_jpg,
        fake_png,
        fake_pdf,
        binary_txt,
        hostile["high_ratio_docx"],
        hostile["billion_laughs_docx"],
    ]
    laughs_xlsx = tmp_path / "laughs.xlsx"
    laughs_xlsx.write_bytes(hostile["billion_laughs_xlsx"].read_bytes())
    bad.append(laughs_xlsx)
    for path in bad:
        start = time.perf_counter()
        problem = pool.inspect_evidence(path)
        assert time.perf_counter() - start < 5
        assert problem is not None, path
        assert_user_text(problem)
    assert "不符" in str(pool.inspect_evidence(png_as_jpg))


def test_encrypted_pdf_and_big_workbook_are_acceptable_evidence(hostile: Hostile, pool: ParsePool) -> None:
    check = pool.check_evidence(hostile["encrypted_pdf"])
    assert check.problem is None and check.note is not None and "加密" in check.note
    start = time.perf_counter()
    assert pool.inspect_evidence(hostile["million_row_xlsx_no_dimension"]) is None  # opened, not scanned
    assert time.perf_counter() - start < 3
