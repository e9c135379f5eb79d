"""``kill -9`` of a real server in the middle of a write burst loses no write it confirmed.

Several clients save their own evaluation over and over (each save a unique project name), upload
evidence (each file a unique name) and answer a public survey (each answer from a fresh device)
while the test SIGKILLs the server — twice: burst, kill, restart, burst, kill.  After a restart on
the same database, read directly:

- every save answered 303 is in the audit log, and the evaluation holds the last confirmed save or
  one sent after it (the save in flight when the server died may or may not have committed);
- every upload answered 303 and every survey answer whose page said 提交成功 is stored;
- nothing is half-written: every evaluation's JSON loads, its columns agree with it, its finding
  rows are exactly the findings of the stored version, its version counts its logged saves, every
  stored upload is whole and logged;
- the restarted server accepts a save at once (no lock left behind by the dead process).
"""

from __future__ import annotations

import itertools
import threading
import time
from collections import Counter
from contextlib import closing
from dataclasses import dataclass, field

import httpx
import pytest
from sqlalchemy import func, select

from jixiao.api import check
from jixiao.store.models import AuditEntry, EvaluationRecord, FindingRecord, SurveyResponse, Upload
from jixiao.store.service import load_evaluation
from tests.web.server import (
    LiveServer,
    answer_survey,
    create_survey,
    csrf_of,
    edit_form,
    save,
    server_fixture,  # noqa: F401  (the ``server`` fixture)
    tiny_pdf,
    upload_evidence,
)

pytestmark = pytest.mark.slow

KILLS = 2  # bursts, each ended by a SIGKILL and followed by a restart
KILL_AFTER_CONFIRMED = 25  # writes confirmed (at least MIN_SAVES of them saves) before each kill …
MIN_SAVES = 6
KILL_AFTER_SECONDS = 10.0  # … or this long into the burst, whichever comes first


@dataclass
class Ledger:
    """What the clients sent and what the server confirmed, in order."""

    sent_saves: dict[int, list[str]] = field(default_factory=dict)
    confirmed_saves: dict[int, list[str]] = field(default_factory=dict)
    confirmed_uploads: list[str] = field(default_factory=list)
    confirmed_answers: list[str] = field(default_factory=list)  # device cookies
    answers: Counter[str] = field(default_factory=Counter)  # client, status → count
    lock: threading.RLock = field(default_factory=threading.RLock)

    def saves(self) -> int:
        with self.lock:
            return sum(len(v) for v in self.confirmed_saves.values())

    def confirmed(self) -> int:
        with self.lock:
            return self.saves() + len(self.confirmed_uploads) + len(self.confirmed_answers)

    def note(self, op: str, status: int) -> None:
        with self.lock:
            self.answers[f"{op} {status}"] += 1


