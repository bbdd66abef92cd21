"""The audit log is a hash chain (等保 2.0 三级): concurrent writers keep it linear; a changed,
deleted or inserted row is reported at its row; old rows may be purged only beyond the retention
period, and the chain still verifies after a purge. On SQLite and on PostgreSQL."""

from __future__ import annotations

import threading
from datetime import timedelta
from unittest import mock

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from webworld import World, client_for

from jixiao.web.audit.chain import digest, verify
from jixiao.web.audit.log import record
from jixiao.web.audit.models import AuditEvent
from jixiao.web.audit.purge import PurgeRefused, earliest_allowed_cutoff, purge_before

TABLE = "audit_auditevent"


def _write(n: int) -> list[AuditEvent]:
    out = []
    for i in range(n):
        with transaction.atomic():
            out.append(record(None, "login", username=f"u{i}", detail={"n": i, "b": "中文", "a": [1, 2]}))
    return out


def _untriggered(cur) -> None:
    """Take the append-only triggers off for this test's transaction (rolled back after it)."""
    if connection.vendor == "sqlite":
        cur.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_update")
    else:
        cur.execute("SET LOCAL session_replication_role = replica")  # the test runs as a superuser


def _verify_command() -> tuple[int, str]:
    from io import StringIO

    out = StringIO()
    try:
        call_command("verify_audit", stdout=out)
    except SystemExit as exc:
        return int(exc.code), out.getvalue()
    return 0, out.getvalue()


def test_concurrent_writers_keep_one_linear_chain(transactional_db):
    threads_n, each = 8, 25
    errors: list[BaseException] = []
    start = threading.Barrier(threads_n)

    def writer(k: int) -> None:
        try:
            start.wait(timeout=30)
            for i in range(each):
                with transaction.atomic():
                    record(None, "save", username=f"w{k}", detail={"i": i, "k": k})
        except BaseException as exc:  # surfaced below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(k,)) for k in range(threads_n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    rows = list(AuditEvent.objects.order_by("seq"))
    assert [e.seq for e in rows] == list(range(1, threads_n * each + 1))
    assert rows[0].prev_hash == ""
    assert all(b.prev_hash == a.hash for a, b in zip(rows, rows[1:], strict=False))
    assert len({e.prev_hash for e in rows}) == len(rows)  # no two rows chained onto one predecessor
    report = verify()
    assert report.intact and report.rows == threads_n * each
    head = rows[-1]
    assert _verify_command() == (0, f"审计日志完整：全部{threads_n * each}条记录的哈希链校验通过。\n"
                                    f"链头：序号{head.seq}，哈希值{head.hash}\n")


def test_an_intact_chain_and_the_hash_of_what_is_stored(db):
    rows = _write(5)
    for e in rows:
        stored = AuditEvent.objects.get(pk=e.pk)
        assert digest(stored) == stored.hash == e.hash
    assert verify().intact


def test_a_changed_detail_is_reported_at_its_row(db):
    rows = _write(5)
    with connection.cursor() as cur:
        _untriggered(cur)
        cur.execute(f"UPDATE {TABLE} SET detail = %s WHERE id = %s", ['{"n": 99}', rows[2].pk])
    report = verify()
    assert [(b.seq, b.kind) for b in report.breaks] == [(3, "changed")]
    code, out = _verify_command()
    assert code == 1
    assert f"记录 id={rows[2].pk}（序号3，" in out and "内容被改动" in out


def test_a_changed_row_with_a_recomputed_hash_breaks_the_link_to_the_next(db):
    rows = _write(5)
    forged = AuditEvent.objects.get(pk=rows[2].pk)
    forged.detail = {"n": 99}
    with connection.cursor() as cur:
        _untriggered(cur)
        cur.execute(f"UPDATE {TABLE} SET detail = %s, hash = %s WHERE id = %s",
                    ['{"n": 99}', digest(forged), rows[2].pk])
    report = verify()
    assert [(b.seq, b.kind) for b in report.breaks] == [(4, "inserted")]
    assert "与上一条记录（序号3）不衔接" in report.breaks[0].message


def test_a_deleted_row_is_reported_where_it_was(db):
    rows = _write(5)
    with connection.cursor() as cur:
        _untriggered(cur)
        cur.execute(f"DELETE FROM {TABLE} WHERE id = %s", [rows[2].pk])
    report = verify()
    assert [(b.seq, b.kind) for b in report.breaks] == [(4, "missing")]
    code, out = _verify_command()
    assert code == 1 and f"记录 id={rows[3].pk}（序号4，" in out and "序号3的记录缺失（被删除）" in out


def test_a_deleted_last_row_is_reported(db):
    rows = _write(3)
    with connection.cursor() as cur:
        _untriggered(cur)
        cur.execute(f"DELETE FROM {TABLE} WHERE id = %s", [rows[2].pk])
    report = verify()
    assert [(b.seq, b.kind) for b in report.breaks] == [(3, "missing")]
    assert "最后的记录缺失：序号3的记录被删除" in report.breaks[0].message


def test_a_forged_row_is_reported_even_with_a_correct_hash(db):
    rows = _write(3)
    fake = AuditEvent(username="intruder", action="login", detail={}, seq=4, prev_hash=rows[-1].hash,
                      at=timezone.now(), path="")
    fake.hash = digest(fake)
    fake.save()  # an INSERT past the chain head, as a database user could do it
    report = verify()
    assert [(b.seq, b.id, b.kind) for b in report.breaks] == [(4, fake.pk, "inserted")]
    assert "链头（序号3）之后" in report.breaks[0].message


