"""Fixtures for the ingest tests: the seed texts and the generated corpus."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT.parent / "shared" / "seeds"  # the shared material sits beside the checkout
CORPUS = ROOT.parent / "shared" / "corpus"


def seed(prefix: str) -> Path:
    """The seed text whose name starts with ``prefix`` (skips when the seeds are absent)."""
    found = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    if not found:
        pytest.skip("seed documents not available")
    return found[0]


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[Path, dict[str, Any]]]:
    """The generated corpus (every layout except PDF)."""
    from tests.ingest.make_corpus import build

    return build(tmp_path_factory.mktemp("corpus"))
