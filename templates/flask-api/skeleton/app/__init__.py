"""${{ values.name }}: ${{ values.description }}"""

from flask import Flask

from .config import Settings
from .db import Database, PostgresDatabase
from .health import health
from .items import items
from .logs import configure_logging, request_logging
from .secrets import DatabaseCredentials


def create_app(settings: Settings | None = None, database: Database | None = None) -> Flask:
    """Builds the application; tests pass their own settings and database."""
    settings = settings or Settings.from_environment()
    configure_logging(settings.log_level)

    app = Flask(__name__)
    app.config["SETTINGS"] = settings
    app.extensions["database"] = database or PostgresDatabase(
        settings, DatabaseCredentials(settings.database_secret_arn, settings.aws_region)
    )
    request_logging(app)
    app.register_blueprint(health)
    app.register_blueprint(items, url_prefix="/api/items")
    return app
