"""Many pages at once never exhaust the connection pool: a request holds a database connection only
while one of the thread pool's threads works for it (or while its transaction ends, in a thread
outside that pool), never while it waits for a thread."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from jixiao.store.db import Database
from tests.web.conftest import login

CONCURRENT = 160  # well above the thread pool (40) and the SQLite pool (48 + 16)


def test_many_concurrent_pages_never_exhaust_the_pool(app: Any, db: Database) -> None:
    db.engine.pool._timeout = 5  # type: ignore[attr-defined]  # a starved request fails fast
    cookies = {name: login(app, name).cookies for name in ("caizheng", "danwei")}
    pages = [
        ("caizheng", "/review"),
        ("caizheng", "/dashboard"),
        ("danwei", "/evaluations"),
        ("caizheng", "/healthz"),
    ]

    async def run() -> list[int]:
        transport = httpx.ASGITransport(app=app)
        clients = {
            name: httpx.AsyncClient(transport=transport, base_url="http://testserver", cookies=jar)
            for name, jar in cookies.items()
        }
        try:
            answers = await asyncio.wait_for(
                asyncio.gather(
                    *(
                        clients[pages[n % len(pages)][0]].get(pages[n % len(pages)][1])
                        for n in range(CONCURRENT)
                    )
                ),
                timeout=120,
            )
        finally:
            for client in clients.values():
                await client.aclose()
        return [answer.status_code for answer in answers]

    assert asyncio.run(run()) == [200] * CONCURRENT
