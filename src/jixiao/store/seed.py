"""Demo data: the example evaluations, the organisations behind them and one account per role."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jixiao import api
from jixiao.store.accounts import create_user, new_password
from jixiao.store.models import (
    EvaluationRecord,
    Organisation,
    OrgKind,
    Role,
    Status,
    Task,
    TaskEvaluator,
    User,
)
from jixiao.store.service import add_evaluation, org_by_name

BUREAU = "示范市财政局"
DEPARTMENT = "示范市人力资源和社会保障局"
UNIT_A = "示范市社会保险事业管理中心"
UNIT_B = "示范市养老保险经办中心"
EVALUATOR_ORG = "示范绩效评价咨询有限公司"
DEMO_TASK = "示例项目支出绩效评价（演示）"

DEMO_ACCOUNTS = (
    ("admin", Role.admin, "系统管理员", BUREAU),
    ("caizheng", Role.finance, "财政局绩效科", BUREAU),
    ("danwei", Role.unit, "社保中心填报员", UNIT_A),
    ("danwei2", Role.unit, "养老经办中心填报员", UNIT_B),
    ("pingjia", Role.evaluator, "第三方评价员", EVALUATOR_ORG),
    ("chakan", Role.viewer, "只读用户", BUREAU),
    ("bumen", Role.department, "人社局绩效审核员", DEPARTMENT),
)


@dataclass(frozen=True)
class DemoLogin:
    """A demo account and its freshly generated password."""

    username: str
    password: str
    role: str
    display_name: str


def organisations(session: Session) -> dict[str, Organisation]:
    """The demo organisation tree 财政局 → 主管部门 → 实施单位 (+ an evaluation firm)."""
    bureau = org_by_name(session, BUREAU, OrgKind.bureau)
    department = org_by_name(session, DEPARTMENT, OrgKind.department, bureau)
    return {
        BUREAU: bureau,
        DEPARTMENT: department,
        UNIT_A: org_by_name(session, UNIT_A, OrgKind.unit, department),
        UNIT_B: org_by_name(session, UNIT_B, OrgKind.unit, department),
        EVALUATOR_ORG: org_by_name(session, EVALUATOR_ORG, OrgKind.evaluator),
    }


def seed_demo(session: Session, passwords: dict[str, str] | None = None) -> list[DemoLogin]:
    """Create the demo accounts (new random passwords) and load the examples once; returns the logins."""
    orgs = organisations(session)
    logins: list[DemoLogin] = []
    for username, role, display, org_name in DEMO_ACCOUNTS:
        password = (passwords or {}).get(username) or new_password()
        from jixiao.store.accounts import hash_password

        user = session.scalars(select(User).where(User.username == username)).first()
        if user is None:
            create_user(session, username, password, role, display_name=display, org=orgs[org_name])
        else:
            user.password_hash = hash_password(password)
        logins.append(DemoLogin(username, password, role.value, display))
    if not session.scalar(select(func.count()).select_from(EvaluationRecord)):
        # The examples belong to one demo task, assigned to the demo evaluation firm, so its
        # evaluator sees them (a firm sees only the tasks it is assigned to).
        task = Task(name=DEMO_TASK, year=2022, framework="self-2020", policy="national-2020")
        session.add(task)
        session.flush()
        session.add(TaskEvaluator(task_id=task.id, org_id=orgs[EVALUATOR_ORG].id))
        for i, path in enumerate(api.example_files()):
            loaded = api.load(path)
            if loaded.evaluation is None:
                continue
            unit = orgs[UNIT_A] if i % 2 == 0 else orgs[UNIT_B]
            add_evaluation(
                session,
                None,
                loaded.evaluation,
                unit=unit,
                department=orgs[DEPARTMENT],
                task=task,
                status=Status.submitted,
            )
    return logins
