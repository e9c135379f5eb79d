"""Routers, one per area of the app."""

from jixiao.web.routes import (
    account,
    admin,
    audit,
    auth,
    dashboard,
    documents,
    evaluations,
    health,
    review,
    surveys,
    tasks,
)

ROUTERS = (
    auth.router,
    tasks.router,
    evaluations.router,
    documents.router,
    review.router,
    surveys.router,
    dashboard.router,
    audit.router,
    admin.router,
    account.router,
    health.router,
)
