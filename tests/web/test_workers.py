"""`jixiao serve --workers 2`: two worker processes over one database; a login holds on every new
connection, whichever worker accepts it (sessions live in the database)."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


def test_two_workers_share_sessions_and_data(tmp_path: Path) -> None:
    port = _free_port()
    command = [
        sys.executable,
        "-c",
        "from jixiao.cli import main; main()",
        "serve",
        "--demo",
        "--workers",
        "2",
    ]
    command += ["--port", str(port), "--data-dir", str(tmp_path)]
    env = {k: v for k, v in os.environ.items() if k != "JIXIAO_DATABASE_URL"}
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    try:
        lines: list[str] = []
        password = None
        deadline = time.monotonic() + 60
        while password is None and time.monotonic() < deadline:
            line = server.stdout.readline()  # type: ignore[union-attr]
            lines.append(line)
            found = re.search(r"用户名 caizheng\s+密码 (\S+)", line)
            password = found.group(1) if found else None
        assert password, "".join(lines)
        base = f"http://127.0.0.1:{port}"
        for _ in range(200):
            try:
                if httpx.get(base + "/login", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        assert len(_children(server.pid)) >= 2  # the workers (the parent supervises)
        fresh = httpx.Limits(max_keepalive_connections=0)  # a new connection per request
        with httpx.Client(base_url=base, timeout=10, limits=fresh) as client:
            token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)
            assert token
            r = client.post(
                "/login", data={"username": "caizheng", "password": password, "csrf_token": token.group(1)}
            )
            assert r.status_code == 303
            # many requests: both workers answer, and each knows the session and the data
            pages = [client.get("/evaluations") for _ in range(20)]
            assert all(p.status_code == 200 and "城乡居民" in p.text for p in pages)
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
