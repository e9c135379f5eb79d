"""The declaration round again on PostgreSQL: the whole round with the thread to the next
self-evaluation, who sees what, two reviewers deciding at once and two finance users generating
the next self-evaluation at once (skipped when no server answers)."""

from __future__ import annotations

import pytest

from tests.web.test_declarations import (  # noqa: F401  (run here once more, on PostgreSQL)
    test_a_round_from_opening_to_frozen_targets_and_the_next_self_evaluation,
    test_two_finance_users_generating_at_once_make_one_evaluation,
    test_two_reviewers_deciding_at_once_one_wins,
    test_who_sees_which_declaration,
)
from tests.web.test_postgres import app_db  # noqa: F401  (the app on a fresh PostgreSQL database)

pytestmark = pytest.mark.postgres
