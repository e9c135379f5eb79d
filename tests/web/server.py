"""A real server for the acceptance tests: ``jixiao serve`` (uvicorn) in a subprocess.

The app runs exactly as deployed — the ``jixiao serve`` command, one uvicorn process — on a free
127.0.0.1 port, on a fresh SQLite data dir or a fresh, uniquely named PostgreSQL database seeded
with the demo accounts (password :data:`PASSWORD`) and a few editable drafts per unit.  Its
stdout/stderr go to a log file that is attached to the report of a failing test.

Helpers: start / wait until ready / stop (terminate, then kill) / ``kill -9`` and restart on the
same database, the server's RSS and peak RSS (``/proc/PID/status``), logging in with httpx,
reading an evaluation's edit form, saving, uploading evidence, surveys, and a probe that measures
how fast another client's ``GET /login`` is answered while something else is going on.
"""

from __future__ import annotations

import atexit
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from jixiao.store.db import Database
from jixiao.store.models import EvaluationRecord, Organisation
from jixiao.store.seed import DEMO_ACCOUNTS, UNIT_A, UNIT_B, seed_demo
from tests.ingest.encrypted import pdf_bytes
from tests.store.conftest import PG_ADMIN_URL, _pg_reachable

PASSWORD = "live-password-1"
REPO = Path(__file__).resolve().parents[2]
READY_TIMEOUT = 60.0
# The server command: the installed ``jixiao serve`` entry point, run by this interpreter.
SERVE = "import sys; from jixiao.cli import main; sys.argv[0] = 'jixiao'; sys.exit(main())"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
CONFLICT_TEXT = "保存冲突"
SURVEY_DONE_TEXT = "提交成功"
DRAFTS_PER_UNIT = {"danwei": 10, "danwei2": 4}
DRAFT_MARK = "（并发测试副本{k}）"


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# ---------------------------------------------------------------- databases


@dataclass
class Backend:
    """Where the server's data lives: ``kind`` is ``sqlite`` or ``postgresql``."""

    kind: str
    url: str
    data_dir: Path
    drop: Callable[[], None] | None = None


def sqlite_backend(data_dir: Path) -> Backend:
    """A fresh SQLite database in ``data_dir`` (the file ``jixiao serve`` uses there)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    return Backend("sqlite", f"sqlite:///{data_dir / 'jixiao.db'}", data_dir)


def _pg_url(name: str) -> str:
    return PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"


def _pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute(sql)  # type: ignore[arg-type]


def postgres_backend(data_dir: Path, template: str | None = None) -> Backend:
    """A fresh, uniquely named PostgreSQL database, a copy of ``template`` when given."""
    name = f"jixiao_live_{uuid.uuid4().hex[:10]}"
    _pg_admin(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    data_dir.mkdir(parents=True, exist_ok=True)
    return Backend(
        "postgresql",
        _pg_url(name),
        data_dir,
        lambda: _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'),
    )


# (kind, drafts) → the prepared template (an SQLite file or a PostgreSQL database) and its draft ids;
# seeding costs seconds (password hashing, loading the examples), copying a template does not.
_TEMPLATES: dict[tuple[str, tuple[tuple[str, int], ...]], tuple[str, dict[str, list[int]]]] = {}


def _template(kind: str, drafts: dict[str, int] | None) -> tuple[str, dict[str, list[int]]]:
    """A seeded database to copy, made once per test process."""
    key = (kind, tuple(sorted((drafts or DRAFTS_PER_UNIT).items())))
    if key not in _TEMPLATES:
        if kind == "sqlite":
            folder = Path(tempfile.mkdtemp(prefix="jixiao-live-template-"))
            atexit.register(shutil.rmtree, folder, ignore_errors=True)
            where = str(folder / "jixiao.db")
            ids = prepare(f"sqlite:///{where}", drafts)
        else:
            where = f"jixiao_live_tmpl_{uuid.uuid4().hex[:10]}"
            _pg_admin(f'CREATE DATABASE "{where}"')
            atexit.register(_pg_admin, f'DROP DATABASE IF EXISTS "{where}" WITH (FORCE)')
            ids = prepare(_pg_url(where), drafts)
        _TEMPLATES[key] = (where, ids)
    return _TEMPLATES[key]


def fresh_backend(
    kind: str, data_dir: Path, drafts: dict[str, int] | None = None
) -> tuple[Backend, dict[str, list[int]]]:
    """A fresh database of ``kind`` seeded by :func:`prepare` (copied from a per-process template),
    and each unit user's draft ids; skips the test when PostgreSQL is wanted but unreachable."""
    if kind == "postgresql":
        reason = _pg_reachable()
        if reason:
            pytest.skip(reason)
    template, ids = _template(kind, drafts)
    if kind == "sqlite":
        backend = sqlite_backend(data_dir)
        shutil.copyfile(template, data_dir / "jixiao.db")
    else:
        backend = postgres_backend(data_dir, template)
    return backend, {user: list(v) for user, v in ids.items()}


