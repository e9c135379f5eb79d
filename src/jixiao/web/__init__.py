"""The web application: FastAPI + Jinja2 + HTMX, every asset served from the package."""

from jixiao.web.app import create_app
from jixiao.web.settings import Settings

__all__ = ["Settings", "create_app"]
