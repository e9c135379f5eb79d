"""Web app latency: main pages under 50 concurrent users with 10,000 evaluations; dashboard at 100,000.

The server runs in a subprocess (uvicorn, one worker, SQLite in a temporary data dir) on a free
localhost port; the load comes from this process (asyncio + httpx, 50 logged-in users, a bounded
number of requests).  Writes the ``## Web application`` section of docs/performance.md.
"""

from __future__ import annotations

import asyncio
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select

USERS = 50
THINK = (1.0, 3.0)  # seconds between a user's requests (locust's ``between(1, 3)``)
THINK_REQUESTS = 12  # per user, with think time
SATURATION_REQUESTS = 8  # per user, back to back (no think time)
PASSWORD = "bench-password-1"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def populate(url: str, count: int, *, findings_per_evaluation: int = 4) -> None:
    """Seed the demo data, then bulk-insert ``count`` evaluations copied from the analysed examples."""
    from jixiao.store.db import Database
    from jixiao.store.models import EvaluationRecord, FindingRecord, Organisation, OrgKind
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
        units = session.scalars(select(Organisation).where(Organisation.kind == OrgKind.unit)).all()
        departments = [f"示范市第{i}主管部门" for i in range(1, 21)]
        next_id = (session.scalar(select(func.max(EvaluationRecord.id))) or 0) + 1
    rng = random.Random(7)
    batch = 5000
    with db.engine.begin() as conn:
        for start in range(0, count, batch):
            rows: list[dict[str, Any]] = []
            finding_rows: list[dict[str, Any]] = []
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
            conn.execute(insert(EvaluationRecord), rows)
            if finding_rows:
                conn.execute(insert(FindingRecord), finding_rows)
    if db.is_sqlite:
        with db.engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE")
    db.dispose()


def serve(data_dir: str, port: int) -> None:
    """Run the app (subprocess entry point)."""
    import uvicorn

    from jixiao.web import Settings, create_app

    settings = Settings(data_dir=Path(data_dir), secret_key="bench")
    uvicorn.run(create_app(settings), host="127.0.0.1", port=port, log_level="warning", access_log=False)