def prepare(url: str, drafts: dict[str, int] | None = None) -> dict[str, list[int]]:
    """Migrate and seed ``url``: demo accounts (password ``PASSWORD``), every evaluation a draft,
    plus ``drafts[username]`` copies of that unit's examples; returns each unit user's draft ids."""
    from jixiao.store.service import add_evaluation, load_evaluation

    db = Database(url)
    try:
        db.migrate()
        with db.session() as session:
            seed_demo(session, {username: PASSWORD for username, *_ in DEMO_ACCOUNTS})
            for record in session.scalars(select(EvaluationRecord)):
                record.status = "draft"
            units = {
                "danwei": session.scalars(select(Organisation).where(Organisation.name == UNIT_A)).one(),
                "danwei2": session.scalars(select(Organisation).where(Organisation.name == UNIT_B)).one(),
            }
            for username, count in (drafts or DRAFTS_PER_UNIT).items():
                unit = units[username]
                templates = session.scalars(
                    select(EvaluationRecord).where(EvaluationRecord.unit_id == unit.id)
                ).all()
                for k in range(count):
                    template = templates[k % len(templates)]
                    evaluation = load_evaluation(template)
                    evaluation.project.name = template.project_name + DRAFT_MARK.format(k=k)
                    department = session.get(Organisation, template.department_id)
                    add_evaluation(session, None, evaluation, unit=unit, department=department)
        with db.session() as session:
            ids: dict[str, list[int]] = {}
            for username, unit in (("danwei", UNIT_A), ("danwei2", UNIT_B)):
                org = session.scalars(select(Organisation.id).where(Organisation.name == unit)).one()
                ids[username] = list(
                    session.scalars(
                        select(EvaluationRecord.id)
                        .where(EvaluationRecord.unit_id == org)
                        .order_by(EvaluationRecord.id)
                    )
                )
        return ids
    finally:
        db.dispose()


# ---------------------------------------------------------------- the server process


def _status_kb(pid: int, key: str) -> int:
    """A ``kB`` field of ``/proc/PID/status`` (0 when the process is gone)."""
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    match = re.search(rf"^{key}:\s+(\d+) kB", text, re.M)
    return int(match.group(1)) if match else 0


