"""Chinese figures as printed on forms: parse them into value + unit + comparison, and print them back.

Handles full-width digits and signs (``１２３``, ``％``, ``≧``, ``＞=``), thousands separators,
ranges (``0.6%至3%``), deadlines (``12月底前完成``), compound units (``100元/人``) and the
万/亿 multipliers on money (``2536万元`` vs ``25360000元``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

_FULL_WIDTH = str.maketrans(
    "０１２３４５６７８９．，％＋－（）：／＜＞＝",
    "0123456789.,%+-():/<>=",
)

# Sign spellings → canonical comparison.  Longest first so "≥" wins over ">".
_SIGNS: list[tuple[str, str]] = [
    (">=", ">="),
    ("=>", ">="),
    ("≥", ">="),
    ("≧", ">="),
    ("⩾", ">="),
    ("不低于", ">="),
    ("不少于", ">="),
    ("不小于", ">="),
    ("大于等于", ">="),
    ("大于或等于", ">="),
    ("以上", ">="),
    ("<=", "<="),
    ("=<", "<="),
    ("≤", "<="),
    ("≦", "<="),
    ("⩽", "<="),
    ("不高于", "<="),
    ("不超过", "<="),
    ("不多于", "<="),
    ("不大于", "<="),
    ("小于等于", "<="),
    ("小于或等于", "<="),
    ("以内", "<="),
    ("以下", "<="),
    ("控制在", "<="),
    ("前", "<="),
    ("═", "="),
    ("==", "="),
    ("=", "="),
    ("等于", "="),
    (">", ">"),
    ("大于", ">"),
    ("高于", ">"),
    ("超过", ">"),
    ("<", "<"),
    ("小于", "<"),
    ("低于", "<"),
]
_PREFIX_SIGNS = [s for s in _SIGNS if s[0] not in ("以上", "以内", "以下", "前")]
_SUFFIX_SIGNS = {"以上": ">=", "以内": "<=", "以下": "<=", "及以上": ">=", "及以下": "<="}

_NUMBER = r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_NUMBER_RE = re.compile(_NUMBER)
_RANGE_RE = re.compile(rf"({_NUMBER})\s*(%|[^\d\s至到~～\-—]{{0,6}}?)\s*(?:至|到|~|～|—|－|-)\s*({_NUMBER})")
_NEXT_YEAR = re.compile(r"次年|下一?年度?|翌年|跨年|来年|第二年")
_DEADLINE_RE = re.compile(
    r"(?:(\d{4})年)?(\d{1,2})月(?:(\d{1,2})日)?(底|末|份|上旬|中旬|下旬)?"
    r"(前|之前|以前|内|完成|办结|到位|发放|拨付|支付|结束)?"
)
_MONEY_UNITS = {"元": Decimal(1), "万元": Decimal(10000), "亿元": Decimal(100000000), "千元": Decimal(1000)}
_MULTIPLIERS = {"万": Decimal(10000), "亿": Decimal(100000000), "千": Decimal(1000), "百": Decimal(100)}


@dataclass(frozen=True)
class Quantity:
    """A parsed figure: value (None when not numeric), unit, comparison, range upper bound."""

    value: Decimal | None
    unit: str | None = None
    comparison: str | None = None  # ">=", "<=", "=", ">", "<", "range"
    upper: Decimal | None = None
    places: int = 0  # decimals printed on the value

    @property
    def is_numeric(self) -> bool:
        """True when a number was found."""
        return self.value is not None


_SPACES = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Full-width digits and signs → ASCII, ≧/＞= → canonical spelling, whitespace collapsed."""
    out = text.translate(_FULL_WIDTH)
    out = out.replace("≧", "≥").replace("≦", "≤").replace("⩾", "≥").replace("⩽", "≤")
    return _SPACES.sub(" ", out).strip()


def parse_decimal(text: str | int | float | Decimal | None) -> Decimal | None:
    """A plain number (``1,234.50``, ``１２３``, ``93.13%`` → 93.13); None when there is none."""
    if text is None:
        return None
    if isinstance(text, Decimal):
        return text
    if isinstance(text, bool):
        return None
    if isinstance(text, int):
        return Decimal(text)
    if isinstance(text, float):
        return Decimal(repr(text))
    s = normalise(text).replace(" ", "")
    s = s.rstrip("%")
    if not re.fullmatch(_NUMBER, s):
        return None
    try:
        return Decimal(s.replace(",", ""))
    except InvalidOperation:
        return None


