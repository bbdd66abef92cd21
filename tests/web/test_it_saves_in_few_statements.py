"""A save of a sheet asks the database only what it must (issue 15: a save under 10 ms of CPU,
and each statement costs Django a few tenths of a millisecond). The budget below is the list of
what one save reads and writes; a statement more fails here, so a new one is added on purpose.
Runs on SQLite and on PostgreSQL (the second `make test` run)."""

from __future__ import annotations

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from webworld import World, client_for

from jixiao.web.evidence.actions import do_set_policy
from jixiao.web.packages.actions import do_save
from jixiao.web.packages.models import Package, Revision

# session, user, package (with campaign, its evidence policy, unit, head), open rectification
# items, the retry check of the save key, the package locked again, the revision, the bureau's
# figures of it, the package's new head, then the audit chain: its head advanced (and locked), then
# on SQLite the audit row and the head's hash, on PostgreSQL both in one statement (audit/log.py:
# every writer waits while these run). And the transaction's
# start and end (here a savepoint and its release, as each test runs inside a transaction).
AUDIT_STATEMENTS = {"sqlite": 3, "postgresql": 2}
BUDGET = {"sqlite": 14, "postgresql": 13}


def _save(client, url, base: int, note: str):
    html = client.get(url).content.decode()
    key = re.search(r'name="save_key" value="([0-9a-f]+)"', html).group(1)
    with CaptureQueriesContext(connection) as ctx:
        resp = client.post(url, {"base_revision": str(base), "basic.note": note, "save_key": key})
    assert resp.status_code == 302, resp.content.decode()[:500]
    return [q["sql"] for q in ctx.captured_queries]


def test_a_sheet_save_stays_within_its_statements(db):
    world = World()
    client = client_for(world.clerk)
    url = reverse("packages:sheet", args=[world.package.pk, "basic"])
    head = Package.objects.get(pk=world.package.pk).head_number
    statements = _save(client, url, head, "一次保存")
    assert len(statements) <= BUDGET[connection.vendor], "\n".join(s[:160] for s in statements)
    # the evidence policy comes with the package, the head's explanations with the head
    assert not any(s.startswith("SELECT") and "FROM \"evidence_evidencepolicy\"" in s for s in statements)
    assert not any("\"packages_revision\".\"explanations\" AS" in s for s in statements)
    audit = [s for s in statements if "audit_audit" in s]
    assert len(audit) == AUDIT_STATEMENTS[connection.vendor], audit
    # reads by a unique key ask for no order (jixiao.web.queries.only_row)
    keyed = [s for s in statements if s.startswith("SELECT") and (
        'FROM "packages_package"' in s or 'FROM "audit_auditchainhead"' in s or '"save_key" =' in s)]
    # the package read and locked, the save key looked up (the chain head is advanced, not read)
    assert len(keyed) == 3, keyed
    assert not any("ORDER BY" in s for s in keyed), keyed
    # the package is read with its campaign, unit and head once; locked again, it is read alone
    package_reads = [s for s in keyed if 'FROM "packages_package"' in s]
    assert len(package_reads) == 2 and "JOIN" in package_reads[0] and "JOIN" not in package_reads[1], package_reads
    # one transaction: the save's own (a savepoint here, as each test runs inside a transaction)
    assert sum(s.startswith("SAVEPOINT") for s in statements) == 1


def test_what_the_joined_reads_bring_is_what_the_save_uses(db):
    """The joined policy is the one set now (its required indicator is reported without evidence),
    and the head's explanations carry into the new revision."""
    from jixiao.web.packages.checking import cached_evaluation
    from jixiao.web.packages.cycle_context import cycle_context_for

    world = World()
    pkg = Package.objects.get(pk=world.package.pk)
    do_save(package_id=pkg.pk, actor=world.clerk, document=pkg.head.document, base_number=pkg.head_number,
            explanations={"basic.subtotals": "口径不同，已说明"})
    pkg.refresh_from_db()
    client = client_for(world.clerk)
    url = reverse("packages:sheet", args=[pkg.pk, "basic"])
    _save(client, url, pkg.head_number, "第一次")
    do_set_policy(campaign=pkg.campaign, actor=world.reviewer, required="全年规范管理夜宵店数量",
                  publish_evidence=False)
    _save(client, url, pkg.head_number + 1, "第二次")
    first, second = list(Revision.objects.filter(package=pkg).order_by("number"))[-2:]
    assert second.number == pkg.head_number + 2
    assert first.explanations == second.explanations == {"basic.subtotals": "口径不同，已说明"}
    pkg.refresh_from_db()
    rules = [f.rule for f in cached_evaluation(first, pkg.rule_pack, None).findings()]
    assert "cycle.evidence_missing" not in rules
    missing = [f for f in cached_evaluation(second, pkg.rule_pack, cycle_context_for(pkg)).findings()
               if f.rule == "cycle.evidence_missing"]
    assert len(missing) == 1 and "全年规范管理夜宵店数量" in missing[0].message
