import logging
from contextlib import contextmanager
from typing import Any, Iterator, Protocol

import psycopg2
import psycopg2.extras

from .config import Settings
from .secrets import Credentials, DatabaseCredentials

log = logging.getLogger(__name__)


class Database(Protocol):
    def ping(self) -> None: ...

    def list_items(self) -> list[dict[str, Any]]: ...

    def create_item(self, name: str) -> dict[str, Any]: ...


class PostgresDatabase:
    """PostgreSQL access; TLS is required because the environment's database enforces it."""

    def __init__(self, settings: Settings, credentials: DatabaseCredentials) -> None:
        self._settings = settings
        self._credentials = credentials

    def _current_credentials(self) -> Credentials:
        if not self._settings.database_secret_arn:
            return Credentials(self._settings.database_user, self._settings.database_password)
        return self._credentials.get()

    def connect(self) -> Any:
        credentials = self._current_credentials()
        try:
            return self._open(credentials)
        except psycopg2.OperationalError:
            # The secret may have been rotated since it was cached: fetch it again once.
            if not self._settings.database_secret_arn:
                raise
            log.warning("database connection failed; refreshing credentials from Secrets Manager")
            self._credentials.invalidate()
            return self._open(self._credentials.get())

    def _open(self, credentials: Credentials) -> Any:
        return psycopg2.connect(
            host=self._settings.database_host,
            port=self._settings.database_port,
            dbname=self._settings.database_name,
            user=credentials.username,
            password=credentials.password,
            sslmode="require" if self._settings.database_secret_arn else "prefer",
            connect_timeout=5,
        )

    @contextmanager
    def cursor(self) -> Iterator[Any]:
        connection = self.connect()
        try:
            with connection:
                with connection.cursor(cursor_factory=psycopg2.extras.RealDictCursor) as cursor:
                    yield cursor
        finally:
            connection.close()

    def ping(self) -> None:
        with self.cursor() as cursor:
            cursor.execute("SELECT 1")

    def list_items(self) -> list[dict[str, Any]]:
        with self.cursor() as cursor:
            cursor.execute("SELECT id, name, created_at FROM items ORDER BY id")
            return [dict(row) for row in cursor.fetchall()]

    def create_item(self, name: str) -> dict[str, Any]:
        with self.cursor() as cursor:
            cursor.execute(
                "INSERT INTO items (name) VALUES (%s) RETURNING id, name, created_at", (name,)
            )
            return dict(cursor.fetchone())
