"""Reading fidelity on the real corpus: truth files, document lookup, field-by-field comparison.

The truth files (``tests/corpus/real/truth/*.yaml``, schema in ``tests/corpus/real/README.md``)
describe real published documents that are kept outside the repository; a document is found by
its SHA-256 in the corpus roots. ``compare`` splits a summary and a truth into facts and counts
correct, wrong (filled but not what the document prints, or filled where it prints nothing) and
missed facts. The split into a development and a held-out half is stored once in
``tests/corpus/real/split.yaml`` and never redrawn.
"""

from __future__ import annotations

import hashlib
import os
import random
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from jixiao.api import DOCUMENT_SUFFIXES

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT / "tests" / "corpus" / "real"
TRUTH_DIR = REAL / "truth"
SPLIT_FILE = REAL / "split.yaml"
SUFFIXES = DOCUMENT_SUFFIXES  # what the readers take (one list, in jixiao.ingest.readers)

SCALARS = (
    "doc_kind",
    "project",
    "unit",
    "year",
    "budget",
    "available",
    "spent",
    "execution_rate",
    "total",
    "grade",
)
NUMERIC = {"budget", "available", "spent", "execution_rate", "total", "year"}
INDICATOR_FIELDS = ("level1", "level2", "target", "actual", "weight", "score")
LEVEL_FIELDS = ("weight", "score")


def corpus_roots() -> list[Path]:
    """Folders searched for corpus documents: ../shared/corpus, $JIXIAO_REAL_CORPUS, the user cache."""
    roots = [ROOT.parent / "shared" / "corpus"]
    roots += [Path(p) for p in os.environ.get("JIXIAO_REAL_CORPUS", "").split(os.pathsep) if p]
    roots.append(Path.home() / ".cache" / "jixiao-corpus")
    return [r for r in roots if r.is_dir()]


