"""Database triggers that make tables append-only below the ORM: UPDATE is refused on both
databases; DELETE too on PostgreSQL. (On SQLite a DELETE trigger would also stop the test
runner's flush; PostgreSQL flushes with TRUNCATE, which row triggers do not see.)"""

from __future__ import annotations

from django.db import migrations


def _sqlite(table: str) -> str:
    return (
        f"CREATE TRIGGER IF NOT EXISTS {table}_no_update BEFORE UPDATE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END;"
    )


def _postgres(table: str) -> list[str]:
    return [
        "CREATE OR REPLACE FUNCTION jixiao_append_only() RETURNS trigger AS $$ "
        "BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END; $$ LANGUAGE plpgsql;",
        f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};",
        f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION jixiao_append_only();",
    ]


def _drop_sqlite(table: str) -> str:
    return f"DROP TRIGGER IF EXISTS {table}_no_update;"


def append_only(*tables: str) -> migrations.RunPython:
    def forward(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for table in tables:
            if vendor == "sqlite":
                schema_editor.execute(_sqlite(table))
            elif vendor == "postgresql":
                for sql in _postgres(table):
                    schema_editor.execute(sql, None)  # no params: the "%" belongs to RAISE

    def backward(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for table in tables:
            if vendor == "sqlite":
                schema_editor.execute(_drop_sqlite(table))
            elif vendor == "postgresql":
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};")

    return migrations.RunPython(forward, backward)
