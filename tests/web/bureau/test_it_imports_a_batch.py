"""Batch import: each file becomes a draft for the unit it names, or a clear line in the report."""

from __future__ import annotations

from bureauworld import batch_zip, generated_document, json_file, zip_bytes

from jixiao.web.bureau.jobs import start_import
from jixiao.web.bureau.models import ImportJob, JobStatus, JobUploadChunk, LineStatus
from jixiao.web.packages.models import Package, State


def _run(world, data: bytes, name: str = "batch.zip") -> ImportJob:
    job = start_import(campaign=world.campaign, actor=world.reviewer, upload=[data], source_name=name)
    job.refresh_from_db()
    assert not JobUploadChunk.objects.filter(job=job).exists() and job.upload_bytes == 0, \
        "the stored upload is deleted once the job has run"
    return job


def test_it_turns_each_file_into_a_draft_or_a_report_line(world, campaign_units):
    names = [u.name for u in campaign_units]
    job = _run(world, batch_zip(names))
    assert job.status == JobStatus.DONE and job.total == len(names) + 5 and job.done == job.total
    lines = {ln.file_name: ln for ln in job.lines.all()}
    assert "__MACOSX/._x.json" not in lines  # archiver litter is not a line
    for u in campaign_units:
        line = lines[f"{u.name}.json"]
        assert line.status == LineStatus.IMPORTED, line.message
        pkg = Package.objects.get(campaign=world.campaign, unit=u)
        assert pkg.state == State.DRAFT and pkg.head.source == "import" and pkg.head.author == world.reviewer
        assert line.revision_number == pkg.head_number == 1
        assert f"已写入{u.name}的第1版" in line.message
    assert lines["损坏的材料.json"].status == LineStatus.UNREADABLE
    assert "损坏的材料.json" in lines["损坏的材料.json"].message
    assert lines["不存在的单位.json"].status == LineStatus.UNMATCHED
    assert "“某某县不存在的中心”" in lines["不存在的单位.json"].message
    assert lines["旧年度.json"].status == LineStatus.SKIPPED
    assert "2022年度" in lines["旧年度.json"].message and "2023年度" in lines["旧年度.json"].message
    assert lines["说明.txt"].status == LineStatus.UNREADABLE and "“.txt”" in lines["说明.txt"].message
    assert lines["老格式.xls"].message == (  # an old format is read now; this one is only a header
        "老格式.xls 是不完整的旧版 Office 文件（只有 72 字节），已拒绝；请在 Office/WPS 中重新打开并另存为 .xlsx 后再导入")
    assert (job.imported, job.failed) == (3, 5)


def test_it_never_overwrites_a_submitted_package(world):
    from jixiao.web.packages.models import Package

    Package.objects.filter(pk=world.package.pk).update(state=State.SUBMITTED)
    job = _run(world, zip_bytes({"a.json": json_file(generated_document(world.unit_a.name, 3))}))
    line = job.lines.get()
    assert line.status == LineStatus.SKIPPED and "已提交" in line.message
    world.package.refresh_from_db()
    assert world.package.head_number == 2


def test_it_matches_names_loosely_and_by_file_name(world, campaign_units):
    spaced = "岳阳楼区 园林绿化服务中心"  # a space and nothing else differs
    files = {
        "a.json": json_file(generated_document(spaced, 1)),
        f"2023年度{campaign_units[1].name}（盖章版）.json": json_file(generated_document("档案馆", 2)),
        "dup.json": json_file(generated_document(campaign_units[0].name, 3)),
    }
    job = _run(world, zip_bytes(files, gbk_names=True))
    lines = {ln.file_name: ln for ln in job.lines.all()}
    assert set(lines) == set(files), "GBK entry names of Windows archivers are read as Chinese"
    assert lines["a.json"].unit == campaign_units[0] and lines["a.json"].status == LineStatus.IMPORTED
    by_file = lines[f"2023年度{campaign_units[1].name}（盖章版）.json"]
    assert by_file.unit == campaign_units[1] and "按文件名对应到" in by_file.message
    assert lines["dup.json"].status == LineStatus.SKIPPED and "a.json" in lines["dup.json"].message


def test_it_fails_the_job_with_one_line_for_a_hostile_zip(world):
    job = _run(world, b"PK\x03\x04 this is not really a zip")
    assert job.status == JobStatus.FAILED
    assert "\n" not in job.error and "batch.zip" in job.error and "ZIP" in job.error


def test_it_names_an_empty_or_broken_zip_by_its_uploaded_name_only(world):
    import tempfile

    stored_dir = tempfile.gettempdir()  # where the worker writes the stored upload while it reads it
    for data in (zip_bytes({}), b"", b"PK\x03\x04 this is not really a zip"):
        job = _run(world, data, name="各单位材料.zip")
        assert job.status == JobStatus.FAILED, data
        assert "各单位材料.zip" in job.error and stored_dir not in job.error and "/" not in job.error, job.error
        assert "File is not" not in job.error and not any("a" <= ch <= "z" for ch in job.error.replace(".zip", ""))


def test_it_takes_a_json_whose_schema_version_is_the_number_one(world, campaign_units):
    import json

    doc = generated_document(campaign_units[0].name, 7)
    doc["schema_version"] = 1
    job = _run(world, zip_bytes({"园林.json": json.dumps(doc, ensure_ascii=False).encode("utf-8")}))
    line = job.lines.get()
    assert line.status == LineStatus.IMPORTED, line.message


def test_a_failed_job_page_shows_no_count_of_unknown_files(world):
    from django.urls import reverse
    from webworld import client_for

    job = _run(world, zip_bytes({}), name="空.zip")
    html = client_for(world.reviewer).get(reverse("bureau:job", args=[job.pk])).content.decode()
    assert "空的压缩包" in html and "/ ?" not in html and "已处理 <b id=\"job-done\">0</b>" not in html
    assert "<progress" not in html and "导入报告" not in html and "没有记录" not in html