_BARE_NUMBER = re.compile(r"[\d,]+(?:\.\d+)?")


def bare_number(text: str | None) -> Decimal | None:
    """The number a text holds when it is a number alone (``300000.0``, ``1,234``), with no unit or
    sign of its own; None otherwise (``30万元``, ``≥95%``)."""
    if not text or not _BARE_NUMBER.fullmatch(text.strip()):
        return None
    return parse_decimal(text.strip())


def printed_places(text: str) -> int:
    """Number of decimals printed on the first number of ``text`` (``93.13%`` → 2)."""
    m = _NUMBER_RE.search(normalise(text))
    if not m or "." not in m.group(0):
        return 0
    return len(m.group(0).split(".")[1])


def _comparison_prefix(s: str) -> tuple[str | None, str]:
    for spelling, sign in _PREFIX_SIGNS:
        idx = s.find(spelling)
        if idx != -1:
            head = s[:idx]
            # only a sign that stands before the first number counts
            if not _NUMBER_RE.search(head):
                return sign, s[:idx] + s[idx + len(spelling) :]
    return None, s


def _clean_unit(unit: str) -> str | None:
    unit = unit.strip().strip("，,。;；:：()（）").strip()
    for suffix in ("及以上", "及以下", "以上", "以内", "以下", "左右", "完成", "内"):
        if unit.endswith(suffix) and len(unit) > len(suffix):
            unit = unit[: -len(suffix)].strip()
        elif unit == suffix:
            unit = ""
    return unit or None


def parse_quantity(text: str | int | float | Decimal | None) -> Quantity:
    """Parse a printed figure into value, unit and comparison.

    >>> parse_quantity("≥90%")
    Quantity(value=Decimal('90'), unit='%', comparison='>=', upper=None, places=0)
    >>> parse_quantity("入口补每年116.11万人").unit
    '万人'
    >>> parse_quantity("12月底前完成").comparison
    '<='
    """
    if text is None:
        return Quantity(None)
    if isinstance(text, int | float | Decimal) and not isinstance(text, bool):
        value = parse_decimal(text)
        s = str(text)
        return Quantity(value, places=len(s.split(".")[1]) if "." in s else 0)
    s = normalise(str(text))
    if not s:
        return Quantity(None)

    deadline = _DEADLINE_RE.search(s)
    if (
        deadline
        and (deadline.group(5) or deadline.group(4) in ("底", "末"))
        and not re.search(r"\d\s*[%万元人个次件户]", s)
    ):
        month = Decimal(deadline.group(2))
        if _NEXT_YEAR.search(s[: deadline.start()]):  # 次年1月底前 is later than 12月底前: month 13
            month += 12
        # “12月底前”, “10月底” are deadlines (≤); “次年1月完成” is the date a thing was done
        done = deadline.group(5) and "前" not in deadline.group(5) and deadline.group(5) != "内"
        return Quantity(month, unit="月", comparison=None if done else "<=")

    rng = _RANGE_RE.search(s)
    if rng:
        low = parse_decimal(rng.group(1))
        high = parse_decimal(rng.group(3))
        unit_low = rng.group(2).strip()
        rest = s[rng.end() :]
        unit_match = re.match(r"\s*(%|[^\d\s，,。;；()（）]{1,6})", rest)
        unit = _clean_unit(unit_match.group(1)) if unit_match else None
        if unit is None and unit_low:
            unit = _clean_unit(unit_low)
        if low is not None and high is not None and high >= low:
            return Quantity(
                low, unit=unit, comparison="range", upper=high, places=printed_places(rng.group(1))
            )

    comparison, rest = _comparison_prefix(s)
    m = _NUMBER_RE.search(rest)
    if not m:
        return Quantity(None, comparison=comparison)
    value = parse_decimal(m.group(0))
    tail = rest[m.end() :]
    unit_match = re.match(r"\s*(%|‰|[^\d\s，,。;；()（）≥≤<>=]{1,8})", tail)
    unit = _clean_unit(unit_match.group(1)) if unit_match else None
    for suffix, sign in _SUFFIX_SIGNS.items():
        if suffix in tail[:12] and comparison is None:
            comparison = sign
    places = len(m.group(0).split(".")[1]) if "." in m.group(0) else 0
    return Quantity(value, unit=unit, comparison=comparison, places=places)