def sha256(path: Path) -> str:
    """SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def index_documents(roots: Iterable[Path] | None = None) -> dict[str, Path]:
    """SHA-256 → path for every document file under the roots (first found wins)."""
    found: dict[str, Path] = {}
    for root in corpus_roots() if roots is None else roots:
        for path in sorted(root.rglob("*")):
            if path.is_file() and path.suffix.lower() in SUFFIXES and path.stat().st_size < 60 << 20:
                found.setdefault(sha256(path), path)
    return found


def _yaml(path: Path) -> Any:
    return YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))


@dataclass
class Truth:
    """One truth file: a document (or one project of a workbook) and what it prints."""

    id: str
    sha: str
    part: str | None
    format: str
    doc_kind: str
    origin: str
    facts: dict[str, Any]
    contradictions: list[dict[str, Any]] | None
    data: dict[str, Any]


def load_truths(directory: Path = TRUTH_DIR) -> list[Truth]:
    """Every truth file, sorted by id."""
    out = []
    for path in sorted(directory.glob("*.yaml")):
        data = _yaml(path)
        info = data.get("file") or {}
        out.append(
            Truth(
                id=str(data["id"]),
                sha=str(info["sha256"]),
                part=info.get("part"),
                format=str(data.get("format", "")),
                doc_kind=str(data.get("doc_kind", "")),
                origin=str(data.get("origin", "original")),
                facts=data.get("truth") or {},
                contradictions=data.get("contradictions"),
                data=data,
            )
        )
    return out


def load_split() -> dict[str, str]:
    """Document SHA-256 → 'dev' or 'heldout'."""
    if not SPLIT_FILE.exists():
        return {}
    data = _yaml(SPLIT_FILE) or {}
    return {str(k): str(v) for k, v in (data.get("documents") or {}).items()}


def extend_split(truths: list[Truth]) -> dict[str, str]:
    """Assign every document not yet in the split to a half at random; earlier draws are kept.

    Documents (not truth files) are split, so the projects of one workbook stay in one half.
    """
    split = load_split()
    new = sorted({t.sha for t in truths} - set(split))
    if new:
        rng = random.SystemRandom()
        rng.shuffle(new)
        counts = {"dev": sum(v == "dev" for v in split.values())}
        counts["heldout"] = len(split) - counts["dev"]
        for sha in new:  # keep the halves balanced, ties drawn at random
            if counts["dev"] == counts["heldout"]:
                half = rng.choice(["dev", "heldout"])
            else:
                half = "dev" if counts["dev"] < counts["heldout"] else "heldout"
            split[sha] = half
            counts[half] += 1
        lines = [
            "# Development / held-out halves of the real corpus, by document SHA-256.",
            "# Drawn at random once per document (benchmarks/fidelity.py: extend_split); never redrawn.",
            "documents:",
            *(f"  {sha}: {half}" for sha, half in sorted(split.items())),
        ]
        SPLIT_FILE.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return split


def sources_table(truths: list[Truth], split: dict[str, str], index: dict[str, Path]) -> str:
    """SOURCES.md: one row per document (not per project): where it came from, its hash, its half."""
    rows: dict[str, list[Truth]] = {}
    for t in truths:
        rows.setdefault(t.sha, []).append(t)
    lines = [
        "# Real corpus: the documents behind the truth files",
        "",
        "Generated by `python -m benchmarks fidelity` from `truth/*.yaml`. The documents are not in this",
        "repository: each is found by its SHA-256 in the corpus roots (`../shared/corpus/`,",
        "`$JIXIAO_REAL_CORPUS`, `~/.cache/jixiao-corpus/`). `shared` = present in the shared corpus (and",
        "so in CI); `cache` = copied from a public repository into a developer's cache only, to be added",
        "to the shared corpus by the project owner from the source named here.",
        "",
        "| ids | half | where | format | kind | province | year | source | sha256 |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for sha, group in sorted(rows.items(), key=lambda kv: kv[1][0].id):
        first, last = group[0], group[-1]
        ids = first.id if len(group) == 1 else f"{first.id}–{last.id} ({len(group)})"
        path = index.get(sha)
        where = "shared" if path is not None and "shared" in path.parts else ("cache" if path else "missing")
        year = first.data.get("year") or first.facts.get("year") or ""
        lines.append(
            f"| {ids} | {split.get(sha, '')} | {where} | {first.format} | {first.doc_kind} "
            f"| {first.data.get('province', '')} | {year} | {first.data.get('source', '')} | `{sha[:16]}…` |"
        )
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- normalisation


def norm_text(value: Any) -> str:
    """Text as compared: NFKC, no whitespace, one form of the comparison signs."""
    text = unicodedata.normalize("NFKC", str(value))
    text = re.sub(r"\s+", "", text)
    for a, b in ((">=", "≥"), ("<=", "≤"), ("≧", "≥"), ("≦", "≤"), ("＞", ">"), ("＜", "<")):
        text = text.replace(a, b)
    return text.strip("。；;，,")


def norm_level(value: Any) -> str:
    """A level or group name without a printed weight or the word 指标 (产出指标(50分) → 产出)."""
    text = norm_text(value)
    text = re.sub(r"[(（][^()（）]*[分%][)）]$", "", text)
    text = re.sub(r"\d+(\.\d+)?分$", "", text)
    return text.removesuffix("指标") or text


def norm_number(value: Any) -> Decimal | None:
    """A figure as a Decimal (trailing zeros removed), None when not a number."""
    if value is None or isinstance(value, bool):
        return None
    text = norm_text(value).replace(",", "").rstrip("%分")
    try:
        return Decimal(text).normalize()
    except InvalidOperation:
        return None


def _same(key: str, got: Any, want: Any) -> bool:
    if key in NUMERIC or key in ("weight", "score"):
        a, b = norm_number(got), norm_number(want)
        return a is not None and a == b
    if key in ("level1", "level2"):
        return norm_level(got) == norm_level(want)
    return norm_text(got) == norm_text(want)


# ---------------------------------------------------------------- comparison


@dataclass
class Tally:
    """Counts of facts: correct, wrong (incl. filled where nothing is printed), missed."""

    correct: int = 0
    wrong: int = 0
    missed: int = 0
    details: list[str] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        """Add another tally's counts (details are not carried)."""
        self.correct += other.correct
        self.wrong += other.wrong
        self.missed += other.missed

    @property
    def precision(self) -> float | None:
        """correct / filled."""
        filled = self.correct + self.wrong
        return self.correct / filled if filled else None

    @property
    def recall(self) -> float | None:
        """correct / printed."""
        printed = self.correct + self.missed
        return self.correct / printed if printed else None


