"""Hostile input on every route: never a server error, never English exception text in the page.

The routes are read from the app itself (every ``APIRoute`` with its methods and path parameters);
the query parameters from each handler's signature and the form fields from its source (plus the
fields every form of the app reads).  Hypothesis then sends malformed values — unicode digits,
64-bit overflows, exponents, NaN, NUL bytes, 10k-character strings — as a logged-in administrator
(with a valid CSRF token, so each request reaches its handler) and as an anonymous visitor.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select

from jixiao.store.db import Database
from jixiao.store.models import (
    EvaluationRecord,
    LoginFailure,
    Organisation,
    SurveyRecord,
    Task,
    Upload,
    User,
)
from jixiao.store.seed import DEMO_ACCOUNTS, UNIT_A, UNIT_B, seed_demo
from jixiao.web import Settings, create_app
from tests.web.conftest import PASSWORD, csrf_of


class _Valid:
    """Placeholder for an existing id / the current version, resolved when the request is built."""

    def __repr__(self) -> str:
        return "VALID"


VALID = _Valid()

HOSTILE = (
    "²",
    "٣",
    "²٣",
    "１２",
    "-1",
    "0",
    "00",
    "99999999999999999999",
    "9223372036854775808",
    "18446744073709551616",
    "-9223372036854775809",
    "1e9",
    "1e999999",
    "-1e999999",
    "1E+308",
    "NaN",
    "nan",
    "Infinity",
    "-Infinity",
    "inf",
    "0x10",
    "1_000",
    "1.5",
    "١٢٣",
    "%00",
    "\x00",
    "1\x00",
    "",
    " ",
    "\t\n",
    "　",
    "x" * 10_000,
    "9" * 10_000,
    "评价",
    "示范市社会保险事业管理中心",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "../../etc/passwd",
    "{{7*7}}",
    "\u202e\u200b",
)
# what must never reach a user: Python / framework errors, pydantic's English validation messages
ENGLISH_ERRORS = re.compile(
    r"Traceback|Internal Server Error|Exception|Error\b|Input should|validation error|Field required"
    r"|\"detail\"|sqlalchemy|sqlite3|OverflowError|ValueError|InvalidOperation|TypeError|KeyError"
    r"|NoneType|object has no attribute|invalid literal",
)
CJK = re.compile(r"[\u4e00-\u9fff]")
# query parameters some handler reads (sent to every route: unknown ones must be harmless)
COMMON_QUERY = ("page", "year", "status", "q", "task", "department", "findings", "evaluation", "next")
# form fields the app's forms read (besides the ones grepped from each handler)
COMMON_FORM = (
    "version",
    "action",
    "evaluation_id",
    "unit_id",
    "org_id",
    "parent_id",
    "population",
    "weight-0",
    "weight-4",
    "year",
    "deadline",
    "name",
    "kind",
    "framework",
    "policy",
    "indicator_count",
    "import_id",
    "project_name",
    "project_department",
    "project_unit",
    "funds_budget",
    "funds_budget_adjusted",
    "funds_spent",
    "funds_execution_claimed",
    "ind-0-weight",
    "ind-0-claimed",
    "ind-0-target",
    "ind-0-actual",
    "ind-0-level1",
    "ind-199-weight",
    "reviewed-0",
    "reason-0",
    "reviewed-99999999999999999999",
    "comment",
    "active",
    "role",
    "username",
    "password",
    "questions",
    "title",
    "q-0",
    "next",
)
FILENAMES = ("x.pdf", "x.exe", "评价.yaml", ".pdf", "../../x.pdf", "a" * 400 + ".docx", "x.PDF", "x.json")
FILE_BODIES = (b"", b"%PDF-1.4 x", b"PK\x03\x04", b"\x00" * 64, b"kind: self\nyear: 1e999999\n", b"{}")
# never sent by the logged-in client: it would end the session every other example needs
SKIP_LOGGED_IN = {("POST", "/logout")}


@dataclass(frozen=True)
class RouteSpec:
    """One method of one route and the inputs its handler reads."""

    method: str
    path: str
    path_params: tuple[str, ...]
    query: tuple[str, ...]
    form: tuple[str, ...]
    uploads: bool


def _walk(routes: Iterable[Any], prefix: str = "") -> Iterator[tuple[str, APIRoute]]:
    """Every ``APIRoute`` with its full path (FastAPI may keep included routers nested)."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield prefix + route.path, route
        original = getattr(route, "original_router", None)
        if original is not None:
            context = getattr(route, "include_context", None)
            yield from _walk(original.routes, prefix + str(getattr(context, "prefix", "") or ""))