def _start(data_dir: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    env = {**os.environ, "JIXIAO_DATABASE_URL": ""}
    proc = subprocess.Popen([sys.executable, __file__, "--serve", str(data_dir), str(port)], env=env)
    base = f"http://127.0.0.1:{port}"
    import httpx

    for _ in range(200):
        try:
            if httpx.get(base + "/login", timeout=1).status_code == 200:
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


async def _load(
    base: str, paths: list[tuple[str, str]], *, per_user: int, think: tuple[float, float]
) -> tuple[dict[str, list[float]], float]:
    """``USERS`` logged-in users each request ``per_user`` pages round-robin, pausing ``think`` seconds.

    Returns the latencies per page label (ms) and the wall time of the run.
    """
    import httpx

    users: list[dict[str, Any]] = []
    for _ in range(USERS):  # each simulated user holds a session per role it plays
        sessions: dict[str, Any] = {}
        for username in {u for u, _ in paths}:
            sessions[username] = httpx.AsyncClient(follow_redirects=False, timeout=120)
            await _login(sessions[username], base, username)
        users.append(sessions)
    timings: dict[str, list[float]] = {}
    rng = random.Random(11)

    async def user(n: int, sessions: dict[str, Any]) -> None:
        await asyncio.sleep(rng.uniform(*think))  # users arrive spread out, not all at once
        for k in range(per_user):
            username, path = paths[(n + k) % len(paths)]
            real = path.replace("{id}", str(rng.randint(5, 9000)))
            started = time.perf_counter()
            r = await sessions[username].get(base + real)
            elapsed = (time.perf_counter() - started) * 1000
            if r.status_code == 200:
                timings.setdefault(path, []).append(elapsed)
            await asyncio.sleep(rng.uniform(*think))

    started = time.perf_counter()
    await asyncio.gather(*(user(n, sessions) for n, sessions in enumerate(users)))
    wall = time.perf_counter() - started
    for sessions in users:
        for client in sessions.values():
            await client.aclose()
    return timings, wall


def _rows(timings: dict[str, list[float]]) -> list[str]:
    return [
        f"| `{path}` | {len(values)} | {statistics.median(values):.0f} | {_percentile(values, 0.95):.0f} |"
        for path, values in sorted(timings.items())
    ]


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _verdict(timings: dict[str, list[float]], dash: list[float]) -> str:
    over = [
        f"`{path}` ({_percentile(v, 0.95):.0f} ms)"
        for path, v in sorted(timings.items())
        if _percentile(v, 0.95) > 100
    ]
    pages = "every page's p95 is inside" if not over else "p95 above the aim on " + ", ".join(over)
    dashboard = (
        "the dashboard's median is inside" if statistics.median(dash) < 300 else "the dashboard is not"
    )
    slow = sum(1 for d in dash if d >= 300)
    runs = f" ({slow} of {len(dash)} runs at or above 300 ms)" if slow else ""
    return f"{pages}; {dashboard}{runs}."


def main() -> None:
    """Measure and write the section."""
    from benchmarks.common import machine, write_section

    rows = []
    with tempfile.TemporaryDirectory(prefix="jixiao-bench-") as tmp:
        data_dir = Path(tmp)
        url = f"sqlite:///{data_dir / 'jixiao.db'}"
        started = time.perf_counter()
        populate(url, 10_000)
        print(f"10,000 evaluations loaded in {time.perf_counter() - started:.1f} s", flush=True)
        proc, base = _start(data_dir)
        try:
            pages = [
                ("caizheng", "/review"),
                ("caizheng", "/dashboard"),
                ("danwei", "/evaluations"),
                ("caizheng", "/evaluations/{id}"),
            ]
            timings, wall = asyncio.run(_load(base, pages, per_user=THINK_REQUESTS, think=THINK))
            saturated, saturated_wall = asyncio.run(
                _load(base, pages, per_user=SATURATION_REQUESTS, think=(0, 0))
            )
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
        rows = _rows(timings)
        total = sum(len(v) for v in timings.values())
        saturated_rows = _rows(saturated)
        saturated_total = sum(len(v) for v in saturated.values())
        print("\n".join(rows + saturated_rows), flush=True)

    with tempfile.TemporaryDirectory(prefix="jixiao-bench-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'big.db'}"
        started = time.perf_counter()
        populate(url, 100_000, findings_per_evaluation=3)
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
    body = f"""
Measured {machine()}, by `benchmarks/bench_web.py`: the app served by uvicorn (`jixiao serve`'s
setup: one process, one worker) on SQLite (WAL) in a temporary data dir holding 10,000
evaluations (copies of the four analysed examples with varied scores, units, departments, years
and statuses, 4 findings each). {USERS} logged-in users (asyncio + httpx, a separate process on
the same 2 cores, which other jobs were also using) request the four main pages in turn.
Latency in milliseconds at the client, queueing included.

**50 users working** — each pauses 1–3 s between requests (like locust's `between(1, 3)`),
{THINK_REQUESTS} requests each: {total} requests in {wall:.1f} s.

| page | requests | p50 ms | p95 ms |
| --- | --- | --- | --- |
{chr(10).join(rows)}

**Saturation** — the same 50 users with no pause ({SATURATION_REQUESTS} requests each): {saturated_total}
requests in {saturated_wall:.1f} s, **{saturated_total / saturated_wall:.0f} requests/s** on one worker; with 50
requests always queued, the latency is mostly the wait for the worker (Little's law: 50 / throughput).

| page | requests | p50 ms | p95 ms |
| --- | --- | --- | --- |
{chr(10).join(saturated_rows)}

**Dashboard at 100,000 evaluations** (300,000 findings): all aggregates are SQL `GROUP BY`s
answered from covering indexes (`ix_evaluations_grade`, `_department`, `_rate`), so the wide rows
with their JSON are never read; `dashboard_data` (no HTTP), 9 runs over three filters (none, a
year, a department): median {statistics.median(dash):.0f} ms, max {max(dash):.0f} ms (aim < 300 ms).

Notes: `/evaluations/{{id}}` re-scores and re-audits the evaluation on every view (`api.check`);
list pages show 50 rows a page (with a COUNT of the filtered rows) and never load the evaluation JSON. More throughput: run
several app processes behind a reverse proxy on PostgreSQL (`JIXIAO_DATABASE_URL`).
Against the aims (p95 < 100 ms per page, < 300 ms dashboard): {_verdict(timings, dash)}
Load average when the run ended: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (the load
generator shares them with the server; other work on the machine raises the tail).
"""
    write_section("Web application", body)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--serve":
        serve(sys.argv[2], int(sys.argv[3]))
    else:
        main()
