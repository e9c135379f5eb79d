"""The shape of the package (docs/architecture.md): layers point one way, shells use the front door.

Imports are read from the source (every ``import`` statement, those inside functions too), so a
lazy import cannot hide an arrow that points the wrong way.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "jixiao"

# Lowest first; a unit may import its own layer's units only where the arrow below allows, and
# never a higher layer. A unit is a top-level module or subpackage of jixiao.
LAYERS: tuple[tuple[str, ...], ...] = (
    (
        "numbers",
        "model",
        "declaration",
        "monitoring",
        "rectification",
        "vocabulary",
        "places",
        "findings",
        "yamlio",
        "extends",
        "loader",
        "office",
    ),
    ("policies", "frameworks", "examples"),
    ("scoring",),
    ("serialize",),
    ("checks", "pension"),
    ("results",),
    ("ingest", "render"),
    ("api",),
    ("batch",),
    ("store",),
    ("web", "cli"),
)
SAME_LAYER = {
    ("pension", "checks"),
    ("cli", "web"),
}  # pension checks register as checks; serve starts the app
LAYER_OF = {unit: n for n, units in enumerate(LAYERS) for unit in units}
SHELLS = ("cli", "web")
SHELL_MAY_IMPORT = {"api", "batch", "store", "", "web"}  # "" is ``jixiao`` itself (its version)


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    """The jixiao modules ``path`` imports (``from jixiao import api`` is ``jixiao.api``)."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.split(".")[0] == "jixiao")
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            if module.split(".")[0] != "jixiao":
                continue
            if module == "jixiao":
                out.update(
                    f"jixiao.{a.name}"
                    if (PACKAGE / a.name).exists() or (PACKAGE / f"{a.name}.py").exists()
                    else "jixiao"
                    for a in node.names
                )
            else:
                out.add(module)
    return out


def _unit(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _graph() -> dict[str, set[str]]:
    return {_module_name(p): _imports(p) for p in sorted(PACKAGE.rglob("*.py"))}


GRAPH = _graph()


def test_every_unit_has_a_layer() -> None:
    units = {_unit(m) for m in GRAPH} - {""}
    assert units <= set(LAYER_OF), (
        f"units with no layer in docs/architecture.md: {sorted(units - set(LAYER_OF))}"
    )


def test_layers_point_one_way() -> None:
    wrong = []
    for module, imported in GRAPH.items():
        here = _unit(module)
        for target in imported:
            there = _unit(target)
            if not here or not there or here == there:
                continue
            above = LAYER_OF[there] > LAYER_OF[here]
            sideways = (
                LAYER_OF[there] == LAYER_OF[here] and LAYER_OF[here] > 0 and (here, there) not in SAME_LAYER
            )
            if above or sideways:
                wrong.append(f"{module} → {target}")
    assert not wrong, "imports against the layers:\n" + "\n".join(sorted(wrong))


@pytest.mark.parametrize("shell", SHELLS)
def test_shells_use_only_the_front_door(shell: str) -> None:
    reached = sorted(
        f"{module} → {target}"
        for module, imported in GRAPH.items()
        if _unit(module) == shell
        for target in imported
        if _unit(target) not in {shell, *SHELL_MAY_IMPORT}
    )
    assert not reached, f"jixiao.{shell} reaches past jixiao.api:\n" + "\n".join(reached)
    if shell == "web":  # the web app does not start the CLI, nor import itself through it
        assert not any(_unit(t) == "cli" for m, ts in GRAPH.items() if _unit(m) == "web" for t in ts)


def _cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """One cycle of the graph, or None."""
    state: dict[str, int] = defaultdict(int)  # 0 new, 1 on the path, 2 done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state[nxt] == 1:
                return [*path[path.index(nxt) :], nxt]
            if state[nxt] == 0 and (found := visit(nxt)):
                return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(edges):
        if state[node] == 0 and (found := visit(node)):
            return found
    return None


def test_no_import_cycle_between_units() -> None:
    edges: dict[str, set[str]] = defaultdict(set)
    for module, imported in GRAPH.items():
        for target in imported:
            if _unit(module) and _unit(target) and _unit(module) != _unit(target):
                edges[_unit(module)].add(_unit(target))
    assert _cycle(edges) is None, " → ".join(_cycle(edges) or [])


def test_cycle_finder_finds_a_cycle() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": {"c"}}) is None


def test_no_two_modules_share_a_name_that_means_a_door() -> None:
    doors = sorted(str(p.relative_to(SRC)) for p in PACKAGE.rglob("api.py"))
    assert doors == ["jixiao/api.py"]


BANNED_NAMES = {"ev", "num", "pts", "wt", "_p"}  # say what it is: evaluation, amount_text, score_text …


def _defined_names(path: Path) -> set[str]:
    """Names a module binds: functions, classes, arguments, assigned variables."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            out.add(node.name)
        elif isinstance(node, ast.arg):
            out.add(node.arg)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            out.add(node.id)
    return out


def test_names_explain_themselves() -> None:
    found = {
        str(p.relative_to(SRC)): sorted(_defined_names(p) & BANNED_NAMES)
        for p in sorted(PACKAGE.rglob("*.py"))
        if _defined_names(p) & BANNED_NAMES
    }
    assert not found, found


def test_renderers_compute_nothing() -> None:
    """render lays out (evaluation, score, findings): it may name the score's types, never score or audit."""
    reached = sorted(
        f"{module} → {target}"
        for module, imported in GRAPH.items()
        if _unit(module) == "render"
        for target in imported
        if _unit(target) in {"checks", "api", "policies"}
        or (_unit(target) == "scoring" and target != "jixiao.scoring.result")
    )
    assert not reached, reached


def test_every_rule_kind_is_scored() -> None:
    from jixiao.model import RULE_KINDS, RULE_TYPES
    from jixiao.scoring.rules import RULES

    assert set(RULES) == set(RULE_TYPES)
    assert all(kind and rule.title for kind, rule in RULE_KINDS.items())


def test_the_front_door_offers_at_run_time_what_it_declares() -> None:
    """``jixiao.api`` imports lazily: every name it declares (for the type checker, under
    TYPE_CHECKING) is in its run-time table and resolves to the same object."""
    import importlib

    from jixiao import api

    tree = ast.parse((PACKAGE / "api.py").read_text(encoding="utf-8"))
    guarded = next(n for n in tree.body if isinstance(n, ast.If) and "TYPE_CHECKING" in ast.unparse(n.test))
    declared: dict[str, tuple[str, str]] = {}
    for node in guarded.body:
        if isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                declared[alias.asname or alias.name] = (node.module, alias.name)
    assert declared == api._LAZY  # one list each way, kept equal
    for name in api.__all__:
        value = getattr(api, name)
        if name in declared:
            module, attr = declared[name]
            assert value is getattr(importlib.import_module(module), attr), name
