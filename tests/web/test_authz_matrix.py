"""Authorisation matrix: who may open which page and post which form, written as one table.

Identities: anonymous, every demo role (bumen: the 主管部门 of units A and B), and a second
third-party evaluator of another firm.
The records: evaluations A (submitted) and A2 (draft) of unit A, both in a task that pingjia's
firm is assigned to (through the finance route ``POST /tasks/{id}/evaluators``), and B (submitted)
and B2 (draft) of unit B, in no task; evidence files on A and B, surveys on A2 and B2.
Target declarations (绩效目标申报) in one round: DA (submitted) and DA2 (draft) of unit A, DX
(submitted) and DX2 (draft) of a unit under another department.

A third-party evaluator sees only the evaluations (and their evidence and surveys) of the tasks
its firm is assigned to.  Denied is 403 or 404; a record one may not see is a 404 (so its id leaks
nothing); anonymous visitors are sent to the login page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from jixiao.store.accounts import create_user
from jixiao.store.models import (
    DeclarationRecord,
    EvaluationRecord,
    Organisation,
    OrgKind,
    Role,
    SurveyRecord,
    TaskEvaluator,
    Upload,
    User,
)
from jixiao.store.seed import BUREAU, EVALUATOR_ORG, UNIT_A, UNIT_B
from tests.web.conftest import PASSWORD, csrf_of, login

OTHER_FIRM = "另一绩效评价咨询有限公司"
IDENTITIES = ("anon", "admin", "caizheng", "danwei", "danwei2", "pingjia", "chakan", "pingjia2", "bumen")

# ok: allowed (200 for a page, the route's own code for a form); no: 403 or 404; 404: must be 404;
# L: redirect to the login page.  Forms that are allowed are posted with an invalid value where the
# handler checks it after authorisation (so "allowed" shows as a validation error and changes nothing).
MATRIX = """
route                anon admin caizheng danwei danwei2 pingjia chakan pingjia2 bumen
evaluations          L    ok    ok       ok     ok      ok      ok     ok       ok
eval_a               L    ok    ok       ok     404     ok      ok     404      404
eval_b               L    ok    ok       404    ok      404     ok     404      404
doc_a                L    ok    ok       ok     404     ok      ok     404      404
doc_b                L    ok    ok       404    ok      404     ok     404      404
upload_a             L    ok    ok       ok     404     ok      ok     404      404
upload_b             L    ok    ok       404    ok      404     ok     404      404
review_list          L    ok    ok       no     no      no      no     no       no
review_a             L    ok    ok       no     no      ok      no     404      no
review_b             L    ok    ok       no     no      404     no     404      no
surveys              L    ok    ok       no     no      ok      no     ok       no
survey_a             L    ok    ok       no     no      ok      no     404      no
survey_b             L    ok    ok       no     no      404     no     404      no
qr_a                 L    ok    ok       no     no      ok      no     404      no
qr_b                 L    ok    ok       no     no      404     no     404      no
codes_a              L    ok    ok       no     no      ok      no     404      no
codes_b              L    ok    ok       no     no      404     no     404      no
dashboard            L    ok    ok       no     no      no      ok     no       no
dashboard_xlsx       L    ok    ok       no     no      no      ok     no       no
audit                L    ok    ok       no     no      no      no     no       no
audit_a              L    ok    ok       no     no      no      no     no       no
admin                L    ok    no       no     no      no      no     no       no
tasks                L    ok    ok       ok     ok      ok      ok     ok       ok
task                 L    ok    ok       no     no      no      ok     no       no
preview_a            L    ok    ok       ok     404     ok      ok     404      404
preview_b            L    ok    ok       404    ok      404     ok     404      404
save_a2              L    ok    no       ok     404     no      no     404      404
save_b2              L    ok    no       404    ok      404     no     404      404
evidence_a2          L    ok    no       ok     404     no      no     404      404
evidence_b2          L    ok    no       404    ok      404     no     404      404
import_a2            L    ok    no       ok     404     no      no     404      404
import_b2            L    ok    no       404    ok      404     no     404      404
scores_a             L    ok    ok       no     no      ok      no     404      no
decision_a           L    ok    ok       no     no      no      no     no       no
decision_b           L    ok    ok       no     no      no      no     no       no
survey_new_a2        L    ok    ok       no     no      ok      no     404      no
survey_new_b2        L    ok    ok       no     no      404     no     404      no
survey_apply_a2      L    ok    ok       no     no      ok      no     404      no
survey_apply_b2      L    ok    ok       no     no      404     no     404      no
task_new             L    ok    ok       no     no      no      no     no       no
task_evaluators      L    ok    ok       no     no      no      no     no       no
task_assign          L    ok    ok       no     no      no      no     no       no
admin_org            L    ok    no       no     no      no      no     no       no
admin_user           L    ok    no       no     no      no      no     no       no
admin_password       L    ok    no       no     no      no      no     no       no
admin_active         L    ok    no       no     no      no      no     no       no
decls                L    ok    ok       ok     ok      no      ok     no       ok
decl_round           L    ok    ok       ok     ok      no      ok     no       ok
decl_a               L    ok    ok       ok     404     404     ok     404      ok
decl_x               L    ok    ok       404    404     404     ok     404      404
decl_doc_a           L    ok    ok       ok     404     404     ok     404      ok
decl_doc_x           L    ok    ok       404    404     404     ok     404      404
round_new            L    ok    ok       no     no      no      no     no       no
decl_new             L    ok    no       ok     ok      no      no     no       no
decl_import          L    ok    no       ok     ok      no      no     no       no
decl_save_a2         L    ok    no       ok     404     no      no     no       no
decl_save_x2         L    ok    no       404    404     no      no     no       no
decl_decide_a        L    ok    no       no     no      no      no     no       ok
decl_decide_x        L    ok    no       no     no      no      no     no       404
decl_start           L    ok    ok       no     no      no      no     no       no
task_assign_declared L    ok    ok       no     no      no      no     no       no
decl_reopen          L    ok    ok       no     no      no      no     no       no
monitoring           L    ok    ok       ok     ok      no      ok     no       ok
mon_board            L    ok    ok       ok     ok      no      ok     no       ok
mon_board_csv        L    ok    ok       ok     ok      no      ok     no       ok
mon_a                L    ok    ok       ok     404     no      ok     no       ok
mon_x                L    ok    ok       404    404     no      ok     no       404
mon_round_new        L    ok    ok       no     no      no      no     no       no
mon_save_a2          L    ok    no       ok     404     no      no     no       no
mon_save_x2          L    ok    no       404    404     no      no     no       404
mon_import_a2        L    ok    no       ok     404     no      no     no       no
mon_doc_a            L    ok    ok       ok     404     no      ok     no       ok
mon_decide_a         L    ok    ok       no     no      no      no     no       no
mon_decide_x         L    ok    ok       no     no      no      no     no       no
ledger               L    ok    ok       ok     ok      no      ok     no       ok
ledger_xlsx          L    ok    ok       ok     ok      no      ok     no       ok
item_a               L    ok    ok       ok     404     no      ok     no       ok
item_x               L    ok    ok       404    404     no      ok     no       404
item_update_a        L    ok    no       ok     404     no      no     no       no
item_update_x        L    ok    no       404    404     no      no     no       404
item_confirm_a       L    ok    ok       no     no      no      no     no       no
audit_import         L    ok    ok       no     no      no      no     no       no
items_from_eval      L    ok    ok       no     no      no      no     no       no
results              L    ok    ok       no     no      no      ok     no       no
thread_a             L    ok    ok       ok     404     no      ok     no       ok
thread_x             L    ok    ok       404    404     no      ok     no       404
"""


@dataclass
class World:
    """Ids of the records the matrix is about."""

    task: int
    a: int
    a2: int
    b: int
    b2: int
    upload_a: int
    upload_b: int
    survey_a2: int
    survey_b2: int
    unit_a: int
    firm: int
    other_firm: int
    spare_user: int
    round: int = 0
    da: int = 0
    da2: int = 0
    dx: int = 0
    dx2: int = 0
    unit_x: int = 0
    mround: int = 0
    ma: int = 0
    ma2: int = 0
    mx: int = 0
    mx2: int = 0
    ia: int = 0
    ix: int = 0


def _org(session: Any, name: str) -> Organisation:
    return session.scalars(select(Organisation).where(Organisation.name == name)).one()


def _pair(session: Any, unit: Organisation) -> tuple[EvaluationRecord, EvaluationRecord]:
    """The unit's evaluation with the most indicators (to review) and another one (to edit)."""
    records = session.scalars(
        select(EvaluationRecord).where(EvaluationRecord.unit_id == unit.id).order_by(EvaluationRecord.id)
    ).all()
    main = max(records, key=lambda r: len(r.data.get("indicators", [])))
    other = next(r for r in records if r.id != main.id)
    return main, other