def _fact(tally: Tally, label: str, key: str, got: Any, want: Any) -> None:
    present_got = got not in (None, "")
    present_want = want not in (None, "")
    if present_want and present_got and _same(key, got, want):
        tally.correct += 1
    elif present_got:
        tally.wrong += 1
        if present_want:
            tally.missed += 1
        tally.details.append(f"{label}: read {got!r}, printed {want!r}")
    elif present_want:
        tally.missed += 1
        tally.details.append(f"{label}: missed {want!r}")


def _pair_rows(
    got: list[dict[str, Any]], want: list[dict[str, Any]], name: Callable[[Any], str]
) -> Iterator[tuple[dict[str, Any] | None, dict[str, Any] | None]]:
    """Pair rows by normalised name (in order among equal names); unpaired rows come alone."""
    pool: dict[str, list[int]] = {}
    for i, row in enumerate(got):
        pool.setdefault(name(row.get("name") or ""), []).append(i)
    used: set[int] = set()
    for row in want:
        candidates = pool.get(name(row.get("name") or "")) or []
        if candidates:
            i = candidates.pop(0)
            used.add(i)
            yield got[i], row
        else:
            yield None, row
    for i, row in enumerate(got):
        if i not in used:
            yield row, None


def compare(summary: dict[str, Any], truth: dict[str, Any], unknown: Iterable[str] = ()) -> Tally:
    """Facts of a summary against a truth: scalars, levels (by name), indicators (by name).

    A key absent from the truth means the document does not print it, so a value read for it is
    wrong; keys named in ``unknown`` (the truth file's ``unknown`` list) are not judged.
    """
    tally = Tally()
    skip = set(unknown)
    for key in SCALARS:
        if key not in skip:
            _fact(tally, key, key, summary.get(key), truth.get(key))
    rows: list[tuple[str, Callable[[Any], str], str, tuple[str, ...]]] = [
        ("levels", norm_level, "level1", LEVEL_FIELDS),
        ("indicators", norm_text, "name", INDICATOR_FIELDS),
    ]
    for key, normalise, name_key, fields in rows:
        if key in skip:
            continue
        for g, w in _pair_rows(summary.get(key) or [], truth.get(key) or [], normalise):
            label = f"{key[:-1]} {(w or g or {}).get('name')}"
            _fact(tally, label, name_key, g and g.get("name"), w and w.get("name"))
            for f in fields:
                _fact(tally, f"{label}.{f}", f, g and g.get(f), w and w.get(f))
    return tally


# The finding codes that report each kind of contradiction a truth file records.
TYPE_CODES: dict[str, set[str]] = {
    "parts-sum": {
        "funds.parts-sum",
        "funds.sources-sum",
        "funds.share",
        "funds.estimate-total",
        "text.parts-sum",
        "text.share",
        "decl.funds-sum",
        "decl.details-sum",
        "decl.estimate-total",
    },
    # not the review's decl.zero-budget: it reports any zero amount, contradiction or not, as it should
    "zero-total": {
        "funds.sources-sum",
        "funds.zero-total",
        "targets.cost-budget",
        "decl.funds-sum",
        "decl.estimate-total",
    },
    "rate": {
        "funds.execution-rate",
        "funds.arrival-rate",
        "arithmetic.rate",
        "targets.completion",
        "text.change-rate",
    },
    "items-total": {"arithmetic.total-sum", "arithmetic.level-sum", "arithmetic.line-score"},
    "full-marks-missed": {"inflation.full-marks", "inflation.total"},
    "weight-twice": {"arithmetic.line-score", "arithmetic.total-sum"},
    "unit": {"funds.unit-label", "funds.unit-mix", "decl.unit-slip"},
    "count-list": {"text.count-list", "decl.count-list"},
    "score-no-table": {"arithmetic.unverifiable", "funds.score-without-figures"},
    "grade": {"grade.mismatch", "grade.recomputed"},
    "target-budget": {"targets.cost-budget", "decl.cost-over-budget", "decl.cost-budget"},
}


