"""Parallel saves on one package (threads, one database connection each, through the whole
HTTP stack): in every round all writers start from the same revision, exactly one wins, the
others are refused as stale; nothing is lost, numbers never repeat, and no save lands on
a revision it was not based on. Runs on SQLite (WAL + IMMEDIATE) and on PostgreSQL."""

from __future__ import annotations

import threading

from django.db import connection
from django.urls import reverse
from webworld import World, client_for

from jixiao.web.audit.models import AuditEvent
from jixiao.web.packages.models import Package, Revision

WRITERS = 6
ROUNDS = 4


def test_it_lets_one_writer_win_each_round_and_refuses_the_rest(transactional_db):
    world = World()
    extra = []
    from jixiao.web.accounts.models import Role, User

    for i in range(WRITERS):
        u = User(username=f"clerk-par-{i}", role=Role.CLERK, unit=world.unit_a)
        u.set_unusable_password()
        u.save()
        extra.append(u)
    url = reverse("packages:sheet", args=[world.package.pk, "basic"])
    results: list[tuple[int, int, int]] = []  # (round, writer, status)
    errors: list[BaseException] = []
    lock = threading.Lock()
    start = threading.Barrier(WRITERS)

    def writer(i: int, base: int, rnd: int) -> None:
        try:
            client = client_for(extra[i])
            start.wait(timeout=30)
            resp = client.post(url, {"base_revision": str(base), "basic.note": f"第{rnd}轮 写入者{i}"})
            with lock:
                results.append((rnd, i, resp.status_code))
        except BaseException as exc:  # surfaced below: a thread's failure must fail the test
            errors.append(exc)
        finally:
            connection.close()

    winners = []
    for rnd in range(ROUNDS):
        base = Package.objects.get(pk=world.package.pk).head_number
        threads = [threading.Thread(target=writer, args=(i, base, rnd)) for i in range(WRITERS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        assert not errors, errors
        statuses = [s for r, _, s in results if r == rnd]
        assert sorted(statuses) == [302] + [409] * (WRITERS - 1), statuses
        winners.append(next(w for r, w, s in results if r == rnd and s == 302))

    pkg = Package.objects.get(pk=world.package.pk)
    numbers = list(Revision.objects.filter(package=pkg).order_by("number").values_list("number", "base_number"))
    assert [n for n, _ in numbers] == list(range(1, 2 + 1 + ROUNDS))
    # Every save was based on the revision right before it: none applied over a newer one.
    assert all(base == n - 1 for n, base in numbers[1:])
    assert pkg.head_number == 2 + ROUNDS
    # Each round's winner is what that round's revision holds; nothing was lost or overwritten.
    for rnd, w in enumerate(winners):
        rev = Revision.objects.get(package=pkg, number=3 + rnd)
        assert rev.document["basic"]["note"] == f"第{rnd}轮 写入者{w}" and rev.author == extra[w]
    assert AuditEvent.objects.filter(action="save_conflict").count() == ROUNDS * (WRITERS - 1)
    assert AuditEvent.objects.filter(action="save").count() == ROUNDS + 1


def test_it_keeps_every_writers_change_when_they_retry(transactional_db):
    """Writers that reload and retry after a refusal: all their changes end up in the package."""
    from jixiao.web.packages import actions

    world = World()
    names = [f"并发专项{i}" for i in range(WRITERS)]

    def writer(i: int) -> None:
        try:
            for _ in range(50):
                head = Package.objects.select_related("head").get(pk=world.package.pk).head
                doc = head.document
                doc["basic"]["transfer_items"] = [*doc["basic"].get("transfer_items", []), {"name": names[i]}]
                try:
                    actions.do_save(package_id=world.package.pk, actor=world.clerk, document=doc,
                                    base_number=head.number)
                    return
                except actions.StaleRevision:
                    continue
            raise AssertionError(f"writer {i} never got through")
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    errors: list[BaseException] = []
    threads = [threading.Thread(target=writer, args=(i,)) for i in range(WRITERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    head = Package.objects.get(pk=world.package.pk).head
    assert sorted(item["name"] for item in head.document["basic"]["transfer_items"]) == sorted(names)
    assert head.number == 2 + WRITERS
