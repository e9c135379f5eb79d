"""What keeps a public survey from being stuffed: per-address limits, one-time codes, duplicates.

Every check is kept in the database, so several app processes share it. A network address is
stored only as a keyed hash bound to the survey (answers to two surveys cannot be linked), IPv6
counted by its /64 network; one-time codes (答卷码) are used up atomically.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jixiao.store.models import SurveyCode, SurveyRecord, SurveyResponse, utcnow
from jixiao.store.queries import Actor, StoreError
from jixiao.store.service import log

# Answers per network address and window: the defaults of the creation form and their bounds.
# Respondents behind one office or village NAT share an address: the evaluator raises the limit.
ADDRESS_LIMIT = 3
ADDRESS_WINDOW_MINUTES = 60
ADDRESS_LIMIT_RANGE = (1, 100_000)
WINDOW_RANGE = (1, 30 * 24 * 60)  # up to 30 days
# One-time codes: no 0/O/1/I, so a printed code cannot be misread.
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_LENGTH = 8
CODE_COUNT = 100  # default of the creation form
CODES_PER_BATCH = (1, 5_000)
MAX_CODES = 50_000  # per survey
# Two answers from one address and one browser this close together are very likely one person.
DUPLICATE_INTERVAL = timedelta(minutes=10)


class TooManyAnswers(StoreError):
    """The address has answered the survey as often as its window allows."""

    status = 429


class CodeRefused(StoreError):
    """The one-time code is missing, wrong or used: the form is shown again with the answers."""


@dataclass(frozen=True)
class Client:
    """Keyed hashes of the answering client's network address and user agent."""

    address_hash: str
    agent_hash: str | None


def hash_key(secret: str) -> bytes:
    """The key of the address hashes, derived from the app's session secret (never stored)."""
    return hmac.new(secret.encode(), b"jixiao survey client hash v1", hashlib.sha256).digest()


def network(address: str) -> str:
    """The address an answer is counted under: IPv4 as is, IPv6 by its /64 network.

    One IPv6 subscriber gets a whole /64 and may pick any address in it, so counting single IPv6
    addresses would let one phone answer without limit.
    """
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return address.strip()[:100] or "?"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return str(ip)


def client_of(key: bytes, survey_id: int, address: str, user_agent: str | None) -> Client:
    """HMAC-SHA256 of address and user agent, bound to the survey (answers to two surveys do not link)."""

    def digest(kind: str, value: str) -> str:
        message = f"{survey_id}\x00{kind}\x00{value}".encode()
        return hmac.new(key, message, hashlib.sha256).hexdigest()

    agent = (user_agent or "").strip()[:500]
    return Client(digest("address", network(address)), digest("agent", agent) if agent else None)


def window_text(minutes: int) -> str:
    """``90`` → "90 分钟", ``120`` → "2 小时", ``2880`` → "2 天"."""
    if minutes % 1440 == 0:
        return f"{minutes // 1440} 天"
    if minutes % 60 == 0:
        return f"{minutes // 60} 小时"
    return f"{minutes} 分钟"


def new_code() -> str:
    """A random one-time code: 8 characters of ``CODE_ALPHABET`` (40 bits)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(raw: str) -> str | None:
    """A typed code in its stored form (upper case, spaces and dashes dropped), or None if malformed."""
    code = re.sub(r"[\s\-]", "", raw).upper()
    if len(code) != CODE_LENGTH or any(c not in CODE_ALPHABET for c in code):
        return None
    return code


def add_codes(session: Session, actor: Actor, survey: SurveyRecord, count: int) -> list[str]:
    existing = set(session.scalars(select(SurveyCode.code).where(SurveyCode.survey_id == survey.id)).all())
    if len(existing) + count > MAX_CODES:
        raise StoreError(f"每份问卷最多 {MAX_CODES} 个答卷码，已有 {len(existing)} 个")
    fresh: list[str] = []
    while len(fresh) < count:
        code = new_code()
        if code not in existing:
            existing.add(code)
            fresh.append(code)
    now = utcnow()
    session.add_all(SurveyCode(survey_id=survey.id, code=code, created_at=now) for code in fresh)
    session.flush()
    log(
        session,
        actor,
        "survey.codes",
        "survey",
        survey.id,
        None,
        {"generated": count, "total": len(existing)},
    )
    return fresh


@dataclass(frozen=True)
class CodeCounts:
    """How many one-time codes a survey has and how many are used up."""

    total: int
    used: int


def code_counts(session: Session, survey: SurveyRecord) -> CodeCounts:
    """Generated and used one-time codes of a survey."""
    total, used = session.execute(
        select(func.count(SurveyCode.id), func.count(SurveyCode.used_at)).where(
            SurveyCode.survey_id == survey.id
        )
    ).one()
    return CodeCounts(int(total), int(used))


@dataclass(frozen=True)
class Duplicates:
    """Answers that look like one person answering again, for the evaluator to judge the sample."""

    same_address: int  # answers beyond the first from one network address
    addresses: int  # addresses with more than one answer
    same_browser: int  # of those: same address and user agent within ``DUPLICATE_INTERVAL``
    largest: int  # most answers from one address


def duplicates(session: Session, survey: SurveyRecord) -> Duplicates:
    """Suspected duplicate answers of a survey (answers without an address hash are not counted)."""
    rows = session.execute(
        select(SurveyResponse.address_hash, SurveyResponse.agent_hash, SurveyResponse.created_at)
        .where(SurveyResponse.survey_id == survey.id, SurveyResponse.address_hash.is_not(None))
        .order_by(SurveyResponse.address_hash, SurveyResponse.created_at)
    ).all()
    per_address: dict[str, int] = {}
    same_browser = 0
    last: dict[tuple[str, str], Any] = {}
    for address_hash, agent_hash, created_at in rows:
        if address_hash is None:  # excluded by the query; for the type checker
            continue
        per_address[address_hash] = per_address.get(address_hash, 0) + 1
        if agent_hash is None:
            continue
        previous = last.get((address_hash, agent_hash))
        if previous is not None and created_at - previous <= DUPLICATE_INTERVAL:
            same_browser += 1
        last[(address_hash, agent_hash)] = created_at
    repeated = [n for n in per_address.values() if n > 1]
    return Duplicates(
        same_address=sum(n - 1 for n in repeated),
        addresses=len(repeated),
        same_browser=same_browser,
        largest=max(per_address.values(), default=0),
    )


def check_code(session: Session, survey: SurveyRecord, raw: str) -> int:
    if not raw.strip():
        raise CodeRefused("请填写发给您的答卷码")
    code = normalise_code(raw)
    if code is None:
        raise CodeRefused(f"答卷码不正确：应为 {CODE_LENGTH} 位字母和数字，请核对后重新输入")
    row = session.execute(
        select(SurveyCode.id, SurveyCode.used_at).where(
            SurveyCode.survey_id == survey.id, SurveyCode.code == code
        )
    ).first()
    if row is None:
        raise CodeRefused("答卷码不正确，请核对后重新输入")
    if row.used_at is not None:
        raise CodeRefused("该答卷码已经使用过，每个答卷码只能作答一次")
    return int(row.id)