def _query_params(dependant: Any) -> set[str]:
    names = {str(getattr(p, "alias", None) or p.name) for p in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_params(sub)
    return names


_FORM_KEY = re.compile(r"""(?:\.get|\[)\(?\s*f?["']([A-Za-z_][\w\-{}]*)["']""")
_KEY_TUPLE = re.compile(r"""for \w+ in \(([^)]*)\)""")


def _form_fields(endpoint: Any) -> set[str]:
    """Form fields named in the handler's source: ``form.get("x")``, ``form["x"]``, key tuples."""
    try:
        source = inspect.getsource(endpoint)
    except (OSError, TypeError):
        return set()
    names = set(_FORM_KEY.findall(source))
    for group in _KEY_TUPLE.findall(source):
        names |= set(re.findall(r"""["']([\w\-]+)["']""", group))
    return {re.sub(r"\{[^}]*\}", "0", n) for n in names} - {"flash", "csrf", "user_id", "hx-request"}


def route_specs(app: Any) -> list[RouteSpec]:
    """Every route of the app with the inputs its handler reads."""
    specs = []
    for path, route in _walk(app.routes):
        params = tuple(re.findall(r"\{(\w+)(?::\w+)?\}", path))
        query = tuple(sorted(_query_params(route.dependant) - set(params)))
        form = tuple(sorted(_form_fields(route.endpoint)))
        try:
            uploads = "UploadFile" in inspect.getsource(route.endpoint)
        except (OSError, TypeError):
            uploads = False
        for method in sorted(route.methods or ()):
            if method in ("HEAD", "OPTIONS"):
                continue
            specs.append(RouteSpec(method, path, params, query, form, uploads))
    return specs


@dataclass
class Context:
    """Ids of existing records, for the ``VALID`` placeholder."""

    draft_id: int
    submitted_id: int
    upload_id: int
    survey_id: int
    survey_token: str
    task_id: int
    user_id: int  # a unit's account: resetting or disabling it leaves the admin's session alone
    org_id: int


def _context(db: Any) -> Context:
    with db.session() as session:
        org = session.scalars(select(Organisation).where(Organisation.name == UNIT_A)).one()
        other = session.scalars(select(Organisation).where(Organisation.name == UNIT_B)).one()

        def richest(unit: Organisation) -> EvaluationRecord:  # the most indicators: the most code to reach
            records = session.scalars(select(EvaluationRecord).where(EvaluationRecord.unit_id == unit.id))
            return max(records, key=lambda r: (len(r.data.get("indicators", [])), -r.id))

        draft, submitted = richest(org), richest(other)
        draft.status, submitted.status = "draft", "submitted"
        task = Task(name="模糊测试任务", year=2024, framework="self-2020", policy="national-2020")
        session.add(task)
        session.flush()
        draft.task_id = task.id
        upload = Upload(
            evaluation_id=draft.id,
            filename="佐证.pdf",
            content_type="application/pdf",
            size=10,
            content=b"%PDF-1.4 x",
        )
        survey = SurveyRecord(
            evaluation_id=submitted.id, title="满意度", token="fuzz-token", questions=["总体"], weights={}
        )
        session.add_all([upload, survey])
        session.flush()
        unit_user = session.scalars(select(User.id).where(User.username == "danwei")).one()
        return Context(draft.id, submitted.id, upload.id, survey.id, survey.token, task.id, unit_user, org.id)


def _path_value(ctx: Context, name: str, value: object, choice: int) -> str:
    if value is not VALID:
        return str(value)
    return str(
        {
            "evaluation_id": (ctx.draft_id, ctx.submitted_id)[choice % 2],
            "upload_id": ctx.upload_id,
            "survey_id": ctx.survey_id,
            "task_id": ctx.task_id,
            "user_id": ctx.user_id,
            "token": ctx.survey_token,
            "kind": ("self-table", "report")[choice % 2],
            "fmt": ("docx", "xlsx", "pdf")[choice % 3],
        }.get(name, 1)
    )


def _form_value(db: Any, ctx: Context, name: str, value: object, evaluation_id: int | None) -> str:
    if value is not VALID:
        return str(value)
    if name == "version":
        with db.session() as session:
            record = session.get(EvaluationRecord, evaluation_id or ctx.draft_id)
            return str(record.version if record else 1)
    return str(
        {
            "evaluation_id": ctx.draft_id,
            "unit_id": ctx.org_id,
            "org_id": ctx.org_id,
            "parent_id": ctx.org_id,
            "action": "save",
            "indicator_count": 7,
        }.get(name, 1)
    )


# Path values: no random digits (they could name the admin's own account and reset its password).
path_values = st.one_of(
    st.sampled_from(HOSTILE),
    st.just(VALID),
    st.text(st.characters(exclude_categories=("Cs", "Nd")), max_size=30),
)
values = st.one_of(
    st.sampled_from(HOSTILE),
    st.just(VALID),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.text(st.characters(exclude_categories=("Cs",)), max_size=40),
)


@dataclass
class Case:
    """One drawn request."""

    spec: RouteSpec
    path: dict[str, object]
    choice: int
    query: dict[str, object]
    form: list[tuple[str, object]]
    upload: tuple[str, bytes] | None
    htmx: bool


@st.composite
def cases(draw: st.DrawFn, specs: list[RouteSpec]) -> Case:
    """A route with hostile path, query and form values."""
    spec = draw(st.sampled_from(specs))
    if draw(st.booleans()):  # existing records, so the hostile query and form values reach the handler
        path: dict[str, object] = dict.fromkeys(spec.path_params, VALID)
    else:
        path = {name: draw(path_values) for name in spec.path_params}
    query_names = sorted(set(spec.query) | set(COMMON_QUERY))
    chosen = draw(st.lists(st.sampled_from(query_names), unique=True, max_size=4))
    if spec.query:
        chosen = sorted(set(chosen) | {draw(st.sampled_from(spec.query))})
    query = {name: draw(values) for name in chosen}
    form: list[tuple[str, object]] = []
    upload = None
    if spec.method == "POST":
        own = sorted(set(spec.form) | {"version"})
        names = draw(st.lists(st.sampled_from(own), unique=True, min_size=1, max_size=8))
        names += draw(st.lists(st.sampled_from(COMMON_FORM), unique=True, max_size=4))
        for name in dict.fromkeys(names):
            form.append((name, draw(values)))
            if draw(st.integers(0, 9)) == 0:  # the same field twice
                form.append((name, draw(values)))
        if spec.uploads and draw(st.booleans()):
            upload = (draw(st.sampled_from(FILENAMES)), draw(st.sampled_from(FILE_BODIES)))
    return Case(spec, path, draw(st.integers(0, 5)), query, form, upload, draw(st.booleans()))


def _send(client: TestClient, db: Any, ctx: Context, token: str, case: Case) -> Any:
    url = case.spec.path
    evaluation_id: int | None = None
    for name in case.spec.path_params:
        value = _path_value(ctx, name, case.path[name], case.choice)
        if name == "evaluation_id" and value.isascii() and value.isdigit() and len(value) < 10:
            evaluation_id = int(value)
        url = re.sub(r"\{" + name + r"(?::\w+)?\}", quote(value, safe=""), url)
    params = {k: _form_value(db, ctx, k, v, None) for k, v in case.query.items()}
    headers = {"HX-Request": "true"} if case.htmx else {}
    if case.spec.method == "GET":
        return client.get(url, params=params, headers=headers, follow_redirects=False)
    data: dict[str, list[str]] = {}
    for k, v in case.form:
        data.setdefault(k, []).append(_form_value(db, ctx, k, v, evaluation_id))
    data["csrf_token"] = [token]
    if case.upload is None:
        return client.request(
            case.spec.method, url, params=params, data=data, headers=headers, follow_redirects=False
        )
    # multipart: every field as a part, plus the file
    files: list[tuple[str, tuple[str | None, bytes] | tuple[str, bytes, str]]] = [
        (k, (None, v.encode())) for k, vs in data.items() for v in vs
    ]
    files.append(("file", (case.upload[0], case.upload[1], "application/octet-stream")))
    return client.request(
        case.spec.method, url, params=params, files=files, headers=headers, follow_redirects=False
    )


def _problem(response: Any) -> str | None:
    """What is wrong with a response to hostile input (None when it is a proper refusal or page)."""
    if response.status_code >= 500:
        return f"{response.status_code}"
    kind = response.headers.get("content-type", "")
    if not kind.startswith(("text/", "application/json")):
        return None
    text = response.text
    match = ENGLISH_ERRORS.search(text)
    if match:
        return f"{response.status_code} with English error text {match.group(0)!r}"
    if 400 <= response.status_code < 500 and not response.headers.get("hx-redirect") and not CJK.search(text):
        return f"{response.status_code} without a Chinese message"
    return None


def _short(value: object) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_short(v)}" for k, v in value.items()) + "}"
    text = repr(value)
    return text if len(text) <= 40 else f"{text[:30]}…({len(text)} chars)"


