from datetime import datetime, timezone

import pytest

from app import create_app
from app.config import Settings


class InMemoryDatabase:
    """Stands in for PostgreSQL so the API's behaviour is tested without a server."""

    def __init__(self) -> None:
        self.rows: list[dict] = []
        self.reachable = True

    def ping(self) -> None:
        if not self.reachable:
            raise ConnectionError("database unreachable")

    def list_items(self) -> list[dict]:
        return list(self.rows)

    def create_item(self, name: str) -> dict:
        row = {"id": len(self.rows) + 1, "name": name, "created_at": datetime.now(timezone.utc).isoformat()}
        self.rows.append(row)
        return row


@pytest.fixture
def database() -> InMemoryDatabase:
    return InMemoryDatabase()


@pytest.fixture
def client(database):
    app = create_app(Settings(), database)
    app.config["TESTING"] = True
    return app.test_client()