def money_factor(unit: str | None) -> Decimal | None:
    """How many 元 one unit of ``unit`` is (万元 → 10000); None when it is not money."""
    if unit is None:
        return None
    return _MONEY_UNITS.get(unit.strip())


def convert(value: Decimal, from_unit: str, to_unit: str) -> Decimal:
    """Convert between units sharing a base: 元/万元/亿元, or 人/万人, 户/万户 …

    Raises ``ValueError`` when the units cannot be converted.
    """
    a, b = _unit_scale(from_unit), _unit_scale(to_unit)
    if a is None or b is None or a[1] != b[1]:
        raise ValueError(f"单位“{from_unit}”不能换算为“{to_unit}”")
    return value * a[0] / b[0]


def _unit_scale(unit: str) -> tuple[Decimal, str] | None:
    unit = unit.strip()
    if unit in _MONEY_UNITS:
        return _MONEY_UNITS[unit], "元"
    if unit and unit[0] in _MULTIPLIERS and len(unit) > 1:
        return _MULTIPLIERS[unit[0]], unit[1:]
    if unit:
        return Decimal(1), unit
    return None


def comparable(a: str | None, b: str | None) -> bool:
    """True when two units measure the same thing (万人 and 人, 元 and 万元, % and %)."""
    if a is None or b is None:
        return a == b or a is None or b is None
    sa, sb = _unit_scale(a), _unit_scale(b)
    return sa is not None and sb is not None and sa[1] == sb[1]


def to_wan(value: Decimal, unit: str | None) -> Decimal:
    """An amount in 万元 (value in 元, 万元 or 亿元; no unit means 万元)."""
    if unit is None or unit == "万元":
        return value
    return convert(value, unit, "万元")


def quantize(value: Decimal, places: int = 2) -> Decimal:
    """Round half up to ``places`` decimals (the rounding of Chinese official figures)."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def matches_printed(printed: Decimal, computed: Decimal, places: int) -> bool:
    """True when ``computed`` rounds to ``printed`` at its printed precision (± half a last unit)."""
    half = Decimal(5).scaleb(-(places + 1))
    return abs(computed - printed) <= half


def format_number(value: Decimal, places: int = 2, *, trim: bool = False) -> str:
    """``2536.08`` style: no thousands separator (as forms print), half-up rounding."""
    out = f"{quantize(value, places):f}"
    if trim and "." in out:
        out = out.rstrip("0").rstrip(".")
    return out


def format_amount(value: Decimal, unit: str = "万元", places: int = 2) -> str:
    """An amount with its unit: ``2364.01万元``."""
    return f"{format_number(value, places)}{unit}"


def format_percent(value: Decimal, places: int = 2) -> str:
    """A rate in percent: ``93.13%``."""
    return f"{format_number(value, places)}%"


def format_score(value: Decimal, places: int = 2) -> str:
    """A score: ``7.45``."""
    return format_number(value, places)


_SIGN_TEXT = {">=": "≥", "<=": "≤", "=": "=", ">": ">", "<": "<"}


def format_quantity(q: Quantity) -> str:
    """Print a parsed figure back as a form would: ``≥90%``, ``0.6%至3%``, ``12月底前``."""
    if q.value is None:
        return ""
    number = format_number(q.value, q.places)
    unit = q.unit or ""
    if q.comparison == "range" and q.upper is not None:
        return f"{number}{unit}至{format_number(q.upper, q.places, trim=True)}{unit}"
    if unit == "月" and q.comparison == "<=":
        if q.value > 12:  # a month of the following year
            return f"次年{format_number(q.value - 12, q.places)}月底前"
        return f"{number}月底前"
    return f"{_SIGN_TEXT.get(q.comparison or '', '')}{number}{unit}"
