"""Evidence uploads go through the safe opener: the content decides the kind, macros, zip bombs,
images that do not decode and oversized files are refused with one Chinese sentence; good PDF,
PNG, JPEG, Word and Excel files are stored, listed and downloaded byte for byte."""

from __future__ import annotations

import pytest
from django.urls import reverse
from evidenceworld import (
    DOCM_MAIN,
    DOCX_MAIN,
    XLSM_MAIN,
    XLSX_MAIN,
    attach,
    docx_bytes,
    image_bytes,
    messages_of,
    ooxml_by_hand,
    pdf_bytes,
    xlsx_bytes,
    zip_bomb_docx,
)
from webworld import client_for

from jixiao.web.audit.models import AuditEvent
from jixiao.web.evidence.files import check_evidence
from jixiao.web.evidence.models import Evidence
from jixiao.web.uploads import UploadRefused

GOOD = [
    ("满意度调查.pdf", pdf_bytes, "pdf"),
    ("现场照片.png", lambda: image_bytes("PNG"), "png"),
    ("现场照片.JPG", lambda: image_bytes("JPEG"), "jpg"),
    ("照片.jpeg", lambda: image_bytes("JPEG", (300, 200)), "jpg"),
    ("调查报告.docx", docx_bytes, "docx"),
    ("手写的.docx", lambda: ooxml_by_hand(DOCX_MAIN), "docx"),
    ("台账.xlsx", xlsx_bytes, "xlsx"),
    ("手写的.xlsx", lambda: ooxml_by_hand(XLSX_MAIN), "xlsx"),
]


@pytest.mark.parametrize("name,make,kind", GOOD, ids=[g[0] for g in GOOD])
def test_it_accepts_good_files_stores_and_serves_them(world, name, make, kind):
    data = make()
    resp = attach(client_for(world.clerk), world.package, name, data)
    assert any(m.startswith("已上传佐证材料") for m in messages_of(resp)), messages_of(resp)
    ev = Evidence.objects.get(package=world.package)
    assert (ev.name, ev.kind, ev.size) == (name, kind, len(data))
    assert name in resp.content.decode()  # listed on the package page
    got = client_for(world.head).get(reverse("evidence:download", args=[ev.pk]))
    assert got.status_code == 200 and b"".join(got.streaming_content) == data
    assert got["Content-Disposition"].startswith("attachment;")
    actions = list(AuditEvent.objects.filter(action__startswith="evidence_").order_by("seq").values_list("action", flat=True))
    assert actions == ["evidence_uploaded", "evidence_downloaded"]


def test_a_file_larger_than_a_chunk_comes_back_whole(world, settings):
    from jixiao.web.evidence import actions

    data = pdf_bytes()
    big = data[:-6] + b"%" + bytes(range(256)) * 9000 + b"\n%%EOF\n"  # ~2.3 MB: three chunks
    assert len(big) > 2 * actions.CHUNK_BYTES
    attach(client_for(world.clerk), world.package, "大文件.pdf", big)
    ev = Evidence.objects.get(package=world.package)
    assert ev.chunks.count() == 3
    got = client_for(world.clerk).get(reverse("evidence:download", args=[ev.pk]))
    assert b"".join(got.streaming_content) == big


ENGLISH = ("Error", "error", "File is not", "zip file", "Traceback", "cannot", "identify")
REFUSED = [
    ("宏.docm", lambda: ooxml_by_hand(DOCM_MAIN, macro=True), "含宏"),
    ("宏.xlsm", lambda: ooxml_by_hand(XLSM_MAIN, macro=True), "含宏"),
    # A macro file renamed: the content gives it away (content type and vbaProject.bin).
    ("改名的宏.docx", lambda: ooxml_by_hand(DOCM_MAIN, macro=True), "含有宏"),
    ("改名的宏.xlsx", lambda: ooxml_by_hand(XLSM_MAIN, macro=True), "含有宏"),
    ("只有宏工程.xlsx", lambda: ooxml_by_hand(XLSX_MAIN, macro=True), "含有宏"),
    ("文本.pdf", lambda: "这不是PDF".encode(), "内容是文本文件"),
    ("程序.pdf", lambda: b"MZ\x90\x00" + bytes(200), "无法识别的二进制文件"),
    ("照片.png", lambda: image_bytes("JPEG"), "内容是JPEG 图片"),
    ("报告.docx", xlsx_bytes, "内容是Excel 工作簿"),
    ("表格.xlsx", pdf_bytes, "内容是PDF 文件"),
    ("旧版.docx", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "旧版 Office"),
    ("旧版.doc", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "不支持的文件类型"),
    ("脚本.exe", lambda: b"MZ", "不支持的文件类型"),
    ("炸弹.docx", zip_bomb_docx, "压缩炸弹"),
    ("坏图.png", lambda: image_bytes("PNG")[:60], "图片已损坏"),
    ("半截.pdf", lambda: pdf_bytes()[:-40], "不是完整的 PDF"),
    ("脚本.pdf", lambda: pdf_bytes()[:-6] + b"<< /S /JavaScript /JS (app.alert(1)) >>\n%%EOF\n", "脚本"),
    ("空.pdf", lambda: b"", "空文件"),
]


@pytest.mark.parametrize("name,make,says", REFUSED, ids=[r[0] for r in REFUSED])
def test_it_refuses_what_is_not_safe_evidence_in_chinese(world, name, make, says):
    resp = attach(client_for(world.clerk), world.package, name, make())
    msgs = messages_of(resp)
    assert len(msgs) == 1 and says in msgs[0], msgs
    assert name in msgs[0] or "不支持的文件类型" in msgs[0]
    assert msgs[0].endswith("。") and not any(w in msgs[0] for w in ENGLISH), msgs[0]
    assert not Evidence.objects.exists()


def test_an_image_with_too_many_pixels_is_refused_and_one_below_the_cap_is_not():
    data = image_bytes("PNG", (100, 50))  # 5,000 pixels
    assert check_evidence("a.png", data, max_pixels=5000).kind == "png"
    with pytest.raises(UploadRefused, match="疑似解压炸弹"):
        check_evidence("a.png", data, max_pixels=4999)


def test_the_size_limit_is_a_setting_pinned_on_both_sides(world, settings):
    data = pdf_bytes()
    settings.JIXIAO_EVIDENCE_MAX_BYTES = len(data)
    resp = attach(client_for(world.clerk), world.package, "刚好.pdf", data)
    assert messages_of(resp)[0].startswith("已上传")
    settings.JIXIAO_EVIDENCE_MAX_BYTES = len(data) - 1
    resp = attach(client_for(world.clerk), world.package, "超过.pdf", data)
    assert "过大" in messages_of(resp)[0] and "佐证材料每个文件不超过" in messages_of(resp)[0]
    assert Evidence.objects.count() == 1


def test_an_upload_needs_an_indicator_of_the_package(world):
    from jixiao.web.evidence.actions import IndicatorChoice

    bogus = IndicatorChoice("overall", "不存在的指标", "整体表", "不存在的指标")
    resp = attach(client_for(world.clerk), world.package, "a.pdf", pdf_bytes(), choice=bogus)
    assert messages_of(resp) == ["请选择佐证材料对应的三级指标。"]
    assert not Evidence.objects.exists()