def test_the_auditor_sees_the_state_of_the_chain(db):
    world = World()
    page = client_for(world.auditor).get(reverse("audit:log")).content.decode()
    assert "审计日志完整：全部" in page
    with connection.cursor() as cur:
        _untriggered(cur)
        cur.execute(f"UPDATE {TABLE} SET username = 'someone-else' WHERE seq = 2")
    page = client_for(world.auditor).get(reverse("audit:log")).content.decode()
    assert "审计日志校验未通过" in page and "（序号2，" in page and "内容被改动" in page


NOW = timezone.now().replace(microsecond=0)


def test_a_purge_within_180_days_is_refused_on_both_sides_of_the_boundary(db, settings):
    settings.JIXIAO_AUDIT_RETENTION_DAYS = 180
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        limit = earliest_allowed_cutoff()
        assert limit == NOW - timedelta(days=180)
        with pytest.raises(PurgeRefused, match="审计记录须至少保存180天"):
            purge_before(limit + timedelta(seconds=1))
        assert purge_before(limit) == (0, None)
        assert purge_before(limit - timedelta(seconds=1)) == (0, None)


def test_the_command_takes_the_day_180_days_back_and_refuses_the_day_after(db, settings):
    settings.JIXIAO_AUDIT_RETENTION_DAYS = 180
    today = timezone.localdate()
    call_command("purge_audit", "--before", str(today - timedelta(days=181)))
    with pytest.raises(CommandError, match="审计记录须至少保存180天"):
        call_command("purge_audit", "--before", str(today - timedelta(days=179)))
    with pytest.raises(CommandError, match="日期“2026-13-01”无效"):
        call_command("purge_audit", "--before", "2026-13-01")


def test_a_longer_retention_setting_is_kept_and_a_shorter_one_counts_as_180(db, settings):
    settings.JIXIAO_AUDIT_RETENTION_DAYS = 365
    with pytest.raises(PurgeRefused, match="至少保存365天"):
        purge_before(timezone.now() - timedelta(days=300))
    settings.JIXIAO_AUDIT_RETENTION_DAYS = 30
    with pytest.raises(PurgeRefused, match="至少保存180天"):
        purge_before(timezone.now() - timedelta(days=100))


def test_a_purge_leaves_a_chain_that_still_verifies(db):
    with mock.patch("django.utils.timezone.now", return_value=timezone.now() - timedelta(days=200)):
        old = _write(3)
    young = _write(2)
    n, anchor = purge_before(timezone.now() - timedelta(days=190))
    assert n == 3
    assert anchor.action == "audit_purged"
    assert anchor.detail["through_seq"] == 3 and anchor.detail["through_hash"] == old[-1].hash
    assert list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True)) == [4, 5, 6]
    assert AuditEvent.objects.filter(pk__in=[e.pk for e in young]).count() == 2
    report = verify()
    assert report.intact and report.rows == 3
    # Without the anchor the first kept row would not be explained.
    with connection.cursor() as cur:
        _untriggered(cur)
        cur.execute(f"DELETE FROM {TABLE} WHERE id = %s", [anchor.pk])
    kinds = [(b.seq, b.kind) for b in verify().breaks]
    assert (4, "missing") in kinds


def test_young_rows_cannot_be_deleted(db):
    from jixiao.web.audit.models import AppendOnlyError

    rows = _write(2)
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=rows[0].pk).delete()
    if connection.vendor != "postgresql":
        return
    # PostgreSQL: even a purge's own setting does not let a row younger than 180 days go.
    from django.db import DatabaseError

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cur:
        cur.execute("SET LOCAL jixiao.audit_purge = 'on'")
        cur.execute(f"DELETE FROM {TABLE} WHERE id = %s", [rows[0].pk])
    assert AuditEvent.objects.filter(pk=rows[0].pk).exists()


def test_the_migration_chains_the_rows_written_before_in_order(transactional_db):
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes("audit")
    executor.migrate([("audit", "0002_append_only")])
    try:
        with connection.cursor() as cur:
            for i in (3, 1, 2):  # ids in insertion order; times deliberately not in that order
                cur.execute(f"INSERT INTO {TABLE} (at, username, role, action, object_type, object_id, ip, path, detail) "
                            "VALUES (%s, %s, '', 'login', '', '', '::ffff:10.0.0.1', '/x', %s)",
                            [timezone.now() - timedelta(days=i), f"old{i}", '{"b": 1, "a": [1, 2]}'])
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(latest)
    rows = list(AuditEvent.objects.order_by("seq"))
    assert [(e.seq, e.username) for e in rows] == [(1, "old3"), (2, "old1"), (3, "old2")]
    assert verify().intact
    record(None, "login", username="new")
    report = verify()
    assert report.intact and report.rows == 4


def test_postgresql_refuses_a_purge_of_young_rows_even_when_the_application_clock_is_wrong(db):
    if connection.vendor != "postgresql":
        pytest.skip("the database-side floor is PostgreSQL's trigger")
    rows = _write(2)
    later = timezone.now() + timedelta(days=200)
    with mock.patch("django.utils.timezone.now", return_value=later), \
            pytest.raises(PurgeRefused, match="清理未完成，没有删除任何记录：数据库拒绝删除"):
        purge_before(later - timedelta(days=190))
    assert AuditEvent.objects.count() == 2 and verify().intact
    assert rows
