"""Reading fidelity on real published documents, development and held-out halves apart.

``python -m benchmarks fidelity`` (part of ``make bench``) reads every real-corpus document found in
the corpus roots (see ``benchmarks/fidelity.py``), compares what ``jixiao ingest`` fills with the
hand-checked truth files field by field, and audits each evaluation with ``jixiao check``:

- field precision and recall per half, per document kind, per format and per origin (original
  files apart from files rebuilt by us from real originals);
- of the documents with verified contradictions, the share the audit flags (error or warning);
- errors raised on documents checked clean.

Results go to docs/ingest.md (between the fidelity markers) and docs/performance.md.
``python -m benchmarks.bench_fidelity --details`` also prints, for the development half only, every
wrong and missed fact; held-out failures are never printed.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.common import machine, write_between, write_section  # noqa: E402
from benchmarks.fidelity import (  # noqa: E402
    REAL,
    Result,
    Tally,
    detected,
    extend_split,
    index_documents,
    load_truths,
    measure,
    rebuild,
    sources_table,
    with_rebuilt,
)

INGEST_DOC = ROOT / "docs" / "ingest.md"


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.1f}%"


def _rows(results: list[Result], key: Callable[[Result], str]) -> list[str]:
    groups: dict[str, list[Result]] = defaultdict(list)
    for r in results:
        groups[key(r)].append(r)
    out = []
    for name in sorted(groups):
        out.append(_row(name, groups[name]))
    return out


def _row(name: str, results: list[Result]) -> str:
    tally = Tally()
    for r in results:
        tally.add(r.tally)
    docs = {r.truth.sha for r in results}
    flawed = {r.truth.sha for r in results if r.truth.contradictions}
    flagged = {r.truth.sha for r in results if r.truth.contradictions and r.flagged}
    # stricter: a check of the recorded contradiction's own kind fired (not any warning at all)
    for_kind = {r.truth.sha for r in results if r.truth.contradictions and any(ok for _, ok in detected(r))}
    clean = [r for r in results if r.truth.contradictions == []]
    clean_errors = sum(1 for r in clean if r.errors)
    return (
        f"| {name} | {len(docs)} | {len(results)} | {tally.correct + tally.missed} | {tally.correct} "
        f"| {tally.wrong} | {tally.missed} | {_pct(tally.precision)} | {_pct(tally.recall)} "
        f"| {len(flagged)}/{len(flawed)} | {len(for_kind)}/{len(flawed)} | {clean_errors}/{len(clean)} |"
    )


HEADER = (
    "| group | documents | evaluations | facts printed | correct | wrong | missed | precision | recall "
    "| flawed flagged | flagged for their kind | clean with errors |\n"
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
)


def report(results: list[Result], missing: int, total: int) -> str:
    """The markdown tables: per half, then per kind, format and origin within each half."""
    parts = [
        f"Measured {machine()} by `python -m benchmarks fidelity`: {total} truth files, "
        f"{total - missing} with their document present in the corpus roots, {missing} missing. "
        "“Flawed flagged”: documents with verified contradictions on which the audit raised any error "
        "or warning; “flagged for their kind”: those on which a check of a recorded contradiction's "
        "own kind fired (the stricter figure).",
        "",
    ]
    halves = [("development", "dev"), ("held-out", "heldout")]
    parts += [HEADER, *(_row(f"**{label}**", [r for r in results if r.half == h]) for label, h in halves)]
    for label, h in halves:
        mine = [r for r in results if r.half == h]
        if not mine:
            continue
        parts += ["", f"{label.capitalize()} half, by kind, format and origin:", "", HEADER]
        parts += _rows(mine, lambda r: f"kind {r.truth.doc_kind}")
        parts += _rows(mine, lambda r: f"format {r.truth.format}")
        parts += _rows(mine, lambda r: f"origin {r.truth.origin}")
    for label, h in halves:
        counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for r in results:
            if r.half == h and r.truth.origin == "original":
                for kind, found in detected(r):
                    counts[kind][0] += found
                    counts[kind][1] += 1
        if counts:
            parts += [
                "",
                f"{label.capitalize()} half, original files: recorded contradictions reported by the check "
                "for their kind (detected / recorded): "
                + ", ".join(f"{k} {a}/{b}" for k, (a, b) in sorted(counts.items())),
            ]
    seconds = [r.seconds for r in results]
    if seconds:
        parts += [
            "",
            f"Reading time per evaluation: median {sorted(seconds)[len(seconds) // 2] * 1000:.0f} ms, "
            f"max {max(seconds) * 1000:.0f} ms.",
        ]
    return "\n".join(parts)


def details(results: list[Result]) -> str:
    """Every wrong and missed fact of the development half (never the held-out half)."""
    lines = []
    for r in results:
        if r.half != "dev":
            continue
        head = f"{r.truth.id} ({r.truth.doc_kind}, {r.truth.format}) P={_pct(r.tally.precision)} R={_pct(r.tally.recall)}"
        if r.truth.contradictions and not r.flagged:
            head += " — contradictions not flagged"
        if r.truth.contradictions == [] and r.errors:
            head += f" — errors on a clean document: {r.errors}"
        lines.append(head)
        lines += [f"    {d}" for d in r.tally.details]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    """Measure the real corpus and write the tables into docs/ingest.md and docs/performance.md."""
    args = sys.argv[1:] if argv is None else argv
    truths = load_truths()
    index = index_documents()
    split = extend_split(truths)
    missing = sum(1 for t in truths if t.sha not in index)
    if "--no-rebuilt" not in args:
        more, paths = with_rebuilt(truths, rebuild(index))
        truths, index = [*truths, *more], {**index, **paths}
    results = measure(truths, index, split)
    body = report(results, missing, len(load_truths()))
    print(body)
    if "--details" in args:
        print(details(results))
    if "--no-write" not in args:
        (REAL / "SOURCES.md").write_text(
            sources_table(load_truths(), split, index_documents()), encoding="utf-8"
        )
        write_between(INGEST_DOC, "fidelity", body)
        write_section("Reading fidelity on real documents (jixiao ingest)", body)


if __name__ == "__main__":
    main()
