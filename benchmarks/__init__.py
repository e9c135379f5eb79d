"""On-demand benchmarks; `python -m benchmarks [NAME...]` runs them and updates docs/performance.md."""