def _children(pid: int) -> list[int]:
    """Every descendant of ``pid`` (from ``/proc/*/stat``)."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        parents.setdefault(ppid, []).append(int(entry.name))
    found: list[int] = []
    todo = [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


class LiveServer:
    """``jixiao serve`` on ``backend``, in a subprocess, logging to ``log_path``."""

    def __init__(self, backend: Backend, log_path: Path, env: dict[str, str] | None = None) -> None:
        self.backend = backend
        self.log_path = log_path
        self.env = env or {}
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[bytes] | None = None
        self.drafts: dict[str, list[int]] = {}
        self._db: Database | None = None
        self.starts: list[float] = []  # seconds each start took until the first answer
        self.dirty = False  # set by a test that left the server busy or bloated: restart before reuse

    @property
    def kind(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self.backend.kind

    @property
    def pid(self) -> int:
        """The server process id."""
        assert self.proc is not None, "server not started"
        return self.proc.pid

    def start(self) -> None:
        """Start the server and wait until it answers ``GET /login``."""
        env = {
            **os.environ,
            "JIXIAO_DATABASE_URL": self.backend.url if self.kind == "postgresql" else "",
            "PYTHONUNBUFFERED": "1",
            **self.env,
        }
        command = [sys.executable, "-c", SERVE, "serve", "--data-dir", str(self.backend.data_dir)]
        command += ["--host", "127.0.0.1", "--port", str(self.port)]
        log = self.log_path.open("ab")
        log.write(f"\n===== start {time.strftime('%H:%M:%S')} {self.kind} port {self.port}\n".encode())
        log.flush()
        started = time.perf_counter()
        self.proc = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=REPO)
        log.close()
        self.wait_ready()
        self.starts.append(time.perf_counter() - started)

    def wait_ready(self, timeout: float = READY_TIMEOUT) -> None:
        """Wait until ``GET /login`` answers 200; fail with the log when the server dies or stalls."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc is not None and self.proc.poll() is not None:
                raise AssertionError(f"服务器启动失败（退出码 {self.proc.returncode}）\n{self.log_tail()}")
            try:
                if httpx.get(self.base + "/login", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise AssertionError(f"服务器 {timeout:.0f} 秒内未就绪\n{self.log_tail()}")

    def alive(self) -> bool:
        """True while the server process runs."""
        return self.proc is not None and self.proc.poll() is None

    def stop(self) -> None:
        """Terminate the server (SIGTERM), then kill it when it does not stop within 10 s."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self._reap_children()

    def kill9(self) -> None:
        """``kill -9`` the server (no shutdown of any kind) and wait until it is gone."""
        assert self.proc is not None
        children = _children(self.proc.pid)
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)
        with self.log_path.open("ab") as log:
            log.write(f"\n===== SIGKILL {time.strftime('%H:%M:%S')}\n".encode())
        for child in children:  # parsing children of a killed server must not linger either
            with suppress(ProcessLookupError):
                os.kill(child, signal.SIGKILL)

    def restart(self) -> None:
        """Start again on the same database and data dir (a new port is not needed)."""
        self.start()

    def _reap_children(self) -> None:
        if self.proc is None:
            return
        for child in _children(self.proc.pid):
            with suppress(ProcessLookupError):
                os.kill(child, signal.SIGKILL)

    def rss_mb(self) -> float:
        """The server's resident memory now (VmRSS), MB."""
        return _status_kb(self.pid, "VmRSS") / 1024

    def peak_rss_mb(self) -> float:
        """The server's peak resident memory so far (VmHWM), MB."""
        return _status_kb(self.pid, "VmHWM") / 1024

    def reset_peak_rss(self) -> bool:
        """Reset the server's VmHWM to its current RSS (``/proc/PID/clear_refs``); False when refused."""
        try:
            Path(f"/proc/{self.pid}/clear_refs").write_text("5")
        except OSError:
            return False
        return True

    def children_rss_mb(self) -> float:
        """The resident memory of the server's child processes now (parsing workers), MB."""
        return sum(_status_kb(pid, "VmRSS") for pid in _children(self.pid)) / 1024

    def log_text(self) -> str:
        """Everything the server printed."""
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def log_tail(self, chars: int = 12_000) -> str:
        """The end of the server log."""
        text = self.log_text()
        return text if len(text) <= chars else "…" + text[-chars:]

    def database(self) -> Database:
        """The server's database, opened in this (the test) process."""
        if self._db is None:
            self._db = Database(self.backend.url)
        return self._db

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only session on the server's database, from this (the test) process."""
        with Session(self.database().engine, expire_on_commit=False) as session:
            yield session
            session.rollback()

    def close(self) -> None:
        """Stop the server, close this process's connections, drop a PostgreSQL database."""
        try:
            self.stop()
        finally:
            if self._db is not None:
                self._db.dispose()
                self._db = None
            if self.backend.drop is not None:
                self.backend.drop()

    # ------------------------------------------------------------ clients

    def client(self, *, timeout: float = 30.0, address: str | None = None) -> httpx.Client:
        """A fresh cookie jar; ``address`` is sent as ``X-Forwarded-For`` (trusted from 127.0.0.1)."""
        headers = {"X-Forwarded-For": address} if address else {}
        return httpx.Client(base_url=self.base, timeout=timeout, follow_redirects=False, headers=headers)

    def try_login(
        self, username: str, password: str = PASSWORD, *, client: httpx.Client | None = None
    ) -> tuple[httpx.Client, httpx.Response]:
        """A client after posting the login form, and the answer (303 when logged in)."""
        client = client or self.client()
        token = csrf_of(client, "/login")
        response = client.post(
            "/login", data={"username": username, "password": password, "csrf_token": token}
        )
        return client, response

    def login(self, username: str, *, timeout: float = 30.0, address: str | None = None) -> httpx.Client:
        """A client logged in as ``username``."""
        client, response = self.try_login(username, client=self.client(timeout=timeout, address=address))
        assert response.status_code == 303, (username, response.status_code, response.text[:500])
        return client


def csrf_of(client: httpx.Client, url: str) -> str:
    """The CSRF token printed in ``url``'s forms."""
    page = client.get(url)
    match = CSRF.search(page.text)
    assert match, f"no CSRF token on {url} ({page.status_code}): {page.text[:300]}"
    return match.group(1)


def form_fields(html: str, form_id: str = "evaluation-form") -> dict[str, str]:
    """The fields a browser would post from the form ``form_id`` (inputs, textareas, selects)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    form = soup.find("form", id=form_id)
    assert form is not None, f"no form #{form_id} on the page: {html[:500]}"
    fields: dict[str, str] = {}
    for element in form.find_all(["input", "textarea", "select"]):
        name = element.get("name")
        if not name:
            continue
        if element.name == "input":
            kind = element.get("type", "text")
            if kind in ("submit", "button", "file", "reset", "image"):
                continue
            if kind in ("checkbox", "radio") and not element.has_attr("checked"):
                continue
            fields[str(name)] = str(element.get("value", ""))
        elif element.name == "textarea":
            fields[str(name)] = element.get_text()
        else:
            option = element.find("option", selected=True) or element.find("option")
            fields[str(name)] = str(option.get("value", option.get_text())) if option else ""
    return fields


def edit_form(client: httpx.Client, evaluation_id: int) -> dict[str, str]:
    """The edit form of an evaluation as posted unchanged (csrf_token and version included)."""
    page = client.get(f"/evaluations/{evaluation_id}")
    assert page.status_code == 200, (page.status_code, page.text[:500])
    fields = form_fields(page.text)
    assert "version" in fields and "csrf_token" in fields, fields
    return fields


def save(client: httpx.Client, evaluation_id: int, fields: dict[str, str], **changes: str) -> httpx.Response:
    """POST the form ``fields`` with ``changes`` applied and ``action=save``."""
    return client.post(f"/evaluations/{evaluation_id}", data={**fields, **changes, "action": "save"})


def tiny_pdf(text: str = "evidence") -> bytes:
    """A small, valid one-page PDF printing ``text`` (ASCII), with a correct xref table."""
    safe = re.sub(r"[^A-Za-z0-9 _.-]", "_", text)
    stream = f"BT /F1 12 Tf 20 100 Td ({safe}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    return pdf_bytes(objects)


def upload_evidence(
    client: httpx.Client, evaluation_id: int, filename: str, content: bytes, token: str
) -> httpx.Response:
    """POST an evidence file (佐证材料) to an evaluation."""
    return client.post(
        f"/evaluations/{evaluation_id}/evidence",
        data={"csrf_token": token},
        files={"file": (filename, content, "application/pdf")},
    )


def create_survey(
    server: LiveServer,
    evaluation_id: int,
    questions: str = "总体满意度\n服务态度",
    address_limit: int = 100_000,
) -> str:
    """Create a survey as finance (who sees every evaluation); returns its public path ``/s/TOKEN``.

    ``address_limit``: answers allowed per network address (the tests' respondents all come from
    127.0.0.1 unless they send ``X-Forwarded-For``).
    """
    evaluator = server.login("caizheng")
    try:
        token = csrf_of(evaluator, "/surveys")
        r = evaluator.post(
            "/surveys",
            data={
                "csrf_token": token,
                "evaluation_id": str(evaluation_id),
                "title": "并发测试满意度调查",
                "questions": questions,
                "population": "1000",
                "address_limit": str(address_limit),
            },
        )
        assert r.status_code == 303, (r.status_code, r.text[:500])
        page = evaluator.get(r.headers["location"]).text
        match = re.search(r'id="public-link" href="[^"]*?(/s/[^"]+)"', page)
        assert match, page[:1000]
        return match.group(1)
    finally:
        evaluator.close()


@dataclass
class SurveyAnswer:
    """One public survey submission from a fresh device."""

    status: int
    done: bool  # the page said 提交成功
    device: str
    text: str


def answer_survey(server: LiveServer, link: str, *, address: str | None = None) -> SurveyAnswer:
    """Open the public link with fresh cookies, answer every question 满意, submit."""
    with server.client(address=address) as beneficiary:
        page = beneficiary.get(link)
        if page.status_code != 200:
            return SurveyAnswer(page.status_code, False, "", page.text)
        match = CSRF.search(page.text)
        if not match:  # e.g. the address already answered: nothing to submit
            return SurveyAnswer(page.status_code, False, "", page.text)
        questions = sorted(set(re.findall(r'name="(q-\d+)"', page.text)))
        data = {"csrf_token": match.group(1), **dict.fromkeys(questions, "满意")}
        r = beneficiary.post(link, data=data)
        device = beneficiary.cookies.get("jixiao_device") or ""
        return SurveyAnswer(
            r.status_code, r.status_code == 200 and SURVEY_DONE_TEXT in r.text, device, r.text
        )


# ---------------------------------------------------------------- measuring responsiveness


@dataclass
class LatencyProbe:
    """Another client's ``GET path`` every ``interval`` seconds, in a thread, while ``with`` runs."""

    base: str
    path: str = "/login"
    interval: float = 0.1
    timeout: float = 10.0
    latencies: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="latency-probe", daemon=True)

    def _run(self) -> None:
        with httpx.Client(base_url=self.base, timeout=self.timeout) as client:
            while not self._stop.is_set():
                started = time.perf_counter()
                try:
                    r = client.get(self.path)
                    if r.status_code != 200:
                        self.failures.append(f"{self.path} → {r.status_code}")
                except httpx.HTTPError as exc:
                    self.failures.append(f"{self.path} → {type(exc).__name__}")
                self.latencies.append(time.perf_counter() - started)
                self._stop.wait(self.interval)

    def __enter__(self) -> LatencyProbe:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=self.timeout + 5)

    @property
    def worst(self) -> float:
        """The longest wait for an answer, seconds."""
        return max(self.latencies, default=0.0)

    def summary(self) -> str:
        """``n probes, max … s, failures …``."""
        return f"{len(self.latencies)} 次探测 {self.path}，最长 {self.worst:.2f} s" + (
            f"，失败 {self.failures[:5]}" if self.failures else ""
        )


