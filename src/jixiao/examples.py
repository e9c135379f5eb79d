"""The bundled example evaluations (the four seed reports encoded by hand)."""

from __future__ import annotations

from pathlib import Path

_REPO_EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def examples_dir() -> Path:
    """The folder holding the example evaluation files."""
    return _REPO_EXAMPLES


def example_files() -> list[Path]:
    """Every example evaluation file, sorted by name."""
    folder = examples_dir()
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml", ".json") and p.is_file())
