"""jixiao (绩效): budget performance evaluation — scoring, audit, documents, workflow."""

__version__ = "0.1.0"
