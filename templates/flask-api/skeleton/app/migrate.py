"""Applies migrations/*.sql in file-name order, each once, each in its own transaction.

Plain SQL files and a bookkeeping table: no migration framework to install, and the chart runs this module as a
pre-install/pre-upgrade Job so that a new release never starts against an old schema.
"""

import logging
import sys
from pathlib import Path
from typing import Any

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"

log = logging.getLogger(__name__)


def pending_migrations(applied: set[str], directory: Path = MIGRATIONS_DIR) -> list[Path]:
    return [path for path in sorted(directory.glob("*.sql")) if path.name not in applied]


def migrate(connection: Any, directory: Path = MIGRATIONS_DIR) -> list[str]:
    with connection:
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                " name TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())"
            )
            # Two pods upgrading at once must not both apply the same file.
            cursor.execute("SELECT pg_advisory_xact_lock(727274)")
            cursor.execute("SELECT name FROM schema_migrations")
            applied = {row[0] for row in cursor.fetchall()}
    done = []
    for path in pending_migrations(applied, directory):
        with connection:
            with connection.cursor() as cursor:
                cursor.execute(path.read_text())
                cursor.execute("INSERT INTO schema_migrations (name) VALUES (%s)", (path.name,))
        log.info("applied migration", extra={"fields": {"migration": path.name}})
        done.append(path.name)
    return done


def main() -> int:
    from .config import Settings
    from .db import PostgresDatabase
    from .logs import configure_logging
    from .secrets import DatabaseCredentials

    settings = Settings.from_environment()
    configure_logging(settings.log_level)
    database = PostgresDatabase(settings, DatabaseCredentials(settings.database_secret_arn, settings.aws_region))
    connection = database.connect()
    try:
        applied = migrate(connection)
    finally:
        connection.close()
    log.info("migrations complete", extra={"fields": {"applied": applied}})
    return 0


if __name__ == "__main__":
    sys.exit(main())
