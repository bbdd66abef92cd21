"""A file holding only some parts never erases the others: the web import and the bureau's batch
keep the parts a file lacks from the unit's current revision, and say so; a batch carrying one
unit's part files as separate files imports them all, one after the other."""

from __future__ import annotations

import copy

from bureauworld import generated_document, json_file, zip_bytes
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from webworld import client_for

from jixiao.web.bureau.jobs import start_import
from jixiao.web.bureau.models import LineStatus
from jixiao.web.packages.models import Package


def _only(doc: dict, *keep: str) -> dict:
    out = copy.deepcopy(doc)
    for key in ("basic", "overall", "report"):
        if key not in keep:
            out[key] = None
    if "projects" not in keep:
        out["projects"] = []
    return out


def test_the_web_import_of_one_part_keeps_the_others(world):
    head = world.package.head.document
    assert head["overall"] and head["report"]
    doc = generated_document(world.unit_a.name, 3)
    upload = SimpleUploadedFile("基础数据表.json", json_file(_only(doc, "basic")))
    resp = client_for(world.clerk).post(reverse("packages:import", args=[world.package.pk]),
                                        {"file": upload, "base_revision": str(world.package.head_number)})
    notes = [str(m) for m in resp.wsgi_request._messages]
    assert resp.status_code == 302, notes
    world.package.refresh_from_db()
    new = world.package.head.document
    assert new["basic"]["sangong"] == doc["basic"]["sangong"]  # the file's part replaced
    assert new["overall"] == head["overall"] and new["report"] == head["report"]  # the others kept
    assert any("中没有整体支出绩效自评表" in n and "已保留当前版本中的这些部分" in n for n in notes), notes


def test_a_batch_of_one_units_part_files_imports_every_part(world, campaign_units):
    unit = campaign_units[0]
    doc = generated_document(unit.name, 5)
    files = {"1-基础数据表.json": json_file(_only(doc, "basic")),
             "2-整体支出绩效自评表.json": json_file(_only(doc, "overall", "projects")),
             "3-又一份基础数据表.json": json_file(_only(doc, "basic"))}
    job = start_import(campaign=world.campaign, actor=world.reviewer, upload=[zip_bytes(files)],
                       source_name="部分.zip")
    lines = {ln.file_name: ln for ln in job.lines.all()}
    assert lines["1-基础数据表.json"].status == LineStatus.IMPORTED
    assert lines["2-整体支出绩效自评表.json"].status == LineStatus.IMPORTED
    assert "保留了已有版本中的这些部分" in lines["2-整体支出绩效自评表.json"].message
    assert lines["3-又一份基础数据表.json"].status == LineStatus.SKIPPED  # the same part twice: the first wins
    head = Package.objects.get(campaign=world.campaign, unit=unit).head.document
    assert head["basic"]["sangong"] == doc["basic"]["sangong"]
    assert head["overall"]["funds"] == doc["overall"]["funds"] and len(head["projects"]) == len(doc["projects"])
