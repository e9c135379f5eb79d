"""Web app latency and throughput: the main pages under 50 users with 10,000 evaluations, on SQLite
and on PostgreSQL, with one and two workers against a floor; the dashboard at 100,000; a write mix
(saves, evidence uploads, survey answers) of 50 users on both databases.

The server is ``jixiao serve`` in a subprocess (``--workers 1``, then ``--workers 2``; SQLite in a
temporary data dir, or a fresh PostgreSQL database) on a free localhost port; the load comes from
this process (asyncio + httpx, 50 logged-in users, a bounded number of requests).  Writes the
``## Web application`` section of docs/performance.md.

``python -m benchmarks.bench_web``: everything, then the whole section (a few minutes);
``--writes``: the write mix only (the read figures already in the section are kept); ``--quick``
(or ``JIXIAO_BENCH_QUICK=1``): a small read run and a small write mix on both databases, printed,
docs/performance.md untouched.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select

USERS = 50
THINK = (1.0, 3.0)  # seconds between a user's requests (locust's ``between(1, 3)``)
THINK_REQUESTS = 12  # per user, with think time
SATURATION_REQUESTS = 16  # per user, back to back (no think time)
PASSWORD = "bench-password-1"
WRITE_REQUESTS = 12  # write operations per user in the write mix, with think time
SHARED_EVALUATIONS = 3  # evaluations every user may also save (optimistic-locking conflicts)
# operation → share of a user's operations
WRITE_MIX = {"save-own": 0.45, "save-shared": 0.15, "upload": 0.2, "survey": 0.2}
# answers an operation may give that are not errors: a conflict (409) or a rate limit (429) is an answer
EXPECTED = {
    "form": {200},
    "save-own": {303},
    "save-shared": {303, 409},
    "upload": {303},
    "survey-form": {200, 429},
    "survey": {200, 429},
}
PG_ADMIN_URL = os.environ.get(
    "JIXIAO_BENCH_PG_URL",
    os.environ.get("JIXIAO_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"),
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def populate(url: str, count: int, *, findings_per_evaluation: int = 4, audits: bool = True) -> None:
    """Seed the demo data, then bulk-insert ``count`` evaluations copied from the analysed examples.

    With ``audits`` each copy gets the audit a save would have kept beside it (the example's, its
    file name made the copy's: ``jixiao.store.audits``), as on a database filled through the app.
    """
    from jixiao.store import revisions
    from jixiao.store.audits import audit_key
    from jixiao.store.db import Database
    from jixiao.store.models import (
        EvaluationAudit,
        EvaluationRecord,
        FindingRecord,
        Organisation,
        OrgKind,
    )
    from jixiao.store.seed import DEMO_ACCOUNTS, seed_demo

    db = Database(url)
    db.migrate()
    with db.session() as session:
        seed_demo(session, {u: PASSWORD for u, *_ in DEMO_ACCOUNTS})
        templates = session.scalars(select(EvaluationRecord)).all()
        template_findings = {
            t.id: session.execute(
                select(
                    FindingRecord.code, FindingRecord.severity, FindingRecord.rank, FindingRecord.message
                ).where(FindingRecord.evaluation_id == t.id)
            ).all()
            for t in templates
        }
        template_audits = {
            t.id: json.dumps(kept.audit, ensure_ascii=False)
            for t in templates
            if (kept := session.get(EvaluationAudit, t.id)) is not None
        }
        units = session.scalars(select(Organisation).where(Organisation.kind == OrgKind.unit)).all()
        departments = [f"示范市第{i}主管部门" for i in range(1, 21)]
        next_id = (session.scalar(select(func.max(EvaluationRecord.id))) or 0) + 1
    rng = random.Random(7)
    batch = 5000
    with db.engine.begin() as conn:
        for start in range(0, count, batch):
            rows: list[dict[str, Any]] = []
            finding_rows: list[dict[str, Any]] = []
            audit_rows: list[dict[str, Any]] = []
            for k in range(start, min(count, start + batch)):
                t = templates[k % len(templates)]
                computed = (t.computed_total or 80) - rng.uniform(0, 15)
                claimed = computed + rng.uniform(-1, 6)
                eid = next_id + k
                rows.append(
                    {
                        "id": eid,
                        "unit_id": units[k % len(units)].id,
                        "year": 2020 + k % 5,
                        "kind": t.kind,
                        "project_name": f"{t.project_name}（{k}）",
                        "department_name": departments[k % len(departments)],
                        "unit_name": units[k % len(units)].name,
                        "status": ("draft", "submitted", "returned", "approved")[k % 4],
                        "data": t.data,
                        "claimed_total": round(claimed, 2),
                        "computed_total": round(computed, 2),
                        "inflation": round(claimed - computed, 2),
                        "grade": "优"
                        if computed >= 90
                        else "良"
                        if computed >= 80
                        else "中"
                        if computed >= 60
                        else "差",
                        "execution_rate": round(rng.uniform(50, 105), 2),
                        "max_severity": t.max_severity,
                        "n_errors": t.n_errors,
                        "n_warnings": t.n_warnings,
                        "version": 1,
                    }
                )
                for f in template_findings[t.id][:findings_per_evaluation]:
                    finding_rows.append(
                        {
                            "evaluation_id": eid,
                            "code": f.code,
                            "severity": f.severity,
                            "rank": f.rank,
                            "message": f.message,
                            "path": "",
                        }
                    )
                if audits and t.id in template_audits:
                    text = template_audits[t.id].replace(f'"evaluation-{t.id}"', f'"evaluation-{eid}"')
                    audit_rows.append(
                        {"evaluation_id": eid, "key": audit_key(eid, t.data), "audit": json.loads(text)}
                    )
            conn.execute(insert(EvaluationRecord), rows)
            if finding_rows:
                conn.execute(insert(FindingRecord), finding_rows)
            if audit_rows:
                conn.execute(insert(EvaluationAudit), audit_rows)
        revisions.bump(conn)  # written outside an ORM session: what was cached is of other data
    # fresh statistics for the planner and, on PostgreSQL, the visibility map (index-only scans),
    # as autovacuum leaves them after a real load
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("ANALYZE" if db.is_sqlite else "VACUUM ANALYZE")
    db.dispose()


def _start(data_dir: Path, url: str = "", workers: int = 1) -> tuple[subprocess.Popen[bytes], str]:
    """``jixiao serve --workers N`` on ``data_dir``'s SQLite database, or on the database ``url``
    (already migrated and seeded: the demo accounts' passwords are the bench's)."""
    port = _free_port()
    env = {**os.environ, "JIXIAO_DATABASE_URL": url, "JIXIAO_MIGRATE": "0"}
    command = [sys.executable, "-c", "from jixiao.cli import main; main()", "serve"]
    command += ["--data-dir", str(data_dir), "--port", str(port), "--workers", str(workers)]
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    import httpx

    for _ in range(600):
        try:
            if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("服务器未能启动")


async def _login(client: Any, base: str, username: str) -> None:
    page = await client.get(base + "/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    r = await client.post(
        base + "/login", data={"username": username, "password": PASSWORD, "csrf_token": token}
    )
    assert r.status_code in (200, 303), r.status_code


Jars = list[dict[str, Any]]  # per simulated user, the cookies of each account it plays


async def _sessions(base: str, usernames: set[str], users: int) -> Jars:
    """``users`` simulated users, each logged in once as every one of ``usernames``.

    Sessions live in the database and the cookie's key in the data dir, so the same cookies serve
    every server started on that data afterwards (one worker, then two).
    """
    import httpx

    jars: Jars = []
    for _ in range(users):
        jar: dict[str, Any] = {}
        for username in sorted(usernames):
            async with httpx.AsyncClient(follow_redirects=False, timeout=120) as client:
                await _login(client, base, username)
                jar[username] = client.cookies
        jars.append(jar)
    return jars


async def _load(
    base: str,
    jars: Jars,
    paths: list[tuple[str, str]],
    *,
    per_user: int,
    think: tuple[float, float],
    last_id: int = 9000,
) -> tuple[dict[str, list[float]], float, int]:
    """Each user (one per jar) requests ``per_user`` of ``paths`` round-robin, pausing ``think`` seconds
    (``{id}`` in a path: an evaluation drawn from 5 to ``last_id``).

    Returns the latencies per page label (ms), the wall time of the run and how many requests got
    no 200.  A connection the server closed while idle (its keep-alive timeout) is retried once on a
    fresh one, as browsers do.
    """
    import httpx

    timings: dict[str, list[float]] = {}
    errors = 0
    rng = random.Random(11)
    # the clients first, outside the timed run: each builds an SSL context (milliseconds of CPU) …
    clients = [
        {
            username: httpx.AsyncClient(follow_redirects=False, timeout=120, cookies=cookies)
            for username, cookies in jar.items()
        }
        for jar in jars
    ]
    # and their connections open (one untimed request each), as a browser's are after its first page
    await asyncio.gather(*(c.get(base + "/healthz") for mine in clients for c in mine.values()))

    async def user(n: int, mine: dict[str, Any]) -> None:
        nonlocal errors
        await asyncio.sleep(rng.uniform(*think))  # users arrive spread out, not all at once
        for k in range(per_user):
            username, path = paths[(n + k) % len(paths)]
            real = path.replace("{id}", str(rng.randint(5, last_id)))
            started = time.perf_counter()
            try:
                try:
                    r = await mine[username].get(base + real)
                except httpx.RemoteProtocolError:  # closed while idle: once more
                    started = time.perf_counter()
                    r = await mine[username].get(base + real)
            except httpx.HTTPError:
                errors += 1
                continue
            elapsed = (time.perf_counter() - started) * 1000
            if r.status_code == 200:
                timings.setdefault(path, []).append(elapsed)
            else:
                errors += 1
            if think[1]:
                await asyncio.sleep(rng.uniform(*think))

    started = time.perf_counter()
    await asyncio.gather(*(user(n, mine) for n, mine in enumerate(clients)))
    wall = time.perf_counter() - started
    for mine in clients:
        for client in mine.values():
            await client.aclose()
    return timings, wall, errors


def _stop(proc: subprocess.Popen[bytes]) -> None:
    proc.send_signal(signal.SIGINT)  # uvicorn's supervisor stops its workers too
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


PAGES = [
    ("caizheng", "/review"),
    ("caizheng", "/dashboard"),
    ("danwei", "/evaluations"),
    ("caizheng", "/evaluations/{id}"),
]
FLOOR = [("caizheng", "/healthz")]  # no login, no page: the app and a database round trip
AIM_P95_MS = 100
# The figure to beat: the same four pages saturated on SQLite with two workers, before issue 15
# (docs/performance.md of 2026-12-07: 71 requests/s with one worker, 80 with two).
BEFORE = {1: 71.0, 2: 80.0}
AIM_THROUGHPUT = 3.0  # × the two workers' figure before


@dataclass
class ReadPlan:
    """How much to ask of the server (the full run, or ``--quick``)."""

    evaluations: int = 10_000
    users: int = USERS
    think_requests: int = THINK_REQUESTS
    think: tuple[float, float] = THINK
    saturation_requests: int = SATURATION_REQUESTS
    workers: tuple[int, ...] = (1, 2)


@dataclass
class ReadRun:
    """The read load on one database: think-time latencies (one worker) and, per worker count,
    the saturated throughput of the floor and of the pages."""

    database: str
    plan: ReadPlan
    working: dict[str, list[float]]
    working_wall: float
    floor: dict[int, float]  # workers → requests/s of /healthz
    pages: dict[int, float]  # workers → requests/s of the four pages in turn
    saturated: dict[int, dict[str, list[float]]]
    errors: int
    load: float


QUICK_READS = ReadPlan(evaluations=1000, users=10, think_requests=4, think=(0.2, 0.6), saturation_requests=8)


def _read_run(kind: str, plan: ReadPlan) -> ReadRun | str:
    """The read load on a fresh ``kind`` database of ``plan.evaluations``; a note when it cannot run."""
    if kind == "postgresql" and (reason := _pg_unreachable()):
        print(reason, flush=True)
        return reason
    with tempfile.TemporaryDirectory(prefix="jixiao-bench-") as tmp:
        data_dir = Path(tmp)
        name = f"jixiao_bench_{os.getpid()}_{int(time.time())}"
        if kind == "sqlite":
            url, server_url = f"sqlite:///{data_dir / 'jixiao.db'}", ""
        else:
            _pg_admin(f'CREATE DATABASE "{name}"')
            url = server_url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
        try:
            started = time.perf_counter()
            populate(url, plan.evaluations)
            print(
                f"{kind}: {plan.evaluations:,} evaluations loaded in {time.perf_counter() - started:.1f} s",
                flush=True,
            )
            jars: Jars = []
            floor: dict[int, float] = {}
            pages: dict[int, float] = {}
            saturated: dict[int, dict[str, list[float]]] = {}
            working: dict[str, list[float]] = {}
            working_wall = 0.0
            errors = 0
            for workers in plan.workers:
                proc, base = _start(data_dir, server_url, workers)
                try:
                    if not jars:
                        jars = asyncio.run(_sessions(base, {u for u, _ in PAGES}, plan.users))
                    # warm-up: every worker has its templates compiled and its pool filled
                    last = min(9000, plan.evaluations)
                    asyncio.run(_load(base, jars, PAGES, per_user=len(PAGES), think=(0, 0), last_id=last))
                    if workers == plan.workers[0]:
                        working, working_wall, failed = asyncio.run(
                            _load(
                                base,
                                jars,
                                PAGES,
                                per_user=plan.think_requests,
                                think=plan.think,
                                last_id=last,
                            )
                        )
                        errors += failed
                    timings, wall, failed = asyncio.run(
                        _load(base, jars, FLOOR, per_user=plan.saturation_requests, think=(0, 0))
                    )
                    floor[workers] = sum(map(len, timings.values())) / wall
                    errors += failed
                    timings, wall, failed = asyncio.run(
                        _load(
                            base, jars, PAGES, per_user=plan.saturation_requests, think=(0, 0), last_id=last
                        )
                    )
                    pages[workers] = sum(map(len, timings.values())) / wall
                    saturated[workers] = timings
                    errors += failed
                    print(
                        f"{kind}, {workers} worker(s): floor {floor[workers]:.0f} requests/s, "
                        f"pages {pages[workers]:.0f} requests/s",
                        flush=True,
                    )
                finally:
                    if proc.poll() is not None:
                        print(
                            f"{kind}: the server exited during the run (code {proc.returncode})", flush=True
                        )
                    _stop(proc)
        finally:
            if kind == "postgresql":
                _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    run = ReadRun(
        kind,
        plan,
        working,
        working_wall,
        floor,
        pages,
        saturated,
        errors,
        os.getloadavg()[0],
    )
    print("\n".join(_working_rows([run]) + _throughput_rows([run])), flush=True)
    return run


def _working_rows(runs: list[ReadRun]) -> list[str]:
    rows = []
    for run in runs:
        for _user, path in PAGES:
            values = run.working.get(path, [])
            if not values:
                rows.append(f"| {DATABASE_NAMES[run.database]} | `{path}` | 0 | — | — | no answer |")
                continue
            p95 = _percentile(values, 0.95)
            verdict = "yes" if p95 < AIM_P95_MS else "**no**"
            rows.append(
                f"| {DATABASE_NAMES[run.database]} | `{path}` | {len(values)} | "
                f"{statistics.median(values):.0f} | {p95:.0f} | {verdict} |"
            )
    return rows


def _throughput_rows(runs: list[ReadRun]) -> list[str]:
    rows = []
    for run in runs:
        for workers in sorted(run.pages):
            pages, floor = run.pages[workers], run.floor[workers]
            versus_one = f"{pages / run.pages[1]:.2f}×" if workers != 1 and 1 in run.pages else ""
            versus_before = f"{pages / BEFORE[workers]:.1f}×" if workers in BEFORE else ""
            rows.append(
                f"| {DATABASE_NAMES[run.database]} | {workers} | {floor:.0f} | {pages:.0f} | "
                f"{pages / floor:.2f} | {versus_one} | {versus_before} |"
            )
    return rows


def _saturated_rows(runs: list[ReadRun]) -> list[str]:
    rows = []
    for run in runs:
        for workers, timings in sorted(run.saturated.items()):
            for _user, path in PAGES:
                values = timings.get(path, [])
                if values:
                    rows.append(
                        f"| {DATABASE_NAMES[run.database]} | {workers} | `{path}` | "
                        f"{statistics.median(values):.0f} | {_percentile(values, 0.95):.0f} |"
                    )
    return rows


def _verdict(runs: list[ReadRun], dash: list[float]) -> str:
    over = [
        f"`{path}` on {DATABASE_NAMES[run.database]} ({_percentile(values, 0.95):.0f} ms)"
        for run in runs
        for path, values in sorted(run.working.items())
        if _percentile(values, 0.95) >= AIM_P95_MS
    ]
    pages = (
        f"every page's p95 is under {AIM_P95_MS} ms on every database"
        if not over
        else f"p95 at or above {AIM_P95_MS} ms on " + ", ".join(over)
    )
    two = [run for run in runs if 2 in run.pages]
    throughput = "; ".join(
        f"two workers on {DATABASE_NAMES[run.database]} serve {run.pages[2]:.0f} requests/s, "
        f"{run.pages[2] / BEFORE[2]:.1f}× the {BEFORE[2]:.0f} before "
        f"({'inside' if run.pages[2] >= AIM_THROUGHPUT * BEFORE[2] else 'short of'} the {AIM_THROUGHPUT:.0f}× aim)"
        for run in two
    )
    dashboard = (
        f"the dashboard at 100,000 evaluations computes in a median {statistics.median(dash):.0f} ms"
        if dash
        else ""
    )
    return "; ".join(part for part in (pages, throughput, dashboard) if part) + "."


def _dashboard_at_scale() -> list[float]:
    """``dashboard_data`` (computed afresh, no HTTP) at 100,000 evaluations: 9 runs over 3 filters."""
    with tempfile.TemporaryDirectory(prefix="jixiao-bench-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'big.db'}"
        started = time.perf_counter()
        populate(url, 100_000, findings_per_evaluation=3, audits=False)
        print(f"100,000 evaluations loaded in {time.perf_counter() - started:.1f} s", flush=True)
        from jixiao.store.db import Database
        from jixiao.web.routes.dashboard import dashboard_data

        db = Database(url)
        dash: list[float] = []
        for filters in [("", "", ""), ("", "2022", ""), ("", "", "示范市第3主管部门")] * 3:
            with db.session() as session:
                started = time.perf_counter()
                dashboard_data(session, *filters)
                dash.append((time.perf_counter() - started) * 1000)
        db.dispose()
    return dash


def _read_body(runs: list[ReadRun | str], dash: list[float]) -> str:
    """The read part of the section."""
    from benchmarks.common import machine

    done = [r for r in runs if isinstance(r, ReadRun)]
    notes = [r for r in runs if isinstance(r, str)]
    plan = done[0].plan if done else ReadPlan()
    walls = "; ".join(
        f"{DATABASE_NAMES[r.database]}: {sum(map(len, r.working.values()))} requests in {r.working_wall:.1f} s "
        f"({r.errors} errors in the whole run, load average {r.load:.1f} at its end)"
        for r in done
    )
    return f"""
Measured {machine()}, by `benchmarks/bench_web.py`: `jixiao serve` (uvicorn; `--workers 1`, then
`--workers 2`) on SQLite (WAL) in a temporary data dir and on a fresh PostgreSQL database (same
machine), each holding {plan.evaluations:,} evaluations (copies of the four analysed examples with varied
scores, units, departments, years and statuses, 4 findings each, and the audit a save keeps beside
each). {plan.users} logged-in users (asyncio + httpx, one process on the same 2 cores, which other jobs
were also using) request the four main pages in turn; every worker is warmed up first (one round
of the pages). Latency in milliseconds at the client, queueing included.

**50 users working** (one worker) — each pauses 1–3 s between requests (like locust's
`between(1, 3)`), {plan.think_requests} requests each. {walls}.
Aim: p95 under {AIM_P95_MS} ms.

| database | page | requests | p50 ms | p95 ms | p95 < {AIM_P95_MS} ms |
| --- | --- | --- | --- | --- | --- |
{chr(10).join(_working_rows(done))}

**Saturation** — the same users with no pause, {plan.saturation_requests} requests each, first on the floor
(`/healthz`: no login, no page, one database round trip — what the server, the framework and the
load generator cost on this machine now), then on the four pages in turn. Requests per second;
"pages / floor" is the share of the floor's rate the pages keep; "before" is the same four pages
on SQLite before issue 15 ({BEFORE[1]:.0f} requests/s with one worker, {BEFORE[2]:.0f} with two; aim:
{AIM_THROUGHPUT:.0f}× the two workers' figure). With 50 requests always queued the latency is mostly
the wait (Little's law: 50 / throughput).

| database | workers | floor req/s | pages req/s | pages / floor | × one worker | × before |
| --- | --- | --- | --- | --- | --- | --- |
{chr(10).join(_throughput_rows(done))}

| database | workers | page | p50 ms | p95 ms |
| --- | --- | --- | --- | --- |
{chr(10).join(_saturated_rows(done))}
{chr(10).join(f"{chr(10)}Not measured: {note}." for note in notes)}

**Dashboard at 100,000 evaluations** (300,000 findings), computed afresh: all aggregates are SQL
`GROUP BY`s answered from covering indexes (`ix_evaluations_grade`, `_department`, `_rate`), so
the wide rows with their JSON are never read; `dashboard_data` (no HTTP), 9 runs over three
filters (none, a year, a department): median {statistics.median(dash):.0f} ms, max {max(dash):.0f} ms.
The page computes it once per state of the data and filter: every process keeps it under the data's
revision stamp (`data_revisions`, changed in the transaction of every write of evaluations,
findings or tasks), so the next request after any write, in any worker, computes it again.

Notes: `/evaluations/{{id}}` shows the audit kept beside the evaluation when it was saved
(`evaluation_audits`, keyed on a digest of the rules, the id and the JSON: never stale), so a view
no longer re-scores and re-audits; list pages read 50 rows a page off an index (with a COUNT of
the filtered rows) and never load the evaluation JSON.
Against the aims: {_verdict(done, dash)}
"""


def _tiny_pdf(text: str) -> bytes:
    """A valid one-page PDF printing ``text`` (an evidence file that passes the content check)."""
    from tests.web.server import tiny_pdf

    return tiny_pdf(text)


def _write_targets(url: str, users: int) -> dict[str, dict[str, list[int]]]:
    """Per unit account: one draft of its own for each of its users, and the drafts all of them share."""
    from jixiao.store.db import Database
    from jixiao.store.models import EvaluationRecord, Organisation
    from jixiao.store.seed import UNIT_A, UNIT_B

    db = Database(url)
    targets: dict[str, dict[str, list[int]]] = {}
    with db.session() as session:
        for account, unit in (("danwei", UNIT_A), ("danwei2", UNIT_B)):
            org = session.scalars(select(Organisation.id).where(Organisation.name == unit)).one()
            wanted = (users + 1) // 2 + SHARED_EVALUATIONS
            ids = list(
                session.scalars(
                    select(EvaluationRecord.id)
                    .where(EvaluationRecord.unit_id == org)
                    .order_by(EvaluationRecord.id.desc())
                    .limit(wanted)
                )
            )
            for record in session.scalars(select(EvaluationRecord).where(EvaluationRecord.id.in_(ids))):
                record.status = "draft"  # editable by the unit
            targets[account] = {"own": ids[SHARED_EVALUATIONS:], "shared": ids[:SHARED_EVALUATIONS]}
    db.dispose()
    return targets


CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')


async def _write_mix(
    base: str,
    targets: dict[str, dict[str, list[int]]],
    *,
    users: int,
    per_user: int,
    think: tuple[float, float],
) -> tuple[dict[str, list[float]], dict[str, Counter[int | str]], float]:
    """``users`` unit users each do ``per_user`` writes (``WRITE_MIX``), pausing ``think`` seconds.

    Returns the latencies per operation (ms, every answered request), the answers per operation
    (status code, or the exception's name when there was none) and the wall time of the run.
    """
    import httpx

    accounts = ("danwei", "danwei2")
    clients = []
    for n in range(users):
        client = httpx.AsyncClient(base_url=base, follow_redirects=False, timeout=120)
        await _login(client, base, accounts[n % 2])
        clients.append(client)
    async with httpx.AsyncClient(base_url=base, follow_redirects=False, timeout=120) as finance:
        await _login(finance, base, "caizheng")
        token = CSRF.search((await finance.get("/surveys")).text).group(1)  # type: ignore[union-attr]
        r = await finance.post(
            "/surveys",
            data={
                "csrf_token": token,
                "evaluation_id": str(targets["danwei"]["shared"][0]),
                "title": "基准测试满意度调查",
                "questions": "总体满意度\n服务态度\n办理时效",
                "address_limit": "100000",
            },
        )
        assert r.status_code == 303, r.text[:300]
        page = (await finance.get(r.headers["location"])).text
        link = re.search(r'id="public-link" href="[^"]*?(/s/[^"]+)"', page).group(1)  # type: ignore[union-attr]

    timings: dict[str, list[float]] = {}
    answers: dict[str, Counter[int | str]] = {}
    rng = random.Random(13)
    addresses = iter(range(1, 1 << 24))

    async def timed(op: str, request: Any) -> Any:
        started = time.perf_counter()
        try:
            response = await request
        except httpx.HTTPError as exc:
            answers.setdefault(op, Counter())[type(exc).__name__] += 1
            return None
        timings.setdefault(op, []).append((time.perf_counter() - started) * 1000)
        answers.setdefault(op, Counter())[response.status_code] += 1
        return response

    async def save(client: Any, evaluation_id: int, op: str, text: str) -> None:
        page = await timed("form", client.get(f"/evaluations/{evaluation_id}"))
        if page is None or page.status_code != 200:
            return
        token, version = CSRF.search(page.text), VERSION.search(page.text)
        if not (token and version):
            answers["form"]["no form"] += 1
            return
        data = {
            "csrf_token": token.group(1),
            "version": version.group(1),
            "goals_achieved": text,
            "action": "save",
        }
        await timed(op, client.post(f"/evaluations/{evaluation_id}", data=data))

    async def respond() -> None:
        i = next(addresses)
        address = f"10.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255}"
        async with httpx.AsyncClient(
            base_url=base, timeout=120, headers={"X-Forwarded-For": address}
        ) as phone:
            page = await timed("survey-form", phone.get(link))
            token = CSRF.search(page.text) if page is not None and page.status_code == 200 else None
            if token is None:
                return
            questions = sorted(set(re.findall(r'name="(q-\d+)"', page.text)))
            await timed(
                "survey",
                phone.post(link, data={"csrf_token": token.group(1), **dict.fromkeys(questions, "满意")}),
            )

    async def user(n: int) -> None:
        client, account = clients[n], accounts[n % 2]
        own, shared = targets[account]["own"][n // 2], targets[account]["shared"]
        await asyncio.sleep(rng.uniform(*think))  # users arrive spread out, not all at once
        page = await timed("form", client.get(f"/evaluations/{own}"))
        found = CSRF.search(page.text) if page is not None else None
        if found is None:
            return  # counted as an error of ``form``
        token = found.group(1)
        for k in range(per_user):
            op = rng.choices(list(WRITE_MIX), weights=list(WRITE_MIX.values()))[0]
            if op == "save-own":
                await save(client, own, op, f"用户{n}第{k}次保存")
            elif op == "save-shared":
                await save(client, rng.choice(shared), op, f"用户{n}第{k}次保存（共用）")
            elif op == "upload":
                name = f"bench-{n}-{k}.pdf"
                files = {"file": (name, _tiny_pdf(name), "application/pdf")}
                await timed(
                    op, client.post(f"/evaluations/{own}/evidence", data={"csrf_token": token}, files=files)
                )
            else:
                await respond()
            await asyncio.sleep(rng.uniform(*think))

    started = time.perf_counter()
    await asyncio.gather(*(user(n) for n in range(users)))
    wall = time.perf_counter() - started
    for client in clients:
        await client.aclose()
    return timings, answers, wall


def _pg_unreachable() -> str | None:
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL.replace("+psycopg", ""), connect_timeout=2):
            return None
    except Exception as exc:
        return f"PostgreSQL unreachable at {PG_ADMIN_URL} ({type(exc).__name__}): write mix on PostgreSQL skipped"


def _pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute(sql)  # type: ignore[arg-type]


@dataclass
class WriteRun:
    """One write-mix run: the database, what was asked, what came back."""

    database: str
    evaluations: int
    users: int
    per_user: int
    timings: dict[str, list[float]]
    answers: dict[str, Counter[int | str]]
    wall: float
    load: float


def _write_run(
    kind: str, *, evaluations: int, users: int, per_user: int, think: tuple[float, float]
) -> WriteRun | str:
    """The write mix on a fresh ``kind`` database of ``evaluations``; a note when it cannot run."""
    if kind == "postgresql" and (reason := _pg_unreachable()):
        print(reason, flush=True)
        return reason
    with tempfile.TemporaryDirectory(prefix="jixiao-bench-") as tmp:
        name = f"jixiao_bench_{os.getpid()}_{int(time.time())}"
        if kind == "sqlite":
            url, server_url = f"sqlite:///{Path(tmp) / 'jixiao.db'}", ""
        else:
            _pg_admin(f'CREATE DATABASE "{name}"')
            url = server_url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
        try:
            started = time.perf_counter()
            populate(url, evaluations)
            targets = _write_targets(url, users)
            print(
                f"{kind}: {evaluations:,} evaluations loaded in {time.perf_counter() - started:.1f} s",
                flush=True,
            )
            proc, base = _start(Path(tmp), server_url)
            try:
                timings, answers, wall = asyncio.run(
                    _write_mix(base, targets, users=users, per_user=per_user, think=think)
                )
            finally:
                if proc.poll() is not None:
                    print(f"{kind}: the server exited during the run (code {proc.returncode})", flush=True)
                _stop(proc)
        finally:
            if kind == "postgresql":
                _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    run = WriteRun(kind, evaluations, users, per_user, timings, answers, wall, os.getloadavg()[0])
    print("\n".join(_write_rows(run)), flush=True)
    return run


DATABASE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def _write_rows(run: WriteRun) -> list[str]:
    rows = []
    for op in [o for o in EXPECTED if o in run.answers]:
        got = run.answers[op]
        errors = sum(n for status, n in got.items() if status not in EXPECTED[op])
        refused = sum(n for status, n in got.items() if status in (409, 429) and status in EXPECTED[op])
        values = run.timings.get(op, [])
        p50 = f"{statistics.median(values):.0f}" if values else "—"
        p95 = f"{_percentile(values, 0.95):.0f}" if values else "—"
        rows.append(
            f"| {DATABASE_NAMES[run.database]} | `{op}` | {sum(got.values())} | {errors} | {refused or ''} | {p50} | {p95} |"
        )
    return rows


WRITE_MARK = "**Write mix**"


def _write_body(runs: list[WriteRun | str]) -> str:
    from benchmarks.common import machine

    done = [r for r in runs if isinstance(r, WriteRun)]
    notes = [r for r in runs if isinstance(r, str)]
    rows = [row for r in done for row in _write_rows(r)]
    first = done[0] if done else None
    walls = "; ".join(
        f"{DATABASE_NAMES[r.database]}: {sum(sum(c.values()) for c in r.answers.values())} requests in "
        f"{r.wall:.1f} s "
        f"(load average {r.load:.1f} at the end)"
        for r in done
    )
    errors = sum(
        n
        for r in done
        for op, got in r.answers.items()
        for status, n in got.items()
        if status not in EXPECTED[op]
    )
    users = first.users if first else USERS
    per_user = first.per_user if first else WRITE_REQUESTS
    evaluations = first.evaluations if first else 10_000
    return f"""
{WRITE_MARK} — measured {machine()}, same setup, once on SQLite and once on a fresh PostgreSQL
database (same machine), each holding {evaluations:,} evaluations: {users} logged-in unit users (half of
them 社保中心, half 养老经办中心), each owning one draft, do {per_user} writes each, pausing 1–3 s
between them: save their own draft ({WRITE_MIX["save-own"]:.0%}: `form` is the GET of the edit page,
`save-own` the POST), save one of {SHARED_EVALUATIONS} drafts all users of their unit share
({WRITE_MIX["save-shared"]:.0%}; optimistic locking answers 409 when someone saved since the page was
loaded), upload a one-page PDF as evidence ({WRITE_MIX["upload"]:.0%}; its content is checked in the
parsing child process), answer the public survey from a fresh browser and address
({WRITE_MIX["survey"]:.0%}; `survey-form` is the GET of the questionnaire, `survey` the POST). Errors:
any answer but the expected one (303 for saves and uploads, 200 for pages and answers), no answer at
all counted too; a 409 on a shared draft and a 429 from a rate limit are answers, counted apart.
{walls}; {errors} errors in all.

| database | operation | requests | errors | 409 / 429 | p50 ms | p95 ms |
| --- | --- | --- | --- | --- | --- | --- |
{chr(10).join(rows)}
{chr(10).join(f"{chr(10)}Not measured: {note}." for note in notes)}
"""


def _splice_writes(write_body: str) -> None:
    """Replace the write-mix part of the section, keeping the read figures already there."""
    from benchmarks.common import PERFORMANCE, write_section

    text = PERFORMANCE.read_text(encoding="utf-8") if PERFORMANCE.exists() else ""
    match = re.search(r"^## Web application\n(.*?)(?=^## |\Z)", text, re.S | re.M)
    read = match.group(1).split(WRITE_MARK)[0].strip() if match else ""
    write_section("Web application", read + "\n\n" + write_body.strip())


def _write_runs(*, quick: bool) -> list[WriteRun | str]:
    if quick:
        settings: dict[str, Any] = {"evaluations": 500, "users": 10, "per_user": 4, "think": (0.2, 0.6)}
    else:
        settings = {"evaluations": 10_000, "users": USERS, "per_user": WRITE_REQUESTS, "think": THINK}
    return [_write_run(kind, **settings) for kind in ("sqlite", "postgresql")]


def board_and_ledger(count: int = 200, requests: int = 40) -> dict[str, list[float]]:
    """The warning board and the rectification ledger of a bureau with ``count`` generated projects
    (a monitoring report each, a third red, two ledger items each), each page requested ``requests``
    times by finance through the app in process (SQLite); milliseconds per request by page."""
    from datetime import date, timedelta

    from fastapi.testclient import TestClient

    from jixiao.store.db import Database
    from jixiao.store.models import (
        MonitoringRecord,
        MonitoringRound,
        Organisation,
        OrgKind,
        RectificationRecord,
    )
    from jixiao.store.seed import DEMO_ACCOUNTS, seed_demo
    from jixiao.web import Settings, create_app

    with tempfile.TemporaryDirectory(prefix="jixiao-bench-") as tmp:
        db = Database(f"sqlite:///{Path(tmp) / 'board.db'}")
        db.migrate()
        with db.session() as session:
            seed_demo(session, {u: PASSWORD for u, *_ in DEMO_ACCOUNTS})
            units = session.scalars(select(Organisation).where(Organisation.kind == OrgKind.unit)).all()
            round_ = MonitoringRound(name="基准 1—6月运行监控", year=2026, cutoff_month=6, policy="national")
            session.add(round_)
            session.flush()
            lights = ("red", "yellow", "green")
            for i in range(count):
                unit = units[i % len(units)]
                name = f"基准项目{i:04d}"
                session.add(
                    MonitoringRecord(
                        round_id=round_.id,
                        unit_id=unit.id,
                        department_id=unit.parent_id,
                        year=2026,
                        cutoff_month=6,
                        project_name=name,
                        unit_name=unit.name,
                        status="submitted",
                        light=lights[i % 3],
                        execution_rate=float(i % 90),
                        n_findings=2,
                        findings=[
                            {"code": "mon.x", "severity": "warning", "message": "执行滞后", "where": ""}
                        ]
                        * 2,
                        data={"kind": "monitoring", "cutoff_month": 6, "project": {"name": name}},
                    )
                )
                for k in range(2):
                    session.add(
                        RectificationRecord(
                            unit_id=unit.id,
                            department_id=unit.parent_id,
                            year=2026,
                            project_name=name,
                            unit_name=unit.name,
                            origin="review",
                            status="pending",
                            deadline=date(2026, 6, 30) + timedelta(days=60 * k),
                            overdue_notified=False,
                            data={"project": name, "problem": f"问题{k}", "origin": "review", "year": 2026},
                        )
                    )
            round_id = round_.id
        app = create_app(Settings(data_dir=Path(tmp), secret_key="bench"), db)
        client = TestClient(app)
        page = client.get("/login").text
        token = re.search(r'name="csrf_token" value="([^"]+)"', page)
        assert token is not None
        client.post(
            "/login", data={"username": "caizheng", "password": PASSWORD, "csrf_token": token.group(1)}
        )
        out: dict[str, list[float]] = {}
        for path in (
            f"/monitoring/rounds/{round_id}",
            f"/monitoring/rounds/{round_id}?sort=execution",
            "/rectification",
            "/rectification?status=overdue",
        ):
            client.get(path)  # warm
            times = []
            for _ in range(requests):
                started = time.perf_counter()
                r = client.get(path)
                times.append((time.perf_counter() - started) * 1000)
                assert r.status_code == 200, (path, r.status_code)
            out[path] = times
        db.dispose()
    return out


def main(argv: list[str] | None = None) -> None:
    """Measure and write the section (see the module docstring for ``--writes`` and ``--quick``)."""
    from benchmarks.common import write_section

    args = set(argv or [])
    if "--quick" in args or os.environ.get("JIXIAO_BENCH_QUICK", "") in ("1", "true", "yes"):
        for kind in ("sqlite", "postgresql"):  # printed only
            _read_run(kind, QUICK_READS)
        _write_runs(quick=True)
        return
    if "--board" in args:  # printed only: the warning board and ledger of 200 generated projects
        for path, times in board_and_ledger().items():
            print(f"{path}: p50 {statistics.median(times):.0f} ms, p95 {_percentile(times, 0.95):.0f} ms")
        return
    if "--writes" in args:
        _splice_writes(_write_body(_write_runs(quick=False)))
        return
    runs = [_read_run(kind, ReadPlan()) for kind in ("sqlite", "postgresql")]
    read = _read_body(runs, _dashboard_at_scale())
    write_section("Web application", read.strip() + "\n\n" + _write_body(_write_runs(quick=False)).strip())


if __name__ == "__main__":
    main(sys.argv[1:])