# The review's codes that report contradictions (each in TYPE_CODES under its kind).
DECLARATION_CONTRADICTIONS = {
    code for codes in TYPE_CODES.values() for code in codes if code.startswith("decl.")
}


def detected(result: Result) -> list[tuple[str, bool]]:
    """Each recorded contradiction of a result's truth and whether the audit reported its kind."""
    return [
        (str(c.get("type")), bool(TYPE_CODES.get(str(c.get("type")), set()) & result.codes))
        for c in result.truth.contradictions or []
    ]


# ---------------------------------------------------------------- rebuilt formats

REBUILT = Path.home() / ".cache" / "jixiao-rebuilt"
# What each original format is rebuilt into by LibreOffice, so the other readers meet real content.
REBUILD_TO = {".xlsx": ("pdf", "html"), ".xls": ("html",), ".docx": ("pdf",), ".doc": ("docx",)}


def _as_published(path: Path) -> None:
    """The workbook as a unit would publish it: each sheet printed one page wide, the cells'
    editing notes (批注 such as 导入模板无需填写) left out."""
    import openpyxl

    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if getattr(cell, "comment", None) is not None:
                    cell.comment = None
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.page_setup.orientation = "landscape"
    wb.save(path)


def rebuild(index: dict[str, Path]) -> dict[tuple[str, str], Path]:
    """(sha256, format) → a copy of an original converted by LibreOffice (cached by sha256)."""
    import shutil
    import subprocess
    import tempfile

    soffice = shutil.which("soffice")
    out: dict[tuple[str, str], Path] = {}
    if soffice is None:
        return out
    REBUILT.mkdir(parents=True, exist_ok=True)
    for sha, path in sorted(index.items()):
        for fmt in REBUILD_TO.get(path.suffix.lower(), ()):
            target = REBUILT / f"{sha[:16]}.{fmt}"
            if not target.exists():
                with tempfile.TemporaryDirectory(prefix="jixiao-rebuild-") as tmp:
                    src = Path(tmp) / f"{sha[:16]}{path.suffix.lower()}"
                    shutil.copy(path, src)
                    if src.suffix == ".xlsx":
                        _as_published(src)
                    subprocess.run(
                        [
                            soffice,
                            f"-env:UserInstallation=file://{tmp}/profile",
                            "--headless",
                            "--convert-to",
                            fmt,
                            "--outdir",
                            tmp,
                            str(src),
                        ],
                        capture_output=True,
                        timeout=300,
                        check=False,
                    )
                    made = Path(tmp) / f"{sha[:16]}.{fmt}"
                    if made.exists():
                        shutil.move(str(made), target)
            if target.exists():
                out[(sha, fmt)] = target
    return out


# ---------------------------------------------------------------- measuring


@dataclass
class Result:
    """One truth file measured: its facts, and what the audit said of the document."""

    truth: Truth
    half: str
    tally: Tally
    flagged: bool  # the audit raised an error or warning (not an ingest note)
    errors: list[str]  # error findings of the audit, "code: message"
    seconds: float
    codes: set[str] = field(default_factory=set)  # codes of the audit's errors and warnings


def _audit_findings(loaded: Any) -> list[Any]:
    from jixiao import api

    findings = [f for f in loaded.findings if not f.code.startswith("ingest.")]
    if isinstance(loaded, api.LoadedDeclaration):  # a target declaration: its review (审核)
        if loaded.declaration is not None:
            # only the review's checks of contradictions (sums, units, cost against budget, zero
            # amounts): its completeness and relevance findings (a field left blank, an indicator
            # without 设定依据) are about the form, not contradictions the truth files record
            findings += [f for f in _review(loaded.declaration) if f.code in DECLARATION_CONTRADICTIONS]
    elif loaded.evaluation is not None:
        findings += api.check(loaded.evaluation).findings
    return findings


