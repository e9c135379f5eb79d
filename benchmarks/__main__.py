"""Run the benchmarks: `python -m benchmarks` (all) or `python -m benchmarks scoring checks`."""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    """Run every ``bench_*`` module's ``main()`` (or only those named)."""
    here = Path(__file__).parent
    names = sorted(m.name for m in pkgutil.iter_modules([str(here)]) if m.name.startswith("bench_"))
    wanted = [f"bench_{a.removeprefix('bench_')}" for a in argv if not a.startswith("--")] or names
    for name in wanted:
        if name not in names:
            print(f"没有这个基准测试：{name}（可选：{', '.join(names)}）", file=sys.stderr)
            return 2
        print(f"== {name}", flush=True)
        importlib.import_module(f"benchmarks.{name}").main()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
