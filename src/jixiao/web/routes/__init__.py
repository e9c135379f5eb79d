"""Routers, one per area of the app."""

from jixiao.web.routes import (
    account,
    admin,
    audit,
    auth,
    dashboard,
    declarations,
    documents,
    evaluations,
    health,
    monitoring,
    rectification,
    review,
    surveys,
    tasks,
)

ROUTERS = (
    auth.router,
    tasks.router,
    declarations.router,
    monitoring.router,
    rectification.router,
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