def _review(declaration: Any) -> list[Any]:
    """The findings of a declaration's review, when the review is present in this checkout."""
    from jixiao import api

    review: Any = getattr(api, "review_declaration", None)
    if review is None:
        try:
            from jixiao.checks import declaration as checks
        except ImportError:  # pragma: no cover - the review not built yet
            return []
        review = checks.review_declaration
    return list(review(declaration).findings)


def _whole(path: Path) -> Any:
    """The whole document read as one evaluation (its projects not split)."""
    from jixiao.ingest import ingest_document, read_document

    doc, findings = read_document(path)
    return ingest_document(doc, findings) if doc is not None else None


def with_rebuilt(
    truths: list[Truth], rebuilt: dict[tuple[str, str], Path]
) -> tuple[list[Truth], dict[str, Path]]:
    """The truths again for every rebuilt copy of their document (origin rebuilt, its format)."""
    from dataclasses import replace

    more: list[Truth] = []
    paths: dict[str, Path] = {}
    for (sha, fmt), path in rebuilt.items():
        key = f"{sha}:{fmt}"
        paths[key] = path
        more += [
            replace(t, id=f"{t.id}~{fmt}", sha=key, format=fmt, origin="rebuilt")
            for t in truths
            if t.sha == sha
        ]
    return more, paths


def matching_part(truth: Truth, parts: list[Any], path: Path, truths: list[Truth]) -> Any | None:
    """What a truth file describes among a document's parts: the part it names, or the document
    read whole when it names none and the document splits into projects; None when not found."""
    if truth.part is None and len(parts) > 1:  # the document as a whole, not one of its projects
        return _whole(path)
    if truth.origin == "rebuilt" and ":" in truth.sha and truth.part is not None:
        want = norm_text(truth.facts.get("project") or truth.part)
        same = [
            t.id for t in truths if t.sha == truth.sha and norm_text(t.facts.get("project") or t.part) == want
        ]
        named = [p for p in parts if norm_text(p.part or "") == want]
        rank = same.index(truth.id)  # projects of one name: the k-th truth is the k-th part
        return named[rank] if rank < len(named) else None
    want = norm_text(truth.part) if truth.part else None
    return next((p for p in parts if want is None or norm_text(p.part or "") == want), None)


def measure(truths: list[Truth], index: dict[str, Path], split: dict[str, str]) -> list[Result]:
    """Ingest every document found (once per file), compare each truth, audit each evaluation.

    A rebuilt copy (sha ``<sha256>:<format>``) is in its original's half; its projects are matched
    by project name, since a converted workbook has no sheet names.
    """
    import time

    from jixiao.ingest import ingest_any, summarize

    cache: dict[str, tuple[list[Any], float]] = {}
    out = []
    for truth in truths:
        path = index.get(truth.sha)
        if path is None:
            continue
        if truth.sha not in cache:
            start = time.perf_counter()
            parts = ingest_any(path)  # declarations read as such, their overlapping facts compared
            cache[truth.sha] = (parts, time.perf_counter() - start)
        parts, seconds = cache[truth.sha]
        loaded = matching_part(truth, parts, path, truths)
        if loaded is None:  # the part was not found: nothing read for it
            summary: dict[str, Any] = {}
            findings: list[Any] = []
        else:
            summary = summarize(loaded)
            # a publication read as several projects is audited as a user meets it: project by project
            whole = truth.part is None and len(parts) > 1
            findings = [f for p in parts for f in _audit_findings(p)] if whole else _audit_findings(loaded)
        facts = {"doc_kind": truth.doc_kind or None, **truth.facts}
        tally = compare(summary, facts, truth.data.get("unknown") or ())
        if loaded is None:
            tally.details.insert(0, f"part {truth.part!r} not found among {[p.part for p in parts]}")
        severe = [f for f in findings if f.severity.value in ("error", "warning")]
        out.append(
            Result(
                truth=truth,
                half=split.get(truth.sha.split(":")[0], "unsplit"),
                tally=tally,
                flagged=bool(severe),
                errors=[f"{f.code}: {f.message}" for f in severe if f.severity.value == "error"],
                seconds=seconds / max(1, sum(t.sha == truth.sha for t in truths)),
                codes={f.code for f in severe},
            )
        )
    return out
