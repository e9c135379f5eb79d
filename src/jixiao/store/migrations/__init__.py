"""Alembic migrations of the jixiao store (a package so that wheels include them)."""
