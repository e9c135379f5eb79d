"""Mutation benchmark of the audit: realistic errors planted in the examples and in real documents.

`python -m benchmarks mutants` plants one error at a time (benchmarks/mutants.py: 16 kinds) in
every example (examples/*.yaml) and in every evaluation read from the development half of the
real corpus (tests/corpus/real/, documents found by SHA-256 in the corpus roots), and reports per
kind how many mutants the audit (`jixiao check`) detects, and with the expected severity. It also
reports what the audit says of the unmutated files: errors on real documents whose truth file
records no contradiction ought to be none. The table is written into docs/checks.md.
"""

from __future__ import annotations

import sys
from pathlib import Path

from benchmarks.common import machine, write_between
from benchmarks.fidelity import index_documents, load_split, load_truths
from benchmarks.mutants import KINDS, Base, Tally, base, measure
from jixiao import api
from jixiao.findings import Severity

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
CHECKS_DOC = ROOT / "docs" / "checks.md"
PER_KIND = {"examples": 100, "real": 100}


def example_bases() -> list[Base]:
    """Every example, as data, audited once."""
    out = []
    for path in sorted(EXAMPLES.glob("*.yaml")):
        loaded = api.load(path)
        if loaded.evaluation is not None:
            out.append(base(path.stem, api.to_data(loaded.evaluation)))
    return out


def real_bases() -> tuple[list[Base], set[str]]:
    """Every evaluation read from a development-half original document found in the corpus roots,
    and the labels of those whose truth file records no contradiction (checked clean)."""
    truths, split, index = load_truths(), load_split(), index_documents()
    out: list[Base] = []
    clean: set[str] = set()
    for sha in sorted({t.sha for t in truths if split.get(t.sha) == "dev" and t.sha in index}):
        of_doc = [t for t in truths if t.sha == sha]
        for i, loaded in enumerate(api.load_all(index[sha])):
            if loaded.evaluation is None:
                continue
            label = f"{of_doc[0].id}:{loaded.part or i}"
            out.append(base(label, api.to_data(loaded.evaluation)))
            truth = next((t for t in of_doc if t.part in (None, loaded.part)), None)
            if truth is not None and truth.contradictions == []:
                clean.add(label)
    return out, clean


def _rate(right: int, tried: int) -> str:
    return f"{right / tried:.1%}" if tried else "—"


def table(tallies: dict[str, Tally]) -> str:
    """Detection per kind, one column group per set of bases."""
    head = "| 变异 | 说明 |" + "".join(f" {g}：次数 | 检出 | 严重程度正确 |" for g in tallies)
    rule = "| --- | --- |" + " --- | --- | --- |" * len(tallies)
    rows = [head, rule]
    for kind in KINDS:
        cells = "".join(
            f" {t.tried.get(kind.name, 0)} | {t.detected.get(kind.name, 0)} | "
            f"{_rate(t.right.get(kind.name, 0), t.tried.get(kind.name, 0))} |"
            for t in tallies.values()
        )
        rows.append(f"| {kind.name} | {kind.chinese} |{cells}")
    totals = "".join(
        f" {sum(t.tried.values())} | {sum(t.detected.values())} | "
        f"{_rate(sum(t.right.values()), sum(t.tried.values()))} |"
        for t in tallies.values()
    )
    rows.append(f"| 合计 | |{totals}")
    return "\n".join(rows)


def unmutated(bases: list[Base], clean: set[str]) -> str:
    """What the audit says of the unmutated files."""

    def errors(b: Base) -> int:
        return sum(1 for f in b.findings if f.severity is Severity.error)

    clean_bases = [b for b in bases if b.label in clean]
    flagged = [b.label for b in clean_bases if errors(b)]
    return (
        f"未变异的真实文档：{len(bases)} 份评价，其中真值文件记为无矛盾的 {len(clean_bases)} 份，"
        f"报出错误的 {len(flagged)} 份{('（' + '、'.join(flagged[:10]) + '）') if flagged else ''}。"
    )


def report(tallies: dict[str, Tally], real: list[Base], clean: set[str], examples: list[Base]) -> str:
    """The section written into docs/checks.md."""
    lines = [
        f"实测：{machine()}，命令 `python -m benchmarks mutants`。"
        f"底本：{len(examples)} 份示例（examples/）与真实语料开发集中读出的 {len(real)} 份评价；"
        "每类变异在适用的底本上轮流生成，至多各 "
        f"{PER_KIND['examples']} / {PER_KIND['real']} 个。“检出”= 复核报出了预期的问题代码且未变异时没有这条；"
        "“严重程度正确”= 报出的那条严重程度也符合预期（错误类为 error，得分依据类为 warning）。",
        "",
        table(tallies),
        "",
        unmutated(real, clean),
    ]
    misses = {k: v for t in tallies.values() for k, v in t.misses.items()}
    if misses:
        lines += ["", "未检出或严重程度不符的变异（底本#序号）："]
        for name, labels in misses.items():
            lines.append(f"- {name}：{'、'.join(labels[:8])}{' 等' if len(labels) > 8 else ''}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    """Measure detection on the examples and on the real development half; write docs/checks.md."""
    args = sys.argv[1:] if argv is None else argv
    examples = example_bases()
    real, clean = real_bases()
    tallies = {"示例": measure(examples, PER_KIND["examples"])}
    if real:
        tallies["真实开发集"] = measure(real, PER_KIND["real"])
    body = report(tallies, real, clean, examples)
    print(body)
    if "--no-write" not in args:
        write_between(CHECKS_DOC, "mutants", body)


if __name__ == "__main__":
    main()