def _build(app: object, db: Any) -> World:
    finance = login(app, "caizheng")
    r = finance.post(
        "/tasks",
        data={
            "csrf_token": csrf_of(finance, "/tasks"),
            "name": "2024年度第三方评价",
            "year": "2024",
            "framework": "self-2020",
            "policy": "national-2020",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text[:300]
    task_id = int(r.headers["location"].rstrip("/").rsplit("/", 1)[1])
    with db.session() as session:
        unit_a, unit_b = _org(session, UNIT_A), _org(session, UNIT_B)
        firm = _org(session, EVALUATOR_ORG)
        other_firm = Organisation(name=OTHER_FIRM, kind=OrgKind.evaluator.value)
        session.add(other_firm)
        session.flush()
        create_user(
            session, "pingjia2", PASSWORD, Role.evaluator, display_name="另一机构评价员", org=other_firm
        )
        spare = create_user(session, "linshi", PASSWORD, Role.viewer, org=_org(session, BUREAU))
        a, a2 = _pair(session, unit_a)
        b, b2 = _pair(session, unit_b)
        a.task_id = a2.task_id = task_id
        b.task_id = b2.task_id = None
        a.status = b.status = "submitted"
        a2.status = b2.status = "draft"
        uploads = [
            Upload(
                evaluation_id=r.id,
                filename=f"佐证-{r.id}.pdf",
                content_type="application/pdf",
                size=13,
                content=b"%PDF-1.4 test",
            )
            for r in (a, b)
        ]
        surveys = [
            SurveyRecord(
                evaluation_id=r.id, title="满意度调查", token=f"matrix-{r.id}", questions=["总体"], weights={}
            )
            for r in (a2, b2)
        ]
        session.add_all([*uploads, *surveys])
        session.flush()
        world = World(
            task_id,
            a.id,
            a2.id,
            b.id,
            b2.id,
            uploads[0].id,
            uploads[1].id,
            surveys[0].id,
            surveys[1].id,
            unit_a.id,
            firm.id,
            other_firm.id,
            spare.id,
        )
    r = finance.post(
        f"/tasks/{task_id}/evaluators",
        data={"csrf_token": csrf_of(finance, f"/tasks/{task_id}"), "org_id": str(world.firm)},
        follow_redirects=False,
    )
    assert r.status_code in (200, 303), (r.status_code, r.text[:300])
    _declarations(db, world)
    return world


def _declarations(db: Any, world: World) -> None:
    """A round with two declarations of unit A and two of a unit under another department."""
    from jixiao.store import declarations
    from jixiao.store.queries import Actor

    with db.session() as session:
        finance = Actor.of(session.scalars(select(User).where(User.username == "caizheng")).one())
        admin = Actor.of(session.scalars(select(User).where(User.username == "admin")).one())
        other_department = Organisation(name="另一主管部门", kind=OrgKind.department.value)
        session.add(other_department)
        session.flush()
        other_unit = Organisation(name="另一实施单位", kind=OrgKind.unit.value, parent_id=other_department.id)
        session.add(other_unit)
        session.flush()
        round_ = declarations.create_round(
            session, finance, name="2026年度绩效目标申报", year=2026, policy="national-2020", deadline=None
        )
        ids = []
        for unit, name, submit in (
            (world.unit_a, "申报甲", True),
            (world.unit_a, "申报乙", False),
            (other_unit.id, "申报丙", True),
            (other_unit.id, "申报丁", False),
        ):
            record = declarations.create_declaration(session, admin, round_, name, unit_id=unit)
            if submit:  # as if submitted (a blank declaration has errors the unit would fix first)
                record.status = "submitted"
            ids.append(record.id)
        world.round = round_.id
        world.unit_x = other_unit.id
        world.da, world.da2, world.dx, world.dx2 = ids
    _monitoring(db, world)


def _monitoring(db: Any, world: World) -> None:
    """A monitoring round with a submitted and a draft report of unit A and of the other unit, and a
    rectification item of each."""
    from jixiao.api import RectificationItem
    from jixiao.store import monitoring, rectification
    from jixiao.store.models import MonitoringRecord, MonitoringRound

    with db.session() as session:
        round_ = MonitoringRound(name="2026年1—6月运行监控", year=2026, cutoff_month=6, policy="national")
        session.add(round_)
        session.flush()
        ids = []
        for declared, status in (
            (world.da, "submitted"),
            (world.da2, "draft"),
            (world.dx, "submitted"),
            (world.dx2, "draft"),
        ):
            d = session.get(DeclarationRecord, declared)
            report = MonitoringRecord(
                round_id=round_.id,
                declaration_id=d.id,
                unit_id=d.unit_id,
                department_id=d.department_id,
                year=2026,
                cutoff_month=6,
                project_name=d.project_name,
                unit_name=d.unit_name,
                status=status,
                light="red" if status == "submitted" else None,
                n_findings=0,
                data=monitoring.to_data(monitoring.from_declaration(declarations_load(d), 6)),
            )
            session.add(report)
            session.flush()
            ids.append(report.id)
        world.mround = round_.id
        world.ma, world.ma2, world.mx, world.mx2 = ids
        items = []
        for declared in (world.da, world.dx):
            d = session.get(DeclarationRecord, declared)
            (record,) = rectification.add_items(
                session,
                None,
                [
                    RectificationItem(
                        project=d.project_name, year=2026, problem="资金拨付滞后", origin="monitoring"
                    )
                ],
                unit_id=d.unit_id,
                department_id=d.department_id,
                unit_name=d.unit_name,
            )
            items.append(record.id)
        world.ia, world.ix = items


def declarations_load(record: DeclarationRecord) -> Any:
    from jixiao.store import declarations

    return declarations.load(record)


@dataclass(frozen=True)
class Route:
    """A request of the matrix and the status an allowed identity gets."""

    method: str
    url: str
    allowed: tuple[int, ...] = (200,)
    data: dict[str, str] | None = None
    files: dict[str, tuple[str, bytes, str]] | None = None
    versioned: int | None = None  # evaluation whose current version the form carries
    declared: int | None = None  # declaration whose current version the form carries
    monitored: int | None = None  # monitoring report whose current version the form carries
    rectified: int | None = None  # rectification item whose current version the form carries


def _routes(w: World) -> dict[str, Route]:
    exe = {"file": ("tool.exe", b"MZ", "application/octet-stream")}
    return {
        "evaluations": Route("GET", "/evaluations"),
        "eval_a": Route("GET", f"/evaluations/{w.a}"),
        "eval_b": Route("GET", f"/evaluations/{w.b}"),
        "doc_a": Route("GET", f"/evaluations/{w.a}/download/self-table.docx"),
        "doc_b": Route("GET", f"/evaluations/{w.b}/download/self-table.docx"),
        "upload_a": Route("GET", f"/uploads/{w.upload_a}"),
        "upload_b": Route("GET", f"/uploads/{w.upload_b}"),
        "review_list": Route("GET", "/review"),
        "review_a": Route("GET", f"/review/{w.a}"),
        "review_b": Route("GET", f"/review/{w.b}"),
        "surveys": Route("GET", "/surveys"),
        "survey_a": Route("GET", f"/surveys/{w.survey_a2}"),
        "survey_b": Route("GET", f"/surveys/{w.survey_b2}"),
        "qr_a": Route("GET", f"/surveys/{w.survey_a2}/qr.png"),
        "qr_b": Route("GET", f"/surveys/{w.survey_b2}/qr.png"),
        "codes_a": Route("GET", f"/surveys/{w.survey_a2}/codes.csv"),
        "codes_b": Route("GET", f"/surveys/{w.survey_b2}/codes.csv"),
        "dashboard": Route("GET", "/dashboard"),
        "dashboard_xlsx": Route("GET", "/dashboard.xlsx"),
        "audit": Route("GET", "/audit"),
        "audit_a": Route("GET", f"/audit?evaluation={w.a}"),
        "admin": Route("GET", "/admin"),
        "tasks": Route("GET", "/tasks"),
        "task": Route("GET", f"/tasks/{w.task}"),
        "preview_a": Route("POST", f"/evaluations/{w.a}/preview", data={"project_name": "预览"}),
        "preview_b": Route("POST", f"/evaluations/{w.b}/preview", data={"project_name": "预览"}),
        # an empty project name: 422 once the user may edit, and nothing saved
        "save_a2": Route(
            "POST", f"/evaluations/{w.a2}", (422,), {"project_name": "", "action": "save"}, versioned=w.a2
        ),
        "save_b2": Route(
            "POST", f"/evaluations/{w.b2}", (422,), {"project_name": "", "action": "save"}, versioned=w.b2
        ),
        "evidence_a2": Route("POST", f"/evaluations/{w.a2}/evidence", (400,), files=exe),
        "evidence_b2": Route("POST", f"/evaluations/{w.b2}/evidence", (400,), files=exe),
        "import_a2": Route("POST", f"/evaluations/{w.a2}/import", (400,), {}),
        "import_b2": Route("POST", f"/evaluations/{w.b2}/import", (400,), {}),
        "scores_a": Route(
            "POST",
            f"/review/{w.a}/scores",
            (400,),
            {"reviewed-0": "不是数字", "reason-0": "x"},
            versioned=w.a,
        ),
        "decision_a": Route(
            "POST", f"/review/{w.a}/decision", (400,), {"action": "return", "comment": ""}, versioned=w.a
        ),
        "decision_b": Route(
            "POST", f"/review/{w.b}/decision", (400,), {"action": "return", "comment": ""}, versioned=w.b
        ),
        "survey_new_a2": Route("POST", "/surveys", (303,), {"evaluation_id": str(w.a2), "questions": "总体"}),
        "survey_new_b2": Route("POST", "/surveys", (303,), {"evaluation_id": str(w.b2), "questions": "总体"}),
        # no answers yet: 400 once the user may apply it
        "survey_apply_a2": Route("POST", f"/surveys/{w.survey_a2}/apply", (400,), {}),
        "survey_apply_b2": Route("POST", f"/surveys/{w.survey_b2}/apply", (400,), {}),
        "task_new": Route(
            "POST", "/tasks", (303,), {"name": "新任务", "year": "2024", "framework": "self-2020"}
        ),
        # the same firm again: allowed, and the assignment stays as it was
        "task_evaluators": Route("POST", f"/tasks/{w.task}/evaluators", (200, 303), {"org_id": str(w.firm)}),
        "task_assign": Route(
            "POST", f"/tasks/{w.task}/assign", (422,), {"unit_id": str(w.unit_a), "project_name": ""}
        ),
        "admin_org": Route("POST", "/admin/orgs", (422,), {"name": "", "kind": "unit"}),
        "admin_user": Route("POST", "/admin/users", (422,), {"username": "x y", "role": "viewer"}),
        "admin_password": Route("POST", f"/admin/users/{w.spare_user}/password", (200,), {}),
        "admin_active": Route("POST", f"/admin/users/{w.spare_user}/active", (200,), {"active": "1"}),
        "decls": Route("GET", "/declarations"),
        "decl_round": Route("GET", f"/declarations/rounds/{w.round}"),
        "decl_a": Route("GET", f"/declarations/{w.da}"),
        "decl_x": Route("GET", f"/declarations/{w.dx}"),
        # the documents: 200 once the renderer is there, else a Chinese 400 — to those who may see it
        "decl_doc_a": Route("GET", f"/declarations/{w.da}/download/declaration.docx", (200, 400)),
        "decl_doc_x": Route("GET", f"/declarations/{w.dx}/download/declaration.docx", (200, 400)),
        "round_new": Route("POST", "/declarations/rounds", (422,), {"name": "", "year": "2026"}),
        # an empty project name (an admin names no unit): 400 once the user may declare
        "decl_new": Route("POST", f"/declarations/rounds/{w.round}/new", (400,), {"project_name": ""}),
        "decl_import": Route("POST", f"/declarations/rounds/{w.round}/import", (400,), {}),
        "decl_save_a2": Route(
            "POST", f"/declarations/{w.da2}", (422,), {"project_name": "", "action": "save"}, declared=w.da2
        ),
        "decl_save_x2": Route(
            "POST", f"/declarations/{w.dx2}", (422,), {"project_name": "", "action": "save"}, declared=w.dx2
        ),
        # returning without saying what to complete: 400 at the reviewer's stage
        "decl_decide_a": Route(
            "POST", f"/declarations/{w.da}/decision", (400,), {"action": "return"}, declared=w.da
        ),
        "decl_decide_x": Route(
            "POST", f"/declarations/{w.dx}/decision", (400,), {"action": "return"}, declared=w.dx
        ),
        # no approved declaration of the task's year waits: 400 once the user may assign
        "task_assign_declared": Route("POST", f"/tasks/{w.task}/assign-declared", (400,), {}),
        # a reason is required: 400 once the user may reopen (before the status is looked at)
        "decl_reopen": Route("POST", f"/declarations/{w.da}/reopen", (400,), {"reason": ""}, declared=w.da),
        "decl_start": Route("POST", f"/declarations/{w.da}/evaluation", (400,), {"task_id": "不是编号"}),
        "monitoring": Route("GET", "/monitoring"),
        "mon_board": Route("GET", f"/monitoring/rounds/{w.mround}"),
        "mon_board_csv": Route("GET", f"/monitoring/rounds/{w.mround}/export?fmt=csv"),
        "mon_a": Route("GET", f"/monitoring/{w.ma}"),
        "mon_x": Route("GET", f"/monitoring/{w.mx}"),
        "mon_round_new": Route("POST", "/monitoring/rounds", (422,), {"name": "", "year": "2026"}),
        # a figure that is not a number: 422 once the user may fill the report, and nothing saved
        "mon_save_a2": Route("POST", f"/monitoring/{w.ma2}", (422,), {"spent": "二十"}, monitored=w.ma2),
        "mon_save_x2": Route("POST", f"/monitoring/{w.mx2}", (422,), {"spent": "二十"}, monitored=w.mx2),
        # no file: 400 once the user may import into the report
        "mon_import_a2": Route("POST", f"/monitoring/{w.ma2}/import", (400,), {}, monitored=w.ma2),
        "mon_doc_a": Route("GET", f"/monitoring/{w.ma}/download/xlsx"),
        # an unknown decision: 422 once the user may decide
        "mon_decide_a": Route(
            "POST", f"/monitoring/{w.ma}/decision", (422,), {"decision": "x"}, monitored=w.ma
        ),
        "mon_decide_x": Route(
            "POST", f"/monitoring/{w.mx}/decision", (422,), {"decision": "x"}, monitored=w.mx
        ),
        "ledger": Route("GET", "/rectification"),
        "ledger_xlsx": Route("GET", "/rectification/export?fmt=xlsx"),
        "item_a": Route("GET", f"/rectification/{w.ia}"),
        "item_x": Route("GET", f"/rectification/{w.ix}"),
        # an unknown status: 400 once the user may update the item
        "item_update_a": Route("POST", f"/rectification/{w.ia}", (400,), {"to": "x"}, rectified=w.ia),
        "item_update_x": Route("POST", f"/rectification/{w.ix}", (400,), {"to": "x"}, rectified=w.ix),
        # not yet 已整改待确认: 422 once the user may confirm
        "item_confirm_a": Route(
            "POST", f"/rectification/{w.ia}/confirm", (422,), {"decision": "confirm"}, rectified=w.ia
        ),
        # no unit chosen: 400 once the user may import
        "audit_import": Route("POST", "/rectification/import", (400,), {}),
        # evaluation A is not reviewed: 400 once the user may put its problems on the ledger
        "items_from_eval": Route("POST", f"/rectification/from-evaluation/{w.a}", (400,), {}),
        "results": Route("GET", "/results?year=2026"),
        "thread_a": Route("GET", f"/thread?unit_id={w.unit_a}&year=2026&project=申报甲"),
        "thread_x": Route("GET", f"/thread?unit_id={w.unit_x}&year=2026&project=申报丙"),
    }


def _expected() -> dict[tuple[str, str], str]:
    lines = [line.split() for line in MATRIX.strip().splitlines()]
    header, rows = lines[0], lines[1:]
    assert tuple(header[1:]) == IDENTITIES
    return {(row[0], who): cell for row in rows for who, cell in zip(header[1:], row[1:], strict=True)}


def _version(db: Any, evaluation_id: int) -> str:
    with db.session() as session:
        return str(session.get(EvaluationRecord, evaluation_id).version)


def _declared_version(db: Any, declaration_id: int) -> str:
    with db.session() as session:
        return str(session.get(DeclarationRecord, declaration_id).version)


def _row_version(db: Any, model: str, row_id: int) -> str:
    from jixiao.store import models

    with db.session() as session:
        return str(session.get(getattr(models, model), row_id).version)


def _client(app: object, who: str) -> TestClient:
    if who == "anon":
        return TestClient(app)  # type: ignore[arg-type]
    return login(app, who)


def _verdict(cell: str, route: Route, r: Any) -> str | None:
    """Why the response does not match the cell (None when it does)."""
    code = r.status_code
    if cell == "L":
        location = r.headers.get("location", "")
        return None if code in (302, 303) and location.startswith("/login") else f"{code} {location}"
    if cell == "ok":
        return None if code in route.allowed else f"{code}, expected {route.allowed}"
    if cell == "no":
        return None if code in (403, 404) else f"{code}, expected 403/404"
    if cell == "404":
        return None if code == 404 else f"{code}, expected 404"
    raise AssertionError(f"unknown cell {cell!r}")


def test_authorisation_matrix(app: object, db: Any) -> None:
    world = _build(app, db)
    routes = _routes(world)
    expected = _expected()
    assert {name for name, _ in expected} == set(routes), "MATRIX and _routes() must list the same routes"
    wrong = []
    for who in IDENTITIES:
        client = _client(app, who)
        token = csrf_of(client, "/login")
        for name, route in routes.items():
            if route.method == "GET":
                r = client.get(route.url, follow_redirects=False)
            else:
                data = {**(route.data or {}), "csrf_token": token}
                if route.versioned is not None:
                    data["version"] = _version(db, route.versioned)
                if route.declared is not None:
                    data["version"] = _declared_version(db, route.declared)
                if route.monitored is not None:
                    data["version"] = _row_version(db, "MonitoringRecord", route.monitored)
                if route.rectified is not None:
                    data["version"] = _row_version(db, "RectificationRecord", route.rectified)
                r = client.post(route.url, data=data, files=route.files, follow_redirects=False)
            problem = _verdict(expected[name, who], route, r)
            if problem:
                wrong.append(f"{name:16} {who:9} {route.method} {route.url}: {problem}")
    assert not wrong, f"{len(wrong)} cell(s) differ:\n" + "\n".join(wrong)
    with db.session() as session:  # the allowed forms changed nothing they should not
        assert session.get(EvaluationRecord, world.a).status == "submitted"
        assert session.get(EvaluationRecord, world.a2).project_name
        assert session.get(DeclarationRecord, world.da).status == "submitted"
        assert session.get(DeclarationRecord, world.da2).project_name == "申报乙"
        assert {
            t.org_id
            for t in session.scalars(select(TaskEvaluator).where(TaskEvaluator.task_id == world.task))
        } == {world.firm}


def _links(html: str, prefix: str) -> set[int]:
    return {int(x) for x in re.findall(rf'href="{prefix}(\d+)"', html)}


def test_evaluator_lists_show_only_assigned_tasks(app: object, db: Any) -> None:
    w = _build(app, db)
    pingjia, other = login(app, "pingjia"), login(app, "pingjia2")
    listed = _links(pingjia.get("/evaluations").text, "/evaluations/")
    assert {w.a, w.a2} <= listed and not {w.b, w.b2} & listed, listed
    assert not _links(other.get("/evaluations").text, "/evaluations/") & {w.a, w.a2, w.b, w.b2}
    page = pingjia.get("/surveys").text
    assert w.survey_a2 in _links(page, "/surveys/") and w.survey_b2 not in _links(page, "/surveys/")
    options = {int(x) for x in re.findall(r'<option value="(\d+)"', page)}
    assert w.a2 in options and not {w.b, w.b2} & options, options
    other_page = other.get("/surveys").text
    assert not _links(other_page, "/surveys/") & {w.survey_a2, w.survey_b2}
    assert not {int(x) for x in re.findall(r'<option value="(\d+)"', other_page)} & {w.a, w.a2, w.b, w.b2}


def _assign(app: object, task: int, org_ids: list[int]) -> Any:
    finance = login(app, "caizheng")
    return finance.post(
        f"/tasks/{task}/evaluators",
        data={"csrf_token": csrf_of(finance, f"/tasks/{task}"), "org_id": [str(i) for i in org_ids]},
        follow_redirects=False,
    )


def _sees(client: TestClient, evaluation_id: int) -> bool:
    code = client.get(f"/evaluations/{evaluation_id}").status_code
    assert code in (200, 404), code
    return code == 200


def test_assignment_replaces_the_tasks_firms(app: object, db: Any) -> None:
    w = _build(app, db)
    pingjia, other = login(app, "pingjia"), login(app, "pingjia2")
    assert _sees(pingjia, w.a) and not _sees(other, w.a)
    assert _assign(app, w.task, [w.other_firm]).status_code in (200, 303)
    assert not _sees(pingjia, w.a) and _sees(other, w.a)
    assert not _sees(other, w.b)  # an unassigned task's evaluation stays hidden
    assert _assign(app, w.task, [w.firm, w.other_firm]).status_code in (200, 303)
    assert _sees(pingjia, w.a2) and _sees(other, w.a2)
    assert _assign(app, w.task, []).status_code in (200, 303)
    assert not _sees(pingjia, w.a) and not _sees(other, w.a)
    with db.session() as session:
        assert not session.scalars(select(TaskEvaluator).where(TaskEvaluator.task_id == w.task)).all()
    # only third-party firms can be assigned: a unit or a missing organisation is refused, nothing changes
    assert _assign(app, w.task, [w.firm]).status_code in (200, 303)
    for org_id in (w.unit_a, 99999):
        r = _assign(app, w.task, [w.other_firm, org_id])
        assert r.status_code == 400, (org_id, r.status_code)
    with db.session() as session:
        assigned = session.scalars(select(TaskEvaluator.org_id).where(TaskEvaluator.task_id == w.task)).all()
    assert set(assigned) == {w.firm}
