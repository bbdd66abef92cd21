"""A unit's Word file that states no year (no title, or a title without “XXXX年度”) imported into
a package is read as the campaign's year, and the import says so."""

from __future__ import annotations

import io
import re
import zipfile


def _without_year(docx: bytes, year: int) -> bytes:
    src, out = zipfile.ZipFile(io.BytesIO(docx)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "word/document.xml":
                data = re.sub(rf"{year}年度?".encode(), b"", data)
            dst.writestr(item, data)
    return out.getvalue()


def test_a_file_without_a_year_is_read_as_the_campaigns(cw, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from webworld import client_for

    from jixiao.model import Package as DocPackage
    from jixiao.render import render_package

    cw.approved_targets()
    pkg = cw.start("monitoring")
    doc = pkg.head.document
    doc["projects"][0]["funds"]["executed"] = "30"
    files = render_package(DocPackage.model_validate(doc), tmp_path, ["docx"]).files
    word = next(f for f in files if f.suffix == ".docx" and "全套" in f.name)  # every table in one file
    data = _without_year(word.read_bytes(), cw.campaign.year)
    assert str(cw.campaign.year).encode() not in zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")
    c = client_for(cw.clerk)
    r = c.post(f"/p/{pkg.pk}/import/", {"file": SimpleUploadedFile("监控表.docx", data),
                                        "base_revision": pkg.head_number}, follow=True)
    page = r.content.decode()
    assert "按指定的2024年度读入" in page, re.findall(r'class="messages".{0,400}', page, re.S)[:1]
    pkg.refresh_from_db()
    assert pkg.head_number == 2 and pkg.head.document["fiscal_year"] == 2024
    assert pkg.head.document["projects"][0]["funds"]["executed"] in ("30", "30.00")
