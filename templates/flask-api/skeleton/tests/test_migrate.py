from pathlib import Path

from app.migrate import migrate, pending_migrations


class RecordingCursor:
    def __init__(self, connection):
        self.connection = connection

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def execute(self, sql, params=None):
        self.connection.statements.append((sql, params))

    def fetchall(self):
        return [(name,) for name in self.connection.applied]


class RecordingConnection:
    def __init__(self, applied):
        self.applied = applied
        self.statements = []

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def cursor(self):
        return RecordingCursor(self)


def test_only_new_migrations_run_in_name_order(tmp_path: Path):
    (tmp_path / "0002_b.sql").write_text("CREATE TABLE b ();")
    (tmp_path / "0001_a.sql").write_text("CREATE TABLE a ();")
    (tmp_path / "0003_c.sql").write_text("CREATE TABLE c ();")
    connection = RecordingConnection(applied=["0001_a.sql"])
    assert migrate(connection, tmp_path) == ["0002_b.sql", "0003_c.sql"]
    executed = [sql for sql, _ in connection.statements]
    assert "CREATE TABLE a ();" not in executed
    assert executed.index("CREATE TABLE b ();") < executed.index("CREATE TABLE c ();")


def test_the_shipped_migrations_are_found():
    assert [path.name for path in pending_migrations(set())][0] == "0001_create_items.sql"
