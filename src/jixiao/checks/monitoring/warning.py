"""预警: the lights of one monitoring report under a warning policy.

``warn(monitoring, policy)`` gives a light for the project's budget execution, one for each
indicator and one for the project (the worst of them), each with its reasons in Chinese. It
judges only what the policy says; the checks (``mon.*``) judge whether the figures are sound.
"""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from jixiao.checks.monitoring.common import RATE_TOLERANCE, fund_name, number_text, pct, rate, shortfall
from jixiao.monitoring import Light, MonitoredIndicator, Monitoring
from jixiao.policies.warning import WarningPolicy
from jixiao.vocabulary import LIKELIHOOD_NAMES

LIGHT_RANK = {Light.green: 0, Light.yellow: 1, Light.red: 2}


def worst(*lights: Light) -> Light:
    """The most serious of some lights (green when none)."""
    return max(lights, key=LIGHT_RANK.__getitem__, default=Light.green)


class Lit(BaseModel):
    """One light with its reasons (empty for a green light)."""

    model_config = ConfigDict(extra="forbid")

    light: Light = Light.green
    reasons: list[str] = Field(default_factory=list)

    def raise_to(self, light: Light, reason: str) -> None:
        """Record a reason; the light becomes the worse of the two."""
        self.light = worst(self.light, light)
        if light is not Light.green:
            self.reasons.append(reason)


class IndicatorLight(Lit):
    """The light of one indicator (``index`` into ``Monitoring.indicators``)."""

    index: int
    label: str


class WarningResult(BaseModel):
    """The lights of one monitoring report: budget execution, each indicator, the project."""

    model_config = ConfigDict(extra="forbid")

    policy: str
    policy_title: str | None = None
    expected_rate: Decimal | None = None  # 序时进度 or the month's floor (%)
    execution_rate: Decimal | None = None  # spent / budget × 100, computed
    funds: Lit = Field(default_factory=Lit)
    indicators: list[IndicatorLight] = Field(default_factory=list)
    overall: Lit = Field(default_factory=Lit)  # the project's 完成目标可能性, when printed
    light: Light = Light.green  # the project's light: the worst of all

    def reasons(self) -> list[str]:
        """Every reason, execution first."""
        out = [*self.funds.reasons, *self.overall.reasons]
        for ind in self.indicators:
            out.extend(f"{ind.label}：{r}" for r in ind.reasons)
        return out


def _funds(monitoring: Monitoring, policy: WarningPolicy, out: WarningResult) -> None:
    rule = policy.execution
    total = monitoring.total()
    month = monitoring.cutoff_month
    out.expected_rate = rule.expected(month)
    if total is None:
        return
    computed = rate(total.spent, total.budget)
    out.execution_rate = computed
    expected = out.expected_rate
    if computed is not None and expected is not None:
        yellow, red = rule.gaps()
        gap = expected - computed
        what = "序时进度" if rule.mode == "elapsed" else f"{month}月底执行率下限"
        text = f"1—{month}月执行率{pct(computed)}，低于{what}{pct(expected)}共{number_text(gap)}个百分点"
        if gap > red:
            out.funds.raise_to(Light.red, f"{text}（红灯：超过{number_text(red)}个百分点）")
        elif gap > yellow:
            out.funds.raise_to(Light.yellow, f"{text}（黄灯：超过{number_text(yellow)}个百分点）")
    share = rate(total.forecast, total.budget)
    if share is not None:
        text = f"全年预计执行数{number_text(total.forecast or Decimal(0))}万元，为预算的{pct(share)}"
        if share < rule.forecast_red:
            out.funds.raise_to(Light.red, f"{text}（红灯：低于{pct(rule.forecast_red)}）")
        elif share < rule.forecast_yellow:
            out.funds.raise_to(Light.yellow, f"{text}（黄灯：低于{pct(rule.forecast_yellow)}）")
    for row in monitoring.funds:
        on_available = rate(row.spent, row.available)
        on_budget = rate(row.spent, row.budget)
        printed = row.rate.value if row.rate is not None else None
        if printed is None or on_available is None or on_budget is None:
            continue
        if abs(printed - on_available) <= RATE_TOLERANCE < abs(printed - on_budget):
            out.funds.raise_to(
                policy.rate_on_available,
                f"{fund_name(row)}填报执行率{pct(printed)}是按到位数计算的；按预算数计算为{pct(on_budget)}",
            )


def _indicator(i: int, ind: MonitoredIndicator, policy: WarningPolicy) -> IndicatorLight:
    lit = IndicatorLight(index=i, label=ind.label)
    if ind.likelihood is not None:
        light = policy.likelihood[ind.likelihood]
        lit.raise_to(light, f"完成目标可能性为“{LIKELIHOOD_NAMES[ind.likelihood.value]}”")
    short = shortfall(ind, ind.forecast)
    if short is not None and short > policy.forecast.short_yellow:
        target = ind.target.text if ind.target is not None else ""
        forecast = ind.forecast.text if ind.forecast is not None else ""
        text = f"全年预计完成值{forecast}未达到年度指标值{target}（差{pct(short)}）"
        if short > policy.forecast.short_red:
            lit.raise_to(Light.red, f"{text}，红灯：差距超过{pct(policy.forecast.short_red)}")
        else:
            lit.raise_to(Light.yellow, text)
    return lit


def warn(monitoring: Monitoring, policy: WarningPolicy) -> WarningResult:
    """The lights of a monitoring report under a warning policy, with the reasons in Chinese."""
    out = WarningResult(policy=policy.name, policy_title=policy.title or None)
    _funds(monitoring, policy, out)
    out.indicators = [_indicator(i, ind, policy) for i, ind in enumerate(monitoring.indicators)]
    if monitoring.likelihood is not None:
        out.overall.raise_to(
            policy.likelihood[monitoring.likelihood],
            f"项目总体完成目标可能性为“{LIKELIHOOD_NAMES[monitoring.likelihood.value]}”",
        )
    out.light = worst(out.funds.light, out.overall.light, *(ind.light for ind in out.indicators))
    return out