def test_sigkill_during_a_write_burst_loses_no_confirmed_write(server: LiveServer) -> None:
    savers = server.drafts["danwei"][:4]
    upload_targets = [server.drafts["danwei"][4], server.drafts["danwei2"][0]]
    link = create_survey(server, server.drafts["danwei"][5])
    with server.read() as session:
        versions_before = {
            eid: session.get(EvaluationRecord, eid).version  # type: ignore[union-attr]
            for eid in savers
        }
        audit_before = session.scalar(select(func.max(AuditEntry.id))) or 0
    ledger = Ledger(sent_saves={eid: [] for eid in savers}, confirmed_saves={eid: [] for eid in savers})
    # everyone logs in first (the burst is of writes only); the sessions outlive the restarts
    unit_clients = [server.login("danwei", timeout=15) for _ in savers]
    upload_clients = [server.login(username, timeout=15) for username in ("danwei", "danwei2")]
    counter = itertools.count()  # unique names and addresses across the rounds
    stop = threading.Event()
    go = threading.Event()

    def saver(n: int, evaluation_id: int) -> None:
        go.wait(timeout=30)
        client = unit_clients[n]
        while not stop.is_set():
            fields = edit_form(client, evaluation_id)
            name = f"崩溃测试-保存{n}-{next(counter)}"
            with ledger.lock:
                ledger.sent_saves[evaluation_id].append(name)
            r = save(client, evaluation_id, fields, project_name=name, goals_achieved=name)
            ledger.note("save", r.status_code)
            if r.status_code == 303:
                with ledger.lock:
                    ledger.confirmed_saves[evaluation_id].append(name)

    def uploader(n: int, evaluation_id: int) -> None:
        go.wait(timeout=30)
        client = upload_clients[n]
        token = csrf_of(client, f"/evaluations/{evaluation_id}")
        while not stop.is_set():
            name = f"crash-{n}-{next(counter)}.pdf"
            r = upload_evidence(client, evaluation_id, name, tiny_pdf(name), token)
            ledger.note("upload", r.status_code)
            if r.status_code == 303:
                with ledger.lock:
                    ledger.confirmed_uploads.append(name)

    def respondent() -> None:
        go.wait(timeout=30)
        while not stop.is_set():
            k = next(counter)
            answer = answer_survey(server, link, address=f"10.{k >> 16 & 255}.{k >> 8 & 255}.{k & 255}")
            ledger.note("survey", answer.status)
            if answer.done:
                with ledger.lock:
                    ledger.confirmed_answers.append(answer.device)

    failures: list[str] = []

    def guarded(target: object, *args: object) -> None:
        try:
            target(*args)  # type: ignore[operator]
        except httpx.HTTPError:
            pass  # the server died under this client: expected once it is killed
        except Exception as exc:
            if not stop.is_set():
                failures.append(f"{type(exc).__name__}: {str(exc)[:300]}")

    jobs: list[tuple[object, ...]] = [
        *((saver, n, eid) for n, eid in enumerate(savers)),
        (uploader, 0, upload_targets[0]),
        (uploader, 1, upload_targets[1]),
        (respondent,),
        (respondent,),
    ]
    summary = ""
    for kill in range(KILLS):
        if kill:
            server.restart()
        stop.clear()
        go.clear()
        threads = [threading.Thread(target=guarded, args=job, daemon=True) for job in jobs]
        for thread in threads:
            thread.start()
        started, confirmed, saves = time.perf_counter(), ledger.confirmed(), ledger.saves()
        go.set()
        while time.perf_counter() - started < KILL_AFTER_SECONDS and (
            ledger.confirmed() - confirmed < KILL_AFTER_CONFIRMED or ledger.saves() - saves < MIN_SAVES
        ):
            time.sleep(0.02)
        assert server.alive(), f"the server died before kill {kill + 1}"
        server.kill9()
        stop.set()
        for thread in threads:
            thread.join(timeout=20)
        assert not [t for t in threads if t.is_alive()], "clients still waiting after the kill"
        assert not failures, failures
        summary += (
            f"kill {kill + 1}: {ledger.confirmed() - confirmed} writes confirmed in the "
            f"{time.perf_counter() - started:.1f}s before it; "
        )
        assert ledger.saves() - saves >= 4, summary  # the burst was real
    for client in unit_clients + upload_clients:
        client.close()
    summary += f"answers: {dict(ledger.answers)}"
    assert not [a for a in ledger.answers if a.split()[1].startswith("5")], summary
    print(summary)

    server.restart()
    missing: list[str] = []
    with server.read() as session:
        # saves: each confirmed one logged; the stored one the last confirmed or a later one sent
        for eid in savers:
            record = session.get(EvaluationRecord, eid)
            assert record is not None
            sent, confirmed = ledger.sent_saves[eid], ledger.confirmed_saves[eid]
            logged = [
                (entry.after or {}).get("project", {}).get("name")
                for entry in session.scalars(
                    select(AuditEntry)
                    .where(
                        AuditEntry.id > audit_before,
                        AuditEntry.action == "evaluation.save",
                        AuditEntry.entity_id == eid,
                    )
                    .order_by(AuditEntry.id)
                )
            ]
            missing += [f"save {name} (evaluation {eid})" for name in confirmed if name not in logged]
            stored = record.data["project"]["name"]
            if confirmed:
                later = sent[sent.index(confirmed[-1]) :]
                assert stored in later, f"evaluation {eid} holds {stored!r}, confirmed {confirmed[-1]!r}"
            assert record.version == versions_before[eid] + len(logged), (eid, record.version, logged)
            assert stored == (logged[-1] if logged else stored)
        # uploads and survey answers
        uploads = session.scalars(select(Upload).where(Upload.purpose == "evidence")).all()
        names = Counter(u.filename for u in uploads)
        missing += [f"upload {n}" for n in ledger.confirmed_uploads if names[n] != 1]
        devices = set(session.scalars(select(SurveyResponse.device)))
        missing += [f"survey answer of device {d}" for d in ledger.confirmed_answers if d not in devices]
        assert not missing, f"confirmed but lost: {missing}; {summary}"
        for upload in uploads:
            assert upload.size == len(upload.content) and upload.content.startswith(b"%PDF"), upload.filename
        logged_files = Counter(
            (entry.after or {}).get("file")
            for entry in session.scalars(select(AuditEntry).where(AuditEntry.action == "evidence.add"))
        )
        assert all(logged_files[u.filename] == 1 for u in uploads if u.filename.startswith("crash-"))
        # nothing half-written anywhere
        for record in session.scalars(select(EvaluationRecord)):
            evaluation = load_evaluation(record)
            assert record.project_name == evaluation.project.name, record.id
            expected = Counter((f.code, f.message) for f in check(evaluation).findings)
            stored_findings = Counter(
                session.execute(
                    select(FindingRecord.code, FindingRecord.message).where(
                        FindingRecord.evaluation_id == record.id
                    )
                ).all()
            )
            assert stored_findings == expected, f"findings of evaluation {record.id} are not its version's"

    # the restarted server takes a save at once
    with closing(server.login("danwei", timeout=15)) as client:
        started = time.perf_counter()
        r = save(client, savers[0], edit_form(client, savers[0]), goals_achieved="重启后的保存")
        assert r.status_code == 303, r.text[:500]
        assert time.perf_counter() - started < 5
