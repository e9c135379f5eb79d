"""Monitoring, 纠偏 and the rectification ledger again on PostgreSQL: two finance users deciding or
confirming at once (one wins, the other is told), audit imports (skipped when no server answers)."""

from __future__ import annotations

import pytest

from tests.web.test_monitoring import (  # noqa: F401  (run here once more, on PostgreSQL)
    test_a_monitoring_round_lights_decides_and_rectifies,
    test_audit_problems_import_and_hostile_files_are_refused,
)
from tests.web.test_postgres import app_db  # noqa: F401  (the app on a fresh PostgreSQL database)

pytestmark = pytest.mark.postgres
