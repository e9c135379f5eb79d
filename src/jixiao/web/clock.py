"""Times as the users live them: the configured zone (``JIXIAO_TIMEZONE``), not the server's."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo


def local_today(zone: str) -> date:
    """Today's date where the users are."""
    return datetime.now(ZoneInfo(zone)).date()


def local_time(moment: datetime, zone: str) -> str:
    """A stored moment (UTC) in the configured time zone, as ``2026-03-31 14:05:09``."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M:%S")
