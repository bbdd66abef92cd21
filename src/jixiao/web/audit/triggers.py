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


# The audit table on PostgreSQL: no UPDATE ever; DELETE only inside a purge (the transaction-local
# setting jixiao.audit_purge = 'on', which purge_audit sets) and only of rows older than the
# statutory 180 days, whatever the application's setting says.
AUDIT_FLOOR_DAYS = 180
_PG_AUDIT = [
    "CREATE OR REPLACE FUNCTION jixiao_audit_append_only() RETURNS trigger AS $$ "
    "BEGIN "
    "IF TG_OP = 'DELETE' AND current_setting('jixiao.audit_purge', true) = 'on' "
    f"AND OLD.at < now() - interval '{AUDIT_FLOOR_DAYS} days' THEN RETURN OLD; END IF; "
    "RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END; $$ LANGUAGE plpgsql;",
    "DROP TRIGGER IF EXISTS audit_auditevent_append_only ON audit_auditevent;",
    "CREATE TRIGGER audit_auditevent_append_only BEFORE UPDATE OR DELETE ON audit_auditevent "
    "FOR EACH ROW EXECUTE FUNCTION jixiao_audit_append_only();",
]


def chain_existing_rows(apps, schema_editor):
    """Chain the rows written before the chain existed, in the order they were written (id)."""
    from .chain import GENESIS, digest

    vendor = schema_editor.connection.vendor
    table = "audit_auditevent"
    if vendor == "sqlite":
        schema_editor.execute(_drop_sqlite(table))
    elif vendor == "postgresql":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};")
    Event = apps.get_model("audit", "AuditEvent")
    Head = apps.get_model("audit", "AuditChainHead")
    prev, seq = GENESIS, 0
    for e in Event.objects.order_by("id").iterator(chunk_size=2000):
        seq += 1
        e.seq, e.prev_hash = seq, prev
        e.hash = digest(e)
        Event.objects.filter(pk=e.pk).update(seq=e.seq, prev_hash=e.prev_hash, hash=e.hash)
        prev = e.hash
    Head.objects.update_or_create(pk=1, defaults={"seq": seq, "hash": prev})


def audit_triggers(apps, schema_editor):
    """After the table's last change (SQLite rebuilds a table on AlterField, dropping its triggers)."""
    vendor = schema_editor.connection.vendor
    table = "audit_auditevent"
    if vendor == "sqlite":
        schema_editor.execute(_sqlite(table))
    elif vendor == "postgresql":
        for sql in _PG_AUDIT:
            schema_editor.execute(sql, None)


def unchain(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_auditevent_append_only ON audit_auditevent;")
        for sql in _postgres("audit_auditevent"):
            schema_editor.execute(sql, None)
