"""Pension program parameters (养老保险参数) as data: a national file plus region files that extend it.

A region file names its parent with ``extends`` (``national`` or another built-in region, or a
path relative to the file).  Mappings merge key by key; lists are replaced whole.  A bad file gives
findings with file and line (``pension.params-invalid``), never a traceback.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from jixiao import extends
from jixiao.findings import Finding, Severity, finding
from jixiao.model import Source
from jixiao.vocabulary import LEVEL_NAMES
from jixiao.yamlio import ParsedDocument, validation_findings

PARAMS_DIR = Path(__file__).parent / "params"
NATIONAL = "national"
INVALID = "pension.params-invalid"
UNKNOWN = "pension.region-unknown"

GovLevel = Literal["central", "provincial", "municipal", "county"]
RegionClass = Literal["东部", "中西部"]


class ParamsError(Exception):
    """Parameters could not be loaded; carries the findings that say why."""

    def __init__(self, findings: list[Finding]) -> None:
        super().__init__("; ".join(f.message for f in findings))
        self.findings = findings


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Tiers(_Strict):
    """Contribution tiers (缴费档次), 元/年."""

    values: list[Decimal] = Field(min_length=1)
    source: str = ""

    @field_validator("values")
    @classmethod
    def _ascending(cls, values: list[Decimal]) -> list[Decimal]:
        if any(v <= 0 for v in values):
            raise ValueError("缴费档次应为正数")
        if values != sorted(set(values)):
            raise ValueError("缴费档次应从低到高排列且互不相同")
        return values


class SubsidyRow(_Strict):
    """One row of a contribution-subsidy table: tiers in [min_tier, max_tier] get ``amount`` 元/人/年."""

    min_tier: Decimal = Field(gt=0)
    max_tier: Decimal | None = Field(default=None, gt=0)
    amount: Decimal = Field(ge=0)
    source: str = ""

    @model_validator(mode="after")
    def _ordered(self) -> SubsidyRow:
        if self.max_tier is not None and self.max_tier < self.min_tier:
            raise ValueError("max_tier 不能小于 min_tier")
        return self

    def covers(self, tier: Decimal) -> bool:
        """True when ``tier`` (元/年) falls in this row."""
        return tier >= self.min_tier and (self.max_tier is None or tier <= self.max_tier)

    def describe(self) -> str:
        """``200—700元档次`` or ``500元及以上档次``."""
        low = f"{self.min_tier.normalize():f}"
        if self.max_tier is None:
            return f"{low}元及以上档次"
        if self.max_tier == self.min_tier:
            return f"{low}元档次"
        return f"{low}—{self.max_tier.normalize():f}元档次"


class SubsidyTable(_Strict):
    """Contribution subsidy (缴费补贴 / 入口补) by tier, 元/人/年."""

    kind: Literal["minimum", "actual"] = "actual"
    level: GovLevel | None = None
    source: str = ""
    rows: list[SubsidyRow] = Field(min_length=1)

    @field_validator("rows")
    @classmethod
    def _no_overlap(cls, rows: list[SubsidyRow]) -> list[SubsidyRow]:
        for before, after in pairwise(rows):
            if before.max_tier is None or after.min_tier <= before.max_tier:
                raise ValueError("补贴表各行的档次应从低到高排列且不重叠")
        return rows

    def row_for(self, tier: Decimal) -> SubsidyRow | None:
        """The row covering ``tier``, or None."""
        return next((row for row in self.rows if row.covers(tier)), None)

    @property
    def lowest(self) -> Decimal:
        """The smallest subsidy in the table."""
        return min(row.amount for row in self.rows)

    @property
    def highest(self) -> Decimal:
        """The largest subsidy in the table."""
        return max(row.amount for row in self.rows)


class PaidOnBehalf(_Strict):
    """代缴 for hardship groups: standard 元/人/年 and the amount each government level bears."""

    groups: list[str] = Field(default_factory=list)
    standard: Decimal | None = Field(default=None, ge=0)
    split: dict[GovLevel, Decimal] = Field(default_factory=dict)  # 元/人 by level
    source: str = ""

    @field_validator("split")
    @classmethod
    def _non_negative(cls, split: dict[str, Decimal]) -> dict[str, Decimal]:
        for level, amount in split.items():
            if amount < 0:
                raise ValueError(f"{LEVEL_NAMES.get(level, level)}承担金额不能为负数（{amount}）")
        return split

    @model_validator(mode="after")
    def _split_adds_up(self) -> PaidOnBehalf:
        if self.standard is not None and self.split and sum(self.split.values()) != self.standard:
            total = sum(self.split.values())
            raise ValueError(f"各级承担金额之和 {total}元 与代缴标准 {self.standard}元 不一致")
        return self


class MinimumRow(_Strict):
    """A central minimum 基础养老金 standard (元/人/月) in force from a date."""

    start: date = Field(alias="from")
    amount: Decimal = Field(gt=0)
    verified: bool
    source: str = ""


class BasicPension(_Strict):
    """基础养老金: central minimum by date, central share of it by region class (percent)."""

    central_minimum: list[MinimumRow] = Field(min_length=1)
    central_share: dict[RegionClass, Decimal]
    source: str = ""

    @field_validator("central_minimum")
    @classmethod
    def _dated_ascending(cls, rows: list[MinimumRow]) -> list[MinimumRow]:
        starts = [row.start for row in rows]
        if starts != sorted(set(starts)):
            raise ValueError("中央最低标准各行的起始日期（from）应从早到晚排列且互不相同")
        return rows

    @field_validator("central_share")
    @classmethod
    def _percent(cls, shares: dict[str, Decimal]) -> dict[str, Decimal]:
        for name, share in shares.items():
            if not 0 <= share <= 100:
                raise ValueError(f"{name}的中央补助比例应在 0 到 100 之间（实际 {share}）")
        return shares

    def minimum_on(self, day: date) -> MinimumRow | None:
        """The central minimum in force on ``day``, or None before the first row."""
        current: MinimumRow | None = None
        for row in self.central_minimum:
            if row.start <= day:
                current = row
        return current

    def minimum_by_month(self, year: int) -> list[MinimumRow | None]:
        """The central minimum in force in each month of ``year`` (12 entries)."""
        return [self.minimum_on(date(year, month, 1)) for month in range(1, 13)]


class Account(_Strict):
    """个人账户养老金: monthly amount = balance / divisor."""

    divisor: Decimal = Field(gt=0)
    source: str = ""


class Eligibility(_Strict):
    """Age and contribution years that give a right to the pension."""

    age: int = Field(gt=0)
    contribution_years: int = Field(gt=0)
    source: str = ""


class CheckParams(_Strict):
    """Thresholds of the pension checks."""

    budget_tolerance: Decimal = Field(Decimal(5), ge=0, le=100)  # percent


class PensionParams(_Strict):
    """All parameters of one region (the national file when no region is named)."""

    name: str
    title: str = ""
    source: str = ""
    extends: str | None = None
    region_class: RegionClass | None = None
    tiers: Tiers
    subsidy: SubsidyTable
    paid_on_behalf: PaidOnBehalf
    basic_pension: BasicPension
    account: Account
    eligibility: Eligibility
    checks: CheckParams = CheckParams()


def builtin_region_names() -> list[str]:
    """Names of the parameter files shipped with jixiao (``national`` first)."""
    names = sorted(p.stem for p in PARAMS_DIR.glob("*.yaml") if p.stem != NATIONAL)
    return [NATIONAL, *names]


FAMILY = extends.Family(
    noun="参数文件",
    builtin_dir=PARAMS_DIR,
    builtin_names=builtin_region_names,
    invalid=INVALID,
    unknown=UNKNOWN,
    not_mapping="参数文件应为键值对",
    recode=True,
)


def _has(data: Any, loc: Sequence[str | int]) -> bool:
    node = data
    for key in loc:
        in_map = isinstance(node, dict) and key in node
        in_list = isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node)
        if not (in_map or in_list):
            return False
        node = node[key]
    return True


def _locate(
    exc: ValidationError,
    docs: list[ParsedDocument],
    merged: dict[str, Any],
    inline: ParsedDocument | None = None,
) -> list[Finding]:
    """Findings pointing at the file (region or an ancestor) that holds each bad field.

    A field set inline in an evaluation (``inline``) is named ``pension.params.…``.
    """
    out: list[Finding] = []
    top = ParsedDocument(merged, docs[0]._raw, docs[0].file)
    for err, problem in zip(exc.errors(), validation_findings(exc, top, INVALID), strict=True):
        loc = list(err["loc"])
        # the deepest part of the path present after merging, in the nearest file that defines it
        depth = max(n for n in range(len(loc) + 1) if _has(merged, loc[:n]))
        owner = next((doc for doc in docs if _has(doc.data, loc[:depth])), docs[0])
        message = problem.message.replace("Value error, ", "")
        path = problem.location.path
        if owner is inline:
            message = message.replace("字段 ", "养老保险信息块：字段 pension.params.", 1)
            path = f"pension.params.{path}" if path else "pension.params"
        source = Source(file=owner.file, line=owner.line_of(loc))
        out.append(
            problem.model_copy(
                update={
                    "message": message,
                    "location": problem.location.model_copy(update={"path": path, "source": source}),
                }
            )
        )
    return out


def load_params_with_findings(
    region: str | Path | None = None,
    overrides: Mapping[str, Any] | None = None,
    origin: str = "<evaluation>",
) -> tuple[PensionParams | None, list[Finding]]:
    """Parameters of ``region`` (a built-in name or a file path; default national) and the problems.

    ``overrides`` are parameters written inline in an evaluation's pension block (``pension.params``);
    they merge over the region's like one more ``extends`` level.
    """
    name = str(region) if region not in (None, "") else NATIONAL
    if name in builtin_region_names() and not overrides:
        params, problems = _builtin(name)
        return params, list(problems)
    path = FAMILY.builtin_path(name) or (Path(name) if Path(name).is_file() else None)
    if path is None:
        return None, [
            finding(
                UNKNOWN,
                Severity.error,
                f"找不到养老保险参数“{name}”：既不是内置地区（{'、'.join(builtin_region_names())}），也不是存在的文件",
            )
        ]
    inline = ParsedDocument(dict(overrides), dict(overrides), origin) if overrides else None
    return _load_path(path, inline)


def _load_path(
    path: Path, inline: ParsedDocument | None = None
) -> tuple[PensionParams | None, list[Finding]]:
    docs, problems = extends.chain(FAMILY, path)
    if not docs:
        return None, problems
    if inline is not None:
        docs = [inline, *docs]
    merged = extends.merged(docs)
    try:
        return PensionParams.model_validate(merged), []
    except ValidationError as exc:
        return None, _locate(exc, docs, merged, inline)


@cache
def _builtin(name: str) -> tuple[PensionParams | None, list[Finding]]:
    return _load_path(PARAMS_DIR / f"{name}.yaml")


def load_params(region: str | Path | None = None) -> PensionParams:
    """Load parameters or raise ``ParamsError`` with findings."""
    params, problems = load_params_with_findings(region)
    if params is None:
        raise ParamsError(problems)
    return params
