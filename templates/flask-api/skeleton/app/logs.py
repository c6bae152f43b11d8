import json
import logging
import sys
import time
from datetime import datetime, timezone

from flask import Flask, g, request

SERVICE = "${{ values.name }}"


class JsonFormatter(logging.Formatter):
    """One JSON object per line, the shape CloudWatch Logs Insights and Container Insights query best."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "timestamp": datetime.fromtimestamp(record.created, timezone.utc).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "service": SERVICE,
        }
        entry.update(getattr(record, "fields", {}))
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


def configure_logging(level: str) -> None:
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)


def request_logging(app: Flask) -> None:
    access = logging.getLogger("access")

    @app.before_request
    def start_timer() -> None:
        g.started = time.perf_counter()

    @app.after_request
    def log_request(response):
        # Probes would drown the useful lines.
        if request.path not in ("/healthz", "/readyz"):
            access.info(
                "request",
                extra={
                    "fields": {
                        "method": request.method,
                        "path": request.path,
                        "status": response.status_code,
                        "duration_ms": round((time.perf_counter() - g.started) * 1000, 1),
                    }
                },
            )
        return response
