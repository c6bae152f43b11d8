import logging

from flask import Blueprint, current_app

health = Blueprint("health", __name__)
log = logging.getLogger(__name__)


@health.get("/healthz")
def liveness():
    """Liveness: the process answers. Deliberately ignores the database so a database outage does not restart pods."""
    return {"status": "ok"}


@health.get("/readyz")
def readiness():
    """Readiness: the pod gets traffic only while it can reach the database."""
    try:
        current_app.extensions["database"].ping()
    except Exception:  # noqa: BLE001 - any failure means not ready
        log.exception("readiness check failed")
        return {"status": "unavailable", "checks": {"database": "failing"}}, 503
    return {"status": "ok", "checks": {"database": "ok"}}
