"""A save sent again after its answer was lost (a dropped connection, a script's retry) carries
the same idempotency key: it is answered as the first was, writes nothing, and is not refused
as stale. A save with another key on a stale base is still refused. Runs on SQLite and on
PostgreSQL (the second `make test` run)."""

from __future__ import annotations

import json
import re
import threading

from django.contrib.messages import get_messages
from django.db import connection
from django.urls import reverse
from webworld import World, client_for

from jixiao.web.audit.models import AuditEvent
from jixiao.web.packages.models import Package, Revision


def _form_key(html: str) -> str:
    m = re.search(r'name="save_key" value="([0-9a-f]+)"', html)
    assert m, "the form carries no save_key"
    return m.group(1)


def _messages(resp) -> list[str]:
    return [str(m) for m in get_messages(resp.wsgi_request)]


def test_the_sheet_form_carries_a_fresh_key_each_time(db):
    world = World()
    client = client_for(world.clerk)
    url = reverse("packages:sheet", args=[world.package.pk, "basic"])
    assert _form_key(client.get(url).content.decode()) != _form_key(client.get(url).content.decode())


def test_the_same_post_twice_makes_one_revision_and_both_are_answered_ok(db):
    world = World()
    client = client_for(world.clerk)
    url = reverse("packages:sheet", args=[world.package.pk, "basic"])
    head = Package.objects.get(pk=world.package.pk).head_number
    key = _form_key(client.get(url).content.decode())
    data = {"base_revision": str(head), "basic.note": "重试的保存", "save_key": key}
    first = client.post(url, data)
    assert first.status_code == 302 and any(f"已保存为第{head + 1}版" in m for m in _messages(first))
    again = client.post(url, data)
    assert again.status_code == 302 and again["Location"] == first["Location"]
    assert _messages(again)[-1] == f"此次保存已存入（第{head + 1}版），未重复保存。"
    assert Revision.objects.filter(package=world.package).count() == head + 1
    rev = Revision.objects.get(package=world.package, number=head + 1)
    assert rev.save_key == key and rev.document["basic"]["note"] == "重试的保存"
    assert AuditEvent.objects.filter(action="save").count() == 2  # the demo's first save and this one
    assert not AuditEvent.objects.filter(action="save_conflict").exists()


def test_another_key_on_a_stale_base_is_still_refused(db):
    world = World()
    client = client_for(world.clerk)
    url = reverse("packages:sheet", args=[world.package.pk, "basic"])
    head = Package.objects.get(pk=world.package.pk).head_number
    assert client.post(url, {"base_revision": str(head), "basic.note": "甲", "save_key": "a" * 32}).status_code == 302
    resp = client.post(url, {"base_revision": str(head), "basic.note": "乙", "save_key": "b" * 32})
    assert resp.status_code == 409
    assert Package.objects.get(pk=world.package.pk).head_number == head + 1


def test_a_key_used_by_someone_else_is_not_theirs_to_claim(db):
    world = World()
    url = reverse("packages:sheet", args=[world.package.pk, "basic"])
    head = Package.objects.get(pk=world.package.pk).head_number
    data = {"base_revision": str(head), "basic.note": "甲", "save_key": "c" * 32}
    assert client_for(world.clerk).post(url, data).status_code == 302
    resp = client_for(world.clerk2).post(url, data)
    assert resp.status_code == 302 and "保存标识无效" in " ".join(_messages(resp))
    assert Package.objects.get(pk=world.package.pk).head_number == head + 1


def test_a_malformed_key_is_a_bad_request(db):
    world = World()
    url = reverse("packages:sheet", args=[world.package.pk, "basic"])
    head = Package.objects.get(pk=world.package.pk).head_number
    resp = client_for(world.clerk).post(url, {"base_revision": str(head), "save_key": "<script>"})
    assert resp.status_code == 400


def test_a_retried_merge_is_recognised(db):
    world = World()
    client = client_for(world.clerk)
    url = reverse("packages:sheet", args=[world.package.pk, "basic"])
    base = Package.objects.get(pk=world.package.pk).head_number
    client_for(world.clerk2).post(url, {"base_revision": str(base), "basic.note": "对方"})
    conflict = client.post(url, {"base_revision": str(base), "basic.sangong.final": "12.5"})
    assert conflict.status_code == 409
    html = conflict.content.decode()
    key = _form_key(html)
    mine = json.loads(re.search(r'<textarea name="mine" hidden>(.*?)</textarea>', html, re.S).group(1)
                      .replace("&quot;", '"').replace("&#x27;", "'").replace("&amp;", "&")
                      .replace("&lt;", "<").replace("&gt;", ">"))
    data = {"base_revision": str(base), "mine": json.dumps(mine, ensure_ascii=False), "save_key": key}
    merge = reverse("packages:merge", args=[world.package.pk])
    first = client.post(merge, data)
    assert first.status_code == 302, first.content.decode()[:500]
    again = client.post(merge, data)
    assert again.status_code == 302 and _messages(again)[-1] == f"此次保存已存入（第{base + 2}版），未重复保存。"
    assert Package.objects.get(pk=world.package.pk).head_number == base + 2


def test_a_retried_import_is_recognised(db):
    from django.core.files.uploadedfile import SimpleUploadedFile

    world = World()
    client = client_for(world.clerk)
    overview = client.get(reverse("packages:overview", args=[world.package.pk])).content.decode()
    key = _form_key(overview)
    head = Package.objects.get(pk=world.package.pk).head
    body = json.dumps(head.document, ensure_ascii=False).encode()
    url = reverse("packages:import", args=[world.package.pk])

    def post():
        return client.post(url, {"base_revision": str(head.number), "save_key": key,
                                 "file": SimpleUploadedFile("材料.json", body, content_type="application/json")})

    assert post().status_code == 302
    again = post()
    assert again.status_code == 302 and _messages(again)[-1] == f"此次保存已存入（第{head.number + 1}版），未重复保存。"
    assert Package.objects.get(pk=world.package.pk).head_number == head.number + 1


def test_two_threads_posting_the_same_key_at_once_make_one_revision(transactional_db):
    world = World()
    url = reverse("packages:sheet", args=[world.package.pk, "basic"])
    head = Package.objects.get(pk=world.package.pk).head_number
    data = {"base_revision": str(head), "basic.note": "同时重试", "save_key": "d" * 32}
    statuses: list[int] = []
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def post() -> None:
        try:
            client = client_for(world.clerk)
            start.wait(timeout=30)
            statuses.append(client.post(url, data).status_code)
        except BaseException as exc:  # surfaced below
            errors.append(exc)
        finally:
            connection.close()

    for _ in range(3):  # a few rounds, each with a fresh key
        threads = [threading.Thread(target=post) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        assert not errors, errors
        head += 1
        data = {**data, "base_revision": str(head), "save_key": data["save_key"][:-1] + str(head)}
    assert statuses == [302] * 6, statuses
    revs = list(Revision.objects.filter(package=world.package).order_by("number").values_list("number", "save_key"))
    assert len(revs) == head and len({k for _, k in revs if k}) == 3
    assert not AuditEvent.objects.filter(action="save_conflict").exists()