class Problems:
    """Distinct problems found (one example each), reported together after the run."""

    def __init__(self) -> None:
        self.found: dict[tuple[str, str, str], str] = {}

    def check(self, case: Case, response: Any) -> str | None:
        problem = _problem(response)
        if problem is not None:
            key = (case.spec.method, case.spec.path, problem.split(" ")[0] + problem.partition("text")[2])
            example = (
                f"path={_short(case.path)} query={_short(case.query)} form={_short(dict(case.form))} "
                f"upload={case.upload and _short(case.upload[0])} → {response.text[:200]!r}"
            )
            self.found.setdefault(key, f"{problem}: {example}")
        return problem

    def report(self) -> str:
        lines = [f"{m} {p}: {detail}" for (m, p, _), detail in sorted(self.found.items())]
        return f"{len(lines)} route(s) mishandle hostile input:\n" + "\n".join(lines)


def _login(app: Any, db: Any) -> tuple[TestClient, str]:
    with db.session() as session:  # the hostile attempts' failed logins must not lock out this one
        session.execute(delete(LoginFailure))
    client = TestClient(app, raise_server_exceptions=False)
    token = csrf_of(client)
    r = client.post(
        "/login",
        data={"username": "admin", "password": PASSWORD, "csrf_token": token},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text[:300]
    return client, csrf_of(client, "/evaluations")


def test_hostile_input_as_admin(app: Any, db: Any) -> None:
    ctx = _context(db)
    specs = [s for s in route_specs(app) if (s.method, s.path) not in SKIP_LOGGED_IN]
    assert len(specs) >= 20, [s.path for s in specs]
    problems = Problems()
    state: dict[str, Any] = {}
    state["client"], state["token"] = _login(app, db)

    @settings(
        max_examples=400,
        deadline=None,
        database=None,
        derandomize=True,  # the same examples every run: a failure list the lead can work through
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(case=cases(specs))
    def run(case: Case) -> None:
        response = _send(state["client"], db, ctx, state["token"], case)
        problems.check(case, response)
        # a hostile value may legitimately end the session (e.g. an admin action): log in again
        location = response.headers.get("location", "")
        if response.status_code == 401 or location.startswith("/login"):
            state["client"], state["token"] = _login(app, db)

    run()
    assert not problems.found, problems.report()


def test_hostile_input_anonymous(app: Any, db: Any) -> None:
    ctx = _context(db)
    specs = route_specs(app)
    client = TestClient(app, raise_server_exceptions=False)
    token = csrf_of(client)
    app.state.jixiao.survey_throttle.limit = 10**6  # reach the public survey handler every time
    problems = Problems()
    leaks: list[str] = []

    @settings(
        max_examples=150,
        deadline=None,
        database=None,
        derandomize=True,  # the same examples every run: a failure list the lead can work through
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(case=cases(specs))
    def run(case: Case) -> None:
        response = _send(client, db, ctx, token, case)
        if problems.check(case, response) is None and response.status_code < 400:
            # /healthz answers 正常 to anyone (a monitor's check) and shows nothing of the data
            public = case.spec.path.startswith(("/s/", "/login", "/static", "/healthz"))
            location = response.headers.get("location", "")
            if not public and not location.startswith("/login"):  # only the login page, nothing behind it
                leaks.append(f"{case.spec.method} {case.spec.path} → {response.status_code} {location}")

    run()
    assert not problems.found, problems.report()
    assert not leaks, leaks[:10]


# ---- examples: each malformed value is a 400 (404 for an id that cannot exist), in Chinese


def _message(response: Any) -> str:
    """The error message shown: the page's alert, or a plain-text body."""
    match = re.search(r'role="alert"[^>]*>(.*?)</div>', response.text, re.S)
    if match:
        return match.group(1)
    return response.text if response.headers.get("content-type", "").startswith("text/plain") else ""


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, Any, Context]]:
    """One seeded app for the example tests below (none of them may change anything)."""
    tmp = tmp_path_factory.mktemp("input-examples")
    db = Database(f"sqlite:///{tmp / 'test.db'}")
    app = create_app(Settings(data_dir=tmp, secret_key="test-secret"), db)
    with db.session() as session:
        seed_demo(session, {username: PASSWORD for username, *_ in DEMO_ACCOUNTS})
    yield app, db, _context(db)
    db.dispose()


def _refused_in_chinese(response: Any, codes: tuple[int, ...], what: object) -> None:
    assert response.status_code in codes, (
        what,
        response.status_code,
        _message(response) or response.text[:300],
    )
    assert CJK.search(_message(response)), (what, response.text[:500])
    assert not ENGLISH_ERRORS.search(response.text), (what, response.text[:300])


def test_malformed_page_number_shows_the_first_page(shared: tuple[Any, Any, Context]) -> None:
    """A page number is a navigation hint: a malformed one shows page 1 (like a stale link), never a 500."""
    client = _login(shared[0], shared[1])[0]
    for url in ("/evaluations?page=²", "/review?page=²", "/evaluations?page=٣", "/review?page=1e9"):
        r = client.get(url)
        assert r.status_code == 200 and "第 1 /" in r.text, (url, r.status_code)


def test_id_that_cannot_exist_is_a_404(shared: tuple[Any, Any, Context]) -> None:
    client = _login(shared[0], shared[1])[0]
    for url in (
        "/evaluations/99999999999999999999",
        "/evaluations/9223372036854775808",
        "/review/99999999999999999999",
        "/uploads/99999999999999999999",
        "/evaluations/99999999999999999999/download/self-table.docx",
    ):
        _refused_in_chinese(client.get(url), (400, 404), url)


def test_malformed_id_in_the_path_is_a_400_in_chinese(shared: tuple[Any, Any, Context]) -> None:
    client = _login(shared[0], shared[1])[0]
    for value in ("²", "1e9", "-1", "0", "评价", "%00", "\x00"):
        _refused_in_chinese(client.get(f"/evaluations/{quote(value, safe='')}"), (400, 404), value)


def test_version_overflow_in_a_form_is_a_400(shared: tuple[Any, Any, Context]) -> None:
    app, db, ctx = shared
    client, token = _login(app, db)
    with db.session() as session:
        before = session.get(EvaluationRecord, ctx.draft_id).data
    for url, extra in (
        (f"/evaluations/{ctx.draft_id}", {"action": "save", "project_name": "溢出"}),
        (f"/review/{ctx.submitted_id}/scores", {"reviewed-0": "1", "reason-0": "理由"}),
        (f"/review/{ctx.submitted_id}/decision", {"action": "approve"}),
    ):
        for version in ("99999999999999999999", "9223372036854775808", "²", "1e9", "-1"):
            r = client.post(url, data={"csrf_token": token, "version": version, **extra})
            _refused_in_chinese(r, (400,), (url, version))
    with db.session() as session:
        assert session.get(EvaluationRecord, ctx.draft_id).data == before
        assert session.get(EvaluationRecord, ctx.submitted_id).status == "submitted"


def test_login_next_stays_on_this_site(shared: tuple[Any, Any, Context]) -> None:
    """The post-login redirect never leaves the site, as a browser would read the Location header."""
    from urllib.parse import urljoin, urlsplit

    app = shared[0]
    for target in ("//evil.example/", "/\\evil.example", "https://evil.example/", "/\t/evil.example"):
        client = TestClient(app)
        token = csrf_of(client)
        r = client.post(
            "/login",
            data={"username": "admin", "password": PASSWORD, "csrf_token": token, "next": target},
            follow_redirects=False,
        )
        assert r.status_code == 303
        location = r.headers["location"]
        # browsers drop tabs and newlines and read a backslash as a slash
        as_read = re.sub(r"[\t\r\n]", "", location).replace("\\", "/")
        assert urlsplit(urljoin("https://jixiao.example/", as_read)).netloc == "jixiao.example", (
            target,
            location,
        )