# ---------------------------------------------------------------- fixtures


class _ServerLogReporter:
    """Attach the log of every server a failing test used to that test's report."""

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
        report = yield
        if report.failed:
            for server in getattr(item, "_live_servers", []):
                report.sections.append((f"server log ({server.kind}, {server.log_path})", server.log_tail()))
        return report


def attach(request: pytest.FixtureRequest, server: LiveServer) -> None:
    """Attach ``server``'s log to the report of the requesting test when it fails."""
    manager = request.config.pluginmanager
    if not manager.has_plugin("jixiao-live-server-log"):
        manager.register(_ServerLogReporter(), "jixiao-live-server-log")
    node = request.node
    node._live_servers = [*getattr(node, "_live_servers", []), server]  # type: ignore[attr-defined]


@contextmanager
def running(
    kind: str, folder: Path, *, drafts: dict[str, int] | None = None, env: dict[str, str] | None = None
) -> Iterator[LiveServer]:
    """A seeded server on a fresh database of ``kind``, stopped (and its database dropped) afterwards."""
    backend, drafts_ids = fresh_backend(kind, folder / "data", drafts)
    server = LiveServer(backend, folder / "server.log", env)
    try:
        server.drafts = drafts_ids
        server.start()
        yield server
    finally:
        server.close()


@pytest.fixture(name="server", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def server_fixture(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[LiveServer]:
    """A real server on a fresh SQLite data dir, then on a fresh PostgreSQL database."""
    with running(request.param, tmp_path) as server:
        attach(request, server)
        yield server
